// Closing a slot leaves no secret in linear memory. For every suite, both
// roles, psk_ke and psk_dhe_ke, with and without a HelloRetryRequest, a client
// and a server engine (build/psk.wasm, one instance each, random bytes drawn
// through a recording random_fill) handshake, exchange data, update their
// keys both ways (KeyUpdate with update_requested), exchange data again and
// run an exporter; then both slots are closed and each instance's WHOLE
// linear memory is scanned for every 8-byte window of every secret the test
// can name: the PSK and identity, the key-log secrets, everything derived
// from them with node:crypto (keys, IVs, finished keys, the next generations
// after KeyUpdate, per-record nonces, GCM's H and E(K, J0), ChaCha20's
// Poly1305 keys, the HMAC pads of every secret that keys an HMAC), the key
// schedule from the PSK, the X25519 private-key candidates and shared secrets,
// the transcript hashes of the messages sent in the clear, the exporter's
// intermediate secret and its output. A failed handshake (a wrong PSK) is
// scanned the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes, randomFillSync } from 'node:crypto';
import { wasmPath, boardWasmPath } from '../../src/engine/wasm-module.ts';
import { engineAround, initEngine, instantiateWith } from '../../src/sim/board.ts';
import { loadBoard, boardNames } from '../../src/bundle/board.ts';
import { FULL_SIZE_RECORD_BUFFER, type Engine, type Conn, type EngineEvent } from '../../src/engine/engine.ts';
import type { KxMode } from '../../src/engine/config.ts';
import { IP_CLIENT_RANDOM } from '../../src/engine/abi.ts';
import { Secrets, findSecrets, describeHits } from '../helpers/memory-scan.ts';
import { SUITE_PARAMS, addKeySchedule, addTrafficSecret, deriveSecret, digest, expandLabel, hashLen, addHmacPads, type SuiteParams, type Group } from '../helpers/tls13-secrets.ts';

interface Instance { engine: Engine; draws: Buffer[]; file: string }

const modules = new Map<string, WebAssembly.Module>();
function instance(file: string, geometry = { slots: 2, recvCap: FULL_SIZE_RECORD_BUFFER, sendCap: FULL_SIZE_RECORD_BUFFER, hsCap: 2048 }): Instance {
  let mod = modules.get(file);
  if (!mod) modules.set(file, (mod = new WebAssembly.Module(readFileSync(file))));
  const draws: Buffer[] = [];
  const inst = instantiateWith(mod, (out) => {
    randomFillSync(out);
    draws.push(Buffer.from(out));
  });
  return { engine: initEngine(engineAround(inst, geometry)), draws, file };
}

interface Peer { conn: Conn; events: EngineEvent[]; app: Buffer[]; wire: Buffer[] }
const peer = (conn: Conn): Peer => ({ conn, events: [], app: [], wire: [] });

/** Moves bytes both ways until nothing moves, answering the server's clientHello with `psk`; records what each side sent. */
function shuttle(c: Peer, s: Peer, psk: Uint8Array): void {
  const inbox = new Map<Peer, Buffer>([[c, Buffer.alloc(0)], [s, Buffer.alloc(0)]]);
  for (let round = 0, moved = true; moved; round++) {
    assert.ok(round < 1000, 'the exchange settles');
    moved = false;
    for (const [from, to] of [[c, s], [s, c]] as const) {
      if (from.conn.isClosed) continue;
      for (const ev of from.conn.events()) {
        from.events.push(ev);
        moved = true;
        if (ev.kind === 'clientHello') from.conn.helloReply({ psk });
      }
      for (let d = from.conn.readApp(); d; d = from.conn.readApp()) {
        from.app.push(Buffer.from(d));
        moved = true;
      }
      const out = from.conn.takeOutput();
      if (out) {
        from.wire.push(Buffer.from(out));
        inbox.set(to, Buffer.concat([inbox.get(to)!, out]));
        moved = true;
      }
      const pending = inbox.get(to)!;
      if (pending.length && !to.conn.isClosed) {
        const n = to.conn.feed(pending);
        if (n) {
          inbox.set(to, pending.subarray(n));
          moved = true;
        }
      }
    }
  }
}

/** The handshake messages a side sent in plaintext records (before its first protected record). */
function clearMessages(wire: Buffer[]): Buffer[] {
  const b = Buffer.concat(wire);
  let hs = Buffer.alloc(0);
  for (let off = 0; off + 5 <= b.length; ) {
    const type = b[off];
    const len = b.readUInt16BE(off + 3);
    if (type === 23) break;
    if (type === 22) hs = Buffer.concat([hs, b.subarray(off + 5, off + 5 + len)]);
    off += 5 + len;
  }
  const msgs: Buffer[] = [];
  for (let off = 0; off + 4 <= hs.length; ) {
    const len = hs.readUIntBE(off + 1, 3);
    msgs.push(hs.subarray(off, off + 4 + len));
    off += 4 + len;
  }
  return msgs;
}

/** Transcript hashes of the clear part of the handshake (RFC 8446 §4.4.1, with the HRR message_hash); returns the one through ServerHello. */
function addClearTranscript(out: Secrets, s: SuiteParams, fromClient: Buffer[], fromServer: Buffer[]): Buffer {
  const h = s.hash;
  const hl = hashLen(h);
  const binders = 2 + 1 + hl; // one identity's binders list ends the ClientHello
  let prefix = Buffer.alloc(0);
  const [ch1, ch2] = fromClient;
  out.add('Transcript-Hash(truncated ClientHello)', digest(h, Buffer.concat([prefix, ch1.subarray(0, ch1.length - binders)])));
  out.add('Transcript-Hash(ClientHello)', digest(h, ch1));
  if (ch2) {
    const mh = Buffer.concat([Buffer.from([0xfe, 0, 0, hl]), digest(h, ch1)]);
    const [hrr, sh] = fromServer;
    prefix = Buffer.concat([mh, hrr]);
    out.add('Transcript-Hash(message_hash, HRR)', digest(h, prefix));
    out.add('Transcript-Hash(message_hash, HRR, truncated ClientHello2)', digest(h, Buffer.concat([prefix, ch2.subarray(0, ch2.length - binders)])));
    out.add('Transcript-Hash(message_hash, HRR, ClientHello2)', digest(h, Buffer.concat([prefix, ch2])));
    return out.add('Transcript-Hash(.. ServerHello)', digest(h, Buffer.concat([prefix, ch2, sh]))) as Buffer;
  }
  return out.add('Transcript-Hash(ClientHello, ServerHello)', digest(h, Buffer.concat([ch1, fromServer[0]]))) as Buffer;
}

const LABELS: Record<string, string> = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'client_handshake_traffic_secret',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'server_handshake_traffic_secret',
  CLIENT_TRAFFIC_SECRET_0: 'client_application_traffic_secret_0',
  SERVER_TRAFFIC_SECRET_0: 'server_application_traffic_secret_0',
  EXPORTER_SECRET: 'exporter_master_secret',
};

/** The key-log secrets a side reported, by RFC 8446 name. */
function keylogSecrets(events: EngineEvent[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const e of events) {
    if (e.kind !== 'keylog') continue;
    const [label, , secret] = e.line.trim().split(' ');
    m.set(LABELS[label], Buffer.from(secret, 'hex'));
  }
  return m;
}

function assertClean(what: string, insts: Instance[], secrets: Secrets): void {
  for (const [i, inst] of insts.entries()) {
    const mem = new Uint8Array(inst.engine.x.memory.buffer);
    const hits = findSecrets(mem, secrets);
    assert.equal(hits.length, 0, `${what}: ${i ? 'server' : 'client'} instance still holds ${hits.length} of ${secrets.size} secrets after close: ${describeHits(hits)}`);
    // Stronger, and blind to what the test can derive: with every slot
    // closed, the whole memory is what a fresh instance of the module holds
    // after init() — static data, scratch, io area and arena alike.
    const diff = differingRanges(mem, new Uint8Array(instance(inst.file, inst.engine.geometry).engine.x.memory.buffer));
    assert.deepEqual(diff, [], `${what}: ${i ? 'server' : 'client'} memory differs from a fresh instance's at ${diff.join(', ')}`);
  }
}

/** Address ranges where two memories differ ("0x1230..0x1240"), a length mismatch as one range. */
function differingRanges(a: Uint8Array, b: Uint8Array): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`size ${a.length} vs ${b.length}`);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    let j = i;
    while (j < n && a[j] !== b[j]) j++;
    out.push(`0x${i.toString(16)}..0x${j.toString(16)}`);
    i = j;
  }
  return out;
}

interface Case { s: SuiteParams; kx: KxMode; hrr: boolean; client: string; server: string; group?: Group; clientGeometry?: ReturnType<typeof loadBoard>['pool'] }

function runCase({ s, kx, hrr, client: clientFile, server: serverFile, group, clientGeometry }: Case): void {
  const psk = randomBytes(hashLen(s.hash));
  const identity = randomBytes(24);
  const ci = clientGeometry ? instance(clientFile, clientGeometry) : instance(clientFile);
  const si = instance(serverFile);
  const pskHash = s.hash;
  const groups = group ? [group] : undefined;
  const c = peer(ci.engine.open('client', { pskIdentity: identity, psk, suites: [s.name], kxModes: [kx], pskHash, keylog: true, groups }));
  const sv = peer(si.engine.open('server', { suites: [s.name], kxModes: [kx], pskHash, keylog: true, forceHrr: hrr, groups }));
  shuttle(c, sv, psk);
  assert.equal(c.conn.state, 'open', `client: ${JSON.stringify(c.events)}`);
  assert.equal(sv.conn.state, 'open');
  assert.equal(c.conn.helloRetried, hrr);
  // Data, a KeyUpdate both ways, data again, an exporter on each side.
  for (const [p, msg] of [[c, 'ping'], [sv, 'pong']] as const) assert.ok(p.conn.writeApp(Buffer.from(msg)) > 0);
  shuttle(c, sv, psk);
  assert.equal(c.conn.keyUpdate(true), 0);
  shuttle(c, sv, psk);
  for (const [p, msg] of [[c, 'after update'], [sv, 'after update too']] as const) assert.ok(p.conn.writeApp(Buffer.from(msg)) > 0);
  shuttle(c, sv, psk);
  assert.deepEqual(Buffer.concat(sv.app).toString(), 'pingafter update');
  assert.deepEqual(Buffer.concat(c.app).toString(), 'pongafter update too');
  assert.ok(c.events.some((e) => e.kind === 'keyUpdate' && e.peer) && sv.events.some((e) => e.kind === 'keyUpdate' && e.peer), 'both sides updated their keys');
  // While both slots are still open: every secret the KeyUpdate superseded
  // (the handshake secrets, generation 0 of the application secrets, their
  // keys and IVs) is gone, including the key-log events' copies (event_pop
  // wipes event data); the current generation is there (the scan can see it).
  const superseded = new Secrets();
  const current = new Secrets();
  for (const [name, secret] of keylogSecrets(c.events)) {
    if (name === 'exporter_master_secret') continue;
    superseded.add(name, secret);
    superseded.add(`${name} key`, expandLabel(s.hash, secret, 'key', new Uint8Array(0), s.keyLen));
    superseded.add(`${name} iv`, expandLabel(s.hash, secret, 'iv', new Uint8Array(0), 12));
    if (name.includes('application')) current.add(`${name} after one KeyUpdate`, expandLabel(s.hash, secret, 'traffic upd', new Uint8Array(0), hashLen(s.hash)));
  }
  for (const inst of [ci, si]) {
    const mem = new Uint8Array(inst.engine.x.memory.buffer);
    const stale = findSecrets(mem, superseded);
    assert.equal(stale.length, 0, `open slots still hold superseded secrets: ${describeHits(stale)}`);
    assert.equal(findSecrets(mem, current).length, 2, 'both current application secrets are in the slot');
  }
  const label = 'EXPERIMENTAL memory scan';
  const context = randomBytes(16);
  const ekm = c.conn.exportKeyingMaterial(32, label, context);
  assert.ok(ekm.equals(sv.conn.exportKeyingMaterial(32, label, context)));

  const secrets = new Secrets();
  secrets.add('PSK', psk);
  secrets.add('PSK identity', identity);
  const logged = keylogSecrets(c.events);
  assert.deepEqual([...logged.keys()].sort(), Object.values(LABELS).sort(), 'the client logged all five secrets');
  assert.deepEqual([...keylogSecrets(sv.events)].map(([k, v]) => `${k}=${v.toString('hex')}`).sort(), [...logged].map(([k, v]) => `${k}=${v.toString('hex')}`).sort());
  for (const [name, secret] of logged) {
    if (name === 'exporter_master_secret') {
      secrets.add(name, secret);
      addHmacPads(secrets, name, s.hash, secret);
      const derived = secrets.add('exporter: Derive-Secret(exporter_master_secret, label, "")', deriveSecret(s.hash, secret, label, digest(s.hash, new Uint8Array(0))));
      addHmacPads(secrets, 'exporter derived secret', s.hash, derived);
      secrets.add('exporter: Hash(context)', digest(s.hash, context));
      // The output itself, as exportKeyingMaterial got it.
      assert.ok(ekm.equals(expandLabel(s.hash, derived, 'exporter', digest(s.hash, context), 32)), 'the test derives the exporter as the engine does');
      secrets.add('exporter output', ekm);
    } else {
      addTrafficSecret(secrets, name, s, secret);
    }
  }
  const hsSecrets = addKeySchedule(secrets, s, psk, kx === 'psk_dhe_ke' ? { group, client: ci.draws.filter((d) => d.length === 32), server: si.draws.filter((d) => d.length === 32) } : null);
  const thSh = addClearTranscript(secrets, s, clearMessages(c.wire), clearMessages(sv.wire));
  // The derivations are the engine's: one candidate handshake secret and the
  // clear transcript give the client handshake traffic secret it logged.
  const logged0 = logged.get('client_handshake_traffic_secret')!;
  assert.ok(hsSecrets.some((hs) => deriveSecret(s.hash, hs, 'c hs traffic', thSh).equals(logged0)), 'the test derives the key schedule and transcript as the engine does');

  // Before close the slot holds its live secrets: the scan finds them (it can fail).
  assert.ok(findSecrets(new Uint8Array(ci.engine.x.memory.buffer), secrets).some((h) => h.name.startsWith('PSK')), 'an open client slot holds its PSK');
  // Between calls no shared scratch keeps one: the module's static data (below heap_base) holds none.
  for (const inst of [ci, si]) {
    const hits = findSecrets(new Uint8Array(inst.engine.x.memory.buffer, 0, inst.engine.x.heap_base()), secrets);
    assert.equal(hits.length, 0, `static data holds secrets between calls: ${describeHits(hits)}`);
  }
  c.conn.close();
  sv.conn.close();
  assertClean(`${s.name} ${kx}${hrr ? ' HRR' : ''}`, [ci, si], secrets);
}

const PSK_WASM = wasmPath('psk');

for (const s of SUITE_PARAMS) {
  for (const kx of ['psk_ke', 'psk_dhe_ke'] as KxMode[]) {
    // A HelloRetryRequest asks for another key share: psk_dhe_ke only (a psk_ke client sends none).
    const hrrs = kx === 'psk_dhe_ke' ? [false, true] : [false];
    test(`${s.name} ${kx}: after close, neither the client's nor the server's memory holds any secret${kx === 'psk_dhe_ke' ? ' (with and without HRR)' : ''}`, () => {
      for (const hrr of hrrs) runCase({ s, kx, hrr, client: PSK_WASM, server: PSK_WASM });
    });
    if (kx === 'psk_dhe_ke') {
      test(`${s.name} psk_dhe_ke on secp256r1: after close no secret is left (with and without HRR)`, () => {
        for (const hrr of hrrs) runCase({ s, kx, hrr, client: PSK_WASM, server: PSK_WASM, group: 'secp256r1' });
      });
    }
  }

  test(`${s.name}: a handshake that fails (the server holds another PSK) leaves no secret of either PSK after close`, () => {
    const psk = randomBytes(hashLen(s.hash));
    const wrong = randomBytes(psk.length);
    const identity = randomBytes(24);
    const ci = instance(PSK_WASM);
    const si = instance(PSK_WASM);
    const c = peer(ci.engine.open('client', { pskIdentity: identity, psk, suites: [s.name], kxModes: ['psk_dhe_ke'], pskHash: s.hash, keylog: true }));
    const sv = peer(si.engine.open('server', { suites: [s.name], kxModes: ['psk_dhe_ke'], pskHash: s.hash, keylog: true }));
    shuttle(c, sv, wrong);
    assert.equal(sv.conn.state, 'failed');
    assert.equal(c.conn.state, 'failed');
    const secrets = new Secrets();
    secrets.add('PSK identity', identity);
    for (const [name, k] of [['client PSK', psk], ['server PSK', wrong]] as const) {
      secrets.add(name, k);
      addKeySchedule(secrets, s, k, { client: ci.draws.filter((d) => d.length === 32), server: si.draws.filter((d) => d.length === 32) });
    }
    c.conn.close();
    sv.conn.close();
    assertClean(`${s.name} failed handshake`, [ci, si], secrets);
  });
}

// The board modules (size-optimised, their own selection) wipe the same way:
// each board's client against the psk server, every suite and key exchange it holds.
for (const name of boardNames()) {
  const b = loadBoard(name);
  if (!b.engine.roles.includes('client')) continue;
  test(`boards/${name}: client module after close holds no secret (its suites x key exchanges, HRR under psk_dhe_ke)`, () => {
    for (const suite of b.engine.suites) {
      const s = SUITE_PARAMS.find((p) => p.name === suite)!;
      for (const kx of b.engine.kx as KxMode[]) runCase({ s, kx, hrr: kx === 'psk_dhe_ke', client: boardWasmPath(name), server: PSK_WASM, clientGeometry: b.pool });
    }
  });
}

// Key-log records only on demand: a slot without CF_KEYLOG never writes one.
// The server's memory is copied right after it derived its secrets and before
// the host drained its events; a key-log record is client_random || secret,
// so a window across that seam can only come from one.
for (const keylog of [true, false]) {
  test(`a server slot ${keylog ? 'with' : 'without'} CF_KEYLOG ${keylog ? 'queues' : 'never writes'} key-log records (client_random || secret)`, () => {
    const s = SUITE_PARAMS[0];
    const psk = randomBytes(32);
    const ci = instance(PSK_WASM);
    const si = instance(PSK_WASM);
    const c = peer(ci.engine.open('client', { pskIdentity: randomBytes(16), psk, suites: [s.name], keylog: true }));
    const sv = peer(si.engine.open('server', { suites: [s.name], keylog }));
    const hello = c.conn.takeOutput()!;
    assert.equal(sv.conn.feed(hello), hello.length);
    const evs = sv.conn.events();
    assert.equal(evs[0]?.kind, 'clientHello');
    sv.conn.helloReply({ psk });
    const snapshot = Buffer.from(new Uint8Array(si.engine.x.memory.buffer)); // events still queued
    sv.events.push(...evs);
    shuttle(c, sv, psk);
    assert.equal(sv.conn.state, 'open');
    const random = Buffer.from(new Uint8Array(ci.engine.x.memory.buffer).subarray(ci.engine.x.info_ptr(c.conn.id, IP_CLIENT_RANDOM), ci.engine.x.info_ptr(c.conn.id, IP_CLIENT_RANDOM) + 32));
    const seams = new Secrets();
    for (const e of c.events) {
      if (e.kind !== 'keylog') continue;
      const [label, r, secret] = e.line.trim().split(' ');
      assert.equal(r, random.toString('hex'));
      // Exactly the 8 bytes across the seam: the last 4 of client_random, the first 4 of the secret.
      seams.add(`${label} key-log record seam`, Buffer.concat([random.subarray(28), Buffer.from(secret, 'hex').subarray(0, 4)]));
    }
    assert.equal(seams.size, 5);
    const hits = findSecrets(snapshot, seams);
    assert.equal(sv.events.some((e) => e.kind === 'keylog'), keylog, 'EV_KEYLOG only with CF_KEYLOG');
    if (keylog) assert.ok(hits.length >= 2, `the queued records are seen (${describeHits(hits)})`);
    else assert.deepEqual(hits, [], `no key-log record without CF_KEYLOG: ${describeHits(hits)}`);
    c.conn.close();
    sv.conn.close();
  });
}
