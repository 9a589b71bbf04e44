// A board's fixed pool against idle sockets: a board server takes an engine
// slot only once a client's first record has arrived, so TCP connections that
// never speak (or stall inside their first record) cannot lock a real client
// out; and a board server's default handshake timeout is board-sized
// (BOARD_HANDSHAKE_TIMEOUT_MS), not node:tls's 120 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import net from 'node:net';
import { once } from 'node:events';
import { Board, BOARD_HANDSHAKE_TIMEOUT_MS, seededRandom } from '../../src/sim/board.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { SimClock } from '../../src/sim/clock.ts';
import { Link } from '../../src/sim/link.ts';
import { liveSlots } from '../helpers/tamper.ts';
import { randomFillSync } from 'node:crypto';

const PSK = Buffer.alloc(32, 5);
const SUITE = 'TLS_CHACHA20_POLY1305_SHA256';

test('a board server (2 slots) with 6 idle TCP connections open still serves a real client; the idle ones hold no slot', { timeout: 60_000 }, async () => {
  const board = new Board('esp32', { random: (b) => randomFillSync(b) });
  assert.equal(board.profile.pool.slots, 2);
  const server = board.tls.createServer({ pskCallback: () => PSK }, (s) => s.pipe(s));
  let accepted = 0;
  let rawBytes = 0;
  server.on('connection', (raw: net.Socket) => {
    accepted++;
    raw.on('data', (d: Buffer) => (rawBytes += d.length));
  });
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  // Four say nothing; two stall inside their first record (a header, then part of a ClientHello).
  const idle: net.Socket[] = [];
  for (let i = 0; i < 6; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    await once(s, 'connect');
    if (i >= 4) s.write(Buffer.from([22, 3, 1, 0x01, 0x00, 1, 0, 0]));
    idle.push(s);
  }
  // Wait until the server has all six and the two partial records.
  while (accepted < 6 || rawBytes < 16) await new Promise((r) => setImmediate(r));
  assert.deepEqual(liveSlots(board.engine), [], 'no slot taken by a socket that has not sent a whole record');
  const c = tls.connect({ port, host: '127.0.0.1', ciphers: SUITE, pskCallback: () => ({ psk: PSK, identity: 'dev' }), checkServerIdentity: () => undefined });
  await once(c, 'secureConnect');
  c.write('still served');
  const [echo] = await once(c, 'data');
  assert.equal(echo.toString(), 'still served');
  assert.equal(liveSlots(board.engine).length, 1, 'the real client holds one slot');
  c.end();
  await once(c, 'close');
  for (const s of idle) s.destroy();
  server.close();
});

test(`a board server's default handshake timeout is ${BOARD_HANDSHAKE_TIMEOUT_MS} ms (virtual time): a silent client is reset then, and never held a slot`, { timeout: 60_000 }, async () => {
  const clock = new SimClock();
  const timer = (ms: number, fn: () => void) => clock.timer(ms, fn);
  // A one-slot board with the server role (the rp2040's module is client-only): the esp32-c3's module on a 1-slot pool.
  const c3 = loadBoard('esp32-c3');
  const board = new Board({ ...c3, name: 'one-slot-c3', pool: { ...c3.pool, slots: 1 } }, { random: seededRandom('idle'), defer: (fn) => clock.at(clock.now, fn), timer });
  assert.equal(board.profile.pool.slots, 1);
  const server = board.tls.createServer({ pskCallback: () => PSK }, (s) => s.pipe(s));
  const timeouts: number[] = [];
  server.on('tlsClientError', (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ERR_TLS_HANDSHAKE_TIMEOUT');
    timeouts.push(clock.now);
  });
  const silent = new Link(clock, { latencyMs: 10, seed: 'silent' });
  silent.a.on('error', () => {});
  server.emit('connection', silent.b);
  // A real client arriving while the silent one is connected: the single slot is free for it.
  let echoed = '';
  clock.after(1_000, () => {
    const link = new Link(clock, { latencyMs: 10, seed: 'real' });
    server.emit('connection', link.b);
    const c = tls.connect({ socket: link.a, ciphers: SUITE, pskCallback: () => ({ psk: PSK, identity: 'x' }), checkServerIdentity: () => undefined });
    c.on('secureConnect', () => c.write('hello board'));
    c.on('data', (d: Buffer) => {
      echoed += d.toString();
      c.end();
    });
    c.on('error', () => {});
  });
  await clock.run({ maxTimeMs: 60_000 });
  assert.equal(echoed, 'hello board');
  assert.deepEqual(timeouts, [BOARD_HANDSHAKE_TIMEOUT_MS], 'the silent client timed out at the board default');
  assert.ok(BOARD_HANDSHAKE_TIMEOUT_MS <= 30_000, 'much shorter than node:tls 120 s');
  assert.deepEqual(liveSlots(board.engine), []);
});
