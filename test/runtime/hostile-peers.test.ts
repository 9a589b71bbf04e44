// Hostile peers against a tlsrt server (and, where the behaviour is
// OpenSSL's, the same peer against node:tls): a client that floods
// KeyUpdate(update_requested) and never reads must not grow the server's
// queues; 33 empty application-data records in a row (as node:tls) and 33
// KeyUpdates without application data between them (as BoringSSL) end the
// connection with unexpected_message and OpenSSL's error codes; a transport
// that ignores pause() is cut off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import net from 'node:net';
import { once } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import { duplexPair } from '../helpers/duplex-pair.ts';
import tlsrt from '../../src/index.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { TLSSocket } from '../../src/tls/tls-socket.ts';
import { hostileClient, alertsIn, type HostileClient } from '../helpers/hostile-client.ts';

const PSK = Buffer.alloc(32, 9);
const ID = 'hostile';
const SUITE = 'TLS_AES_128_GCM_SHA256';

type Impl = 'tlsrt' | 'node:tls';

interface Served {
  port: number;
  socket: Promise<net.Socket & { _transport?: net.Socket }>;
  errors: Promise<Error & { code?: string }>;
  data: Buffer[];
  close(): void;
}

async function serve(impl: Impl): Promise<Served> {
  let gotSocket!: (s: net.Socket) => void;
  let gotError!: (e: Error) => void;
  const socket = new Promise<net.Socket>((r) => (gotSocket = r));
  const errors = new Promise<Error>((r) => (gotError = r));
  const data: Buffer[] = [];
  const opts = { ciphers: SUITE, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) };
  const onSecure = (s: net.Socket) => {
    s.on('data', (d: Buffer) => data.push(d));
    s.on('error', gotError);
    gotSocket(s);
  };
  const server = impl === 'tlsrt' ? tlsrt.createServer(opts as never, onSecure as never) : tls.createServer(opts, onSecure);
  (server as net.Server).listen(0, '127.0.0.1');
  await once(server as net.Server, 'listening');
  const port = ((server as net.Server).address() as net.AddressInfo).port;
  return { port, socket: socket as Served['socket'], errors, data, close: () => (server as net.Server).close() };
}

/** Seals an application-data record by hand (content may be empty) with the client's key. */
function appRecord(c: HostileClient, seq: number, content: Buffer): Buffer {
  return c.clientKey.seal(Buffer.concat([content, Buffer.from([23])]), seq);
}

/** Waits until `cond()` holds, checking after every I/O turn (bounded by the test's timeout). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** Runs until `progress()` has not changed for `turns` I/O turns in a row (the peers are stuck or done). */
async function quiescent(progress: () => number, turns = 200): Promise<void> {
  let last = -1;
  for (let still = 0; still < turns; ) {
    await new Promise((r) => setImmediate(r));
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** A server TLSSocket of `impl` over one end of an in-process pair; the other end is the client's. */
function pairServer(impl: Impl): { server: Duplex; transport: Duplex; client: Duplex; data: Buffer[] } {
  const [transport, client] = duplexPair(16384);
  const opts = { isServer: true, ciphers: SUITE, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) };
  const server = (impl === 'tlsrt'
    ? new tlsrt.TLSSocket(transport, opts as never)
    : new tls.TLSSocket(transport, { ...opts, secureContext: tls.createSecureContext({ ciphers: SUITE }) } as never)) as unknown as Duplex;
  const data: Buffer[] = [];
  server.on('data', (d: Buffer) => data.push(d));
  return { server, transport, client, data };
}

test('a client that never reads and floods KeyUpdate(update_requested): the tlsrt server holds its answer in the slot and stops reading; what it queues stays under one transport mark, no more than node:tls', { timeout: 60_000 }, async (t) => {
  const N = 20_000;
  const owed: Record<string, number> = {};
  for (const impl of ['tlsrt', 'node:tls'] as Impl[]) {
    const s = pairServer(impl);
    const c = await hostileClient(s.client, PSK, ID, SUITE);
    c.socket.pause(); // never reads: the server's answers pile up in front of it
    let peakOut = 0;
    let readByServer = 0;
    s.transport.on('data', (d: Buffer) => {
      readByServer += d.length;
      peakOut = Math.max(peakOut, s.transport.writableLength);
    });
    // Each KeyUpdate asks for one back; a byte of data after each keeps the
    // KeyUpdate limit out of the way, so only the transport can stop this.
    let sent = 0;
    for (let i = 0; i < N; i++) {
      assert.equal(c.conn.keyUpdate(true), 0);
      sent += c.flushEngine();
      assert.equal(c.conn.writeApp(Buffer.from('k')), 1);
      sent += c.flushEngine();
    }
    await quiescent(() => readByServer);
    // What the server owes the client: one answer (a 27-byte record) per
    // KeyUpdate it has processed — each was followed by a 'k' it delivered —
    // minus the answers that reached the client's end (which never reads, so
    // they all wait in its buffer). The rest is queued inside the server.
    const processed = Buffer.concat(s.data).length;
    const arrived = Math.floor(s.client.readableLength / 27);
    const owedBytes = Math.max(0, processed - arrived) * 27;
    owed[impl] = owedBytes;
    t.diagnostic(`${impl}: read ${readByServer} of ${sent} bytes while the client did not read; ${processed} KeyUpdates answered, ${owedBytes} bytes of answers queued in the server (transport queue peak ${peakOut})`);
    if (impl === 'tlsrt') {
      const server = s.server as unknown as TLSSocket;
      assert.ok(readByServer < sent, `the server stopped reading (${readByServer} of ${sent} bytes)`);
      // At most one answer beyond the transport's mark may queue.
      assert.ok(peakOut <= s.transport.writableHighWaterMark + 64, `answers queued in the transport: ${peakOut} bytes`);
      assert.ok(owedBytes <= s.transport.writableHighWaterMark + 64, `answers owed: ${owedBytes} bytes`);
      assert.ok(server.getBufferPeaks().networkIn <= 16384 + 65536, `net-in mailbox peak ${server.getBufferPeaks().networkIn} bytes`);
    }
    // Once the client reads (and throws the answers away), everything is processed and nothing was lost.
    c.socket.on('data', () => {});
    c.socket.resume();
    await until(() => Buffer.concat(s.data).length === N);
    assert.equal(Buffer.concat(s.data).toString(), 'k'.repeat(N));
    c.close();
    s.server.destroy();
  }
  assert.ok(owed.tlsrt <= owed['node:tls'], `tlsrt queued ${owed.tlsrt} bytes of answers, node:tls ${owed['node:tls']}`);
  // Without the bound every record would have been answered into the queue.
  assert.ok(owed.tlsrt * 10 < N * 27, `tlsrt queued ${owed.tlsrt} bytes; unbounded would be ${N * 27}`);
});

for (const impl of ['tlsrt', 'node:tls'] as Impl[]) {
  test(`${impl}: 32 empty application-data records in a row are accepted, the 33rd ends the connection (unexpected_message, ERR_SSL_RECORD_TOO_SMALL)`, { timeout: 30_000 }, async () => {
    const s = await serve(impl);
    const c = await hostileClient(s.port, PSK, ID, SUITE);
    let seq = 0;
    const empties = (n: number) => Buffer.concat(Array.from({ length: n }, () => appRecord(c, seq++, Buffer.alloc(0))));
    // 32 empties, then data (which resets the count), then 32 again and data: all fine.
    c.socket.write(Buffer.concat([empties(32), appRecord(c, seq++, Buffer.from('a')), empties(32), appRecord(c, seq++, Buffer.from('b'))]));
    await until(() => Buffer.concat(s.data).toString() === 'ab');
    // Now 33 in a row.
    c.socket.write(empties(33));
    const err = await s.errors;
    assert.equal(err.code, 'ERR_SSL_RECORD_TOO_SMALL');
    // (node:tls sends the alert but leaves the TCP connection open: wait for the alert, not for the close)
    await until(() => alertsIn(Buffer.concat(c.received), c.serverKey).length > 0);
    assert.deepEqual(alertsIn(Buffer.concat(c.received), c.serverKey), [{ level: 2, desc: 10 }], 'a fatal unexpected_message alert');
    c.close();
    s.close();
  });

}

// BoringSSL's limit (kMaxKeyUpdates, 32, unexpected_message). OpenSSL has the
// same counter (MAX_KEY_UPDATE_MESSAGES) but the OpenSSL 3.0 in Node 20 does
// not stop a peer with it: a node:tls server took 2,000 KeyUpdates without
// data in a row when this was written, so there is no node:tls twin here.
test('32 KeyUpdates without application data are accepted, the 33rd ends the connection (unexpected_message, ERR_SSL_TOO_MANY_KEY_UPDATES)', { timeout: 30_000 }, async () => {
  const s = await serve('tlsrt');
  const c = await hostileClient(s.port, PSK, ID, SUITE);
  const keyUpdates = (n: number) => {
    for (let i = 0; i < n; i++) {
      assert.equal(c.conn.keyUpdate(false), 0);
      c.flushEngine();
    }
  };
  keyUpdates(32);
  c.conn.writeApp(Buffer.from('a'));
  c.flushEngine();
  await until(() => Buffer.concat(s.data).toString() === 'a');
  keyUpdates(33);
  const err = await s.errors;
  assert.equal(err.code, 'ERR_SSL_TOO_MANY_KEY_UPDATES');
  if (!c.socket.destroyed) await once(c.socket, 'close');
  // The server's keys never changed (no update_requested), so its alert opens with its first application key.
  assert.deepEqual(alertsIn(Buffer.concat(c.received), c.serverKey), [{ level: 2, desc: 10 }], 'a fatal unexpected_message alert');
  c.close();
  s.close();
});

test('a transport that ignores pause() and keeps pushing is cut off at the net-in cap (ERR_TLSRT_QUEUE_LIMIT), not buffered without end', { timeout: 30_000 }, async () => {
  // A Duplex whose pause() does nothing, and a server whose PSK lookup never
  // answers: the slot takes no input while it waits, so everything the
  // transport pushes after the ClientHello waits in the net-in mailbox.
  const transport = new PassThrough();
  transport.pause = () => transport;
  let lookups = 0;
  const server = new tlsrt.TLSSocket(transport, {
    isServer: true,
    pskCallback: () => {
      lookups++;
      return new Promise<Buffer>(() => {});
    },
  } as never);
  const err = new Promise<Error & { code?: string }>((r) => server.on('error', r));
  await new Promise((r) => setImmediate(r));
  const client = new Engine({ slots: 1 }).open('client', { pskIdentity: Buffer.from(ID), psk: PSK });
  transport.emit('data', Buffer.from(client.takeOutput()!));
  await until(() => lookups === 1);
  let pushed = 0;
  while (!server.destroyed && pushed < 10 * 1024 * 1024) {
    transport.emit('data', Buffer.alloc(16384, 1));
    pushed += 16384;
  }
  const e = await err;
  assert.equal(e.code, 'ERR_TLSRT_QUEUE_LIMIT');
  // The cap: 4 x the 16 KiB mark plus one 64 KiB read.
  assert.ok(pushed <= 4 * 16384 + 65536 + 16384, `cut off after ${pushed} bytes`);
  assert.ok(server.getBufferPeaks().networkIn > 4 * 16384, 'the mailbox did hold more than its mark before the cut');
});

test('the bound does not deadlock honest peers: a tlsrt client writes 8 MiB to a tlsrt echo server while reading the echo, asking for KeyUpdates along the way', { timeout: 60_000 }, async () => {
  // Over an in-process pair with 16 KiB of buffering each way (no kernel
  // buffers), so both transports keep needing drains while answers are owed.
  const [a, b] = duplexPair(16384);
  const server = new tlsrt.TLSSocket(a, { isServer: true, ciphers: SUITE, pskCallback: () => PSK } as never) as unknown as TLSSocket;
  server.on('secure', () => server.pipe(server));
  const c = tlsrt.connect({ socket: b, ciphers: SUITE, pskCallback: () => ({ psk: PSK, identity: ID }) } as never) as unknown as TLSSocket;
  await once(c, 'secureConnect');
  const total = 8 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let got = 0;
  c.on('data', (d: Buffer) => (got += d.length));
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!c.write(chunk)) await once(c, 'drain');
    if (sent % (1024 * 1024) === 0) c.updateKeys(true); // the server owes an answer while both directions are busy
  }
  await until(() => got === total);
  assert.equal(got, total);
  c.destroy();
  server.destroy();
});
