// The aot cycle model (src/sim/aot-model.ts) against the emulator's
// measurements it is fitted to (src/sim/aot-traces.ts, recorded from
// `tlsrt board --runtime aot`; test/boards/emulated.test.ts re-measures
// them): with two parameters over three workloads per instruction set, the
// fit is not exact, so reproducing every workload within 5% is a real check.
// And a board's runtime picks its clock: aot by default, wasm3 on request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AOT_MEASURED, AOT_ISA_BOARD } from '../../src/sim/aot-traces.ts';
import { AOT_CORES, CYCLES_PER_INSTRUCTION } from '../../src/sim/aot-model.ts';
import { CORES, cyclesFor } from '../../src/sim/cost-model.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { ramArithmetic } from '../../src/bundle/ram.ts';
import { Board } from '../../src/sim/board.ts';

const TOLERANCE = 0.05;

for (const [arch, board] of Object.entries(AOT_ISA_BOARD)) {
  test(`aot model for ${arch}: reproduces each instruction count the emulator measured for ${board} within ${TOLERANCE * 100}%`, () => {
    const rows = AOT_MEASURED.filter((r) => r.board === board);
    assert.equal(rows.length, 3, 'self-test, psk_ke, psk_dhe_ke');
    assert.equal(loadBoard(board).arch, arch, `${board} is the ${arch} board`);
    const k = AOT_CORES[arch];
    for (const r of rows) {
      const model = cyclesFor(r, k) / CYCLES_PER_INSTRUCTION;
      const err = Math.abs(model - r.instructions) / r.instructions;
      assert.ok(err <= TOLERANCE, `${board} ${r.workload}: model ${model.toFixed(0)} vs measured ${r.instructions} (${(err * 100).toFixed(1)}%)`);
    }
    // Physically sensible: more than one machine instruction per wasm instruction, i64.mul dearer than an op.
    assert.ok(k.cyclesPerOp > 1 && k.i64MulExtra > k.cyclesPerOp);
  });
}

test('aot is cheaper than wasm3 on every modelled core, and Thumb-1 pays more per i64.mul than RV32IMC (no 32x32->64 multiply)', () => {
  for (const arch of Object.keys(AOT_CORES)) {
    assert.ok(AOT_CORES[arch].cyclesPerOp < CORES[arch].cyclesPerOp, arch);
    assert.equal(AOT_CORES[arch].runtime, 'aot');
    assert.equal(CORES[arch].runtime, 'wasm3');
  }
  assert.ok(AOT_CORES['armv6-m'].i64MulExtra > 2 * AOT_CORES.riscv32.i64MulExtra);
  assert.equal(AOT_CORES.xtensa.basis, 'estimate', 'Xtensa is borrowed, and says so');
});

test("a simulated board's clock and RAM verdict follow its runtime: the profile's (aot), or the runtime option", () => {
  const p = loadBoard('rp2040');
  assert.equal(p.runtime, 'aot');
  const aot = new Board('rp2040', { seed: 1 });
  const w3 = new Board('rp2040', { seed: 1, runtime: 'wasm3' });
  assert.equal(aot.runtime, 'aot');
  assert.equal(aot.cost, AOT_CORES['armv6-m']);
  assert.equal(w3.cost, CORES['armv6-m']);
  const a = aot.time(() => aot.engine.x.selftest());
  const b = w3.time(() => w3.engine.x.selftest());
  assert.equal(a.ops, b.ops, 'the same work is counted');
  assert.ok(a.ms < b.ms / 2, `aot self-test ${a.ms} ms vs wasm3 ${b.ms} ms`);
  // The device RAM verdict: under aot, the static buffer + measured static RAM and stack fits; under wasm3 it does not.
  assert.equal(aot.device.runtime, 'aot');
  assert.equal(aot.device.peak, ((aot.memory.need - 16 + 15) & ~15) + p.aot!.staticBytes + p.aot!.stackBytes);
  assert.ok(aot.device.fits, `aot peak ${aot.device.peak} within ${aot.device.budget}`);
  assert.equal(w3.device.runtime, 'wasm3');
  assert.ok(!w3.device.fits, `wasm3 peak ${w3.device.peak} exceeds ${w3.device.budget}`);
  assert.doesNotThrow(() => new Board('rp2040', { seed: 1, enforce: 'device' }));
  assert.throws(() => new Board('rp2040', { seed: 1, enforce: 'device', runtime: 'wasm3' }), /under wasm3/);
  // ram.ts refuses an aot verdict without the measured figures.
  const { aot: _, ...noAot } = p;
  assert.throws(() => ramArithmetic(noAot, { ...({} as never), heapBase: 1, arenaBytes: 1, linearMemoryBytes: 16 }, 'aot'), /no aot section/);
});
