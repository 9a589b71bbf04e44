// The TLSSocket / Server surface of tlsrt, method by method, against node:tls:
// where a value can be compared with node:tls (a node:tls peer, or a node:tls
// pair doing the same thing) it is; otherwise the documented value is
// asserted. Options are in socket-options.test.ts, the module surface
// (connect forms, exports, constants, unsupported options) in module-api.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type nodeTls from 'node:tls';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, constants } from 'node:crypto';
import { securePair, readBytes, pskClient, type LibName } from '../helpers/scenario.ts';
import { RecordLog, spawnPeer, waitFor } from '../helpers/peers.ts';
import tlsrt from '../../src/index.ts';

/** Hang guard for every test (never a timing assertion). */
const T = { timeout: 30000 };
const BOTH: [LibName, LibName][] = [['node', 'tlsrt'], ['tlsrt', 'node']];

test('address(), remote*/local* as the underlying TCP socket: the two ends mirror each other', T, async () => {
  for (const [s, c] of [...BOTH, ['tlsrt', 'tlsrt'] as [LibName, LibName]]) {
    const p = await securePair(s, c);
    try {
      assert.deepEqual(p.client.address(), { address: '127.0.0.1', family: 'IPv4', port: p.client.localPort });
      assert.equal(p.client.remoteAddress, '127.0.0.1');
      assert.equal(p.client.remotePort, p.port);
      assert.equal(p.client.remoteFamily, 'IPv4');
      assert.equal(p.client.localAddress, '127.0.0.1');
      assert.equal(p.server.remotePort, p.client.localPort);
      assert.equal(p.server.localPort, p.port);
      assert.deepEqual(p.server.address(), { address: '127.0.0.1', family: 'IPv4', port: p.port });
    } finally {
      p.close();
    }
  }
});

test('setEncoding, setNoDelay/setKeepAlive/setTimeout return the socket; setTimeout emits timeout', T, async () => {
  const p = await securePair('node', 'tlsrt');
  try {
    assert.equal(p.client.setNoDelay(true), p.client);
    assert.equal(p.client.setKeepAlive(true, 1000), p.client);
    const fired = new Promise<void>((r) => assert.equal(p.client.setTimeout(30, r), p.client));
    await fired;
    p.client.setTimeout(0);
    p.client.setEncoding('utf8');
    const got = new Promise<unknown>((r) => p.client.once('data', r));
    p.server.write('héllo');
    assert.equal(await got, 'héllo');
  } finally {
    p.close();
  }
});

test('end() sends close_notify: the peer sees end; destroy() closes the peer too', T, async () => {
  for (const [s, c] of BOTH) {
    const p = await securePair(s, c);
    try {
      const ended = new Promise((r) => p.server.once('end', r));
      p.server.resume(); // 'end' comes once the readable side is consumed
      p.client.end();
      await ended;
      const q = await securePair(s, c);
      const closed = new Promise((r) => q.server.once('close', r));
      q.client.destroy();
      await closed;
      assert.equal(q.client.destroyed, true);
      q.close();
    } finally {
      p.close();
    }
  }
});

test('bytesWritten counts plaintext bytes written, as node:tls', T, async () => {
  for (const [s, c] of BOTH) {
    const p = await securePair(s, c);
    try {
      assert.equal(p.client.bytesWritten, 0);
      const got = readBytes(p.server, 5);
      p.client.write('hello');
      await got;
      assert.equal(p.client.bytesWritten, 5);
    } finally {
      p.close();
    }
  }
});

test('getCipher, getProtocol, isSessionReused, encrypted, authorized: the same values as the node:tls peer reports', T, async () => {
  for (const [s, c] of BOTH) {
    const p = await securePair(s, c, { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' });
    try {
      assert.deepEqual(p.client.getCipher(), p.server.getCipher());
      assert.deepEqual(p.client.getCipher(), { name: 'TLS_CHACHA20_POLY1305_SHA256', standardName: 'TLS_CHACHA20_POLY1305_SHA256', version: 'TLSv1.3' });
      assert.equal(p.client.getProtocol(), 'TLSv1.3');
      assert.equal(p.server.getProtocol(), 'TLSv1.3');
      // A PSK handshake counts as resumed in OpenSSL, so in node:tls.
      assert.equal(p.client.isSessionReused(), true);
      assert.equal(p.server.isSessionReused(), true);
      assert.equal(p.client.encrypted, true);
      assert.equal(p.server.encrypted, true);
      // node:tls: the PSK authenticates the server to the client; the server has no client certificate.
      assert.deepEqual([p.client.authorized, p.client.authorizationError ?? null], [true, null]);
      assert.deepEqual([p.server.authorized, p.server.authorizationError ?? null], [false, null]);
    } finally {
      p.close();
    }
  }
});

test('getEphemeralKeyInfo: X25519 for psk_dhe_ke, {} for psk_ke on the client, null on the server', T, async () => {
  const dhe = await securePair('node', 'tlsrt');
  const ke = await securePair('tlsrt', 'node', { pskKeyExchangeModes: ['psk_ke'] }, { secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX });
  const keRt = await securePair('tlsrt', 'tlsrt', { secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX }, { pskKeyExchangeModes: ['psk_ke'] });
  try {
    assert.deepEqual(dhe.client.getEphemeralKeyInfo(), { type: 'ECDH', name: 'X25519', size: 253 });
    assert.deepEqual(ke.client.getEphemeralKeyInfo(), {}, 'node:tls client: {} without an ephemeral key');
    assert.deepEqual(keRt.client.getEphemeralKeyInfo(), {});
    assert.equal(ke.server.getEphemeralKeyInfo(), null);
    assert.equal(keRt.server.getEphemeralKeyInfo(), null);
  } finally {
    dhe.close();
    ke.close();
    keRt.close();
  }
});

test('exportKeyingMaterial, getFinished, getPeerFinished: equal to the node:tls peer\'s', T, async () => {
  for (const [s, c] of BOTH) {
    const p = await securePair(s, c);
    try {
      const ctx = Buffer.from('ctx');
      assert.deepEqual(p.client.exportKeyingMaterial(48, 'EXPERIMENTAL parity', ctx), p.server.exportKeyingMaterial(48, 'EXPERIMENTAL parity', ctx));
      // The context argument is optional (node:tls's typings say otherwise).
      const ekm = (s: typeof p.client) => (s.exportKeyingMaterial as (n: number, l: string) => Buffer).call(s, 16, 'EXPERIMENTAL none');
      assert.deepEqual(ekm(p.client), ekm(p.server));
      assert.ok(p.client.getFinished()!.length >= 32);
      assert.deepEqual(p.client.getFinished(), p.server.getPeerFinished());
      assert.deepEqual(p.client.getPeerFinished(), p.server.getFinished());
    } finally {
      p.close();
    }
  }
});

test('setMaxSendFragment: false outside 512..16384, and the records on the wire really are that small', T, async () => {
  const p = await securePair('node', 'tlsrt');
  const sent = new RecordLog();
  try {
    const transport = (p.client as unknown as { _transport: net.Socket })._transport;
    const write = transport.write.bind(transport) as (d: Uint8Array) => boolean;
    (transport as unknown as { write: (d: Uint8Array) => boolean }).write = (d) => {
      sent.push(d);
      return write(d);
    };
    assert.equal(p.client.setMaxSendFragment(511), false);
    assert.equal(p.client.setMaxSendFragment(16385), false);
    assert.equal(p.client.setMaxSendFragment(512), true);
    const data = randomBytes(5000);
    const got = readBytes(p.server, data.length);
    p.client.write(data);
    assert.ok((await got).equals(data));
    assert.ok(sent.records.length >= 10, 'at least ten records for 5000 bytes');
    assert.ok(sent.maxProtected() <= 512 + 1 + 16, `records of at most 512 bytes of plaintext, got ${sent.maxProtected()}`);
  } finally {
    p.close();
  }
});

test('alpnProtocol (array and wire-format Buffer forms) and servername: as the node:tls peer sees them', T, async () => {
  for (const [s, c] of BOTH) {
    const wire = Buffer.from([1, 0x62, 2, 0x68, 0x32]); // ['b', 'h2']
    const p = await securePair(s, c, { ALPNProtocols: ['h2', 'x'] }, { ALPNProtocols: wire, servername: 'device.example' });
    try {
      assert.equal(p.client.alpnProtocol, 'h2');
      assert.equal(p.server.alpnProtocol, 'h2');
      assert.equal((p.server as unknown as { servername: string }).servername, 'device.example');
      assert.equal((p.client as unknown as { servername: string }).servername, 'device.example');
    } finally {
      p.close();
    }
    const q = await securePair(s, c);
    try {
      assert.equal(q.client.alpnProtocol, false, 'false when no ALPN was negotiated');
      assert.equal((q.server as unknown as { servername: unknown }).servername, false, 'false without SNI');
    } finally {
      q.close();
    }
  }
});

test('disableRenegotiation, renegotiate: the same answers as node:tls (TLS 1.3 has no renegotiation)', T, async () => {
  const answers = async (lib: LibName) => {
    const p = await securePair('node', lib);
    try {
      assert.equal(p.client.disableRenegotiation(), undefined);
      let err: (Error & { code?: string }) | null = null;
      const done = new Promise<void>((r) => {
        const ret = p.client.renegotiate({}, (e) => {
          err = e;
          r();
        });
        assert.equal(ret, false);
      });
      await done;
      return { code: err!.code, reason: err!.message.replace(/^error:[^:]*:/, '') }; // tlsrt has no packed OpenSSL code
    } finally {
      p.close();
    }
  };
  assert.deepEqual(await answers('tlsrt'), await answers('node'));
});

test('getSession, getTLSTicket: undefined (tlsrt issues no tickets; node:tls returns its session)', T, async () => {
  const p = await securePair('tlsrt', 'tlsrt');
  try {
    assert.equal(p.client.getSession(), undefined);
    assert.equal(p.client.getTLSTicket(), undefined);
    assert.equal(p.server.getSession(), undefined);
  } finally {
    p.close();
  }
});

test('Server: address, listening, close, getConnections, setSecureContext', T, async () => {
  const p = await securePair('tlsrt', 'node');
  try {
    assert.equal(p.srv.listening, true);
    assert.equal((p.srv.address() as net.AddressInfo).port, p.port);
    const n = await new Promise<number>((r, j) => p.srv.getConnections((e, c) => (e ? j(e) : r(c))));
    assert.equal(n, 1);
    p.srv.setSecureContext({ pskCallback: () => null, ciphers: 'TLS_AES_128_GCM_SHA256' } as nodeTls.SecureContextOptions);
  } finally {
    p.close();
  }
  await new Promise((r) => p.srv.once('close', r));
});

test('enableTrace() writes a readable handshake trace to stderr (child process)', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-trace-'));
  const file = join(dir, 'trace.mts');
  writeFileSync(file, `
    import tls from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).pathname)};
    const psk = Buffer.alloc(32, 7);
    const server = tls.createServer({ pskCallback: () => psk }, (s) => s.end('bye'));
    server.listen(0, '127.0.0.1', () => {
      const c = tls.connect({ port: server.address().port, host: '127.0.0.1', pskCallback: () => ({ psk, identity: 'id' }) });
      c.enableTrace();
      c.resume();
      c.on('close', () => server.close());
    });
  `);
  const child = spawnPeer(process.execPath, ['--import', 'tsx', file]);
  try {
    assert.equal(await child.exited, 0, child.stderr());
    const trace = child.stderr();
    for (const m of ['ClientHello', 'ServerHello', 'EncryptedExtensions', 'Finished']) assert.match(trace, new RegExp(`Client (Sent|Received).*${m}`));
    assert.match(trace, /Client Sent Record: Handshake, version 0x030[13]/);
  } finally {
    await child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client socket reports a connection failure as error (ECONNREFUSED), then closes', T, async () => {
  const c = tlsrt.connect({ port: 1, host: '127.0.0.1', pskCallback: pskClient() });
  const err = await new Promise<Error & { code?: string }>((r) => c.once('error', r));
  assert.equal(err.code, 'ECONNREFUSED');
  await waitFor(() => c.destroyed, 'the socket to be destroyed');
});
