// AES-128 / AES-256 block cipher, encryption direction only (all tlsrt needs
// for CTR, GCM and CCM), constant-time by bitslicing.
//
// Why bitsliced: a table-driven AES (S-box or T-tables indexed by key ^ data)
// leaks the key through cache timing, and a board's flash cache or a shared
// host CPU makes that practical. Here there are NO table lookups at all: the
// S-box is evaluated as a Boolean circuit (the 113-gate circuit of Boyar and
// Peralta, "A new combinational logic minimization technique with
// applications to cryptology", ePrint 2009/191) over bit-planes, so every
// operation and memory address is independent of key and data.
//
// Layout (the "ct64" layout popularised by BearSSL's aes_ct64): four blocks
// are processed at once in eight u64 words q0..q7. Word qB holds bit B of all
// 64 state bytes (4 blocks x 16 bytes). Getting there takes two steps:
// "interleave" spreads each block's 32-bit columns so that byte k of block i
// lands in a predictable 8-bit lane, then "ortho" (a 8x8 bit-matrix transpose
// done with three SWAP layers) turns bytes into bit-planes. In each word, row
// r of the AES state is the 16-bit field at bit 16r and column c is the 4-bit
// group at 4c inside it (one bit per block). MixColumns is then a few word
// rotations and XORs, AddRoundKey eight XORs with pre-bitsliced round keys.
//
// ShiftRows (a per-row rotation of the column groups: ~19 mask/shift ops per
// word, close to half of a round) is eliminated with "fixslicing"
// (Adomnicai & Peyrin, TCHES 2021): the state is allowed to drift by one
// ShiftRows per round, and round r uses the conjugated MixColumns
// SR^-d . MC . SR^d (d = r mod 4), which is the same XOR network whose
// "next row" terms also rotate the column groups by d (two rotates and a
// mask instead of one rotate). Round keys are stored pre-shifted by SR^-d;
// the final round applies the residual SR^(nr mod 4) = SR^2 once. This
// derivation is our own for this layout; it made the cipher ~1.4x faster.
//
// i64 vs i32: on V8 (our benchmark) the 64-bit words give four blocks per
// pass for the same instruction count a 32-bit layout needs for two, i.e.
// ~2x throughput. On wasm3 on a 32-bit MCU every i64 op is emulated (no
// multiplies are involved here, only and/or/xor/shift/rotate, which are the
// cheap emulated ops), so the cost there is roughly 2x per op for 2x the
// data: about a wash, and we keep a single code path.
//
// The key schedule is also table-free: SubWord runs through the same
// bitsliced S-box circuit. The expanded schedule stores the round keys
// already bitsliced (each round key replicated into the four block slots and,
// for fixslicing, pre-shifted), so
// AddRoundKey is a plain XOR.
//
// Key schedule memory (AES_KS_SIZE = 968 bytes, any alignment):
//   +0   u32 number of rounds (10 or 14)
//   +8   (rounds + 1) x 8 u64 bitsliced round keys
//
// Exported API:
//   aes_key_schedule(ks, key, keyLen): i32   1 ok, 0 if keyLen is not 16/32
//   aes_encrypt_block(ks, in, out)           one block (in == out allowed)
//   aes_ctr32_xor(ks, ctr, in, out, len)     CTR keystream XOR, 4 blocks per
//        pass; ctr points at a 16-byte counter block whose last 4 bytes are a
//        big-endian counter, incremented mod 2^32 per block and written back.
//   aes_encrypt4(ks, in, out)                four consecutive blocks (64 bytes)
import { wipe } from "./ct";

export const AES_KS_BYTES: usize = 968;
const KS_ROUNDKEYS: usize = 8;

/** Bytes a key schedule occupies. */
export function AES_KS_SIZE(): usize {
  return AES_KS_BYTES;
}

// Scratch: 4 counter blocks / 4 keystream blocks, both wiped after each call
// that uses them (the keystream is secret-derived, the counter blocks hold
// the caller's nonce).
// @ts-ignore: decorator
@lazy const CTR_BLOCKS = memory.data(64, 16);
// @ts-ignore: decorator
@lazy const KEYSTREAM = memory.data(64, 16);

// Round constants for the key schedule (indexed by the public round number).
// @ts-ignore: decorator
@lazy const RCON = memory.data<u8>([0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36]);

// ---------------------------------------------------------------------------
// Interleave: one 32-bit column word -> its bytes spread to every other byte.
// @ts-ignore: decorator
@inline function spread(w: u32): u64 {
  let x = <u64>w;
  x = (x | (x << 16)) & 0x0000ffff0000ffff;
  x = (x | (x << 8)) & 0x00ff00ff00ff00ff;
  return x;
}

// Inverse of spread on the even bytes of x.
// @ts-ignore: decorator
@inline function gather(x: u64): u32 {
  x &= 0x00ff00ff00ff00ff;
  x = (x | (x >> 8)) & 0x0000ffff0000ffff;
  return <u32>x | <u32>(x >> 16);
}

// ShiftRows applied twice: rows 1 and 3 rotate by two columns (8 bits of
// their 16-bit row), rows 0 and 2 stay.
// @ts-ignore: decorator
@inline function shift_rows2(x: u64): u64 {
  return (x & 0x0000ffff0000ffff)
    | ((x >> 8) & 0x00ff000000ff0000)
    | ((x << 8) & 0xff000000ff000000);
}

/**
 * Encrypts the four 16-byte blocks at `src` (64 bytes) into `dst` (64 bytes)
 * with the schedule at `ks`. `src` may equal `dst`; any alignment.
 */
export function aes_encrypt4(ks: usize, src: usize, dst: usize): void {
  // --- interleave: block i -> (q[i], q[i+4])
  let q0 = spread(load<u32>(src, 0)) | (spread(load<u32>(src, 8)) << 8);
  let q4 = spread(load<u32>(src, 4)) | (spread(load<u32>(src, 12)) << 8);
  let q1 = spread(load<u32>(src, 16)) | (spread(load<u32>(src, 24)) << 8);
  let q5 = spread(load<u32>(src, 20)) | (spread(load<u32>(src, 28)) << 8);
  let q2 = spread(load<u32>(src, 32)) | (spread(load<u32>(src, 40)) << 8);
  let q6 = spread(load<u32>(src, 36)) | (spread(load<u32>(src, 44)) << 8);
  let q3 = spread(load<u32>(src, 48)) | (spread(load<u32>(src, 56)) << 8);
  let q7 = spread(load<u32>(src, 52)) | (spread(load<u32>(src, 60)) << 8);

  // --- ortho: bytes -> bit-planes (3 layers of bit swaps)
  let a: u64, b: u64;
  a = q0; b = q1; q0 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q1 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q2; b = q3; q2 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q3 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q4; b = q5; q4 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q5 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q6; b = q7; q6 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q7 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q0; b = q2; q0 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q2 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q1; b = q3; q1 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q3 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q4; b = q6; q4 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q6 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q5; b = q7; q5 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q7 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q0; b = q4; q0 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q4 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q1; b = q5; q1 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q5 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q2; b = q6; q2 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q6 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q3; b = q7; q3 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q7 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);

  // --- rounds
  const nr = load<u32>(ks);
  let rk = ks + KS_ROUNDKEYS;
  q0 ^= load<u64>(rk, 0); q1 ^= load<u64>(rk, 8); q2 ^= load<u64>(rk, 16); q3 ^= load<u64>(rk, 24);
  q4 ^= load<u64>(rk, 32); q5 ^= load<u64>(rk, 40); q6 ^= load<u64>(rk, 48); q7 ^= load<u64>(rk, 56);
  for (let r: u32 = 1; r <= nr; r++) {
    // SubBytes: Boyar-Peralta circuit. Inputs u0 (msb) .. u7 (lsb).
    const u0 = q7, u1 = q6, u2 = q5, u3 = q4, u4 = q3, u5 = q2, u6 = q1, u7 = q0;
    // top linear layer
    const y14 = u3 ^ u5, y13 = u0 ^ u6, y9 = u0 ^ u3, y8 = u0 ^ u5;
    const c0 = u1 ^ u2;
    const y1 = c0 ^ u7, y4 = y1 ^ u3, y12 = y13 ^ y14, y2 = y1 ^ u0, y5 = y1 ^ u6;
    const y3 = y5 ^ y8;
    const c1 = u4 ^ y12;
    const y15 = c1 ^ u5, y20 = c1 ^ u1;
    const y6 = y15 ^ u7, y10 = y15 ^ c0, y11 = y20 ^ y9;
    const y7 = u7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8, y16 = c0 ^ y11;
    const y21 = y13 ^ y16, y18 = u0 ^ y16;
    // middle, non-linear: inversion in GF(2^4)^2
    const m2 = y12 & y15, m3 = y3 & y6, m4 = m3 ^ m2, m5 = y4 & u7, m6 = m5 ^ m2;
    const m7 = y13 & y16, m8 = y5 & y1, m9 = m8 ^ m7, m10 = y2 & y7, m11 = m10 ^ m7;
    const m12 = y9 & y11, m13 = y14 & y17, m14 = m13 ^ m12, m15 = y8 & y10, m16 = m15 ^ m12;
    const m17 = m4 ^ m14, m18 = m6 ^ m16, m19 = m9 ^ m14, m20 = m11 ^ m16;
    const m21 = m17 ^ y20, m22 = m18 ^ y19, m23 = m19 ^ y21, m24 = m20 ^ y18;
    const m25 = m21 ^ m22, m26 = m21 & m23, m27 = m24 ^ m26, m28 = m25 & m27, m29 = m28 ^ m22;
    const m30 = m23 ^ m24, m31 = m22 ^ m26, m32 = m31 & m30, m33 = m32 ^ m24;
    const m34 = m23 ^ m33, m35 = m27 ^ m33, m36 = m24 & m35, m37 = m36 ^ m34;
    const m38 = m27 ^ m36, m39 = m29 & m38, m40 = m25 ^ m39;
    const m41 = m40 ^ m37, m42 = m29 ^ m33, m43 = m29 ^ m40, m44 = m33 ^ m37, m45 = m42 ^ m41;
    const z0 = m44 & y15, z1 = m37 & y6, z2 = m33 & u7, z3 = m43 & y16, z4 = m40 & y1;
    const z5 = m29 & y7, z6 = m42 & y11, z7 = m45 & y17, z8 = m41 & y10, z9 = m44 & y12;
    const z10 = m37 & y3, z11 = m33 & y4, z12 = m43 & y13, z13 = m40 & y5, z14 = m29 & y2;
    const z15 = m42 & y9, z16 = m45 & y14, z17 = m41 & y8;
    // bottom linear layer (with the affine constant folded in as NOTs)
    const l46 = z15 ^ z16, l47 = z10 ^ z11, l48 = z5 ^ z13, l49 = z9 ^ z10, l50 = z2 ^ z12;
    const l51 = z2 ^ z5, l52 = z7 ^ z8, l53 = z0 ^ z3, l54 = z6 ^ z7, l55 = z16 ^ z17;
    const l56 = z12 ^ l48, l57 = l50 ^ l53, l58 = z4 ^ l46, l59 = z3 ^ l54, l60 = l46 ^ l57;
    const l61 = z14 ^ l57, l62 = l52 ^ l58, l63 = l49 ^ l58, l64 = z4 ^ l59, l65 = l61 ^ l62;
    const l66 = z1 ^ l63, l67 = l64 ^ l65;
    const s3 = l53 ^ l66;
    q7 = l59 ^ l63;          // s0
    q6 = l64 ^ ~s3;          // s1
    q5 = l55 ^ ~l67;         // s2
    q4 = s3;                 // s3
    q3 = l51 ^ l66;          // s4
    q2 = l47 ^ l65;          // s5
    q1 = l56 ^ ~l62;         // s6
    q0 = l48 ^ ~l60;         // s7

    // ShiftRows is not applied in rounds 1..nr-1 ("fixslicing"): the state
    // drifts by one ShiftRows per round, tracked by d = r mod 4, and
    // MixColumns is replaced by its conjugate SR^-d . MC . SR^d, which only
    // changes which column of the neighbouring rows each term comes from (a
    // rotation of the 4-bit column groups inside each 16-bit row). Round keys
    // are stored pre-shifted by SR^-d. The last round needs SR^(nr mod 4) =
    // SR^2 for both AES-128 and AES-256. r, d and nr are public.
    if (r == nr) {
      q0 = shift_rows2(q0); q1 = shift_rows2(q1); q2 = shift_rows2(q2); q3 = shift_rows2(q3);
      q4 = shift_rows2(q4); q5 = shift_rows2(q5); q6 = shift_rows2(q6); q7 = shift_rows2(q7);
    } else {
      const d = r & 3;
      let r0: u64, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64, r6: u64, r7: u64;
      let t0: u64, t1: u64, t2: u64, t3: u64, t4: u64, t5: u64, t6: u64, t7: u64;
      if (d == 0) {
        // plain MixColumns: row + 1 = rotate by 16, row + 2 = rotate by 32
        r0 = rotr<u64>(q0, 16); r1 = rotr<u64>(q1, 16); r2 = rotr<u64>(q2, 16); r3 = rotr<u64>(q3, 16);
        r4 = rotr<u64>(q4, 16); r5 = rotr<u64>(q5, 16); r6 = rotr<u64>(q6, 16); r7 = rotr<u64>(q7, 16);
        t0 = rotr<u64>(q0 ^ r0, 32); t1 = rotr<u64>(q1 ^ r1, 32); t2 = rotr<u64>(q2 ^ r2, 32); t3 = rotr<u64>(q3 ^ r3, 32);
        t4 = rotr<u64>(q4 ^ r4, 32); t5 = rotr<u64>(q5 ^ r5, 32); t6 = rotr<u64>(q6 ^ r6, 32); t7 = rotr<u64>(q7 ^ r7, 32);
      } else {
        // row + 1 with columns + d; row + 2 with columns + 2d (mod 4)
        const s1a = <u64>(16 + (d << 2)), s1b = <u64>(d << 2);
        const m1 = (<u64>0xffff >> s1b) * 0x0001000100010001, n1 = ~m1;
        const e = (d << 1) & 3;
        const s2a = <u64>(32 + (e << 2)), s2b = <u64>(16 + (e << 2));
        const m2 = (<u64>0xffff >> <u64>(e << 2)) * 0x0001000100010001, n2 = ~m2;
        r0 = (rotr<u64>(q0, s1a) & m1) | (rotr<u64>(q0, s1b) & n1);
        r1 = (rotr<u64>(q1, s1a) & m1) | (rotr<u64>(q1, s1b) & n1);
        r2 = (rotr<u64>(q2, s1a) & m1) | (rotr<u64>(q2, s1b) & n1);
        r3 = (rotr<u64>(q3, s1a) & m1) | (rotr<u64>(q3, s1b) & n1);
        r4 = (rotr<u64>(q4, s1a) & m1) | (rotr<u64>(q4, s1b) & n1);
        r5 = (rotr<u64>(q5, s1a) & m1) | (rotr<u64>(q5, s1b) & n1);
        r6 = (rotr<u64>(q6, s1a) & m1) | (rotr<u64>(q6, s1b) & n1);
        r7 = (rotr<u64>(q7, s1a) & m1) | (rotr<u64>(q7, s1b) & n1);
        let x: u64;
        x = q0 ^ r0; t0 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q1 ^ r1; t1 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q2 ^ r2; t2 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q3 ^ r3; t3 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q4 ^ r4; t4 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q5 ^ r5; t5 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q6 ^ r6; t6 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
        x = q7 ^ r7; t7 = (rotr<u64>(x, s2a) & m2) | (rotr<u64>(x, s2b) & n2);
      }
      // MixColumns on bit-planes (x2 = shift of planes with the 0x1b feedback)
      const e0 = q0 ^ r0, e1 = q1 ^ r1, e2 = q2 ^ r2, e3 = q3 ^ r3;
      const e4 = q4 ^ r4, e5 = q5 ^ r5, e6 = q6 ^ r6, e7 = q7 ^ r7;
      q0 = e7 ^ r0 ^ t0;
      q1 = e0 ^ e7 ^ r1 ^ t1;
      q2 = e1 ^ r2 ^ t2;
      q3 = e2 ^ e7 ^ r3 ^ t3;
      q4 = e3 ^ e7 ^ r4 ^ t4;
      q5 = e4 ^ r5 ^ t5;
      q6 = e5 ^ r6 ^ t6;
      q7 = e6 ^ r7 ^ t7;
    }

    // AddRoundKey
    rk += 64;
    q0 ^= load<u64>(rk, 0); q1 ^= load<u64>(rk, 8); q2 ^= load<u64>(rk, 16); q3 ^= load<u64>(rk, 24);
    q4 ^= load<u64>(rk, 32); q5 ^= load<u64>(rk, 40); q6 ^= load<u64>(rk, 48); q7 ^= load<u64>(rk, 56);
  }

  // --- ortho back (the transpose is an involution)
  a = q0; b = q1; q0 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q1 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q2; b = q3; q2 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q3 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q4; b = q5; q4 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q5 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q6; b = q7; q6 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q7 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q0; b = q2; q0 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q2 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q1; b = q3; q1 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q3 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q4; b = q6; q4 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q6 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q5; b = q7; q5 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q7 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q0; b = q4; q0 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q4 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q1; b = q5; q1 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q5 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q2; b = q6; q2 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q6 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q3; b = q7; q3 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q7 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);

  // --- de-interleave
  store<u32>(dst, gather(q0), 0); store<u32>(dst, gather(q4), 4); store<u32>(dst, gather(q0 >> 8), 8); store<u32>(dst, gather(q4 >> 8), 12);
  store<u32>(dst, gather(q1), 16); store<u32>(dst, gather(q5), 20); store<u32>(dst, gather(q1 >> 8), 24); store<u32>(dst, gather(q5 >> 8), 28);
  store<u32>(dst, gather(q2), 32); store<u32>(dst, gather(q6), 36); store<u32>(dst, gather(q2 >> 8), 40); store<u32>(dst, gather(q6 >> 8), 44);
  store<u32>(dst, gather(q3), 48); store<u32>(dst, gather(q7), 52); store<u32>(dst, gather(q3 >> 8), 56); store<u32>(dst, gather(q7 >> 8), 60);
}

// SubWord on a 32-bit word through the bitsliced S-box: the word's four bytes
// go into one u64 (the other seven are zero), are transposed to bit-planes,
// run through the circuit and transposed back. Runs 10 or 13 times per key.
// @ts-ignore: decorator
@lazy const SW_BUF = memory.data(64, 16);

function sub_word(x: u32): u32 {
  // Bytes of x in lane positions 0..3 of block 0: q0 bit-planes after ortho.
  let q0 = <u64>x, q1: u64 = 0, q2: u64 = 0, q3: u64 = 0, q4: u64 = 0, q5: u64 = 0, q6: u64 = 0, q7: u64 = 0;
  let a: u64, b: u64;
  a = q0; b = q1; q0 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q1 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q0; b = q2; q0 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q2 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q1; b = q3; q1 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q3 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q0; b = q4; q0 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q4 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q1; b = q5; q1 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q5 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q2; b = q6; q2 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q6 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  a = q3; b = q7; q3 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q7 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
  store<u64>(SW_BUF, q0, 0); store<u64>(SW_BUF, q1, 8); store<u64>(SW_BUF, q2, 16); store<u64>(SW_BUF, q3, 24);
  store<u64>(SW_BUF, q4, 32); store<u64>(SW_BUF, q5, 40); store<u64>(SW_BUF, q6, 48); store<u64>(SW_BUF, q7, 56);
  sbox_planes(SW_BUF);
  q0 = load<u64>(SW_BUF, 0); q1 = load<u64>(SW_BUF, 8); q2 = load<u64>(SW_BUF, 16); q3 = load<u64>(SW_BUF, 24);
  q4 = load<u64>(SW_BUF, 32); q5 = load<u64>(SW_BUF, 40); q6 = load<u64>(SW_BUF, 48); q7 = load<u64>(SW_BUF, 56);
  a = q0; b = q1; q0 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q1 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q2; b = q3; q2 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q3 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q4; b = q5; q4 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q5 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q6; b = q7; q6 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q7 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
  a = q0; b = q2; q0 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q2 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q1; b = q3; q1 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q3 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q4; b = q6; q4 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q6 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q5; b = q7; q5 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q7 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
  a = q0; b = q4; q0 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4);
  wipe(SW_BUF, 64);
  return <u32>q0;
}

// The same S-box circuit as in aes_encrypt4, on eight bit-plane words held in
// memory (used only by the key schedule, so its speed does not matter).
function sbox_planes(p: usize): void {
  const u0 = load<u64>(p, 56), u1 = load<u64>(p, 48), u2 = load<u64>(p, 40), u3 = load<u64>(p, 32);
  const u4 = load<u64>(p, 24), u5 = load<u64>(p, 16), u6 = load<u64>(p, 8), u7 = load<u64>(p, 0);
  const y14 = u3 ^ u5, y13 = u0 ^ u6, y9 = u0 ^ u3, y8 = u0 ^ u5;
  const c0 = u1 ^ u2;
  const y1 = c0 ^ u7, y4 = y1 ^ u3, y12 = y13 ^ y14, y2 = y1 ^ u0, y5 = y1 ^ u6;
  const y3 = y5 ^ y8;
  const c1 = u4 ^ y12;
  const y15 = c1 ^ u5, y20 = c1 ^ u1;
  const y6 = y15 ^ u7, y10 = y15 ^ c0, y11 = y20 ^ y9;
  const y7 = u7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8, y16 = c0 ^ y11;
  const y21 = y13 ^ y16, y18 = u0 ^ y16;
  const m2 = y12 & y15, m3 = y3 & y6, m4 = m3 ^ m2, m5 = y4 & u7, m6 = m5 ^ m2;
  const m7 = y13 & y16, m8 = y5 & y1, m9 = m8 ^ m7, m10 = y2 & y7, m11 = m10 ^ m7;
  const m12 = y9 & y11, m13 = y14 & y17, m14 = m13 ^ m12, m15 = y8 & y10, m16 = m15 ^ m12;
  const m17 = m4 ^ m14, m18 = m6 ^ m16, m19 = m9 ^ m14, m20 = m11 ^ m16;
  const m21 = m17 ^ y20, m22 = m18 ^ y19, m23 = m19 ^ y21, m24 = m20 ^ y18;
  const m25 = m21 ^ m22, m26 = m21 & m23, m27 = m24 ^ m26, m28 = m25 & m27, m29 = m28 ^ m22;
  const m30 = m23 ^ m24, m31 = m22 ^ m26, m32 = m31 & m30, m33 = m32 ^ m24;
  const m34 = m23 ^ m33, m35 = m27 ^ m33, m36 = m24 & m35, m37 = m36 ^ m34;
  const m38 = m27 ^ m36, m39 = m29 & m38, m40 = m25 ^ m39;
  const m41 = m40 ^ m37, m42 = m29 ^ m33, m43 = m29 ^ m40, m44 = m33 ^ m37, m45 = m42 ^ m41;
  const z0 = m44 & y15, z1 = m37 & y6, z2 = m33 & u7, z3 = m43 & y16, z4 = m40 & y1;
  const z5 = m29 & y7, z6 = m42 & y11, z7 = m45 & y17, z8 = m41 & y10, z9 = m44 & y12;
  const z10 = m37 & y3, z11 = m33 & y4, z12 = m43 & y13, z13 = m40 & y5, z14 = m29 & y2;
  const z15 = m42 & y9, z16 = m45 & y14, z17 = m41 & y8;
  const l46 = z15 ^ z16, l47 = z10 ^ z11, l48 = z5 ^ z13, l49 = z9 ^ z10, l50 = z2 ^ z12;
  const l51 = z2 ^ z5, l52 = z7 ^ z8, l53 = z0 ^ z3, l54 = z6 ^ z7, l55 = z16 ^ z17;
  const l56 = z12 ^ l48, l57 = l50 ^ l53, l58 = z4 ^ l46, l59 = z3 ^ l54, l60 = l46 ^ l57;
  const l61 = z14 ^ l57, l62 = l52 ^ l58, l63 = l49 ^ l58, l64 = z4 ^ l59, l65 = l61 ^ l62;
  const l66 = z1 ^ l63, l67 = l64 ^ l65;
  const s3 = l53 ^ l66;
  store<u64>(p, l59 ^ l63, 56);
  store<u64>(p, l64 ^ ~s3, 48);
  store<u64>(p, l55 ^ ~l67, 40);
  store<u64>(p, s3, 32);
  store<u64>(p, l51 ^ l66, 24);
  store<u64>(p, l47 ^ l65, 16);
  store<u64>(p, l56 ^ ~l62, 8);
  store<u64>(p, l48 ^ ~l60, 0);
}

// Expanded 32-bit key words (little-endian column words), wiped after use.
// @ts-ignore: decorator
@lazy const KEY_WORDS = memory.data(60 * 4, 16);

/**
 * Expands a 16- or 32-byte key into the bitsliced schedule at `ks`
 * (AES_KS_SIZE bytes). Returns 1, or 0 (schedule untouched) for other lengths.
 */
export function aes_key_schedule(ks: usize, key: usize, keyLen: usize): i32 {
  let nr: u32;
  if (keyLen == 16) nr = 10;
  else if (keyLen == 32) nr = 14;
  else return 0;
  const nk = <u32>(keyLen >> 2);
  const total = (nr + 1) << 2;
  const w = KEY_WORDS;
  for (let i: u32 = 0; i < nk; i++) store<u32>(w + (<usize>i << 2), load<u32>(key + (<usize>i << 2)));
  let tmp = load<u32>(w + (<usize>(nk - 1) << 2));
  let j: u32 = 0, k: u32 = 0;
  for (let i = nk; i < total; i++) {
    // j and k depend only on the public index i.
    if (j == 0) {
      tmp = sub_word(rotr<u32>(tmp, 8)) ^ <u32>load<u8>(RCON + k);
    } else if (nk > 6 && j == 4) {
      tmp = sub_word(tmp);
    }
    tmp ^= load<u32>(w + (<usize>(i - nk) << 2));
    store<u32>(w + (<usize>i << 2), tmp);
    if (++j == nk) {
      j = 0;
      k++;
    }
  }
  store<u32>(ks, nr);
  store<u32>(ks, 0, 4);
  // Bitslice each round key: the same 16 bytes in all four block slots.
  const buf = SW_BUF;
  for (let r: u32 = 0; r <= nr; r++) {
    let rkw = w + (<usize>r << 4);
    const d = r & 3;
    if (r != 0 && r != nr && d != 0) {
      // Fixslicing: round r's key is used in a state drifted by SR^d, so store
      // SR^-d(k): byte (row, col) <- (row, col - d*row). Indices are public.
      for (let c: u32 = 0; c < 4; c++) {
        for (let row: u32 = 0; row < 4; row++) {
          const src = (((c - d * row) & 3) << 2) + row;
          store<u8>(SW_BUF + (c << 2) + row, load<u8>(rkw + src));
        }
      }
      rkw = SW_BUF;
    }
    const lo = spread(load<u32>(rkw, 0)) | (spread(load<u32>(rkw, 8)) << 8);
    const hi = spread(load<u32>(rkw, 4)) | (spread(load<u32>(rkw, 12)) << 8);
    let q0 = lo, q1 = lo, q2 = lo, q3 = lo, q4 = hi, q5 = hi, q6 = hi, q7 = hi;
    let a: u64, b: u64;
    a = q0; b = q1; q0 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q1 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
    a = q2; b = q3; q2 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q3 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
    a = q4; b = q5; q4 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q5 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
    a = q6; b = q7; q6 = (a & 0x5555555555555555) | ((b & 0x5555555555555555) << 1); q7 = ((a & 0xaaaaaaaaaaaaaaaa) >> 1) | (b & 0xaaaaaaaaaaaaaaaa);
    a = q0; b = q2; q0 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q2 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
    a = q1; b = q3; q1 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q3 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
    a = q4; b = q6; q4 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q6 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
    a = q5; b = q7; q5 = (a & 0x3333333333333333) | ((b & 0x3333333333333333) << 2); q7 = ((a & 0xcccccccccccccccc) >> 2) | (b & 0xcccccccccccccccc);
    a = q0; b = q4; q0 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q4 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
    a = q1; b = q5; q1 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q5 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
    a = q2; b = q6; q2 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q6 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
    a = q3; b = q7; q3 = (a & 0x0f0f0f0f0f0f0f0f) | ((b & 0x0f0f0f0f0f0f0f0f) << 4); q7 = ((a & 0xf0f0f0f0f0f0f0f0) >> 4) | (b & 0xf0f0f0f0f0f0f0f0);
    const dst = ks + KS_ROUNDKEYS + (<usize>r << 6);
    store<u64>(dst, q0, 0); store<u64>(dst, q1, 8); store<u64>(dst, q2, 16); store<u64>(dst, q3, 24);
    store<u64>(dst, q4, 32); store<u64>(dst, q5, 40); store<u64>(dst, q6, 48); store<u64>(dst, q7, 56);
  }
  wipe(w, 60 * 4);
  wipe(buf, 64);
  return 1;
}

/** Encrypts one 16-byte block (`in` may equal `out`; any alignment). */
export function aes_encrypt_block(ks: usize, src: usize, dst: usize): void {
  const buf = KEYSTREAM;
  memory.copy(buf, src, 16);
  memory.fill(buf + 16, 0, 48);
  aes_encrypt4(ks, buf, buf);
  memory.copy(dst, buf, 16);
  wipe(buf, 64);
}

/**
 * CTR mode: XORs `len` bytes of keystream into `src` -> `dst` (in place
 * allowed). `ctr` is a 16-byte counter block; its last 4 bytes are a
 * big-endian counter incremented (mod 2^32) per block; on return `ctr` holds
 * the counter for the next unused block. A partial final block consumes a
 * whole counter value.
 */
export function aes_ctr32_xor(ks: usize, ctr: usize, src: usize, dst: usize, len: usize): void {
  const cb = CTR_BLOCKS;
  const kstream = KEYSTREAM;
  // Fixed 12-byte prefix into all four counter slots.
  const p0 = load<u64>(ctr, 0);
  const p1 = load<u32>(ctr, 8);
  store<u64>(cb, p0, 0); store<u32>(cb, p1, 8);
  store<u64>(cb, p0, 16); store<u32>(cb, p1, 24);
  store<u64>(cb, p0, 32); store<u32>(cb, p1, 40);
  store<u64>(cb, p0, 48); store<u32>(cb, p1, 56);
  let c = bswap<u32>(load<u32>(ctr, 12));
  while (len >= 64) {
    store<u32>(cb, bswap<u32>(c), 12);
    store<u32>(cb, bswap<u32>(c + 1), 28);
    store<u32>(cb, bswap<u32>(c + 2), 44);
    store<u32>(cb, bswap<u32>(c + 3), 60);
    c += 4;
    aes_encrypt4(ks, cb, kstream);
    store<u64>(dst, load<u64>(src, 0) ^ load<u64>(kstream, 0), 0);
    store<u64>(dst, load<u64>(src, 8) ^ load<u64>(kstream, 8), 8);
    store<u64>(dst, load<u64>(src, 16) ^ load<u64>(kstream, 16), 16);
    store<u64>(dst, load<u64>(src, 24) ^ load<u64>(kstream, 24), 24);
    store<u64>(dst, load<u64>(src, 32) ^ load<u64>(kstream, 32), 32);
    store<u64>(dst, load<u64>(src, 40) ^ load<u64>(kstream, 40), 40);
    store<u64>(dst, load<u64>(src, 48) ^ load<u64>(kstream, 48), 48);
    store<u64>(dst, load<u64>(src, 56) ^ load<u64>(kstream, 56), 56);
    src += 64;
    dst += 64;
    len -= 64;
  }
  if (len > 0) {
    store<u32>(cb, bswap<u32>(c), 12);
    store<u32>(cb, bswap<u32>(c + 1), 28);
    store<u32>(cb, bswap<u32>(c + 2), 44);
    store<u32>(cb, bswap<u32>(c + 3), 60);
    aes_encrypt4(ks, cb, kstream);
    c += <u32>((len + 15) >> 4);
    let i: usize = 0;
    for (; i + 8 <= len; i += 8) store<u64>(dst + i, load<u64>(src + i) ^ load<u64>(kstream + i));
    for (; i < len; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(kstream + i));
  }
  store<u32>(ctr, bswap<u32>(c), 12);
  wipe(kstream, 64);
  wipe(cb, 64); // the counter blocks hold the record's nonce
}

// --- boot self-test: FIPS-197 appendix C.1 (AES-128) and C.3 (AES-256)
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
]);
// @ts-ignore: decorator
@lazy const ST_PT = memory.data<u8>([
  0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
]);
// @ts-ignore: decorator
@lazy const ST_CT128 = memory.data<u8>([
  0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a,
]);
// @ts-ignore: decorator
@lazy const ST_CT256 = memory.data<u8>([
  0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf, 0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89,
]);
// @ts-ignore: decorator
@lazy const ST_KS = memory.data(968, 16);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(16, 16);

/** Known-answer test of AES-128 and AES-256 (FIPS-197 C.1, C.3). */
export function aes_selftest(): bool {
  let ok = aes_key_schedule(ST_KS, ST_KEY, 16) == 1;
  aes_encrypt_block(ST_KS, ST_PT, ST_OUT);
  ok = ok && memory.compare(ST_OUT, ST_CT128, 16) == 0;
  ok = ok && aes_key_schedule(ST_KS, ST_KEY, 32) == 1;
  aes_encrypt_block(ST_KS, ST_PT, ST_OUT);
  ok = ok && memory.compare(ST_OUT, ST_CT256, 16) == 0;
  ok = ok && aes_key_schedule(ST_KS, ST_KEY, 24) == 0;
  wipe(ST_KS, 968);
  return ok;
}
