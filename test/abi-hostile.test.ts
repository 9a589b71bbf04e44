// Every export of every production module (build/psk.wasm, each
// build/boards/<name>.wasm), called with hostile arguments — negative, zero,
// huge, 0x7fffffff, -2^31 as slot, length or selector — before init, on FREE
// and out-of-range slots, on a slot in its handshake, open, failed and after
// close: no call traps, each returns what abi/engine-abi.json "exports"
// documents (E_BAD_SLOT, E_BAD_ARG, E_STATE, E_NOT_INIT, E_UNSUPPORTED, or 0
// for the pointer/zero kind), pointers stay inside linear memory, and the
// module still completes a handshake afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes, randomFillSync } from 'node:crypto';
import { engineAround, instantiateWith } from '../src/sim/board.ts';
import { loadBoard } from '../src/bundle/board.ts';
import { wasmPath } from '../src/engine/wasm-module.ts';
import { encodeConfig, type EngineConfig } from '../src/engine/config.ts';
import * as V from '../src/engine/abi.ts';
import { ABI, PRODUCTION_MODULES, type AbiFunction } from './helpers/abi-exports.ts';
import { side, shuttle } from './helpers/engine.ts';

/** Hostile i32 values for any slot, length, count or selector. */
const H = [-0x80000000, -65536, -2, -1, 0, 1, 2, 255, 256, 511, 512, 1024, 2048, 4096, 16384, 16385, 65535, 65536, 0x7fffffff];
const E_CODES = new Set([V.E_BAD_SLOT, V.E_BAD_ARG, V.E_STATE, V.E_NO_SLOT, V.E_CONFIG, V.E_NOT_INIT, V.E_UNSUPPORTED]);
const I_COUNT = Object.keys(V).filter((k) => k.startsWith('I_')).length;
const IP_COUNT = Object.keys(V).filter((k) => k.startsWith('IP_')).length;
const GEOMETRY = { slots: 3, recvCap: 5 + 16384 + 256, sendCap: 5 + 16384 + 256, hsCap: 2048 };
const PSK = randomBytes(32);

type X = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };

interface Ctx {
  x: X;
  name: string;
  hasClient: boolean;
  hasServer: boolean;
  hasTls12: boolean;
}

/** Calls an export; a trap fails the test with the call that caused it. */
function call(c: Ctx, f: string, args: number[]): number {
  try {
    return c.x[f](...args);
  } catch (e) {
    assert.fail(`${c.name}: ${f}(${args.join(', ')}) trapped: ${(e as Error).message}`);
  }
}

const fn = (name: string): AbiFunction => ABI.find((f) => f.name === name)!;
const slotFns = ABI.filter((f) => f.params[0] === 'slot');

/** Every combination of H for `n` parameters. */
function* combos(n: number): Generator<number[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const v of H) for (const rest of combos(n - 1)) yield [v, ...rest];
}

/** A slot that is not open: every slot export answers E_BAD_SLOT (or 0 for the pointer kind); hello_reply says E_UNSUPPORTED first in a module no host answer can be for (no server, no TLS 1.2). */
function sweepDeadSlot(c: Ctx, slot: number, why: string): void {
  for (const f of slotFns) {
    for (const rest of combos(Math.min(f.params.length - 1, 2))) {
      const args = [slot, ...rest, ...Array(Math.max(0, f.params.length - 1 - rest.length)).fill(1)];
      const r = call(c, f.name, args);
      const want = f.name === 'hello_reply' && !c.hasServer && !c.hasTls12 ? V.E_UNSUPPORTED : f.misuse === 'zero' ? 0 : V.E_BAD_SLOT;
      assert.equal(r, want, `${c.name}: ${f.name}(${args.join(', ')}) on ${why}`);
    }
  }
}

const align16 = (n: number) => (n + 15) & ~15;
const validGeometry = (n: number, rc: number, sc: number, hc: number) =>
  n >= 1 && n <= 4096 && rc >= 773 && rc <= 16645 && sc >= 773 && sc <= 16645 && hc >= 256 && hc <= 65536;

/** The pointer answers of a live slot lie inside linear memory. */
function assertInMemory(c: Ctx, f: string, args: number[], r: number): void {
  const size = c.x.memory.buffer.byteLength;
  assert.ok(r >>> 0 < size, `${c.name}: ${f}(${args.join(', ')}) = ${r >>> 0} points outside memory (${size})`);
}

/** A live slot (any state): every export with every hostile argument, checked against the documented answers. */
function sweepLiveSlot(c: Ctx, slot: number, role: 'client' | 'server', why: string): void {
  const st = () => call(c, 'info', [slot, V.I_STATE]);
  for (const f of slotFns) {
    if (f.name === 'close' || f.name === 'shutdown') continue; // they end the state under test: checked after
    const extra = f.params.length - 1;
    const values = f.name === 'info' || f.name === 'info_ptr' ? [...H, ...Array.from({ length: 32 }, (_, i) => i)].map((v) => [v]) : [...combos(extra)];
    for (const rest of values) {
      const args = [slot, ...rest];
      const n = rest[0];
      const state = st();
      const open = state === V.ST_OPEN;
      // What the call should answer, from the state before it (read through the ABI itself).
      let want: number | ((r: number) => boolean) | undefined;
      switch (f.name) {
        case 'recv_commit': {
          const w = call(c, 'recv_want', [slot]);
          if (n > 0 && n <= w) continue; // in range: real input, not hostile (the failed state below feeds some)
          // E_STATE while the slot waits for the host's hello_reply.
          want = n === 0 ? (r) => r === 0 || r === V.E_STATE : (r) => r === V.E_BAD_ARG || r === V.E_STATE;
          break;
        }
        case 'send_commit': {
          const len = call(c, 'send_len', [slot]);
          want = n >= 0 && n <= len ? 0 : V.E_BAD_ARG;
          break;
        }
        case 'app_in_commit': {
          const len = call(c, 'app_in_len', [slot]);
          want = n >= 0 && n <= len ? 0 : V.E_BAD_ARG;
          break;
        }
        case 'app_out_commit': {
          const cap = call(c, 'app_out_cap', [slot]);
          want = cap <= 0 ? V.E_STATE : n >= 1 && n <= cap ? 0 : V.E_BAD_ARG;
          break;
        }
        case 'set_max_send_fragment':
          want = n >= 512 && n <= 16384 ? 0 : V.E_BAD_ARG;
          break;
        case 'key_update':
          want = open && !call(c, 'info', [slot, V.I_CLOSE_SENT]) ? 0 : V.E_STATE;
          break;
        case 'hello_reply':
          want = !c.hasServer ? V.E_UNSUPPORTED : role === 'client' ? V.E_STATE : (r) => r === V.E_STATE || r === V.E_BAD_ARG || r === 0;
          break;
        case 'info':
          want = n < 0 || n >= I_COUNT ? V.E_BAD_ARG : (r) => r >= 0;
          break;
        case 'info_ptr':
          want = n < 0 || n >= IP_COUNT ? 0 : undefined;
          break;
        case 'exporter': {
          const [l, cx, o] = rest;
          // ctxLen -1: no context (RFC 5705), counted as 0 bytes.
          const cl = cx === -1 ? 0 : cx;
          const fits = l >= 1 && l <= 249 && cx >= -1 && o >= 1 && o <= 1024 && l + cl + o <= call(c, 'io_cap', []);
          want = !open ? V.E_STATE : fits ? 0 : V.E_BAD_ARG;
          break;
        }
        case 'recv_want': case 'send_len': case 'app_in_len': case 'app_out_cap': case 'event_kind':
          want = (r) => r >= 0;
          break;
        case 'event_pop':
          want = 0;
          break;
      }
      const r = call(c, f.name, args);
      assert.ok(Number.isInteger(r), `${c.name}: ${f.name} returned ${r}`);
      if (f.misuse === 'E' && r < 0) assert.ok(E_CODES.has(r), `${c.name}: ${f.name}(${args.join(', ')}) = ${r}, not an E_* code (${why})`);
      if (typeof want === 'number') assert.equal(r, want, `${c.name}: ${f.name}(${args.join(', ')}) on a slot ${why}`);
      else if (want) assert.ok(want(r), `${c.name}: ${f.name}(${args.join(', ')}) = ${r} on a slot ${why}`);
      if (/_ptr$/.test(f.name) && r !== 0) assertInMemory(c, f.name, args, r);
    }
  }
}

function instance(file: string): X {
  return instantiateWith(new WebAssembly.Module(readFileSync(file)), (b) => randomFillSync(b)).exports as unknown as X;
}

/** Opens a slot with a config blob written at io_ptr(). */
function openSlot(x: X, role: 'client' | 'server', cfg: EngineConfig): number {
  const blob = encodeConfig(cfg);
  new Uint8Array(x.memory.buffer).set(blob, x.io_ptr());
  return x.open(role === 'client' ? 0 : 1, blob.length);
}

function moduleSuites(board?: string): string[] {
  return board ? loadBoard(board).engine.suites : ['TLS_AES_128_GCM_SHA256'];
}

for (const m of PRODUCTION_MODULES) {
  const b = m.board ? loadBoard(m.board) : undefined;
  const roles = b ? b.engine.roles : ['client', 'server'];
  const hasTls12 = b ? (b.engine.versions ?? ['tls13']).includes('tls12') : true;
  const base = (): Ctx => ({ x: instance(m.file), name: m.name, hasClient: roles.includes('client'), hasServer: roles.includes('server'), hasTls12 });

  test(`${m.name}: before init, every export with hostile arguments answers as documented and never traps`, () => {
    const c = base();
    for (const f of ABI.filter((f) => f.misuse === 'none')) {
      const r = call(c, f.name, []);
      if (f.name === 'selftest') assert.equal(r, 1);
      else assert.ok(r > 0, `${f.name}() = ${r}`);
    }
    assert.ok(c.x.io_ptr() + c.x.io_cap() <= c.x.heap_base(), 'the io area is static data below heap_base');
    for (const slot of H) sweepDeadSlot(c, slot, 'an instance before init');
    for (const [role, len] of combos(2)) {
      const roleOk = role === 0 || role === 1;
      const inModule = (role === 0 && c.hasClient) || (role === 1 && c.hasServer);
      const want = !roleOk ? V.E_BAD_ARG : !inModule ? V.E_UNSUPPORTED : len < 0 || len > c.x.io_cap() ? V.E_BAD_ARG : V.E_NOT_INIT;
      assert.equal(call(c, 'open', [role, len]), want, `open(${role}, ${len}) before init`);
    }
    const state = c.x.slot_state_bytes();
    for (const g of combos(4)) {
      const [n, rc, sc, hc] = g;
      const ok = validGeometry(n, rc, sc, hc);
      const bytes = n * (align16(state) + align16(rc) + align16(sc) + align16(hc));
      assert.equal(call(c, 'arena_bytes', g), ok ? bytes : V.E_BAD_ARG, `arena_bytes(${g.join(', ')})`);
      if (!ok) assert.equal(call(c, 'init', g), V.E_BAD_ARG, `init(${g.join(', ')})`);
    }
    assert.equal(c.x.open(0, 0), c.hasClient ? V.E_NOT_INIT : V.E_UNSUPPORTED, 'still not initialised');
  });

  test(`${m.name}: after init, free, out-of-range, handshaking, open, failed and closed slots take every hostile argument`, () => {
    const c = base();
    const g = b ? b.pool : GEOMETRY;
    assert.equal(c.x.init(g.slots, g.recvCap, g.sendCap, g.hsCap), 0);
    for (const again of combos(4)) {
      const r = call(c, 'init', again);
      assert.equal(r, validGeometry(...(again as [number, number, number, number])) ? V.E_STATE : (r === V.E_STATE ? V.E_STATE : V.E_BAD_ARG), `init(${again.join(', ')}) again`);
    }
    for (const slot of [...H, ...Array.from({ length: g.slots + 1 }, (_, i) => i)]) sweepDeadSlot(c, slot, `a FREE or out-of-range slot (${g.slots} slots)`);

    // Handshaking slots: a client that has sent its ClientHello, a server waiting for one.
    const suites = moduleSuites(m.board);
    const live: { slot: number; role: 'client' | 'server' }[] = [];
    if (c.hasClient) live.push({ slot: openSlot(c.x, 'client', { pskIdentity: Buffer.from('hostile'), psk: PSK, suites }), role: 'client' });
    if (c.hasServer) live.push({ slot: openSlot(c.x, 'server', { suites }), role: 'server' });
    for (const { slot, role } of live) {
      assert.ok(slot >= 0, `open ${role}: ${slot}`);
      sweepLiveSlot(c, slot, role, `in its handshake (${role})`);
    }
    // Failed: garbage where a record header belongs.
    for (const { slot, role } of live) {
      const len = c.x.send_len(slot);
      if (len > 0) assert.equal(c.x.send_commit(slot, len), 0);
      while (c.x.event_kind(slot) > 0) c.x.event_pop(slot);
      const want = c.x.recv_want(slot);
      assert.ok(want > 0, `${role} takes input`);
      new Uint8Array(c.x.memory.buffer).fill(0x99, c.x.recv_ptr(slot), c.x.recv_ptr(slot) + want);
      assert.equal(c.x.recv_commit(slot, want), 0);
      assert.equal(c.x.info(slot, V.I_STATE), V.ST_FAILED);
      sweepLiveSlot(c, slot, role, `that failed (${role})`);
      assert.equal(c.x.shutdown(slot), V.E_STATE, 'shutdown after a failure');
      assert.equal(c.x.close(slot), 0);
      sweepDeadSlot(c, slot, 'a closed slot');
      assert.equal(c.x.close(slot), V.E_BAD_SLOT, 'closing twice');
    }

    if (c.hasClient && c.hasServer) {
      // A server waiting for the host's answer to a ClientHello: hello_reply with a length outside its io area.
      const cs = openSlot(c.x, 'client', { pskIdentity: Buffer.from('hostile'), psk: PSK, suites });
      const ss = openSlot(c.x, 'server', { suites });
      assert.ok(cs >= 0 && ss >= 0);
      const mem = () => new Uint8Array(c.x.memory.buffer);
      const n = c.x.send_len(cs);
      mem().copyWithin(c.x.recv_ptr(ss), c.x.send_ptr(cs), c.x.send_ptr(cs) + Math.min(5, n));
      assert.equal(c.x.recv_commit(ss, 5), 0);
      const rest = c.x.recv_want(ss);
      mem().copyWithin(c.x.recv_ptr(ss), c.x.send_ptr(cs) + 5, c.x.send_ptr(cs) + 5 + rest);
      assert.equal(c.x.recv_commit(ss, rest), 0);
      assert.equal(c.x.event_kind(ss), V.EV_CLIENT_HELLO);
      for (const len of H) {
        if (len >= 0 && len <= c.x.io_cap()) continue;
        assert.equal(call(c, 'hello_reply', [ss, len]), V.E_BAD_ARG, `hello_reply(${ss}, ${len}) while the server waits`);
      }
      assert.equal(call(c, 'recv_commit', [ss, 1]), V.E_STATE, 'no input while the server waits for the host');
      assert.equal(c.x.recv_want(ss), 0);
      assert.equal(c.x.close(cs), 0);
      assert.equal(c.x.close(ss), 0);
    }

    // Open: a handshake (with a psk.wasm peer when the module holds one role only), then the sweep.
    const engine = engineAround({ exports: c.x } as unknown as WebAssembly.Instance, g);
    const peerEngine = c.hasClient && c.hasServer ? engine : engineAround({ exports: instance(wasmPath('psk')) } as unknown as WebAssembly.Instance, GEOMETRY);
    if (peerEngine !== engine) assert.equal(peerEngine.x.init(GEOMETRY.slots, GEOMETRY.recvCap, GEOMETRY.sendCap, GEOMETRY.hsCap), 0);
    const [ce, se] = c.hasClient ? [engine, peerEngine] : [peerEngine, engine];
    const cl = side(ce.open('client', { pskIdentity: Buffer.from('hostile'), psk: PSK, suites }));
    const sv = side(se.open('server', { suites }), () => ({ psk: PSK }));
    shuttle(cl, sv);
    assert.equal(cl.conn.state, 'open');
    assert.equal(sv.conn.state, 'open');
    const mine = c.hasClient ? [{ conn: cl.conn, role: 'client' as const }] : [];
    if (c.hasServer) mine.push({ conn: sv.conn, role: 'server' as const });
    for (const { conn, role } of mine) sweepLiveSlot(c, conn.id, role, `that is open (${role})`);
    for (const { conn } of mine) {
      if (c.x.send_len(conn.id) > 0) assert.equal(c.x.shutdown(conn.id), V.E_STATE, 'shutdown with output pending: flush first');
      // Flushing may let a KeyUpdate the sweep queued go out next.
      for (let n = c.x.send_len(conn.id), i = 0; n > 0; n = c.x.send_len(conn.id), i++) {
        assert.ok(i < 8);
        assert.equal(c.x.send_commit(conn.id, n), 0);
      }
      assert.equal(c.x.shutdown(conn.id), 0);
      conn.close();
      sweepDeadSlot(c, conn.id, 'a slot closed after its handshake');
    }
    if (peerEngine !== engine) (c.hasClient ? sv : cl).conn.close(); // the psk.wasm peer's slot

    // The module still works: a clean handshake and data both ways.
    const c2 = side(ce.open('client', { pskIdentity: Buffer.from('after'), psk: PSK, suites }));
    const s2 = side(se.open('server', { suites }), () => ({ psk: PSK }));
    shuttle(c2, s2);
    assert.equal(c2.conn.writeApp(Buffer.from('still here')), 10);
    shuttle(c2, s2);
    assert.equal(Buffer.concat(s2.app).toString(), 'still here');
  });
}

test('every function of the spec is swept: the dead-slot and live-slot sweeps reach all slot functions, the rest are called directly', () => {
  const direct = ['init', 'arena_bytes', 'open', 'close', 'shutdown', ...ABI.filter((f) => f.misuse === 'none').map((f) => f.name)];
  for (const f of ABI) assert.ok(f.params[0] === 'slot' || direct.includes(f.name), `${f.name} is not covered`);
  assert.ok(fn('exporter').params.length === 4 && fn('init').params.length === 4);
});
