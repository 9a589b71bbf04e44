// The module-level constants of node:tls, with tlsrt's values (the initial
// ones: the default export's DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION and
// DEFAULT_CIPHERS are assignable, src/tls/defaults.ts). Versions as node's
// defaults; DEFAULT_CIPHERS lists the TLS 1.3 suites in OpenSSL's default
// order and no TLS 1.2 suite, as node's default has none for PSK ('!PSK').
import { tlsDefaults } from './defaults.ts';
import { SUITE_TABLE } from '../engine/tables.ts';

export const DEFAULT_MIN_VERSION = tlsDefaults.minVersion as string;
export const DEFAULT_MAX_VERSION = tlsDefaults.maxVersion as string;
export const DEFAULT_CIPHERS = tlsDefaults.ciphers as string;
/** X25519 is the only group tlsrt implements; 'auto' selects it. */
export const DEFAULT_ECDH_CURVE = 'auto';
/** Renegotiation does not exist in TLS 1.3; kept for API parity with node:tls. */
export const CLIENT_RENEG_LIMIT = 3;
export const CLIENT_RENEG_WINDOW = 600;

/** The TLS 1.3 suites of abi/tables.json (src/engine/tables.ts), by IANA name. */
export const TLS13_SUITES = SUITE_TABLE.filter((s) => s.version === 0x0304).map((s) => s.name);

/**
 * TLS 1.2 suites tlsrt implements that node's tls.getCiphers() lists, by
 * OpenSSL name (node lists OpenSSL's default set, which leaves out the CCM
 * suites: they work when named, in node:tls and in tlsrt, but are not listed).
 */
const LISTED_TLS12 = SUITE_TABLE.filter((s) => s.version === 0x0303 && s.aead !== 'aes_ccm').map((s) => s.openssl);

/** tls.getCiphers(): lower-case names, sorted, as node:tls returns them. */
export function getCiphers(): string[] {
  return [...TLS13_SUITES, ...LISTED_TLS12].map((s) => s.toLowerCase()).sort();
}
