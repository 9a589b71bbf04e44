// TLS 1.2 PSK, engine against engine (both roles in one instance): every
// TLS 1.2 suite with and without an identity hint, with the key from the
// config or asked for (CF_ASK_PSK), checked by what each side reports
// (version, suite, key exchange, group, hint), equal Finished values and
// exporters (with and without a context), the CLIENT_RANDOM key-log line and
// data both ways; then the failures: wrong key, unknown identity, no
// extended master secret (both roles), renegotiation_info, the downgrade
// sentinel and version negotiation with TLS 1.3, record-size limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHmac } from 'node:crypto';
import { Engine, type Conn } from '../../src/engine/engine.ts';
import { SUITES12, SUITE_NAMES as NAME_OF_ID, type EngineConfig } from '../../src/engine/config.ts';

/** The IANA name the engine reports for an OpenSSL suite name. */
const iana = (openssl: string) => NAME_OF_ID[SUITES12[openssl]];
import { side, shuttle, sendAll, kinds, drain, type Side } from '../helpers/engine.ts';
import { clientHello12, ext, records, stripServerHelloExtension, serverRandom, EXT, DOWNGRD_12 } from '../helpers/tls12-wire.ts';

const PSK = randomBytes(32);
const ID = Buffer.from('device-0001');
const HINT = Buffer.from('gateway-7');
const engine = new Engine({ slots: 8 });
const SUITE_NAMES = Object.keys(SUITES12);

const liveSlots = () => {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) if (engine.x.info(i, 0) > 0) out.push(i);
  return out;
};

function pair(client: EngineConfig, server: EngineConfig, keyFor: (id: Buffer) => Buffer | null = (id) => (id.equals(ID) ? PSK : null)) {
  const c = side(engine.open('client', client));
  const s = side(engine.open('server', server), (ev) => ({ psk: keyFor(ev.identity) }));
  return { c, s };
}

const v12 = (suite: string, extra: EngineConfig = {}): EngineConfig => ({ suites: [suite], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ...extra });

/** Answers a client's pskHint events with `answer` (what a pskCallback(hint) would return). */
function answerHints(c: Side, answer: (hint: Buffer | null) => { identity: Uint8Array; psk: Uint8Array } | null, seen: (Buffer | null)[]) {
  const orig = c.conn.events.bind(c.conn);
  c.conn.events = () => {
    const evs = orig();
    for (const ev of evs) if (ev.kind === 'pskHint') {
      seen.push(ev.hint);
      c.conn.pskReply(answer(ev.hint));
    }
    return evs;
  };
}

function closeAll(...sides: Side[]) {
  for (const x of sides) x.conn.close();
}

for (const suite of SUITE_NAMES) {
  for (const hint of [false, true]) {
    for (const ask of [false, true]) {
      test(`${suite}${hint ? ' with a hint' : ''}${ask ? ', key asked of the host' : ''}: handshake, keys agree, data both ways`, () => {
        const { c, s } = pair(
          v12(suite, ask ? { askPsk: true, keylog: true } : { pskIdentity: ID, psk: PSK, keylog: true }),
          v12(suite, { keylog: true, identityHint: hint ? HINT : undefined }),
        );
        const hints: (Buffer | null)[] = [];
        if (ask) answerHints(c, () => ({ identity: ID, psk: PSK }), hints);
        shuttle(c, s);
        assert.deepEqual(kinds(s), ['clientHello', 'keylog', 'handshake']);
        assert.deepEqual(kinds(c), ask ? ['pskHint', 'keylog', 'handshake'] : ['keylog', 'handshake']);
        if (ask) assert.deepEqual(hints, [hint ? HINT : null]);
        const ecdhe = suite.startsWith('ECDHE');
        for (const x of [c.conn, s.conn]) {
          assert.equal(x.state, 'open');
          assert.equal(x.version, 'TLSv1.2');
          assert.equal(x.suite, iana(suite));
          assert.equal(x.kx, ecdhe ? 'psk_dhe_ke' : 'psk_ke');
          assert.equal(engine.x.info(x.id, 22 /* I_GROUP */), ecdhe ? 0x001d : 0);
          assert.ok(x.identity.equals(ID));
        }
        assert.deepEqual(c.conn.identityHint, hint ? HINT : null);
        // TLS 1.2 Finished: 12 bytes of verify_data, the same on both sides, different per role.
        assert.equal(c.conn.clientFinished.length, 12);
        assert.ok(c.conn.clientFinished.equals(s.conn.clientFinished));
        assert.ok(c.conn.serverFinished.equals(s.conn.serverFinished));
        assert.ok(!c.conn.clientFinished.equals(c.conn.serverFinished));
        const ctx = randomBytes(9);
        const withCtx = c.conn.exportKeyingMaterial(40, 'EXPERIMENTAL t12', ctx);
        assert.ok(withCtx.equals(s.conn.exportKeyingMaterial(40, 'EXPERIMENTAL t12', ctx)));
        const noCtx = c.conn.exportKeyingMaterial(40, 'EXPERIMENTAL t12');
        assert.ok(noCtx.equals(s.conn.exportKeyingMaterial(40, 'EXPERIMENTAL t12')));
        const emptyCtx = c.conn.exportKeyingMaterial(40, 'EXPERIMENTAL t12', Buffer.alloc(0));
        assert.ok(!noCtx.equals(emptyCtx), 'RFC 5705: no context and an empty context differ');
        // One key-log line, CLIENT_RANDOM <client_random> <master secret (48)>, the same on both sides.
        const line = (x: Side) => x.events.flatMap((e) => (e.kind === 'keylog' ? [e.line] : []));
        assert.deepEqual(line(c), line(s));
        assert.match(line(c)[0], /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
        // KeyUpdate does not exist in TLS 1.2.
        assert.equal(c.conn.keyUpdate(false), -3);
        const up = randomBytes(40 * 1024 + 7);
        const down = randomBytes(20 * 1024 + 1);
        sendAll(c, s, up);
        sendAll(s, c, down);
        assert.ok(Buffer.concat(s.app).equals(up));
        assert.ok(Buffer.concat(c.app).equals(down));
        c.conn.shutdown();
        shuttle(c, s);
        assert.ok(kinds(s).includes('peerClosed'));
        closeAll(c, s);
      });
    }
  }
}

test('ECDHE-PSK on each group: the client lists one, the server picks it, both report it', () => {
  for (const [group, id] of [['x25519', 0x001d], ['secp256r1', 0x0017]] as const) {
    const { c, s } = pair(v12('ECDHE-PSK-CHACHA20-POLY1305', { pskIdentity: ID, psk: PSK, groups: [group] }), v12('ECDHE-PSK-CHACHA20-POLY1305'));
    shuttle(c, s);
    assert.equal(c.conn.state, 'open', group);
    for (const x of [c.conn, s.conn]) assert.equal(engine.x.info(x.id, 22 /* I_GROUP */), id, group);
    assert.ok(c.conn.exportKeyingMaterial(16, 'x').equals(s.conn.exportKeyingMaterial(16, 'x')));
    closeAll(c, s);
  }
  // The server's preference among the groups both have: its own order.
  const { c, s } = pair(v12('ECDHE-PSK-CHACHA20-POLY1305', { pskIdentity: ID, psk: PSK, groups: ['x25519', 'secp256r1'] }),
    v12('ECDHE-PSK-CHACHA20-POLY1305', { groups: ['secp256r1', 'x25519'] }));
  shuttle(c, s);
  assert.equal(engine.x.info(c.conn.id, 22), 0x0017);
  closeAll(c, s);
});

test('a TLS 1.2 server with a static PSK (no host lookup) and a client offering every TLS 1.2 suite: the client\'s first is taken', () => {
  const { c, s } = pair(
    { suites: ['PSK-AES128-CCM8', ...SUITE_NAMES.filter((n) => n !== 'PSK-AES128-CCM8')], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', pskIdentity: ID, psk: PSK },
    { suites: SUITE_NAMES, minVersion: 'TLSv1.2', pskIdentity: ID, psk: PSK },
  );
  shuttle(c, s);
  assert.deepEqual(kinds(s), ['handshake']);
  assert.equal(c.conn.suite, iana('PSK-AES128-CCM8'));
  assert.equal(s.conn.suite, iana('PSK-AES128-CCM8'));
  closeAll(c, s);
});

test('SHA-384 suite picked by the server out of a mixed list: the client switches its transcript hash', () => {
  const { c, s } = pair(
    { suites: ['PSK-AES128-GCM-SHA256', 'PSK-AES256-GCM-SHA384'], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', pskIdentity: ID, psk: PSK },
    v12('PSK-AES256-GCM-SHA384'),
  );
  shuttle(c, s);
  assert.equal(c.conn.state, 'open');
  assert.equal(c.conn.suite, iana('PSK-AES256-GCM-SHA384'));
  assert.ok(c.conn.serverFinished.equals(s.conn.serverFinished));
  closeAll(c, s);
});

test('wrong key: the server cannot open the client Finished (bad_record_mac, as OpenSSL sends), the client gets the alert', () => {
  for (const suite of SUITE_NAMES) {
    const { c, s } = pair(v12(suite, { pskIdentity: ID, psk: randomBytes(32) }), v12(suite));
    shuttle(c, s);
    assert.deepEqual(s.conn.failure, { reason: 'bad_record_mac', alert: 20, local: true }, suite);
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 20, local: false }, suite);
    closeAll(c, s);
  }
});

test('unknown identity: unknown_psk_identity, from the host lookup and from a static server PSK', () => {
  for (const server of [v12('PSK-AES128-GCM-SHA256'), v12('PSK-AES128-GCM-SHA256', { pskIdentity: Buffer.from('other'), psk: PSK })]) {
    const { c, s } = pair(v12('PSK-AES128-GCM-SHA256', { pskIdentity: Buffer.from('stranger'), psk: PSK }), server);
    shuttle(c, s);
    assert.deepEqual(s.conn.failure, { reason: 'psk_unknown_identity', alert: 115, local: true });
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 115, local: false });
    closeAll(c, s);
  }
});

test('CF_ASK_PSK: a host with no key for the hint fails the handshake (handshake_failure); an abort sends its alert', () => {
  for (const [answer, alert] of [[null, 40], [{ abort: 115 }, 115]] as const) {
    const { c, s } = pair(v12('PSK-CHACHA20-POLY1305', { askPsk: true }), v12('PSK-CHACHA20-POLY1305', { identityHint: HINT }));
    shuttle(c, s);
    const ev = c.conn.events();
    c.events.push(...ev);
    const hintEv = c.events.find((e) => e.kind === 'pskHint');
    assert.ok(hintEv && hintEv.kind === 'pskHint' && hintEv.hint?.equals(HINT));
    c.conn.pskReply(answer as any);
    shuttle(c, s);
    assert.equal(c.conn.failure?.alert, alert);
    assert.deepEqual(s.conn.failure, { reason: 'peer_alert', alert, local: false });
    closeAll(c, s);
  }
});

/** Runs a pair with the server's records passed through `edit` on their way to the client. */
function shuttleEditing(c: Side, s: Side, edit: (rec: Buffer, index: number) => Buffer) {
  let n = 0;
  const take = s.conn.takeOutput.bind(s.conn);
  s.conn.takeOutput = () => {
    const out = take();
    if (!out) return out;
    return Buffer.concat(records(Buffer.from(out)).map((r) => edit(Buffer.from(r), n++)));
  };
  shuttle(c, s);
}

test('no extended_master_secret: a server refuses the ClientHello, a client refuses the ServerHello (handshake_failure)', () => {
  // Server: a hand-built TLS 1.2 ClientHello with everything but EMS.
  const s = side(engine.open('server', v12('PSK-AES128-GCM-SHA256')));
  const withRi = clientHello12([0x00a8, 0x00ff], [ext(EXT.GROUPS, Buffer.from([0, 2, 0, 0x1d]))]);
  s.conn.feed(withRi);
  drain(s);
  assert.deepEqual(s.conn.failure, { reason: 'no_extended_master_secret', alert: 40, local: true });
  assert.ok(Buffer.from(s.conn.takeOutput()!).equals(Buffer.from([21, 3, 3, 0, 2, 2, 40])));
  s.conn.close();
  // Client: the server's ServerHello with its extended_master_secret removed.
  const { c, s: s2 } = pair(v12('PSK-AES128-GCM-SHA256', { pskIdentity: ID, psk: PSK }), v12('PSK-AES128-GCM-SHA256'));
  shuttleEditing(c, s2, (r, i) => (i === 0 ? stripServerHelloExtension(r, EXT.EMS) : r));
  assert.deepEqual(c.conn.failure, { reason: 'no_extended_master_secret', alert: 40, local: true });
  assert.deepEqual(s2.conn.failure, { reason: 'peer_alert', alert: 40, local: false });
  closeAll(c, s2);
  // With EMS the same hand-built ClientHello is answered.
  const s3 = side(engine.open('server', v12('PSK-AES128-GCM-SHA256')));
  s3.conn.feed(clientHello12([0x00a8, 0x00ff], [ext(EXT.EMS)]));
  drain(s3);
  assert.equal(s3.conn.state, 'handshake');
  assert.ok(s3.conn.takeOutput());
  s3.conn.close();
});

test('renegotiation_info (RFC 5746): non-empty in an initial ClientHello is refused; a server without it is refused by the client', () => {
  const s = side(engine.open('server', v12('PSK-AES128-GCM-SHA256')));
  s.conn.feed(clientHello12([0x00a8], [ext(EXT.EMS), ext(EXT.RI, Buffer.from([12, ...randomBytes(12)]))]));
  drain(s);
  assert.deepEqual(s.conn.failure, { reason: 'renegotiation', alert: 40, local: true });
  s.conn.close();
  const { c, s: s2 } = pair(v12('PSK-AES128-GCM-SHA256', { pskIdentity: ID, psk: PSK }), v12('PSK-AES128-GCM-SHA256'));
  shuttleEditing(c, s2, (r, i) => (i === 0 ? stripServerHelloExtension(r, EXT.RI) : r));
  assert.deepEqual(c.conn.failure, { reason: 'renegotiation', alert: 40, local: true });
  closeAll(c, s2);
  // A client that signals nothing (no SCSV, no extension) is served, and gets no renegotiation_info back.
  const s3 = side(engine.open('server', v12('PSK-AES128-GCM-SHA256')));
  s3.conn.feed(clientHello12([0x00a8], [ext(EXT.EMS)]));
  drain(s3);
  const sh = records(Buffer.from(s3.conn.takeOutput()!))[0];
  assert.equal(sh.indexOf(Buffer.from([0xff, 0x01, 0, 1, 0])), -1);
  s3.conn.close();
});

test('versions: both speak 1.2 and 1.3 → TLS 1.3; a 1.2-only server → TLS 1.2 without the sentinel', () => {
  const both: EngineConfig = { suites: ['TLS_AES_128_GCM_SHA256', 'PSK-AES128-GCM-SHA256'], minVersion: 'TLSv1.2', pskIdentity: ID, psk: PSK };
  let { c, s } = pair(both, { suites: ['TLS_AES_128_GCM_SHA256', 'PSK-AES128-GCM-SHA256'], minVersion: 'TLSv1.2' });
  shuttle(c, s);
  assert.equal(c.conn.version, 'TLSv1.3');
  assert.equal(s.conn.version, 'TLSv1.3');
  assert.equal(c.conn.suite, 'TLS_AES_128_GCM_SHA256');
  closeAll(c, s);
  ({ c, s } = pair(both, v12('PSK-AES128-GCM-SHA256')));
  let random: Buffer | undefined;
  shuttleEditing(c, s, (r, i) => {
    if (i === 0) random = Buffer.from(serverRandom(r));
    return r;
  });
  assert.equal(c.conn.version, 'TLSv1.2');
  assert.equal(c.conn.state, 'open');
  assert.ok(!random!.subarray(24).equals(DOWNGRD_12), 'a server without TLS 1.3 sends no sentinel');
  closeAll(c, s);
});

test('downgrade sentinel: a 1.3-capable server answering 1.2 marks its random; a 1.3-capable client refuses it, a 1.2-only client goes on', () => {
  // The server speaks 1.3 (maxVersion default) but has only a TLS 1.2 suite, so a 1.2-only client gets 1.2.
  const server: EngineConfig = { suites: ['PSK-CHACHA20-POLY1305'], minVersion: 'TLSv1.2' };
  let { c, s } = pair(v12('PSK-CHACHA20-POLY1305', { pskIdentity: ID, psk: PSK }), server);
  let random: Buffer | undefined;
  shuttleEditing(c, s, (r, i) => {
    if (i === 0) random = Buffer.from(serverRandom(r));
    return r;
  });
  assert.ok(random!.subarray(24).equals(DOWNGRD_12));
  assert.equal(c.conn.state, 'open');
  closeAll(c, s);
  // A client that offers 1.3 too: the server still answers 1.2 (it has no 1.3 suite in common) and the client refuses.
  const client: EngineConfig = { suites: ['TLS_CHACHA20_POLY1305_SHA256', 'PSK-CHACHA20-POLY1305'], minVersion: 'TLSv1.2', pskIdentity: ID, psk: PSK };
  ({ c, s } = pair(client, { suites: ['PSK-CHACHA20-POLY1305'], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }));
  // The 1.2-only server sends no sentinel: put one in, as a 1.3 server that a middlebox forced down would have.
  shuttleEditing(c, s, (r, i) => {
    if (i === 0) DOWNGRD_12.copy(r, 5 + 4 + 2 + 24);
    return r;
  });
  assert.deepEqual(c.conn.failure, { reason: 'downgrade', alert: 47, local: true });
  closeAll(c, s);
});

test('TLS 1.3-only client against a TLS 1.2-only server: protocol_version; and the reverse', () => {
  let { c, s } = pair({ suites: ['TLS_AES_128_GCM_SHA256'], pskIdentity: ID, psk: PSK }, v12('PSK-AES128-GCM-SHA256'));
  shuttle(c, s);
  assert.equal(s.conn.failure?.alert, 70);
  closeAll(c, s);
  ({ c, s } = pair(v12('PSK-AES128-GCM-SHA256', { pskIdentity: ID, psk: PSK }), { suites: ['TLS_AES_128_GCM_SHA256'] }));
  shuttle(c, s);
  assert.equal(s.conn.failure?.alert, 70);
  closeAll(c, s);
});

test('record limits in TLS 1.2: max_fragment_length binds both directions, record_size_limit counts content only', () => {
  for (const [cfg, limit] of [[{ maxFragmentLength: 512 }, 512], [{ recordSizeLimit: 1000 }, 1000], [{ recordSizeLimit: 16385 }, 16384]] as const) {
    const { c, s } = pair(v12('PSK-AES128-GCM-SHA256', { pskIdentity: ID, psk: PSK, ...cfg }), v12('PSK-AES128-GCM-SHA256'));
    shuttle(c, s);
    assert.equal(c.conn.state, 'open');
    assert.equal(s.conn.peerRecordLimit, limit, JSON.stringify(cfg));
    assert.equal(c.conn.recvRecordLimit, limit);
    // The server's records carry at most `limit` bytes of content: 8 (explicit nonce) + limit + 16 (tag) on the wire.
    const sizes: number[] = [];
    const take = s.conn.takeOutput.bind(s.conn);
    s.conn.takeOutput = () => {
      const out = take();
      if (out) for (const r of records(Buffer.from(out))) sizes.push(r.length - 5);
      return out;
    };
    sendAll(s, c, randomBytes(3 * limit + 5));
    assert.equal(Math.max(...sizes), 8 + limit + 16);
    closeAll(c, s);
  }
});

test('every slot is free after the TLS 1.2 tests', () => {
  assert.deepEqual(liveSlots(), []);
});

/** P_hash of RFC 5246 §5 over node:crypto, to know the key block a connection derived. */
function prf(hash: 'sha256' | 'sha384', secret: Buffer, label: string, seed: Buffer, n: number): Buffer {
  const s = Buffer.concat([Buffer.from(label), seed]);
  const out: Buffer[] = [];
  let a = s;
  for (let got = 0; got < n; ) {
    a = createHmac(hash, secret).update(a).digest();
    const b = createHmac(hash, secret).update(a).update(s).digest();
    out.push(b);
    got += b.length;
  }
  return Buffer.concat(out).subarray(0, n);
}

test('close() wipes a TLS 1.2 connection: PSK, master secret, key block and plaintext are nowhere in linear memory', () => {
  for (const [suite, hash, keyLen, ivLen] of [['PSK-AES256-GCM-SHA384', 'sha384', 32, 4], ['ECDHE-PSK-CHACHA20-POLY1305', 'sha256', 32, 12]] as const) {
    const psk = randomBytes(32);
    const { c, s } = pair(v12(suite, { pskIdentity: ID, psk, keylog: true }), v12(suite, { keylog: true }), () => psk);
    let serverRnd = Buffer.alloc(0);
    shuttleEditing(c, s, (r, i) => {
      if (i === 0) serverRnd = Buffer.from(serverRandom(r));
      return r;
    });
    const line = c.events.flatMap((e) => (e.kind === 'keylog' ? [e.line] : []))[0];
    const [, cr, ms] = line.trim().split(' ');
    const master = Buffer.from(ms, 'hex');
    const block = prf(hash, master, 'key expansion', Buffer.concat([serverRnd, Buffer.from(cr, 'hex')]), 2 * keyLen + 2 * ivLen);
    const secrets: [string, Buffer][] = [['PSK', psk], ['master secret', master], ['client_write_key', block.subarray(0, keyLen)],
      ['server_write_key', block.subarray(keyLen, 2 * keyLen)]];
    const plain = randomBytes(600);
    sendAll(c, s, plain);
    secrets.push(['plaintext', plain.subarray(0, 64)]);
    const mem = () => Buffer.from(engine.mem.buffer, engine.mem.byteOffset, engine.mem.byteLength);
    // The scan can see them while the connection lives (the master secret sits in the slot): it is not vacuous.
    assert.ok(mem().indexOf(master) >= 0, `${suite}: master secret in the live slot`);
    assert.ok(mem().indexOf(psk) >= 0, `${suite}: PSK in the live slot`);
    closeAll(c, s);
    for (const [what, bytes] of secrets) assert.equal(mem().indexOf(bytes), -1, `${suite}: ${what} left in memory after close`);
  }
});
