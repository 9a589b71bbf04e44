// Engine against engine: every suite x PSK mode (psk_dhe_ke in each group)
// x fragment size, both roles in one instance, with the checks a handshake
// must pass: same keys (both Finished values and the exporter agree), data
// both ways, key-log lines; and the group negotiation (HelloRetryRequest to
// the server's preferred group).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import { SUITES, type KxMode } from '../../src/engine/config.ts';
import { side, shuttle, sendAll, kinds } from '../helpers/engine.ts';

const PSK = randomBytes(32);
const ID = Buffer.from('device-0001');
const engine = new Engine({ slots: 8 });

function pair(opts: { suite: string; mode: KxMode; frag?: number; hrr?: boolean; keylog?: boolean; groups?: string[]; serverGroups?: string[] }) {
  const pskHash = opts.suite.endsWith('SHA384') ? 'sha384' : 'sha256';
  const client = side(engine.open('client', {
    suites: [opts.suite], kxModes: [opts.mode], pskIdentity: ID, psk: PSK, pskHash, keylog: opts.keylog,
    maxSendFragment: opts.frag, groups: opts.groups,
  }));
  const server = side(engine.open('server', {
    kxModes: ['psk_ke', 'psk_dhe_ke'], pskHash, forceHrr: opts.hrr, keylog: opts.keylog, maxSendFragment: opts.frag,
    groups: opts.serverGroups,
  }), (ev) => ({ psk: ev.identity.equals(ID) ? PSK : null }));
  return { client, server };
}

/** psk_ke, and psk_dhe_ke in each (EC)DHE group (the client offers only that group). */
const KX: [KxMode, string | undefined][] = [['psk_ke', undefined], ['psk_dhe_ke', 'x25519'], ['psk_dhe_ke', 'secp256r1']];

// TLS 1.3 suites (the TLS 1.2 ones have their own matrix: tls12.test.ts / interop-tls12.test.ts).
for (const suite of Object.keys(SUITES).filter((n) => SUITES[n] >= 0x1301 && SUITES[n] <= 0x13ff)) {
  for (const [mode, group] of KX) {
    for (const frag of [512, 1024, 4096, 16384]) {
      test(`${suite} ${mode}${group ? ` ${group}` : ''} fragment ${frag}: handshake, keys agree, 40 KiB each way`, () => {
        const { client, server } = pair({ suite, mode, frag, groups: group ? [group] : undefined });
        shuttle(client, server);
        assert.deepEqual(kinds(client), ['handshake']);
        assert.deepEqual(kinds(server), ['clientHello', 'handshake']);
        for (const c of [client.conn, server.conn]) {
          assert.equal(c.state, 'open');
          assert.equal(c.suite, suite);
          assert.equal(c.kx, mode);
          assert.equal(c.group, group);
          assert.equal(c.helloRetried, false);
        }
        assert.ok(client.conn.clientFinished.equals(server.conn.clientFinished));
        assert.ok(client.conn.serverFinished.equals(server.conn.serverFinished));
        assert.ok(!client.conn.clientFinished.equals(client.conn.serverFinished));
        const ctx = randomBytes(7);
        assert.ok(client.conn.exportKeyingMaterial(42, 'EXPERIMENTAL x', ctx).equals(server.conn.exportKeyingMaterial(42, 'EXPERIMENTAL x', ctx)));

        const up = randomBytes(40 * 1024 + 3);
        const down = randomBytes(40 * 1024 + 5);
        const outBefore = client.conn.records.out;
        sendAll(client, server, up);
        sendAll(server, client, down);
        assert.ok(Buffer.concat(server.app).equals(up));
        assert.ok(Buffer.concat(client.app).equals(down));
        // Records never carry more than the fragment size.
        assert.ok(client.conn.records.out - outBefore >= Math.ceil(up.length / frag));
        client.conn.close();
        server.conn.close();
      });
    }
  }
}

test('HelloRetryRequest with a cookie: the client answers and the handshake completes', () => {
  const { client, server } = pair({ suite: 'TLS_AES_128_GCM_SHA256', mode: 'psk_dhe_ke', hrr: true });
  shuttle(client, server);
  assert.equal(client.conn.state, 'open');
  assert.equal(server.conn.state, 'open');
  assert.ok(client.conn.helloRetried && server.conn.helloRetried);
  sendAll(client, server, Buffer.from('after hrr'));
  assert.equal(Buffer.concat(server.app).toString(), 'after hrr');
  client.conn.close();
  server.conn.close();
});

test('groups: the server takes a share in one of its groups (its preference among them), else asks for its best listed group with a HelloRetryRequest', () => {
  const cases: { client?: string[]; server?: string[]; group: string; hrr: boolean }[] = [
    { group: 'x25519', hrr: false }, // defaults: x25519 first on both sides
    { client: ['secp256r1'], group: 'secp256r1', hrr: false }, // a P-256-only client (a secure element)
    { client: ['secp256r1', 'x25519'], group: 'secp256r1', hrr: false }, // share in P-256: usable, no round trip
    { server: ['secp256r1', 'x25519'], group: 'x25519', hrr: false }, // share in X25519: usable too
    { server: ['secp256r1'], group: 'secp256r1', hrr: true }, // HRR from X25519 to P-256
    { client: ['secp256r1', 'x25519'], server: ['x25519'], group: 'x25519', hrr: true }, // HRR from P-256 to X25519
  ];
  for (const c of cases) {
    const what = JSON.stringify(c);
    const { client, server } = pair({ suite: 'TLS_AES_128_GCM_SHA256', mode: 'psk_dhe_ke', groups: c.client, serverGroups: c.server });
    shuttle(client, server);
    assert.equal(client.conn.state, 'open', what);
    assert.equal(server.conn.state, 'open', what);
    for (const s of [client, server]) {
      assert.equal(s.conn.group, c.group, what);
      assert.equal(s.conn.helloRetried, c.hrr, what);
    }
    assert.ok(client.conn.clientFinished.equals(server.conn.clientFinished));
    sendAll(client, server, Buffer.from('after'));
    assert.equal(Buffer.concat(server.app).toString(), 'after');
    client.conn.close();
    server.conn.close();
  }
});

test('groups: no group in common is handshake_failure (psk_dhe_ke only), or psk_ke when both allow it', () => {
  const a = pair({ suite: 'TLS_AES_128_GCM_SHA256', mode: 'psk_dhe_ke', groups: ['secp256r1'], serverGroups: ['x25519'] });
  shuttle(a.client, a.server);
  assert.deepEqual(a.server.conn.failure, { reason: 'no_shared_group', alert: 40, local: true });
  a.client.conn.close();
  a.server.conn.close();
  const client = side(engine.open('client', { kxModes: ['psk_dhe_ke', 'psk_ke'], groups: ['secp256r1'], pskIdentity: ID, psk: PSK }));
  const server = side(engine.open('server', { kxModes: ['psk_ke', 'psk_dhe_ke'], groups: ['x25519'] }), (ev) => ({ psk: ev.identity.equals(ID) ? PSK : null }));
  shuttle(client, server);
  assert.equal(client.conn.kx, 'psk_ke');
  assert.equal(client.conn.group, undefined);
  assert.equal(server.conn.group, undefined);
  client.conn.close();
  server.conn.close();
});

test('groups: CFG_GROUPS is checked (unknown id, repeats, more than there are)', () => {
  for (const groups of [['x448'], ['x25519', 'x25519'], ['x25519', 'secp256r1', 'x25519']]) {
    assert.throws(() => engine.open('client', { groups, pskIdentity: ID, psk: PSK }), groups.join());
  }
});

test('key-log events give the five NSS labels, identical on both sides', () => {
  const { client, server } = pair({ suite: 'TLS_CHACHA20_POLY1305_SHA256', mode: 'psk_dhe_ke', keylog: true });
  shuttle(client, server);
  const lines = (s: typeof client) => s.events.flatMap((e) => (e.kind === 'keylog' ? [e.line] : []));
  const c = lines(client);
  assert.deepEqual(c.map((l) => l.split(' ')[0]), [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0',
    'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET',
  ]);
  assert.deepEqual([...c].sort(), [...lines(server)].sort());
  for (const l of c) assert.match(l, /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64}\n$/);
  client.conn.close();
  server.conn.close();
});

test('KeyUpdate both ways, with update_requested honoured', () => {
  const { client, server } = pair({ suite: 'TLS_AES_256_GCM_SHA384', mode: 'psk_dhe_ke' });
  shuttle(client, server);
  assert.equal(client.conn.keyUpdate(true), 0);
  shuttle(client, server);
  // The client rekeyed its sending side, then took the server's answering KeyUpdate.
  assert.deepEqual(client.events.filter((e) => e.kind === 'keyUpdate').map((e) => (e as any).peer), [false, true]);
  // The server saw the peer's update and answered with its own.
  assert.deepEqual(server.events.filter((e) => e.kind === 'keyUpdate').map((e) => (e as any).peer), [true, false]);
  sendAll(client, server, Buffer.from('new keys up'));
  sendAll(server, client, Buffer.from('new keys down'));
  assert.equal(Buffer.concat(server.app).toString(), 'new keys up');
  assert.equal(Buffer.concat(client.app).toString(), 'new keys down');
  client.conn.close();
  server.conn.close();
});

test('close_notify both ways', () => {
  const { client, server } = pair({ suite: 'TLS_AES_128_CCM_SHA256', mode: 'psk_ke' });
  shuttle(client, server);
  client.conn.shutdown();
  shuttle(client, server);
  assert.ok(kinds(server).includes('peerClosed'));
  assert.equal(client.conn.writeApp(Buffer.from('x')), 0, 'no data after close_notify');
  server.conn.shutdown();
  shuttle(client, server);
  assert.ok(kinds(client).includes('peerClosed'));
  assert.equal(client.conn.state, 'closed');
  assert.equal(server.conn.state, 'closed');
  client.conn.close();
  server.conn.close();
});

test('a wrong PSK fails on both sides with decrypt_error, and the slots are reusable', () => {
  for (let i = 0; i < 3; i++) {
    const client = side(engine.open('client', { pskIdentity: ID, psk: randomBytes(32) }));
    const server = side(engine.open('server', {}), () => ({ psk: PSK }));
    shuttle(client, server);
    assert.deepEqual(server.conn.failure, { reason: 'binder_mismatch', alert: 51, local: true });
    assert.deepEqual(client.conn.failure, { reason: 'peer_alert', alert: 51, local: false });
    client.conn.close();
    server.conn.close();
  }
  const { client, server } = pair({ suite: 'TLS_AES_128_GCM_SHA256', mode: 'psk_dhe_ke' });
  shuttle(client, server);
  assert.equal(client.conn.state, 'open');
  client.conn.close();
  server.conn.close();
});

test('an unknown identity ends in unknown_psk_identity', () => {
  const client = side(engine.open('client', { pskIdentity: Buffer.from('stranger'), psk: PSK }));
  const server = side(engine.open('server', {}), () => ({ psk: null }));
  shuttle(client, server);
  assert.deepEqual(server.conn.failure, { reason: 'psk_unknown_identity', alert: 115, local: true });
  assert.deepEqual(client.conn.failure, { reason: 'peer_alert', alert: 115, local: false });
  client.conn.close();
  server.conn.close();
});

test('an asynchronous PSK lookup: the server slot waits, other slots carry on', () => {
  const slow = side(engine.open('server', {}));
  const slowClient = side(engine.open('client', { pskIdentity: ID, psk: PSK }));
  shuttle(slowClient, slow);
  assert.deepEqual(kinds(slow), ['clientHello']);
  assert.equal(slow.conn.state, 'handshake');
  // Meanwhile another connection completes.
  const { client, server } = pair({ suite: 'TLS_AES_128_GCM_SHA256', mode: 'psk_ke' });
  shuttle(client, server);
  assert.equal(server.conn.state, 'open');
  // The lookup answers later.
  slow.conn.helloReply({ psk: PSK });
  shuttle(slowClient, slow);
  assert.equal(slow.conn.state, 'open');
  assert.equal(slowClient.conn.state, 'open');
  for (const s of [slow, slowClient, client, server]) s.conn.close();
});

test('sequence-number limit: after the configured number of records the sender updates its keys by itself', () => {
  const client = side(engine.open('client', { pskIdentity: ID, psk: PSK, keyUpdateAfterRecords: 10, maxSendFragment: 512 }));
  const server = side(engine.open('server', {}), () => ({ psk: PSK }));
  shuttle(client, server);
  const data = randomBytes(512 * 55); // 55 records: rekeys after records 10, 20, 30, 40, 50
  sendAll(client, server, data);
  assert.ok(Buffer.concat(server.app).equals(data));
  const own = client.events.filter((e) => e.kind === 'keyUpdate' && !(e as { peer: boolean }).peer).length;
  const seen = server.events.filter((e) => e.kind === 'keyUpdate' && (e as { peer: boolean }).peer).length;
  assert.equal(own, 5);
  assert.equal(seen, 5);
  sendAll(server, client, Buffer.from('and back'));
  assert.equal(Buffer.concat(client.app).toString(), 'and back');
  client.conn.close();
  server.conn.close();
});

test('a rekey interval outside 1..2^24 is an invalid config', () => {
  assert.throws(() => engine.open('client', { pskIdentity: ID, psk: PSK, keyUpdateAfterRecords: 0 }), /invalid connection config/);
  assert.throws(() => engine.open('client', { pskIdentity: ID, psk: PSK, keyUpdateAfterRecords: 2 ** 24 + 1 }), /invalid connection config/);
});
