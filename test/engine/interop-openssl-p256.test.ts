// The engine's secp256r1 (P-256) key exchange against the openssl CLI
// (OpenSSL 3.0.x), both roles, TLS 1.3 with a PSK: a P-256-only peer
// (`-groups P-256`, what a client with a P-256 secure element offers), the
// HelloRetryRequest from an X25519 share to P-256 in both directions, and
// a share that is not a point of the curve, refused by each side with
// illegal_parameter. Checked by the group each side reports (the engine's
// info, the ServerHello key_share on the wire, s_client's "Server Temp
// Key"), identical NSS key logs and data both ways.
//
// Every child is killed in `finally`, and every wait has a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createECDH } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { assertSameKeylog, cleanup, connectRetry, driveConn, freePort, listening, spawnPeer, waitFor, type EngineSocket } from '../helpers/peers.ts';
import { buildClientHello, ext, splitRecords } from '../helpers/tamper.ts';

const ID = 'device-0001';
const PSK = randomBytes(32);
const SUITE = 'TLS_AES_128_GCM_SHA256';
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-openssl-p256-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

function sServer(args: string[]) {
  return freePort().then((port) => {
    const keylog = join(dir, `s${seq++}.keys`);
    const peer = spawnPeer('openssl', [
      's_server', '-brief', '-nocert', '-tls1_3', '-accept', `127.0.0.1:${port}`, '-ciphersuites', SUITE,
      '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', keylog, ...args,
    ]);
    return { peer, port, keylog };
  });
}

function sClient(port: number, args: string[]) {
  const keylog = join(dir, `c${seq++}.keys`);
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-nocommands', '-tls1_3', '-connect', `127.0.0.1:${port}`, '-ciphersuites', SUITE,
    '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', keylog, ...args,
  ]);
  return { peer, keylog };
}

async function engineClientTo(port: number, cfg: EngineConfig): Promise<EngineSocket> {
  const socket = await connectRetry(port);
  return driveConn(new Engine().open('client', { pskIdentity: Buffer.from(ID), psk: PSK, keylog: true, ...cfg }), socket);
}

async function engineServer(cfg: EngineConfig) {
  const engine = new Engine();
  const conns: EngineSocket[] = [];
  const server = net.createServer((sock) => {
    conns.push(driveConn(engine.open('server', { keylog: true, ...cfg }), sock, {
      echo: true,
      onHello: (ev) => ({ psk: ev.identity.toString() === ID ? PSK : null }),
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { conns, port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

/** The ServerHello's key_share entry (group, key) from the first record the client received. */
function serverHelloShare(record: Buffer | undefined): { group: number; key: Buffer } {
  if (!record || record[0] !== 2) throw new Error('first record is not a ServerHello');
  let i = 4 + 2 + 32;
  i += 1 + record[i];
  i += 3;
  const end = i + 2 + record.readUInt16BE(i);
  for (i += 2; i + 4 <= end; i += 4 + record.readUInt16BE(i + 2)) {
    if (record.readUInt16BE(i) === 51) return { group: record.readUInt16BE(i + 4), key: record.subarray(i + 8, i + 8 + record.readUInt16BE(i + 6)) };
  }
  throw new Error('no key_share in the ServerHello');
}

for (const [what, cfg, hrr] of [
  ['a P-256-only engine client', { groups: ['secp256r1'] }, false],
  ['the default engine client (X25519 share): HelloRetryRequest to P-256', {}, true],
] as [string, EngineConfig, boolean][]) {
  test(`${what} -> openssl s_server -groups P-256: a 65-byte P-256 share, same secrets, data both ways`, async () => {
    const { peer, port, keylog } = await sServer(['-groups', 'P-256']);
    let c: EngineSocket | undefined;
    try {
      c = await engineClientTo(port, cfg);
      await c.handshaken();
      assert.equal(c.conn.group, 'secp256r1');
      assert.equal(c.conn.kx, 'psk_dhe_ke');
      assert.equal(c.conn.helloRetried, hrr);
      // The last ServerHello-type record before the keys change is the real ServerHello (an HRR came first when hrr).
      const hellos = c.inbound.records.filter((r) => r.type === 22).length;
      assert.equal(hellos, hrr ? 2 : 1, 'plaintext handshake records: [HRR,] ServerHello');
      if (!hrr) {
        const share = serverHelloShare(c.inbound.first);
        assert.equal(share.group, 0x0017);
        assert.equal(share.key.length, 65);
        assert.equal(share.key[0], 4, 'uncompressed point');
      }
      await assertSameKeylog(keylog, c);
      const up = randomBytes(64 * 1024);
      const down = randomBytes(64 * 1024);
      c.send(up);
      peer.proc.stdin!.write(down);
      await waitFor(() => peer.stdout().length >= up.length && c!.receivedBytes() >= down.length, 'data both ways');
      assert.ok(peer.stdout().equals(up));
      assert.ok(c.received().equals(down));
    } finally {
      await cleanup([peer], [c]);
    }
  });
}

for (const [what, clientGroups, serverCfg, hrr] of [
  ['openssl s_client -groups P-256 -> engine server (default groups)', 'P-256', {}, false],
  ['openssl s_client -groups X25519:P-256 (X25519 share) -> engine server with groups secp256r1 only: HelloRetryRequest', 'X25519:P-256', { groups: ['secp256r1'] }, true],
] as [string, string, EngineConfig, boolean][]) {
  test(`${what}: P-256, s_client's Server Temp Key, same secrets, echo`, async () => {
    const srv = await engineServer(serverCfg);
    const { peer, keylog } = sClient(srv.port, ['-groups', clientGroups]);
    try {
      await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
      const s = srv.conns[0];
      assert.equal(s.conn.group, 'secp256r1');
      assert.equal(s.conn.helloRetried, hrr);
      await waitFor(() => peer.stderr().includes('Server Temp Key: ECDH, prime256v1, 256 bits\n'), 's_client to name the P-256 key');
      await assertSameKeylog(keylog, s);
      const data = randomBytes(64 * 1024);
      peer.proc.stdin!.write(data);
      await waitFor(() => peer.stdout().length >= data.length, 'the echo');
      assert.ok(peer.stdout().equals(data));
    } finally {
      await cleanup([peer], srv.conns, srv.close);
    }
  });
}

test('a ServerHello P-256 share damaged on the way from s_server: the engine client refuses it (bad_point) with illegal_parameter', async () => {
  const { peer, port } = await sServer(['-groups', 'P-256']);
  await waitFor(() => listening(port), 's_server to listen');
  // A relay that flips one bit of the y-coordinate in the ServerHello's key share.
  const relay = net.createServer((down) => {
    const up = net.connect(port, '127.0.0.1');
    let pending = Buffer.alloc(0);
    let done = false;
    down.on('data', (d) => up.write(d));
    up.on('data', (d: Buffer) => {
      if (done) return void down.write(d);
      pending = Buffer.concat([pending, d]);
      const { records, rest } = splitRecords(pending);
      if (!records.length) return;
      const first = Buffer.from(records[0]);
      serverHelloShare(first.subarray(5)).key[64] ^= 0x01; // the last byte of y (the key is a view into `first`)
      done = true;
      down.write(Buffer.concat([first, ...records.slice(1), rest]));
    });
    const end = () => { down.destroy(); up.destroy(); };
    down.on('error', end); up.on('error', end); down.on('close', end); up.on('close', end);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo((relay.address() as net.AddressInfo).port, { groups: ['secp256r1'] });
    await c.failed();
    assert.deepEqual(c.conn.failure, { reason: 'bad_point', alert: 47, local: true });
    await waitFor(() => /illegal parameter/i.test(peer.stderr()), 's_server to report the illegal_parameter alert');
  } finally {
    await cleanup([peer], [c], () => relay.close());
  }
});

test('a ClientHello whose P-256 share is not on the curve (correct binder): s_server and the engine server both answer illegal_parameter', async () => {
  const e = createECDH('prime256v1');
  e.generateKeys();
  const bad = Buffer.from(e.getPublicKey());
  bad[64] ^= 0x01;
  const hello = buildClientHello({
    psk: PSK, identity: Buffer.from(ID), suites: [0x1301],
    extensions: [ext.versions(0x0304), ext.modes(1), ext.groups(0x0017), ext.keyShare(bad, 0x0017)],
  });
  /** Sends the hello to a server and collects what comes back: until it closes, or a whole alert record is in. */
  const answer = async (port: number) => {
    const s = await connectRetry(port);
    const got: Buffer[] = [];
    let closed = false;
    s.on('data', (d) => got.push(d));
    s.on('close', () => (closed = true));
    s.on('error', () => (closed = true));
    s.write(hello);
    await waitFor(() => closed || Buffer.concat(got).length >= 7, 'an answer to the ClientHello');
    s.destroy();
    return Buffer.concat(got);
  };
  const ALERT_ILLEGAL_PARAMETER = Buffer.from([21, 3, 3, 0, 2, 2, 47]);
  const { peer, port } = await sServer(['-groups', 'P-256']);
  try {
    const fromOpenssl = await answer(port);
    assert.ok(fromOpenssl.equals(ALERT_ILLEGAL_PARAMETER), `s_server answered ${fromOpenssl.toString('hex')}`);
    await waitFor(() => /bad ecpoint|illegal parameter/i.test(peer.stderr()), 's_server to name the bad point');
  } finally {
    await peer.kill();
  }
  const srv = await engineServer({});
  try {
    const fromEngine = await answer(srv.port);
    assert.ok(fromEngine.equals(ALERT_ILLEGAL_PARAMETER), `the engine server answered ${fromEngine.toString('hex')}`);
    assert.deepEqual(srv.conns[0].conn.failure, { reason: 'bad_point', alert: 47, local: true });
  } finally {
    await cleanup([], srv.conns, srv.close);
  }
});
