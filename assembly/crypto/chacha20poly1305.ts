// AEAD_CHACHA20_POLY1305, RFC 8439 §2.8 (TLS 1.3 cipher suite
// TLS_CHACHA20_POLY1305_SHA256).
//
// Why it is built this way:
// - Composition of chacha20.ts and poly1305.ts exactly as the RFC lays it
//   out: one-time Poly1305 key = first 32 bytes of ChaCha20 block 0; payload
//   encrypted from block 1; tag over aad || pad16 || ciphertext || pad16 ||
//   le64(aadLen) || le64(len). Two passes over the data (cipher, then MAC on
//   seal; MAC, then cipher on open): a 16 KiB record stays in cache, and each
//   primitive keeps its own tight loop.
// - The nonce is exactly 12 bytes by construction: the API takes a pointer to
//   12 bytes and no nonce length, so other nonce sizes cannot be expressed
//   (TLS 1.3 always uses 12-byte nonces, RFC 8446 §5.3).
// - open verifies the tag (ct_equal, constant time) over the ciphertext
//   BEFORE decrypting anything, and on failure zeroes `out` instead of
//   decrypting: unauthenticated plaintext is never produced.
// - Works in place (out == in) and at any alignment; the caller may put the
//   tag right after the payload (tag = out + len).
// - State (Poly1305 context, one-time key block, computed tag, length block)
//   lives in a static scratch area that is wiped before returning. Single
//   threaded, not re-entrant.
import { chacha20_xor, chacha20_block } from "./chacha20";
import { poly1305_init, poly1305_update, poly1305_final, POLY1305_CTX_SIZE } from "./poly1305";
import { ct_equal } from "./ct";

// Scratch layout: [ poly ctx | 64-byte key block | 16-byte tag | 16-byte lengths ]
const SCRATCH_SIZE: usize = POLY1305_CTX_SIZE + 64 + 16 + 16;
// @ts-ignore: decorator
@lazy const SCRATCH = memory.data(<i32>SCRATCH_SIZE);
const MAC_CTX = SCRATCH;
const KEY_BLOCK = SCRATCH + POLY1305_CTX_SIZE;
const COMPUTED_TAG = KEY_BLOCK + 64;
const LENGTHS = COMPUTED_TAG + 16;
// @ts-ignore: decorator
@lazy const ZERO_PAD = memory.data(16); // never written

/** MACs aad and ciphertext with the padding and length block of §2.8. */
function aead_mac(key: usize, nonce: usize, aad: usize, aadLen: usize, ct: usize, len: usize, tag: usize): void {
  chacha20_block(key, 0, nonce, KEY_BLOCK);
  poly1305_init(MAC_CTX, KEY_BLOCK);
  memory.fill(KEY_BLOCK, 0, 64);
  poly1305_update(MAC_CTX, aad, aadLen);
  if ((aadLen & 15) != 0) poly1305_update(MAC_CTX, ZERO_PAD, 16 - (aadLen & 15));
  poly1305_update(MAC_CTX, ct, len);
  if ((len & 15) != 0) poly1305_update(MAC_CTX, ZERO_PAD, 16 - (len & 15));
  store<u64>(LENGTHS, <u64>aadLen, 0);
  store<u64>(LENGTHS, <u64>len, 8);
  poly1305_update(MAC_CTX, LENGTHS, 16);
  poly1305_final(MAC_CTX, tag); // also wipes MAC_CTX
}

/**
 * Encrypts `len` bytes at `input` to `out` and writes the 16-byte tag to
 * `tag`. key: 32 bytes, nonce: 12 bytes. Returns 1.
 */
export function chacha20poly1305_seal(
  key: usize, nonce: usize, aad: usize, aadLen: usize, input: usize, len: usize, out: usize, tag: usize,
): i32 {
  chacha20_xor(key, 1, nonce, input, out, len);
  aead_mac(key, nonce, aad, aadLen, out, len, COMPUTED_TAG);
  memory.copy(tag, COMPUTED_TAG, 16);
  memory.fill(SCRATCH, 0, SCRATCH_SIZE);
  return 1;
}

/**
 * Verifies `tag` over (aad, ciphertext at `input`) and, only if it matches,
 * decrypts `len` bytes to `out`. Returns 1 on success; on failure returns 0
 * and zeroes `out[0..len)`.
 */
export function chacha20poly1305_open(
  key: usize, nonce: usize, aad: usize, aadLen: usize, input: usize, len: usize, out: usize, tag: usize,
): i32 {
  aead_mac(key, nonce, aad, aadLen, input, len, COMPUTED_TAG);
  const ok = ct_equal(COMPUTED_TAG, tag, 16);
  memory.fill(SCRATCH, 0, SCRATCH_SIZE);
  if (ok) {
    chacha20_xor(key, 1, nonce, input, out, len);
  } else {
    memory.fill(out, 0, len);
  }
  return ok;
}

// Boot self-test, kept small: the RFC 8439 §2.8.2 key, nonce and aad with
// only the first 16 plaintext bytes ("Ladies and Gentl"). The ciphertext is
// the first 16 bytes of §2.8.2's; the tag for this shortened message was
// computed with node:crypto (OpenSSL). Seal, open round-trip in place, and
// rejection (with zeroed output) of a flipped tag bit.
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
  0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
]);
// @ts-ignore: decorator
@lazy const ST_NONCE = memory.data<u8>([0x07, 0x00, 0x00, 0x00, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47]);
// @ts-ignore: decorator
@lazy const ST_AAD = memory.data<u8>([0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7]);
// @ts-ignore: decorator
@lazy const ST_PT = memory.data<u8>([
  0x4c, 0x61, 0x64, 0x69, 0x65, 0x73, 0x20, 0x61, 0x6e, 0x64, 0x20, 0x47, 0x65, 0x6e, 0x74, 0x6c,
]);
// @ts-ignore: decorator
@lazy const ST_CT = memory.data<u8>([
  0xd3, 0x1a, 0x8d, 0x34, 0x64, 0x8e, 0x60, 0xdb, 0x7b, 0x86, 0xaf, 0xbc, 0x53, 0xef, 0x7e, 0xc2,
]);
// @ts-ignore: decorator
@lazy const ST_TAG = memory.data<u8>([
  0x64, 0xc8, 0x8e, 0x04, 0x84, 0x64, 0x7c, 0x28, 0x13, 0xaa, 0x82, 0x5d, 0x29, 0xc0, 0xbf, 0xb2,
]);
// @ts-ignore: decorator
@lazy const ST_BUF = memory.data(32); // 16-byte message followed by its tag

export function chacha20poly1305_selftest(): bool {
  chacha20poly1305_seal(ST_KEY, ST_NONCE, ST_AAD, 12, ST_PT, 16, ST_BUF, ST_BUF + 16);
  let ok = ct_equal(ST_BUF, ST_CT, 16) == 1 && ct_equal(ST_BUF + 16, ST_TAG, 16) == 1;
  ok = ok && chacha20poly1305_open(ST_KEY, ST_NONCE, ST_AAD, 12, ST_BUF, 16, ST_BUF, ST_BUF + 16) == 1;
  ok = ok && ct_equal(ST_BUF, ST_PT, 16) == 1;
  // Re-seal in place, flip one tag bit: open must fail and zero the buffer.
  chacha20poly1305_seal(ST_KEY, ST_NONCE, ST_AAD, 12, ST_BUF, 16, ST_BUF, ST_BUF + 16);
  store<u8>(ST_BUF + 31, load<u8>(ST_BUF + 31) ^ 0x80);
  ok = ok && chacha20poly1305_open(ST_KEY, ST_NONCE, ST_AAD, 12, ST_BUF, 16, ST_BUF, ST_BUF + 16) == 0;
  let residue: u32 = 0;
  for (let i = 0; i < 16; i++) residue |= load<u8>(ST_BUF + i);
  memory.fill(ST_BUF, 0, 32);
  return ok && residue == 0;
}
