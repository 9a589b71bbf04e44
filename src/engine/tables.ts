// Generated from abi/tables.json by tools/gen-tables.mjs; do not edit (edit the table, then npm run build).
// The cipher suites and key-exchange groups, for the Node host (src/engine, src/tls,
// the CLI) and the board tooling (src/bundle): ids, IANA and OpenSSL names, and the
// build flag a board selects them by (assembly/built.ts).

export interface SuiteDescriptor {
  readonly id: number;
  /** IANA name, as node:tls and boards/<name>.json spell it. */
  readonly name: string;
  readonly openssl: string;
  /** Protocol version the suite belongs to: 0x0303 TLS 1.2, 0x0304 TLS 1.3. */
  readonly version: number;
  readonly versionName: 'TLSv1.2' | 'TLSv1.3';
  readonly hash: string;
  readonly hashLen: number;
  readonly aead: string;
  readonly keyLen: number;
  readonly ivLen: number;
  readonly tagLen: number;
  readonly recordIvLen: number;
  readonly kx: string;
  /** asc --use TLSRT_<feature>=1 puts it in a board module. */
  readonly feature: string;
}

export interface GroupDescriptor {
  readonly id: number;
  readonly name: string;
  readonly openssl: string;
  readonly shareLen: number;
  readonly feature: string;
}

export const SUITE_TABLE: readonly SuiteDescriptor[] = [
  { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', openssl: 'TLS_AES_128_GCM_SHA256', version: 0x0304, versionName: 'TLSv1.3', hash: 'sha256', hashLen: 32, aead: 'aes_gcm', keyLen: 16, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'tls13', feature: 'SUITE_AES_128_GCM_SHA256' },
  { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', openssl: 'TLS_AES_256_GCM_SHA384', version: 0x0304, versionName: 'TLSv1.3', hash: 'sha384', hashLen: 48, aead: 'aes_gcm', keyLen: 32, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'tls13', feature: 'SUITE_AES_256_GCM_SHA384' },
  { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', openssl: 'TLS_CHACHA20_POLY1305_SHA256', version: 0x0304, versionName: 'TLSv1.3', hash: 'sha256', hashLen: 32, aead: 'chacha20_poly1305', keyLen: 32, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'tls13', feature: 'SUITE_CHACHA20_POLY1305_SHA256' },
  { id: 0x1304, name: 'TLS_AES_128_CCM_SHA256', openssl: 'TLS_AES_128_CCM_SHA256', version: 0x0304, versionName: 'TLSv1.3', hash: 'sha256', hashLen: 32, aead: 'aes_ccm', keyLen: 16, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'tls13', feature: 'SUITE_AES_128_CCM_SHA256' },
  { id: 0x1305, name: 'TLS_AES_128_CCM_8_SHA256', openssl: 'TLS_AES_128_CCM_8_SHA256', version: 0x0304, versionName: 'TLSv1.3', hash: 'sha256', hashLen: 32, aead: 'aes_ccm', keyLen: 16, ivLen: 12, tagLen: 8, recordIvLen: 0, kx: 'tls13', feature: 'SUITE_AES_128_CCM_8_SHA256' },
  { id: 0x00a8, name: 'TLS_PSK_WITH_AES_128_GCM_SHA256', openssl: 'PSK-AES128-GCM-SHA256', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha256', hashLen: 32, aead: 'aes_gcm', keyLen: 16, ivLen: 4, tagLen: 16, recordIvLen: 8, kx: 'psk', feature: 'SUITE_PSK_WITH_AES_128_GCM_SHA256' },
  { id: 0x00a9, name: 'TLS_PSK_WITH_AES_256_GCM_SHA384', openssl: 'PSK-AES256-GCM-SHA384', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha384', hashLen: 48, aead: 'aes_gcm', keyLen: 32, ivLen: 4, tagLen: 16, recordIvLen: 8, kx: 'psk', feature: 'SUITE_PSK_WITH_AES_256_GCM_SHA384' },
  { id: 0xccab, name: 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', openssl: 'PSK-CHACHA20-POLY1305', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha256', hashLen: 32, aead: 'chacha20_poly1305', keyLen: 32, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'psk', feature: 'SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256' },
  { id: 0xccac, name: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', openssl: 'ECDHE-PSK-CHACHA20-POLY1305', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha256', hashLen: 32, aead: 'chacha20_poly1305', keyLen: 32, ivLen: 12, tagLen: 16, recordIvLen: 0, kx: 'ecdhe_psk', feature: 'SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256' },
  { id: 0xc0a4, name: 'TLS_PSK_WITH_AES_128_CCM', openssl: 'PSK-AES128-CCM', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha256', hashLen: 32, aead: 'aes_ccm', keyLen: 16, ivLen: 4, tagLen: 16, recordIvLen: 8, kx: 'psk', feature: 'SUITE_PSK_WITH_AES_128_CCM' },
  { id: 0xc0a8, name: 'TLS_PSK_WITH_AES_128_CCM_8', openssl: 'PSK-AES128-CCM8', version: 0x0303, versionName: 'TLSv1.2', hash: 'sha256', hashLen: 32, aead: 'aes_ccm', keyLen: 16, ivLen: 4, tagLen: 8, recordIvLen: 8, kx: 'psk', feature: 'SUITE_PSK_WITH_AES_128_CCM_8' },
];

export const GROUP_TABLE: readonly GroupDescriptor[] = [
  { id: 0x001d, name: 'x25519', openssl: 'X25519', shareLen: 32, feature: 'GROUP_X25519' },
  { id: 0x0017, name: 'secp256r1', openssl: 'P-256', shareLen: 65, feature: 'GROUP_SECP256R1' },
];
