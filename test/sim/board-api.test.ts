// The node:tls-shaped API on a simulated Board (board.tls): connections take
// the board's own engine slots — a full pool fails a connection as the device
// would, with a Node-style error, and a closed connection frees its slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { Board } from '../../src/sim/board.ts';
import { SimClock } from '../../src/sim/clock.ts';
import { Link } from '../../src/sim/link.ts';

const PSK = Buffer.alloc(32, 3);

function setup() {
  const clock = new SimClock();
  const board = new Board('rp2040', { seed: 'api', defer: (fn) => clock.at(clock.now, fn) });
  const server = tls.createServer({ pskCallback: () => PSK, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, (s) => s.pipe(s));
  const dial = () => {
    const link = new Link(clock, { latencyMs: 10, seed: `l${clock.pending}` });
    server.emit('connection', link.b);
    return board.tls.connect({ socket: link.a, pskCallback: () => ({ psk: PSK, identity: 'dev' }) });
  };
  return { clock, board, server, dial };
}

test('board.tls: the rp2040 has one slot — a second connection fails with ERR_TLSRT_ENGINE, the first carries on, then the slot is reused', { timeout: 60_000 }, async () => {
  const { clock, board, server, dial } = setup();
  assert.equal(board.profile.pool.slots, 1);
  const first = dial();
  const events: string[] = [];
  first.on('secureConnect', () => {
    events.push('first secure');
    const second = dial();
    second.on('error', (e: Error & { code?: string }) => {
      events.push(`second ${e.code}`);
      assert.match(e.message, /every connection slot is in use/);
      first.write('still here');
    });
  });
  first.on('data', (d: Buffer) => {
    events.push(`first echo ${d.toString()}`);
    first.end();
  });
  first.on('close', () => {
    events.push('first closed');
    const third = dial();
    third.on('secureConnect', () => {
      events.push('third secure');
      // The record limits the board asked for were agreed by node:tls.
      assert.equal(third.getEngineInfo()?.recvRecordLimit, 512);
      third.end();
    });
    third.on('error', (e) => events.push(`third error ${e.message}`));
  });
  await clock.run({ maxTimeMs: 60_000 });
  server.close();
  assert.deepEqual(events, ['first secure', 'second ERR_TLSRT_ENGINE', 'first echo still here', 'first closed', 'third secure']);
  assert.equal(board.engine.x.info(0, 0) < 0, true, 'slot 0 free at the end');
});

test('board.tls.createServer: an ESP32 serves two node:tls clients with an asynchronous PSK lookup; a third finds the pool full', { timeout: 60_000 }, async () => {
  const clock = new SimClock();
  const board = new Board('esp32', { seed: 'server', defer: (fn) => clock.at(clock.now, fn) });
  assert.equal(board.profile.pool.slots, 2);
  const lookups: string[] = [];
  const clientErrors: string[] = [];
  const server = board.tls.createServer(
    {
      // A device registry lookup that answers later (node:tls cannot wait like this).
      pskCallback: (_socket: unknown, identity: string) => {
        lookups.push(identity);
        return new Promise<Buffer>((resolve) => clock.after(5, () => resolve(PSK)));
      },
    },
    (s) => s.pipe(s),
  );
  server.on('tlsClientError', (e: Error & { code?: string }) => clientErrors.push(e.code ?? e.message));
  const echoes: string[] = [];
  const failures: string[] = [];
  const dial = (name: string, onSecure?: () => void) => {
    const link = new Link(clock, { latencyMs: 10, seed: name });
    server.emit('connection', link.b);
    const c = tls.connect({ socket: link.a, pskCallback: () => ({ psk: PSK, identity: name }), ciphers: 'TLS_CHACHA20_POLY1305_SHA256', checkServerIdentity: () => undefined });
    c.on('secureConnect', () => {
      c.write(`hi from ${name}`);
      onSecure?.();
    });
    c.on('data', (d: Buffer) => {
      echoes.push(d.toString());
      c.end();
    });
    c.on('error', (e: Error & { code?: string }) => failures.push(`${name}: ${e.code}`));
    return c;
  };
  dial('one');
  dial('two', () => dial('three')); // both slots busy now
  await clock.run({ maxTimeMs: 60_000 });
  assert.deepEqual(echoes.sort(), ['hi from one', 'hi from two']);
  assert.deepEqual(lookups.sort(), ['one', 'two'], 'the third never reached the lookup');
  assert.deepEqual(clientErrors, ['ERR_TLSRT_ENGINE'], 'the board reports the full pool on its server');
  assert.equal(failures.length, 1, `the third client failed: ${failures.join()}`);
  assert.match(failures[0], /^three: (ECONNRESET|ERR_SSL_\w+)$/);
  for (let id = 0; id < 2; id++) assert.ok(board.engine.x.info(id, 0) < 0, `slot ${id} free at the end`);
});

test('board.tls.createServer: the application\'s options override the board\'s defaults; handshakeTimeout runs on the virtual clock', { timeout: 60_000 }, async () => {
  const clock = new SimClock();
  const timer = (ms: number, fn: () => void) => clock.timer(ms, fn);
  const board = new Board('esp32', { seed: 'timeout', defer: (fn) => clock.at(clock.now, fn), timer });
  const server = board.tls.createServer({ pskCallback: () => PSK, ciphers: 'TLS_AES_128_GCM_SHA256', handshakeTimeout: 5_000 }, (s) => s.pipe(s));
  const timeouts: number[] = [];
  server.on('tlsClientError', (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ERR_TLS_HANDSHAKE_TIMEOUT');
    timeouts.push(clock.now);
  });
  // A client that connects and never speaks.
  const silent = new Link(clock, { latencyMs: 10, seed: 'silent' });
  const resets: string[] = [];
  silent.a.on('error', (e: Error & { code?: string }) => resets.push(e.code ?? e.message));
  server.emit('connection', silent.b);
  // A node:tls client that only offers AES-128-GCM: it works only if the application's ciphers won.
  const link = new Link(clock, { latencyMs: 10, seed: 'aes' });
  server.emit('connection', link.b);
  let cipher = '';
  const c = tls.connect({ socket: link.a, pskCallback: () => ({ psk: PSK, identity: 'x' }), ciphers: 'TLS_AES_128_GCM_SHA256', checkServerIdentity: () => undefined });
  c.on('secureConnect', () => {
    cipher = c.getCipher().name;
    c.end();
  });
  c.on('error', () => {});
  await clock.run({ maxTimeMs: 60_000 });
  assert.equal(cipher, 'TLS_AES_128_GCM_SHA256');
  assert.deepEqual(timeouts, [5_000], 'the silent client timed out at exactly 5 s of virtual time');
  assert.deepEqual(resets, ['ECONNRESET'], 'and its connection was reset');
  for (let id = 0; id < 2; id++) assert.ok(board.engine.x.info(id, 0) < 0, `slot ${id} freed`);
});

test('socket.setTimeout runs on the virtual clock: a board whose server never answers gets \'timeout\' after the idle time, destroys, frees its slot', { timeout: 60_000 }, async () => {
  const clock = new SimClock();
  const board = new Board('esp32', { seed: 'idle', defer: (fn) => clock.at(clock.now, fn) });
  const link = new Link(clock, { latencyMs: 25, seed: 'black-hole' });
  link.b.on('data', () => {}); // the server's side accepts bytes and never answers
  link.b.on('error', () => {});
  let timedOutAt = -1;
  let lastWriteAt = -1;
  link.a.on('data', () => assert.fail('nothing should arrive'));
  const origWrite = link.a.write.bind(link.a);
  link.a.write = ((chunk: Buffer, ...rest: unknown[]) => {
    lastWriteAt = clock.now;
    return (origWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof link.a.write;
  const errors: string[] = [];
  const socket = board.tls.connect({ socket: link.a, pskCallback: () => ({ psk: PSK, identity: 'dev' }), pskKeyExchangeModes: ['psk_ke'] });
  socket.setTimeout(3_000, () => {
    timedOutAt = clock.now;
    socket.destroy(Object.assign(new Error('no answer from the server'), { code: 'ETIMEDOUT' }));
  });
  socket.on('error', (e: Error & { code?: string }) => errors.push(e.code ?? e.message));
  await clock.run({ maxTimeMs: 60_000 });
  assert.ok(lastWriteAt >= 0, 'the ClientHello went out');
  assert.equal(timedOutAt, lastWriteAt + 3_000, `'timeout' exactly 3 s of virtual time after the last activity (${timedOutAt} vs ${lastWriteAt})`);
  assert.deepEqual(errors, ['ETIMEDOUT']);
  assert.ok(board.engine.x.info(0, 0) < 0, 'slot freed');
});
