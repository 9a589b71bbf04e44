// Constant-time helpers shared by every primitive.
//
// Anything that touches a secret (a MAC tag, key material) goes through here
// so that timing never depends on where two buffers first differ.

/** 1 if the `len` bytes at `a` and `b` are equal, else 0. Time depends only on `len`. */
export function ct_equal(a: usize, b: usize, len: usize): i32 {
  let diff: u32 = 0;
  let i: usize = 0;
  // Word-at-a-time where possible; the loop bound is public.
  for (; i + 4 <= len; i += 4) diff |= load<u32>(a + i) ^ load<u32>(b + i);
  for (; i < len; i++) diff |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  // Fold to a single bit without a data-dependent branch.
  return <i32>(((diff | (0 - diff)) >> 31) ^ 1);
}

/** Zero `len` bytes at `p`. Used to wipe keys and intermediate secrets. */
export function wipe(p: usize, len: usize): void {
  memory.fill(p, 0, len);
}

/** Load a big-endian u32. */
// @ts-ignore: decorator
@inline export function load32be(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/** Store a big-endian u32. */
// @ts-ignore: decorator
@inline export function store32be(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

/** Load a big-endian u64. */
// @ts-ignore: decorator
@inline export function load64be(p: usize): u64 {
  return bswap<u64>(load<u64>(p));
}

/** Store a big-endian u64. */
// @ts-ignore: decorator
@inline export function store64be(p: usize, v: u64): void {
  store<u64>(p, bswap<u64>(v));
}
