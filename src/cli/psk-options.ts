// The options `tlsrt client` and `tlsrt server` share, turned into tlsrt
// (node:tls) options: the PSK and its identity, suites, key-exchange modes,
// ALPN, record sizes, key log and trace. Every value is checked here so a
// mistake is a usage error (exit 2) before any connection is made.
import { createSecureContext } from '../index.ts';
import { selectCiphers } from '../tls/cipher-string.ts';
import { intOption, UsageError, type OptionKinds, type ParsedOptions } from './usage.ts';

/** s_client/s_server's default identity, so `tlsrt` and `openssl` agree without -psk_identity. */
export const DEFAULT_IDENTITY = 'Client_identity';
export const DEFAULT_PORT = 4433;
export const DEFAULT_HOST = '127.0.0.1';

export const SHARED_OPTIONS: OptionKinds = {
  host: 'string',
  port: 'string',
  'psk-identity': 'string',
  psk: 'string',
  ciphers: 'string',
  'psk-ke': 'boolean',
  groups: 'string',
  alpn: 'string',
  'max-send-fragment': 'string',
  keylog: 'string',
  trace: 'boolean',
  'min-version': 'string',
  'max-version': 'string',
  tls1_2: 'boolean',
  tls1_3: 'boolean',
};

/** openssl's single-dash version flags, accepted as they are spelt there. */
export function opensslFlags(argv: string[]): string[] {
  return argv.map((a) => (a === '-tls1_2' || a === '-tls1_3' ? `-${a}` : a));
}

const VERSIONS = ['TLSv1.2', 'TLSv1.3'];

/** The help lines of SHARED_OPTIONS whose wording is the same for both commands. */
export const SHARED_HELP = `  --psk <hex>              the pre-shared key in hex (required), e.g. 32 random
                           bytes: openssl rand -hex 32
  --psk-identity <name>    the PSK identity (default: ${DEFAULT_IDENTITY}, as openssl)
  --ciphers <list>         suites to offer/accept, an OpenSSL cipher string as in
                           node:tls and openssl: TLS 1.3 suites (TLS_AES_128_GCM_SHA256,
                           TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_CCM_SHA256,
                           TLS_AES_128_CCM_8_SHA256) and TLS 1.2 PSK suites or aliases
                           (PSK-AES128-GCM-SHA256, PSK-AES256-GCM-SHA384,
                           PSK-CHACHA20-POLY1305, ECDHE-PSK-CHACHA20-POLY1305,
                           PSK-AES128-CCM, PSK-AES128-CCM8; PSK, kPSK, AESGCM ...),
                           colon-separated, in preference order. Default: the TLS 1.3
                           suites only; TLS 1.2 is spoken only with TLS 1.2 suites here.
                           The key is used with SHA-256 in TLS 1.3 (as openssl -psk), so
                           TLS_AES_256_GCM_SHA384 cannot be used there
  -tls1_2, -tls1_3         speak only TLS 1.2 / only TLS 1.3 (as openssl)
  --min-version <v>        lowest version to speak: TLSv1.2 or TLSv1.3 (default TLSv1.2)
  --max-version <v>        highest version to speak: TLSv1.2 or TLSv1.3 (default TLSv1.3)
  --groups <list>          (EC)DHE groups for psk_dhe_ke, colon-separated, in
                           preference order, as openssl -groups: X25519, P-256
                           (default: X25519:P-256; the client sends a key share
                           for the first, the server asks for its first with a
                           HelloRetryRequest when the client has not sent it)
  --alpn <list>            ALPN protocols, comma-separated, e.g. h2,http/1.1
  --max-send-fragment <n>  largest plaintext per record this side sends (512..16384)
  --keylog <file>          append the session secrets to <file> in NSS key log format
                           (SSLKEYLOGFILE) so Wireshark/tshark can decrypt a capture
  --trace                  print every record and handshake message to stderr`;

export interface PskSettings {
  identity: string;
  psk: Buffer;
  /** node:tls options for tls.connect / tls.createServer (pskCallback not included). */
  tlsOptions: Record<string, unknown>;
  keylog?: string;
}

function hexKey(v: string | boolean | undefined): Buffer {
  if (typeof v !== 'string' || v === '') throw new UsageError('--psk <hex> is required (tlsrt authenticates with a pre-shared key)');
  const hex = v.replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`--psk must be an even number of hex digits, not '${v}'`);
  return Buffer.from(hex, 'hex');
}

/** Checks the shared options and returns the PSK and the tlsrt options they mean. */
export function pskSettings(opts: ParsedOptions, pskKeModes: string[]): PskSettings {
  const psk = hexKey(opts.psk);
  const identity = (opts['psk-identity'] as string | undefined) ?? DEFAULT_IDENTITY;
  if (identity === '' || Buffer.byteLength(identity) > 255) throw new UsageError('--psk-identity must be 1 to 255 bytes');
  const tlsOptions: Record<string, unknown> = {};
  if (opts.ciphers !== undefined) tlsOptions.ciphers = opts.ciphers;
  if (opts.groups !== undefined) tlsOptions.ecdhCurve = opts.groups; // node:tls's name for the groups list
  if (opts.alpn !== undefined) {
    const list = (opts.alpn as string).split(',').map((s) => s.trim());
    if (list.some((p) => p === '' || Buffer.byteLength(p) > 255)) throw new UsageError(`--alpn must be a comma-separated list of protocol names, not '${opts.alpn}'`);
    tlsOptions.ALPNProtocols = list;
  }
  tlsOptions.pskKeyExchangeModes = opts['psk-ke'] ? pskKeModes : ['psk_dhe_ke'];
  Object.assign(tlsOptions, versionOptions(opts));
  const msf = intOption(opts, 'max-send-fragment', 512, 16384);
  if (msf !== undefined) tlsOptions.maxSendFragment = msf;
  if (opts.trace) tlsOptions.enableTrace = true;
  if (opts.keylog === '') throw new UsageError('--keylog needs a file name');
  return { identity, psk, tlsOptions, keylog: opts.keylog as string | undefined };
}

/** -tls1_2 / -tls1_3 / --min-version / --max-version as minVersion/maxVersion. */
function versionOptions(opts: ParsedOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (opts.tls1_2 && opts.tls1_3) throw new UsageError('-tls1_2 and -tls1_3 exclude each other (for both, give neither)');
  for (const [flag, key] of [['min-version', 'minVersion'], ['max-version', 'maxVersion']] as const) {
    const v = opts[flag];
    if (v === undefined) continue;
    if (opts.tls1_2 || opts.tls1_3) throw new UsageError(`--${flag} cannot be combined with -tls1_2 or -tls1_3`);
    if (typeof v !== 'string' || !VERSIONS.includes(v)) throw new UsageError(`--${flag} must be TLSv1.2 or TLSv1.3, not '${String(v)}'`);
    out[key] = v;
  }
  if (opts.tls1_2) out.minVersion = out.maxVersion = 'TLSv1.2';
  if (opts.tls1_3) out.minVersion = out.maxVersion = 'TLSv1.3';
  if (out.minVersion && out.maxVersion && out.minVersion > out.maxVersion) {
    throw new UsageError(`--min-version ${out.minVersion} is above --max-version ${out.maxVersion}`);
  }
  return out;
}

/** Lets tlsrt judge the options as it will at connect time (unknown cipher names ...), as a usage error. */
export function checkWithTlsrt(tlsOptions: Record<string, unknown>): void {
  try {
    createSecureContext(tlsOptions);
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new UsageError(`${err.message}${err.code ? ` (${err.code})` : ''}`);
  }
  // tlsrt's pskCallback keys are SHA-256 keys in TLS 1.3 (as node:tls and openssl -psk): a list
  // of only SHA-384 TLS 1.3 suites and no TLS 1.2 one leaves nothing to negotiate, which tlsrt
  // would report only at connect time.
  if (tlsOptions.ciphers) {
    const sel = selectCiphers(tlsOptions.ciphers as string);
    const tls12 = tlsOptions.maxVersion !== 'TLSv1.3' && sel.tls12.length > 0;
    if (!tls12 && sel.tls13.length && sel.tls13.every((c) => c.endsWith('_SHA384'))) {
      throw new UsageError(`--ciphers ${tlsOptions.ciphers}: a PSK is used with SHA-256, so it needs a SHA-256 suite (e.g. TLS_AES_128_GCM_SHA256)`);
    }
  }
}

export function portOption(opts: ParsedOptions, min: number): number {
  return intOption(opts, 'port', min, 65535, DEFAULT_PORT)!;
}
