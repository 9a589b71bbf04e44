// The `ciphers` option read the way node:tls and OpenSSL read it, projected
// onto the suites tlsrt implements.
//
// node:tls splits the string on ':' and sends the parts starting with 'TLS_'
// to OpenSSL's TLS 1.3 list (SSL_CTX_set_ciphersuites), everything else to
// the TLS 1.2 cipher list (SSL_CTX_set_cipher_list), whose elements are
// cipher names and aliases (PSK, kPSK, HIGH, AESGCM, CHACHA20 ...), joined
// with '+' to intersect, prefixed with '!' (kill), '-' (remove), '+' (move to
// the end), separated by ':', ',', ';' or ' ', plus '@STRENGTH'. OpenSSL
// applies the elements in turn to its list of every cipher; tlsrt applies
// them to its own six TLS 1.2 PSK suites. Each rule moves or flags a cipher
// by what that cipher is, keeping the relative order of what it moves, so
// the result is exactly OpenSSL's list with the suites tlsrt lacks left out
// (test/api/cipher-string.test.ts compares it with the list a node:tls
// client puts in its ClientHello).
//
// A cipher the string names explicitly that tlsrt does not implement
// (PSK-AES128-CBC-SHA256, DHE-PSK-..., a certificate suite) is an error that
// names it; an alias selects what it selects among tlsrt's suites.
import tls from 'node:tls';
import { sslError, type TlsError } from './errors.ts';
import { SUITE_TABLE, type SuiteDescriptor } from '../engine/tables.ts';

/** A TLS 1.2 suite tlsrt has, with what OpenSSL's rules need of it. */
interface Suite12 {
  /** OpenSSL's name. */
  name: string;
  /** Strength bits (what @STRENGTH sorts by). */
  bits: number;
  /** The OpenSSL aliases that select it. */
  aliases: string[];
}

/** OpenSSL's aliases for a suite, from what it is (measured with `openssl ciphers -psk <alias>`). */
function aliasesOf(d: SuiteDescriptor): string[] {
  const a = ['ALL', 'HIGH', 'aPSK', 'PSK', 'TLSv1.2', d.kx === 'ecdhe_psk' ? 'kECDHEPSK' : 'kPSK'];
  if (d.aead === 'chacha20_poly1305') a.push('CHACHA20');
  else {
    a.push('AES', d.keyLen === 16 ? 'AES128' : 'AES256');
    if (d.aead === 'aes_gcm') a.push('AESGCM', 'FIPS');
    if (d.aead === 'aes_ccm') a.push('AESCCM', 'COMPLEMENTOFDEFAULT', ...(d.tagLen === 8 ? ['AESCCM8'] : []));
  }
  return a;
}

/** OpenSSL 3's base order of these suites (what 'ALL' lists), by OpenSSL name. */
const OPENSSL_ORDER = ['ECDHE-PSK-CHACHA20-POLY1305', 'PSK-AES256-GCM-SHA384', 'PSK-CHACHA20-POLY1305', 'PSK-AES128-GCM-SHA256', 'PSK-AES128-CCM8', 'PSK-AES128-CCM'];

/** tlsrt's TLS 1.2 suites (abi/tables.json), in OpenSSL's order. */
export const TLS12_SUITES: readonly Suite12[] = SUITE_TABLE.filter((d) => d.version === 0x0303)
  .sort((x, y) => OPENSSL_ORDER.indexOf(x.openssl) - OPENSSL_ORDER.indexOf(y.openssl))
  .map((d) => ({ name: d.openssl, bits: d.keyLen * 8, aliases: aliasesOf(d) }));

export const TLS13_SUITE_NAMES = SUITE_TABLE.filter((d) => d.version === 0x0304).map((d) => d.name);
/** OpenSSL's TLS 1.3 list when the string names no TLS_ suite. */
const DEFAULT_TLS13 = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];

/**
 * OpenSSL 3's alias names (ssl/ssl_ciph.c): words that select a group of
 * ciphers, so never "a cipher tlsrt lacks" even when none of tlsrt's is in

 */
const ALIASES = new Set([
  'ALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT', 'HIGH', 'MEDIUM', 'LOW', 'EXP', 'EXPORT', 'EXPORT40', 'EXPORT56',
  'eNULL', 'NULL', 'aNULL', 'kRSA', 'aRSA', 'RSA', 'kEDH', 'kDHE', 'EDH', 'DHE', 'DH', 'kDHr', 'kDHd', 'kDH', 'ADH',
  'kEECDH', 'kECDHE', 'ECDH', 'EECDH', 'ECDHE', 'AECDH', 'aECDSA', 'ECDSA', 'aDSS', 'DSS', 'kPSK', 'kRSAPSK',
  'kECDHEPSK', 'kDHEPSK', 'aPSK', 'PSK', 'kSRP', 'aSRP', 'SRP', 'kGOST', 'kGOST18', 'aGOST', 'aGOST01', 'aGOST12',
  'GOST89MAC', 'GOST89MAC12', 'GOST94', 'GOST12', 'GOST', 'DES', '3DES', 'RC4', 'RC2', 'IDEA', 'SEED', 'AES128',
  'AES256', 'AES', 'AESGCM', 'AESCCM', 'AESCCM8', 'CAMELLIA128', 'CAMELLIA256', 'CAMELLIA', 'CHACHA20', 'ARIA',
  'ARIAGCM', 'ARIA128', 'ARIA256', 'CBC', 'MD5', 'SHA1', 'SHA', 'SHA256', 'SHA384', 'TLSv1.2', 'TLSv1.0', 'TLSv1',
  'SSLv3', 'FIPS', 'SUITEB128', 'SUITEB128ONLY', 'SUITEB128C2', 'SUITEB192',
]);

export interface CipherSelection {
  /** TLS 1.3 suites, in order (OpenSSL's default three when the string names none). */
  tls13: string[];
  /** TLS 1.2 suites, in order; empty when the TLS 1.2 part selects none of tlsrt's. */
  tls12: string[];
  /** node:tls raises the minimum to TLS 1.3 when the string has no TLS 1.2 part at all. */
  tls12Cleared: boolean;
}

/** Names OpenSSL knows as one cipher (asked once per word, by building a context with it alone). */
const knownCipherNames = new Map<string, boolean>();

function isOpenSslCipherName(word: string): boolean {
  let known = knownCipherNames.get(word);
  if (known === undefined) {
    try {
      tls.createSecureContext({ ciphers: word });
      known = true;
    } catch {
      known = false;
    }
    knownCipherNames.set(word, known);
  }
  return known;
}

function cannotHonour(name: string): TlsError {
  return sslError('no cipher match', ` (tlsrt does not implement ${name}; its TLS 1.2 suites are ${TLS12_SUITES.map((s) => s.name).join(', ')})`);
}

/** Whether a suite matches an element's '+'-joined words (all of them, as OpenSSL intersects). */
function matches(s: Suite12, words: string[]): boolean {
  return words.every((w) => s.name === w || s.aliases.includes(w));
}

/** OpenSSL 3's default list, which a string starting with 'DEFAULT' begins with (the rest follows it). */
const OPENSSL_DEFAULT = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

/** The TLS 1.2 part of a cipher string (already accepted by OpenSSL) applied to tlsrt's suites. */
export function selectTls12(list: string): string[] {
  interface Entry { s: Suite12; active: boolean }
  let order: Entry[] = TLS12_SUITES.map((s) => ({ s, active: false }));
  const expanded = list.startsWith('DEFAULT') ? `${OPENSSL_DEFAULT}:${list.slice(7)}` : list;
  const elements = expanded.split(/[:, ;]+/).filter((e) => e.length > 0);
  for (const el of elements) {
    if (el === '@STRENGTH') {
      order = [...order].sort((a, b) => b.s.bits - a.s.bits); // stable, as OpenSSL's
      continue;
    }
    if (el.startsWith('@')) continue; // @SECLEVEL=n: no effect on tlsrt's AEAD PSK suites at levels 0..3
    const op = el[0] === '!' || el[0] === '-' || el[0] === '+' ? el[0] : '';
    const words = (op ? el.slice(1) : el).split('+');
    // An element with a word OpenSSL does not know selects nothing (it is skipped there too).
    const ours = (w: string) => TLS12_SUITES.some((s) => s.name === w);
    const known = words.every((w) => ALIASES.has(w) || ours(w) || isOpenSslCipherName(w));
    if (!known) continue;
    if (op === '' && words.length === 1 && !ALIASES.has(words[0]) && !ours(words[0])) throw cannotHonour(words[0]);
    const hit = (e: Entry) => matches(e.s, words);
    if (op === '!') order = order.filter((e) => !hit(e));
    else if (op === '-') {
      const off = order.filter((e) => hit(e) && e.active);
      for (const e of off) e.active = false;
      order = [...off, ...order.filter((e) => !off.includes(e))];
    } else if (op === '+') {
      const moved = order.filter((e) => hit(e) && e.active);
      order = [...order.filter((e) => !moved.includes(e)), ...moved];
    } else {
      const added = order.filter((e) => hit(e) && !e.active);
      for (const e of added) e.active = true;
      order = [...order.filter((e) => !added.includes(e)), ...added];
    }
  }
  return order.filter((e) => e.active).map((e) => e.s.name);
}

/** Strings already judged (a client connecting in a loop re-reads the same string). */
const selections = new Map<string, CipherSelection>();

/**
 * The suites a cipher string selects. OpenSSL (through node:tls) judges the
 * syntax first, so its errors (ERR_SSL_NO_CIPHER_MATCH, ERR_INVALID_ARG_VALUE)
 * are node's; then tlsrt's own check that every named suite is one it has.
 */
export function selectCiphers(ciphers: string): CipherSelection {
  let sel = selections.get(ciphers);
  if (sel) return sel;
  tls.createSecureContext({ ciphers });
  const parts = ciphers.split(':').filter((c) => c.length > 0);
  const tls13Part = parts.filter((c) => c.startsWith('TLS_'));
  const tls12Part = parts.filter((c) => !c.startsWith('TLS_')).join(':');
  const tls13: string[] = [];
  for (const name of tls13Part) {
    if (TLS13_SUITE_NAMES.includes(name)) {
      if (!tls13.includes(name)) tls13.push(name);
    } else if (isOpenSslTls13Name(name)) {
      throw cannotHonour(name);
    }
  }
  sel = {
    tls13: tls13Part.length ? tls13 : [...DEFAULT_TLS13],
    tls12: tls12Part ? selectTls12(tls12Part) : [],
    tls12Cleared: tls12Part === '',
  };
  selections.set(ciphers, sel);
  return sel;
}

/** A TLS_ name OpenSSL's TLS 1.3 list accepts (it takes any suite's standard name there). */
function isOpenSslTls13Name(name: string): boolean {
  return isOpenSslCipherName(name);
}
