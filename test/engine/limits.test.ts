// Memory limits and secrets: small record buffers with max_fragment_length
// and record_size_limit, record_overflow when a peer ignores them, the pool
// refusing a connection it has no slot for, and slots wiped on close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import { side, shuttle, sendAll } from '../helpers/engine.ts';

const PSK = randomBytes(32);
const ID = Buffer.from('board-7');
const SMALL = 5 + 512 + 256; // one 512-byte fragment plus header, type, tag and slack

function recordLengths(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i + 5 <= bytes.length; i += 5 + bytes.readUInt16BE(i + 3)) out.push(bytes.readUInt16BE(i + 3));
  return out;
}

test('a board with 512-byte buffers exchanges 64 KiB when it asks for max_fragment_length 512', () => {
  const board = new Engine({ slots: 1, recvCap: SMALL, sendCap: SMALL, hsCap: 1024 });
  const host = new Engine({ slots: 1 });
  const client = side(board.open('client', { pskIdentity: ID, psk: PSK, maxFragmentLength: 512 }));
  const server = side(host.open('server', {}), () => ({ psk: PSK }));
  shuttle(client, server);
  assert.equal(client.conn.state, 'open');
  assert.equal(server.conn.maxFragmentCode, 1);
  assert.equal(server.conn.peerRecordLimit, 513);
  const data = randomBytes(64 * 1024);
  // Watch the server's records on their way to the board.
  const seen: number[] = [];
  let off = 0;
  while (off < data.length) {
    off += server.conn.writeApp(data.subarray(off));
    const out = server.conn.takeOutput();
    if (out) {
      seen.push(...recordLengths(Buffer.from(out)));
      assert.equal(client.conn.feed(out), out.length);
      let d;
      while ((d = client.conn.readApp())) client.app.push(Buffer.from(d));
    }
  }
  assert.ok(Buffer.concat(client.app).equals(data));
  assert.ok(seen.length >= 128 && Math.max(...seen) <= 512 + 1 + 16, `records up to ${Math.max(...seen)} bytes`);
  sendAll(client, server, data);
  assert.ok(Buffer.concat(server.app).equals(data));
});

test('record_size_limit from the client bounds what the server sends', () => {
  const board = new Engine({ slots: 1, recvCap: SMALL, sendCap: SMALL, hsCap: 1024 });
  const host = new Engine({ slots: 1 });
  const client = side(board.open('client', { pskIdentity: ID, psk: PSK, recordSizeLimit: 300 }));
  const server = side(host.open('server', {}), () => ({ psk: PSK }));
  shuttle(client, server);
  assert.equal(server.conn.peerRecordLimit, 300);
  server.conn.writeApp(randomBytes(5000));
  const lens = recordLengths(Buffer.from(server.conn.takeOutput()!));
  assert.deepEqual(lens, [300 + 16]); // 299 bytes of content + the type byte = 300, plus the tag
});

test('without a negotiated limit, a full-size record to a small board ends in record_overflow', () => {
  const board = new Engine({ slots: 1, recvCap: SMALL, sendCap: SMALL, hsCap: 1024 });
  const host = new Engine({ slots: 1 });
  const client = side(board.open('client', { pskIdentity: ID, psk: PSK }));
  const server = side(host.open('server', {}), () => ({ psk: PSK }));
  shuttle(client, server);
  assert.equal(client.conn.state, 'open');
  sendAll(server, client, randomBytes(16384));
  assert.deepEqual(client.conn.failure, { reason: 'record_overflow', alert: 22, local: true });
  assert.ok(client.events.some((e) => e.kind === 'error' && e.alertName === 'record_overflow'));
  // The alert reached the server.
  assert.deepEqual(server.conn.failure, { reason: 'peer_alert', alert: 22, local: false });
  client.conn.close();
  // The slot is free again.
  const again = board.open('client', { pskIdentity: ID, psk: PSK });
  assert.equal(again.state, 'handshake');
});

test('a full pool refuses a connection with a clear error, and frees on close', () => {
  const e = new Engine({ slots: 2, hsCap: 512 });
  const a = e.open('server', {});
  const b = e.open('server', {});
  assert.throws(() => e.open('server', {}), /every connection slot is in use/);
  a.close();
  const c = e.open('server', {});
  assert.equal(c.state, 'handshake');
  b.close();
  c.close();
});

test('closing a slot wipes its keys, secrets and buffers', () => {
  const e = new Engine({ slots: 2 });
  const psk = randomBytes(32);
  const client = side(e.open('client', { pskIdentity: ID, psk, keylog: true }));
  const server = side(e.open('server', { keylog: true }), () => ({ psk }));
  shuttle(client, server);
  const secret = randomBytes(1000);
  sendAll(client, server, secret);
  assert.ok(Buffer.concat(server.app).equals(secret));
  const keylogSecrets = client.events.flatMap((ev) => (ev.kind === 'keylog' ? [Buffer.from(ev.line.trim().split(' ')[2], 'hex')] : []));
  assert.equal(keylogSecrets.length, 5);
  const mem = () => Buffer.from(e.mem);
  // While open the state is there (the PSK is in both slots)...
  assert.ok(mem().indexOf(psk) >= 0);
  client.conn.close();
  server.conn.close();
  // ...after close no trace of the PSK, any traffic secret or the plaintext remains anywhere in linear memory.
  const m = mem();
  assert.equal(m.indexOf(psk), -1, 'PSK left in memory');
  for (const s of keylogSecrets) assert.equal(m.indexOf(s.subarray(0, 16)), -1, 'a secret left in memory');
  assert.equal(m.indexOf(secret.subarray(0, 64)), -1, 'plaintext left in memory');
});

test('init rejects geometry the engine cannot serve, naming it', () => {
  assert.throws(() => new Engine({ slots: 1, recvCap: 100 }), /engine init failed/);
  assert.throws(() => new Engine({ slots: 0 }), /engine init failed/);
});

test('max_fragment_length binds both directions: each side sends and accepts at most 512 bytes', () => {
  const e = new Engine({ slots: 2 });
  const client = side(e.open('client', { pskIdentity: ID, psk: PSK, maxFragmentLength: 512 }));
  const server = side(e.open('server', {}), () => ({ psk: PSK }));
  shuttle(client, server);
  assert.equal(client.conn.state, 'open');
  assert.equal(client.conn.recvRecordLimit, 512);
  assert.equal(server.conn.recvRecordLimit, 512);
  // setMaxSendFragment cannot lift the negotiated limit.
  assert.ok(client.conn.setMaxSendFragment(1024));
  assert.equal(client.conn.writeApp(randomBytes(600)), 512);
});
