// tlsrt's connect()/createServer()/TLSSocket options, each shown to do what
// node:tls does with it, against a node:tls peer where one can take part.
// (Split from socket-api.test.ts to keep each file readable.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import { Duplex, PassThrough } from 'node:stream';
import { randomBytes, constants } from 'node:crypto';
import { securePair, readBytes, pskClient, PSK, ID, type LibName } from '../helpers/scenario.ts';
import { RecordLog } from '../helpers/peers.ts';
import tlsrt, { type TLSSocket } from '../../src/index.ts';

const T = { timeout: 30000 }; // hang guard only

test('pskCallback, both roles: the client gets hint null, the server (socket, identity); pskIdentityHint is accepted', T, async () => {
  const seen: unknown[] = [];
  const p = await securePair('tlsrt', 'tlsrt', {
    pskIdentityHint: 'ignored in TLS 1.3',
    pskCallback(socket: TLSSocket, identity: string) {
      seen.push(socket instanceof tlsrt.TLSSocket, identity);
      return PSK;
    },
  }, {
    pskCallback(hint: string | null) {
      seen.push(hint);
      return { psk: PSK, identity: ID };
    },
  });
  p.close();
  assert.deepEqual(seen, [null, true, ID]);
});

test('server pskCallback may return a Promise: resolved after 200 ms, while another connection completes meanwhile', T, async () => {
  const order: string[] = [];
  let fastDone!: () => void;
  const fast = new Promise<void>((r) => (fastDone = r));
  const server = tlsrt.createServer({
    pskCallback: (_s: unknown, identity: string) => {
      if (identity === 'fast') return PSK;
      return new Promise((resolve) => setTimeout(() => fast.then(() => resolve(PSK)), 200));
    },
  }, (s) => {
    s.end();
    s.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const connect = (identity: string) => new Promise<void>((resolve, reject) => {
      const c = nodeTls.connect({ port, host: '127.0.0.1', pskCallback: () => ({ psk: PSK, identity }), checkServerIdentity: () => undefined }, () => {
        order.push(identity);
        c.resume();
        c.on('close', resolve);
      });
      c.on('error', reject);
    });
    const slow = connect('slow');
    await connect('fast');
    fastDone();
    await slow;
    assert.deepEqual(order, ['fast', 'slow']);
  } finally {
    server.close();
  }
});

test('ciphers: OpenSSL syntax with TLS 1.3 names picks the suite; an unknown name throws ERR_SSL_NO_CIPHER_MATCH like node:tls', T, async () => {
  const p = await securePair('node', 'tlsrt', {}, { ciphers: 'TLS_AES_128_CCM_SHA256:TLS_AES_128_GCM_SHA256:PSK-AES128-GCM-SHA256' });
  try {
    assert.equal(p.client.getCipher()?.name, 'TLS_AES_128_GCM_SHA256', 'the node:tls server does not enable CCM by default');
  } finally {
    p.close();
  }
  const q = await securePair('tlsrt', 'node', { ciphers: 'TLS_AES_128_CCM_8_SHA256' }, { ciphers: 'TLS_AES_128_CCM_8_SHA256' });
  assert.equal(q.server.getCipher()?.name, 'TLS_AES_128_CCM_8_SHA256');
  q.close();
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return 'no error';
  };
  for (const ciphers of ['NOT_A_CIPHER', 'TLS_AES_999_SHA256']) {
    assert.equal(code(() => tlsrt.connect({ port: 1, ciphers, pskCallback: pskClient() })), code(() => nodeTls.connect({ port: 1, ciphers })));
    assert.equal(code(() => tlsrt.createServer({ ciphers })), code(() => nodeTls.createServer({ ciphers })));
  }
  assert.equal(code(() => tlsrt.createServer({ ciphers: 'NOT_A_CIPHER' })), 'ERR_SSL_NO_CIPHER_MATCH');
});

test('minVersion/maxVersion: a range reaching TLS 1.3 speaks TLS 1.3; maxVersion TLSv1.2 with PSK suites speaks TLS 1.2; bad names as node:tls', T, async () => {
  const p = await securePair('node', 'tlsrt', {}, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  assert.equal(p.client.getProtocol(), 'TLSv1.3');
  p.close();
  const q = await securePair('node', 'tlsrt', { ciphers: 'PSK-AES128-GCM-SHA256' }, { ciphers: 'PSK-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' });
  assert.equal(q.client.getProtocol(), 'TLSv1.2');
  assert.equal(q.server.getProtocol(), 'TLSv1.2');
  q.close();
  const nodeErr = (() => {
    try {
      nodeTls.createSecureContext({ minVersion: 'TLSv9' as 'TLSv1.3' });
    } catch (e) {
      return e as Error & { code?: string };
    }
  })();
  assert.throws(() => tlsrt.createSecureContext({ minVersion: 'TLSv9' }), { code: nodeErr!.code, name: nodeErr!.name });
});

test('ALPNCallback picks the protocol from the client\'s list; SNICallback is called with the name', T, async () => {
  for (const cli of ['node', 'tlsrt'] as LibName[]) {
    const calls: unknown[] = [];
    const p = await securePair('tlsrt', cli, {
      ALPNCallback: ({ servername, protocols }: { servername: string; protocols: string[] }) => {
        calls.push(servername, protocols);
        return protocols[1];
      },
      SNICallback: (name: string, cb: (e: Error | null, ctx?: unknown) => void) => {
        calls.push(`sni:${name}`);
        cb(null, tlsrt.createSecureContext({}));
      },
    }, { ALPNProtocols: ['one', 'two'], servername: 'dev.example' });
    try {
      assert.deepEqual(calls, ['sni:dev.example', 'dev.example', ['one', 'two']]);
      assert.equal(p.client.alpnProtocol, 'two');
      assert.equal(p.server.alpnProtocol, 'two');
    } finally {
      p.close();
    }
  }
  assert.throws(() => tlsrt.createServer({ ALPNCallback: () => 'a', ALPNProtocols: ['a'] }), { code: 'ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS' });
});

test('highWaterMark sets both stream marks, as node:tls', T, async () => {
  for (const [s, c] of [['node', 'node'], ['node', 'tlsrt']] as [LibName, LibName][]) {
    const p = await securePair(s, c, {}, { highWaterMark: 1000 });
    assert.deepEqual([p.client.readableHighWaterMark, p.client.writableHighWaterMark], [1000, 1000], c);
    p.close();
  }
});

test('allowHalfOpen: true keeps the writable side open after the peer\'s end; false ends it', T, async () => {
  for (const cli of ['node', 'tlsrt'] as LibName[]) {
    const p = await securePair('tlsrt', cli, { allowHalfOpen: true });
    try {
      const reply = readBytes(p.client, 4);
      p.server.once('end', () => {
        assert.equal(p.server.writableEnded, false);
        p.server.end('late');
      });
      p.server.resume();
      p.client.end();
      assert.equal((await reply).toString(), 'late');
    } finally {
      p.close();
    }
  }
  const q = await securePair('tlsrt', 'node');
  const ended = new Promise((r) => q.server.once('end', r));
  q.server.resume();
  q.client.end();
  await ended;
  assert.equal(q.server.writableEnded, true);
  q.close();
});

/** Two Duplex streams joined back to back (stream.duplexPair where Node has it, else two PassThroughs). */
function duplexPair(): [Duplex, Duplex] {
  const end = (from: PassThrough, to: PassThrough): Duplex => {
    const d = new Duplex({
      read: () => from.resume(),
      write: (chunk, _e, cb) => to.write(chunk, cb),
      final: (cb) => {
        to.end();
        cb();
      },
    });
    from.on('data', (x) => d.push(x) || from.pause());
    from.on('end', () => d.push(null));
    return d;
  };
  const ab = new PassThrough();
  const ba = new PassThrough();
  return [end(ba, ab), end(ab, ba)];
}

test('socket option: an existing connected net.Socket', T, async () => {
  const server = nodeTls.createServer({ pskCallback: () => PSK }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const raw = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    const c = tlsrt.connect({ socket: raw, pskCallback: pskClient() });
    await new Promise((r) => c.once('secureConnect', r));
    const echo = readBytes(c, 3);
    c.write('abc');
    assert.equal((await echo).toString(), 'abc');
    assert.equal(c.remotePort, raw.remotePort);
    c.destroy();
  } finally {
    server.close();
  }
});

test('socket option: a generic Duplex pair, tlsrt client with a node:tls or tlsrt server TLSSocket', T, async () => {
  for (const lib of [nodeTls, tlsrt] as (typeof nodeTls)[]) {
    const [a, b] = duplexPair();
    const server = new lib.TLSSocket(b as net.Socket, { isServer: true, pskCallback: () => PSK } as nodeTls.TLSSocketOptions);
    server.on('secure', () => server.pipe(server));
    const c = tlsrt.connect({ socket: a, pskCallback: pskClient() });
    await new Promise((r) => c.once('secureConnect', r));
    const echo = readBytes(c, 5);
    c.write('duplx');
    assert.equal((await echo).toString(), 'duplx');
    assert.deepEqual(c.address(), {}, 'no address without a net.Socket, like node:tls');
    c.destroy();
    server.destroy();
  }
});

test('secureOptions SSL_OP_ALLOW_NO_DHE_KEX allows psk_ke; pskKeyExchangeModes [\'psk_ke\'] asks for it', T, async () => {
  const allow = { secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX };
  // Allowing is not preferring: node:tls and tlsrt clients with the option both get psk_dhe_ke from OpenSSL 3.0.
  for (const c of ['node', 'tlsrt'] as LibName[]) {
    const p = await securePair('node', c, allow, allow);
    assert.equal((p.client.getEphemeralKeyInfo() as { name?: string })?.name, 'X25519', c);
    p.close();
  }
  const ke = await securePair('node', 'tlsrt', allow, { pskKeyExchangeModes: ['psk_ke'] });
  assert.deepEqual(ke.client.getEphemeralKeyInfo(), {});
  ke.close();
  const dflt = await securePair('node', 'tlsrt');
  assert.equal((dflt.client.getEphemeralKeyInfo() as { name?: string })?.name, 'X25519', 'default: psk_dhe_ke');
  dflt.close();
  assert.throws(() => tlsrt.connect({ port: 1, pskKeyExchangeModes: ['psk_xx'], pskCallback: pskClient() }), { code: 'ERR_INVALID_ARG_VALUE' });
});

test('maxFragmentLength 512 against a node:tls server: the records it sends are that small on the wire', T, async () => {
  const p = await securePair('node', 'tlsrt', {}, { maxFragmentLength: 512 });
  const inbound = new RecordLog();
  (p.client as unknown as { _transport: net.Socket })._transport.on('data', (d: Buffer) => inbound.push(d));
  try {
    const data = randomBytes(20000);
    const got = readBytes(p.client, data.length);
    p.server.write(data);
    assert.ok((await got).equals(data));
    assert.ok(inbound.records.length >= 40, 'at least 40 records for 20000 bytes');
    assert.ok(inbound.maxProtected() <= 512 + 1 + 16, `records of at most 512 bytes of plaintext, got ${inbound.maxProtected()}`);
  } finally {
    p.close();
  }
});

test('a tlsrt server configured with maxFragmentLength never sends it unasked: a node:tls client (which does not ask) connects', T, async () => {
  // RFC 6066 §4: only the client requests; OpenSSL refuses an unsolicited
  // max_fragment_length with unsupported_extension (ERR_SSL_UNSOLICITED_EXTENSION).
  const p = await securePair('tlsrt', 'node', { maxFragmentLength: 512 }, {});
  try {
    const data = randomBytes(5000);
    const got = readBytes(p.client, data.length);
    p.server.write(data);
    assert.ok((await got).equals(data), 'data flows');
  } finally {
    p.close();
  }
});

test('recordSizeLimit against a node:tls server: OpenSSL 3.0 ignores RFC 8449, so the limit binds nobody and data flows', T, async () => {
  const p = await securePair('node', 'tlsrt', {}, { recordSizeLimit: 1024 });
  try {
    const small = readBytes(p.client, 1000);
    p.server.write(randomBytes(1000));
    assert.equal((await small).length, 1000, 'records within the limit pass');
    // Without the server's record_size_limit in EncryptedExtensions the limit was
    // never agreed (RFC 8449 §4): full-size records are accepted (this engine's
    // buffers hold them; a board's would need max_fragment_length instead).
    const big = randomBytes(20000);
    const got = readBytes(p.client, big.length);
    p.server.write(big);
    assert.ok((await got).equals(big));
  } finally {
    p.close();
  }
});

test('handshakeTimeout: tlsClientError ERR_TLS_HANDSHAKE_TIMEOUT for a client that never speaks', T, async () => {
  const server = tlsrt.createServer({ pskCallback: () => PSK, handshakeTimeout: 50 });
  const err = new Promise<Error & { code?: string }>((r) => server.once('tlsClientError', r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const raw = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  raw.on('error', () => {});
  try {
    assert.equal((await err).code, 'ERR_TLS_HANDSHAKE_TIMEOUT');
  } finally {
    raw.destroy();
    server.close();
  }
});

test('handshakeTimeout: each silent client times out a full timeout after its own connection, around completed handshakes (one server timer)', T, async () => {
  const MS = 150;
  const server = tlsrt.createServer({ pskCallback: () => PSK, handshakeTimeout: MS });
  const started = new Map<net.Socket, number>(); // server-side raw socket -> when the server saw it
  server.on('connection', (s: net.Socket) => started.set(s, performance.now()));
  const timedOut: { code?: string; after: number }[] = [];
  const twoErrors = new Promise<void>((resolve) => {
    server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
      timedOut.push({ code: err.code, after: performance.now() - started.get(socket._transport as net.Socket)! });
      if (timedOut.length === 2) resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = () => new Promise<void>((r) => server.once('connection', () => r()));
  const silent: net.Socket[] = [];
  try {
    // A silent client, then a complete handshake (its deadline leaves early), then another silent one.
    let a = accepted();
    silent.push(net.connect(port, '127.0.0.1').on('error', () => {}));
    await a;
    const done = new Promise<void>((r) => server.once('secureConnection', (s: TLSSocket) => { s.destroy(); r(); }));
    const c = tlsrt.connect({ port, host: '127.0.0.1', pskCallback: () => ({ psk: PSK, identity: ID }) });
    c.on('error', () => {});
    await done;
    c.destroy();
    a = accepted();
    silent.push(net.connect(port, '127.0.0.1').on('error', () => {}));
    await a;
    await twoErrors;
    assert.deepEqual(timedOut.map((e) => e.code), ['ERR_TLS_HANDSHAKE_TIMEOUT', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
    // Not before its own deadline (timers may fire up to a millisecond early by this clock).
    for (const e of timedOut) assert.ok(e.after >= MS - 2, `timed out ${e.after.toFixed(1)} ms after connecting`);
  } finally {
    for (const s of silent) s.destroy();
    server.close();
  }
});

test('enableTrace option is accepted on both roles (the trace itself: socket-api.test.ts)', T, async () => {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((c: string) => ((text += c), true)) as typeof process.stderr.write;
  try {
    const p = await securePair('tlsrt', 'tlsrt', { enableTrace: true }, { enableTrace: true });
    p.close();
  } finally {
    process.stderr.write = write;
  }
  assert.match(text, /Server Received Handshake: ClientHello/);
  assert.match(text, /Client Received Handshake: Finished/);
});
