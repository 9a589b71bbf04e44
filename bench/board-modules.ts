// What each board's own module (build/boards/<name>.wasm) costs, against the
// Node profile it is cut from (build/psk.wasm), on that board's simulated
// clock (src/sim/cost-model.ts): module bytes and gzip, the boot self-test
// and one client handshake per key exchange, in executed wasm instructions
// (the sim twins count them) and simulated milliseconds.
//   node --import tsx bench/board-modules.ts
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { boardNames, loadBoard, type Board as BoardProfile } from '../src/bundle/board.ts';
import { boardWasmPath, wasmPath } from '../src/engine/wasm-module.ts';
import { Board, compileSimProfile, engineAround, initEngine, instantiateWith, seededRandom } from '../src/sim/board.ts';
import { costForBoard, msFor, type OpCounts } from '../src/sim/cost-model.ts';
import { handshakePair, simPsk, simServerEngine } from '../src/sim/handshake.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { KxMode } from '../src/engine/config.ts';

/** Executed-instruction counters of a sim instance. */
function counter(x: WebAssembly.Exports): () => OpCounts {
  const g = (k: string) => Number((x[k] as WebAssembly.Global).value);
  return () => ({ ops: g('__sim_ops'), i64alu: g('__sim_i64alu'), i64mul: g('__sim_i64mul'), calls: g('__sim_calls') });
}
const diff = (a: OpCounts, b: OpCounts): OpCounts => ({ ops: b.ops - a.ops, i64alu: b.i64alu - a.i64alu, i64mul: b.i64mul - a.i64mul, calls: b.calls - a.calls });

/** The psk profile's sim twin with a board's pool, as that board would run it. */
function pskOn(b: BoardProfile, seed: string): { engine: Engine; counts: () => OpCounts } {
  const inst = instantiateWith(compileSimProfile('psk'), seededRandom(seed));
  return { engine: initEngine(engineAround(inst, b.pool)), counts: counter(inst.exports) };
}

function handshake(b: BoardProfile, engine: Engine, counts: () => OpCounts, kx: KxMode): OpCounts {
  const c0 = counts();
  let spent: OpCounts | undefined;
  const r = handshakePair(engine, simServerEngine(1), { kx, suites: b.suites, psk: simPsk(1), maxFragmentLength: b.maxFragmentLength, maxSendFragment: b.defaultFragment }, () => {
    spent = diff(c0, counts());
  });
  r.client.close();
  r.server.close();
  if (!spent) throw new Error(`${b.name} ${kx}: no handshake`);
  return spent;
}

const fmt = (c: OpCounts, b: BoardProfile) => `${c.ops.toLocaleString('en')} (${msFor(c, costForBoard(b), b.clockMHz).toFixed(0)} ms)`;
const rows: string[] = [];
for (const name of boardNames()) {
  const p = loadBoard(name);
  const wasm = readFileSync(boardWasmPath(name));
  const stCounts = (() => {
    const x = pskOn(p, 'bench');
    const c0 = x.counts();
    if (x.engine.x.selftest() !== 1) throw new Error('psk selftest failed');
    return diff(c0, x.counts());
  })();
  const boardSelftest = (() => {
    const b = new Board(name, { seed: 'bench' });
    const c0 = b.counts();
    if (b.engine.x.selftest() !== 1) throw new Error(`${name}: selftest failed`);
    return diff(c0, b.counts());
  })();
  const hs = (kx: KxMode) => {
    const bb = new Board(name, { seed: `bench:${kx}` });
    const mine = handshake(p, bb.engine, () => bb.counts(), kx);
    const x = pskOn(p, `bench:${kx}`);
    const psk = handshake(p, x.engine, x.counts, kx);
    return `${fmt(mine, p)} vs ${fmt(psk, p)}`;
  };
  rows.push(`| ${name} | ${wasm.length.toLocaleString('en')} (gzip ${gzipSync(wasm).length.toLocaleString('en')}) | ${fmt(boardSelftest, p)} vs ${fmt(stCounts, p)} | ${hs('psk_ke')} | ${hs('psk_dhe_ke')} |`);
}
const psk = readFileSync(wasmPath('psk'));
console.log(`board modules vs the psk profile (${psk.length.toLocaleString('en')} bytes, gzip ${gzipSync(psk).length.toLocaleString('en')}), on each board's simulated wasm3 clock`);
console.log('| board | module bytes | boot self-test: wasm instructions (ms), board vs psk | client psk_ke handshake, board vs psk | client psk_dhe_ke handshake, board vs psk |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
