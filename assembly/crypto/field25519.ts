// GF(2^255 - 19) arithmetic for X25519 (RFC 7748): the field the Montgomery
// ladder in x25519.ts runs in.
//
// Representation. A field element ("fe") is 10 signed 32-bit limbs in
// radix 2^25.5, stored little-endian in 40 bytes of linear memory:
//   value = f0 + f1*2^26 + f2*2^51 + f3*2^77 + f4*2^102
//         + f5*2^128 + f6*2^153 + f7*2^179 + f8*2^204 + f9*2^230
// Even limbs nominally hold 26 bits, odd limbs 25. After a multiply, square or
// small-constant multiply every limb is "carried": |even| <= 2^25 and
// |odd| <= 2^24 (plus a small late carry, < 2^17, on f1 and f5). add/sub do not carry; their
// results (|limb| <= 2^26) may feed exactly one multiply/square, which is all
// the ladder ever does. With those bounds every i32 multiple used below (19*g,
// 2*f, 4*f, 19*f) stays below 2^31 and every 64-bit column sum below 2^61.
//
// Why 10 x 25.5-bit limbs with i64 products. WebAssembly has no 64x64->128
// multiply, so radix 2^51 is out; 25.5-bit limbs give 32x32->64 products that
// sum without overflow in an i64, and the 2^255 = 19 wrap-around is folded in
// with i32 precomputed multiples (19*g_j, 2*f_i), so a multiply is exactly
// 100 i64.mul and a square 55. On V8 (x86-64/arm64) i64 arithmetic is native
// and this is the fastest layout available to wasm.
//
// Board cost (wasm3 on 32-bit MCUs). Every i64 op is emulated there and
// i64.mul becomes a call to the compiler's 64-bit multiply helper
// (__aeabi_lmul on ARMv6-M: no 32x32->64 instruction, so several 32-bit
// MULS plus shifts). The alternative using only i32 multiplies needs column
// sums that fit in 32 bits, i.e. ~13-bit limbs (20 limbs): 400 i32.mul +
// 400 i32.add + a 20-limb carry chain per multiply, against 100 i64.mul +
// ~100 i64.add here. (16 x 16-bit limbs, as in TweetNaCl, do not avoid i64:
// their 32-bit products still need 64-bit accumulators, 256 per multiply.)
// Under an interpreter the per-instruction dispatch dominates, and we
// estimate (not measured) that the 20-limb form executes ~3x the wasm
// instructions to save the helper calls and is 2-3x slower on V8 (4x the
// multiplies); we keep the 10-limb form.
// Measured (wabt wasm-interp --trace): one x25519() executes 1.84 M wasm
// instructions, 201,320 of them i64.mul; x25519_base() 175,820 i64.mul.
// wasm3 (HEAD, desktop build) runs x25519() in ~3.3 ms on x86-64; it
// compiles fe_mul only with d_m3MaxFunctionStackHeight >= 104 (the MCU
// default is 128, ESP32 256; the old v0.5 Arduino default of 64 is too
// small). A host needing faster ECDHE on a board can supply a native X25519.
// Carries multiply by 19 with shifts and adds, not i64.mul.
//
// Constant time: no branches or memory indices depend on limb values; the
// conditional swap is mask-based; inversion is Fermat's little theorem with a
// fixed addition chain; fe_to_bytes reduces canonically without branching.
// Nothing here allocates or recurses; all elements live at caller pointers.
// Every function accepts aliased arguments (h may equal f or g).

/** Bytes of one field element (10 x i32 limbs). */
export const FE_BYTES: usize = 40;
/** Scratch bytes fe_invert needs at its `tmp` argument (4 field elements). */
export const FE_INVERT_TMP_BYTES: usize = 160;

const R25: i64 = 1 << 25; // rounding constants for the carry chain
const R24: i64 = 1 << 24;

/** Multiply by 19 without an i64.mul (a library call on 32-bit boards). */
// @ts-ignore: decorator
@inline function times19(c: i64): i64 {
  return (c << 4) + (c << 1) + c;
}

/**
 * Carries the ten 64-bit column sums into limb range (rounding, signed) and
 * stores them at h. Interleaved as two chains (from limb 0 and from limb 4)
 * for instruction-level parallelism.
 */
// @ts-ignore: decorator
@inline function carry_store(
  h: usize,
  h0: i64, h1: i64, h2: i64, h3: i64, h4: i64,
  h5: i64, h6: i64, h7: i64, h8: i64, h9: i64,
): void {
  let c: i64;
  c = (h0 + R25) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + R25) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + R24) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + R24) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + R25) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + R25) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + R24) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + R24) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + R25) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + R25) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + R24) >> 25; h0 += times19(c); h9 -= c << 25;
  c = (h0 + R25) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f * g (100 i64.mul). */
export function fe_mul(h: usize, f: usize, g: usize): void {
  const F1 = load<i32>(f, 4), F3 = load<i32>(f, 12), F5 = load<i32>(f, 20);
  const F7 = load<i32>(f, 28), F9 = load<i32>(f, 36);
  const f0 = <i64>load<i32>(f, 0), f1 = <i64>F1, f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>F3, f4 = <i64>load<i32>(f, 16), f5 = <i64>F5;
  const f6 = <i64>load<i32>(f, 24), f7 = <i64>F7, f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>F9;
  const f1_2 = <i64>(F1 << 1), f3_2 = <i64>(F3 << 1), f5_2 = <i64>(F5 << 1);
  const f7_2 = <i64>(F7 << 1), f9_2 = <i64>(F9 << 1);
  const G1 = load<i32>(g, 4), G2 = load<i32>(g, 8), G3 = load<i32>(g, 12);
  const G4 = load<i32>(g, 16), G5 = load<i32>(g, 20), G6 = load<i32>(g, 24);
  const G7 = load<i32>(g, 28), G8 = load<i32>(g, 32), G9 = load<i32>(g, 36);
  const g0 = <i64>load<i32>(g, 0), g1 = <i64>G1, g2 = <i64>G2, g3 = <i64>G3;
  const g4 = <i64>G4, g5 = <i64>G5, g6 = <i64>G6, g7 = <i64>G7, g8 = <i64>G8;
  const g9 = <i64>G9;
  const g1_19 = <i64>(G1 * 19), g2_19 = <i64>(G2 * 19), g3_19 = <i64>(G3 * 19);
  const g4_19 = <i64>(G4 * 19), g5_19 = <i64>(G5 * 19), g6_19 = <i64>(G6 * 19);
  const g7_19 = <i64>(G7 * 19), g8_19 = <i64>(G8 * 19), g9_19 = <i64>(G9 * 19);
  // h_k = sum over i+j = k (mod 10) of f_i*g_j, doubled when i and j are both
  // odd (two 25-bit offsets), times 19 when i+j >= 10 (2^255 = 19 mod p).
  let h0: i64 =
    f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 +
    f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  let h1: i64 =
    f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 +
    f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  let h2: i64 =
    f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 +
    f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  let h3: i64 =
    f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 +
    f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4: i64 =
    f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 +
    f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  let h5: i64 =
    f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 +
    f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6: i64 =
    f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 +
    f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  let h7: i64 =
    f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 +
    f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8: i64 =
    f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 +
    f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9: i64 =
    f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 +
    f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carry_store(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^2 (55 i64.mul). */
export function fe_sq(h: usize, f: usize): void {
  const F0 = load<i32>(f, 0), F1 = load<i32>(f, 4), F2 = load<i32>(f, 8);
  const F3 = load<i32>(f, 12), F4 = load<i32>(f, 16), F5 = load<i32>(f, 20);
  const F6 = load<i32>(f, 24), F7 = load<i32>(f, 28), F8 = load<i32>(f, 32);
  const F9 = load<i32>(f, 36);
  const f0 = <i64>F0, f1 = <i64>F1, f2 = <i64>F2, f3 = <i64>F3, f4 = <i64>F4;
  const f5 = <i64>F5, f6 = <i64>F6, f7 = <i64>F7, f8 = <i64>F8, f9 = <i64>F9;
  const f0_2 = <i64>(F0 << 1), f1_2 = <i64>(F1 << 1), f2_2 = <i64>(F2 << 1);
  const f3_2 = <i64>(F3 << 1), f4_2 = <i64>(F4 << 1), f5_2 = <i64>(F5 << 1);
  const f6_2 = <i64>(F6 << 1), f7_2 = <i64>(F7 << 1), f8_2 = <i64>(F8 << 1);
  const f9_2 = <i64>(F9 << 1);
  const f1_4 = <i64>(F1 << 2), f3_4 = <i64>(F3 << 2), f5_4 = <i64>(F5 << 2);
  const f7_4 = <i64>(F7 << 2);
  const f5_19 = <i64>(F5 * 19), f6_19 = <i64>(F6 * 19), f7_19 = <i64>(F7 * 19);
  const f8_19 = <i64>(F8 * 19), f9_19 = <i64>(F9 * 19);
  // As fe_mul with g = f, each cross product f_i*f_j (i < j) taken once, doubled.
  let h0: i64 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1: i64 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2: i64 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3: i64 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4: i64 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5: i64 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6: i64 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7: i64 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8: i64 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9: i64 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  carry_store(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^(2^n), n >= 1 (n public). */
export function fe_sq_n(h: usize, f: usize, n: i32): void {
  fe_sq(h, f);
  for (let i = 1; i < n; i++) fe_sq(h, h);
}

/** h = f + g, not carried (input to one multiply/square only). */
export function fe_add(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) + load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) + load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) + load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) + load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) + load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) + load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) + load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) + load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) + load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) + load<i32>(g, 36), 36);
}

/** h = f - g, not carried; limbs are signed so no multiple of p is added. */
export function fe_sub(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) - load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) - load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) - load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) - load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) - load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) - load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) - load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) - load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) - load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) - load<i32>(g, 36), 36);
}

/** h = f * 121666 = f * (A + 2) / 4, the ladder's a24 constant (10 i64.mul). */
export function fe_mul121666(h: usize, f: usize): void {
  const k: i64 = 121666;
  carry_store(
    h,
    <i64>load<i32>(f, 0) * k, <i64>load<i32>(f, 4) * k,
    <i64>load<i32>(f, 8) * k, <i64>load<i32>(f, 12) * k,
    <i64>load<i32>(f, 16) * k, <i64>load<i32>(f, 20) * k,
    <i64>load<i32>(f, 24) * k, <i64>load<i32>(f, 28) * k,
    <i64>load<i32>(f, 32) * k, <i64>load<i32>(f, 36) * k,
  );
}

/**
 * h = f * n for a small public n (0 <= n <= 31) using only 32-bit arithmetic:
 * no i64 at all, so it costs nothing extra on a board. f must be carried.
 * Used by the fixed-base ladder (u = 9).
 */
export function fe_mul_small(h: usize, f: usize, n: i32): void {
  let h0 = load<i32>(f, 0) * n, h1 = load<i32>(f, 4) * n;
  let h2 = load<i32>(f, 8) * n, h3 = load<i32>(f, 12) * n;
  let h4 = load<i32>(f, 16) * n, h5 = load<i32>(f, 20) * n;
  let h6 = load<i32>(f, 24) * n, h7 = load<i32>(f, 28) * n;
  let h8 = load<i32>(f, 32) * n, h9 = load<i32>(f, 36) * n;
  // |limb| <= 31 * (2^25 + 2^16) < 2^30: every step below stays in i32.
  let c: i32;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
  c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
  c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
  c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
  c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
  c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, h0, 0);
  store<i32>(h, h1, 4);
  store<i32>(h, h2, 8);
  store<i32>(h, h3, 12);
  store<i32>(h, h4, 16);
  store<i32>(h, h5, 20);
  store<i32>(h, h6, 24);
  store<i32>(h, h7, 28);
  store<i32>(h, h8, 32);
  store<i32>(h, h9, 36);
}

/** h = f. */
export function fe_copy(h: usize, f: usize): void {
  store<u64>(h, load<u64>(f, 0), 0);
  store<u64>(h, load<u64>(f, 8), 8);
  store<u64>(h, load<u64>(f, 16), 16);
  store<u64>(h, load<u64>(f, 24), 24);
  store<u64>(h, load<u64>(f, 32), 32);
}

/** h = n for a small non-negative n < 2^26. */
export function fe_set_small(h: usize, n: i32): void {
  store<u64>(h, <u64>(<u32>n), 0);
  store<u64>(h, 0, 8);
  store<u64>(h, 0, 16);
  store<u64>(h, 0, 24);
  store<u64>(h, 0, 32);
}

/**
 * Swaps f and g when swap == 1, leaves both when swap == 0 (swap must be 0
 * or 1). Mask-based: same loads, stores and ALU work either way. Works on
 * 64-bit words (two limbs at a time); the bit pattern is all that matters.
 */
export function fe_cswap(f: usize, g: usize, swap: i32): void {
  const mask: u64 = 0 - <u64>swap;
  let a = load<u64>(f, 0), b = load<u64>(g, 0), t = mask & (a ^ b);
  store<u64>(f, a ^ t, 0); store<u64>(g, b ^ t, 0);
  a = load<u64>(f, 8); b = load<u64>(g, 8); t = mask & (a ^ b);
  store<u64>(f, a ^ t, 8); store<u64>(g, b ^ t, 8);
  a = load<u64>(f, 16); b = load<u64>(g, 16); t = mask & (a ^ b);
  store<u64>(f, a ^ t, 16); store<u64>(g, b ^ t, 16);
  a = load<u64>(f, 24); b = load<u64>(g, 24); t = mask & (a ^ b);
  store<u64>(f, a ^ t, 24); store<u64>(g, b ^ t, 24);
  a = load<u64>(f, 32); b = load<u64>(g, 32); t = mask & (a ^ b);
  store<u64>(f, a ^ t, 32); store<u64>(g, b ^ t, 32);
}

/**
 * h = the 32 little-endian bytes at s, bit 255 ignored (RFC 7748 §5 masks it
 * for u-coordinates). Values in [p, 2^255) are accepted unreduced: the limbs
 * (each in [0, 2^26)) represent them exactly and arithmetic reduces them.
 * Reads exactly bytes s[0..31] (unaligned u32 loads).
 */
export function fe_from_bytes(h: usize, s: usize): void {
  const M26: u32 = (1 << 26) - 1, M25: u32 = (1 << 25) - 1;
  store<i32>(h, <i32>(load<u32>(s, 0) & M26), 0); // bits   0..25
  store<i32>(h, <i32>((load<u32>(s, 3) >> 2) & M25), 4); // bits  26..50
  store<i32>(h, <i32>((load<u32>(s, 6) >> 3) & M26), 8); // bits  51..76
  store<i32>(h, <i32>((load<u32>(s, 9) >> 5) & M25), 12); // bits  77..101
  store<i32>(h, <i32>((load<u32>(s, 12) >> 6) & M26), 16); // bits 102..127
  store<i32>(h, <i32>(load<u32>(s, 16) & M25), 20); // bits 128..152
  store<i32>(h, <i32>((load<u32>(s, 19) >> 1) & M26), 24); // bits 153..178
  store<i32>(h, <i32>((load<u32>(s, 22) >> 3) & M25), 28); // bits 179..203
  store<i32>(h, <i32>((load<u32>(s, 25) >> 4) & M26), 32); // bits 204..229
  store<i32>(h, <i32>((load<u32>(s, 28) >> 6) & M25), 36); // bits 230..254
}

/**
 * The canonical 32-byte little-endian encoding of f (fully reduced to
 * [0, p)). f must be carried or come from fe_from_bytes. Branch-free: with
 * F the value of f, q = floor((F + 19) / 2^255) is in {0, 1} (or -1 for a
 * slightly negative F) and is found by a carry chain; F - q*p is then
 * F + 19q with the final carry out of bit 255 dropped.
 */
export function fe_to_bytes(s: usize, f: usize): void {
  let h0 = load<i32>(f, 0), h1 = load<i32>(f, 4), h2 = load<i32>(f, 8);
  let h3 = load<i32>(f, 12), h4 = load<i32>(f, 16), h5 = load<i32>(f, 20);
  let h6 = load<i32>(f, 24), h7 = load<i32>(f, 28), h8 = load<i32>(f, 32);
  let h9 = load<i32>(f, 36);
  let q = (19 * h9 + (1 << 24)) >> 25;
  q = (h0 + q) >> 26;
  q = (h1 + q) >> 25;
  q = (h2 + q) >> 26;
  q = (h3 + q) >> 25;
  q = (h4 + q) >> 26;
  q = (h5 + q) >> 25;
  q = (h6 + q) >> 26;
  q = (h7 + q) >> 25;
  q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  h0 += 19 * q;
  // Exact (flooring) carries: every limb ends in [0, 2^26) or [0, 2^25).
  let c: i32;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  c = h9 >> 25; h9 -= c << 25; // c == q: this is the "- q * 2^255"
  // Pack 255 bits into eight little-endian words.
  store<u32>(s, <u32>h0 | (<u32>h1 << 26), 0);
  store<u32>(s, (<u32>h1 >> 6) | (<u32>h2 << 19), 4);
  store<u32>(s, (<u32>h2 >> 13) | (<u32>h3 << 13), 8);
  store<u32>(s, (<u32>h3 >> 19) | (<u32>h4 << 6), 12);
  store<u32>(s, <u32>h5 | (<u32>h6 << 25), 16);
  store<u32>(s, (<u32>h6 >> 7) | (<u32>h7 << 19), 20);
  store<u32>(s, (<u32>h7 >> 13) | (<u32>h8 << 12), 24);
  store<u32>(s, (<u32>h8 >> 20) | (<u32>h9 << 6), 28);
}

/**
 * out = z^(p-2) = z^(2^255 - 21) = 1/z (0 for z = 0), by the fixed addition
 * chain 254 squarings + 11 multiplies. tmp: FE_INVERT_TMP_BYTES of scratch
 * (left holding powers of z: the caller wipes it). out may alias z.
 */
export function fe_invert(out: usize, z: usize, tmp: usize): void {
  const t0 = tmp, t1 = tmp + 40, t2 = tmp + 80, t3 = tmp + 120;
  fe_sq(t0, z); //                         z^2
  fe_sq_n(t1, t0, 2); //                   z^8
  fe_mul(t1, z, t1); //                    z^9
  fe_mul(t0, t0, t1); //                   z^11
  fe_sq(t2, t0); //                        z^22
  fe_mul(t1, t1, t2); //                   z^(2^5 - 1)
  fe_sq_n(t2, t1, 5);
  fe_mul(t1, t2, t1); //                   z^(2^10 - 1)
  fe_sq_n(t2, t1, 10);
  fe_mul(t2, t2, t1); //                   z^(2^20 - 1)
  fe_sq_n(t3, t2, 20);
  fe_mul(t2, t3, t2); //                   z^(2^40 - 1)
  fe_sq_n(t2, t2, 10);
  fe_mul(t1, t2, t1); //                   z^(2^50 - 1)
  fe_sq_n(t2, t1, 50);
  fe_mul(t2, t2, t1); //                   z^(2^100 - 1)
  fe_sq_n(t3, t2, 100);
  fe_mul(t2, t3, t2); //                   z^(2^200 - 1)
  fe_sq_n(t2, t2, 50);
  fe_mul(t1, t2, t1); //                   z^(2^250 - 1)
  fe_sq_n(t1, t1, 5); //                   z^(2^255 - 32)
  fe_mul(out, t1, t0); //                  z^(2^255 - 21)
}
