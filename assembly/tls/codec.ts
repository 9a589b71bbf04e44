// Bounds-checked reading and writing of TLS wire structures (RFC 8446 §3).
//
// The engine is single-threaded and never re-entered, so the reader and the
// writer are module-level cursors instead of objects (no allocation, and a
// global is the cheapest access a wasm3 or AOT board has). They are per-call
// scratch: codec_reset() clears them with the rest of it (scratch.ts) at the
// start of every ABI call, so no cursor of one call points into the next. A read
// past the end sets a sticky error flag and yields zeros; the caller checks
// rd_ok() once after parsing a whole structure, which keeps parsers linear
// and makes it impossible to read outside the message being parsed.

let rdPos: usize = 0;
let rdEnd: usize = 0;
let rdBad: bool = false;

/** Starts reading `len` bytes at `p`. */
export function rd_begin(p: usize, len: usize): void {
  rdPos = p;
  rdEnd = p + len;
  rdBad = false;
}

export function rd_ok(): bool {
  return !rdBad;
}

export function rd_fail(): void {
  rdBad = true;
}

export function rd_pos(): usize {
  return rdPos;
}

export function rd_left(): usize {
  return rdBad ? 0 : rdEnd - rdPos;
}

/** Reserves `n` bytes and returns their address, or 0 (and the error flag) if they are not there. */
export function rd_take(n: usize): usize {
  if (rdBad || n > rdEnd - rdPos) {
    rdBad = true;
    return 0;
  }
  const p = rdPos;
  rdPos += n;
  return p;
}

export function rd_u8(): u32 {
  const p = rd_take(1);
  return p ? <u32>load<u8>(p) : 0;
}

export function rd_u16(): u32 {
  const p = rd_take(2);
  return p ? <u32>bswap<u16>(load<u16>(p)) : 0;
}

export function rd_u24(): u32 {
  const p = rd_take(3);
  return p ? (<u32>load<u8>(p) << 16) | (<u32>load<u8>(p + 1) << 8) | <u32>load<u8>(p + 2) : 0;
}


/** Narrows the reader to the next `len` bytes; returns the outer end for rd_restore_end. */
export function rd_enter(len: usize): usize {
  const outer = rdEnd;
  if (rdBad || len > rdEnd - rdPos) {
    rdBad = true;
    return outer;
  }
  rdEnd = rdPos + len;
  return outer;
}

/** Leaves a vector entered with rd_enter: it must have been consumed exactly. */
export function rd_leave(outerEnd: usize): void {
  if (rdPos != rdEnd) rdBad = true;
  rdPos = rdEnd;
  rdEnd = outerEnd;
}

// ---- writer ----

let wrPos: usize = 0;
let wrEnd: usize = 0;
let wrBad: bool = false;

export function wr_begin(p: usize, cap: usize): void {
  wrPos = p;
  wrEnd = p + cap;
  wrBad = false;
}

export function wr_ok(): bool {
  return !wrBad;
}

export function wr_pos(): usize {
  return wrPos;
}

/** Reserves `n` bytes for the caller to fill; 0 (and the error flag) if there is no room. */
export function wr_take(n: usize): usize {
  if (wrBad || n > wrEnd - wrPos) {
    wrBad = true;
    return 0;
  }
  const p = wrPos;
  wrPos += n;
  return p;
}

export function wr_u8(v: u32): void {
  const p = wr_take(1);
  if (p) store<u8>(p, <u8>v);
}

export function wr_u16(v: u32): void {
  const p = wr_take(2);
  if (p) store<u16>(p, bswap<u16>(<u16>v));
}

export function wr_u24(v: u32): void {
  const p = wr_take(3);
  if (p) {
    store<u8>(p, <u8>(v >> 16));
    store<u8>(p + 1, <u8>(v >> 8));
    store<u8>(p + 2, <u8>v);
  }
}

export function wr_bytes(src: usize, n: usize): void {
  const p = wr_take(n);
  if (p) memory.copy(p, src, n);
}

/** Opens a length-prefixed vector (1, 2 or 3 length bytes); close it with wr_close. */
export function wr_open(lenBytes: usize): usize {
  const p = wr_take(lenBytes);
  return p;
}

/** Writes the length of the vector opened at `mark` (`lenBytes` wide). */
export function wr_close(mark: usize, lenBytes: usize): void {
  if (wrBad || !mark) return;
  const n = wrPos - mark - lenBytes;
  if (lenBytes == 1) store<u8>(mark, <u8>n);
  else if (lenBytes == 2) store<u16>(mark, bswap<u16>(<u16>n));
  else {
    store<u8>(mark, <u8>(n >> 16));
    store<u8>(mark + 1, <u8>(n >> 8));
    store<u8>(mark + 2, <u8>n);
  }
}

/** Clears both cursors (scratch_reset calls it). */
export function codec_reset(): void {
  rdPos = 0;
  rdEnd = 0;
  rdBad = false;
  wrPos = 0;
  wrEnd = 0;
  wrBad = false;
}
