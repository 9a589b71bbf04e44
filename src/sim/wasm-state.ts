// A module's whole state, visible from JS: a copy of a WebAssembly module
// that also exports every mutable global it defines (as `__state_g<index>`),
// so that the state of an instance — its linear memory and its globals; the
// engine has no mutable tables — can be saved and put back exactly
// (src/sim/instance-pool.ts). The code is untouched: only export entries are
// added (a global may be exported under several names).
export const EXPORT_PREFIX = '__state_g';

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, pos = 0) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.b.length) throw new Error('wasm-state: truncated module');
    return this.b[this.pos++];
  }
  u32(): number {
    let r = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      r += (x & 0x7f) * 2 ** shift;
      if (!(x & 0x80)) return r;
      shift += 7;
    }
  }
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  /** Skips a name (its length, then its bytes). Not `pos += u32()`: that adds to the position from before the length was read. */
  skipName(): void {
    const n = this.u32();
    this.pos += n;
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let x = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) x |= 0x80;
    out.push(x);
  } while (n);
  return out;
}

/** Skips a constant expression (a global's initialiser) up to and including its `end`. */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) r.skipLeb(); // i32/i64.const, global.get, ref.func
    else if (op === 0x43) r.pos += 4;
    else if (op === 0x44) r.pos += 8;
    else if (op === 0xd0) r.byte(); // ref.null t
    else if (op === 0xfd) {
      r.skipLeb();
      r.pos += 16; // v128.const
    } else if (!(op >= 0x6a && op <= 0x6c) && !(op >= 0x7c && op <= 0x7e)) throw new Error(`wasm-state: unsupported opcode 0x${op.toString(16)} in a global's initialiser`);
  }
}

export interface StateGlobals {
  /** Global index (in the module's index space) of each mutable global the module defines. */
  indices: number[];
  exportName(index: number): string;
}

/** Returns the module with its mutable globals exported, and which globals they are. */
export function exportState(bytes: Uint8Array): { bytes: Uint8Array<ArrayBuffer>; globals: StateGlobals } {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('wasm-state: not a wasm module');
  const sections: { id: number; start: number; end: number; payload: number }[] = [];
  const r = new Reader(bytes, 8);
  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, start, payload: r.pos, end: r.pos + size });
    r.pos += size;
  }
  let importedGlobals = 0;
  const imp = sections.find((s) => s.id === 2);
  if (imp) {
    const ir = new Reader(bytes, imp.payload);
    for (let n = ir.u32(); n > 0; n--) {
      ir.skipName(); // module
      ir.skipName(); // field
      const kind = ir.byte();
      if (kind === 0) ir.u32();
      else if (kind === 1 || kind === 2) {
        if (kind === 1) ir.byte();
        const flags = ir.byte();
        ir.u32();
        if (flags & 1) ir.u32();
      } else if (kind === 3) {
        ir.byte();
        if (ir.byte() & 1) throw new Error('wasm-state: an imported mutable global is state outside the instance');
        importedGlobals++;
      } else throw new Error(`wasm-state: unsupported import kind ${kind}`);
    }
  }
  const indices: number[] = [];
  const glob = sections.find((s) => s.id === 6);
  if (glob) {
    const gr = new Reader(bytes, glob.payload);
    const n = gr.u32();
    for (let i = 0; i < n; i++) {
      gr.byte(); // value type
      if (gr.byte() & 1) indices.push(importedGlobals + i);
      skipConstExpr(gr);
    }
  }
  const exportName = (i: number) => `${EXPORT_PREFIX}${i}`;
  const enc = new TextEncoder();
  const added = indices.flatMap((i) => {
    const name = enc.encode(exportName(i));
    return [...uleb(name.length), ...name, 0x03, ...uleb(i)];
  });
  const exp = sections.find((s) => s.id === 7);
  let count = 0;
  let entries: Uint8Array = new Uint8Array(0);
  if (exp) {
    const er = new Reader(bytes, exp.payload);
    count = er.u32();
    entries = bytes.subarray(er.pos, exp.end);
  }
  const payload = new Uint8Array([...uleb(count + indices.length), ...entries, ...added]);
  const section = new Uint8Array([7, ...uleb(payload.length), ...payload]);
  // The export section replaces the old one, or goes before the first section that follows exports (start, element, data count, code, data).
  const AFTER_EXPORT = new Set([8, 9, 10, 11, 12]);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let placed = false;
  for (const s of sections) {
    if (!placed && (s.id === 7 || AFTER_EXPORT.has(s.id))) {
      parts.push(section);
      placed = true;
    }
    if (s.id !== 7) parts.push(bytes.subarray(s.start, s.end));
  }
  if (!placed) parts.push(section);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return { bytes: out, globals: { indices, exportName } };
}
