// AES-GCM (NIST SP 800-38D) with AES-128 or AES-256, 16-byte tags on seal,
// 12..16-byte tags accepted on open. Built from the bitsliced AES in aes.ts
// (CTR keystream, four blocks per pass) and the constant-time GHASH in
// ghash.ts, so nothing here indexes memory or branches on secret data.
//
// Nonces: any length >= 1. 12 bytes (what TLS uses) is the fast path
// J0 = nonce || 0^31 || 1; other lengths are GHASHed with their bit length as
// SP 800-38D section 7.1 says.
//
// open() authenticates the ciphertext BEFORE decrypting anything, compares
// tags with ct_equal, and on failure zeroes the output buffer and returns 0.
//
// Context (GCM_CTX_SIZE = 1016 bytes, any alignment):
//   +0    AES key schedule (AES_KS_SIZE = 968)
//   +968  GHASH state with H = AES_K(0^128) (GHASH_CTX_SIZE = 48)
import { ct_equal, wipe } from "./ct";
import { AES_KS_BYTES, aes_key_schedule, aes_encrypt_block, aes_ctr32_xor } from "./aes";
import { GHASH_CTX_BYTES, ghash_init, ghash_reset, ghash_update, ghash_block_words, ghash_value } from "./ghash";

const GHASH_OFF: usize = AES_KS_BYTES;
export const GCM_CTX_BYTES: usize = AES_KS_BYTES + GHASH_CTX_BYTES;

/** Bytes a GCM context occupies. */
export function GCM_CTX_SIZE(): usize {
  return GCM_CTX_BYTES;
}

// Scratch (wiped after each call): pre-counter block J0, running counter,
// E_K(J0), computed tag.
// @ts-ignore: decorator
@lazy const J0 = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const CTR = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const EJ0 = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const TAG = memory.data(16, 16);

/** Keys the context with a 16- or 32-byte AES key. Returns 1, or 0 for a bad key length. */
export function gcm_init(ctx: usize, key: usize, keyLen: usize): i32 {
  if (aes_key_schedule(ctx, key, keyLen) == 0) return 0;
  memory.fill(TAG, 0, 16);
  aes_encrypt_block(ctx, TAG, TAG); // H = E_K(0^128)
  ghash_init(ctx + GHASH_OFF, TAG);
  wipe(TAG, 16);
  return 1;
}

// J0 from the nonce; leaves the GHASH running value cleared.
function derive_j0(ctx: usize, nonce: usize, nonceLen: usize): void {
  const gh = ctx + GHASH_OFF;
  if (nonceLen == 12) {
    memory.copy(J0, nonce, 12);
    store<u32>(J0, bswap<u32>(1), 12);
  } else {
    ghash_reset(gh);
    ghash_update(gh, nonce, nonceLen);
    ghash_block_words(gh, 0, <u64>nonceLen << 3);
    ghash_value(gh, J0);
  }
  ghash_reset(gh);
}

// Tag = E_K(J0) ^ GHASH(aad, ct, lengths) into TAG. `ct` is the ciphertext.
function compute_tag(ctx: usize, aad: usize, aadLen: usize, ct: usize, len: usize): void {
  const gh = ctx + GHASH_OFF;
  ghash_update(gh, aad, aadLen);
  ghash_update(gh, ct, len);
  ghash_block_words(gh, <u64>aadLen << 3, <u64>len << 3);
  ghash_value(gh, TAG);
  aes_encrypt_block(ctx, J0, EJ0);
  store<u64>(TAG, load<u64>(TAG, 0) ^ load<u64>(EJ0, 0), 0);
  store<u64>(TAG, load<u64>(TAG, 8) ^ load<u64>(EJ0, 8), 8);
  ghash_reset(gh);
}

// Counter block for the payload: inc32(J0).
// @ts-ignore: decorator
@inline function start_counter(): void {
  memory.copy(CTR, J0, 16);
  store<u32>(CTR, bswap<u32>(bswap<u32>(load<u32>(J0, 12)) + 1), 12);
}

function wipe_scratch(): void {
  wipe(J0, 16);
  wipe(CTR, 16);
  wipe(EJ0, 16);
  wipe(TAG, 16);
}

/**
 * Encrypts `len` bytes `in` -> `out` (in place allowed) and writes the
 * 16-byte tag to `tag`. Returns 1, or 0 if nonceLen == 0.
 */
export function gcm_seal(
  ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize,
): i32 {
  if (nonceLen == 0) return 0;
  derive_j0(ctx, nonce, nonceLen);
  start_counter();
  aes_ctr32_xor(ctx, CTR, src, dst, len);
  compute_tag(ctx, aad, aadLen, dst, len);
  memory.copy(tag, TAG, 16);
  wipe_scratch();
  return 1;
}

/**
 * Verifies `tagLen` (12..16) bytes of tag over aad and the ciphertext `in`,
 * then decrypts into `out` (in place allowed). Returns 1 on success; on any
 * failure (bad tag, bad parameters) zeroes `out` (len bytes) and returns 0.
 */
export function gcm_open(
  ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize, tagLen: usize,
): i32 {
  if (nonceLen == 0 || tagLen < 12 || tagLen > 16) {
    memory.fill(dst, 0, len);
    return 0;
  }
  derive_j0(ctx, nonce, nonceLen);
  compute_tag(ctx, aad, aadLen, src, len);
  const ok = ct_equal(TAG, tag, tagLen);
  if (ok == 1) {
    start_counter();
    aes_ctr32_xor(ctx, CTR, src, dst, len);
  } else {
    memory.fill(dst, 0, len);
  }
  wipe_scratch();
  return ok;
}

// --- boot self-test: McGrew-Viega test case 4 (AES-128, 60-byte payload, 20-byte AAD)
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([
  0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
]);
// @ts-ignore: decorator
@lazy const ST_IV = memory.data<u8>([0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad, 0xde, 0xca, 0xf8, 0x88]);
// @ts-ignore: decorator
@lazy const ST_AAD = memory.data<u8>([
  0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
  0xab, 0xad, 0xda, 0xd2,
]);
// @ts-ignore: decorator
@lazy const ST_PT = memory.data<u8>([
  0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5, 0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26, 0x9a,
  0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda, 0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31, 0x8a, 0x72,
  0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53, 0x2f, 0xcf, 0x0e, 0x24, 0x49, 0xa6, 0xb5, 0x25,
  0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57, 0xba, 0x63, 0x7b, 0x39,
]);
// @ts-ignore: decorator
@lazy const ST_CT = memory.data<u8>([
  0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24, 0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c,
  0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0, 0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac, 0xa1, 0x2e,
  0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c, 0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05,
  0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97, 0x3d, 0x58, 0xe0, 0x91,
]);
// @ts-ignore: decorator
@lazy const ST_TAG = memory.data<u8>([
  0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb, 0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47,
]);
// @ts-ignore: decorator
@lazy const ST_CTX = memory.data(1016, 16);
// @ts-ignore: decorator
@lazy const ST_BUF = memory.data(80, 16);

/** Known-answer test: seal and open of McGrew-Viega GCM test case 4. */
export function gcm_selftest(): bool {
  let ok = gcm_init(ST_CTX, ST_KEY, 16) == 1;
  ok = ok && gcm_seal(ST_CTX, ST_IV, 12, ST_AAD, 20, ST_PT, 60, ST_BUF, ST_BUF + 60) == 1;
  ok = ok && memory.compare(ST_BUF, ST_CT, 60) == 0 && memory.compare(ST_BUF + 60, ST_TAG, 16) == 0;
  ok = ok && gcm_open(ST_CTX, ST_IV, 12, ST_AAD, 20, ST_BUF, 60, ST_BUF, ST_TAG, 16) == 1;
  ok = ok && memory.compare(ST_BUF, ST_PT, 60) == 0;
  wipe(ST_CTX, 1016);
  wipe(ST_BUF, 80);
  return ok;
}
