// Board profiles (boards/*.json): each one passes the schema check, its pool
// geometry is accepted by the engine's own init(), and the schema check
// catches the mistakes it exists for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boardNames, boardsDir, loadBoard, validateBoard } from '../../src/bundle/board.ts';
import { inspectModule } from '../../src/bundle/module.ts';

const BOARDS = ['esp32', 'esp32-c3', 'rp2040'];
const KiB = 1024;

test('the three board profiles exist', () => {
  assert.deepEqual(boardNames(), BOARDS);
});

for (const name of BOARDS) {
  test(`${name}: passes the schema check and the engine accepts its pool`, () => {
    const raw = JSON.parse(readFileSync(join(boardsDir(), `${name}.json`), 'utf8'));
    assert.deepEqual(validateBoard(raw, name), []);
    const b = loadBoard(name);
    const m = inspectModule(b.profile, b.pool); // throws if init() rejects the geometry
    assert.ok(m.arenaBytes > b.pool.slots * (b.pool.recvCap + b.pool.sendCap + b.pool.hsCap));
    assert.ok(b.wasm3.maxNativeStack > 0, 'a board needs the native-stack guard');
    assert.equal(b.wasm3.maxFunctionStackHeight, 128, 'the engine is kept compilable at wasm3\'s MCU stack height');
  });
}

test('board facts match the boards issue', () => {
  const rp = loadBoard('rp2040');
  assert.equal(rp.sramBytes, 264 * KiB);
  assert.equal(rp.flashBytes, 2048 * KiB);
  assert.equal(rp.clockMHz, 133);
  assert.equal(rp.maxFragmentLength, 512);
  assert.equal(rp.pool.recvCap, 5 + 512 + 256);
  const e = loadBoard('esp32');
  assert.equal(e.sramBytes, 520 * KiB);
  assert.equal(e.flashBytes, 4096 * KiB);
  assert.equal(e.clockMHz, 240);
  const c3 = loadBoard('esp32-c3');
  assert.equal(c3.sramBytes, 400 * KiB);
  assert.equal(c3.flashBytes, 4096 * KiB);
  assert.equal(c3.clockMHz, 160);
});

test('the schema check catches broken profiles', () => {
  const good = JSON.parse(readFileSync(join(boardsDir(), 'rp2040.json'), 'utf8'));
  const broken = (patch: (b: any) => void) => {
    const b = structuredClone(good);
    patch(b);
    return validateBoard(b, 'x').join('\n');
  };
  assert.match(broken((b) => (b.pool.recvCap = 772)), /recvCap/);
  assert.match(broken((b) => (b.pool.slots = 0)), /slots/);
  assert.match(broken((b) => (b.maxFragmentLength = 1000)), /maxFragmentLength/);
  assert.match(broken((b) => (b.maxFragmentLength = 1024)), /maxFragmentLength \+ 261/);
  assert.match(broken((b) => (b.defaultFragment = 2048)), /defaultFragment/);
  assert.match(broken((b) => (b.sdk = 'arduino')), /sdk/);
  assert.match(broken((b) => (b.suites = ['TLS_RSA_WITH_RC4'])), /suites/);
  assert.match(broken((b) => (b.wasm3.maxNativeStack = 0)), /native-stack guard/);
  assert.match(broken((b) => (b.wasm3.taskStackBytes = b.wasm3.maxNativeStack)), /taskStackBytes/);
  assert.match(broken((b) => (b.wasm3.codePageAlignSize = 1000)), /power of two/);
  assert.match(broken((b) => (b.ramBudget.engineBytes = b.sramBytes)), /exceed sramBytes/);
  assert.match(broken((b) => delete b.wasm3.runtimeHeapBytes), /runtimeHeapBytes/);
  // The aot section: the measured RAM the aot device verdict needs (src/bundle/ram.ts).
  assert.match(broken((b) => delete b.aot), /aot must be an object .* when runtime is 'aot'/);
  assert.equal(broken((b) => (delete b.aot, (b.runtime = 'wasm3'))), '', 'a wasm3 board needs no aot section');
  assert.match(broken((b) => (b.aot.stackBytes = 0)), /aot\.stackBytes/);
  assert.match(broken((b) => (b.aot.staticBytes = -1)), /aot\.staticBytes/);
  assert.match(broken((b) => (b.aot.basis = '')), /aot\.basis/);
  // The engine section: what the board's module contains (src/bundle/engine-features.ts).
  assert.match(broken((b) => delete b.engine), /engine must be an object/);
  assert.match(broken((b) => (b.engine.roles = [])), /engine\.roles/);
  assert.match(broken((b) => (b.engine.roles = ['client', 'client'])), /engine\.roles .*no repeats/);
  assert.match(broken((b) => (b.engine.suites = ['TLS_RSA_WITH_RC4'])), /engine\.suites/);
  assert.match(broken((b) => (b.engine.kx = ['psk_dhe_ke'], b.engine.groups = [])), /engine\.groups must name x25519 or secp256r1 when kx has psk_dhe_ke/);
  assert.match(broken((b) => (b.engine.kx = ['psk_ke'])), /engine\.groups must be empty/);
  assert.match(broken((b) => (b.engine.ciphers = [])), /engine\.ciphers is not a known engine selection/);
  assert.match(broken((b) => (b.suites = ['TLS_AES_128_GCM_SHA256'])), /suites lists TLS_AES_128_GCM_SHA256, which engine\.suites leaves out/);
  assert.deepEqual(validateBoard(null), ['board: not a JSON object']);
});
