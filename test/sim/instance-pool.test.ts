// Boards that reuse an engine instance (src/sim/instance-pool.ts) behave
// exactly as boards on a fresh one: same counters after boot, same bytes on
// the wire and the same simulated time for the same randomness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Board, simWasmPath } from '../../src/sim/board.ts';
import { simulateHandshake } from '../../src/sim/handshake.ts';
import { InstancePool } from '../../src/sim/instance-pool.ts';
import { exportState } from '../../src/sim/wasm-state.ts';

test('exportState exports every mutable global the sim module defines, and nothing else changes', () => {
  const bytes = readFileSync(simWasmPath('psk'));
  const { bytes: out, globals } = exportState(bytes);
  const before = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
  const after = WebAssembly.Module.exports(new WebAssembly.Module(out));
  assert.ok(globals.indices.length >= 4 + 1, 'the four counters and the engine\'s own state');
  assert.deepEqual(after.slice(0, before.length), before, 'the original exports, in order');
  assert.deepEqual(after.slice(before.length).map((e) => [e.name, e.kind]), globals.indices.map((i) => [globals.exportName(i), 'global']));
  assert.equal(out.length - bytes.length > 0, true);
});

for (const kx of ['psk_ke', 'psk_dhe_ke'] as const) {
  test(`${kx}: a board on a reused instance does what a board on a fresh instance does, byte for byte`, { timeout: 60_000 }, () => {
    const pool = new InstancePool();
    // A first board uses the instance (another seed, a whole handshake), then gives it back.
    const first = new Board('esp32', { seed: 'client:other', instances: pool });
    const bootCounts = first.counts();
    simulateHandshake(first, kx, 'other');
    first.release();
    const reused = new Board('esp32', { seed: 'client:7', instances: pool });
    assert.deepEqual(pool.stats, { created: 1, reused: 1 });
    assert.deepEqual(reused.counts(), bootCounts, 'counters put back to the boot state');
    const fresh = new Board('esp32', { seed: 'client:7' });
    assert.deepEqual(fresh.counts(), bootCounts, 'a fresh boot counts the same');
    const a = simulateHandshake(reused, kx, 7);
    const b = simulateHandshake(fresh, kx, 7);
    assert.deepEqual(a.result.flights, b.result.flights, 'the same flights');
    assert.equal(a.ms, b.ms);
    assert.equal(a.ops, b.ops);
    assert.deepEqual(reused.counts(), fresh.counts());
    assert.ok(a.result.exporter.equals(b.result.exporter));
  });
}

test('boards alive at once get their own instances; a released instance serves the next board', () => {
  const pool = new InstancePool();
  const a = new Board('rp2040', { seed: 1, instances: pool });
  const b = new Board('rp2040', { seed: 2, instances: pool });
  assert.notEqual(a.engine.x, b.engine.x);
  const aExports = a.engine.x;
  a.release();
  a.release(); // twice is harmless
  assert.throws(() => a.engine.x.info(0, 0), /a board used its engine \(info\) after it was released/);
  const c = new Board('rp2040', { seed: 3, instances: pool });
  assert.equal(c.engine.x, aExports, 'the next board got the released instance');
  const d = new Board('esp32', { seed: 4, instances: pool });
  assert.notEqual(d.engine.x, b.engine.x, 'another pool geometry, another instance');
  assert.deepEqual(pool.stats, { created: 3, reused: 1 });
});
