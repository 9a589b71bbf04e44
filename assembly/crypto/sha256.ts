// SHA-256 (FIPS 180-4 §6.2): the TLS 1.3 transcript hash and the HMAC/HKDF
// hash of TLS_AES_128_GCM_SHA256 and TLS_CHACHA20_POLY1305_SHA256.
//
// Why it is built this way
// - The 64 rounds run on u32 locals: the working variables are renamed from
//   round to round instead of shuffled (only d and h are written each round),
//   and the message schedule is a rolling window of 16 locals (w0..w15)
//   updated just before the round that needs it. Words are read with
//   unaligned i32 loads + bswap straight from the caller's buffer: whole
//   blocks are never copied into the context.
// - Unrolling: rounds 0-15 (which load the message) are straight-line code
//   with the round constants as i32.const immediates; rounds 16-63 are one
//   straight-line body of 16 rounds run three times, reading its constants
//   from a 256-byte table at fixed offsets from a pointer that advances by the
//   (public) round number. 16 is the smallest unroll that returns both the
//   variable renaming (period 8) and the schedule window (period 16) to their
//   starting names. Measured on V8 (CPU time, 1 MiB, best of 15) this runs as
//   fast as a full 64-round unroll (245 vs 243 MB/s, within noise) with half
//   the code (4.0 KB vs 8.0 KB of wasm for the block function), and under
//   wabt's wasm-interp (an interpreter, like wasm3) 256 KiB take 0.37 s vs
//   0.38 s. Code size matters on boards: wasm3 keeps roughly 3x the wasm size
//   as compiled code pages in RAM.
// - Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)); this round's (a ^ b) is the next
//   round's (b ^ c), so it is carried in a local (one op per round saved).
//   Ch(e,f,g) = g ^ (e & (f ^ g)).
// - Everything is 32-bit except the message-length counter (one i64 add per
//   update call), so on a 32-bit board under wasm3 nothing in the rounds is
//   emulated.
// - No allocation, no secret-dependent branches or indices: control flow and
//   table offsets depend only on lengths and round numbers. sha256_final wipes
//   the context because HMAC/HKDF keep key-derived chaining values in it.
//
// Context (SHA256_CTX_SIZE = 104 bytes, any alignment):
//   [0, 32)   chaining value H0..H7 as native u32
//   [32, 96)  partial block (only the first total % 64 bytes are meaningful)
//   [96, 104) total message length in bytes, u64
// To fork a running hash (e.g. a TLS transcript), memory.copy the context and
// finalise the copy: sha256_final consumes and wipes its context.

import { ct_equal } from "./ct";
import { SIZE_OPTIMISED } from "../features";

export const SHA256_CTX_SIZE: usize = 104;
export const SHA256_DIGEST_LEN: usize = 32;
export const SHA256_BLOCK_LEN: usize = 64;

// @ts-ignore: decorator
@inline const BUF: usize = 32;
// @ts-ignore: decorator
@inline const TOTAL: usize = 96;

// Round constants K0..K63 (FIPS 180-4 §4.2.2); indexed only by the public round number.
// @ts-ignore: decorator
@lazy const SHA256_K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Absorbs `nblocks` whole 64-byte blocks at `p` (any alignment) into the chaining value at `st`: speed first. */
function sha256_blocks_fast(st: usize, p: usize, nblocks: usize): void {
  let a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32;
  let w0: u32, w1: u32, w2: u32, w3: u32, w4: u32, w5: u32, w6: u32, w7: u32;
  let w8: u32, w9: u32, w10: u32, w11: u32, w12: u32, w13: u32, w14: u32, w15: u32;
  let t1: u32, ab: u32, bc: u32;
  while (nblocks != 0) {
    a = load<u32>(st, 0); b = load<u32>(st, 4); c = load<u32>(st, 8); d = load<u32>(st, 12);
    e = load<u32>(st, 16); f = load<u32>(st, 20); g = load<u32>(st, 24); h = load<u32>(st, 28);
    bc = b ^ c;
    // Rounds 0-15: message words straight from the input, constants as immediates.
    w0 = bswap<u32>(load<u32>(p, 0));
    t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + 0x428a2f98 + w0;
    ab = a ^ b;
    d += t1;
    h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
    bc = ab;
    w1 = bswap<u32>(load<u32>(p, 4));
    t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + 0x71374491 + w1;
    ab = h ^ a;
    c += t1;
    g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
    bc = ab;
    w2 = bswap<u32>(load<u32>(p, 8));
    t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + 0xb5c0fbcf + w2;
    ab = g ^ h;
    b += t1;
    f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
    bc = ab;
    w3 = bswap<u32>(load<u32>(p, 12));
    t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + 0xe9b5dba5 + w3;
    ab = f ^ g;
    a += t1;
    e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
    bc = ab;
    w4 = bswap<u32>(load<u32>(p, 16));
    t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + 0x3956c25b + w4;
    ab = e ^ f;
    h += t1;
    d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
    bc = ab;
    w5 = bswap<u32>(load<u32>(p, 20));
    t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + 0x59f111f1 + w5;
    ab = d ^ e;
    g += t1;
    c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
    bc = ab;
    w6 = bswap<u32>(load<u32>(p, 24));
    t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + 0x923f82a4 + w6;
    ab = c ^ d;
    f += t1;
    b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
    bc = ab;
    w7 = bswap<u32>(load<u32>(p, 28));
    t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + 0xab1c5ed5 + w7;
    ab = b ^ c;
    e += t1;
    a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
    bc = ab;
    w8 = bswap<u32>(load<u32>(p, 32));
    t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + 0xd807aa98 + w8;
    ab = a ^ b;
    d += t1;
    h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
    bc = ab;
    w9 = bswap<u32>(load<u32>(p, 36));
    t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + 0x12835b01 + w9;
    ab = h ^ a;
    c += t1;
    g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
    bc = ab;
    w10 = bswap<u32>(load<u32>(p, 40));
    t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + 0x243185be + w10;
    ab = g ^ h;
    b += t1;
    f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
    bc = ab;
    w11 = bswap<u32>(load<u32>(p, 44));
    t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + 0x550c7dc3 + w11;
    ab = f ^ g;
    a += t1;
    e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
    bc = ab;
    w12 = bswap<u32>(load<u32>(p, 48));
    t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + 0x72be5d74 + w12;
    ab = e ^ f;
    h += t1;
    d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
    bc = ab;
    w13 = bswap<u32>(load<u32>(p, 52));
    t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + 0x80deb1fe + w13;
    ab = d ^ e;
    g += t1;
    c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
    bc = ab;
    w14 = bswap<u32>(load<u32>(p, 56));
    t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + 0x9bdc06a7 + w14;
    ab = c ^ d;
    f += t1;
    b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
    bc = ab;
    w15 = bswap<u32>(load<u32>(p, 60));
    t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + 0xc19bf174 + w15;
    ab = b ^ c;
    e += t1;
    a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
    bc = ab;
    // Rounds 16+: the same 16-round body three times (rounds 16-31, 32-47, 48-63); kp walks the constant table.
    for (let kp = SHA256_K + 64; kp < SHA256_K + 256; kp += 64) {
      w0 += (rotr<u32>(w1, 7) ^ rotr<u32>(w1, 18) ^ (w1 >>> 3)) + w9 + (rotr<u32>(w14, 17) ^ rotr<u32>(w14, 19) ^ (w14 >>> 10));
      t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + load<u32>(kp, 0) + w0;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
      bc = ab;
      w1 += (rotr<u32>(w2, 7) ^ rotr<u32>(w2, 18) ^ (w2 >>> 3)) + w10 + (rotr<u32>(w15, 17) ^ rotr<u32>(w15, 19) ^ (w15 >>> 10));
      t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + load<u32>(kp, 4) + w1;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
      bc = ab;
      w2 += (rotr<u32>(w3, 7) ^ rotr<u32>(w3, 18) ^ (w3 >>> 3)) + w11 + (rotr<u32>(w0, 17) ^ rotr<u32>(w0, 19) ^ (w0 >>> 10));
      t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + load<u32>(kp, 8) + w2;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
      bc = ab;
      w3 += (rotr<u32>(w4, 7) ^ rotr<u32>(w4, 18) ^ (w4 >>> 3)) + w12 + (rotr<u32>(w1, 17) ^ rotr<u32>(w1, 19) ^ (w1 >>> 10));
      t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + load<u32>(kp, 12) + w3;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
      bc = ab;
      w4 += (rotr<u32>(w5, 7) ^ rotr<u32>(w5, 18) ^ (w5 >>> 3)) + w13 + (rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10));
      t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + load<u32>(kp, 16) + w4;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
      bc = ab;
      w5 += (rotr<u32>(w6, 7) ^ rotr<u32>(w6, 18) ^ (w6 >>> 3)) + w14 + (rotr<u32>(w3, 17) ^ rotr<u32>(w3, 19) ^ (w3 >>> 10));
      t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + load<u32>(kp, 20) + w5;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
      bc = ab;
      w6 += (rotr<u32>(w7, 7) ^ rotr<u32>(w7, 18) ^ (w7 >>> 3)) + w15 + (rotr<u32>(w4, 17) ^ rotr<u32>(w4, 19) ^ (w4 >>> 10));
      t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + load<u32>(kp, 24) + w6;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
      bc = ab;
      w7 += (rotr<u32>(w8, 7) ^ rotr<u32>(w8, 18) ^ (w8 >>> 3)) + w0 + (rotr<u32>(w5, 17) ^ rotr<u32>(w5, 19) ^ (w5 >>> 10));
      t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + load<u32>(kp, 28) + w7;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
      bc = ab;
      w8 += (rotr<u32>(w9, 7) ^ rotr<u32>(w9, 18) ^ (w9 >>> 3)) + w1 + (rotr<u32>(w6, 17) ^ rotr<u32>(w6, 19) ^ (w6 >>> 10));
      t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + load<u32>(kp, 32) + w8;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
      bc = ab;
      w9 += (rotr<u32>(w10, 7) ^ rotr<u32>(w10, 18) ^ (w10 >>> 3)) + w2 + (rotr<u32>(w7, 17) ^ rotr<u32>(w7, 19) ^ (w7 >>> 10));
      t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + load<u32>(kp, 36) + w9;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
      bc = ab;
      w10 += (rotr<u32>(w11, 7) ^ rotr<u32>(w11, 18) ^ (w11 >>> 3)) + w3 + (rotr<u32>(w8, 17) ^ rotr<u32>(w8, 19) ^ (w8 >>> 10));
      t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + load<u32>(kp, 40) + w10;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
      bc = ab;
      w11 += (rotr<u32>(w12, 7) ^ rotr<u32>(w12, 18) ^ (w12 >>> 3)) + w4 + (rotr<u32>(w9, 17) ^ rotr<u32>(w9, 19) ^ (w9 >>> 10));
      t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + load<u32>(kp, 44) + w11;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
      bc = ab;
      w12 += (rotr<u32>(w13, 7) ^ rotr<u32>(w13, 18) ^ (w13 >>> 3)) + w5 + (rotr<u32>(w10, 17) ^ rotr<u32>(w10, 19) ^ (w10 >>> 10));
      t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + load<u32>(kp, 48) + w12;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
      bc = ab;
      w13 += (rotr<u32>(w14, 7) ^ rotr<u32>(w14, 18) ^ (w14 >>> 3)) + w6 + (rotr<u32>(w11, 17) ^ rotr<u32>(w11, 19) ^ (w11 >>> 10));
      t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + load<u32>(kp, 52) + w13;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
      bc = ab;
      w14 += (rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3)) + w7 + (rotr<u32>(w12, 17) ^ rotr<u32>(w12, 19) ^ (w12 >>> 10));
      t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + load<u32>(kp, 56) + w14;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
      bc = ab;
      w15 += (rotr<u32>(w0, 7) ^ rotr<u32>(w0, 18) ^ (w0 >>> 3)) + w8 + (rotr<u32>(w13, 17) ^ rotr<u32>(w13, 19) ^ (w13 >>> 10));
      t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + load<u32>(kp, 60) + w15;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
      bc = ab;
    }

    add_to_state(st, a, b, c, d, e, f, g, h);
    p += 64;
    nblocks--;
  }
}

/** Adds a block's working variables into the chaining value at `st` (both block functions end so). */
// @ts-ignore: decorator
@inline function add_to_state(st: usize, a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32): void {
  store<u32>(st, load<u32>(st, 0) + a, 0);
  store<u32>(st, load<u32>(st, 4) + b, 4);
  store<u32>(st, load<u32>(st, 8) + c, 8);
  store<u32>(st, load<u32>(st, 12) + d, 12);
  store<u32>(st, load<u32>(st, 16) + e, 16);
  store<u32>(st, load<u32>(st, 20) + f, 20);
  store<u32>(st, load<u32>(st, 24) + g, 24);
  store<u32>(st, load<u32>(st, 28) + h, 28);
}

// The size-optimised block function of a board module (assembly/features.ts
// SIZE_OPTIMISED): the same 16-round body as the fast function's rounds
// 16-63, run four times; the message words are loaded into the schedule
// window first, and from the second pass on the window advances 16 words
// before the pass instead of one word before each round. It executes the
// same operations as the fast function (plus one branch and the loop per
// pass), in about 40% of its wasm.
function sha256_blocks_small(st: usize, p: usize, nblocks: usize): void {
  let a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32;
  let w0: u32, w1: u32, w2: u32, w3: u32, w4: u32, w5: u32, w6: u32, w7: u32;
  let w8: u32, w9: u32, w10: u32, w11: u32, w12: u32, w13: u32, w14: u32, w15: u32;
  let t1: u32, ab: u32, bc: u32;
  while (nblocks != 0) {
    w0 = bswap<u32>(load<u32>(p, 0));
    w1 = bswap<u32>(load<u32>(p, 4));
    w2 = bswap<u32>(load<u32>(p, 8));
    w3 = bswap<u32>(load<u32>(p, 12));
    w4 = bswap<u32>(load<u32>(p, 16));
    w5 = bswap<u32>(load<u32>(p, 20));
    w6 = bswap<u32>(load<u32>(p, 24));
    w7 = bswap<u32>(load<u32>(p, 28));
    w8 = bswap<u32>(load<u32>(p, 32));
    w9 = bswap<u32>(load<u32>(p, 36));
    w10 = bswap<u32>(load<u32>(p, 40));
    w11 = bswap<u32>(load<u32>(p, 44));
    w12 = bswap<u32>(load<u32>(p, 48));
    w13 = bswap<u32>(load<u32>(p, 52));
    w14 = bswap<u32>(load<u32>(p, 56));
    w15 = bswap<u32>(load<u32>(p, 60));
    a = load<u32>(st, 0); b = load<u32>(st, 4); c = load<u32>(st, 8); d = load<u32>(st, 12);
    e = load<u32>(st, 16); f = load<u32>(st, 20); g = load<u32>(st, 24); h = load<u32>(st, 28);
    bc = b ^ c;
    for (let pass: usize = 0; pass < 4; pass++) {
      const k = SHA256_K + (pass << 6);
      if (pass != 0) {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], 16 words in order.
        w0 += (rotr<u32>(w14, 17) ^ rotr<u32>(w14, 19) ^ (w14 >>> 10)) + w9 + (rotr<u32>(w1, 7) ^ rotr<u32>(w1, 18) ^ (w1 >>> 3));
        w1 += (rotr<u32>(w15, 17) ^ rotr<u32>(w15, 19) ^ (w15 >>> 10)) + w10 + (rotr<u32>(w2, 7) ^ rotr<u32>(w2, 18) ^ (w2 >>> 3));
        w2 += (rotr<u32>(w0, 17) ^ rotr<u32>(w0, 19) ^ (w0 >>> 10)) + w11 + (rotr<u32>(w3, 7) ^ rotr<u32>(w3, 18) ^ (w3 >>> 3));
        w3 += (rotr<u32>(w1, 17) ^ rotr<u32>(w1, 19) ^ (w1 >>> 10)) + w12 + (rotr<u32>(w4, 7) ^ rotr<u32>(w4, 18) ^ (w4 >>> 3));
        w4 += (rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10)) + w13 + (rotr<u32>(w5, 7) ^ rotr<u32>(w5, 18) ^ (w5 >>> 3));
        w5 += (rotr<u32>(w3, 17) ^ rotr<u32>(w3, 19) ^ (w3 >>> 10)) + w14 + (rotr<u32>(w6, 7) ^ rotr<u32>(w6, 18) ^ (w6 >>> 3));
        w6 += (rotr<u32>(w4, 17) ^ rotr<u32>(w4, 19) ^ (w4 >>> 10)) + w15 + (rotr<u32>(w7, 7) ^ rotr<u32>(w7, 18) ^ (w7 >>> 3));
        w7 += (rotr<u32>(w5, 17) ^ rotr<u32>(w5, 19) ^ (w5 >>> 10)) + w0 + (rotr<u32>(w8, 7) ^ rotr<u32>(w8, 18) ^ (w8 >>> 3));
        w8 += (rotr<u32>(w6, 17) ^ rotr<u32>(w6, 19) ^ (w6 >>> 10)) + w1 + (rotr<u32>(w9, 7) ^ rotr<u32>(w9, 18) ^ (w9 >>> 3));
        w9 += (rotr<u32>(w7, 17) ^ rotr<u32>(w7, 19) ^ (w7 >>> 10)) + w2 + (rotr<u32>(w10, 7) ^ rotr<u32>(w10, 18) ^ (w10 >>> 3));
        w10 += (rotr<u32>(w8, 17) ^ rotr<u32>(w8, 19) ^ (w8 >>> 10)) + w3 + (rotr<u32>(w11, 7) ^ rotr<u32>(w11, 18) ^ (w11 >>> 3));
        w11 += (rotr<u32>(w9, 17) ^ rotr<u32>(w9, 19) ^ (w9 >>> 10)) + w4 + (rotr<u32>(w12, 7) ^ rotr<u32>(w12, 18) ^ (w12 >>> 3));
        w12 += (rotr<u32>(w10, 17) ^ rotr<u32>(w10, 19) ^ (w10 >>> 10)) + w5 + (rotr<u32>(w13, 7) ^ rotr<u32>(w13, 18) ^ (w13 >>> 3));
        w13 += (rotr<u32>(w11, 17) ^ rotr<u32>(w11, 19) ^ (w11 >>> 10)) + w6 + (rotr<u32>(w14, 7) ^ rotr<u32>(w14, 18) ^ (w14 >>> 3));
        w14 += (rotr<u32>(w12, 17) ^ rotr<u32>(w12, 19) ^ (w12 >>> 10)) + w7 + (rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3));
        w15 += (rotr<u32>(w13, 17) ^ rotr<u32>(w13, 19) ^ (w13 >>> 10)) + w8 + (rotr<u32>(w0, 7) ^ rotr<u32>(w0, 18) ^ (w0 >>> 3));
      }
      t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + load<u32>(k, 0) + w0;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
      bc = ab;
      t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + load<u32>(k, 4) + w1;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
      bc = ab;
      t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + load<u32>(k, 8) + w2;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
      bc = ab;
      t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + load<u32>(k, 12) + w3;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
      bc = ab;
      t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + load<u32>(k, 16) + w4;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
      bc = ab;
      t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + load<u32>(k, 20) + w5;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
      bc = ab;
      t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + load<u32>(k, 24) + w6;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
      bc = ab;
      t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + load<u32>(k, 28) + w7;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
      bc = ab;
      t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) + load<u32>(k, 32) + w8;
      ab = a ^ b;
      d += t1;
      h = t1 + (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + (b ^ (ab & bc));
      bc = ab;
      t1 = g + (rotr<u32>(d, 6) ^ rotr<u32>(d, 11) ^ rotr<u32>(d, 25)) + (f ^ (d & (e ^ f))) + load<u32>(k, 36) + w9;
      ab = h ^ a;
      c += t1;
      g = t1 + (rotr<u32>(h, 2) ^ rotr<u32>(h, 13) ^ rotr<u32>(h, 22)) + (a ^ (ab & bc));
      bc = ab;
      t1 = f + (rotr<u32>(c, 6) ^ rotr<u32>(c, 11) ^ rotr<u32>(c, 25)) + (e ^ (c & (d ^ e))) + load<u32>(k, 40) + w10;
      ab = g ^ h;
      b += t1;
      f = t1 + (rotr<u32>(g, 2) ^ rotr<u32>(g, 13) ^ rotr<u32>(g, 22)) + (h ^ (ab & bc));
      bc = ab;
      t1 = e + (rotr<u32>(b, 6) ^ rotr<u32>(b, 11) ^ rotr<u32>(b, 25)) + (d ^ (b & (c ^ d))) + load<u32>(k, 44) + w11;
      ab = f ^ g;
      a += t1;
      e = t1 + (rotr<u32>(f, 2) ^ rotr<u32>(f, 13) ^ rotr<u32>(f, 22)) + (g ^ (ab & bc));
      bc = ab;
      t1 = d + (rotr<u32>(a, 6) ^ rotr<u32>(a, 11) ^ rotr<u32>(a, 25)) + (c ^ (a & (b ^ c))) + load<u32>(k, 48) + w12;
      ab = e ^ f;
      h += t1;
      d = t1 + (rotr<u32>(e, 2) ^ rotr<u32>(e, 13) ^ rotr<u32>(e, 22)) + (f ^ (ab & bc));
      bc = ab;
      t1 = c + (rotr<u32>(h, 6) ^ rotr<u32>(h, 11) ^ rotr<u32>(h, 25)) + (b ^ (h & (a ^ b))) + load<u32>(k, 52) + w13;
      ab = d ^ e;
      g += t1;
      c = t1 + (rotr<u32>(d, 2) ^ rotr<u32>(d, 13) ^ rotr<u32>(d, 22)) + (e ^ (ab & bc));
      bc = ab;
      t1 = b + (rotr<u32>(g, 6) ^ rotr<u32>(g, 11) ^ rotr<u32>(g, 25)) + (a ^ (g & (h ^ a))) + load<u32>(k, 56) + w14;
      ab = c ^ d;
      f += t1;
      b = t1 + (rotr<u32>(c, 2) ^ rotr<u32>(c, 13) ^ rotr<u32>(c, 22)) + (d ^ (ab & bc));
      bc = ab;
      t1 = a + (rotr<u32>(f, 6) ^ rotr<u32>(f, 11) ^ rotr<u32>(f, 25)) + (h ^ (f & (g ^ h))) + load<u32>(k, 60) + w15;
      ab = b ^ c;
      e += t1;
      a = t1 + (rotr<u32>(b, 2) ^ rotr<u32>(b, 13) ^ rotr<u32>(b, 22)) + (c ^ (ab & bc));
      bc = ab;
    }
    add_to_state(st, a, b, c, d, e, f, g, h);
    p += 64;
    nblocks--;
  }
}

/** Absorbs `nblocks` whole 64-byte blocks at `p` (any alignment) into the chaining value at `st`. */
function sha256_blocks(st: usize, p: usize, nblocks: usize): void {
  if (SIZE_OPTIMISED) sha256_blocks_small(st, p, nblocks);
  else sha256_blocks_fast(st, p, nblocks);
}

/** Starts a SHA-256 computation in the SHA256_CTX_SIZE bytes at `ctx`. */
export function sha256_init(ctx: usize): void {
  store<u32>(ctx, 0x6a09e667, 0);
  store<u32>(ctx, 0xbb67ae85, 4);
  store<u32>(ctx, 0x3c6ef372, 8);
  store<u32>(ctx, 0xa54ff53a, 12);
  store<u32>(ctx, 0x510e527f, 16);
  store<u32>(ctx, 0x9b05688c, 20);
  store<u32>(ctx, 0x1f83d9ab, 24);
  store<u32>(ctx, 0x5be0cd19, 28);
  store<u64>(ctx, 0, TOTAL);
}

/** Absorbs `len` bytes at `p` (any alignment). */
export function sha256_update(ctx: usize, p: usize, len: usize): void {
  let used = <usize>(load<u32>(ctx, TOTAL) & 63);
  store<u64>(ctx, load<u64>(ctx, TOTAL) + <u64>len, TOTAL);
  if (used != 0) {
    let take: usize = 64 - used;
    if (take > len) take = len;
    memory.copy(ctx + BUF + used, p, take);
    used += take;
    p += take;
    len -= take;
    if (used < 64) return;
    sha256_blocks(ctx, ctx + BUF, 1);
  }
  let whole = len >> 6;
  if (whole != 0) {
    sha256_blocks(ctx, p, whole);
    p += whole << 6;
    len &= 63;
  }
  if (len != 0) memory.copy(ctx + BUF, p, len);
}

/** Pads, writes the 32-byte digest to `out` (any alignment) and wipes the context. */
export function sha256_final(ctx: usize, out: usize): void {
  let total = load<u64>(ctx, TOTAL);
  let used = <usize>(<u32>total & 63);
  let buf = ctx + BUF;
  store<u8>(buf + used, 0x80);
  used++;
  if (used > 56) {
    memory.fill(buf + used, 0, 64 - used);
    sha256_blocks(ctx, buf, 1);
    used = 0;
  }
  memory.fill(buf + used, 0, 56 - used);
  store<u64>(buf, bswap<u64>(total << 3), 56);
  sha256_blocks(ctx, buf, 1);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(ctx + i)));
  memory.fill(ctx, 0, SHA256_CTX_SIZE);
}

/** One-shot SHA-256 of `len` bytes at `p` into the 32 bytes at `out` (may alias the input). */
export function sha256(p: usize, len: usize, out: usize): void {
  sha256_init(SHA256_SCRATCH);
  sha256_update(SHA256_SCRATCH, p, len);
  sha256_final(SHA256_SCRATCH, out);
}

// Context for the one-shot form; sha256_final leaves it zeroed.
// @ts-ignore: decorator
@lazy const SHA256_SCRATCH = memory.data(104, 8);

// Boot known answers (FIPS 180-4 examples): "abc" (one block) and the
// 448-bit message, whose padding spills into a second block.
// @ts-ignore: decorator
@lazy const ST_ABC = memory.data<u8>([0x61, 0x62, 0x63]);
// @ts-ignore: decorator
@lazy const ST_ABC_DIGEST = memory.data<u8>([
  0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
  0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
]);
// @ts-ignore: decorator
@lazy const ST_448 = memory.data<u8>([0x61, 0x62, 0x63, 0x64, 0x62, 0x63, 0x64, 0x65, 0x63, 0x64, 0x65, 0x66, 0x64, 0x65, 0x66, 0x67, 0x65, 0x66, 0x67, 0x68, 0x66, 0x67, 0x68, 0x69, 0x67, 0x68, 0x69, 0x6a, 0x68, 0x69, 0x6a, 0x6b, 0x69, 0x6a, 0x6b, 0x6c, 0x6a, 0x6b, 0x6c, 0x6d, 0x6b, 0x6c, 0x6d, 0x6e, 0x6c, 0x6d, 0x6e, 0x6f, 0x6d, 0x6e, 0x6f, 0x70, 0x6e, 0x6f, 0x70, 0x71]);
// @ts-ignore: decorator
@lazy const ST_448_DIGEST = memory.data<u8>([0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(32, 8);

/** One block's known answer, SHA-256("abc") (FIPS 180-2 B.1): a board module's boot self-test. */
export function sha256_selftest_one_block(): bool {
  sha256(ST_ABC, 3, ST_OUT);
  return ct_equal(ST_OUT, ST_ABC_DIGEST, 32) == 1;
}

/** Known-answer test run at boot: "abc" and the two-block 448-bit message. */
export function sha256_selftest(): bool {
  const ok = sha256_selftest_one_block();
  sha256(ST_448, 56, ST_OUT);
  return ct_equal(ST_OUT, ST_448_DIGEST, 32) == 1 && ok;
}
