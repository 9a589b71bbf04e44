// GHASH, the universal hash of AES-GCM (NIST SP 800-38D), constant-time.
//
// GHASH multiplies in GF(2^128) by the secret hash key H. The usual fast
// software method (Shoup's 4-bit tables of multiples of H) indexes tables
// with secret data, which leaks through cache timing. Here the carry-less
// multiply is done with ordinary integer multiplication "with holes" (the
// technique of BearSSL's ghash_ctmul64): each 64-bit operand is split into
// four masks keeping every 4th bit, so in each of the 16 integer products the
// carries of a column pile up in the 3-bit holes and never reach the next bit
// that is kept. Only the low 64 bits of a 64x64 product are available in
// wasm (no 128-bit multiply), so the high half is obtained by multiplying the
// bit-reversed operands (rev(a)*rev(b) = rev(a*b) shifted by one). A
// 128x128 product is three 64x64 products (Karatsuba), each of which costs
// two "holey" multiplies (low half, reversed high half): 96 i64.mul per
// block, no memory access depending on secrets, no branches.
//
// i64 vs i32: on V8 an i64.mul is one instruction and this is ~3x faster
// than a 32-bit-limb version (which needs 4x the multiplies). On wasm3 on a
// 32-bit MCU, i64.mul is a library call (~a few dozen cycles); GCM there is
// still acceptable for TLS record sizes, and boards that care can prefer
// ChaCha20-Poly1305.
//
// Bit order: GCM reads a block as a 128-bit big-endian integer whose most
// significant bit is the coefficient of x^0 ("reflected"). We keep the block
// as two big-endian u64 halves (hi = bytes 0..7, lo = bytes 8..15); the
// integer product of reflected values is the reflected product shifted right
// by one bit, which the reduction step corrects.
//
// (Aggregating four blocks with precomputed H^2..H^4 and one reduction was
// tried and measured no faster on V8: register pressure ate the savings.)
//
// State (GHASH_CTX_SIZE = 48 bytes, any alignment):
//   +0  y_hi  +8  y_lo                   running hash value
//   +16 h_hi  +24 h_lo  +32 rev(h_hi)  +40 rev(h_lo)   hash key H
import { wipe } from "./ct";

export const GHASH_CTX_BYTES: usize = 48;

/** Bytes a GHASH state occupies. */
export function GHASH_CTX_SIZE(): usize {
  return GHASH_CTX_BYTES;
}

// Carry-less 64x64 -> low 64 bits, via integer multiplies on bit-masked operands.
// @ts-ignore: decorator
@inline function clmul_lo(x: u64, y: u64): u64 {
  const x0 = x & 0x1111111111111111, x1 = x & 0x2222222222222222;
  const x2 = x & 0x4444444444444444, x3 = x & 0x8888888888888888;
  const y0 = y & 0x1111111111111111, y1 = y & 0x2222222222222222;
  const y2 = y & 0x4444444444444444, y3 = y & 0x8888888888888888;
  let z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  let z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  let z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  let z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & 0x1111111111111111) | (z1 & 0x2222222222222222)
    | (z2 & 0x4444444444444444) | (z3 & 0x8888888888888888);
}

// Bit reversal of a 64-bit word.
// @ts-ignore: decorator
@inline function rev64(x: u64): u64 {
  x = ((x & 0x5555555555555555) << 1) | ((x >> 1) & 0x5555555555555555);
  x = ((x & 0x3333333333333333) << 2) | ((x >> 2) & 0x3333333333333333);
  x = ((x & 0x0f0f0f0f0f0f0f0f) << 4) | ((x >> 4) & 0x0f0f0f0f0f0f0f0f);
  return bswap<u64>(x);
}

// (xh:xl) * H where H (hi, lo, rev(hi), rev(lo)) is stored at hp; result
// stored at dst (hi, lo). Karatsuba over the 64-bit halves; each 64x64
// product as (low half, bit-reversed high half).
// @ts-ignore: decorator
@inline function gf_mul(xh: u64, xl: u64, hp: usize, dst: usize): void {
  const hh = load<u64>(hp, 0), hl = load<u64>(hp, 8);
  const hhr = load<u64>(hp, 16), hlr = load<u64>(hp, 24);
  const xhr = rev64(xh), xlr = rev64(xl);
  const lo_l = clmul_lo(xl, hl);
  const hi_l = clmul_lo(xh, hh);
  let mid_l = clmul_lo(xl ^ xh, hl ^ hh);
  const lo_h = rev64(clmul_lo(xlr, hlr)) >> 1;
  const hi_h = rev64(clmul_lo(xhr, hhr)) >> 1;
  let mid_h = rev64(clmul_lo(xlr ^ xhr, hlr ^ hhr)) >> 1;
  mid_l ^= lo_l ^ hi_l;
  mid_h ^= lo_h ^ hi_h;
  reduce_store(lo_l, lo_h ^ mid_l, hi_l ^ mid_h, hi_h, dst);
}

// Realigns the 256-bit reflected product w3:w2:w1:w0 (one bit short) and
// reduces it modulo x^128 + x^7 + x^2 + x + 1; stores (hi, lo) at dst.
// @ts-ignore: decorator
@inline function reduce_store(w0: u64, w1: u64, w2: u64, w3: u64, dst: usize): void {
  w3 = (w3 << 1) | (w2 >> 63);
  w2 = (w2 << 1) | (w1 >> 63);
  w1 = (w1 << 1) | (w0 >> 63);
  w0 = w0 << 1;
  w2 ^= w0 ^ (w0 >> 1) ^ (w0 >> 2) ^ (w0 >> 7);
  w1 ^= (w0 << 63) ^ (w0 << 62) ^ (w0 << 57);
  w3 ^= w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7);
  w2 ^= (w1 << 63) ^ (w1 << 62) ^ (w1 << 57);
  store<u64>(dst, w3, 0);
  store<u64>(dst, w2, 8);
}

/** Sets the key H (16 bytes at `h`) and clears the running value. */
export function ghash_init(st: usize, h: usize): void {
  const hh = bswap<u64>(load<u64>(h, 0)), hl = bswap<u64>(load<u64>(h, 8));
  store<u64>(st, 0, 0);
  store<u64>(st, 0, 8);
  store<u64>(st, hh, 16);
  store<u64>(st, hl, 24);
  store<u64>(st, rev64(hh), 32);
  store<u64>(st, rev64(hl), 40);
}

/** Clears the running value (keeps H). */
export function ghash_reset(st: usize): void {
  store<u64>(st, 0, 0);
  store<u64>(st, 0, 8);
}

// Y <- (Y ^ block) * H for `nblocks` 16-byte blocks at `p` (any alignment).
function ghash_blocks(st: usize, p: usize, nblocks: usize): void {
  while (nblocks > 0) {
    gf_mul(load<u64>(st, 0) ^ bswap<u64>(load<u64>(p, 0)), load<u64>(st, 8) ^ bswap<u64>(load<u64>(p, 8)), st + 16, st);
    p += 16;
    nblocks--;
  }
}

// @ts-ignore: decorator
@lazy const PAD_BLOCK = memory.data(16, 16);

/**
 * Absorbs `len` bytes; a trailing partial block is zero-padded (GCM pads
 * the AAD and the ciphertext separately, so call this once per field).
 */
export function ghash_update(st: usize, data: usize, len: usize): void {
  const full = len >> 4;
  if (full > 0) ghash_blocks(st, data, full);
  const rest = len & 15;
  if (rest != 0) {
    memory.fill(PAD_BLOCK, 0, 16);
    memory.copy(PAD_BLOCK, data + (full << 4), rest);
    ghash_blocks(st, PAD_BLOCK, 1);
    wipe(PAD_BLOCK, 16);
  }
}

/** Absorbs one block given as two big-endian halves (used for length blocks). */
export function ghash_block_words(st: usize, hi: u64, lo: u64): void {
  store<u64>(PAD_BLOCK, bswap<u64>(hi), 0);
  store<u64>(PAD_BLOCK, bswap<u64>(lo), 8);
  ghash_blocks(st, PAD_BLOCK, 1);
  wipe(PAD_BLOCK, 16);
}

/** Writes the running value as 16 bytes (big-endian) to `out`. */
export function ghash_value(st: usize, out: usize): void {
  store<u64>(out, bswap<u64>(load<u64>(st, 0)), 0);
  store<u64>(out, bswap<u64>(load<u64>(st, 8)), 8);
}
