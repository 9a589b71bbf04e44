// The sim build (tools/instrument.mjs → build/<profile>.sim.wasm) counts the
// work the engine executes without changing what it computes: same TLS bytes
// as the production module for the same randomness, counters that only go up
// and give the same number for the same work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { wat2wasm } from './fixtures/wat.ts';
// @ts-ignore: a plain .mjs tool without type declarations
import { instrumentWasm, COUNTERS } from '../../tools/instrument.mjs';
import { compileProfile, wasmPath, type Profile } from '../../src/engine/wasm-module.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { KxMode } from '../../src/engine/config.ts';
import { Board, compileSimProfile, engineAround, initEngine, instantiateWith, seededRandom, simWasmPath } from '../../src/sim/board.ts';
import { handshakePair, simPsk, simServerEngine } from '../../src/sim/handshake.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { inspectModule, inspectBoardModule } from '../../src/bundle/module.ts';

// The production profile; build/test.wasm (psk + raw primitives) has no sim twin.
const PROFILES: Profile[] = ['psk'];

for (const profile of PROFILES) {
  test(`${profile}: the production module is untouched; the sim build is it plus counters`, () => {
    const prod = readFileSync(wasmPath(profile));
    const sim = readFileSync(simWasmPath(profile));
    const prodExports = WebAssembly.Module.exports(new WebAssembly.Module(prod)).map((e) => e.name);
    for (const c of COUNTERS) assert.ok(!prodExports.includes(c), `production ${profile}.wasm must not carry ${c}`);
    // The build step is exactly instrument(production bytes), deterministically.
    assert.ok(Buffer.from(instrumentWasm(prod).bytes).equals(sim), `${profile}.sim.wasm is not instrument(${profile}.wasm)`);
    const simMod = compileSimProfile(profile);
    const simExports = WebAssembly.Module.exports(simMod);
    for (const c of COUNTERS) assert.ok(simExports.some((e) => e.name === c && e.kind === 'global'), `sim build exports ${c}`);
    // Same imports, same functions exported.
    assert.deepEqual(WebAssembly.Module.imports(simMod), WebAssembly.Module.imports(new WebAssembly.Module(prod)));
    assert.deepEqual(simExports.filter((e) => !COUNTERS.includes(e.name)), WebAssembly.Module.exports(new WebAssembly.Module(prod)));
    assert.ok(sim.length > prod.length);
  });
}

function clientEngine(mod: WebAssembly.Module, seed: string): Engine {
  return initEngine(engineAround(instantiateWith(mod, seededRandom(seed)), { slots: 1, recvCap: 773, sendCap: 773, hsCap: 1024 }));
}

for (const kx of ['psk_ke', 'psk_dhe_ke'] as KxMode[]) {
  test(`${kx}: the sim build's handshake gives the production build's transcript, Finished, exporter and records`, () => {
    const run = (mod: WebAssembly.Module) => {
      const client = clientEngine(mod, 'same-seed');
      const r = handshakePair(client, simServerEngine('same-seed'), {
        kx, suites: ['TLS_CHACHA20_POLY1305_SHA256'], psk: simPsk('same-seed'), maxFragmentLength: 512, maxSendFragment: 512,
      });
      // One application record each way, sealed with the traffic keys.
      assert.equal(r.client.writeApp(Buffer.from('ping from the device')), 20);
      const up = Buffer.from(r.client.takeOutput()!);
      assert.equal(r.server.writeApp(Buffer.from('pong')), 4);
      const down = Buffer.from(r.server.takeOutput()!);
      r.client.feed(down);
      const got = Buffer.from(r.client.readApp()!);
      return { r, up, down, got, selftest: client.x.selftest() };
    };
    const prod = run(compileProfile('psk'));
    const sim = run(compileSimProfile('psk'));
    assert.equal(sim.r.kx, kx);
    assert.equal(sim.r.flights.length, prod.r.flights.length);
    sim.r.flights.forEach(([dir, bytes], i) => {
      assert.equal(dir, prod.r.flights[i][0]);
      assert.ok(bytes.equals(prod.r.flights[i][1]), `flight ${i} (${dir}) differs`);
    });
    assert.ok(sim.r.clientFinished.equals(prod.r.clientFinished));
    assert.ok(sim.r.serverFinished.equals(prod.r.serverFinished));
    assert.ok(sim.r.exporter.equals(prod.r.exporter));
    assert.ok(sim.up.equals(prod.up) && sim.down.equals(prod.down));
    assert.equal(sim.got.toString(), 'pong');
    assert.equal(sim.selftest, 1);
    assert.equal(prod.selftest, 1);
  });
}

test('counters only go up, and the same work counts the same', () => {
  const a = new Board('rp2040', { seed: 7 });
  const b = new Board('rp2040', { seed: 7 });
  assert.deepEqual(a.counts(), b.counts(), 'two boots count the same');
  let last = a.counts().ops;
  const deltas: number[] = [];
  for (let i = 0; i < 3; i++) {
    a.engine.x.selftest();
    const now = a.counts().ops;
    assert.ok(now > last, 'every self-test adds work');
    deltas.push(now - last);
    last = now;
  }
  assert.equal(new Set(deltas).size, 1, `self-test counted ${deltas.join(', ')}: not deterministic`);
  // Host-side reads do not advance anything.
  const c = a.counts();
  void a.engine.mem[0];
  assert.deepEqual(a.counts(), c);
  assert.equal(a.now(), a.now());
});

test('the sim build lays out memory exactly as the production build', () => {
  for (const name of ['rp2040', 'esp32', 'esp32-c3']) {
    const p = loadBoard(name);
    const facts = inspectBoardModule(name, p.profile, p.pool);
    const b = new Board(name);
    assert.equal(b.memory.heapBase, facts.heapBase);
    assert.equal(b.memory.arenaBytes, facts.arenaBytes);
    assert.equal(b.memory.need, facts.linearMemoryBytes + 16);
  }
});

test('instrument.mjs counts a loop exactly: 9 per pass, 4 on exit, 1 after', () => {
  const wat = `(module
    (func (export "count") (param $n i32) (result i32) (local $i i32)
      block
        loop
          local.get $i
          local.get $n
          i32.ge_u
          br_if 1
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br 0
        end
      end
      local.get $i))`;
  const { bytes } = instrumentWasm(wat2wasm(wat));
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, any>;
  for (const n of [0, 1, 10, 1000]) {
    const before = x.__sim_ops.value as bigint;
    assert.equal(x.count(n), n);
    assert.equal(Number((x.__sim_ops.value as bigint) - before), 9 * n + 5);
  }
});
