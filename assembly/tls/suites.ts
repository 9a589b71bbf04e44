// Cipher suites as data: every fact about a suite (its protocol version,
// hash, AEAD, key/IV/tag sizes, AEAD context size, TLS 1.2 key exchange) is
// one descriptor in tables.ts, generated from abi/tables.json. This file
// reads the descriptors; nothing in the engine names a suite's properties
// by its id. A suite this build does not contain (assembly/built.ts) is
// "known" (its id is in the table) but not "built".
import { SUITE_TABLE, SUITE_COUNT, SUITE_DESC_SIZE } from "./tables";
export { TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_CCM_SHA256,
  TLS_AES_128_CCM_8_SHA256, AEAD_AES_GCM, AEAD_CHACHA20_POLY1305, AEAD_AES_CCM, SUITE_COUNT } from "./tables";

/** suite_aead() of an id the table does not have. */
export const AEAD_NONE: i32 = 0;

// Descriptor fields (tables.ts says the layout).
const SD_ID: usize = 0;
const SD_VERSION: usize = 2;
const SD_CTX: usize = 4;
const SD_BUILT: usize = 6;
const SD_HASH: usize = 7;
const SD_AEAD: usize = 8;
const SD_KEY_LEN: usize = 9;
const SD_IV_LEN: usize = 10;
const SD_TAG_LEN: usize = 11;
const SD_RECORD_IV_LEN: usize = 12;
const SD_KX: usize = 13;

/**
 * The descriptor of `id`; for an id no entry has, the table's all-zero last
 * row (not built, no AEAD, hash 0xff, sizes 0), so every accessor below is
 * a plain load.
 */
export function suite_desc(id: u16): usize {
  let d = SUITE_TABLE;
  for (let i: i32 = 0; i < SUITE_COUNT; i++, d += SUITE_DESC_SIZE) if (load<u16>(d, SD_ID) == id) return d;
  return d;
}

/** The i-th descriptor in table order (0 <= i < SUITE_COUNT). */
// @ts-ignore: decorator
@inline export function suite_desc_at(i: i32): usize {
  return SUITE_TABLE + <usize>i * SUITE_DESC_SIZE;
}

// Fields of a descriptor.
// @ts-ignore: decorator
@inline export function sd_id(d: usize): u16 { return load<u16>(d, SD_ID); }
// @ts-ignore: decorator
@inline export function sd_built(d: usize): bool { return load<u8>(d, SD_BUILT) != 0; }
// @ts-ignore: decorator
@inline export function sd_version(d: usize): u16 { return load<u16>(d, SD_VERSION); }
// @ts-ignore: decorator
@inline export function sd_hash(d: usize): i32 { return <i32>load<u8>(d, SD_HASH); }

/** True if `suite` is in the table (whether or not this build contains it). */
export function suite_known(suite: u16): bool {
  return load<u16>(suite_desc(suite), SD_VERSION) != 0;
}

/** True if this module implements `suite`. */
export function suite_built(suite: u16): bool {
  return sd_built(suite_desc(suite));
}

/** The protocol version the suite belongs to (0x0304 TLS 1.3, 0x0303 TLS 1.2); 0 unknown. */
export function suite_version(suite: u16): u16 {
  return sd_version(suite_desc(suite));
}

/** AEAD_* family, AEAD_NONE when unknown. */
export function suite_aead(suite: u16): i32 {
  return <i32>load<u8>(suite_desc(suite), SD_AEAD);
}

/** HASH_* id of the suite's hash (HKDF, transcript, PRF); 0xff when unknown. */
export function suite_hash(suite: u16): i32 {
  return sd_hash(suite_desc(suite));
}

export function suite_key_len(suite: u16): usize {
  return <usize>load<u8>(suite_desc(suite), SD_KEY_LEN);
}

/** Bytes of the IV the key schedule derives (TLS 1.3: 12; TLS 1.2 GCM/CCM: the 4-byte fixed part). */
export function suite_iv_len(suite: u16): usize {
  return <usize>load<u8>(suite_desc(suite), SD_IV_LEN);
}

export function suite_tag_len(suite: u16): usize {
  return <usize>load<u8>(suite_desc(suite), SD_TAG_LEN);
}

/** TLS 1.2: bytes of explicit nonce sent in each record (8 for GCM/CCM); 0 for TLS 1.3. */
export function suite_record_iv_len(suite: u16): usize {
  return <usize>load<u8>(suite_desc(suite), SD_RECORD_IV_LEN);
}

/** SUITE_KX_* (tables.ts): TLS 1.2 PSK or ECDHE_PSK; SUITE_KX_TLS13 for TLS 1.3 suites. */
export function suite_kx(suite: u16): u8 {
  return load<u8>(suite_desc(suite), SD_KX);
}

/** Bytes of the suite's AEAD context (its primitive's own constant). */
export function suite_ctx_size(suite: u16): usize {
  return <usize>load<u16>(suite_desc(suite), SD_CTX);
}
