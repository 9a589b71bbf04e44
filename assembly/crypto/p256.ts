// ECDH on P-256 (secp256r1; SEC 1 §3.3.1, NIST SP 800-56A), the second key
// exchange group of tlsrt's TLS 1.3 handshake (RFC 8446 §4.2.8.2) and the
// ECDHE of TLS 1.2's ECDHE-PSK suites (RFC 5489).
//
// Points are projective (X : Y : Z), y = Y/Z, x = X/Z, the identity is
// (0 : 1 : 0), over the field of p256_field.ts. Addition and doubling are
// the complete formulas of Renes, Costello and Batina, "Complete addition
// formulas for prime order elliptic curves" (EUROCRYPT 2016), Algorithms 4
// and 6 (a = -3): one formula for every pair of inputs, the identity and
// P + P included, so the scalar multiplication has no exceptional case to
// branch on.
//
// Scalar multiplication: fixed 4-bit windows, most significant first.
// A table holds [0]P .. [15]P; each of the 64 windows costs 4 doublings and
// one addition of the table entry, which is read by a full scan of all 16
// entries under an equality mask (the secret nibble never forms an address).
// Every scalar runs the same 64 windows (leading zero windows add the
// identity, which the complete formulas handle like any other point).
// Cost per call: 14 table entries (7 doublings, 7 additions), then 252
// doublings + 64 additions over the windows, then one
// inversion (Fermat) to return to affine coordinates.
//
// Peer points (p256_shared) are validated as SEC 1 §3.2.2.1 and RFC 8446
// §4.2.8.2 require for the uncompressed form TLS uses: exactly 65 bytes,
// 0x04, both coordinates < p, y^2 = x^3 - 3x + b. The identity has no
// uncompressed encoding, and P-256's cofactor is 1, so a point on the curve
// is in the prime-order group; the result is still checked not to be the
// identity (Z != 0), as SP 800-56A §5.7.1.2 asks.
//
// Private keys are 32-byte big-endian integers that must be in [1, n-1]
// (p256_private_ok). A caller turning random bytes into a key draws 32
// bytes and draws again while p256_private_ok says no: a rejection loop on
// public-size random input (FIPS 186-5 A.2.2 "rejection sampling"). A
// rejected draw is discarded, so the loop count says nothing about the key
// kept; it takes more than one draw with probability < 2^-32.
//
// All intermediates live in the static scratch below and are wiped before
// each call returns. Inputs are copied in before any output is written, so
// outputs may alias inputs.
import {
  FP_BYTES,
  FP_INVERT_TMP_BYTES,
  fp_add,
  fp_cmov,
  fp_copy,
  fp_equal,
  fp_from_bytes,
  fp_invert,
  fp_is_zero,
  fp_mul,
  fp_set_small,
  fp_sq,
  fp_sub,
  fp_to_bytes,
} from "./p256_field";
import { ct_equal, wipe } from "./ct";

/** Bytes of a private key, a coordinate and a shared secret (the x-coordinate). */
export const P256_SCALAR_BYTES: usize = 32;
/** Bytes of an uncompressed public key: 0x04 || x || y (SEC 1 §2.3.3). */
export const P256_POINT_BYTES: usize = 65;

const PT: usize = 3 * FP_BYTES; // one projective point: X, Y, Z

// Curve constants as field elements (8 little-endian u32 words).
// b = 5ac635d8 aa3a93e7 b3ebbd55 769886bc 651d06b0 cc53b0f6 3bce3c3e 27d2604b
// @ts-ignore: decorator
@lazy const CURVE_B = memory.data<u32>([
  0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0, 0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
]);
// The base point G (affine).
// @ts-ignore: decorator
@lazy const GX = memory.data<u32>([
  0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2,
]);
// @ts-ignore: decorator
@lazy const GY = memory.data<u32>([
  0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2,
]);
// The group order n = ffffffff 00000000 ffffffff ffffffff bce6faad a7179e84 f3b9cac2 fc632551.
// @ts-ignore: decorator
@lazy const ORDER_N = memory.data<u32>([
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
]);

// Static scratch.
const TABLE_ENTRIES: usize = 16;
const SCRATCH_BYTES: usize = 32 + TABLE_ENTRIES * PT + 3 * PT + 8 * FP_BYTES + FP_INVERT_TMP_BYTES;
// @ts-ignore: decorator
@lazy const SCRATCH = memory.data(<i32>SCRATCH_BYTES, 16);
// @lazy like SCRATCH: a plain const would be compiled wherever this file is
// imported and pull SCRATCH into a module without P-256 (2 KiB of RAM on the rp2040).
// @ts-ignore: decorator
@lazy const K = SCRATCH; //                         the scalar, 32 bytes big-endian
// @ts-ignore: decorator
@lazy const TABLE = K + 32; //                      [0]P .. [15]P
// @ts-ignore: decorator
@lazy const ACC = TABLE + TABLE_ENTRIES * PT; //    the running result
// @ts-ignore: decorator
@lazy const SEL = ACC + PT; //                      the table entry of this window
// @ts-ignore: decorator
@lazy const IN = SEL + PT; //                       the input point (affine, Z = 1)
// @ts-ignore: decorator
@lazy const T0 = IN + PT; //                        formula temporaries
// @ts-ignore: decorator
@lazy const T1 = T0 + FP_BYTES;
// @ts-ignore: decorator
@lazy const T2 = T1 + FP_BYTES;
// @ts-ignore: decorator
@lazy const T3 = T2 + FP_BYTES;
// @ts-ignore: decorator
@lazy const T4 = T3 + FP_BYTES;
// @ts-ignore: decorator
@lazy const RX = T4 + FP_BYTES; //                  formula outputs, copied to the destination last
// @ts-ignore: decorator
@lazy const RY = RX + FP_BYTES;
// @ts-ignore: decorator
@lazy const RZ = RY + FP_BYTES;
// @ts-ignore: decorator
@lazy const TINV = RZ + FP_BYTES; //                fp_invert's scratch

/**
 * r = p + q, RCB 2016 Algorithm 4 (complete, a = -3): 12 multiplies and
 * 2 multiplies by b. r may alias p or q.
 */
function point_add(r: usize, p: usize, q: usize): void {
  const X1 = p, Y1 = p + FP_BYTES, Z1 = p + 2 * FP_BYTES;
  const X2 = q, Y2 = q + FP_BYTES, Z2 = q + 2 * FP_BYTES;
  const X3 = RX, Y3 = RY, Z3 = RZ;
  fp_mul(T0, X1, X2); //      t0 = X1 X2
  fp_mul(T1, Y1, Y2); //      t1 = Y1 Y2
  fp_mul(T2, Z1, Z2); //      t2 = Z1 Z2
  fp_add(T3, X1, Y1);
  fp_add(T4, X2, Y2);
  fp_mul(T3, T3, T4); //      t3 = (X1 + Y1)(X2 + Y2)
  fp_add(T4, T0, T1);
  fp_sub(T3, T3, T4); //      t3 = X1 Y2 + X2 Y1
  fp_add(T4, Y1, Z1);
  fp_add(X3, Y2, Z2);
  fp_mul(T4, T4, X3);
  fp_add(X3, T1, T2);
  fp_sub(T4, T4, X3); //      t4 = Y1 Z2 + Y2 Z1
  fp_add(X3, X1, Z1);
  fp_add(Y3, X2, Z2);
  fp_mul(X3, X3, Y3);
  fp_add(Y3, T0, T2);
  fp_sub(Y3, X3, Y3); //      Y3 = X1 Z2 + X2 Z1
  fp_mul(Z3, CURVE_B, T2);
  fp_sub(X3, Y3, Z3);
  fp_add(Z3, X3, X3);
  fp_add(X3, X3, Z3);
  fp_sub(Z3, T1, X3);
  fp_add(X3, T1, X3);
  fp_mul(Y3, CURVE_B, Y3);
  fp_add(T1, T2, T2);
  fp_add(T2, T1, T2); //      t2 = 3 Z1 Z2
  fp_sub(Y3, Y3, T2);
  fp_sub(Y3, Y3, T0);
  fp_add(T1, Y3, Y3);
  fp_add(Y3, T1, Y3);
  fp_add(T1, T0, T0);
  fp_add(T0, T1, T0);
  fp_sub(T0, T0, T2);
  fp_mul(T1, T4, Y3);
  fp_mul(T2, T0, Y3);
  fp_mul(Y3, X3, Z3);
  fp_add(Y3, Y3, T2);
  fp_mul(X3, T3, X3);
  fp_sub(X3, X3, T1);
  fp_mul(Z3, T4, Z3);
  fp_mul(T1, T3, T0);
  fp_add(Z3, Z3, T1);
  fp_copy(r, X3);
  fp_copy(r + FP_BYTES, Y3);
  fp_copy(r + 2 * FP_BYTES, Z3);
}

/**
 * r = 2p, RCB 2016 Algorithm 6 (complete doubling, a = -3): 8 multiplies,
 * 3 squarings, 2 multiplies by b. r may alias p.
 */
function point_double(r: usize, p: usize): void {
  const X = p, Y = p + FP_BYTES, Z = p + 2 * FP_BYTES;
  const X3 = RX, Y3 = RY, Z3 = RZ;
  fp_sq(T0, X); //            t0 = X^2
  fp_sq(T1, Y); //            t1 = Y^2
  fp_sq(T2, Z); //            t2 = Z^2
  fp_mul(T3, X, Y);
  fp_add(T3, T3, T3); //      t3 = 2 X Y
  fp_mul(Z3, X, Z);
  fp_add(Z3, Z3, Z3); //      Z3 = 2 X Z
  fp_mul(Y3, CURVE_B, T2);
  fp_sub(Y3, Y3, Z3);
  fp_add(X3, Y3, Y3);
  fp_add(Y3, X3, Y3);
  fp_sub(X3, T1, Y3);
  fp_add(Y3, T1, Y3);
  fp_mul(Y3, X3, Y3);
  fp_mul(X3, X3, T3);
  fp_add(T3, T2, T2);
  fp_add(T2, T2, T3); //      t2 = 3 Z^2
  fp_mul(Z3, CURVE_B, Z3);
  fp_sub(Z3, Z3, T2);
  fp_sub(Z3, Z3, T0);
  fp_add(T3, Z3, Z3);
  fp_add(Z3, Z3, T3);
  fp_add(T3, T0, T0);
  fp_add(T0, T3, T0);
  fp_sub(T0, T0, T2);
  fp_mul(T0, T0, Z3);
  fp_add(Y3, Y3, T0);
  fp_mul(T0, Y, Z);
  fp_add(T0, T0, T0); //      t0 = 2 Y Z
  fp_mul(Z3, T0, Z3);
  fp_sub(X3, X3, Z3);
  fp_mul(Z3, T0, T1);
  fp_add(Z3, Z3, Z3);
  fp_add(Z3, Z3, Z3); //      Z3 = 8 Y^3 Z
  fp_copy(r, X3);
  fp_copy(r + FP_BYTES, Y3);
  fp_copy(r + 2 * FP_BYTES, Z3);
}

/** r = the identity (0 : 1 : 0). */
function point_set_identity(r: usize): void {
  fp_set_small(r, 0);
  fp_set_small(r + FP_BYTES, 1);
  fp_set_small(r + 2 * FP_BYTES, 0);
}

/** SEL = TABLE[idx] for a secret idx in [0, 15]: every entry is read, one is kept by mask. */
function table_select(idx: u32): void {
  point_set_identity(SEL); // overwritten by entry 0, which is the identity too
  for (let i: u32 = 0; i < <u32>TABLE_ENTRIES; i++) {
    const d = i ^ idx; // 0 exactly for the wanted entry
    const mask: u64 = 0 - <u64>(((d - 1) >> 31) & 1); // all ones iff d == 0 (d < 16)
    const e = TABLE + <usize>i * PT;
    fp_cmov(SEL, e, mask);
    fp_cmov(SEL + FP_BYTES, e + FP_BYTES, mask);
    fp_cmov(SEL + 2 * FP_BYTES, e + 2 * FP_BYTES, mask);
  }
}

/**
 * ACC = [k]IN for the 32-byte big-endian scalar at K and the affine point
 * at IN (Z = 1). Fixed windows; the loop bounds and every address are
 * public, the nibbles only ever feed table_select's masks.
 */
function scalar_mult(): void {
  point_set_identity(TABLE);
  memory.copy(TABLE + PT, IN, PT);
  for (let i: usize = 2; i < TABLE_ENTRIES; i++) {
    const e = TABLE + i * PT;
    if (i & 1) point_add(e, e - PT, IN); // public index: odd entries add P
    else point_double(e, TABLE + (i >> 1) * PT); // even entries double half of it
  }
  point_set_identity(ACC);
  for (let w: i32 = 63; w >= 0; w--) {
    if (w != 63) {
      point_double(ACC, ACC);
      point_double(ACC, ACC);
      point_double(ACC, ACC);
      point_double(ACC, ACC);
    }
    const byte = <u32>load<u8>(K + 31 - <usize>(w >> 1));
    const nibble = (byte >> (<u32>(w & 1) << 2)) & 15;
    table_select(nibble);
    point_add(ACC, ACC, SEL);
  }
}

/**
 * Writes the affine coordinates of ACC as 0x04 || x || y (full = true) or
 * just x (the ECDH shared secret) to out. Returns 1, or 0 when ACC is the
 * identity (then the bytes written are zeros).
 */
function acc_to_affine(out: usize, full: bool): i32 {
  const X = ACC, Y = ACC + FP_BYTES, Z = ACC + 2 * FP_BYTES;
  const finite = fp_is_zero(Z) ^ 1;
  fp_invert(T0, Z, TINV); // 1/Z (0 for the identity, so x = y = 0 then)
  fp_mul(T1, X, T0);
  if (full) {
    fp_mul(T2, Y, T0);
    store<u8>(out, 0x04);
    fp_to_bytes(out + 1, T1);
    fp_to_bytes(out + 33, T2);
  } else {
    fp_to_bytes(out, T1);
  }
  return <i32>finite;
}

/** 1 if the 32-byte big-endian scalar at K is in [1, n-1], else 0; branch-free. */
function k_in_range(): u32 {
  // Borrow of K - n (big-endian bytes -> little-endian words), and K != 0.
  let b: i64 = 0;
  let nz: u32 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const kw = bswap<u32>(load<u32>(K + 28 - (i << 2)));
    nz |= kw;
    b = <i64>kw - <i64>load<u32>(ORDER_N + (i << 2)) + (b >> 32);
  }
  const below_n = <u32>(b >> 32) & 1;
  const nonzero = (nz | (0 - nz)) >> 31;
  return below_n & nonzero;
}

/** 1 if the 32-byte big-endian private key at priv32 is in [1, n-1], else 0. */
export function p256_private_ok(priv32: usize): i32 {
  memory.copy(K, priv32, 32);
  const ok = k_in_range();
  wipe(K, 32);
  return <i32>ok;
}

/**
 * pub65 = 0x04 || x || y of [priv]G: the public key of a private key.
 * Returns 1, or 0 when priv32 is not in [1, n-1] (pub65 is then zeros).
 */
export function p256_keygen(pub65: usize, priv32: usize): i32 {
  memory.copy(K, priv32, 32);
  const ok = k_in_range();
  fp_copy(IN, GX);
  fp_copy(IN + FP_BYTES, GY);
  fp_set_small(IN + 2 * FP_BYTES, 1);
  scalar_mult();
  const finite = acc_to_affine(pub65, true);
  wipe(SCRATCH, SCRATCH_BYTES);
  const good = <i32>ok & finite;
  if (!good) memory.fill(pub65, 0, 65); // a public fact: the key was out of range
  return good;
}

/**
 * Loads and validates the peer's uncompressed point into IN. Returns 1 when
 * it is a point of the curve (SEC 1 §3.2.2.1), else 0. Public data: the
 * branches on it leak nothing secret.
 */
function load_peer(peer: usize, peerLen: usize): u32 {
  if (peerLen != P256_POINT_BYTES || load<u8>(peer) != 0x04) return 0;
  const x = IN, y = IN + FP_BYTES;
  let ok = fp_from_bytes(x, peer + 1) & fp_from_bytes(y, peer + 33);
  if (!ok) return 0;
  fp_set_small(IN + 2 * FP_BYTES, 1);
  // y^2 == x^3 - 3x + b
  fp_sq(T0, y);
  fp_sq(T1, x);
  fp_mul(T1, T1, x);
  fp_add(T2, x, x);
  fp_add(T2, T2, x);
  fp_sub(T1, T1, T2);
  fp_add(T1, T1, CURVE_B);
  return fp_equal(T0, T1);
}

/**
 * out32 = the x-coordinate of [priv]Peer, the ECDH shared secret Z
 * (SEC 1 §3.3.1; RFC 8446 §7.4.2 uses it as is). peer points at peerLen
 * bytes of the peer's public key. Returns 1, or 0 when the peer key is not
 * a valid uncompressed point, priv32 is not in [1, n-1] or the result is
 * the identity; out32 is then zeros and the caller must abort (TLS 1.3:
 * illegal_parameter).
 */
export function p256_shared(out32: usize, priv32: usize, peer: usize, peerLen: usize): i32 {
  memory.copy(K, priv32, 32);
  const ok = k_in_range() & load_peer(peer, peerLen);
  let good: i32 = 0;
  if (ok) { // public: whether the inputs are valid
    scalar_mult();
    good = acc_to_affine(out32, false);
  }
  wipe(SCRATCH, SCRATCH_BYTES);
  if (!good) memory.fill(out32, 0, 32);
  return good;
}

// Boot self-test: RFC 5903 §8.1 (the IKE ECDH 256-bit group), the
// responder's private key with the initiator's public key: one scalar
// multiplication and the full peer validation. Known answer: x of g^ir.
// @ts-ignore: decorator
@lazy const ST_PRIV_R = memory.data<u8>([
  0xc6, 0xef, 0x9c, 0x5d, 0x78, 0xae, 0x01, 0x2a, 0x01, 0x11, 0x64, 0xac, 0xb3, 0x97, 0xce, 0x20,
  0x88, 0x68, 0x5d, 0x8f, 0x06, 0xbf, 0x9b, 0xe0, 0xb2, 0x83, 0xab, 0x46, 0x47, 0x6b, 0xee, 0x53,
]);
// @ts-ignore: decorator
@lazy const ST_PUB_I = memory.data<u8>([
  0x04,
  0xda, 0xd0, 0xb6, 0x53, 0x94, 0x22, 0x1c, 0xf9, 0xb0, 0x51, 0xe1, 0xfe, 0xca, 0x57, 0x87, 0xd0,
  0x98, 0xdf, 0xe6, 0x37, 0xfc, 0x90, 0xb9, 0xef, 0x94, 0x5d, 0x0c, 0x37, 0x72, 0x58, 0x11, 0x80,
  0x52, 0x71, 0xa0, 0x46, 0x1c, 0xdb, 0x82, 0x52, 0xd6, 0x1f, 0x1c, 0x45, 0x6f, 0xa3, 0xe5, 0x9a,
  0xb1, 0xf4, 0x5b, 0x33, 0xac, 0xcf, 0x5f, 0x58, 0x38, 0x9e, 0x05, 0x77, 0xb8, 0x99, 0x0b, 0xb3,
]);
// @ts-ignore: decorator
@lazy const ST_SHARED = memory.data<u8>([
  0xd6, 0x84, 0x0f, 0x6b, 0x42, 0xf6, 0xed, 0xaf, 0xd1, 0x31, 0x16, 0xe0, 0xe1, 0x25, 0x65, 0x20,
  0x2f, 0xef, 0x8e, 0x9e, 0xce, 0x7d, 0xce, 0x03, 0x81, 0x24, 0x64, 0xd0, 0x4b, 0x94, 0x42, 0xde,
]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(32);

/** Known answer of RFC 5903 §8.1 (the shared secret): one scalar multiplication. */
export function p256_selftest(): bool {
  const ok = p256_shared(ST_OUT, ST_PRIV_R, ST_PUB_I, P256_POINT_BYTES) == 1 && ct_equal(ST_OUT, ST_SHARED, 32) == 1;
  wipe(ST_OUT, 32);
  return ok;
}

// The boot self-test of a board (assembly/profiles/boot_selftest.ts) is one
// small known answer per primitive; a full scalar multiplication costs a
// board as much as the rest of its self-test twice over (~26 M RV32
// instructions), so a board checks the group law and the field instead:
// [3]G = [2]G + G through both complete formulas and one inversion. 3G as
// published in the NIST P-256 point-multiplication test vectors (k = 3).
// @ts-ignore: decorator
@lazy const ST_3G = memory.data<u8>([
  0x04,
  0x5e, 0xcb, 0xe4, 0xd1, 0xa6, 0x33, 0x0a, 0x44, 0xc8, 0xf7, 0xef, 0x95, 0x1d, 0x4b, 0xf1, 0x65,
  0xe6, 0xc6, 0xb7, 0x21, 0xef, 0xad, 0xa9, 0x85, 0xfb, 0x41, 0x66, 0x1b, 0xc6, 0xe7, 0xfd, 0x6c,
  0x87, 0x34, 0x64, 0x0c, 0x49, 0x98, 0xff, 0x7e, 0x37, 0x4b, 0x06, 0xce, 0x1a, 0x64, 0xa2, 0xec,
  0xd8, 0x2a, 0xb0, 0x36, 0x38, 0x4f, 0xb8, 0x3d, 0x9a, 0x79, 0xb1, 0x27, 0xa2, 0x7d, 0x50, 0x32,
]);
// @ts-ignore: decorator
@lazy const ST_OUT65 = memory.data(65);

/** Known answer [2]G + G = [3]G: doubling, addition, inversion (a board's boot self-test). */
export function p256_selftest_group(): bool {
  fp_copy(IN, GX);
  fp_copy(IN + FP_BYTES, GY);
  fp_set_small(IN + 2 * FP_BYTES, 1);
  point_double(ACC, IN);
  point_add(ACC, ACC, IN);
  const ok = acc_to_affine(ST_OUT65, true) == 1 && ct_equal(ST_OUT65, ST_3G, 65) == 1;
  wipe(SCRATCH, SCRATCH_BYTES);
  wipe(ST_OUT65, 65);
  return ok;
}
