// Validation and normalisation of node:tls options. tlsrt honours what a PSK
// device needs; any option it cannot honour (certificates, TLS 1.2, session
// tickets ...) throws an error that names it, never silently ignored.
import tls from 'node:tls';
import type { KxMode } from '../engine/config.ts';
import { TLS13_SUITES, DEFAULT_CIPHERS } from './constants.ts';
import { nodeError, unsupportedOption } from './errors.ts';
import { validateInteger, validateString, outOfRange } from './validators.ts';
import { groupsFromEcdhCurve, type GroupName } from './ecdh-curve.ts';

/** Options that only make sense with certificates or TLS 1.2, and what to do instead. */
const UNSUPPORTED: Record<string, string> = {
  key: 'tlsrt authenticates with pre-shared keys only (pskCallback); certificates are not supported yet',
  cert: 'tlsrt authenticates with pre-shared keys only (pskCallback); certificates are not supported yet',
  pfx: 'tlsrt authenticates with pre-shared keys only (pskCallback); certificates are not supported yet',
  ca: 'tlsrt authenticates with pre-shared keys only (pskCallback); certificate validation is not supported yet',
  crl: 'certificate revocation lists need certificates, which tlsrt does not support yet',
  passphrase: 'private keys need certificates, which tlsrt does not support yet',
  sigalgs: 'signature algorithms need certificates, which tlsrt does not support yet',
  privateKeyEngine: 'OpenSSL engines do not exist in tlsrt',
  privateKeyIdentifier: 'OpenSSL engines do not exist in tlsrt',
  clientCertEngine: 'OpenSSL engines do not exist in tlsrt',
  dhparam: 'finite-field Diffie-Hellman is TLS 1.2 only; tlsrt speaks TLS 1.3 with X25519 or P-256',
  secureProtocol: 'tlsrt speaks TLS 1.3 only; use minVersion/maxVersion',
  session: 'session resumption (tickets) is not supported yet',
  ticketKeys: 'session tickets are not supported yet',
  sessionTimeout: 'session tickets are not supported yet',
  sessionIdContext: 'session resumption is not supported yet',
  requestOCSP: 'OCSP stapling needs certificates, which tlsrt does not support yet',
  privateKeyEngineId: 'OpenSSL engines do not exist in tlsrt',
};

export interface NormalizedOptions {
  suites: string[];
  kxModes: KxMode[];
  /** (EC)DHE groups in preference order (ecdhCurve); undefined: the engine's default. */
  groups?: GroupName[];
  alpn?: Uint8Array;
  maxFragmentLength?: number;
  recordSizeLimit?: number;
}

/**
 * The type checks node:tls's createSecureContext makes, in its order, before
 * tlsrt looks at what it can honour: a wrong type is ERR_INVALID_ARG_TYPE (or
 * ERR_TLS_INVALID_PROTOCOL_VERSION) as in node, never "unsupported".
 */
export function validateContextOptions(options: Record<string, unknown>): void {
  checkVersions(options.minVersion, options.maxVersion);
  if (options.secureOptions) validateInteger(options.secureOptions, 'secureOptions');
  if (options.ciphers !== undefined && options.ciphers !== null) validateString(options.ciphers, 'options.ciphers');
  if (options.ecdhCurve !== undefined) validateString(options.ecdhCurve, 'options.ecdhCurve');
  if (options.sessionIdContext !== undefined && options.sessionIdContext !== null) validateString(options.sessionIdContext, 'options.sessionIdContext');
}

/** Throws for every option tlsrt cannot honour. `requestCert` is fine when false. */
export function rejectUnsupported(options: Record<string, unknown>): void {
  for (const [name, why] of Object.entries(UNSUPPORTED)) {
    if (options[name] !== undefined && options[name] !== null) throw unsupportedOption(name, why);
  }
  if (options.requestCert) throw unsupportedOption('requestCert', 'client certificates are not supported yet');
  if (options.honorCipherOrder) throw unsupportedOption('honorCipherOrder', 'the server follows the client\'s suite order (OpenSSL\'s default)');
  groupsFromEcdhCurve(options.ecdhCurve as string | undefined); // throws for a list without a group tlsrt has
  // A range that includes TLS 1.3 is served with TLS 1.3; one that excludes it cannot be.
  const max = options.maxVersion;
  if (max !== undefined && max !== null && max !== 'TLSv1.3') throw unsupportedOption('maxVersion', `tlsrt speaks TLS 1.3 only, not ${max}`);
}

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** node's toV(): null/undefined mean the default; anything else must be a version name. */
function checkVersions(min: unknown, max: unknown): void {
  for (const [which, v] of [['minimum', min], ['maximum', max]] as const) {
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !VERSIONS.includes(v)) {
      throw nodeError('ERR_TLS_INVALID_PROTOCOL_VERSION', `${JSON.stringify(v) ?? String(v)} is not a valid ${which} TLS protocol version`, TypeError);
    }
  }
}

/**
 * TLS 1.3 suites from an OpenSSL cipher string, in order. The whole string is
 * checked the way node:tls checks it (an unknown name throws
 * ERR_SSL_NO_CIPHER_MATCH); names of TLS 1.2 ciphers are accepted and have
 * no effect, as they have none on a TLS 1.3 connection in OpenSSL either.
 */
const validCipherStrings = new Set<string>();

export function suitesFromCiphers(ciphers: unknown): string[] {
  if (ciphers === undefined || ciphers === null) return suitesFromCiphers(DEFAULT_CIPHERS);
  validateString(ciphers, 'options.ciphers');
  // Let node:tls (OpenSSL) judge the syntax and names: its error is the one
  // users expect. Building an OpenSSL context is costly, so a string that
  // passed once is remembered (a client connecting in a loop re-validates it).
  if (!validCipherStrings.has(ciphers)) {
    tls.createSecureContext({ ciphers });
    validCipherStrings.add(ciphers);
  }
  const named = ciphers
    .split(/[:, ]+/)
    .map((t) => t.trim())
    .filter((t) => TLS13_SUITES.includes(t));
  return named.length ? [...new Set(named)] : suitesFromCiphers(DEFAULT_CIPHERS);
}

/**
 * tls.convertALPNProtocols(protocols, out), as node:tls: an array of names
 * becomes the length-prefixed list in a Buffer (a name over 255 bytes is
 * ERR_OUT_OF_RANGE), a Buffer/TypedArray/DataView is copied; anything else
 * leaves `out` as it was.
 */
export function convertALPNProtocols(protocols: unknown, out: { ALPNProtocols?: unknown }): void {
  if (Array.isArray(protocols)) {
    const lens = protocols.map((p, i) => {
      const len = Buffer.byteLength(p as string);
      if (len > 255) throw outOfRange(`The byte length of the protocol at index ${i} exceeds the maximum length.`, '<= 255', len, true);
      return len;
    });
    const buf = Buffer.allocUnsafe(lens.reduce((n, l) => n + 1 + l, 0));
    let off = 0;
    protocols.forEach((p, i) => {
      buf[off++] = lens[i];
      buf.write(p as string, off);
      off += lens[i];
    });
    out.ALPNProtocols = buf;
  } else if (ArrayBuffer.isView(protocols)) {
    out.ALPNProtocols = Buffer.from(protocols.buffer.slice(protocols.byteOffset, protocols.byteOffset + protocols.byteLength));
  }
}

/** ALPNProtocols in any of Node's forms, as the engine's list (2-byte length, then node's wire list). */
export function alpnFromOption(v: unknown): Uint8Array | undefined {
  if (v === undefined || v === null) return undefined;
  const out: { ALPNProtocols?: Buffer } = {};
  convertALPNProtocols(v, out);
  // node:tls hands anything else to its native setALPNProtocols, which throws this.
  if (!out.ALPNProtocols) throw new TypeError('Must give a Buffer as first argument');
  const b = out.ALPNProtocols;
  if (b.length === 0) return undefined;
  return Uint8Array.from([b.length >> 8, b.length & 0xff, ...b]);
}

/** pskKeyExchangeModes, with SSL_OP_ALLOW_NO_DHE_KEX adding psk_ke as in OpenSSL. */
export function kxModesFrom(options: Record<string, unknown>): KxMode[] {
  const v = options.pskKeyExchangeModes;
  let modes: KxMode[];
  if (v === undefined) modes = ['psk_dhe_ke'];
  else if (Array.isArray(v) && v.length && v.every((m) => m === 'psk_ke' || m === 'psk_dhe_ke')) modes = [...new Set(v as KxMode[])];
  else throw nodeError('ERR_INVALID_ARG_VALUE', `The property 'options.pskKeyExchangeModes' must be a non-empty array of 'psk_ke' and 'psk_dhe_ke'. Received ${JSON.stringify(v)}`, TypeError);
  const ALLOW_NO_DHE_KEX = 1024; // SSL_OP_ALLOW_NO_DHE_KEX
  if (typeof options.secureOptions === 'number' && options.secureOptions & ALLOW_NO_DHE_KEX && !modes.includes('psk_ke')) modes.push('psk_ke');
  return modes;
}

/** tlsrt's own options for constrained peers. */
export function recordLimitsFrom(options: Record<string, unknown>): { maxFragmentLength?: number; recordSizeLimit?: number } {
  const out: { maxFragmentLength?: number; recordSizeLimit?: number } = {};
  if (options.maxFragmentLength !== undefined) {
    if (![512, 1024, 2048, 4096].includes(options.maxFragmentLength as number)) {
      throw nodeError('ERR_OUT_OF_RANGE', `The value of "options.maxFragmentLength" must be 512, 1024, 2048 or 4096. Received ${String(options.maxFragmentLength)}`, RangeError);
    }
    out.maxFragmentLength = options.maxFragmentLength as number;
  }
  if (options.recordSizeLimit !== undefined) {
    const n = options.recordSizeLimit as number;
    if (!Number.isInteger(n) || n < 64 || n > 16385) {
      throw nodeError('ERR_OUT_OF_RANGE', `The value of "options.recordSizeLimit" must be an integer from 64 to 16385. Received ${String(n)}`, RangeError);
    }
    out.recordSizeLimit = n;
  }
  return out;
}

export function normalize(options: Record<string, unknown>): NormalizedOptions {
  validateContextOptions(options);
  rejectUnsupported(options);
  return {
    suites: suitesFromCiphers(options.ciphers),
    kxModes: kxModesFrom(options),
    groups: groupsFromEcdhCurve(options.ecdhCurve as string | undefined),
    alpn: alpnFromOption(options.ALPNProtocols),
    ...recordLimitsFrom(options),
  };
}
