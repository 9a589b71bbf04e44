// Generated from abi/tables.json by tools/gen-tables.mjs; do not edit (edit the table, then npm run build).
// What this build contains, one flag per table entry: a Node profile has
// everything; a board module (TLSRT_BOARD) only what boards/<name>.json's
// "engine" section names (src/bundle/engine-features.ts turns each name into
// asc --use TLSRT_<FLAG>=1). Constants: asc folds every `if (HAS_X && ...)`.
import { BOARD, HAS_PSK_DHE_KE, HAS_TLS12 } from "./features";

// A group is used by (EC)DHE only: psk_dhe_ke, and TLS 1.2 ECDHE-PSK suites.
// @ts-ignore: set by asc --use
export const HAS_GROUP_X25519: bool = HAS_PSK_DHE_KE && (BOARD ? isDefined(TLSRT_GROUP_X25519) : true);
// @ts-ignore: set by asc --use
export const HAS_GROUP_SECP256R1: bool = HAS_PSK_DHE_KE && (BOARD ? isDefined(TLSRT_GROUP_SECP256R1) : true);

// TLS 1.2 suites need the TLS 1.2 engine (HAS_TLS12, boards/<name>.json engine.versions); ECDHE-PSK a group.
// @ts-ignore: set by asc --use
export const HAS_SUITE_AES_128_GCM_SHA256: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_GCM_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_SUITE_AES_256_GCM_SHA384: bool = BOARD ? isDefined(TLSRT_SUITE_AES_256_GCM_SHA384) : true;
// @ts-ignore: set by asc --use
export const HAS_SUITE_CHACHA20_POLY1305_SHA256: bool = BOARD ? isDefined(TLSRT_SUITE_CHACHA20_POLY1305_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_SUITE_AES_128_CCM_SHA256: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_CCM_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_SUITE_AES_128_CCM_8_SHA256: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_CCM_8_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_SUITE_PSK_WITH_AES_128_GCM_SHA256: bool = HAS_TLS12 && (BOARD ? isDefined(TLSRT_SUITE_PSK_WITH_AES_128_GCM_SHA256) : true);
// @ts-ignore: set by asc --use
export const HAS_SUITE_PSK_WITH_AES_256_GCM_SHA384: bool = HAS_TLS12 && (BOARD ? isDefined(TLSRT_SUITE_PSK_WITH_AES_256_GCM_SHA384) : true);
// @ts-ignore: set by asc --use
export const HAS_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256: bool = HAS_TLS12 && (BOARD ? isDefined(TLSRT_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256) : true);
// @ts-ignore: set by asc --use
export const HAS_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: bool = HAS_TLS12 && (HAS_GROUP_X25519 || HAS_GROUP_SECP256R1) && (BOARD ? isDefined(TLSRT_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256) : true);
// @ts-ignore: set by asc --use
export const HAS_SUITE_PSK_WITH_AES_128_CCM: bool = HAS_TLS12 && (BOARD ? isDefined(TLSRT_SUITE_PSK_WITH_AES_128_CCM) : true);
// @ts-ignore: set by asc --use
export const HAS_SUITE_PSK_WITH_AES_128_CCM_8: bool = HAS_TLS12 && (BOARD ? isDefined(TLSRT_SUITE_PSK_WITH_AES_128_CCM_8) : true);

// An AEAD or a hash is in the module when a suite that uses it is.
export const HAS_AEAD_AES_GCM: bool = HAS_SUITE_AES_128_GCM_SHA256 || HAS_SUITE_AES_256_GCM_SHA384 || HAS_SUITE_PSK_WITH_AES_128_GCM_SHA256 || HAS_SUITE_PSK_WITH_AES_256_GCM_SHA384;
export const HAS_AEAD_CHACHA20_POLY1305: bool = HAS_SUITE_CHACHA20_POLY1305_SHA256 || HAS_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256 || HAS_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256;
export const HAS_AEAD_AES_CCM: bool = HAS_SUITE_AES_128_CCM_SHA256 || HAS_SUITE_AES_128_CCM_8_SHA256 || HAS_SUITE_PSK_WITH_AES_128_CCM || HAS_SUITE_PSK_WITH_AES_128_CCM_8;
export const HAS_HASH_SHA256: bool = HAS_SUITE_AES_128_GCM_SHA256 || HAS_SUITE_CHACHA20_POLY1305_SHA256 || HAS_SUITE_AES_128_CCM_SHA256 || HAS_SUITE_AES_128_CCM_8_SHA256 || HAS_SUITE_PSK_WITH_AES_128_GCM_SHA256 || HAS_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256 || HAS_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 || HAS_SUITE_PSK_WITH_AES_128_CCM || HAS_SUITE_PSK_WITH_AES_128_CCM_8;
export const HAS_HASH_SHA384: bool = HAS_SUITE_AES_256_GCM_SHA384 || HAS_SUITE_PSK_WITH_AES_256_GCM_SHA384;
