import { SUITE_TABLE } from '../engine/tables.ts';

// The module-level constants of node:tls, with tlsrt's values. tlsrt speaks
// TLS 1.3 only, so both version defaults are 'TLSv1.3'; DEFAULT_CIPHERS lists
// the TLS 1.3 suites in OpenSSL's default order (CCM suites are available but,
// as in OpenSSL, only when named).
export const DEFAULT_MIN_VERSION = 'TLSv1.3';
export const DEFAULT_MAX_VERSION = 'TLSv1.3';
export const DEFAULT_CIPHERS = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
/** X25519 is the only group tlsrt implements; 'auto' selects it. */
export const DEFAULT_ECDH_CURVE = 'auto';
/** Renegotiation does not exist in TLS 1.3; kept for API parity with node:tls. */
export const CLIENT_RENEG_LIMIT = 3;
export const CLIENT_RENEG_WINDOW = 600;

/** The TLS 1.3 suites of abi/tables.json (src/engine/tables.ts), by IANA name. */
export const TLS13_SUITES = SUITE_TABLE.filter((s) => s.version === 0x0304).map((s) => s.name);

/** tls.getCiphers(): lower-case names, sorted, as node:tls returns them. */
export function getCiphers(): string[] {
  return TLS13_SUITES.map((s) => s.toLowerCase()).sort();
}
