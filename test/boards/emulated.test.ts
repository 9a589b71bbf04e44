// Emulated boards, end to end, through the same code path as `tlsrt board`:
// the aot firmware for each board's instruction set boots under qemu, passes
// its self-test, completes a psk_dhe_ke and a psk_ke handshake with a node:tls
// server and echoes 16 KiB each way (checked by the server and the
// firmware); its RAM and flash figures exist and fit the board's budget.
// The instruction counter the figures come from is checked on a loop of
// known length. Needs Debian's wabt, qemu and the board's cross toolchain
// (installed by .ci/run); without them the test reports a skip saying what
// is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boardRunUnavailable, runBoard } from '../../src/emulated/run.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { AOT_MEASURED } from '../../src/sim/aot-traces.ts';
import { spawnSync } from 'node:child_process';

const ECHO = 16384;

for (const name of ['rp2040', 'esp32-c3']) {
  const why = boardRunUnavailable(name, 'aot');
  test(`${name}, aot runtime, emulated: self-test, psk_dhe_ke + psk_ke handshakes with node:tls, ${ECHO}-byte echoes, RAM and flash within budget`, { skip: why ?? false, timeout: 240000 }, async () => {
    const b = loadBoard(name);
    const r = await runBoard({ board: name, runtime: 'aot', echoBytes: ECHO });
    assert.equal(r.error, undefined, `no failure (${r.error}); firmware log: ${r.log.join(' | ')}`);
    assert.equal(r.board, name);
    assert.equal(r.runtime, 'aot');
    assert.ok(r.selftest.ok, 'boot self-test passed on the emulated CPU');
    for (const [kx, c] of Object.entries(r.connections)) {
      assert.equal(c.kx, kx, `${kx}: the engine reports the key exchange asked for`);
      assert.ok(b.suites.includes(c.suite), `${kx}: suite ${c.suite} is one the board offers`);
      assert.equal(c.echoBytes, ECHO, `${kx}: all ${ECHO} bytes came back`);
      assert.ok(c.echoIntact, `${kx}: the server got the firmware's pattern and the firmware got it back intact`);
      assert.ok(c.handshakeInstructions > 0, `${kx}: handshake instructions counted`);
    }
    assert.ok(r.ok);
    // The counter: 1 instruction per ns of virtual time, within the timer's resolution.
    assert.equal(r.instructionCounter.loopExpected, 2000000);
    assert.ok(Math.abs(r.instructionCounter.loopMeasured - 2000000) <= 200, `loop counted as ${r.instructionCounter.loopMeasured}`);
    // X25519 is most of psk_dhe_ke: it must cost more than psk_ke.
    assert.ok(r.handshakeInstructions.psk_dhe_ke > r.handshakeInstructions.psk_ke);
    // RAM: static (from the ELF) + heap (counted) + stack (painted), within the budget the linker script enforced.
    assert.ok(r.ramBytes.static >= r.linearMemoryBytes, 'static RAM holds at least the linear memory buffer');
    assert.ok(r.linearMemoryBytes > 0 && r.linearMemoryBytes < 65536, 'linear memory is the engine\'s size, not a 64 KiB page');
    assert.equal(r.ramBytes.heapPeak, 0, 'the aot runtime allocates nothing');
    assert.ok(r.ramBytes.stackPeak > 256 && r.ramBytes.stackPeak < 16384, `stack peak ${r.ramBytes.stackPeak}`);
    assert.equal(r.ramBytes.total, r.ramBytes.static + r.ramBytes.heapPeak + r.ramBytes.stackPeak);
    assert.ok(r.ramBytes.total <= b.ramBudget.engineBytes, `RAM ${r.ramBytes.total} within the engine budget ${b.ramBudget.engineBytes}`);
    assert.ok(r.flashBytes > r.harnessFlashBytes && r.flashBytes <= b.flashBytes, `flash ${r.flashBytes} within ${b.flashBytes}`);
    // The figures the simulator uses (boards/<name>.json `aot`, src/sim/aot-traces.ts) were measured by this
    // same run; they must still describe the firmware, within 10%, or they have gone stale.
    const near = (what: string, fresh: number, recorded: number, tol = 0.1) =>
      assert.ok(Math.abs(fresh - recorded) <= tol * recorded, `${what}: measured now ${fresh}, recorded ${recorded} (more than ${tol * 100}% apart: re-measure and update the record)`);
    assert.ok(b.aot, `boards/${name}.json has an aot section`);
    near(`boards/${name}.json aot.staticBytes (static RAM besides linear memory)`, r.ramBytes.static - r.linearMemoryBytes, b.aot!.staticBytes);
    near(`boards/${name}.json aot.stackBytes`, r.ramBytes.stackPeak, b.aot!.stackBytes);
    const rec = (w: string) => AOT_MEASURED.find((m) => m.board === name && m.workload === w)?.instructions ?? NaN;
    near('aot-traces.ts selftest instructions', r.selftest.instructions, rec('selftest'));
    near('aot-traces.ts psk_ke instructions', r.handshakeInstructions.psk_ke, rec('psk_ke'));
    near('aot-traces.ts psk_dhe_ke instructions', r.handshakeInstructions.psk_dhe_ke, rec('psk_dhe_ke'));
  });
}

test('tlsrt board (CLI): usage errors, a board that cannot be emulated, wasm3 without WASM3_DIR', () => {
  const cli = ['--import', 'tsx', 'src/cli.ts', 'board'];
  const env = { ...process.env };
  delete env.WASM3_DIR;
  const missing = spawnSync(process.execPath, cli, { encoding: 'utf8', env });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--board is required/);
  const badRuntime = spawnSync(process.execPath, [...cli, '--board', 'rp2040', '--runtime', 'jit'], { encoding: 'utf8', env });
  assert.equal(badRuntime.status, 2);
  assert.match(badRuntime.stderr, /--runtime must be aot or wasm3/);
  const xtensa = spawnSync(process.execPath, [...cli, '--board', 'esp32', '--json'], { encoding: 'utf8', env });
  assert.equal(xtensa.status, 1);
  const x = JSON.parse(xtensa.stdout);
  assert.equal(x.ok, false);
  assert.match(x.error, /cannot be emulated here/);
  const noWasm3 = spawnSync(process.execPath, [...cli, '--board', 'rp2040', '--runtime', 'wasm3', '--json'], { encoding: 'utf8', env });
  assert.equal(noWasm3.status, 1);
  assert.match(JSON.parse(noWasm3.stdout).error, /WASM3_DIR/);
});
