// Through the node:tls-shaped host: once a connection is over — destroy()
// after data, an 'end' from the peer, a handshake that fails on a wrong
// PSK — its engine slot is closed, and each engine's whole linear memory is
// what a fresh engine's is after init: no PSK, identity, key-log secret or
// anything else of the connection is left (the engine-level scan with every
// derived secret is test/engine/memory-after-close.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import tls from '../../src/index.ts';
import { Engine } from '../../src/engine/engine.ts';
import { Secrets, findSecrets, describeHits } from '../helpers/memory-scan.ts';

const GEOMETRY = { slots: 2, recvCap: 5 + 16384 + 256, sendCap: 5 + 16384 + 256, hsCap: 2048 };

function assertLikeFresh(what: string, e: Engine, secrets: Secrets): void {
  const mem = new Uint8Array(e.x.memory.buffer);
  const hits = findSecrets(mem, secrets);
  assert.equal(hits.length, 0, `${what}: ${describeHits(hits)}`);
  const fresh = new Uint8Array(new Engine(GEOMETRY).x.memory.buffer);
  assert.equal(mem.length, fresh.length);
  let first = -1;
  for (let i = 0; i < mem.length && first < 0; i++) if (mem[i] !== fresh[i]) first = i;
  assert.equal(first, -1, `${what}: memory differs from a fresh engine's from 0x${first.toString(16)}`);
}

async function run(opts: { serverPsk: Buffer; clientPsk: Buffer; end: 'destroy' | 'server-end' }) {
  const serverEngine = new Engine(GEOMETRY);
  const clientEngine = new Engine(GEOMETRY);
  const identity = `device-${randomBytes(6).toString('hex')}`;
  const lines: string[] = [];
  const server = tls.createServer({ pskCallback: () => opts.serverPsk, engine: serverEngine } as object, (s) => {
    s.on('data', (d: Buffer) => (opts.end === 'server-end' ? s.end(`echo:${d}`) : s.write(`echo:${d}`)));
  });
  server.on('keylog', (l: Buffer) => lines.push(l.toString('latin1')));
  server.on('tlsClientError', () => {}); // the failed handshake's server side
  const serverClosed: Promise<unknown>[] = [];
  server.on('connection', (raw) => serverClosed.push(new Promise((res) => raw.once('close', res))));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = tls.connect({
    port: (server.address() as AddressInfo).port, host: '127.0.0.1', engine: clientEngine,
    pskCallback: () => ({ psk: opts.clientPsk, identity }), checkServerIdentity: () => undefined,
  } as object);
  client.on('keylog', (l: Buffer) => lines.push(l.toString('latin1')));
  client.on('error', () => {});
  const closed = new Promise((res) => client.once('close', res)); // events.once would reject on 'error'
  const outcome = await new Promise<string>((resolve) => {
    client.on('secureConnect', () => client.write('ping'));
    client.on('data', (d: Buffer) => {
      resolve(d.toString());
      if (opts.end === 'destroy') client.destroy();
    });
    client.on('error', (e: NodeJS.ErrnoException) => resolve(`error:${e.code}`));
  });
  await closed;
  await Promise.all(serverClosed);
  server.close();
  await once(server, 'close');
  const secrets = new Secrets();
  for (const k of new Set([opts.serverPsk, opts.clientPsk])) secrets.add('PSK', k);
  secrets.add('PSK identity', Buffer.from(identity));
  for (const l of lines) {
    const [label, , secret] = l.trim().split(' ');
    secrets.add(label, Buffer.from(secret, 'hex'));
  }
  return { outcome, lines, serverEngine, clientEngine, secrets };
}

for (const end of ['destroy', 'server-end'] as const) {
  test(`after ${end === 'destroy' ? "the client's destroy()" : "the server's end()"}, both engines' memory is a fresh engine's`, async () => {
    const psk = randomBytes(32);
    const r = await run({ serverPsk: psk, clientPsk: psk, end });
    assert.equal(r.outcome, 'echo:ping');
    assert.equal(r.lines.length, 10, 'five key-log lines per side');
    assertLikeFresh('server engine', r.serverEngine, r.secrets);
    assertLikeFresh('client engine', r.clientEngine, r.secrets);
  });
}

test('after a handshake that fails (the server knows another key), both engines are wiped too', async () => {
  const r = await run({ serverPsk: randomBytes(32), clientPsk: randomBytes(32), end: 'destroy' });
  assert.match(r.outcome, /^error:/);
  assertLikeFresh('server engine', r.serverEngine, r.secrets);
  assertLikeFresh('client engine', r.clientEngine, r.secrets);
});
