// The engine against node:tls (OpenSSL 3 inside Node 20), in both roles:
// every suite Node can negotiate with a PSK x both PSK key-exchange modes,
// with the checks that prove both ends hold the same keys (suite, key
// exchange, both Finished values, the exporter), a 1 MiB echo, ALPN,
// max_fragment_length against a small-buffer engine, and a wrong PSK.
//
// Node's pskCallback is OpenSSL's old-style PSK callback: for TLS 1.3 OpenSSL
// wraps the key in a session fixed to TLS_AES_128_GCM_SHA256, so the PSK is
// bound to SHA-256 and only the four SHA-256 suites can use it. With only
// TLS_AES_256_GCM_SHA384 on offer the server finds no usable PSK, falls back
// to certificate authentication and fails (node to node:
// ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM, handshake_failure; against the
// engine's PSK-only ClientHello: missing_extension); a node client still
// sends a SHA-256 binder. The two TLS_AES_256_GCM_SHA384 tests prove it. The CCM suites are off by default in Node; naming
// them in `ciphers` (Node splits TLS_* names off into the TLS 1.3 list) turns
// them on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { createHash, randomBytes, constants } from 'node:crypto';
import { Engine, ALERTS } from '../../src/engine/engine.ts';
import { alpnWire, type EngineConfig, type KxMode } from '../../src/engine/config.ts';
import { driveConn, serverHelloExtensions, EXT_KEY_SHARE, waitFor, type EngineSocket } from '../helpers/peers.ts';

const PSK = randomBytes(32);
const ID = 'device-0001';
const SHA256_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
const MODES: KxMode[] = ['psk_dhe_ke', 'psk_ke'];
const MiB = 1 << 20;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const LABEL = 'EXPERIMENTAL tlsrt interop';
const CTX = Buffer.from('context');

interface NodeServer {
  port: number;
  sockets: tls.TLSSocket[];
  errors: (Error & { code?: string })[];
  close(): void;
}

/** A node:tls PSK server; `handler` runs per secure connection (default: echo, hashing what it got). */
function nodeServer(opts: tls.TlsOptions, handler?: (s: tls.TLSSocket) => void): Promise<NodeServer> {
  const sockets: tls.TLSSocket[] = [];
  const errors: Error[] = [];
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null), ...opts }, (s) => {
    sockets.push(s);
    s.on('error', (e) => errors.push(e));
    (handler ?? ((sock) => sock.pipe(sock)))(s);
  });
  server.on('tlsClientError', (e) => errors.push(e));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      sockets,
      errors,
      close: () => {
        for (const s of sockets) s.destroy();
        server.close();
      },
    }));
  });
}

/** A tlsrt engine client connected to `port`. */
async function engineClient(engine: Engine, port: number, cfg: EngineConfig): Promise<EngineSocket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  return driveConn(engine.open('client', { pskIdentity: Buffer.from(ID), psk: PSK, keylog: true, ...cfg }), socket);
}

/** A net server whose connections are tlsrt engine servers (echoing), and a node:tls client for it. */
async function engineServer(engine: Engine, cfg: EngineConfig, psk: Buffer = PSK, alpn?: string) {
  const conns: EngineSocket[] = [];
  const server = net.createServer((sock) => {
    conns.push(driveConn(engine.open('server', cfg), sock, {
      echo: true,
      onHello: (ev) => ({ psk: ev.identity.toString() === ID ? psk : null, alpn }),
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const connect = (opts: tls.ConnectionOptions = {}) => tls.connect({
    port, host: '127.0.0.1', minVersion: 'TLSv1.3', checkServerIdentity: () => undefined,
    pskCallback: () => ({ psk: PSK, identity: ID }), ...opts,
  });
  return { conns, connect, close: () => server.close() };
}

const noDhe = (mode: KxMode) => (mode === 'psk_ke' ? { secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX } : {});

/** Both ends agree on suite, Finished values and exporter output. */
function assertSameKeys(node: tls.TLSSocket, conn: EngineSocket['conn'], suite: string, nodeIsClient: boolean) {
  assert.equal(node.getProtocol(), 'TLSv1.3');
  assert.equal(node.getCipher().standardName, suite);
  assert.equal(conn.suite, suite);
  const [mine, theirs] = nodeIsClient ? [conn.clientFinished, conn.serverFinished] : [conn.serverFinished, conn.clientFinished];
  assert.equal(mine.length, 32);
  assert.ok(node.getFinished()!.equals(mine), 'node Finished sent = engine Finished of that role');
  assert.ok(node.getPeerFinished()!.equals(theirs), 'node Finished received = engine Finished of the other role');
  assert.ok(node.exportKeyingMaterial(48, LABEL, CTX).equals(conn.exportKeyingMaterial(48, LABEL, CTX)));
  assert.ok(!node.exportKeyingMaterial(48, LABEL, CTX).equals(conn.exportKeyingMaterial(48, LABEL + '!', CTX)));
}

for (const suite of SHA256_SUITES) {
  for (const mode of MODES) {
    test(`engine client -> node:tls server, ${suite} ${mode}: same keys, 1 MiB echo`, async () => {
      const engine = new Engine();
      const nodeGot = createHash('sha256');
      const srv = await nodeServer({ ciphers: suite, ...noDhe(mode) }, (s) => {
        s.on('data', (d) => {
          nodeGot.update(d);
          s.write(d);
        });
      });
      const c = await engineClient(engine, srv.port, { suites: [suite], kxModes: [mode] });
      try {
        await c.handshaken();
        await waitFor(() => srv.sockets.length === 1, 'the node server connection');
        const node = srv.sockets[0];
        assertSameKeys(node, c.conn, suite, false);
        assert.equal(c.conn.kx, mode);
        // The ServerHello on the wire carries a key_share exactly when the mode is psk_dhe_ke.
        assert.equal(serverHelloExtensions(c.inbound.first).includes(EXT_KEY_SHARE), mode === 'psk_dhe_ke');
        const data = randomBytes(MiB);
        c.send(data);
        await waitFor(() => c.receivedBytes() >= data.length, 'the 1 MiB echo');
        assert.ok(c.received().equals(data), 'echo matches byte for byte');
        assert.equal(nodeGot.digest('hex'), sha(data), 'node received exactly what the engine sent');
        c.end();
        await waitFor(() => c.conn.peerClosed || c.socket.destroyed, 'close');
        assert.deepEqual(srv.errors, []);
      } finally {
        c.conn.close();
        c.socket.destroy();
        srv.close();
      }
    });

    test(`node:tls client -> engine server, ${suite} ${mode}: same keys, 1 MiB echo`, async () => {
      const engine = new Engine();
      const es = await engineServer(engine, { kxModes: [mode], keylog: true });
      const node = es.connect({ ciphers: suite, ...noDhe(mode) });
      const chunks: Buffer[] = [];
      let got = 0;
      node.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
      });
      const nodeErrors: Error[] = [];
      node.on('error', (e) => nodeErrors.push(e));
      try {
        await new Promise<void>((resolve, reject) => {
          node.once('secureConnect', resolve);
          node.once('error', reject);
        });
        await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'open', 'the engine server handshake');
        const s = es.conns[0];
        assertSameKeys(node, s.conn, suite, true);
        assert.equal(s.conn.kx, mode);
        // Node reports the ephemeral key of a client connection, and an empty object without one.
        const eph = node.getEphemeralKeyInfo();
        if (mode === 'psk_dhe_ke') assert.deepEqual(eph, { type: 'ECDH', name: 'X25519', size: 253 });
        else assert.deepEqual(eph, {});
        const data = randomBytes(MiB);
        node.write(data);
        await waitFor(() => got >= data.length, 'the 1 MiB echo');
        assert.ok(Buffer.concat(chunks).equals(data), 'echo matches byte for byte');
        assert.equal(sha(s.received()), sha(data), 'the engine received exactly what node sent');
        node.end();
        await waitFor(() => s.conn.peerClosed, 'close_notify from node');
        assert.deepEqual(nodeErrors, []);
      } finally {
        node.destroy();
        for (const s of es.conns) s.conn.close();
        es.close();
      }
    });
  }
}

test('ALPN both ways: the engine client offers h2,x to node; node offers h2,x to the engine', async () => {
  const engine = new Engine();
  const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256', ALPNProtocols: ['x'] });
  const c = await engineClient(engine, srv.port, { alpn: alpnWire(['h2', 'x']) });
  try {
    await c.handshaken();
    await waitFor(() => srv.sockets.length === 1, 'the node server connection');
    assert.equal(c.conn.alpn, 'x');
    assert.equal(srv.sockets[0].alpnProtocol, 'x');
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
  const es = await engineServer(engine, {}, PSK, 'x');
  const node = es.connect({ ALPNProtocols: ['h2', 'x'] });
  try {
    await new Promise((r) => node.once('secureConnect', r));
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'open', 'the engine server handshake');
    const hello = es.conns[0].events.find((e) => e.kind === 'clientHello');
    assert.deepEqual(hello && hello.kind === 'clientHello' && hello.alpn, ['h2', 'x']);
    assert.equal(node.alpnProtocol, 'x');
    assert.equal(es.conns[0].conn.alpn, 'x');
  } finally {
    node.destroy();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
});

/** Node answers once it has all 64 KiB, in one write, so it sends the biggest records it may. */
function bulkEcho(n: number) {
  return (s: tls.TLSSocket) => {
    const parts: Buffer[] = [];
    let got = 0;
    s.on('data', (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got === n) s.write(Buffer.concat(parts));
    });
  };
}

const SMALL = { slots: 1, recvCap: 5 + 512 + 256, sendCap: 5 + 512 + 256, hsCap: 2048 };

for (const small of [false, true]) {
  test(`max_fragment_length 512 against node:tls${small ? ', small-buffer engine' : ''}: 64 KiB echo in records <= 512`, async () => {
    const engine = new Engine(small ? SMALL : {});
    const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256' }, bulkEcho(64 * 1024));
    const c = await engineClient(engine, srv.port, { maxFragmentLength: 512 });
    try {
      await c.handshaken();
      assert.equal(c.conn.maxFragmentCode, 1);
      const data = randomBytes(64 * 1024);
      c.send(data);
      await waitFor(() => c.receivedBytes() >= data.length, 'the 64 KiB echo');
      assert.ok(c.received().equals(data));
      // Protected records: plaintext (<= 512) + content type + 16-byte tag.
      assert.ok(c.inbound.maxProtected() <= 512 + 1 + 16, `node sent a ${c.inbound.maxProtected()}-byte record`);
      assert.ok(c.outbound.maxProtected() <= 512 + 1 + 16);
      assert.ok(c.inbound.records.filter((r) => r.type === 23).length >= 128);
    } finally {
      c.conn.close();
      c.socket.destroy();
      srv.close();
    }
  });
}

test('without max_fragment_length, a full-size engine sees node send records above 512 bytes', async () => {
  const engine = new Engine();
  const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256' }, bulkEcho(64 * 1024));
  const c = await engineClient(engine, srv.port, {});
  try {
    await c.handshaken();
    const data = randomBytes(64 * 1024);
    c.send(data);
    await waitFor(() => c.receivedBytes() >= data.length, 'the 64 KiB echo');
    assert.ok(c.received().equals(data));
    assert.equal(c.inbound.maxProtected(), 16384 + 1 + 16);
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
});

test('a small-buffer engine without max_fragment_length fails with record_overflow on a large node record', async () => {
  const engine = new Engine(SMALL);
  const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256' }, bulkEcho(4096));
  const c = await engineClient(engine, srv.port, {});
  try {
    await c.handshaken();
    c.send(randomBytes(4096));
    await c.failed();
    assert.deepEqual(c.conn.failure, { reason: 'record_overflow', alert: 22, local: true });
    assert.equal(c.receivedBytes(), 0);
    // The alert reaches node, which reports it on the server socket.
    await waitFor(() => srv.errors.length > 0, 'the node server error');
    assert.equal(srv.errors[0].code, 'ERR_SSL_TLSV1_ALERT_RECORD_OVERFLOW');
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
});

test('a wrong PSK: engine client -> node:tls server', async () => {
  const engine = new Engine();
  const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256', pskCallback: () => randomBytes(32) });
  const c = await engineClient(engine, srv.port, {});
  try {
    await c.failed();
    // OpenSSL 3.0 (tls_psk_do_binder) answers a wrong binder with illegal_parameter, where
    // RFC 8446 §6.2 names decrypt_error (which the engine server sends, see below).
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 47, local: false });
    assert.equal(ALERTS[c.conn.failure!.alert], 'illegal_parameter');
    await waitFor(() => srv.errors.length > 0, 'the node server error');
    assert.equal(srv.errors[0].code, 'ERR_SSL_BINDER_DOES_NOT_VERIFY');
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
});

test('a wrong PSK: node:tls client -> engine server', async () => {
  const engine = new Engine();
  const es = await engineServer(engine, {}, randomBytes(32));
  const node = es.connect();
  try {
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      node.once('error', resolve);
      node.once('secureConnect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
    });
    assert.equal(err.code, 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR');
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'failed', 'the engine server to fail');
    assert.deepEqual(es.conns[0].conn.failure, { reason: 'binder_mismatch', alert: 51, local: true });
  } finally {
    node.destroy();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
});

test('TLS_AES_256_GCM_SHA384 is impossible with node PSK callbacks: engine client -> node:tls server', async () => {
  const engine = new Engine();
  const srv = await nodeServer({ ciphers: 'TLS_AES_256_GCM_SHA384' });
  const c = await engineClient(engine, srv.port, { suites: ['TLS_AES_256_GCM_SHA384'], pskHash: 'sha384' });
  try {
    await c.failed();
    // Node looks the identity up, but the key it gets is bound to SHA-256 and the only suite is
    // SHA-384: OpenSSL drops the PSK, falls back to a certificate handshake, and the engine's
    // PSK-only ClientHello has no signature_algorithms: missing_extension.
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 109, local: false });
    await waitFor(() => srv.errors.length > 0, 'the node server error');
    assert.equal(srv.errors[0].code, 'ERR_SSL_MISSING_SIGALGS_EXTENSION');
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
});

test('TLS_AES_256_GCM_SHA384 is impossible with node PSK callbacks: node:tls client -> engine server', async () => {
  const engine = new Engine();
  const es = await engineServer(engine, { pskHash: 'sha384' });
  const node = es.connect({ ciphers: 'TLS_AES_256_GCM_SHA384' });
  try {
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      node.once('error', resolve);
      node.once('secureConnect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
    });
    // Node's client still offers its PSK, with a 32-byte (SHA-256) binder next to the only suite,
    // a SHA-384 one; the engine, expecting a 48-byte binder, rejects it before asking the host.
    assert.equal(err.code, 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR');
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'failed', 'the engine server to fail');
    assert.ok(!es.conns[0].events.some((e) => e.kind === 'clientHello'), 'no PSK identity reached the host');
    assert.deepEqual(es.conns[0].conn.failure, { reason: 'binder_mismatch', alert: 51, local: true });
  } finally {
    node.destroy();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
});

test('HelloRetryRequest to a node:tls client, and the engine client in compatibility mode to a node:tls server', async () => {
  const engine = new Engine();
  const es = await engineServer(engine, { forceHrr: true });
  const node = es.connect();
  try {
    await new Promise((r) => node.once('secureConnect', r));
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'open', 'the engine server handshake');
    assert.ok(es.conns[0].conn.helloRetried);
    assertSameKeys(node, es.conns[0].conn, node.getCipher().standardName, true);
  } finally {
    node.destroy();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
  const srv = await nodeServer({ ciphers: 'TLS_AES_128_GCM_SHA256' });
  const c = await engineClient(engine, srv.port, { compat: true });
  try {
    await c.handshaken();
    await waitFor(() => srv.sockets.length === 1, 'the node server connection');
    assertSameKeys(srv.sockets[0], c.conn, 'TLS_AES_128_GCM_SHA256', false);
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
});
