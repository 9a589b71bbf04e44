// GF(p) arithmetic for P-256 (secp256r1, FIPS 186-5 / SEC 2), the field the
// point arithmetic in p256.ts runs in: p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
//
// Representation. A field element ("fp") is 8 unsigned 32-bit words,
// little-endian (word 0 least significant), 32 bytes of linear memory, and
// always fully reduced: every function here takes and returns values in
// [0, p). Keeping one canonical form costs a conditional subtraction per
// operation but makes equality and encoding trivial and leaves no bound to
// track between calls.
//
// Multiplication is schoolbook on 32-bit words with u64 products (64
// i64.mul; squaring 36): WebAssembly has no 64x64->128 multiply, and a
// 32x32->64 product plus carries always fits a u64. Column sums are kept as
// two accumulators (low and high halves of each product) so a column of
// eight products never overflows. The 512-bit product is reduced with the
// NIST/Solinas identity for this p (FIPS 186-4 D.2.3): the high words are
// added and subtracted into the low eight as signed 64-bit column sums,
// which needs no multiplication at all; see reduce_store.
//
// Constant time: no branch and no memory index depends on a value. Carries
// are arithmetic shifts; the final "subtract p if >= p" is a borrow mask;
// inversion is Fermat's little theorem with a fixed addition chain.
// Nothing allocates; results go to caller pointers and every function
// accepts aliased arguments (h may equal f or g).

/** Bytes of one field element (8 x u32 words). */
export const FP_BYTES: usize = 32;
/** Scratch bytes fp_invert needs at its `tmp` argument (4 field elements). */
export const FP_INVERT_TMP_BYTES: usize = 128;

const M: u64 = 0xffffffff;

/**
 * Reduces the value w0 + w1*2^32 + ... + w7*2^224 (signed 64-bit column sums,
 * |w_i| < 2^40) modulo p and stores it, in [0, p), at h.
 *
 * 1. Carry the columns into 32-bit words; what is left above bit 256 is a
 *    small signed t (|t| < 2^9).
 * 2. Fold t back with 2^256 = 2^224 - 2^192 - 2^96 + 1 (mod p), twice: the
 *    first fold leaves at most +-1 above bit 256, the second leaves nothing
 *    (the value is then in [0, 2^256)).
 * 3. Subtract p once under a borrow mask: 2^256 < 2p, so that is enough.
 */
// @ts-ignore: decorator
@inline function reduce_store(
  h: usize,
  w0: i64, w1: i64, w2: i64, w3: i64, w4: i64, w5: i64, w6: i64, w7: i64,
): void {
  // Step 1 (arithmetic shifts: floor division, so every word ends in [0, 2^32)).
  w1 += w0 >> 32; w0 &= <i64>M;
  w2 += w1 >> 32; w1 &= <i64>M;
  w3 += w2 >> 32; w2 &= <i64>M;
  w4 += w3 >> 32; w3 &= <i64>M;
  w5 += w4 >> 32; w4 &= <i64>M;
  w6 += w5 >> 32; w5 &= <i64>M;
  w7 += w6 >> 32; w6 &= <i64>M;
  let t = w7 >> 32; w7 &= <i64>M;
  // Step 2, twice.
  for (let r = 0; r < 2; r++) {
    w0 += t; w3 -= t; w6 -= t; w7 += t;
    w1 += w0 >> 32; w0 &= <i64>M;
    w2 += w1 >> 32; w1 &= <i64>M;
    w3 += w2 >> 32; w2 &= <i64>M;
    w4 += w3 >> 32; w3 &= <i64>M;
    w5 += w4 >> 32; w4 &= <i64>M;
    w6 += w5 >> 32; w5 &= <i64>M;
    w7 += w6 >> 32; w6 &= <i64>M;
    t = w7 >> 32; w7 &= <i64>M;
  }
  // Step 3: d = w - p; keep w if that borrowed (w < p), else d.
  // p = [ffffffff, ffffffff, ffffffff, 0, 0, 0, 1, ffffffff] (word 0 first).
  let d0 = w0 - <i64>M;
  let d1 = w1 - <i64>M + (d0 >> 32); d0 &= <i64>M;
  let d2 = w2 - <i64>M + (d1 >> 32); d1 &= <i64>M;
  let d3 = w3 + (d2 >> 32); d2 &= <i64>M;
  let d4 = w4 + (d3 >> 32); d3 &= <i64>M;
  let d5 = w5 + (d4 >> 32); d4 &= <i64>M;
  let d6 = w6 - 1 + (d5 >> 32); d5 &= <i64>M;
  let d7 = w7 - <i64>M + (d6 >> 32); d6 &= <i64>M;
  // d7 >> 32 is -1 when w < p (borrow), 0 otherwise: that is the keep-w mask.
  const keep = <u32>(d7 >> 32);
  d7 &= <i64>M;
  store<u32>(h, (<u32>w0 & keep) | (<u32>d0 & ~keep), 0);
  store<u32>(h, (<u32>w1 & keep) | (<u32>d1 & ~keep), 4);
  store<u32>(h, (<u32>w2 & keep) | (<u32>d2 & ~keep), 8);
  store<u32>(h, (<u32>w3 & keep) | (<u32>d3 & ~keep), 12);
  store<u32>(h, (<u32>w4 & keep) | (<u32>d4 & ~keep), 16);
  store<u32>(h, (<u32>w5 & keep) | (<u32>d5 & ~keep), 20);
  store<u32>(h, (<u32>w6 & keep) | (<u32>d6 & ~keep), 24);
  store<u32>(h, (<u32>w7 & keep) | (<u32>d7 & ~keep), 28);
}

/**
 * Reduces the 512-bit product c0..c15 (32-bit words as u64, c15 may hold a
 * few more bits of nothing: the product is < p^2 < 2^512) with the Solinas
 * identity for p: with s1..s9 the word permutations of FIPS 186-4 D.2.3,
 * c = s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9 (mod p). Written per
 * output word, each column is a signed sum of at most 11 words.
 */
// @ts-ignore: decorator
@inline function solinas_store(
  h: usize,
  c0: i64, c1: i64, c2: i64, c3: i64, c4: i64, c5: i64, c6: i64, c7: i64,
  c8: i64, c9: i64, c10: i64, c11: i64, c12: i64, c13: i64, c14: i64, c15: i64,
): void {
  reduce_store(
    h,
    c0 + c8 + c9 - c11 - c12 - c13 - c14,
    c1 + c9 + c10 - c12 - c13 - c14 - c15,
    c2 + c10 + c11 - c13 - c14 - c15,
    c3 + ((c11 + c12) << 1) + c13 - c15 - c8 - c9,
    c4 + ((c12 + c13) << 1) + c14 - c9 - c10,
    c5 + ((c13 + c14) << 1) + c15 - c10 - c11,
    c6 + 3 * c14 + (c15 << 1) + c13 - c8 - c9,
    c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13,
  );
}

/** h = f * g mod p (64 i64.mul). */
export function fp_mul(h: usize, f: usize, g: usize): void {
  const f0 = <u64>load<u32>(f, 0), f1 = <u64>load<u32>(f, 4), f2 = <u64>load<u32>(f, 8), f3 = <u64>load<u32>(f, 12);
  const f4 = <u64>load<u32>(f, 16), f5 = <u64>load<u32>(f, 20), f6 = <u64>load<u32>(f, 24), f7 = <u64>load<u32>(f, 28);
  const g0 = <u64>load<u32>(g, 0), g1 = <u64>load<u32>(g, 4), g2 = <u64>load<u32>(g, 8), g3 = <u64>load<u32>(g, 12);
  const g4 = <u64>load<u32>(g, 16), g5 = <u64>load<u32>(g, 20), g6 = <u64>load<u32>(g, 24), g7 = <u64>load<u32>(g, 28);
  // Product scanning: column k sums f_i * g_j over i + j = k. Each product's
  // low and high halves go to separate accumulators (lo, hi); after the
  // column, its low 32 bits are output word c_k and the rest carries on.
  let lo: u64 = 0, hi: u64 = 0, m: u64;
  // column 0
  m = f0 * g0; lo += m & M; hi += m >> 32;
  const c0 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 1
  m = f0 * g1; lo += m & M; hi += m >> 32;
  m = f1 * g0; lo += m & M; hi += m >> 32;
  const c1 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 2
  m = f0 * g2; lo += m & M; hi += m >> 32;
  m = f1 * g1; lo += m & M; hi += m >> 32;
  m = f2 * g0; lo += m & M; hi += m >> 32;
  const c2 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 3
  m = f0 * g3; lo += m & M; hi += m >> 32;
  m = f1 * g2; lo += m & M; hi += m >> 32;
  m = f2 * g1; lo += m & M; hi += m >> 32;
  m = f3 * g0; lo += m & M; hi += m >> 32;
  const c3 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 4
  m = f0 * g4; lo += m & M; hi += m >> 32;
  m = f1 * g3; lo += m & M; hi += m >> 32;
  m = f2 * g2; lo += m & M; hi += m >> 32;
  m = f3 * g1; lo += m & M; hi += m >> 32;
  m = f4 * g0; lo += m & M; hi += m >> 32;
  const c4 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 5
  m = f0 * g5; lo += m & M; hi += m >> 32;
  m = f1 * g4; lo += m & M; hi += m >> 32;
  m = f2 * g3; lo += m & M; hi += m >> 32;
  m = f3 * g2; lo += m & M; hi += m >> 32;
  m = f4 * g1; lo += m & M; hi += m >> 32;
  m = f5 * g0; lo += m & M; hi += m >> 32;
  const c5 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 6
  m = f0 * g6; lo += m & M; hi += m >> 32;
  m = f1 * g5; lo += m & M; hi += m >> 32;
  m = f2 * g4; lo += m & M; hi += m >> 32;
  m = f3 * g3; lo += m & M; hi += m >> 32;
  m = f4 * g2; lo += m & M; hi += m >> 32;
  m = f5 * g1; lo += m & M; hi += m >> 32;
  m = f6 * g0; lo += m & M; hi += m >> 32;
  const c6 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 7
  m = f0 * g7; lo += m & M; hi += m >> 32;
  m = f1 * g6; lo += m & M; hi += m >> 32;
  m = f2 * g5; lo += m & M; hi += m >> 32;
  m = f3 * g4; lo += m & M; hi += m >> 32;
  m = f4 * g3; lo += m & M; hi += m >> 32;
  m = f5 * g2; lo += m & M; hi += m >> 32;
  m = f6 * g1; lo += m & M; hi += m >> 32;
  m = f7 * g0; lo += m & M; hi += m >> 32;
  const c7 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 8
  m = f1 * g7; lo += m & M; hi += m >> 32;
  m = f2 * g6; lo += m & M; hi += m >> 32;
  m = f3 * g5; lo += m & M; hi += m >> 32;
  m = f4 * g4; lo += m & M; hi += m >> 32;
  m = f5 * g3; lo += m & M; hi += m >> 32;
  m = f6 * g2; lo += m & M; hi += m >> 32;
  m = f7 * g1; lo += m & M; hi += m >> 32;
  const c8 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 9
  m = f2 * g7; lo += m & M; hi += m >> 32;
  m = f3 * g6; lo += m & M; hi += m >> 32;
  m = f4 * g5; lo += m & M; hi += m >> 32;
  m = f5 * g4; lo += m & M; hi += m >> 32;
  m = f6 * g3; lo += m & M; hi += m >> 32;
  m = f7 * g2; lo += m & M; hi += m >> 32;
  const c9 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 10
  m = f3 * g7; lo += m & M; hi += m >> 32;
  m = f4 * g6; lo += m & M; hi += m >> 32;
  m = f5 * g5; lo += m & M; hi += m >> 32;
  m = f6 * g4; lo += m & M; hi += m >> 32;
  m = f7 * g3; lo += m & M; hi += m >> 32;
  const c10 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 11
  m = f4 * g7; lo += m & M; hi += m >> 32;
  m = f5 * g6; lo += m & M; hi += m >> 32;
  m = f6 * g5; lo += m & M; hi += m >> 32;
  m = f7 * g4; lo += m & M; hi += m >> 32;
  const c11 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 12
  m = f5 * g7; lo += m & M; hi += m >> 32;
  m = f6 * g6; lo += m & M; hi += m >> 32;
  m = f7 * g5; lo += m & M; hi += m >> 32;
  const c12 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 13
  m = f6 * g7; lo += m & M; hi += m >> 32;
  m = f7 * g6; lo += m & M; hi += m >> 32;
  const c13 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 14
  m = f7 * g7; lo += m & M; hi += m >> 32;
  const c14 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  const c15 = lo;
  solinas_store(h, <i64>c0, <i64>c1, <i64>c2, <i64>c3, <i64>c4, <i64>c5, <i64>c6, <i64>c7,
    <i64>c8, <i64>c9, <i64>c10, <i64>c11, <i64>c12, <i64>c13, <i64>c14, <i64>c15);
}

/** h = f^2 mod p (36 i64.mul: each cross product once, doubled). */
export function fp_sq(h: usize, f: usize): void {
  const f0 = <u64>load<u32>(f, 0), f1 = <u64>load<u32>(f, 4), f2 = <u64>load<u32>(f, 8), f3 = <u64>load<u32>(f, 12);
  const f4 = <u64>load<u32>(f, 16), f5 = <u64>load<u32>(f, 20), f6 = <u64>load<u32>(f, 24), f7 = <u64>load<u32>(f, 28);
  let lo: u64 = 0, hi: u64 = 0, m: u64;
  // column 0
  m = f0 * f0; lo += m & M; hi += m >> 32;
  const c0 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 1
  m = f0 * f1; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c1 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 2
  m = f0 * f2; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f1; lo += m & M; hi += m >> 32;
  const c2 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 3
  m = f0 * f3; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f2; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c3 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 4
  m = f0 * f4; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f3; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f2 * f2; lo += m & M; hi += m >> 32;
  const c4 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 5
  m = f0 * f5; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f4; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f2 * f3; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c5 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 6
  m = f0 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f5; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f2 * f4; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f3 * f3; lo += m & M; hi += m >> 32;
  const c6 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 7
  m = f0 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f1 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f2 * f5; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f3 * f4; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c7 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 8
  m = f1 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f2 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f3 * f5; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f4 * f4; lo += m & M; hi += m >> 32;
  const c8 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 9
  m = f2 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f3 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f4 * f5; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c9 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 10
  m = f3 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f4 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f5 * f5; lo += m & M; hi += m >> 32;
  const c10 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 11
  m = f4 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f5 * f6; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c11 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 12
  m = f5 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  m = f6 * f6; lo += m & M; hi += m >> 32;
  const c12 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 13
  m = f6 * f7; lo += (m & M) << 1; hi += (m >> 32) << 1;
  const c13 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  // column 14
  m = f7 * f7; lo += m & M; hi += m >> 32;
  const c14 = lo & M; lo = (lo >> 32) + hi; hi = lo >> 32; lo &= M;
  const c15 = lo;
  solinas_store(h, <i64>c0, <i64>c1, <i64>c2, <i64>c3, <i64>c4, <i64>c5, <i64>c6, <i64>c7,
    <i64>c8, <i64>c9, <i64>c10, <i64>c11, <i64>c12, <i64>c13, <i64>c14, <i64>c15);
}

/** h = f^(2^n) mod p, n >= 1 (n public). */
export function fp_sq_n(h: usize, f: usize, n: i32): void {
  fp_sq(h, f);
  for (let i = 1; i < n; i++) fp_sq(h, h);
}

/** h = f + g mod p. */
export function fp_add(h: usize, f: usize, g: usize): void {
  reduce_store(
    h,
    <i64>load<u32>(f, 0) + <i64>load<u32>(g, 0), <i64>load<u32>(f, 4) + <i64>load<u32>(g, 4),
    <i64>load<u32>(f, 8) + <i64>load<u32>(g, 8), <i64>load<u32>(f, 12) + <i64>load<u32>(g, 12),
    <i64>load<u32>(f, 16) + <i64>load<u32>(g, 16), <i64>load<u32>(f, 20) + <i64>load<u32>(g, 20),
    <i64>load<u32>(f, 24) + <i64>load<u32>(g, 24), <i64>load<u32>(f, 28) + <i64>load<u32>(g, 28),
  );
}

/** h = f - g mod p (the negative difference folds back through reduce_store). */
export function fp_sub(h: usize, f: usize, g: usize): void {
  reduce_store(
    h,
    <i64>load<u32>(f, 0) - <i64>load<u32>(g, 0), <i64>load<u32>(f, 4) - <i64>load<u32>(g, 4),
    <i64>load<u32>(f, 8) - <i64>load<u32>(g, 8), <i64>load<u32>(f, 12) - <i64>load<u32>(g, 12),
    <i64>load<u32>(f, 16) - <i64>load<u32>(g, 16), <i64>load<u32>(f, 20) - <i64>load<u32>(g, 20),
    <i64>load<u32>(f, 24) - <i64>load<u32>(g, 24), <i64>load<u32>(f, 28) - <i64>load<u32>(g, 28),
  );
}

/** h = f. */
export function fp_copy(h: usize, f: usize): void {
  store<u64>(h, load<u64>(f, 0), 0);
  store<u64>(h, load<u64>(f, 8), 8);
  store<u64>(h, load<u64>(f, 16), 16);
  store<u64>(h, load<u64>(f, 24), 24);
}

/** h = n for a small non-negative n. */
export function fp_set_small(h: usize, n: u32): void {
  store<u64>(h, <u64>n, 0);
  store<u64>(h, 0, 8);
  store<u64>(h, 0, 16);
  store<u64>(h, 0, 24);
}

/**
 * h = f when mask is all ones, h unchanged when mask is 0 (mask must be one
 * of the two). Same loads, stores and ALU work either way.
 */
export function fp_cmov(h: usize, f: usize, mask: u64): void {
  for (let i: usize = 0; i < 32; i += 8) {
    const a = load<u64>(h + i);
    store<u64>(h + i, a ^ (mask & (a ^ load<u64>(f + i))));
  }
}

/** 1 if f == 0 (f reduced), else 0, without branching. */
export function fp_is_zero(f: usize): u32 {
  const acc = load<u64>(f, 0) | load<u64>(f, 8) | load<u64>(f, 16) | load<u64>(f, 24);
  const folded = <u32>(acc >> 32) | <u32>acc;
  return ((folded | (0 - folded)) >> 31) ^ 1;
}

/** 1 if f == g (both reduced), else 0, without branching. */
export function fp_equal(f: usize, g: usize): u32 {
  const acc = (load<u64>(f, 0) ^ load<u64>(g, 0)) | (load<u64>(f, 8) ^ load<u64>(g, 8)) |
    (load<u64>(f, 16) ^ load<u64>(g, 16)) | (load<u64>(f, 24) ^ load<u64>(g, 24));
  const folded = <u32>(acc >> 32) | <u32>acc;
  return ((folded | (0 - folded)) >> 31) ^ 1;
}

/**
 * h = the 32 big-endian bytes at s (the SEC 1 field-element encoding).
 * Returns 1 when the value is < p (canonical), 0 otherwise; h is then the
 * raw value, not reduced, and must not be used. Branch-free.
 */
export function fp_from_bytes(h: usize, s: usize): u32 {
  for (let i: usize = 0; i < 16; i += 4) { // word i <-> word 7 - i, byte-swapped (h may equal s)
    const lo = load<u32>(s + i), hi = load<u32>(s + 28 - i);
    store<u32>(h + i, bswap<u32>(hi));
    store<u32>(h + 28 - i, bswap<u32>(lo));
  }
  // Borrow of h - p: -1 exactly when h < p.
  let b: i64 = <i64>load<u32>(h, 0) - <i64>M;
  b = <i64>load<u32>(h, 4) - <i64>M + (b >> 32);
  b = <i64>load<u32>(h, 8) - <i64>M + (b >> 32);
  b = <i64>load<u32>(h, 12) + (b >> 32);
  b = <i64>load<u32>(h, 16) + (b >> 32);
  b = <i64>load<u32>(h, 20) + (b >> 32);
  b = <i64>load<u32>(h, 24) - 1 + (b >> 32);
  b = <i64>load<u32>(h, 28) - <i64>M + (b >> 32);
  return <u32>(b >> 32) & 1;
}

/** The 32-byte big-endian encoding of f (reduced) at s. */
export function fp_to_bytes(s: usize, f: usize): void {
  for (let i: usize = 0; i < 16; i += 4) { // as fp_from_bytes, the other way (s may equal f)
    const lo = load<u32>(f + i), hi = load<u32>(f + 28 - i);
    store<u32>(s + i, bswap<u32>(hi));
    store<u32>(s + 28 - i, bswap<u32>(lo));
  }
}

/**
 * out = z^(p-2) = 1/z mod p (0 for z = 0), Fermat's little theorem.
 * p - 2 = ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff fffffffd
 * (hex, most significant word first); the chain builds z^(2^k - 1) for
 * k = 2, 3, 6, 12, 15, 30, 32 and then writes the exponent's words left to
 * right: 255 squarings + 12 multiplies, the same for every z.
 * tmp: FP_INVERT_TMP_BYTES of scratch, left holding powers of z (the caller
 * wipes it). out may alias z.
 */
export function fp_invert(out: usize, z: usize, tmp: usize): void {
  const x2 = tmp, x3 = tmp + 32, t = tmp + 64, x30 = tmp + 96;
  fp_sq(x2, z);
  fp_mul(x2, x2, z); //           x2  = z^(2^2 - 1)
  fp_sq(x3, x2);
  fp_mul(x3, x3, z); //           x3  = z^(2^3 - 1)
  fp_sq_n(t, x3, 3);
  fp_mul(t, t, x3); //            x6
  fp_sq_n(x30, t, 6);
  fp_mul(x30, x30, t); //         x12
  fp_sq_n(x30, x30, 3);
  fp_mul(x30, x30, x3); //        x15
  fp_sq_n(t, x30, 15);
  fp_mul(x30, t, x30); //         x30
  fp_sq_n(t, x30, 2);
  fp_mul(x3, t, x2); //           x32 (x3 is dead: reuse its space)
  const x32 = x3;
  fp_sq_n(t, x32, 32);
  fp_mul(t, t, z); //             ffffffff 00000001
  fp_sq_n(t, t, 96); //           ... 00000000 00000000 00000000
  fp_sq_n(t, t, 32);
  fp_mul(t, t, x32); //           ... ffffffff
  fp_sq_n(t, t, 32);
  fp_mul(t, t, x32); //           ... ffffffff
  fp_sq_n(t, t, 30);
  fp_mul(t, t, x30);
  fp_sq_n(t, t, 2);
  fp_mul(out, t, z); //           ... fffffffd
}
