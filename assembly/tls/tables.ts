// Generated from abi/tables.json by tools/gen-tables.mjs; do not edit (edit the table, then npm run build).
// The cipher-suite and key-exchange-group descriptors, as static data the
// engine reads through assembly/tls/suites.ts and assembly/tls/groups.ts
// (field offsets there). Sizes of per-slot regions are the largest among
// the entries this build contains, so a board pays only for its own.
import { HAS_SUITE_AES_128_GCM_SHA256, HAS_SUITE_AES_256_GCM_SHA384, HAS_SUITE_CHACHA20_POLY1305_SHA256, HAS_SUITE_AES_128_CCM_SHA256, HAS_SUITE_AES_128_CCM_8_SHA256, HAS_SUITE_PSK_WITH_AES_128_GCM_SHA256, HAS_SUITE_PSK_WITH_AES_256_GCM_SHA384, HAS_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256, HAS_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, HAS_SUITE_PSK_WITH_AES_128_CCM, HAS_SUITE_PSK_WITH_AES_128_CCM_8, HAS_AEAD_AES_GCM, HAS_AEAD_CHACHA20_POLY1305, HAS_AEAD_AES_CCM, HAS_GROUP_X25519, HAS_GROUP_SECP256R1 } from "../built";
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
import { GCM_CTX_BYTES } from "../crypto/gcm";
import { CCM_CTX_BYTES } from "../crypto/ccm";

// AEAD families (the dispatch in aead.ts).
export const AEAD_AES_GCM: u8 = 1; // AES-GCM (crypto/gcm.ts): the AES key schedule and the GHASH key
export const AEAD_CHACHA20_POLY1305: u8 = 2; // ChaCha20-Poly1305 (crypto/chacha20poly1305.ts): no key schedule, the context is the raw key
export const AEAD_AES_CCM: u8 = 3; // AES-CCM (crypto/ccm.ts): the AES key schedule

// Cipher suites (IANA ids).
export const TLS_AES_128_GCM_SHA256: u16 = 0x1301;
export const TLS_AES_256_GCM_SHA384: u16 = 0x1302;
export const TLS_CHACHA20_POLY1305_SHA256: u16 = 0x1303;
export const TLS_AES_128_CCM_SHA256: u16 = 0x1304;
export const TLS_AES_128_CCM_8_SHA256: u16 = 0x1305;
export const TLS_PSK_WITH_AES_128_GCM_SHA256: u16 = 0x00a8;
export const TLS_PSK_WITH_AES_256_GCM_SHA384: u16 = 0x00a9;
export const TLS_PSK_WITH_CHACHA20_POLY1305_SHA256: u16 = 0xccab;
export const TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: u16 = 0xccac;
export const TLS_PSK_WITH_AES_128_CCM: u16 = 0xc0a4;
export const TLS_PSK_WITH_AES_128_CCM_8: u16 = 0xc0a8;

// Key-exchange groups (IANA NamedGroup ids) and their primitives (the dispatch in groups.ts).
export const GROUP_X25519: u16 = 0x001d;
export const GROUP_SECP256R1: u16 = 0x0017;
export const GK_X25519: u8 = 1;
export const GK_P256: u8 = 2;
/** SUITE_KX_*: how a TLS 1.2 suite exchanges keys (TLS 1.3 suites: psk_key_exchange_modes). */
export const SUITE_KX_TLS13: u8 = 0;
export const SUITE_KX_PSK: u8 = 1;
export const SUITE_KX_ECDHE_PSK: u8 = 2;

export const SUITE_COUNT: i32 = 11;
/** Bytes per suite descriptor: id u16, version u16, ctx u16, built u8, hash u8, aead u8, keyLen u8, ivLen u8, tagLen u8, recordIvLen u8, kx u8, 2 spare. */
export const SUITE_DESC_SIZE: usize = 16;
export const SUITE_TABLE = memory.data<u8>([
  1, 19, 4, 3, <u8>(GCM_CTX_BYTES & 0xff), <u8>(GCM_CTX_BYTES >> 8), HAS_SUITE_AES_128_GCM_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_GCM, 16, 12, 16, 0, SUITE_KX_TLS13, 0, 0, // TLS_AES_128_GCM_SHA256
  2, 19, 4, 3, <u8>(GCM_CTX_BYTES & 0xff), <u8>(GCM_CTX_BYTES >> 8), HAS_SUITE_AES_256_GCM_SHA384 ? 1 : 0, <u8>HASH_SHA384, AEAD_AES_GCM, 32, 12, 16, 0, SUITE_KX_TLS13, 0, 0, // TLS_AES_256_GCM_SHA384
  3, 19, 4, 3, <u8>(32 & 0xff), <u8>(32 >> 8), HAS_SUITE_CHACHA20_POLY1305_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, 12, 16, 0, SUITE_KX_TLS13, 0, 0, // TLS_CHACHA20_POLY1305_SHA256
  4, 19, 4, 3, <u8>(CCM_CTX_BYTES & 0xff), <u8>(CCM_CTX_BYTES >> 8), HAS_SUITE_AES_128_CCM_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_CCM, 16, 12, 16, 0, SUITE_KX_TLS13, 0, 0, // TLS_AES_128_CCM_SHA256
  5, 19, 4, 3, <u8>(CCM_CTX_BYTES & 0xff), <u8>(CCM_CTX_BYTES >> 8), HAS_SUITE_AES_128_CCM_8_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_CCM, 16, 12, 8, 0, SUITE_KX_TLS13, 0, 0, // TLS_AES_128_CCM_8_SHA256
  168, 0, 3, 3, <u8>(GCM_CTX_BYTES & 0xff), <u8>(GCM_CTX_BYTES >> 8), HAS_SUITE_PSK_WITH_AES_128_GCM_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_GCM, 16, 4, 16, 8, SUITE_KX_PSK, 0, 0, // TLS_PSK_WITH_AES_128_GCM_SHA256
  169, 0, 3, 3, <u8>(GCM_CTX_BYTES & 0xff), <u8>(GCM_CTX_BYTES >> 8), HAS_SUITE_PSK_WITH_AES_256_GCM_SHA384 ? 1 : 0, <u8>HASH_SHA384, AEAD_AES_GCM, 32, 4, 16, 8, SUITE_KX_PSK, 0, 0, // TLS_PSK_WITH_AES_256_GCM_SHA384
  171, 204, 3, 3, <u8>(32 & 0xff), <u8>(32 >> 8), HAS_SUITE_PSK_WITH_CHACHA20_POLY1305_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, 12, 16, 0, SUITE_KX_PSK, 0, 0, // TLS_PSK_WITH_CHACHA20_POLY1305_SHA256
  172, 204, 3, 3, <u8>(32 & 0xff), <u8>(32 >> 8), HAS_SUITE_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 ? 1 : 0, <u8>HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, 12, 16, 0, SUITE_KX_ECDHE_PSK, 0, 0, // TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
  164, 192, 3, 3, <u8>(CCM_CTX_BYTES & 0xff), <u8>(CCM_CTX_BYTES >> 8), HAS_SUITE_PSK_WITH_AES_128_CCM ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_CCM, 16, 4, 16, 8, SUITE_KX_PSK, 0, 0, // TLS_PSK_WITH_AES_128_CCM
  168, 192, 3, 3, <u8>(CCM_CTX_BYTES & 0xff), <u8>(CCM_CTX_BYTES >> 8), HAS_SUITE_PSK_WITH_AES_128_CCM_8 ? 1 : 0, <u8>HASH_SHA256, AEAD_AES_CCM, 16, 4, 8, 8, SUITE_KX_PSK, 0, 0, // TLS_PSK_WITH_AES_128_CCM_8
  0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, // no such suite: what suite_desc() returns for an id not above (hash 0xff: none)
]);

// The largest AEAD context among the suites this build contains (the slot reserves it per direction).
const CTX_0: usize = HAS_AEAD_AES_GCM ? <usize>GCM_CTX_BYTES : 0;
const CTX_1: usize = HAS_AEAD_CHACHA20_POLY1305 ? <usize>32 : 0;
const CTX_2: usize = HAS_AEAD_AES_CCM ? <usize>CCM_CTX_BYTES : 0;
const CTX_UP_1: usize = CTX_0 > CTX_1 ? CTX_0 : CTX_1;
const CTX_UP_2: usize = CTX_UP_1 > CTX_2 ? CTX_UP_1 : CTX_2;
export const AEAD_CTX_MAX: usize = CTX_UP_2;

export const GROUP_COUNT: i32 = 2;
/** Bytes per group descriptor: id u16, built u8, primitive u8, shareLen u8, privLen u8, secretLen u8, 1 spare. */
export const GROUP_DESC_SIZE: usize = 8;
export const GROUP_TABLE = memory.data<u8>([
  29, 0, HAS_GROUP_X25519 ? 1 : 0, GK_X25519, 32, 32, 32, 0, // x25519
  23, 0, HAS_GROUP_SECP256R1 ? 1 : 0, GK_P256, 65, 32, 32, 0, // secp256r1
  0, 0, 0, 0, 0, 0, 0, 0, // no such group: what group_desc() returns for an id not above or not built
]);
/** How many groups this build contains: with fewer than two, no HelloRetryRequest can ask for another one. */
export const GROUPS_BUILT: i32 = (HAS_GROUP_X25519 ? 1 : 0) + (HAS_GROUP_SECP256R1 ? 1 : 0);

// The largest key share, private key and shared secret among the groups this build contains.
const KX_SHARE_0: usize = HAS_GROUP_X25519 ? <usize>32 : 0;
const KX_SHARE_1: usize = HAS_GROUP_SECP256R1 ? <usize>65 : 0;
const KX_SHARE_UP_1: usize = KX_SHARE_0 > KX_SHARE_1 ? KX_SHARE_0 : KX_SHARE_1;
export const KX_SHARE_MAX: usize = KX_SHARE_UP_1;
const KX_PRIV_0: usize = HAS_GROUP_X25519 ? <usize>32 : 0;
const KX_PRIV_1: usize = HAS_GROUP_SECP256R1 ? <usize>32 : 0;
const KX_PRIV_UP_1: usize = KX_PRIV_0 > KX_PRIV_1 ? KX_PRIV_0 : KX_PRIV_1;
export const KX_PRIV_MAX: usize = KX_PRIV_UP_1;
const KX_SECRET_0: usize = HAS_GROUP_X25519 ? <usize>32 : 0;
const KX_SECRET_1: usize = HAS_GROUP_SECP256R1 ? <usize>32 : 0;
const KX_SECRET_UP_1: usize = KX_SECRET_0 > KX_SECRET_1 ? KX_SECRET_0 : KX_SECRET_1;
export const KX_SECRET_MAX: usize = KX_SECRET_UP_1;
