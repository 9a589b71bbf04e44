// Malformed input against the TLS 1.2 engine, in the manner of
// malformed.test.ts: one bit flipped at every byte of every record a peer
// sends during a TLS 1.2 handshake (four configurations, both roles as the
// victim), every flight cut short, and hand-made bad TLS 1.2 records and
// messages. What must hold in every case: nothing throws out of the engine,
// nothing livelocks, a failure carries an alert TLS 1.2 allows for it, a
// connection that still opens has the same keys as its peer, and every slot
// is free after close.
//
// Each case re-runs the configuration live (fresh randoms and shares), with
// the peer's record number `i` mutated in transit; the record layout of a
// configuration is deterministic, which each case checks. Bits are chosen
// from a seeded generator: TLSRT_MALFORMED_SEED replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Engine, ALERTS } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { side, drain, type Side } from '../helpers/engine.ts';
import { prng } from '../helpers/tamper.ts';
import { clientHello12, ext, records, EXT } from '../helpers/tls12-wire.ts';

const SEED = process.env.TLSRT_MALFORMED_SEED ? Number(process.env.TLSRT_MALFORMED_SEED) >>> 0 : randomBytes(4).readUInt32BE();
const NOTE = `(seed ${SEED}: rerun with TLSRT_MALFORMED_SEED=${SEED})`;
const rnd = prng(SEED);
const ID = Buffer.from('device-0001');
const PSK = randomBytes(32);
const engine = new Engine({ slots: 4 });

/** Alerts a failed TLS 1.2 handshake may carry (RFC 5246 §7.2.2, RFC 4279, RFC 7627, RFC 5746). */
const ALLOWED = new Set([10, 20, 22, 40, 47, 50, 51, 70, 80, 109, 110, 115, 120]);

interface Scenario { name: string; client: EngineConfig; server: EngineConfig; hint?: boolean }
const v12 = (suite: string | string[], extra: EngineConfig = {}): EngineConfig =>
  ({ suites: Array.isArray(suite) ? suite : [suite], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ...extra });
const SCENARIOS: Scenario[] = [
  { name: 'PSK-AES128-GCM + hint', client: v12('PSK-AES128-GCM-SHA256', { pskIdentity: ID, psk: PSK }), server: v12('PSK-AES128-GCM-SHA256', { identityHint: Buffer.from('hint-1') }) },
  { name: 'ECDHE-PSK-CHACHA20', client: v12('ECDHE-PSK-CHACHA20-POLY1305', { pskIdentity: ID, psk: PSK }), server: v12('ECDHE-PSK-CHACHA20-POLY1305') },
  {
    name: 'PSK-AES128-CCM8 + sni + alpn + mfl, static server PSK',
    client: v12(['PSK-AES128-CCM8', 'PSK-AES128-CCM'], { pskIdentity: ID, psk: PSK, serverName: 'sensor.example', alpn: Buffer.from([0, 5, 4, 0x63, 0x6f, 0x61, 0x70]), maxFragmentLength: 1024 }),
    server: v12(['PSK-AES128-CCM8', 'PSK-AES128-CCM'], { pskIdentity: ID, psk: PSK, alpn: Buffer.from([0, 5, 4, 0x63, 0x6f, 0x61, 0x70]) }),
  },
  { name: 'PSK-AES256-GCM-SHA384, 1.2+1.3 client, key asked, rsl', client: { suites: ['TLS_AES_128_GCM_SHA256', 'PSK-AES128-GCM-SHA256', 'PSK-AES256-GCM-SHA384'], minVersion: 'TLSv1.2', askPsk: true, pskIdentity: ID, psk: PSK, recordSizeLimit: 4000 },
    server: v12('PSK-AES256-GCM-SHA384', { identityHint: Buffer.from('h') }) },
];

type Role = 'client' | 'server';
type Outcome = { state: string; alert?: number; reason?: string; problems: string[] };

/**
 * One handshake of `sc`; `edit(from, index, record)` may replace each
 * record in transit (index counts that side's records). Returns both
 * sides and the records each sent, unedited.
 */
function run(sc: Scenario, edit?: (from: Role, index: number, rec: Buffer) => Buffer) {
  const c = side(engine.open('client', sc.client));
  const s = side(engine.open('server', sc.server), (ev) => ({ psk: ev.identity.equals(ID) ? PSK : null }));
  const sent: Record<Role, Buffer[]> = { client: [], server: [] };
  const inbox: Record<Role, Buffer> = { client: Buffer.alloc(0), server: Buffer.alloc(0) };
  const sides: Record<Role, Side> = { client: c, server: s };
  let rounds = 0;
  for (; rounds < 200; rounds++) {
    let moved = false;
    for (const from of ['client', 'server'] as Role[]) {
      const me = sides[from];
      const to: Role = from === 'client' ? 'server' : 'client';
      if (me.conn.isClosed) continue;
      for (const ev of me.conn.events()) {
        moved = true;
        me.events.push(ev);
        if (ev.kind === 'clientHello' && me.onHello) me.conn.helloReply(me.onHello(ev));
        if (ev.kind === 'pskHint') me.conn.pskReply({ identity: ID, psk: PSK });
      }
      while (me.conn.readApp()) moved = true;
      const out = me.conn.takeOutput();
      if (out) {
        moved = true;
        for (const r of records(Buffer.from(out))) {
          const i = sent[from].length;
          sent[from].push(Buffer.from(r));
          inbox[to] = Buffer.concat([inbox[to], edit ? edit(from, i, Buffer.from(r)) : r]);
        }
      }
      const peer = sides[to];
      if (inbox[to].length && !peer.conn.isClosed) {
        const n = peer.conn.feed(inbox[to]);
        if (n) {
          inbox[to] = inbox[to].subarray(n);
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return { c, s, sent, livelock: rounds >= 200 };
}

function outcomeOf(x: Side, livelock: boolean): Outcome {
  const problems: string[] = [];
  if (livelock) problems.push('livelock');
  const f = x.conn.failure;
  if (f && f.local && !ALLOWED.has(f.alert)) problems.push(`alert ${ALERTS[f.alert] ?? f.alert} (${f.reason})`);
  return { state: x.conn.state, alert: f?.alert, reason: f?.reason, problems };
}

/** Data both ways and the exporter: the keys of a connection that opened anyway agree. */
function keysAgree(c: Side, s: Side): string | null {
  const up = rnd.bytes(1 + rnd.int(200));
  if (c.conn.writeApp(up) !== up.length) return 'client could not write';
  s.conn.feed(Buffer.from(c.conn.takeOutput()!));
  const got = s.conn.readApp();
  if (!got || !Buffer.from(got).equals(up)) return 'data did not arrive intact';
  if (!c.conn.exportKeyingMaterial(16, 'x').equals(s.conn.exportKeyingMaterial(16, 'x'))) return 'exporters differ';
  return null;
}

const tally = new Map<string, number>();

for (const sc of SCENARIOS) {
  test(`${sc.name}: a bit flipped at every byte of every handshake record, both roles as the victim ${NOTE}`, () => {
    const ref = run(sc);
    assert.equal(ref.c.conn.state, 'open', `${sc.name}: clean client ${JSON.stringify(ref.c.conn.failure)}`);
    assert.equal(ref.s.conn.state, 'open', `${sc.name}: clean server ${JSON.stringify(ref.s.conn.failure)}`);
    const layout = { client: ref.sent.client.map((r) => r[0]), server: ref.sent.server.map((r) => r[0]) };
    ref.c.conn.close();
    ref.s.conn.close();
    const failures: string[] = [];
    let cases = 0;
    for (const from of ['client', 'server'] as Role[]) {
      const victim: Role = from === 'client' ? 'server' : 'client';
      for (let i = 0; i < ref.sent[from].length; i++) {
        const len = ref.sent[from][i].length;
        for (let byte = 0; byte < len; byte++) {
          const bit = rnd.int(8);
          const r = run(sc, (f, idx, rec) => {
            if (f === from && idx === i) rec[byte] ^= 1 << bit;
            return rec;
          });
          cases++;
          const v = from === 'client' ? r.s : r.c;
          const o = outcomeOf(v, r.livelock);
          // The layout up to the mutated record is the reference's.
          const sentLayout = r.sent[from].slice(0, i + 1).map((x) => x[0]);
          if (JSON.stringify(sentLayout) !== JSON.stringify(layout[from].slice(0, i + 1))) o.problems.push('record layout changed');
          if (o.state === 'open' && (from === 'client' ? r.c : r.s).conn.state === 'open') {
            const p = keysAgree(r.c, r.s);
            if (p) o.problems.push(p);
          }
          const key = `${victim} ${o.state}${o.alert !== undefined ? ' ' + (ALERTS[o.alert] ?? o.alert) : ''}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          if (o.problems.length) failures.push(`${from} record ${i} byte ${byte} bit ${bit}: ${o.problems.join(', ')}`);
          r.c.conn.close();
          r.s.conn.close();
        }
      }
    }
    assert.ok(cases > 150, `${cases} cases`);
    assert.deepEqual(failures, [], NOTE);
    for (let i = 0; i < 4; i++) assert.ok(engine.x.info(i, 0) < 0, `slot ${i} free`);
  });

  test(`${sc.name}: every flight cut at every length, then silence: the victim waits, never answers garbage, frees on close`, () => {
    const ref = run(sc);
    ref.c.conn.close();
    ref.s.conn.close();
    for (const from of ['client', 'server'] as Role[]) {
      const bytes = Buffer.concat(ref.sent[from]);
      for (let cut = 1; cut < bytes.length; cut += 1 + rnd.int(3)) {
        const victim = side(engine.open(from === 'client' ? 'server' : 'client', from === 'client' ? sc.server : sc.client));
        // Only the first flight can be replayed before our own randomness matters: feed up to the cut of the peer's first record(s).
        const first = ref.sent[from][0];
        const n = Math.min(cut, first.length);
        victim.conn.feed(first.subarray(0, n));
        drain(victim);
        assert.notEqual(victim.conn.state, 'open');
        if (victim.conn.failure) assert.ok(ALLOWED.has(victim.conn.failure.alert), `${from} cut ${n}: ${JSON.stringify(victim.conn.failure)}`);
        victim.conn.close();
      }
    }
    for (let i = 0; i < 4; i++) assert.ok(engine.x.info(i, 0) < 0, `slot ${i} free`);
  });
}

/** A fresh TLS 1.2 server fed `bytes`; what it made of them. */
function serverFed(bytes: Buffer, cfg: EngineConfig = v12('PSK-AES128-GCM-SHA256')) {
  const s = side(engine.open('server', cfg), () => ({ psk: PSK }));
  s.conn.feed(bytes);
  drain(s);
  const f = s.conn.failure;
  const out = s.conn.takeOutput();
  s.conn.close();
  return { f, out: out ? Buffer.from(out) : null };
}

test('hand-made TLS 1.2 ClientHellos: each refusal has its alert', () => {
  const ems = ext(EXT.EMS);
  const cases: [string, Buffer, number][] = [
    ['no shared suite', clientHello12([0x00ae, 0x00ff], [ems]), 40],
    ['no null compression', (() => { const r = clientHello12([0x00a8], [ems]); r[5 + 4 + 2 + 32 + 1 + 2 + 2 + 1] = 1; return r; })(), 47],
    ['odd cipher suite length', (() => { const r = clientHello12([0x00a8], [ems]); r.writeUInt16BE(3, 5 + 4 + 2 + 32 + 1); return r; })(), 50],
    ['a server_name list longer than its extension', clientHello12([0x00a8], [ems, ext(EXT.SNI, Buffer.from([0, 9, 0, 0, 1, 0x61]))]), 50],
    ['duplicate extension', clientHello12([0x00a8], [ems, ems]), 47],
    ['max_fragment_length 9', clientHello12([0x00a8], [ems, ext(EXT.MFL, Buffer.from([9]))]), 47],
    ['record_size_limit 10', clientHello12([0x00a8], [ems, ext(EXT.RSL, Buffer.from([0, 10]))]), 47],
    ['TLS_FALLBACK_SCSV to a server that speaks 1.3', clientHello12([0x00a8, 0x5600], [ems]), 86],
    ['only ECDHE-PSK, but no group in common (x448 only)', clientHello12([0xccac], [ems, ext(EXT.GROUPS, Buffer.from([0, 2, 0, 0x1e]))]), 40],
  ];
  for (const [what, bytes, alert] of cases) {
    const cfg: EngineConfig = what.includes('FALLBACK') ? { suites: ['PSK-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256'], minVersion: 'TLSv1.2' }
      : what.includes('ECDHE') ? v12('ECDHE-PSK-CHACHA20-POLY1305') : v12('PSK-AES128-GCM-SHA256');
    const { f, out } = serverFed(bytes, cfg);
    assert.equal(f?.alert, alert, `${what}: ${JSON.stringify(f)}`);
    assert.ok(out?.equals(Buffer.from([21, 3, 3, 0, 2, 2, alert])), `${what}: a plaintext fatal alert`);
  }
});

/** Runs the clean PSK-AES128-GCM handshake up to the point where `inject` replaces the peer's records. */
function injected(fromRole: Role, index: number, replace: (rec: Buffer) => Buffer, sc = SCENARIOS[0]) {
  const r = run(sc, (f, i, rec) => (f === fromRole && i === index ? replace(rec) : rec));
  const v = fromRole === 'client' ? r.s : r.c;
  const out = { state: v.conn.state, failure: v.conn.failure };
  r.c.conn.close();
  r.s.conn.close();
  return out;
}

test('hand-made TLS 1.2 records in the handshake: ChangeCipherSpec out of place, records the state machine does not expect', () => {
  // Server records: 0 = ServerHello+ServerKeyExchange+ServerHelloDone, 1 = CCS, 2 = Finished.
  // Client records: 0 = ClientHello, 1 = ClientKeyExchange, 2 = CCS, 3 = Finished.
  const ccsWrong = (b: number, len = 1) => (rec: Buffer) => Buffer.concat([Buffer.from([20, 3, 3, 0, len]), Buffer.alloc(len, b)]);
  assert.deepEqual(injected('server', 1, ccsWrong(2)).failure, { reason: 'unexpected_message', alert: 10, local: true }, 'CCS payload 2');
  assert.deepEqual(injected('server', 1, ccsWrong(1, 2)).failure, { reason: 'unexpected_message', alert: 10, local: true }, 'CCS length 2');
  assert.deepEqual(injected('client', 1, ccsWrong(1)).failure, { reason: 'unexpected_message', alert: 10, local: true }, 'CCS instead of ClientKeyExchange');
  // A Finished in the clear where the CCS should be: the handshake has no such step.
  assert.deepEqual(injected('client', 2, () => Buffer.from([22, 3, 3, 0, 16, 20, 0, 0, 12, ...Buffer.alloc(12)])).failure,
    { reason: 'unexpected_message', alert: 10, local: true }, 'Finished before CCS');
  // Application data before the handshake is done.
  assert.equal(injected('client', 1, () => Buffer.from([23, 3, 3, 0, 3, 1, 2, 3])).failure?.alert, 10, 'plaintext application data');
  // A protected Finished record cut below nonce + tag, or one byte changed: bad_record_mac.
  assert.deepEqual(injected('server', 2, (r) => Buffer.concat([Buffer.from([22, 3, 3, 0, 10]), r.subarray(5, 15)])).failure,
    { reason: 'bad_record_mac', alert: 20, local: true }, 'short protected record');
  // An alert record of the wrong length.
  assert.equal(injected('server', 0, () => Buffer.from([21, 3, 3, 0, 3, 2, 40, 0])).failure?.alert, 50, 'alert of 3 bytes');
});

test('hand-made TLS 1.2 server messages at the client: ServerHello, ServerKeyExchange and ServerHelloDone that are wrong', () => {
  // Rebuilds the server's first record (ServerHello || [ServerKeyExchange] || ServerHelloDone) with one message replaced.
  const messages = (rec: Buffer) => {
    const out: Buffer[] = [];
    const hs = rec.subarray(5);
    for (let i = 0; i < hs.length; ) {
      const n = 4 + hs.readUIntBE(i + 1, 3);
      out.push(Buffer.from(hs.subarray(i, i + n)));
      i += n;
    }
    return out;
  };
  const record = (msgs: Buffer[]) => {
    const body = Buffer.concat(msgs);
    return Buffer.concat([Buffer.from([22, 3, 3, body.length >> 8, body.length & 0xff]), body]);
  };
  const msg = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 0, body.length >> 8, body.length & 0xff]), body]);
  const f = (sc: Scenario, edit: (m: Buffer[]) => Buffer[]) => injected('server', 0, (r) => record(edit(messages(r))), sc).failure;
  // PSK with hint: [SH, SKE, SHD].
  assert.equal(f(SCENARIOS[0], (m) => [m[0], msg(12, Buffer.concat([m[1].subarray(4), Buffer.from([0])])), m[2]])?.alert, 50, 'SKE with a trailing byte');
  assert.equal(f(SCENARIOS[0], (m) => [m[0], msg(12, Buffer.concat([Buffer.from([0, 200]), Buffer.alloc(200, 0x61)])), m[2]])?.alert, 80, 'a hint longer than the slot keeps');
  assert.equal(f(SCENARIOS[0], (m) => [m[0], m[1], msg(14, Buffer.from([0]))])?.alert, 50, 'ServerHelloDone with a body');
  assert.equal(f(SCENARIOS[0], (m) => [m[0], m[1], m[1], m[2]])?.alert, 10, 'two ServerKeyExchanges');
  assert.equal(f(SCENARIOS[0], (m) => [m[0], msg(11, Buffer.from([0, 0, 0])), m[2]])?.alert, 10, 'a Certificate');
  // ECDHE-PSK: [SH, SKE (hint, curve, point), SHD].
  const ske = (curveType: number, group: number, point: Buffer) => msg(12, Buffer.concat([Buffer.from([0, 0, curveType, group >> 8, group & 0xff, point.length]), point]));
  assert.equal(f(SCENARIOS[1], (m) => [m[0], m[2]])?.alert, 10, 'ECDHE-PSK without ServerKeyExchange');
  assert.equal(f(SCENARIOS[1], (m) => [m[0], ske(3, 0x17, randomBytes(65)), m[2]])?.alert, 47, 'a group we did not list');
  assert.equal(f(SCENARIOS[1], (m) => [m[0], ske(1, 0x1d, randomBytes(32)), m[2]])?.alert, 47, 'explicit curve parameters');
  assert.equal(f(SCENARIOS[1], (m) => [m[0], ske(3, 0x1d, randomBytes(31)), m[2]])?.alert, 47, 'a 31-byte X25519 share');
  assert.equal(f(SCENARIOS[1], (m) => [m[0], ske(3, 0x1d, Buffer.alloc(32)), m[2]])?.alert, 47, 'an all-zero X25519 share (zero secret)');
  // The ServerHello: an extension we did not offer, supported_versions to a 1.2-only client, a suite we did not offer.
  const shWith = (m: Buffer[], extra: Buffer) => {
    const sh = m[0].subarray(4);
    let i = 2 + 32;
    i += 1 + sh[i];
    i += 3;
    const exts = Buffer.concat([sh.subarray(i + 2), extra]);
    return [msg(2, Buffer.concat([sh.subarray(0, i), Buffer.from([exts.length >> 8, exts.length & 0xff]), exts])), ...m.slice(1)];
  };
  assert.equal(f(SCENARIOS[0], (m) => shWith(m, ext(35)))?.alert, 110, 'session_ticket not offered');
  assert.equal(f(SCENARIOS[0], (m) => shWith(m, ext(43, Buffer.from([3, 3]))))?.alert, 110, 'supported_versions to a TLS 1.2-only client');
  assert.equal(f(SCENARIOS[0], (m) => shWith(m, ext(EXT.EMS)))?.alert, 110, 'extended_master_secret twice');
  assert.equal(f(SCENARIOS[0], (m) => {
    const sh = Buffer.from(m[0]);
    const at = 4 + 2 + 32 + 1 + sh[4 + 2 + 32];
    sh.writeUInt16BE(0xccab, at);
    return [sh, ...m.slice(1)];
  })?.alert, 47, 'a suite we did not offer');
});

test('hand-made ClientKeyExchanges at the server: empty identity, an identity longer than the slot keeps, a bad X25519 share', () => {
  const cke = (body: Buffer) => Buffer.concat([Buffer.from([22, 3, 3, 0, body.length + 4, 16, 0, 0, body.length]), body]);
  const withId = (id: Buffer, point?: Buffer) => cke(Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id, point ? Buffer.concat([Buffer.from([point.length]), point]) : Buffer.alloc(0)]));
  assert.equal(injected('client', 1, () => withId(Buffer.alloc(0))).failure?.alert, 115, 'empty identity');
  assert.equal(injected('client', 1, () => withId(Buffer.alloc(129, 0x61))).failure?.alert, 115, '129-byte identity');
  assert.equal(injected('client', 1, () => cke(Buffer.concat([Buffer.from([0, 20]), ID]))).failure?.alert, 50, 'identity shorter than its length');
  assert.equal(injected('client', 1, () => withId(ID, randomBytes(31)), SCENARIOS[1]).failure?.alert, 47, '31-byte share');
  assert.equal(injected('client', 1, () => withId(ID, Buffer.alloc(32)), SCENARIOS[1]).failure?.alert, 47, 'all-zero share');
  assert.equal(injected('client', 1, () => withId(ID), SCENARIOS[1]).failure?.alert, 50, 'ECDHE-PSK without a share');
});

test('summary: outcome tally of the bit flips', (t) => {
  t.diagnostic(JSON.stringify(Object.fromEntries([...tally].sort())));
  assert.ok(tally.size > 0);
});
