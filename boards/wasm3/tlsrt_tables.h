/* Generated from abi/tables.json by tools/gen-tables.mjs; do not edit (edit the table, then npm run build). */
/* Cipher suite and named group ids for C hosts (tlsrt_config.suites, CFG_GROUPS). */
#ifndef TLSRT_TABLES_H
#define TLSRT_TABLES_H

#define TLSRT_CS_AES_128_GCM_SHA256 0x1301 /* TLSv1.3 */
#define TLSRT_CS_AES_256_GCM_SHA384 0x1302 /* TLSv1.3 */
#define TLSRT_CS_CHACHA20_POLY1305_SHA256 0x1303 /* TLSv1.3 */
#define TLSRT_CS_AES_128_CCM_SHA256 0x1304 /* TLSv1.3 */
#define TLSRT_CS_AES_128_CCM_8_SHA256 0x1305 /* TLSv1.3 */
#define TLSRT_CS_PSK_WITH_AES_128_GCM_SHA256 0x00a8 /* TLSv1.2 */
#define TLSRT_CS_PSK_WITH_AES_256_GCM_SHA384 0x00a9 /* TLSv1.2 */
#define TLSRT_CS_PSK_WITH_CHACHA20_POLY1305_SHA256 0xccab /* TLSv1.2 */
#define TLSRT_CS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 0xccac /* TLSv1.2 */
#define TLSRT_CS_PSK_WITH_AES_128_CCM 0xc0a4 /* TLSv1.2 */
#define TLSRT_CS_PSK_WITH_AES_128_CCM_8 0xc0a8 /* TLSv1.2 */

#define TLSRT_NAMED_GROUP_X25519 0x001d
#define TLSRT_NAMED_GROUP_SECP256R1 0x0017

#endif /* TLSRT_TABLES_H */
