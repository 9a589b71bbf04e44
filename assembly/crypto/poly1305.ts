// Poly1305 one-time authenticator, RFC 8439 §2.5.
//
// Why it is built this way:
// - The accumulator h and the clamped key r are held as five 26-bit limbs
//   (radix 2^26, "donna-32" layout). A block step is the schoolbook 5x5 limb
//   product with the wrap-around terms pre-multiplied by 5 (2^130 = 5 mod p),
//   i.e. 25 multiplies of a <=27-bit limb by a <=29-bit value, each summed in
//   a u64. wasm has no 32x32->64 widening multiply, so these are i64.mul;
//   on V8/x86-64 that is one native instruction, and on a 32-bit board under
//   wasm3 it is one library multiply (the cheapest possible: both operands
//   fit in 32 bits). 26-bit limbs are the widest radix whose 5-term sums of
//   products still fit in 64 bits with room for the carries, so they need
//   the fewest multiplies of any layout wasm can express without 64x64->128.
//   Limbs are kept in i64 locals inside the block loop to avoid re-extending
//   them on every multiply (cheaper on V8; the same i64 work on wasm3).
//   An i32-only variant (radix 2^16 or 2^13 limbs with 32-bit products) was
//   rejected: it needs roughly 3-4x as many wasm instructions per block, and
//   under wasm3 the per-instruction dispatch costs more than the emulated
//   64-bit multiply inside one i64.mul handler.
// - Message limbs are read with unaligned 32-bit loads at byte offsets
//   0/3/6/9/12 and shifted, so any input alignment works.
// - Constant time: no secret-dependent branches or indices. The final
//   reduction computes g = h + 5 - 2^130 and selects h or g with a mask
//   derived from g's sign bit; the +s addition carries through u64.
// - poly1305_final wipes the whole context (r, s, h, buffer).
//
// Context layout (POLY1305_CTX_SIZE = 80 bytes, any alignment):
//   0  r0..r4    five u32 limbs of the clamped r
//   20 h0..h4    five u32 limbs of the accumulator (partially reduced)
//   40 pad       s, the second key half, as 16 bytes
//   56 buffer    16 bytes of a not-yet-complete block
//   72 leftover  u32 count of bytes in buffer
//   76 (reserved)

export const POLY1305_CTX_SIZE: usize = 80;

const OFF_R: usize = 0;
const OFF_H: usize = 20;
const OFF_PAD: usize = 40;
const OFF_BUF: usize = 56;
const OFF_LEFT: usize = 72;

const LIMB_MASK: u64 = 0x3ffffff;
const HIBIT: u32 = 1 << 24; // 2^128 in limb 4

/** Sets up `ctx` with the 32-byte one-time key (r || s). */
export function poly1305_init(ctx: usize, key: usize): void {
  // Clamp r (RFC 8439 §2.5) while splitting it into 26-bit limbs.
  store<u32>(ctx, load<u32>(key, 0) & 0x3ffffff, OFF_R + 0);
  store<u32>(ctx, (load<u32>(key, 3) >> 2) & 0x3ffff03, OFF_R + 4);
  store<u32>(ctx, (load<u32>(key, 6) >> 4) & 0x3ffc0ff, OFF_R + 8);
  store<u32>(ctx, (load<u32>(key, 9) >> 6) & 0x3f03fff, OFF_R + 12);
  store<u32>(ctx, (load<u32>(key, 12) >> 8) & 0x00fffff, OFF_R + 16);
  memory.fill(ctx + OFF_H, 0, 20);
  memory.copy(ctx + OFF_PAD, key + 16, 16);
  memory.fill(ctx + OFF_BUF, 0, 16);
  store<u32>(ctx, 0, OFF_LEFT);
  store<u32>(ctx, 0, OFF_LEFT + 4);
}

/**
 * Absorbs `blocks` 16-byte blocks at `m`. `hibit` is 2^128 in limb 4 for
 * full blocks, 0 for the final padded block (which carries its own 0x01).
 */
function poly1305_blocks(ctx: usize, m: usize, blocks: usize, hibit: u32): void {
  const r0 = <u64>load<u32>(ctx, OFF_R + 0);
  const r1 = <u64>load<u32>(ctx, OFF_R + 4);
  const r2 = <u64>load<u32>(ctx, OFF_R + 8);
  const r3 = <u64>load<u32>(ctx, OFF_R + 12);
  const r4 = <u64>load<u32>(ctx, OFF_R + 16);
  const s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  let h0 = <u64>load<u32>(ctx, OFF_H + 0);
  let h1 = <u64>load<u32>(ctx, OFF_H + 4);
  let h2 = <u64>load<u32>(ctx, OFF_H + 8);
  let h3 = <u64>load<u32>(ctx, OFF_H + 12);
  let h4 = <u64>load<u32>(ctx, OFF_H + 16);
  const hi = <u64>hibit;

  for (let n: usize = 0; n < blocks; n++) {
    // h += m (as 26-bit limbs; 2^128 added by hibit)
    h0 += <u64>(load<u32>(m, 0) & 0x3ffffff);
    h1 += <u64>((load<u32>(m, 3) >> 2) & 0x3ffffff);
    h2 += <u64>((load<u32>(m, 6) >> 4) & 0x3ffffff);
    h3 += <u64>((load<u32>(m, 9) >> 6) & 0x3ffffff);
    h4 += <u64>(load<u32>(m, 12) >> 8) | hi;

    // d = h * r mod (2^130 - 5), limbs wrapping through s_i = 5 * r_i
    const d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
    let d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
    let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
    let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
    let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

    // Partial carry back into 26-bit limbs (limb 1 may end at 2^26 + small).
    d1 += d0 >> 26; h0 = d0 & LIMB_MASK;
    d2 += d1 >> 26; h1 = d1 & LIMB_MASK;
    d3 += d2 >> 26; h2 = d2 & LIMB_MASK;
    d4 += d3 >> 26; h3 = d3 & LIMB_MASK;
    h0 += (d4 >> 26) * 5; h4 = d4 & LIMB_MASK;
    h1 += h0 >> 26; h0 &= LIMB_MASK;

    m += 16;
  }

  store<u32>(ctx, <u32>h0, OFF_H + 0);
  store<u32>(ctx, <u32>h1, OFF_H + 4);
  store<u32>(ctx, <u32>h2, OFF_H + 8);
  store<u32>(ctx, <u32>h3, OFF_H + 12);
  store<u32>(ctx, <u32>h4, OFF_H + 16);
}

/** Absorbs `n` bytes at `p`; may be called any number of times, any split. */
export function poly1305_update(ctx: usize, p: usize, n: usize): void {
  let left = <usize>load<u32>(ctx, OFF_LEFT);
  if (left != 0) {
    let want: usize = 16 - left;
    if (want > n) want = n;
    memory.copy(ctx + OFF_BUF + left, p, want);
    left += want;
    p += want;
    n -= want;
    if (left < 16) {
      store<u32>(ctx, <u32>left, OFF_LEFT);
      return;
    }
    poly1305_blocks(ctx, ctx + OFF_BUF, 1, HIBIT);
    left = 0;
  }
  const whole = n & ~(<usize>15);
  if (whole != 0) {
    poly1305_blocks(ctx, p, whole >> 4, HIBIT);
    p += whole;
    n -= whole;
  }
  if (n != 0) {
    memory.copy(ctx + OFF_BUF, p, n);
    left = n;
  }
  store<u32>(ctx, <u32>left, OFF_LEFT);
}

/** Writes the 16-byte tag and wipes `ctx`. */
export function poly1305_final(ctx: usize, tag: usize): void {
  const left = <usize>load<u32>(ctx, OFF_LEFT);
  if (left != 0) {
    // Last partial block: message bytes, then 0x01, then zeros; no 2^128.
    store<u8>(ctx + OFF_BUF + left, 1);
    memory.fill(ctx + OFF_BUF + left + 1, 0, 15 - left);
    poly1305_blocks(ctx, ctx + OFF_BUF, 1, 0);
  }

  let h0 = load<u32>(ctx, OFF_H + 0);
  let h1 = load<u32>(ctx, OFF_H + 4);
  let h2 = load<u32>(ctx, OFF_H + 8);
  let h3 = load<u32>(ctx, OFF_H + 12);
  let h4 = load<u32>(ctx, OFF_H + 16);
  const m26: u32 = 0x3ffffff;

  // Full carry: afterwards every limb is < 2^26 and h < 2^130 + small.
  let c: u32;
  c = h1 >> 26; h1 &= m26; h2 += c;
  c = h2 >> 26; h2 &= m26; h3 += c;
  c = h3 >> 26; h3 &= m26; h4 += c;
  c = h4 >> 26; h4 &= m26; h0 += c * 5;
  c = h0 >> 26; h0 &= m26; h1 += c;

  // g = h + 5 - 2^130; if that did not go negative, h >= p and g is the result.
  let g0 = h0 + 5; c = g0 >> 26; g0 &= m26;
  let g1 = h1 + c; c = g1 >> 26; g1 &= m26;
  let g2 = h2 + c; c = g2 >> 26; g2 &= m26;
  let g3 = h3 + c; c = g3 >> 26; g3 &= m26;
  let g4 = h4 + c - (1 << 26);
  // select_g is all ones when g4 did not borrow (h >= p), else zero.
  const select_g: u32 = (g4 >> 31) - 1;
  const select_h: u32 = ~select_g;
  h0 = (h0 & select_h) | (g0 & select_g);
  h1 = (h1 & select_h) | (g1 & select_g);
  h2 = (h2 & select_h) | (g2 & select_g);
  h3 = (h3 & select_h) | (g3 & select_g);
  h4 = (h4 & select_h) | ((g4 & m26) & select_g);

  // Repack into four 32-bit words (mod 2^128) and add s.
  const w0 = h0 | (h1 << 26);
  const w1 = (h1 >> 6) | (h2 << 20);
  const w2 = (h2 >> 12) | (h3 << 14);
  const w3 = (h3 >> 18) | (h4 << 8);
  let f: u64;
  f = <u64>w0 + <u64>load<u32>(ctx, OFF_PAD + 0);
  store<u32>(tag, <u32>f, 0);
  f = <u64>w1 + <u64>load<u32>(ctx, OFF_PAD + 4) + (f >> 32);
  store<u32>(tag, <u32>f, 4);
  f = <u64>w2 + <u64>load<u32>(ctx, OFF_PAD + 8) + (f >> 32);
  store<u32>(tag, <u32>f, 8);
  f = <u64>w3 + <u64>load<u32>(ctx, OFF_PAD + 12) + (f >> 32);
  store<u32>(tag, <u32>f, 12);

  memory.fill(ctx, 0, POLY1305_CTX_SIZE);
}

/** Context for the one-shot `poly1305`; wiped by poly1305_final. */
// @ts-ignore: decorator
@lazy const ONESHOT_CTX = memory.data(<i32>POLY1305_CTX_SIZE);

/** One-shot Poly1305: tag16 = Poly1305(key32, p[0..n)). */
export function poly1305(key: usize, p: usize, n: usize, tag: usize): void {
  poly1305_init(ONESHOT_CTX, key);
  poly1305_update(ONESHOT_CTX, p, n);
  poly1305_final(ONESHOT_CTX, tag);
}

// Boot self-test: RFC 8439 §2.5.2 ("Cryptographic Forum Research Group").
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([
  0x85, 0xd6, 0xbe, 0x78, 0x57, 0x55, 0x6d, 0x33, 0x7f, 0x44, 0x52, 0xfe, 0x42, 0xd5, 0x06, 0xa8,
  0x01, 0x03, 0x80, 0x8a, 0xfb, 0x0d, 0xb2, 0xfd, 0x4a, 0xbf, 0xf6, 0xaf, 0x41, 0x49, 0xf5, 0x1b,
]);
// @ts-ignore: decorator
@lazy const ST_MSG = memory.data<u8>([
  0x43, 0x72, 0x79, 0x70, 0x74, 0x6f, 0x67, 0x72, 0x61, 0x70, 0x68, 0x69, 0x63, 0x20, 0x46, 0x6f,
  0x72, 0x75, 0x6d, 0x20, 0x52, 0x65, 0x73, 0x65, 0x61, 0x72, 0x63, 0x68, 0x20, 0x47, 0x72, 0x6f,
  0x75, 0x70,
]);
// @ts-ignore: decorator
@lazy const ST_TAG = memory.data<u8>([
  0xa8, 0x06, 0x1d, 0xc1, 0x30, 0x51, 0x36, 0xc6, 0xc2, 0x2b, 0x8b, 0xaf, 0x0c, 0x01, 0x27, 0xa9,
]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(16);

export function poly1305_selftest(): bool {
  poly1305(ST_KEY, ST_MSG, 34, ST_OUT);
  let diff: u32 = 0;
  for (let i = 0; i < 16; i++) diff |= <u32>(load<u8>(ST_OUT + i) ^ load<u8>(ST_TAG + i));
  return diff == 0;
}
