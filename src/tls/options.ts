// Validation and normalisation of node:tls options. tlsrt honours what a PSK
// device needs; any option it cannot honour (certificates, TLS 1.2, session
// tickets ...) throws an error that names it, never silently ignored.
import tls from 'node:tls';
import { alpnWire, type KxMode } from '../engine/config.ts';
import { TLS13_SUITES, DEFAULT_CIPHERS } from './constants.ts';
import { nodeError, unsupportedOption } from './errors.ts';

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
  dhparam: 'finite-field Diffie-Hellman is TLS 1.2 only; tlsrt speaks TLS 1.3 with X25519',
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
  alpn?: Uint8Array;
  maxFragmentLength?: number;
  recordSizeLimit?: number;
}

/** Throws for every option tlsrt cannot honour. `requestCert` is fine when false. */
export function rejectUnsupported(options: Record<string, unknown>): void {
  for (const [name, why] of Object.entries(UNSUPPORTED)) {
    if (options[name] !== undefined && options[name] !== null) throw unsupportedOption(name, why);
  }
  if (options.requestCert) throw unsupportedOption('requestCert', 'client certificates are not supported yet');
  if (options.honorCipherOrder) throw unsupportedOption('honorCipherOrder', 'the server follows the client\'s suite order (OpenSSL\'s default)');
  const curve = options.ecdhCurve;
  if (curve !== undefined && curve !== 'auto' && !String(curve).split(':').some((c) => c.toLowerCase() === 'x25519')) {
    throw unsupportedOption('ecdhCurve', `tlsrt implements X25519 only, not '${curve}'`);
  }
  checkVersions(options.minVersion, options.maxVersion);
}

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function checkVersions(min: unknown, max: unknown): void {
  for (const [name, v] of [['minVersion', min], ['maxVersion', max]] as const) {
    if (v === undefined) continue;
    if (typeof v !== 'string' || !VERSIONS.includes(v)) {
      throw nodeError('ERR_TLS_INVALID_PROTOCOL_VERSION', `${String(v)} is not a valid ${name === 'minVersion' ? 'min' : 'max'} TLS protocol version`, TypeError);
    }
  }
  // A range that includes TLS 1.3 is served with TLS 1.3; one that excludes it cannot be.
  if (max !== undefined && max !== 'TLSv1.3') throw unsupportedOption('maxVersion', `tlsrt speaks TLS 1.3 only, not ${max}`);
}

/**
 * TLS 1.3 suites from an OpenSSL cipher string, in order. The whole string is
 * checked the way node:tls checks it (an unknown name throws
 * ERR_SSL_NO_CIPHER_MATCH); names of TLS 1.2 ciphers are accepted and have
 * no effect, as they have none on a TLS 1.3 connection in OpenSSL either.
 */
const validCipherStrings = new Set<string>();

export function suitesFromCiphers(ciphers: unknown): string[] {
  if (ciphers === undefined) return suitesFromCiphers(DEFAULT_CIPHERS);
  if (typeof ciphers !== 'string') {
    throw nodeError('ERR_INVALID_ARG_TYPE', `The "options.ciphers" property must be of type string. Received ${typeof ciphers}`, TypeError);
  }
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

/** ALPNProtocols in any of Node's forms, as the wire-format list. */
export function alpnFromOption(v: unknown): Uint8Array | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return alpnWire(v.map((p) => (typeof p === 'string' ? p : Buffer.from(p as Uint8Array).toString('latin1'))));
  }
  if (ArrayBuffer.isView(v)) {
    const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (b.length === 0) return undefined;
    return Uint8Array.from([b.length >> 8, b.length & 0xff, ...b]);
  }
  throw nodeError('ERR_INVALID_ARG_TYPE', 'The "options.ALPNProtocols" argument must be an Array, Buffer, TypedArray or DataView', TypeError);
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
  rejectUnsupported(options);
  return {
    suites: suitesFromCiphers(options.ciphers),
    kxModes: kxModesFrom(options),
    alpn: alpnFromOption(options.ALPNProtocols),
    ...recordLimitsFrom(options),
  };
}
