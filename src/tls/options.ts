// Validation and normalisation of node:tls options. tlsrt honours what a PSK
// device needs; any option it cannot honour (certificates, session tickets
// ...) throws an error that names it, never silently ignored.
import type { KxMode, TlsVersion } from '../engine/config.ts';
import { nodeError, unsupportedOption } from './errors.ts';
import { validateInteger, validateString, outOfRange } from './validators.ts';
import { groupsFromEcdhCurve, type GroupName } from './ecdh-curve.ts';
import { selectCiphers } from './cipher-string.ts';
import { tlsDefaults } from './defaults.ts';
import { resolveVersions, TLS1_2, TLS1_3 } from './versions.ts';

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
  dhparam: 'finite-field Diffie-Hellman suites (DHE-PSK) are not implemented; tlsrt uses ECDHE (X25519, P-256)',
  session: 'session resumption (tickets) is not supported yet',
  ticketKeys: 'session tickets are not supported yet',
  sessionTimeout: 'session tickets are not supported yet',
  sessionIdContext: 'session resumption is not supported yet',
  requestOCSP: 'OCSP stapling needs certificates, which tlsrt does not support yet',
  privateKeyEngineId: 'OpenSSL engines do not exist in tlsrt',
};

export interface NormalizedOptions {
  /** Engine suites: the TLS 1.3 ones (if TLS 1.3 is in range), then the TLS 1.2 ones (if TLS 1.2 is). */
  suites: string[];
  kxModes: KxMode[];
  /** (EC)DHE groups in preference order (ecdhCurve); undefined: the engine's default. */
  groups?: GroupName[];
  alpn?: Uint8Array;
  maxFragmentLength?: number;
  recordSizeLimit?: number;
  minVersion: TlsVersion;
  maxVersion: TlsVersion;
  /**
   * Why no handshake can start with these options (OpenSSL's reason, as
   * node:tls reports it at each handshake), e.g. a version range that holds
   * neither TLS 1.2 nor TLS 1.3.
   */
  unusable?: { reason: string; detail: string };
  /** secureProtocol named a *_client_method or *_server_method. */
  methodRole?: 'client' | 'server';
}

/**
 * The type checks node:tls's createSecureContext makes, in its order, before
 * tlsrt looks at what it can honour: a wrong type is ERR_INVALID_ARG_TYPE (or
 * ERR_TLS_INVALID_PROTOCOL_VERSION) as in node, never "unsupported".
 */
export function validateContextOptions(options: Record<string, unknown>): void {
  resolveVersions(options, false); // the version checks node makes first (they throw)
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
}

/**
 * The suites and version range of a context: the cipher string read as
 * node:tls reads it (src/tls/cipher-string.ts), the range as node works it
 * out (src/tls/versions.ts), and what of both tlsrt can speak.
 */
export function protocolsFrom(options: Record<string, unknown>): Pick<NormalizedOptions, 'suites' | 'minVersion' | 'maxVersion' | 'unusable' | 'methodRole'> {
  // node: a falsy `ciphers` means the default.
  const ciphers = options.ciphers || tlsDefaults.ciphers;
  validateString(ciphers, 'options.ciphers');
  const sel = selectCiphers(ciphers);
  const range = resolveVersions(options, sel.tls12Cleared);
  const out = { methodRole: range.methodRole, minVersion: 'TLSv1.3' as TlsVersion, maxVersion: 'TLSv1.3' as TlsVersion };
  if (range.min === null || range.max === null) {
    return {
      ...out, suites: sel.tls13,
      unusable: { reason: 'no protocols available', detail: ` (tlsrt speaks TLSv1.2 and TLSv1.3; the range ${range.asked} holds neither)` },
    };
  }
  const suites = [...(range.max === TLS1_3 ? sel.tls13 : []), ...(range.min === TLS1_2 ? sel.tls12 : [])];
  const has12 = range.min === TLS1_2 && sel.tls12.length > 0;
  const has13 = range.max === TLS1_3 && sel.tls13.length > 0;
  if (!has12 && !has13) {
    return { ...out, suites, unusable: { reason: 'no ciphers available', detail: ` (no suite tlsrt implements is selected for ${range.asked})` } };
  }
  return { ...out, suites, minVersion: has12 ? 'TLSv1.2' : 'TLSv1.3', maxVersion: has13 ? 'TLSv1.3' : 'TLSv1.2' };
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
    ...protocolsFrom(options),
    kxModes: kxModesFrom(options),
    groups: groupsFromEcdhCurve(options.ecdhCurve as string | undefined),
    alpn: alpnFromOption(options.ALPNProtocols),
    ...recordLimitsFrom(options),
  };
}
