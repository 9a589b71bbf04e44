// SHA-512 and SHA-384 (FIPS 180-4 §6.4, §6.5): one compression function, two
// initial values. SHA-384 is the hash of TLS_AES_256_GCM_SHA384.
//
// Why it is built this way
// - 64-bit words are u64 locals, structured exactly like sha256.ts: working
//   variables renamed per round, a rolling 16-local schedule window, Maj
//   reusing the previous round's (a ^ b), unaligned i64 loads + bswap from the
//   caller's buffer. Rounds 0-15 are straight-line code with i64.const round
//   constants; rounds 16-79 are a 16-round straight-line body run four times
//   with its constants read from a 640-byte table at fixed offsets (indexed by
//   the public round number only). Measured on V8 (CPU time, SHA-384 of
//   1 MiB, best of 15) this is faster than a full 80-round unroll (~360 vs
//   ~300 MB/s) and less than half its size (4.7 KB vs 11 KB of wasm).
// - Board cost of u64 (32-bit MCU under wasm3): each i64 add/xor/and/shift/
//   rotate is emulated as a short sequence of 32-bit operations inside one
//   interpreter dispatch (no i64.mul is used, so no library calls). Splitting
//   words into hi/lo u32 pairs would roughly double the number of wasm
//   instructions, and on an interpreter the per-instruction dispatch
//   dominates, so u64 is the better choice on the board too. Measured under
//   wabt's wasm-interp (an interpreter, but on a 64-bit host where i64 is
//   native): 256 KiB take 0.27 s for SHA-384 vs 0.37 s for SHA-256, and the
//   16-round loop is no slower there than the full unroll (0.27 vs 0.29 s).
//   On a 32-bit MCU each i64 op costs a few more native instructions inside
//   its dispatch, so expect SHA-384 per byte at roughly 1-2x SHA-256 (an
//   estimate: not yet measured on a board). The block function has 27 u64
//   locals (54 slots with wasm3's 32-bit slots) under wasm3's default MCU
//   function stack height of 128: it should compile, but check when porting
//   to a new board. Only TLS_AES_256_GCM_SHA384 needs this file.
// - No allocation, no secret-dependent branches or indices. sha512_final /
//   sha384_final wipe the context (HMAC keeps key-derived state in it).
//
// Context (SHA512_CTX_SIZE = 200 bytes, any alignment; the same for SHA-384):
//   [0, 64)    chaining value H0..H7 as native u64
//   [64, 192)  partial block (only the first total % 128 bytes are meaningful)
//   [192, 200) total message length in bytes, u64 (the 128-bit bit length
//              written by the padding is total * 8, high part total >> 61)
// To fork a running hash, memory.copy the context and finalise the copy.
import { ct_equal } from "./ct";

export const SHA512_CTX_SIZE: usize = 200;
export const SHA384_CTX_SIZE: usize = 200;
export const SHA512_DIGEST_LEN: usize = 64;
export const SHA384_DIGEST_LEN: usize = 48;
export const SHA512_BLOCK_LEN: usize = 128;

// @ts-ignore: decorator
@inline const BUF: usize = 64;
// @ts-ignore: decorator
@inline const TOTAL: usize = 192;

// Round constants K0..K79 (FIPS 180-4 §4.2.3); indexed only by the public round number.
// @ts-ignore: decorator
@lazy const SHA512_K = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);

/** Absorbs `nblocks` whole 128-byte blocks at `p` (any alignment) into the chaining value at `st`. */
function sha512_blocks(st: usize, p: usize, nblocks: usize): void {
  let a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64;
  let w0: u64, w1: u64, w2: u64, w3: u64, w4: u64, w5: u64, w6: u64, w7: u64;
  let w8: u64, w9: u64, w10: u64, w11: u64, w12: u64, w13: u64, w14: u64, w15: u64;
  let t1: u64, ab: u64, bc: u64;
  while (nblocks != 0) {
    a = load<u64>(st, 0); b = load<u64>(st, 8); c = load<u64>(st, 16); d = load<u64>(st, 24);
    e = load<u64>(st, 32); f = load<u64>(st, 40); g = load<u64>(st, 48); h = load<u64>(st, 56);
    bc = b ^ c;
    // Rounds 0-15: message words straight from the input, constants as immediates.
    w0 = bswap<u64>(load<u64>(p, 0));
    t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + (g ^ (e & (f ^ g))) + <u64>0x428a2f98d728ae22 + w0;
    ab = a ^ b;
    d += t1;
    h = t1 + (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + (b ^ (ab & bc));
    bc = ab;
    w1 = bswap<u64>(load<u64>(p, 8));
    t1 = g + (rotr<u64>(d, 14) ^ rotr<u64>(d, 18) ^ rotr<u64>(d, 41)) + (f ^ (d & (e ^ f))) + <u64>0x7137449123ef65cd + w1;
    ab = h ^ a;
    c += t1;
    g = t1 + (rotr<u64>(h, 28) ^ rotr<u64>(h, 34) ^ rotr<u64>(h, 39)) + (a ^ (ab & bc));
    bc = ab;
    w2 = bswap<u64>(load<u64>(p, 16));
    t1 = f + (rotr<u64>(c, 14) ^ rotr<u64>(c, 18) ^ rotr<u64>(c, 41)) + (e ^ (c & (d ^ e))) + <u64>0xb5c0fbcfec4d3b2f + w2;
    ab = g ^ h;
    b += t1;
    f = t1 + (rotr<u64>(g, 28) ^ rotr<u64>(g, 34) ^ rotr<u64>(g, 39)) + (h ^ (ab & bc));
    bc = ab;
    w3 = bswap<u64>(load<u64>(p, 24));
    t1 = e + (rotr<u64>(b, 14) ^ rotr<u64>(b, 18) ^ rotr<u64>(b, 41)) + (d ^ (b & (c ^ d))) + <u64>0xe9b5dba58189dbbc + w3;
    ab = f ^ g;
    a += t1;
    e = t1 + (rotr<u64>(f, 28) ^ rotr<u64>(f, 34) ^ rotr<u64>(f, 39)) + (g ^ (ab & bc));
    bc = ab;
    w4 = bswap<u64>(load<u64>(p, 32));
    t1 = d + (rotr<u64>(a, 14) ^ rotr<u64>(a, 18) ^ rotr<u64>(a, 41)) + (c ^ (a & (b ^ c))) + <u64>0x3956c25bf348b538 + w4;
    ab = e ^ f;
    h += t1;
    d = t1 + (rotr<u64>(e, 28) ^ rotr<u64>(e, 34) ^ rotr<u64>(e, 39)) + (f ^ (ab & bc));
    bc = ab;
    w5 = bswap<u64>(load<u64>(p, 40));
    t1 = c + (rotr<u64>(h, 14) ^ rotr<u64>(h, 18) ^ rotr<u64>(h, 41)) + (b ^ (h & (a ^ b))) + <u64>0x59f111f1b605d019 + w5;
    ab = d ^ e;
    g += t1;
    c = t1 + (rotr<u64>(d, 28) ^ rotr<u64>(d, 34) ^ rotr<u64>(d, 39)) + (e ^ (ab & bc));
    bc = ab;
    w6 = bswap<u64>(load<u64>(p, 48));
    t1 = b + (rotr<u64>(g, 14) ^ rotr<u64>(g, 18) ^ rotr<u64>(g, 41)) + (a ^ (g & (h ^ a))) + <u64>0x923f82a4af194f9b + w6;
    ab = c ^ d;
    f += t1;
    b = t1 + (rotr<u64>(c, 28) ^ rotr<u64>(c, 34) ^ rotr<u64>(c, 39)) + (d ^ (ab & bc));
    bc = ab;
    w7 = bswap<u64>(load<u64>(p, 56));
    t1 = a + (rotr<u64>(f, 14) ^ rotr<u64>(f, 18) ^ rotr<u64>(f, 41)) + (h ^ (f & (g ^ h))) + <u64>0xab1c5ed5da6d8118 + w7;
    ab = b ^ c;
    e += t1;
    a = t1 + (rotr<u64>(b, 28) ^ rotr<u64>(b, 34) ^ rotr<u64>(b, 39)) + (c ^ (ab & bc));
    bc = ab;
    w8 = bswap<u64>(load<u64>(p, 64));
    t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + (g ^ (e & (f ^ g))) + <u64>0xd807aa98a3030242 + w8;
    ab = a ^ b;
    d += t1;
    h = t1 + (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + (b ^ (ab & bc));
    bc = ab;
    w9 = bswap<u64>(load<u64>(p, 72));
    t1 = g + (rotr<u64>(d, 14) ^ rotr<u64>(d, 18) ^ rotr<u64>(d, 41)) + (f ^ (d & (e ^ f))) + <u64>0x12835b0145706fbe + w9;
    ab = h ^ a;
    c += t1;
    g = t1 + (rotr<u64>(h, 28) ^ rotr<u64>(h, 34) ^ rotr<u64>(h, 39)) + (a ^ (ab & bc));
    bc = ab;
    w10 = bswap<u64>(load<u64>(p, 80));
    t1 = f + (rotr<u64>(c, 14) ^ rotr<u64>(c, 18) ^ rotr<u64>(c, 41)) + (e ^ (c & (d ^ e))) + <u64>0x243185be4ee4b28c + w10;
    ab = g ^ h;
    b += t1;
    f = t1 + (rotr<u64>(g, 28) ^ rotr<u64>(g, 34) ^ rotr<u64>(g, 39)) + (h ^ (ab & bc));
    bc = ab;
    w11 = bswap<u64>(load<u64>(p, 88));
    t1 = e + (rotr<u64>(b, 14) ^ rotr<u64>(b, 18) ^ rotr<u64>(b, 41)) + (d ^ (b & (c ^ d))) + <u64>0x550c7dc3d5ffb4e2 + w11;
    ab = f ^ g;
    a += t1;
    e = t1 + (rotr<u64>(f, 28) ^ rotr<u64>(f, 34) ^ rotr<u64>(f, 39)) + (g ^ (ab & bc));
    bc = ab;
    w12 = bswap<u64>(load<u64>(p, 96));
    t1 = d + (rotr<u64>(a, 14) ^ rotr<u64>(a, 18) ^ rotr<u64>(a, 41)) + (c ^ (a & (b ^ c))) + <u64>0x72be5d74f27b896f + w12;
    ab = e ^ f;
    h += t1;
    d = t1 + (rotr<u64>(e, 28) ^ rotr<u64>(e, 34) ^ rotr<u64>(e, 39)) + (f ^ (ab & bc));
    bc = ab;
    w13 = bswap<u64>(load<u64>(p, 104));
    t1 = c + (rotr<u64>(h, 14) ^ rotr<u64>(h, 18) ^ rotr<u64>(h, 41)) + (b ^ (h & (a ^ b))) + <u64>0x80deb1fe3b1696b1 + w13;
    ab = d ^ e;
    g += t1;
    c = t1 + (rotr<u64>(d, 28) ^ rotr<u64>(d, 34) ^ rotr<u64>(d, 39)) + (e ^ (ab & bc));
    bc = ab;
    w14 = bswap<u64>(load<u64>(p, 112));
    t1 = b + (rotr<u64>(g, 14) ^ rotr<u64>(g, 18) ^ rotr<u64>(g, 41)) + (a ^ (g & (h ^ a))) + <u64>0x9bdc06a725c71235 + w14;
    ab = c ^ d;
    f += t1;
    b = t1 + (rotr<u64>(c, 28) ^ rotr<u64>(c, 34) ^ rotr<u64>(c, 39)) + (d ^ (ab & bc));
    bc = ab;
    w15 = bswap<u64>(load<u64>(p, 120));
    t1 = a + (rotr<u64>(f, 14) ^ rotr<u64>(f, 18) ^ rotr<u64>(f, 41)) + (h ^ (f & (g ^ h))) + <u64>0xc19bf174cf692694 + w15;
    ab = b ^ c;
    e += t1;
    a = t1 + (rotr<u64>(b, 28) ^ rotr<u64>(b, 34) ^ rotr<u64>(b, 39)) + (c ^ (ab & bc));
    bc = ab;
    // Rounds 16+: the same 16-round body four times (rounds 16-31, ..., 64-79); kp walks the constant table.
    for (let kp = SHA512_K + 128; kp < SHA512_K + 640; kp += 128) {
      w0 += (rotr<u64>(w1, 1) ^ rotr<u64>(w1, 8) ^ (w1 >>> 7)) + w9 + (rotr<u64>(w14, 19) ^ rotr<u64>(w14, 61) ^ (w14 >>> 6));
      t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + (g ^ (e & (f ^ g))) + load<u64>(kp, 0) + w0;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + (b ^ (ab & bc));
      bc = ab;
      w1 += (rotr<u64>(w2, 1) ^ rotr<u64>(w2, 8) ^ (w2 >>> 7)) + w10 + (rotr<u64>(w15, 19) ^ rotr<u64>(w15, 61) ^ (w15 >>> 6));
      t1 = g + (rotr<u64>(d, 14) ^ rotr<u64>(d, 18) ^ rotr<u64>(d, 41)) + (f ^ (d & (e ^ f))) + load<u64>(kp, 8) + w1;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u64>(h, 28) ^ rotr<u64>(h, 34) ^ rotr<u64>(h, 39)) + (a ^ (ab & bc));
      bc = ab;
      w2 += (rotr<u64>(w3, 1) ^ rotr<u64>(w3, 8) ^ (w3 >>> 7)) + w11 + (rotr<u64>(w0, 19) ^ rotr<u64>(w0, 61) ^ (w0 >>> 6));
      t1 = f + (rotr<u64>(c, 14) ^ rotr<u64>(c, 18) ^ rotr<u64>(c, 41)) + (e ^ (c & (d ^ e))) + load<u64>(kp, 16) + w2;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u64>(g, 28) ^ rotr<u64>(g, 34) ^ rotr<u64>(g, 39)) + (h ^ (ab & bc));
      bc = ab;
      w3 += (rotr<u64>(w4, 1) ^ rotr<u64>(w4, 8) ^ (w4 >>> 7)) + w12 + (rotr<u64>(w1, 19) ^ rotr<u64>(w1, 61) ^ (w1 >>> 6));
      t1 = e + (rotr<u64>(b, 14) ^ rotr<u64>(b, 18) ^ rotr<u64>(b, 41)) + (d ^ (b & (c ^ d))) + load<u64>(kp, 24) + w3;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u64>(f, 28) ^ rotr<u64>(f, 34) ^ rotr<u64>(f, 39)) + (g ^ (ab & bc));
      bc = ab;
      w4 += (rotr<u64>(w5, 1) ^ rotr<u64>(w5, 8) ^ (w5 >>> 7)) + w13 + (rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >>> 6));
      t1 = d + (rotr<u64>(a, 14) ^ rotr<u64>(a, 18) ^ rotr<u64>(a, 41)) + (c ^ (a & (b ^ c))) + load<u64>(kp, 32) + w4;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u64>(e, 28) ^ rotr<u64>(e, 34) ^ rotr<u64>(e, 39)) + (f ^ (ab & bc));
      bc = ab;
      w5 += (rotr<u64>(w6, 1) ^ rotr<u64>(w6, 8) ^ (w6 >>> 7)) + w14 + (rotr<u64>(w3, 19) ^ rotr<u64>(w3, 61) ^ (w3 >>> 6));
      t1 = c + (rotr<u64>(h, 14) ^ rotr<u64>(h, 18) ^ rotr<u64>(h, 41)) + (b ^ (h & (a ^ b))) + load<u64>(kp, 40) + w5;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u64>(d, 28) ^ rotr<u64>(d, 34) ^ rotr<u64>(d, 39)) + (e ^ (ab & bc));
      bc = ab;
      w6 += (rotr<u64>(w7, 1) ^ rotr<u64>(w7, 8) ^ (w7 >>> 7)) + w15 + (rotr<u64>(w4, 19) ^ rotr<u64>(w4, 61) ^ (w4 >>> 6));
      t1 = b + (rotr<u64>(g, 14) ^ rotr<u64>(g, 18) ^ rotr<u64>(g, 41)) + (a ^ (g & (h ^ a))) + load<u64>(kp, 48) + w6;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u64>(c, 28) ^ rotr<u64>(c, 34) ^ rotr<u64>(c, 39)) + (d ^ (ab & bc));
      bc = ab;
      w7 += (rotr<u64>(w8, 1) ^ rotr<u64>(w8, 8) ^ (w8 >>> 7)) + w0 + (rotr<u64>(w5, 19) ^ rotr<u64>(w5, 61) ^ (w5 >>> 6));
      t1 = a + (rotr<u64>(f, 14) ^ rotr<u64>(f, 18) ^ rotr<u64>(f, 41)) + (h ^ (f & (g ^ h))) + load<u64>(kp, 56) + w7;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u64>(b, 28) ^ rotr<u64>(b, 34) ^ rotr<u64>(b, 39)) + (c ^ (ab & bc));
      bc = ab;
      w8 += (rotr<u64>(w9, 1) ^ rotr<u64>(w9, 8) ^ (w9 >>> 7)) + w1 + (rotr<u64>(w6, 19) ^ rotr<u64>(w6, 61) ^ (w6 >>> 6));
      t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + (g ^ (e & (f ^ g))) + load<u64>(kp, 64) + w8;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + (b ^ (ab & bc));
      bc = ab;
      w9 += (rotr<u64>(w10, 1) ^ rotr<u64>(w10, 8) ^ (w10 >>> 7)) + w2 + (rotr<u64>(w7, 19) ^ rotr<u64>(w7, 61) ^ (w7 >>> 6));
      t1 = g + (rotr<u64>(d, 14) ^ rotr<u64>(d, 18) ^ rotr<u64>(d, 41)) + (f ^ (d & (e ^ f))) + load<u64>(kp, 72) + w9;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u64>(h, 28) ^ rotr<u64>(h, 34) ^ rotr<u64>(h, 39)) + (a ^ (ab & bc));
      bc = ab;
      w10 += (rotr<u64>(w11, 1) ^ rotr<u64>(w11, 8) ^ (w11 >>> 7)) + w3 + (rotr<u64>(w8, 19) ^ rotr<u64>(w8, 61) ^ (w8 >>> 6));
      t1 = f + (rotr<u64>(c, 14) ^ rotr<u64>(c, 18) ^ rotr<u64>(c, 41)) + (e ^ (c & (d ^ e))) + load<u64>(kp, 80) + w10;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u64>(g, 28) ^ rotr<u64>(g, 34) ^ rotr<u64>(g, 39)) + (h ^ (ab & bc));
      bc = ab;
      w11 += (rotr<u64>(w12, 1) ^ rotr<u64>(w12, 8) ^ (w12 >>> 7)) + w4 + (rotr<u64>(w9, 19) ^ rotr<u64>(w9, 61) ^ (w9 >>> 6));
      t1 = e + (rotr<u64>(b, 14) ^ rotr<u64>(b, 18) ^ rotr<u64>(b, 41)) + (d ^ (b & (c ^ d))) + load<u64>(kp, 88) + w11;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u64>(f, 28) ^ rotr<u64>(f, 34) ^ rotr<u64>(f, 39)) + (g ^ (ab & bc));
      bc = ab;
      w12 += (rotr<u64>(w13, 1) ^ rotr<u64>(w13, 8) ^ (w13 >>> 7)) + w5 + (rotr<u64>(w10, 19) ^ rotr<u64>(w10, 61) ^ (w10 >>> 6));
      t1 = d + (rotr<u64>(a, 14) ^ rotr<u64>(a, 18) ^ rotr<u64>(a, 41)) + (c ^ (a & (b ^ c))) + load<u64>(kp, 96) + w12;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u64>(e, 28) ^ rotr<u64>(e, 34) ^ rotr<u64>(e, 39)) + (f ^ (ab & bc));
      bc = ab;
      w13 += (rotr<u64>(w14, 1) ^ rotr<u64>(w14, 8) ^ (w14 >>> 7)) + w6 + (rotr<u64>(w11, 19) ^ rotr<u64>(w11, 61) ^ (w11 >>> 6));
      t1 = c + (rotr<u64>(h, 14) ^ rotr<u64>(h, 18) ^ rotr<u64>(h, 41)) + (b ^ (h & (a ^ b))) + load<u64>(kp, 104) + w13;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u64>(d, 28) ^ rotr<u64>(d, 34) ^ rotr<u64>(d, 39)) + (e ^ (ab & bc));
      bc = ab;
      w14 += (rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >>> 7)) + w7 + (rotr<u64>(w12, 19) ^ rotr<u64>(w12, 61) ^ (w12 >>> 6));
      t1 = b + (rotr<u64>(g, 14) ^ rotr<u64>(g, 18) ^ rotr<u64>(g, 41)) + (a ^ (g & (h ^ a))) + load<u64>(kp, 112) + w14;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u64>(c, 28) ^ rotr<u64>(c, 34) ^ rotr<u64>(c, 39)) + (d ^ (ab & bc));
      bc = ab;
      w15 += (rotr<u64>(w0, 1) ^ rotr<u64>(w0, 8) ^ (w0 >>> 7)) + w8 + (rotr<u64>(w13, 19) ^ rotr<u64>(w13, 61) ^ (w13 >>> 6));
      t1 = a + (rotr<u64>(f, 14) ^ rotr<u64>(f, 18) ^ rotr<u64>(f, 41)) + (h ^ (f & (g ^ h))) + load<u64>(kp, 120) + w15;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u64>(b, 28) ^ rotr<u64>(b, 34) ^ rotr<u64>(b, 39)) + (c ^ (ab & bc));
      bc = ab;
    }

    store<u64>(st, load<u64>(st, 0) + a, 0);
    store<u64>(st, load<u64>(st, 8) + b, 8);
    store<u64>(st, load<u64>(st, 16) + c, 16);
    store<u64>(st, load<u64>(st, 24) + d, 24);
    store<u64>(st, load<u64>(st, 32) + e, 32);
    store<u64>(st, load<u64>(st, 40) + f, 40);
    store<u64>(st, load<u64>(st, 48) + g, 48);
    store<u64>(st, load<u64>(st, 56) + h, 56);
    p += 128;
    nblocks--;
  }
}

/** Starts a SHA-512 computation in the SHA512_CTX_SIZE bytes at `ctx`. */
export function sha512_init(ctx: usize): void {
  store<u64>(ctx, 0x6a09e667f3bcc908, 0);
  store<u64>(ctx, 0xbb67ae8584caa73b, 8);
  store<u64>(ctx, 0x3c6ef372fe94f82b, 16);
  store<u64>(ctx, 0xa54ff53a5f1d36f1, 24);
  store<u64>(ctx, 0x510e527fade682d1, 32);
  store<u64>(ctx, 0x9b05688c2b3e6c1f, 40);
  store<u64>(ctx, 0x1f83d9abfb41bd6b, 48);
  store<u64>(ctx, 0x5be0cd19137e2179, 56);
  store<u64>(ctx, 0, TOTAL);
}

/** Starts a SHA-384 computation in the SHA384_CTX_SIZE bytes at `ctx`. */
export function sha384_init(ctx: usize): void {
  store<u64>(ctx, 0xcbbb9d5dc1059ed8, 0);
  store<u64>(ctx, 0x629a292a367cd507, 8);
  store<u64>(ctx, 0x9159015a3070dd17, 16);
  store<u64>(ctx, 0x152fecd8f70e5939, 24);
  store<u64>(ctx, 0x67332667ffc00b31, 32);
  store<u64>(ctx, 0x8eb44a8768581511, 40);
  store<u64>(ctx, 0xdb0c2e0d64f98fa7, 48);
  store<u64>(ctx, 0x47b5481dbefa4fa4, 56);
  store<u64>(ctx, 0, TOTAL);
}

/** Absorbs `len` bytes at `p` (any alignment). */
export function sha512_update(ctx: usize, p: usize, len: usize): void {
  let used = <usize>(load<u32>(ctx, TOTAL) & 127);
  store<u64>(ctx, load<u64>(ctx, TOTAL) + <u64>len, TOTAL);
  if (used != 0) {
    let take: usize = 128 - used;
    if (take > len) take = len;
    memory.copy(ctx + BUF + used, p, take);
    used += take;
    p += take;
    len -= take;
    if (used < 128) return;
    sha512_blocks(ctx, ctx + BUF, 1);
  }
  let whole = len >> 7;
  if (whole != 0) {
    sha512_blocks(ctx, p, whole);
    p += whole << 7;
    len &= 127;
  }
  if (len != 0) memory.copy(ctx + BUF, p, len);
}

/** Same as sha512_update (SHA-384 differs only in its initial value and output length). */
export function sha384_update(ctx: usize, p: usize, len: usize): void {
  sha512_update(ctx, p, len);
}

/** Pads, writes the first `outLen` bytes of the final chaining value (big-endian) and wipes the context. */
function sha512_finish(ctx: usize, out: usize, outLen: usize): void {
  let total = load<u64>(ctx, TOTAL);
  let used = <usize>(<u32>total & 127);
  let buf = ctx + BUF;
  store<u8>(buf + used, 0x80);
  used++;
  if (used > 112) {
    memory.fill(buf + used, 0, 128 - used);
    sha512_blocks(ctx, buf, 1);
    used = 0;
  }
  memory.fill(buf + used, 0, 112 - used);
  store<u64>(buf, bswap<u64>(total >>> 61), 112);
  store<u64>(buf, bswap<u64>(total << 3), 120);
  sha512_blocks(ctx, buf, 1);
  for (let i: usize = 0; i < outLen; i += 8) store<u64>(out + i, bswap<u64>(load<u64>(ctx + i)));
  memory.fill(ctx, 0, SHA512_CTX_SIZE);
}

/** Writes the 64-byte SHA-512 digest to `out` (any alignment) and wipes the context. */
export function sha512_final(ctx: usize, out: usize): void {
  sha512_finish(ctx, out, 64);
}

/** Writes the 48-byte SHA-384 digest to `out` (any alignment) and wipes the context. */
export function sha384_final(ctx: usize, out: usize): void {
  sha512_finish(ctx, out, 48);
}

// Context for the one-shot forms; the final step leaves it zeroed.
// @ts-ignore: decorator
@lazy const SHA512_SCRATCH = memory.data(200, 8);

/** One-shot SHA-512 of `len` bytes at `p` into the 64 bytes at `out` (may alias the input). */
export function sha512(p: usize, len: usize, out: usize): void {
  sha512_init(SHA512_SCRATCH);
  sha512_update(SHA512_SCRATCH, p, len);
  sha512_finish(SHA512_SCRATCH, out, 64);
}

/** One-shot SHA-384 of `len` bytes at `p` into the 48 bytes at `out` (may alias the input). */
export function sha384(p: usize, len: usize, out: usize): void {
  sha384_init(SHA512_SCRATCH);
  sha512_update(SHA512_SCRATCH, p, len);
  sha512_finish(SHA512_SCRATCH, out, 48);
}

// Boot known answers (FIPS 180-4 examples): SHA-384("abc") and SHA-512 of the
// 896-bit message, whose padding spills into a second block.
// @ts-ignore: decorator
@lazy const ST_ABC = memory.data<u8>([0x61, 0x62, 0x63]);
// @ts-ignore: decorator
@lazy const ST_ABC_384 = memory.data<u8>([0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69, 0x9a, 0xc6, 0x50, 0x07, 0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63, 0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed, 0x80, 0x86, 0x07, 0x2b, 0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7]);
// @ts-ignore: decorator
@lazy const ST_896 = memory.data<u8>([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75]);
// @ts-ignore: decorator
@lazy const ST_896_512 = memory.data<u8>([0x8e, 0x95, 0x9b, 0x75, 0xda, 0xe3, 0x13, 0xda, 0x8c, 0xf4, 0xf7, 0x28, 0x14, 0xfc, 0x14, 0x3f, 0x8f, 0x77, 0x79, 0xc6, 0xeb, 0x9f, 0x7f, 0xa1, 0x72, 0x99, 0xae, 0xad, 0xb6, 0x88, 0x90, 0x18, 0x50, 0x1d, 0x28, 0x9e, 0x49, 0x00, 0xf7, 0xe4, 0x33, 0x1b, 0x99, 0xde, 0xc4, 0xb5, 0x43, 0x3a, 0xc7, 0xd3, 0x29, 0xee, 0xb6, 0xdd, 0x26, 0x54, 0x5e, 0x96, 0xe5, 0x5b, 0x87, 0x4b, 0xe9, 0x09]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(64, 8);

/** Known-answer test run at boot. */
export function sha512_selftest(): bool {
  sha384(ST_ABC, 3, ST_OUT);
  let ok = ct_equal(ST_OUT, ST_ABC_384, 48);
  sha512(ST_896, 112, ST_OUT);
  ok &= ct_equal(ST_OUT, ST_896_512, 64);
  return ok == 1;
}
