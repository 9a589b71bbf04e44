// The static pool of connection slots. pool_init carves the arena above
// __heap_base exactly once (growing linear memory to fit, the only growth the
// module ever does); after that opening and closing connections only flips
// slots between free and in use. Sizes are the board profile's geometry.
import { Slot, slot_at, SLOT_STATE_SIZE, ST_FREE } from "./slot";
import { wipe } from "../crypto/ct";
import { hash_ctx_size, HASH_SHA384 } from "../crypto/hash";
import { TRANSCRIPT_CTX_SIZE } from "./slot";

let slotCount: u32 = 0;
let recvCap: u32 = 0;
let sendCap: u32 = 0;
let hsCap: u32 = 0;
let arenaBase: usize = 0;
let perSlot: usize = 0;

export const POOL_E_AGAIN: i32 = -1;     // init called twice
export const POOL_E_GEOMETRY: i32 = -2;  // a size outside what the engine supports
export const POOL_E_MEMORY: i32 = -3;    // linear memory could not grow to fit

/** Largest record buffer that makes sense: header + 2^14 + 256. */
export const MAX_RECORD_BUF: u32 = 5 + 16384 + 256;
/** Smallest: a 512-byte fragment (max_fragment_length 2^9) plus overhead. */
export const MIN_RECORD_BUF: u32 = 5 + 512 + 256;

function align16(n: usize): usize {
  return (n + 15) & ~15;
}

/** Bytes one slot takes: its state and its three buffers. */
export function slot_bytes(rc: u32, sc: u32, hc: u32): usize {
  return align16(SLOT_STATE_SIZE) + align16(<usize>rc) + align16(<usize>sc) + align16(<usize>hc);
}

export function pool_bytes(n: u32, rc: u32, sc: u32, hc: u32): usize {
  return <usize>n * slot_bytes(rc, sc, hc);
}

/** The slot count and buffer sizes the engine supports (init refuses the rest; arena_bytes too). */
export function pool_geometry_ok(n: u32, rc: u32, sc: u32, hc: u32): bool {
  return n != 0 && n <= 4096 && rc >= MIN_RECORD_BUF && rc <= MAX_RECORD_BUF &&
    sc >= MIN_RECORD_BUF && sc <= MAX_RECORD_BUF && hc >= 256 && hc <= 65536;
}

export function pool_init(n: u32, rc: u32, sc: u32, hc: u32): i32 {
  if (slotCount != 0) return POOL_E_AGAIN;
  if (!pool_geometry_ok(n, rc, sc, hc)) return POOL_E_GEOMETRY;
  // The static slot layout must hold what the primitives say they need
  // (AEAD contexts are sized from the primitives' own constants: tables.ts).
  if (hash_ctx_size(HASH_SHA384) > TRANSCRIPT_CTX_SIZE) return POOL_E_GEOMETRY;
  const base = align16(__heap_base);
  const end = base + pool_bytes(n, rc, sc, hc);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return POOL_E_MEMORY;
  }
  arenaBase = base;
  perSlot = slot_bytes(rc, sc, hc);
  slotCount = n;
  recvCap = rc;
  sendCap = sc;
  hsCap = hc;
  memory.fill(base, 0, end - base);
  return 0;
}

export function pool_slots(): u32 {
  return slotCount;
}

/** The slot's address, or 0 when `id` is not a slot of this pool. */
export function slot_ptr(id: i32): usize {
  if (id < 0 || <u32>id >= slotCount) return 0;
  return arenaBase + <usize>id * perSlot;
}

/** Address of an in-use slot, or 0: what every export checks first. */
export function live_slot(id: i32): usize {
  const p = slot_ptr(id);
  return p != 0 && slot_at(p).state != ST_FREE ? p : 0;
}

/** Claims a free slot and points it at its buffers; -1 when all are busy. */
export function slot_claim(): i32 {
  for (let i: u32 = 0; i < slotCount; i++) {
    const p = arenaBase + <usize>i * perSlot;
    const s = slot_at(p);
    if (s.state == ST_FREE) {
      const stateBytes = align16(SLOT_STATE_SIZE);
      s.recvBuf = p + stateBytes;
      s.recvCap = recvCap;
      s.sendBuf = s.recvBuf + align16(recvCap);
      s.sendCap = sendCap;
      s.hsBuf = s.sendBuf + align16(sendCap);
      s.hsCap = hsCap;
      return <i32>i;
    }
  }
  return -1;
}

/** Wipes every byte the slot owns (keys, secrets, buffers) and frees it. */
export function slot_release(id: i32): void {
  const p = slot_ptr(id);
  if (p) wipe(p, perSlot);
}
