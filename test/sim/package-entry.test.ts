// 'tlsrt/sim' as an application imports it: the built JavaScript in dist/
// (no tsx), through the package's own exports map, from another directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test("import { runFleet, Board } from 'tlsrt/sim' runs a fleet from the built package", { timeout: 60_000 }, () => {
  const script = `
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(ROOT + 'package.json')});
    const sim = await import(require.resolve('tlsrt/sim'));
    const { report } = await sim.runFleet({ board: 'esp32-c3', devices: 2, seed: 9, kx: 'psk_ke' });
    const board = new sim.Board('rp2040');
    console.log(JSON.stringify({ completed: report.completed, suite: report.suite, slots: board.profile.pool.slots }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { completed: 2, suite: 'TLS_CHACHA20_POLY1305_SHA256', slots: 1 });
});

test("runFleet({ workers: 2 }) from the built package loads dist's worker entry, and reports as one thread does", { timeout: 60_000 }, () => {
  const script = `
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(ROOT + 'package.json')});
    const sim = await import(require.resolve('tlsrt/sim'));
    const o = { board: 'esp32', devices: 4, seed: 'dist', kx: 'psk_ke', link: { loss: 0.1 } };
    const one = await sim.runFleet(o);
    const two = await sim.runFleet({ ...o, workers: 2 });
    console.log(JSON.stringify({ same: JSON.stringify(one.report) === JSON.stringify(two.report), completed: two.report.completed, workers: two.host.workers }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { same: true, completed: 4, workers: 2 });
});
