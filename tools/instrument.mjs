#!/usr/bin/env node
// Instruments a WebAssembly module so that it counts the wasm instructions it
// executes: the simulated board clock (src/sim/cost-model.ts) turns the counts
// into cycles. Sim-only: the production modules are never touched.
//
//   node tools/instrument.mjs in.wasm out.wasm
//
// Works on the binary, after wasm-opt, so it counts exactly the instructions
// a board's wasm3 would load. Every function body is cut into straight-line
// regions: a region starts at the function entry and right after each `loop`,
// `if`, `else`, `end`, `br`, `br_if`, `br_table`, `return` and `unreachable`
// (every place control can enter other than by falling through). When a region
// is entered every instruction in it runs (a trap or a call that never returns
// aside), so at its start we add its static counts to four mutable i64
// globals the module exports:
//
//   __sim_ops     every executed instruction except the structural markers
//                 block, loop, else, end and nop (wasm3 compiles them away)
//   __sim_i64alu  of those, i64 arithmetic/compare ops other than i64.mul
//                 (emulated with several instructions on a 32-bit core)
//   __sim_i64mul  of those, i64.mul (a library call on ARMv6-M)
//   __sim_calls   of those, call and call_indirect (wasm3 pays a frame, a
//                 stack check and — without tail calls — a nested C call)
//
// The counter code (global.get, i64.const, i64.add, global.set) is stack
// neutral and touches only the new globals, so it cannot change what the
// module computes; test/sim/instrument.test.ts checks that the instrumented
// engine produces the same handshake bytes as the production one. Globals are
// appended after the existing ones, so no existing index moves.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const COUNTERS = ['__sim_ops', '__sim_i64alu', '__sim_i64mul', '__sim_calls'];

// Opcodes that carry no work of their own (not counted).
const STRUCTURAL = new Set([0x01 /* nop */, 0x02 /* block */, 0x03 /* loop */, 0x05 /* else */, 0x0b /* end */]);
// After these, the next instruction may be entered other than by falling through
// (or follows dead code): it starts a new region.
const ENDS_REGION = new Set([0x00, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
const I64_MUL = 0x7e;
const isCall = (op) => op === 0x10 || op === 0x11;
const isI64Alu = (op) => (op >= 0x50 && op <= 0x5a) || (op >= 0x79 && op <= 0x8a && op !== I64_MUL);
const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.b = bytes;
    this.pos = pos;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error('instrument: unexpected end of module');
    return this.b[this.pos++];
  }
  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error('instrument: LEB128 too long');
    }
  }
  /** Skips a signed LEB128 (any width). */
  skipLeb() {
    while (this.byte() & 0x80);
  }
  bytes(n) {
    if (this.pos + n > this.end) throw new Error('instrument: unexpected end of module');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name() {
    return this.bytes(this.u32());
  }
}

function uleb(n) {
  const out = [];
  do {
    let x = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) x |= 0x80;
    out.push(x);
  } while (n > 0);
  return out;
}

function sleb64(v) {
  let n = BigInt(v);
  const out = [];
  for (;;) {
    const x = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && (x & 0x40) === 0) || (n === -1n && (x & 0x40) !== 0);
    out.push(done ? x : x | 0x80);
    if (done) return out;
  }
}

const cat = (parts) => {
  const len = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const section = (id, payload) => cat([Uint8Array.of(id), Uint8Array.from(uleb(payload.length)), payload]);

/** Skips one instruction's immediates (opcode already read). */
function skipImmediates(r, op) {
  switch (op) {
    case 0x02: case 0x03: case 0x04: {
      const t = r.b[r.pos];
      if (t === 0x40 || VALTYPES.has(t)) r.pos++;
      else r.skipLeb(); // s33 type index
      return;
    }
    case 0x0c: case 0x0d: r.u32(); return;
    case 0x0e: { const n = r.u32(); for (let i = 0; i <= n; i++) r.u32(); return; }
    case 0x10: r.u32(); return;
    case 0x11: r.u32(); r.u32(); return;
    case 0x1c: { const n = r.u32(); r.bytes(n); return; }
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: r.u32(); return;
    case 0x3f: case 0x40: r.u32(); return;
    case 0x41: case 0x42: r.skipLeb(); return;
    case 0x43: r.bytes(4); return;
    case 0x44: r.bytes(8); return;
    case 0xd0: r.byte(); return;
    case 0xd2: r.u32(); return;
    case 0xfc: {
      const sub = r.u32();
      if (sub <= 7) return; // saturating float-to-int
      if (sub === 8 || sub === 10 || sub === 12 || sub === 14) { r.u32(); r.u32(); return; }
      if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) { r.u32(); return; }
      throw new Error(`instrument: unsupported opcode 0xfc ${sub}`);
    }
  }
  if (op >= 0x28 && op <= 0x3e) { r.u32(); r.u32(); return; } // memarg
  if (op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1) return;
  if (op >= 0x45 && op <= 0xc4) return; // numeric, conversions, sign extension
  throw new Error(`instrument: unsupported opcode 0x${op.toString(16)}`);
}

/** Rewrites one function body (locals + expression) with region counters. */
function instrumentBody(body, g) {
  const r = new Reader(body);
  const nLocalDecls = r.u32();
  for (let i = 0; i < nLocalDecls; i++) {
    r.u32();
    r.byte();
  }
  const parts = [body.subarray(0, r.pos)];
  let regionStart = r.pos;
  let c = [0, 0, 0, 0];
  let regions = 0;
  const flush = (end) => {
    if (c[0] > 0) {
      regions++;
      const add = [];
      for (let k = 0; k < COUNTERS.length; k++) {
        if (c[k] === 0) continue;
        add.push(0x23, ...uleb(g[k]), 0x42, ...sleb64(c[k]), 0x7c, 0x24, ...uleb(g[k]));
      }
      parts.push(Uint8Array.from(add));
    }
    parts.push(body.subarray(regionStart, end));
    regionStart = end;
    c = [0, 0, 0, 0];
  };
  while (r.pos < r.end) {
    const op = r.byte();
    skipImmediates(r, op);
    if (!STRUCTURAL.has(op)) {
      c[0]++;
      if (op === I64_MUL) c[2]++;
      else if (isI64Alu(op)) c[1]++;
      if (isCall(op)) c[3]++;
    }
    if (ENDS_REGION.has(op)) flush(r.pos);
  }
  if (regionStart < r.end) flush(r.end);
  return { body: cat(parts), regions };
}

/**
 * Returns the instrumented module and what was done. Throws on anything it
 * does not understand rather than guessing.
 */
export function instrumentWasm(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('instrument: not a wasm module');
  const r = new Reader(bytes, 8);
  const sections = [];
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, payload: r.bytes(size) });
  }
  for (const s of sections) {
    if (s.id === 0) {
      const n = new Reader(s.payload).name();
      if (new TextDecoder().decode(n) === 'name') throw new Error('instrument: strip the name section first (wasm-opt --strip-debug)');
    }
  }
  // Global index space: imported globals first, then defined ones.
  let importedGlobals = 0;
  const imp = sections.find((s) => s.id === 2);
  if (imp) {
    const ir = new Reader(imp.payload);
    const n = ir.u32();
    for (let i = 0; i < n; i++) {
      ir.name();
      ir.name();
      const kind = ir.byte();
      if (kind === 0) ir.u32();
      else if (kind === 1 || kind === 2) {
        if (kind === 1) ir.byte();
        const flags = ir.byte();
        ir.u32();
        if (flags & 1) ir.u32();
      } else if (kind === 3) {
        ir.byte();
        ir.byte();
        importedGlobals++;
      } else throw new Error(`instrument: unsupported import kind ${kind}`);
    }
  }
  const glob = sections.find((s) => s.id === 6);
  let definedGlobals = 0;
  let globalEntries = new Uint8Array(0);
  if (glob) {
    const gr = new Reader(glob.payload);
    definedGlobals = gr.u32();
    globalEntries = glob.payload.subarray(gr.pos);
  }
  const g = COUNTERS.map((_, k) => importedGlobals + definedGlobals + k);
  const newGlobal = Uint8Array.of(0x7e, 0x01, 0x42, 0x00, 0x0b); // mut i64 = i64.const 0
  const globalPayload = cat([Uint8Array.from(uleb(definedGlobals + COUNTERS.length)), globalEntries, ...COUNTERS.map(() => newGlobal)]);

  const exp = sections.find((s) => s.id === 7);
  let expCount = 0;
  let expEntries = new Uint8Array(0);
  if (exp) {
    const er = new Reader(exp.payload);
    expCount = er.u32();
    expEntries = exp.payload.subarray(er.pos);
  }
  const enc = new TextEncoder();
  const newExports = COUNTERS.map((name, k) => {
    const nb = enc.encode(name);
    return cat([Uint8Array.from(uleb(nb.length)), nb, Uint8Array.of(0x03), Uint8Array.from(uleb(g[k]))]);
  });
  const exportPayload = cat([Uint8Array.from(uleb(expCount + COUNTERS.length)), expEntries, ...newExports]);

  const code = sections.find((s) => s.id === 10);
  if (!code) throw new Error('instrument: module has no code section');
  const cr = new Reader(code.payload);
  const nFuncs = cr.u32();
  const bodies = [Uint8Array.from(uleb(nFuncs))];
  let regions = 0;
  for (let i = 0; i < nFuncs; i++) {
    const size = cr.u32();
    const out = instrumentBody(cr.bytes(size), g);
    regions += out.regions;
    bodies.push(Uint8Array.from(uleb(out.body.length)), out.body);
  }
  const codePayload = cat(bodies);

  // Reassemble in the original order; a missing global/export section goes where the spec orders it.
  const ORDER = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };
  const out = [bytes.subarray(0, 8)];
  let placedGlobal = false;
  let placedExport = false;
  for (const s of sections) {
    const ord = ORDER[s.id] ?? 0;
    if (s.id !== 0 && !placedGlobal && ord > 6) {
      out.push(section(6, globalPayload));
      placedGlobal = true;
    }
    if (s.id !== 0 && !placedExport && ord > 7) {
      out.push(section(7, exportPayload));
      placedExport = true;
    }
    if (s.id === 6) {
      out.push(section(6, globalPayload));
      placedGlobal = true;
    } else if (s.id === 7) {
      out.push(section(7, exportPayload));
      placedExport = true;
    } else if (s.id === 10) out.push(section(10, codePayload));
    else out.push(section(s.id, s.payload));
  }
  if (!placedGlobal) out.push(section(6, globalPayload));
  if (!placedExport) out.push(section(7, exportPayload));
  return { bytes: cat(out), functions: nFuncs, regions, globals: g };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [inFile, outFile] = process.argv.slice(2);
  if (!inFile || !outFile) {
    console.error('usage: node tools/instrument.mjs in.wasm out.wasm');
    process.exit(2);
  }
  const res = instrumentWasm(readFileSync(inFile));
  writeFileSync(outFile, res.bytes);
  console.log(`${outFile}: ${res.functions} functions, ${res.regions} counted regions, ${res.bytes.length} bytes`);
}
