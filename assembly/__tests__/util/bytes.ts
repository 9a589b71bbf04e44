// Byte and hex helpers shared by the as-pect specs (a plain module: it is
// neither *.spec.ts nor *.include.ts, so as-pect compiles it only as an import).
//
// GC caveat: as-pect runs the specs on a GC runtime, while the crypto code
// under test reads and writes through raw pointers. A buffer must stay
// referenced by a local or a global for as long as code reads it through a
// raw pointer: `ptr(fromHex(s))` passed straight into a call may be collected
// (and its memory reused) when a later argument allocates. So the helpers
// here that return managed buffers (fromHex, utf8, byteRange, filled) are
// meant to be held in a local or global first, and the only helpers that
// return raw pointers to fresh memory (pinnedHex, pinnedAlloc) pin it for
// the rest of the run.

const DIGITS = "0123456789abcdef";

/** Lower-case hex of the `n` bytes at `p`. */
export function toHex(p: usize, n: usize): string {
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += DIGITS.charAt(b >> 4) + DIGITS.charAt(b & 15);
  }
  return s;
}

/** Lower-case hex of every byte of `a`. */
export function hexOf(a: StaticArray<u8>): string {
  return toHex(changetype<usize>(a), <usize>a.length);
}

/** Writes the bytes of `hex` at `dst`; returns how many. */
export function hexInto(hex: string, dst: usize): usize {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(dst + <usize>i, <u8>I32.parseInt(hex.substr(i * 2, 2), 16));
  return <usize>n;
}

/** The bytes of `hex` in a new managed buffer (hold it in a local: see above). */
export function fromHex(hex: string): StaticArray<u8> {
  const out = new StaticArray<u8>(hex.length >> 1);
  hexInto(hex, changetype<usize>(out));
  return out;
}

/** The UTF-8 bytes of `s` in a new managed buffer. */
export function utf8(s: string): StaticArray<u8> {
  const enc = String.UTF8.encode(s);
  const out = new StaticArray<u8>(enc.byteLength);
  memory.copy(changetype<usize>(out), changetype<usize>(enc), <usize>enc.byteLength);
  return out;
}

/** The bytes from, from + 1, ..., to - 1 (each taken mod 256). */
export function byteRange(from: i32, to: i32): StaticArray<u8> {
  const out = new StaticArray<u8>(to - from);
  for (let i = from; i < to; i++) out[i - from] = <u8>i;
  return out;
}

/** Hex of byteRange(from, to). */
export function rangeHex(from: i32, to: i32): string {
  return hexOf(byteRange(from, to));
}

/** `n` bytes of value `v`. */
export function filled(n: i32, v: u8): StaticArray<u8> {
  const out = new StaticArray<u8>(n);
  memory.fill(changetype<usize>(out), v, <usize>n);
  return out;
}

/** Address of a buffer's first byte; the buffer must be held by a local or global. */
export function ptr(a: StaticArray<u8>): usize {
  return changetype<usize>(a);
}

/** OR of the `n` bytes at `p`: 0 exactly when they are all zero. */
export function orBytes(p: usize, n: usize): u32 {
  let acc: u32 = 0;
  for (let i: usize = 0; i < n; i++) acc |= load<u8>(p + i);
  return acc;
}

/** How many of the `n` bytes at `p` differ from `v`. */
export function countNot(p: usize, n: usize, v: u8): i32 {
  let changed = 0;
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) != v) changed++;
  return changed;
}

/**
 * Reserves `n` bytes `misalign` bytes past an 8-byte boundary, in a buffer
 * pinned for the rest of the run (raw pointers escape: the GC must not move
 * or reuse it). 32 bytes of slack cover the misalignment plus a 16-byte tag
 * written right behind `n` bytes.
 */
export function pinnedAlloc(n: usize, misalign: usize = 0): usize {
  const buf = new StaticArray<u8>(<i32>n + 32);
  __pin(changetype<usize>(buf));
  return ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
}

/** The bytes of `hex` copied into pinnedAlloc(bytes, misalign). */
export function pinnedHex(hex: string, misalign: usize = 0): usize {
  const p = pinnedAlloc(<usize>(hex.length >> 1), misalign);
  hexInto(hex, p);
  return p;
}
