// The cost model's calibration: fib(24), instrumented exactly as the engine's
// sim build, executes the instruction counts src/sim/cost-model.ts is built on,
// and every per-core constant follows from wasm3's published timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wat2wasm } from './fixtures/wat.ts';
// @ts-ignore: a plain .mjs tool without type declarations
import { instrumentWasm } from '../../tools/instrument.mjs';
import { fibWat } from './fixtures/fib.ts';
import {
  CORES, FIB24_OPS, FIB64_24_I64ALU, PUBLISHED, PUBLISHED_FIB64, costForArch, costForBoard, cyclesFor, msFor, calibrationTable,
} from '../../src/sim/cost-model.ts';
import { boardNames, loadBoard } from '../../src/bundle/board.ts';

function runFib(t: 'i32' | 'i64') {
  const bin = wat2wasm(fibWat(t));
  const x = new WebAssembly.Instance(new WebAssembly.Module(instrumentWasm(bin).bytes), {}).exports as Record<string, any>;
  const r = x.fib(t === 'i32' ? 24 : 24n);
  return { r: Number(r), ops: Number(x.__sim_ops.value), i64alu: Number(x.__sim_i64alu.value), i64mul: Number(x.__sim_i64mul.value) };
}

test(`fib(24) executes ${FIB24_OPS} counted wasm instructions (fib32 and fib64 alike)`, () => {
  const f32 = runFib('i32');
  assert.equal(f32.r, 46368);
  assert.equal(f32.ops, FIB24_OPS);
  assert.equal(f32.i64alu, 0);
  // By hand: 75025 base-case calls x 6 + 75024 recursive calls x 14.
  assert.equal(FIB24_OPS, 75025 * 6 + 75024 * 14);
  const f64 = runFib('i64');
  assert.equal(f64.r, 46368);
  assert.equal(f64.ops, FIB24_OPS);
  assert.equal(f64.i64alu, FIB64_24_I64ALU);
  assert.equal(f64.i64mul, 0);
});

test('each core reproduces the published fib(24) it was calibrated on', () => {
  const fib = { ops: FIB24_OPS, i64alu: 0, i64mul: 0 };
  assert.ok(Math.abs(msFor(fib, CORES.xtensa, PUBLISHED.esp32.mhz) - 297) < 1e-9);
  assert.ok(Math.abs(msFor(fib, CORES['armv6-m'], PUBLISHED.mkr1000.mhz) - 1930) < 1e-9);
  // fib64 = fib32 + the i64 surcharge: the older table's pair.
  const fib64 = { ops: FIB24_OPS, i64alu: FIB64_24_I64ALU, i64mul: 0 };
  const e = PUBLISHED_FIB64.mkr1000;
  assert.ok(Math.abs(msFor(fib64, CORES['armv6-m'], e.mhz) - msFor(fib, CORES['armv6-m'], e.mhz) - (e.ms64 - e.ms32)) < 1e-9);
  // Rounded values reported in the docs.
  assert.equal(CORES.xtensa.cyclesPerOp.toFixed(1), '47.5');
  assert.equal(CORES['armv6-m'].cyclesPerOp.toFixed(1), '61.7');
  assert.equal(CORES.riscv32.cyclesPerOp.toFixed(1), '42.5');
  assert.equal(CORES.riscv32.basis, 'estimate');
  for (const k of Object.values(CORES)) {
    assert.ok(k.cyclesPerOp > 10 && k.cyclesPerOp < 200, `${k.core}: ${k.cyclesPerOp} cycles/instruction`);
    assert.ok(k.i64AluExtra >= 0 && k.i64MulExtra >= 0);
    for (const s of Object.values(k.sources)) assert.ok(s.length > 20, `${k.core}: every number names its source`);
  }
  assert.equal(cyclesFor({ ops: 2, i64alu: 1, i64mul: 1 }, CORES.xtensa), 2 * CORES.xtensa.cyclesPerOp + CORES.xtensa.i64AluExtra + CORES.xtensa.i64MulExtra);
  assert.match(calibrationTable(), /1500486/);
});

test('every board profile has a cost model for its core; an unknown core is an error naming the known ones', () => {
  for (const name of boardNames()) assert.ok(costForBoard(loadBoard(name)));
  assert.throws(() => costForArch('mips32'), /no wasm3 cost model for arch 'mips32' \(known: xtensa, armv6-m, riscv32\)/);
});
