// The board modules (build/boards/<name>.wasm, cut by boards/<name>.json's
// "engine" section at compile time): each one is a module a board can run
// (wasm3's feature set, only the imports a board links, a passing boot
// self-test under a second interpreter and on V8), holds exactly what its
// board selects and refuses the rest with a clear error, and the rp2040's
// client-only, ChaCha20-Poly1305-only module completes real psk_ke and
// psk_dhe_ke handshakes with node:tls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes, randomFillSync, constants } from 'node:crypto';
import { boardNames, boardsDir, loadBoard } from '../../src/bundle/board.ts';
import { boardWasmPath, wasmPath } from '../../src/engine/wasm-module.ts';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import { Board, compileSimProfile, engineAround, instantiateWith, seededRandom } from '../../src/sim/board.ts';
import { echoDevice } from '../../src/sim/apps/echo.ts';
import { msFor } from '../../src/sim/cost-model.ts';
import type { KxMode } from '../../src/engine/config.ts';
import { ABI_FUNCTIONS } from '../helpers/abi-exports.ts';
import { SUITE_TABLE } from '../../src/engine/tables.ts';

const BOARDS = boardNames();
const BOARD_IMPORTS = new Set(['env.random_fill', 'env.now_ms', 'env.log']);
const E_UNSUPPORTED = -7;
const ID = 'device-0001';
const PSK = randomBytes(32);


/** A board module instantiated on V8 as a Node Engine would (fresh memory, the board's geometry). */
function boardEngine(name: string): Engine {
  const mod = new WebAssembly.Module(readFileSync(boardWasmPath(name)));
  const e = engineAround(instantiateWith(mod, (b) => randomFillSync(b)), loadBoard(name).pool);
  const g = e.geometry;
  assert.equal(e.x.init(g.slots, g.recvCap, g.sendCap, g.hsCap), 0);
  return e;
}

for (const name of BOARDS) {
  const file = boardWasmPath(name);

  test(`${name}: module validates with wasm3's features, imports only what a board links, exports exactly the engine ABI`, () => {
    execFileSync('wasm-validate', ['--disable-simd', file], { stdio: 'pipe' });
    const mod = new WebAssembly.Module(readFileSync(file));
    for (const imp of WebAssembly.Module.imports(mod)) {
      assert.ok(BOARD_IMPORTS.has(`${imp.module}.${imp.name}`), `unexpected import ${imp.module}.${imp.name}`);
      assert.equal(imp.kind, 'function');
    }
    const exps = WebAssembly.Module.exports(mod);
    const fns = exps.filter((e) => e.kind === 'function').map((e) => e.name).sort();
    assert.deepEqual(fns, [...ABI_FUNCTIONS].sort()); // abi/engine-abi.json "exports" (test/abi-exports.test.ts)
    assert.deepEqual(exps.filter((e) => e.kind !== 'function').map((e) => e.name), ['memory']);
  });

  test(`${name}: boot self-test passes under wabt's wasm-interp and on V8`, () => {
    const out = execFileSync('wasm-interp', [file, '--run-all-exports', '--dummy-import-func'], { encoding: 'utf8' });
    assert.match(out, /^selftest\(\) => i32:1$/m, out);
    assert.equal(boardEngine(name).x.selftest(), 1);
  });

  test(`${name}: the module holds only the board's roles, suites and key exchanges; the rest is refused with E_UNSUPPORTED`, () => {
    const b = loadBoard(name);
    const base = { pskIdentity: Buffer.from(ID), psk: PSK };
    // What the board selected opens...
    for (const role of b.engine.roles) {
      for (const suite of b.engine.suites) {
        for (const kx of b.engine.kx) {
          const e = boardEngine(name);
          e.open(role, { ...base, suites: [suite], kxModes: [kx as KxMode] }).close();
        }
      }
    }
    // ...and everything else is refused by the engine itself, with a message saying why.
    const refused = (role: 'client' | 'server', cfg: object) => {
      assert.throws(() => boardEngine(name).open(role, { ...base, ...cfg }), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.code, E_UNSUPPORTED);
        assert.match(err.message, /built without .*boards\/<name>\.json "engine"/);
        return true;
      });
    };
    for (const role of ['client', 'server'] as const) if (!b.engine.roles.includes(role)) refused(role, {});
    const role = b.engine.roles[0];
    for (const suite of SUITE_TABLE.map((s) => s.name)) {
      if (!b.engine.suites.includes(suite)) refused(role, { suites: [suite] });
    }
    if (!b.engine.suites.includes('TLS_AES_256_GCM_SHA384')) refused(role, { pskHash: 'sha384' });
    // (EC)DHE groups likewise: each selected one opens alone, any other is refused.
    for (const g of ['x25519', 'secp256r1']) {
      if (b.engine.groups.includes(g)) boardEngine(name).open(role, { ...base, groups: [g] }).close();
      else refused(role, { groups: [g] });
    }
  });
}

test('rp2040: no server code is compiled into the module (function names of the named asc output)', () => {
  // build/boards/<name>.raw.wasm is asc's output before wasm-opt, with names:
  // wasm-opt can only remove functions from it, never add them.
  const names = (n: string) => execFileSync('wasm-objdump', ['-x', '-j', 'Function', boardWasmPath(n).replace(/\.wasm$/, '.raw.wasm')], { encoding: 'utf8' });
  const rp = names('rp2040');
  const c3 = names('esp32-c3');
  assert.match(c3, /handshake_server/, 'the client+server board has the server state machine');
  assert.match(rp, /handshake_client/);
  assert.doesNotMatch(rp, /handshake_server/);
  for (const absent of ['crypto\\/aes', 'crypto\\/gcm', 'crypto\\/ccm', 'crypto\\/sha512', 'crypto\\/p256']) assert.doesNotMatch(rp, new RegExp(absent));
  assert.match(c3, /crypto\/gcm/);
  assert.match(c3, /crypto\/p256_field/, 'esp32-c3 selects secp256r1: the P-256 code is in its module');
  assert.doesNotMatch(c3, /crypto\/ccm|crypto\/sha512/);
});

test('board modules are smaller than the Node profile they are cut from', () => {
  const psk = readFileSync(wasmPath('psk')).length;
  for (const name of BOARDS) assert.ok(readFileSync(boardWasmPath(name)).length < psk, name);
  assert.ok(readFileSync(boardWasmPath('rp2040')).length < readFileSync(boardWasmPath('esp32-c3')).length);
});

test('each board\'s boot self-test costs less than the Node profile\'s thorough one (executed wasm instructions, simulated ms)', (t) => {
  const inst = instantiateWith(compileSimProfile('psk'), seededRandom('selftest'));
  const ops = inst.exports.__sim_ops as WebAssembly.Global;
  const before = Number(ops.value);
  assert.equal((inst.exports.selftest as () => number)(), 1);
  const thorough = Number(ops.value) - before;
  for (const name of BOARDS) {
    const b = new Board(name);
    const run = b.time(() => b.engine.x.selftest());
    assert.equal(run.value, 1);
    assert.ok(run.ops > 0 && run.ops < thorough, `${name}: ${run.ops} vs ${thorough}`);
    const k = b.cost; // the model of the board's runtime (aot by default)
    assert.ok(run.ms >= msFor({ ops: run.ops, i64alu: 0, i64mul: 0, calls: 0 }, k, b.profile.clockMHz));
    t.diagnostic(`${name}: boot self-test ${run.ops} wasm instructions, ${run.ms.toFixed(0)} ms simulated (psk profile's selftest: ${thorough})`);
  }
});

/** A node:tls PSK server on loopback that echoes; psk_ke allowed (SSL_OP_ALLOW_NO_DHE_KEX). */
async function echoServer(ciphers: string): Promise<{ port: number; close: () => void }> {
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null), ciphers, secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

for (const kx of ['psk_ke', 'psk_dhe_ke'] as const) {
  test(`rp2040 module: a real ${kx} handshake and echo with a node:tls PSK server`, async () => {
    const srv = await echoServer('TLS_CHACHA20_POLY1305_SHA256');
    try {
      const board = new Board('rp2040', { random: randomFillSync });
      assert.equal(board.module, 'rp2040');
      const message = randomBytes(3000);
      const r = await echoDevice(board.tls, { socket: net.connect(srv.port, '127.0.0.1'), pskKeyExchangeModes: [kx] }, { identity: ID, psk: PSK, message });
      assert.deepEqual(r.error, undefined);
      assert.ok(r.ok && r.intact);
      assert.equal(r.suite, 'TLS_CHACHA20_POLY1305_SHA256');
      assert.equal(r.group, kx === 'psk_dhe_ke' ? 'X25519' : undefined);
    } finally {
      srv.close();
    }
  });
}

test('rp2040 module: a suite it does not contain fails the connection with a clear error, before any byte is sent', async () => {
  const srv = await echoServer('TLS_AES_128_GCM_SHA256');
  try {
    const board = new Board('rp2040', { random: randomFillSync });
    const sock = net.connect(srv.port, '127.0.0.1');
    const r = await echoDevice(board.tls, { socket: sock, ciphers: 'TLS_AES_128_GCM_SHA256' }, { identity: ID, psk: PSK, message: Buffer.from('x') });
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'ERR_TLSRT_ENGINE');
    assert.match(r.error!.message, /built without .*suites TLS_AES_128_GCM_SHA256/);
    assert.equal(sock.bytesWritten, 0);
  } finally {
    srv.close();
  }
});

test('esp32-c3 module: P-256 is in: ecdhCurve P-256 against a node:tls server that only has P-256', async () => {
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null), ecdhCurve: 'P-256' }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const board = new Board('esp32-c3', { random: randomFillSync });
    const port = (server.address() as net.AddressInfo).port;
    const r = await echoDevice(board.tls, { socket: net.connect(port, '127.0.0.1'), ecdhCurve: 'P-256' }, { identity: ID, psk: PSK, message: randomBytes(2000) });
    assert.deepEqual(r.error, undefined);
    assert.ok(r.ok && r.intact);
    assert.equal(r.group, 'prime256v1');
  } finally {
    server.close();
  }
});

test('rp2040 module: ecdhCurve P-256 (a group it does not contain) fails with a clear error before any byte is sent', async () => {
  const srv = await echoServer('TLS_CHACHA20_POLY1305_SHA256');
  try {
    const board = new Board('rp2040', { random: randomFillSync });
    const sock = net.connect(srv.port, '127.0.0.1');
    const r = await echoDevice(board.tls, { socket: sock, ecdhCurve: 'P-256' }, { identity: ID, psk: PSK, message: Buffer.from('x') });
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'ERR_TLSRT_ENGINE');
    assert.match(r.error!.message, /built without .*groups secp256r1/);
    assert.equal(sock.bytesWritten, 0);
  } finally {
    srv.close();
  }
});

test('esp32-c3 module: AES-128-GCM is in, and works against node:tls', async () => {
  const srv = await echoServer('TLS_AES_128_GCM_SHA256');
  try {
    const board = new Board('esp32-c3', { random: randomFillSync });
    const r = await echoDevice(board.tls, { socket: net.connect(srv.port, '127.0.0.1'), ciphers: 'TLS_AES_128_GCM_SHA256' }, { identity: ID, psk: PSK, message: randomBytes(2000) });
    assert.deepEqual(r.error, undefined);
    assert.ok(r.ok);
    assert.equal(r.suite, 'TLS_AES_128_GCM_SHA256');
  } finally {
    srv.close();
  }
});

test('every board profile has an engine section and a module built from it', () => {
  for (const name of BOARDS) {
    const raw = JSON.parse(readFileSync(join(boardsDir(), `${name}.json`), 'utf8'));
    assert.ok(raw.engine && raw.engine.roles.length && raw.engine.suites.length, name);
    assert.ok(readFileSync(boardWasmPath(name)).length > 0);
  }
});
