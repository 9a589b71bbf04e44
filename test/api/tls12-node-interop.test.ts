// TLS 1.2 PSK between tlsrt and node:tls, both roles, every TLS 1.2 suite
// both implement, with and without an identity hint: the handshake's facts
// as both ends report them (protocol, cipher names, Finished, exported keys,
// key-log lines, the hint the client's pskCallback got) must agree with each
// other and with what node:tls reports on both ends of the same case; and
// the failures (wrong key, unknown identity, no shared cipher, version
// mismatch, no PSK from the client) must give on each end the error code
// node:tls gives there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, constants } from 'node:crypto';
import net from 'node:net';
import { runPair, LIB, type LibName, type PairOptions, type PairResult } from '../helpers/tls12-pair.ts';

const KEY = randomBytes(32);
const ID = 'device-0001';
const SUITES = ['PSK-AES128-GCM-SHA256', 'PSK-AES256-GCM-SHA384', 'PSK-CHACHA20-POLY1305', 'ECDHE-PSK-CHACHA20-POLY1305', 'PSK-AES128-CCM', 'PSK-AES128-CCM8'];
const PAIRS: [LibName, LibName][] = [['tlsrt', 'node'], ['node', 'tlsrt']];

const good = (o: Partial<PairOptions> = {}): PairOptions => ({
  server: {},
  client: {},
  serverKey: (id) => (id === ID ? KEY : null),
  clientKey: () => ({ psk: KEY, identity: ID }),
  ...o,
});

/** The facts both ends must agree on, and agree with node:tls on both ends about. */
function check(r: PairResult, ref: PairResult, what: string): void {
  assert.equal(r.client.error, undefined, `${what}: client error ${r.client.error} ${r.client.errorMessage ?? ''}`);
  assert.equal(r.server.error, undefined, `${what}: server error ${r.server.error} ${r.server.errorMessage ?? ''}`);
  assert.equal(r.client.echoed, 'ping', what);
  for (const end of ['client', 'server'] as const) {
    assert.equal(r[end].protocol, ref[end].protocol, `${what}: ${end} getProtocol()`);
    assert.deepEqual(r[end].cipher, ref[end].cipher, `${what}: ${end} getCipher()`);
    assert.equal(r[end].reused, ref[end].reused, `${what}: ${end} isSessionReused()`);
    assert.deepEqual(r[end].ephemeral, ref[end].ephemeral, `${what}: ${end} getEphemeralKeyInfo()`);
    assert.equal(r[end].finished?.length, ref[end].finished?.length, `${what}: ${end} getFinished() length`);
  }
  assert.equal(r.client.finished, r.server.peerFinished, `${what}: client Finished`);
  assert.equal(r.server.finished, r.client.peerFinished, `${what}: server Finished`);
  // RFC 5705 exporter, with a context and without (TLS 1.2 tells the two apart).
  assert.equal(r.client.exported, r.server.exported, `${what}: exportKeyingMaterial with a context`);
  assert.equal(r.client.exportedNoContext, r.server.exportedNoContext, `${what}: exportKeyingMaterial without a context`);
  assert.notEqual(r.client.exported?.slice(0, 40), r.client.exportedNoContext, what);
  assert.deepEqual(r.client.hints, ref.client.hints, `${what}: the client's pskCallback hints`);
  assert.deepEqual(r.server.identities, ref.server.identities, `${what}: the server's pskCallback identities`);
  // Key log: the labels node logs (TLS 1.2: one CLIENT_RANDOM line), the same lines on both ends.
  // (In TLS 1.3 the order of the lines is not node's: the engine logs each secret when it derives it.)
  const labels = (k: string[]) => k.map((l) => l.split(' ')[0]).sort();
  assert.deepEqual(labels(r.client.keylog), labels(ref.client.keylog), `${what}: client keylog`);
  assert.deepEqual([...r.server.keylog].sort(), [...r.client.keylog].sort(), `${what}: both ends log the same secrets`);
  if (ref.client.protocol === 'TLSv1.2') assert.match(r.client.keylog[0], /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/, what);
}

for (const suite of SUITES) {
  for (const hint of [undefined, 'fleet-7']) {
    test(`TLS 1.2 ${suite}${hint ? ' with an identity hint' : ''}: tlsrt and node:tls agree in both roles`, { timeout: 30000 }, async () => {
      const o = good({ server: { ciphers: suite, pskIdentityHint: hint }, client: { ciphers: suite, maxVersion: 'TLSv1.2' } });
      const ref = await runPair('node', 'node', o);
      assert.equal(ref.client.protocol, 'TLSv1.2');
      assert.deepEqual(ref.client.hints, [hint ?? null], 'node:tls passes the hint (null without one)');
      for (const [c, s] of PAIRS) check(await runPair(c, s, o), ref, `${c} -> ${s}`);
    });
  }
}

test('TLS 1.2 ECDHE-PSK over P-256 (ecdhCurve), both roles: the group node:tls reports', { timeout: 30000 }, async () => {
  for (const [sc, cc] of [['P-256', 'P-256'], ['P-256', 'X25519:P-256'], ['X25519:P-256', 'P-256']]) {
    const o = good({ server: { ciphers: 'ECDHE-PSK-CHACHA20-POLY1305', ecdhCurve: sc }, client: { ciphers: 'ECDHE-PSK-CHACHA20-POLY1305', maxVersion: 'TLSv1.2', ecdhCurve: cc } });
    const ref = await runPair('node', 'node', o);
    assert.deepEqual(ref.client.ephemeral, { type: 'ECDH', name: 'prime256v1', size: 256 });
    for (const [c, s] of PAIRS) check(await runPair(c, s, o), ref, `${c} -> ${s} server ${sc} client ${cc}`);
  }
});

test('a client allowing TLS 1.2 and 1.3 against a TLS 1.2-only server: pskCallback(null) for the 1.3 offer, then (hint) for 1.2, as node:tls', { timeout: 30000 }, async () => {
  const o = good({ server: { ciphers: 'PSK-AES128-GCM-SHA256', maxVersion: 'TLSv1.2', pskIdentityHint: 'h1' }, client: { ciphers: 'PSK-AES128-GCM-SHA256' } });
  const ref = await runPair('node', 'node', o);
  assert.deepEqual(ref.client.hints, [null, 'h1']);
  for (const [c, s] of PAIRS) check(await runPair(c, s, o), ref, `${c} -> ${s}`);
});

test('both ends allowing 1.2 and 1.3 with PSK suites of both: TLS 1.3 is chosen, as node:tls', { timeout: 30000 }, async () => {
  const o = good({ server: { ciphers: 'PSK-AES128-GCM-SHA256' }, client: { ciphers: 'PSK-AES128-GCM-SHA256' } });
  const ref = await runPair('node', 'node', o);
  assert.equal(ref.client.protocol, 'TLSv1.3');
  for (const [c, s] of PAIRS) {
    const r = await runPair(c, s, o);
    assert.equal(r.client.protocol, 'TLSv1.3', `${c} -> ${s}`);
    assert.equal(r.server.protocol, 'TLSv1.3', `${c} -> ${s}`);
    assert.equal(r.client.reused, ref.client.reused, `${c} -> ${s}: isSessionReused() as node on TLS 1.3`);
  }
});

const P12 = { ciphers: 'PSK-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' };

test('secureOptions SSL_OP_NO_TLSv1_3, secureProtocol TLSv1_2_method / TLS_method: the versions node:tls speaks', { timeout: 30000 }, async () => {
  const both = { ciphers: 'TLS_AES_128_GCM_SHA256:PSK-AES128-GCM-SHA256' };
  for (const copts of [{ ...both, secureOptions: constants.SSL_OP_NO_TLSv1_3 }, { ...both, secureProtocol: 'TLSv1_2_method' }, { ...both, secureProtocol: 'TLS_method' }]) {
    const o = good({ server: both, client: copts });
    const ref = await runPair('node', 'node', o);
    for (const [c, s] of PAIRS) check(await runPair(c, s, o), ref, `${c} -> ${s} ${JSON.stringify(copts)}`);
  }
});
const FAILURES: { name: string; o: PairOptions; differs?: Partial<Record<'client' | 'server', string>> }[] = [
  { name: 'wrong key', o: good({ server: P12, client: P12, clientKey: () => ({ psk: randomBytes(32), identity: ID }) }) },
  { name: 'wrong key, ECDHE-PSK', o: good({ server: { ciphers: 'ECDHE-PSK-CHACHA20-POLY1305' }, client: { ciphers: 'ECDHE-PSK-CHACHA20-POLY1305', maxVersion: 'TLSv1.2' }, clientKey: () => ({ psk: randomBytes(32), identity: ID }) }) },
  { name: 'unknown identity', o: good({ server: P12, client: P12, clientKey: () => ({ psk: KEY, identity: 'stranger' }) }) },
  { name: 'client pskCallback returns null', o: good({ server: { ...P12, pskIdentityHint: 'h' }, client: P12, clientKey: () => null }) },
  { name: 'no shared cipher', o: good({ server: P12, client: { ciphers: 'PSK-AES256-GCM-SHA384', maxVersion: 'TLSv1.2' } }) },
  { name: 'server TLS 1.3 only, client TLS 1.2 only', o: good({ server: { ciphers: 'PSK-AES128-GCM-SHA256', minVersion: 'TLSv1.3' }, client: P12 }) },
  { name: 'server TLS 1.2 only, client TLS 1.3 only', o: good({ server: P12, client: { ciphers: 'PSK-AES128-GCM-SHA256', minVersion: 'TLSv1.3' } }) },
  { name: 'client range without TLS 1.2/1.3 (maxVersion TLSv1.1)', o: good({ server: P12, client: { ...P12, maxVersion: 'TLSv1.1' } }) },
  { name: 'client minVersion above maxVersion', o: good({ server: P12, client: { ...P12, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' } }) },
  { name: 'client TLS 1.2 only with only TLS 1.3 suites', o: good({ server: P12, client: { ciphers: 'TLS_AES_128_GCM_SHA256', maxVersion: 'TLSv1.2' } }) },
  { name: 'client pskCallback(hint) returns a psk that is not a buffer', o: good({ server: { ...P12, pskIdentityHint: 'h' }, client: P12, clientKey: () => ({ psk: 'x' as unknown as Buffer, identity: ID }) }) },
  { name: 'client pskCallback(hint) returns an identity over 256 bytes', o: good({ server: P12, client: P12, clientKey: () => ({ psk: KEY, identity: 'i'.repeat(257) }) }) },
  { name: 'client pskCallback(hint) throws', o: good({ server: P12, client: P12, clientKey: () => { throw Object.assign(new Error('no key for you'), { code: 'E_APP' }); } }) },
  { name: 'server range without TLS 1.2/1.3 (maxVersion TLSv1.1)', o: good({ server: { ...P12, maxVersion: 'TLSv1.1' }, client: P12 }) },
  { name: 'server TLS 1.2 only with only TLS 1.3 suites', o: good({ server: { ciphers: 'TLS_AES_128_GCM_SHA256', maxVersion: 'TLSv1.2' }, client: P12 }) },
  { name: 'identity hint over 256 bytes', o: good({ server: { ...P12, pskIdentityHint: 'h'.repeat(300) }, client: P12 }) },
  { name: 'server secureProtocol for the other role', o: good({ server: { ciphers: P12.ciphers, secureProtocol: 'TLSv1_2_client_method' }, client: P12 }) },
];

for (const f of FAILURES) {
  test(`TLS 1.2 failure, ${f.name}: each end reports node:tls's error code`, { timeout: 30000 }, async () => {
    const ref = await runPair('node', 'node', f.o);
    assert.ok(ref.client.error || ref.server.error, 'node:tls fails this case');
    for (const [c, s] of PAIRS) {
      const r = await runPair(c, s, f.o);
      const tlsrtEnd = c === 'tlsrt' ? 'client' : 'server';
      assert.equal(r[tlsrtEnd].error, ref[tlsrtEnd].error, `${c} -> ${s}: tlsrt's ${tlsrtEnd} (${r[tlsrtEnd].errorMessage})`);
      const nodeEnd = tlsrtEnd === 'client' ? 'server' : 'client';
      assert.equal(r[nodeEnd].error, ref[nodeEnd].error, `${c} -> ${s}: node's ${nodeEnd} facing tlsrt (${r[nodeEnd].errorMessage})`);
      assert.equal(r.client.echoed, '', 'no data after a failed handshake');
    }
  });
}

/** A TLS 1.2 PSK client by `lib` with these options against a node:tls server: what tls.connect's checks made of it. */
function identityCheck(lib: LibName, copts: Record<string, unknown>): Promise<{ error?: string; message?: string; authorized?: boolean; authorizationError?: unknown; calls: unknown[]; renegotiated?: [boolean | undefined, string | undefined] }> {
  const calls: unknown[] = [];
  return new Promise((resolve) => {
    const server = LIB.node.createServer({ ...P12, pskCallback: () => KEY } as never, (s) => s.resume());
    server.listen(0, '127.0.0.1', () => {
      const out: Awaited<ReturnType<typeof identityCheck>> = { calls };
      const csi = copts.checkServerIdentity as ((...a: unknown[]) => unknown) | undefined;
      const c = LIB[lib].connect({
        ...P12, port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', pskCallback: () => ({ psk: KEY, identity: ID }), ...copts,
        ...(csi ? { checkServerIdentity: (...a: unknown[]) => (calls.push(a), csi(...a)) } : {}),
      } as never, () => {
        out.authorized = c.authorized;
        out.authorizationError = c.authorizationError;
        c.end();
      });
      c.on('error', (e: Error & { code?: string }) => {
        out.error = e.code;
        out.message = e.message;
      });
      c.on('close', () => {
        server.close();
        resolve(out);
      });
    });
  });
}

test('TLS 1.2 PSK is no resumed session: tls.connect runs checkServerIdentity(host, {}) as node:tls, with its errors', { timeout: 30000 }, async () => {
  const cases: Record<string, unknown>[] = [
    {}, // node's default check: ERR_TLS_CERT_ALTNAME_INVALID for 127.0.0.1
    { servername: 'gw.example' },
    { rejectUnauthorized: false },
    { checkServerIdentity: () => undefined },
    { checkServerIdentity: () => Object.assign(new Error('nope'), { code: 'E_APP' }) },
  ];
  for (const copts of cases) {
    const ref = await identityCheck('node', copts);
    const r = await identityCheck('tlsrt', copts);
    assert.deepEqual(r, ref, JSON.stringify(copts));
  }
  assert.equal((await identityCheck('node', {})).error, 'ERR_TLS_CERT_ALTNAME_INVALID', 'the case is what it says');
});

test('TLS 1.2 renegotiate(): tlsrt refuses it (false, ERR_SSL_NO_RENEGOTIATION), the connection carries on', { timeout: 30000 }, async () => {
  const o = good({ server: P12, client: P12 });
  const server = LIB.node.createServer({ ...o.server, pskCallback: () => KEY } as never, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const c = LIB.tlsrt.connect({ ...P12, port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', checkServerIdentity: () => undefined, pskCallback: () => ({ psk: KEY, identity: ID }) } as never);
    await new Promise((r) => c.once('secureConnect', r));
    const err = await new Promise<Error & { code?: string }>((resolve) => assert.equal(c.renegotiate({}, (e) => resolve(e as Error)), false));
    assert.equal(err.code, 'ERR_SSL_NO_RENEGOTIATION');
    c.write('still here');
    const back = await new Promise<string>((r) => c.once('data', (d: Buffer) => r(d.toString())));
    assert.equal(back, 'still here');
    c.end();
  } finally {
    server.close();
  }
});

test('documented difference (docs/node-parity.md): default ciphers facing a TLS 1.2-only PSK peer', { timeout: 30000 }, async () => {
  // node:tls's default list offers TLS 1.2 certificate suites, tlsrt's offers no TLS 1.2 at all.
  const clientDefault = good({ server: P12, client: {} });
  const ref = await runPair('node', 'node', clientDefault);
  assert.deepEqual([ref.server.error, ref.client.error], ['ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE']);
  const r = await runPair('tlsrt', 'node', clientDefault);
  assert.deepEqual([r.server.error, r.client.error], ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION']);
  const serverDefault = good({ server: {}, client: P12 });
  const ref2 = await runPair('node', 'node', serverDefault);
  assert.deepEqual([ref2.server.error, ref2.client.error], ['ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE']);
  const r2 = await runPair('node', 'tlsrt', serverDefault);
  assert.deepEqual([r2.server.error, r2.client.error], ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION']);
});

test('new TLSSocket(accepted, { isServer, secureContext, pskCallback, pskIdentityHint }): the hint reaches a TLS 1.2 client, as with node:tls', { timeout: 30000 }, async () => {
  for (const lib of ['node', 'tlsrt'] as LibName[]) {
    const raw = net.createServer((s) => {
      const t = new LIB[lib].TLSSocket(s, {
        isServer: true, server: raw, secureContext: LIB[lib].createSecureContext({ ciphers: P12.ciphers }),
        pskCallback: () => KEY, pskIdentityHint: 'via-socket',
      } as never);
      t.on('error', () => {});
      t.on('secure', () => t.end('ok'));
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const hints: (string | null)[] = [];
      const c = LIB.node.connect({
        ...P12, port: (raw.address() as net.AddressInfo).port, host: '127.0.0.1', checkServerIdentity: () => undefined,
        pskCallback: (h: string | null) => (hints.push(h), { psk: KEY, identity: ID }),
      });
      const got = await new Promise<string>((resolve, reject) => {
        let d = '';
        c.on('data', (x: Buffer) => (d += x));
        c.on('end', () => resolve(d));
        c.on('error', reject);
      });
      assert.equal(got, 'ok', lib);
      assert.deepEqual(hints, ['via-socket'], lib);
    } finally {
      raw.close();
    }
  }
});
