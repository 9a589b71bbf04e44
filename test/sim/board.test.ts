// Simulated boards: the RAM budget enforced at construction, a virtual clock
// that is deterministic and moves only with executed work, and handshake
// times that agree with the calibration (no wall-clock assertions anywhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Board, BudgetError } from '../../src/sim/board.ts';
import { simulateHandshake, type SimulatedHandshake } from '../../src/sim/handshake.ts';
import { loadBoard, type Board as BoardProfile } from '../../src/bundle/board.ts';
import { CORES, msFor } from '../../src/sim/cost-model.ts';
import type { KxMode } from '../../src/engine/config.ts';

const BOARDS = ['rp2040', 'esp32', 'esp32-c3'];
const KX: KxMode[] = ['psk_ke', 'psk_dhe_ke'];

const times = new Map<string, SimulatedHandshake>();
const hs = (board: string, kx: KxMode) => {
  const k = `${board}/${kx}`;
  // Under wasm3: these tests check the wasm3 calibration (test/sim/aot-model.test.ts checks aot's).
  if (!times.has(k)) times.set(k, simulateHandshake(board, kx, 1, { runtime: 'wasm3' }));
  return times.get(k)!;
};

test('a board whose budget cannot hold the engine fails at construction, naming the budget and the need', () => {
  const tiny: BoardProfile = { ...loadBoard('rp2040'), name: 'tiny' };
  tiny.ramBudget = { ...tiny.ramBudget, engineBytes: 4096 };
  let err: unknown;
  try {
    new Board(tiny);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof BudgetError, String(err));
  assert.equal(err.budget, 4096);
  assert.ok(err.need > 4096);
  assert.match(err.message, /board tiny: the engine's linear memory needs \d+ bytes .* but its RAM budget \(ramBudget\.engineBytes\) is 4096 bytes/);
  assert.ok(err.message.includes(String(err.need)));
});

test('a budget just big enough is accepted; one byte less is not', () => {
  const need = new Board('rp2040').memory.need;
  const at = (engineBytes: number): BoardProfile => {
    const p = { ...loadBoard('rp2040') };
    p.ramBudget = { ...p.ramBudget, engineBytes };
    return p;
  };
  assert.doesNotThrow(() => new Board(at(need)));
  assert.throws(() => new Board(at(need - 1)), BudgetError);
});

test("enforce: 'device' holds a board to the whole device RAM peak of its runtime — under wasm3 no board fits, under aot every board does", () => {
  for (const name of BOARDS) {
    for (const runtime of ['aot', 'wasm3'] as const) {
      const b = new Board(name, { runtime });
      assert.equal(b.device.runtime, runtime);
      assert.equal(b.device.fits, runtime === 'aot', `${name} under ${runtime}: peak ${b.device.peak} of ${b.device.budget}`);
      if (b.device.fits) assert.doesNotThrow(() => new Board(name, { enforce: 'device', runtime }));
      else {
        assert.throws(() => new Board(name, { enforce: 'device', runtime }), (e: unknown) => {
          assert.ok(e instanceof BudgetError);
          assert.equal(e.need, b.device.peak);
          assert.equal(e.budget, b.profile.ramBudget.engineBytes);
          assert.match(e.message, new RegExp(`needs ${b.device.peak} bytes of device RAM at peak under ${runtime} .* is ${e.budget} bytes`));
          return true;
        });
      }
    }
  }
});

test('an invalid board profile is rejected with the validator\'s sentences', () => {
  const bad = { ...loadBoard('esp32'), clockMHz: 0 };
  assert.throws(() => new Board(bad), /clockMHz must be a positive integer/);
});

test('the clock starts at boot, moves only with engine work, and is deterministic per seed', () => {
  const a = new Board('esp32', { seed: 3 });
  const t0 = a.now();
  assert.ok(t0 > 0 && t0 < 5, `init costs a little: ${t0} ms`);
  assert.equal(a.now(), t0);
  const st = a.time(() => a.engine.x.selftest());
  assert.equal(st.value, 1);
  assert.ok(st.ms > 0 && st.ops > 0);
  assert.equal(a.now(), t0 + st.ms);
  for (const board of BOARDS) {
    for (const kx of KX) {
      const x = simulateHandshake(board, kx, 42);
      const y = simulateHandshake(board, kx, 42);
      assert.equal(x.ms, y.ms, `${board} ${kx}: same seed, same simulated time`);
      assert.equal(x.ops, y.ops);
      assert.ok(x.result.exporter.equals(y.result.exporter));
    }
  }
});

test('simulated handshake times under wasm3 follow the wasm3 calibration', () => {
  for (const board of BOARDS) {
    const p = loadBoard(board);
    const k = CORES[p.arch];
    for (const kx of KX) {
      const h = hs(board, kx);
      assert.equal(h.result.kx, kx);
      // Bounded by the model: at least the per-instruction cost, at most that plus the largest surcharge on every op.
      const lo = msFor({ ops: h.ops, i64alu: 0, i64mul: 0, calls: 0 }, k, p.clockMHz);
      const hi = msFor({ ops: h.ops, i64alu: h.ops, i64mul: 0, calls: h.ops }, { ...k, i64AluExtra: Math.max(k.i64AluExtra, k.i64MulExtra) }, p.clockMHz);
      assert.ok(h.ms >= lo && h.ms <= hi, `${board} ${kx}: ${h.ms} ms outside [${lo}, ${hi}]`);
    }
    const ke = hs(board, 'psk_ke');
    const dhe = hs(board, 'psk_dhe_ke');
    assert.ok(ke.ms < dhe.ms, `${board}: psk_ke ${ke.ms} ms must beat psk_dhe_ke ${dhe.ms} ms`);
    // Two X25519 operations dominate psk_dhe_ke.
    assert.ok(dhe.ms > 3 * ke.ms, `${board}: X25519 should dominate psk_dhe_ke`);
    // Sane absolute ranges for wasm3 on a 133-240 MHz MCU.
    assert.ok(ke.ms > 20 && ke.ms < 2000, `${board} psk_ke ${ke.ms} ms`);
    assert.ok(dhe.ms > 200 && dhe.ms < 10000, `${board} psk_dhe_ke ${dhe.ms} ms`);
  }
  for (const kx of KX) {
    // The ESP32 and the ESP32-C3 select the same engine, so they run the same module and the
    // same work; the rp2040's client-only module is its own build, within a few percent of it.
    assert.equal(hs('esp32', kx).ops, hs('esp32-c3', kx).ops);
    const r = hs('rp2040', kx).ops / hs('esp32', kx).ops;
    assert.ok(r > 0.9 && r < 1.1, `${kx}: rp2040 module executes ${hs('rp2040', kx).ops} vs esp32 ${hs('esp32', kx).ops}`);
    // The RP2040 (133 MHz, no tail calls, no 32×32→64 multiply) is the slowest; the
    // ESP32 and the ESP32-C3 come out within a few percent of each other (both estimates).
    assert.ok(hs('rp2040', kx).ms > hs('esp32-c3', kx).ms, `${kx}: rp2040 slower than esp32-c3`);
    assert.ok(hs('rp2040', kx).ms > hs('esp32', kx).ms, `${kx}: rp2040 slower than esp32`);
  }
});
