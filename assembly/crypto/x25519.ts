// X25519 (RFC 7748 §5): Diffie-Hellman on Curve25519's Montgomery form, the
// key exchange tlsrt's TLS 1.3 handshake uses for ECDHE.
//
// The scalar multiplication is the Montgomery ladder of RFC 7748 §5 over
// the u-coordinate only, with the field arithmetic of field25519.ts:
// 255 ladder steps, each 5 multiplies + 4 squarings + 1 multiply by a24,
// then one inversion (Fermat, fixed chain) and a canonical encoding.
// Constant time: the scalar bit only ever feeds the mask of fe_cswap; the
// loop runs all 255 steps for every scalar; the all-zero check at the end
// folds bytes with OR and derives the result arithmetically.
//
// i64.mul per call (a library call on a Cortex-M0+; see field25519.ts):
//   ladder  255 x (5 x 100 + 4 x 55 + 10) = 186,150
//   invert  254 x 55 + 11 x 100           =  15,070
//   final   1 x 100                        =     100
//   x25519() total 201,320; x25519_base() uses a 32-bit multiply by 9
//   instead of the multiply by u in each step: 175,820. Both counts match
//   an instruction trace under wabt's wasm-interp exactly.
//
// Inputs are copied into the static scratch area before the output is
// written, so out may alias scalar or point. The scratch (clamped scalar and
// every ladder intermediate) is wiped before returning.
import {
  FE_BYTES,
  fe_add,
  fe_cswap,
  fe_from_bytes,
  fe_invert,
  fe_mul,
  fe_mul121666,
  fe_mul_small,
  fe_set_small,
  fe_sq,
  fe_sub,
  fe_to_bytes,
} from "./field25519";
import { ct_equal, wipe } from "./ct";

/** Bytes of a scalar, a u-coordinate and a shared secret. */
export const X25519_BYTES: usize = 32;

// Static scratch: the clamped scalar, the ladder state and temporaries.
const SCRATCH_BYTES: usize = 32 + 12 * FE_BYTES;
// @ts-ignore: decorator
@lazy const SCRATCH = memory.data(<i32>SCRATCH_BYTES, 16);
const K = SCRATCH;              // clamped scalar, 32 bytes
const X1 = SCRATCH + 32;        // u of the input point
const X2 = X1 + FE_BYTES;       // (X2:Z2) = [k'] P
const Z2 = X2 + FE_BYTES;
const X3 = Z2 + FE_BYTES;       // (X3:Z3) = [k' + 1] P
const Z3 = X3 + FE_BYTES;
const TA = Z3 + FE_BYTES;       // A = x2 + z2, later BB + 121666 * E
const TB = TA + FE_BYTES;       // B = x2 - z2
const TAA = TB + FE_BYTES;      // AA = A^2
const TBB = TAA + FE_BYTES;     // BB = B^2
const TE = TBB + FE_BYTES;      // C = x3 + z3, later E = AA - BB
const TC = TE + FE_BYTES;       // CB = C * B
const TD = TC + FE_BYTES;       // D = x3 - z3, later DA = D * A
const TINV = TA;                // fe_invert's 4 elements: TA, TB, TAA, TBB, dead by then

/**
 * Runs the ladder for the clamped scalar at K on the u-coordinate at X1 and
 * writes u([k]P) to out. `base` (public) selects the u = 9 shortcut: the
 * multiply by x1 becomes a 32-bit multiply by 9.
 */
function ladder(out: usize, base: bool): void {
  fe_set_small(X2, 1);
  fe_set_small(Z2, 0);
  memory.copy(X3, X1, FE_BYTES);
  fe_set_small(Z3, 1);
  let swap: i32 = 0;
  // Bit 255 of a clamped scalar is 0: start at 254. Loop bounds are public.
  for (let t: i32 = 254; t >= 0; t--) {
    const bit = (<i32>load<u8>(K + <usize>(t >> 3)) >> (t & 7)) & 1;
    swap ^= bit;
    fe_cswap(X2, X3, swap);
    fe_cswap(Z2, Z3, swap);
    swap = bit;

    fe_add(TA, X2, Z2); //        A  = x2 + z2
    fe_sub(TB, X2, Z2); //        B  = x2 - z2
    fe_sq(TAA, TA); //            AA = A^2
    fe_sq(TBB, TB); //            BB = B^2
    fe_add(TE, X3, Z3); //        C  = x3 + z3 (held in TE for a moment)
    fe_sub(TD, X3, Z3); //        D  = x3 - z3
    fe_mul(TD, TD, TA); //        DA = D * A
    fe_mul(TC, TE, TB); //        CB = C * B
    fe_add(X3, TD, TC);
    fe_sq(X3, X3); //             x3 = (DA + CB)^2
    fe_sub(Z3, TD, TC);
    fe_sq(Z3, Z3);
    if (base) fe_mul_small(Z3, Z3, 9); // z3 = x1 * (DA - CB)^2
    else fe_mul(Z3, Z3, X1);
    fe_mul(X2, TAA, TBB); //      x2 = AA * BB
    fe_sub(TE, TAA, TBB); //      E  = AA - BB
    fe_mul121666(TA, TE); //      a24 * E with a24 = 121666 on BB (= 121665 on AA)
    fe_add(TA, TA, TBB);
    fe_mul(Z2, TE, TA); //        z2 = E * (BB + 121666 * E)
  }
  fe_cswap(X2, X3, swap);
  fe_cswap(Z2, Z3, swap);
  fe_invert(Z2, Z2, TINV);
  fe_mul(X2, X2, Z2);
  fe_to_bytes(out, X2);
}

/** Copies the 32-byte scalar into K and clamps it (RFC 7748 §5 decodeScalar25519). */
function load_scalar(scalar: usize): void {
  memory.copy(K, scalar, 32);
  store<u8>(K, load<u8>(K) & 248);
  store<u8>(K + 31, (load<u8>(K + 31) & 127) | 64);
}

/** 1 if any of the 32 bytes at p is non-zero, else 0, without branching. */
function nonzero32(p: usize): i32 {
  const acc =
    load<u32>(p, 0) | load<u32>(p, 4) | load<u32>(p, 8) | load<u32>(p, 12) |
    load<u32>(p, 16) | load<u32>(p, 20) | load<u32>(p, 24) | load<u32>(p, 28);
  return <i32>((acc | (0 - acc)) >> 31);
}

/**
 * out32 = X25519(scalar32, point32). The scalar is clamped, bit 255 of the
 * u-coordinate is ignored and non-canonical u (>= p) is reduced, as RFC 7748
 * requires. Returns 1, or 0 when the result is all zeros (a low-order or
 * otherwise degenerate peer key): the output is still written (as zeros) and
 * the caller must abort the handshake (RFC 8446 §7.4.2, RFC 7748 §6.1).
 */
export function x25519(out32: usize, scalar32: usize, point32: usize): i32 {
  load_scalar(scalar32);
  fe_from_bytes(X1, point32);
  ladder(out32, false);
  wipe(SCRATCH, SCRATCH_BYTES);
  return nonzero32(out32);
}

/**
 * out32 = X25519(scalar32, 9): the public key of a private scalar.
 * Returns 1 (0 only if out32 came out all zeros, which no scalar produces).
 */
export function x25519_base(out32: usize, scalar32: usize): i32 {
  load_scalar(scalar32);
  fe_set_small(X1, 9);
  ladder(out32, true);
  wipe(SCRATCH, SCRATCH_BYTES);
  return nonzero32(out32);
}

// Boot self-test: RFC 7748 §6.1, Alice's secret with Bob's public key. One
// ladder run only (it is the slowest thing a board does at boot); the u = 9
// shortcut of x25519_base differs from it by one fe_mul_small per step.
// @ts-ignore: decorator
@lazy const ST_ALICE_SK = memory.data<u8>([
  0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
  0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
]);
// @ts-ignore: decorator
@lazy const ST_BOB_PK = memory.data<u8>([
  0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61, 0xc2, 0xec, 0xe4, 0x35, 0x37,
  0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78, 0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f,
]);
// @ts-ignore: decorator
@lazy const ST_SHARED = memory.data<u8>([
  0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b, 0xf4, 0x80, 0x35, 0x0f, 0x25,
  0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1, 0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42,
]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(32);

/** Known answer of RFC 7748 §6.1 (the shared secret): one ladder run. */
export function x25519_selftest(): bool {
  const ok = x25519(ST_OUT, ST_ALICE_SK, ST_BOB_PK) == 1 && ct_equal(ST_OUT, ST_SHARED, 32) == 1;
  wipe(ST_OUT, 32);
  return ok;
}
