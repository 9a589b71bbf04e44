// TLS 1.2 PSK, the engine against real peers on 127.0.0.1, both roles:
// `openssl s_server -tls1_2 -psk` / `openssl s_client -tls1_2 -psk` (OpenSSL
// 3.0) and node:tls (ciphers 'PSK-...', maxVersion 'TLSv1.2'), for every
// TLS 1.2 suite the engine has (all six are in `openssl ciphers -v PSK`),
// with and without an identity hint, checked by identical CLIENT_RANDOM
// key-log lines (openssl), Finished values and exporters (node), the hint
// as the peer reports it, and data both ways. Then the failures OpenSSL
// must see the same way: wrong key (bad_record_mac), unknown identity
// (unknown_psk_identity), and renegotiation in either direction (refused
// with a no_renegotiation warning, which OpenSSL turns into handshake_failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import { SUITES12, SUITE_NAMES as NAME_OF_ID, type EngineConfig } from '../../src/engine/config.ts';

/** The IANA name the engine reports for an OpenSSL suite name. */
const iana = (openssl: string) => NAME_OF_ID[SUITES12[openssl]];
import { connectRetry, driveConn, freePort, keylogSet, spawnPeer, waitFor, type EngineSocket } from '../helpers/peers.ts';

const ID = 'device-0001';
const PSK = randomBytes(32);
const HINT = 'gateway-7';
const SUITES = Object.keys(SUITES12);
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-tls12-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

const v12 = (suite: string, extra: EngineConfig = {}): EngineConfig => ({ suites: [suite], minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', keylog: true, ...extra });

async function sServer(suite: string, args: string[]) {
  const port = await freePort();
  const keylog = join(dir, `s${seq++}.keys`);
  const peer = spawnPeer('openssl', ['s_server', '-tls1_2', '-nocert', '-accept', `127.0.0.1:${port}`, '-cipher', suite,
    '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', keylog, ...args]);
  return { peer, port, keylog };
}

/** A net server of echoing engine server connections. */
async function engineServer(cfg: EngineConfig, keyFor: (id: string) => Buffer | null = (id) => (id === ID ? PSK : null)) {
  const engine = new Engine();
  const conns: EngineSocket[] = [];
  const server = net.createServer((sock) => {
    conns.push(driveConn(engine.open('server', cfg), sock, { echo: true, onHello: (ev) => ({ psk: keyFor(ev.identity.toString()) }) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { conns, port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

for (const suite of SUITES) {
  for (const hint of [false, true]) {
    test(`engine client -> openssl s_server -tls1_2, ${suite}${hint ? ', -psk_hint' : ''}: same master secret, echo`, async () => {
      const srv = await sServer(suite, ['-rev', ...(hint ? ['-psk_hint', HINT] : [])]);
      const c = driveConn(new Engine().open('client', v12(suite, { pskIdentity: Buffer.from(ID), psk: PSK })), await connectRetry(srv.port));
      try {
        await c.handshaken();
        assert.equal(c.conn.version, 'TLSv1.2');
        assert.equal(c.conn.suite, iana(suite));
        assert.equal(c.conn.identityHint?.toString() ?? null, hint ? HINT : null);
        await reversedAndSameKeylog(c, srv.keylog, 'tls12 over openssl');
      } finally {
        c.conn.close();
        c.socket.destroy();
        await srv.peer.kill();
      }
    });

    test(`openssl s_client -tls1_2 -> engine server, ${suite}${hint ? ' with a hint' : ''}: same master secret, echo`, async () => {
      const es = await engineServer(v12(suite, hint ? { identityHint: Buffer.from(HINT) } : {}));
      const keylog = join(dir, `c${seq++}.keys`);
      const peer = spawnPeer('openssl', ['s_client', '-tls1_2', '-connect', `127.0.0.1:${es.port}`, '-cipher', suite,
        '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', keylog, '-quiet', '-debug']);
      try {
        peer.proc.stdin!.write('ping-tls12\n');
        await waitFor(() => peer.stdout().toString().includes('ping-tls12'), 'the echo in s_client');
        const s = es.conns[0];
        assert.equal(s.conn.version, 'TLSv1.2');
        assert.equal(s.conn.suite, iana(suite));
        assert.equal(s.conn.identity.toString(), ID);
        // s_client -debug prints the hint its PSK callback got.
        const out = peer.stdout().toString();
        if (hint) assert.match(out, new RegExp(`Received PSK identity hint '${HINT}'`));
        else assert.match(out, /NULL received PSK identity hint/);
        await waitFor(() => readFileSync(keylog, 'utf8').includes('CLIENT_RANDOM'), "s_client's key log");
        assert.deepEqual(keylogSet(readFileSync(keylog, 'utf8')), s.keylog().sort());
      } finally {
        await peer.kill();
        for (const s of es.conns) s.conn.close();
        es.close();
      }
    });
  }
}

/** Sends `line` to an s_server -rev peer and waits for it reversed; then s_server's key log (`keylog`) and the engine's agree. */
async function reversedAndSameKeylog(c: EngineSocket, keylog: string, line: string) {
  c.send(Buffer.from(line + '\n'));
  const back = [...line].reverse().join('');
  await waitFor(() => c.received().toString().includes(back), 'the reversed line');
  await waitFor(() => readFileSync(keylog, 'utf8').includes('CLIENT_RANDOM'), "s_server's key log");
  assert.deepEqual(keylogSet(readFileSync(keylog, 'utf8')), c.keylog().sort());
}

/**
 * openssl s_client (TLS 1.2, `suite`, PSK `psk` for `identity`) against an engine server that
 * must refuse it: the engine's failure is `failure`, and OpenSSL's stderr says `said`.
 */
async function engineServerRefuses(suite: string, psk: Buffer, identity: string, failure: object, said: RegExp) {
  const es = await engineServer(v12(suite));
  const peer = spawnPeer('openssl', ['s_client', '-tls1_2', '-connect', `127.0.0.1:${es.port}`, '-cipher', suite,
    '-psk', psk.toString('hex'), '-psk_identity', identity]);
  try {
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'failed', 'the engine server to fail');
    assert.deepEqual(es.conns[0].conn.failure, failure);
    await peer.exited;
    assert.match(peer.stderr(), said);
  } finally {
    await peer.kill();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
}

test('ECDHE-PSK on P-256 with openssl both ways: s_server -groups P-256 and s_client -groups P-256 (same master secret)', async () => {
  const suite = 'ECDHE-PSK-CHACHA20-POLY1305';
  const srv = await sServer(suite, ['-rev', '-groups', 'P-256']);
  const c = driveConn(new Engine().open('client', v12(suite, { pskIdentity: Buffer.from(ID), psk: PSK, groups: ['x25519', 'secp256r1'] })), await connectRetry(srv.port));
  try {
    await c.handshaken();
    assert.equal(c.conn.engine.x.info(c.conn.id, 22 /* I_GROUP */), 0x0017, 's_server -groups P-256: secp256r1');
    await reversedAndSameKeylog(c, srv.keylog, 'p256 tls12');
  } finally {
    c.conn.close();
    c.socket.destroy();
    await srv.peer.kill();
  }
  const es = await engineServer(v12(suite, { groups: ['secp256r1'] }));
  const keylog = join(dir, `c${seq++}.keys`);
  const peer = spawnPeer('openssl', ['s_client', '-tls1_2', '-connect', `127.0.0.1:${es.port}`, '-cipher', suite, '-groups', 'P-256',
    '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', keylog, '-quiet']);
  try {
    peer.proc.stdin!.write('ping-p256\n');
    await waitFor(() => peer.stdout().toString().includes('ping-p256'), 'the echo in s_client');
    await waitFor(() => readFileSync(keylog, 'utf8').includes('CLIENT_RANDOM'), "s_client's key log");
    assert.deepEqual(keylogSet(readFileSync(keylog, 'utf8')), es.conns[0].keylog().sort());
    assert.equal(es.conns[0].conn.engine.x.info(es.conns[0].conn.id, 22 /* I_GROUP */), 0x0017);
  } finally {
    await peer.kill();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
});

test('openssl, wrong key: s_server and the engine server both answer with bad_record_mac', async () => {
  const srv = await sServer('PSK-AES128-GCM-SHA256', []);
  const c = driveConn(new Engine().open('client', v12('PSK-AES128-GCM-SHA256', { pskIdentity: Buffer.from(ID), psk: randomBytes(32) })), await connectRetry(srv.port));
  try {
    await c.failed();
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 20, local: false });
  } finally {
    c.conn.close();
    c.socket.destroy();
    await srv.peer.kill();
  }
  await engineServerRefuses('PSK-CHACHA20-POLY1305', randomBytes(32), ID, { reason: 'bad_record_mac', alert: 20, local: true }, /bad record mac/);
});

test('unknown identity: node:tls\'s server and the engine server both answer with unknown_psk_identity', async () => {
  // (openssl s_server -psk only warns about an unexpected identity and goes on with its key, so node:tls's server is the peer here.)
  const srv = await nodeServer('PSK-AES128-CCM');
  const c = driveConn(new Engine().open('client', v12('PSK-AES128-CCM', { pskIdentity: Buffer.from('stranger'), psk: PSK })), await connectRetry(srv.port));
  try {
    await c.failed();
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 115, local: false });
    assert.deepEqual(srv.identities, ['stranger']);
  } finally {
    c.conn.close();
    c.socket.destroy();
    srv.close();
  }
  await engineServerRefuses('PSK-AES128-CCM', PSK, 'stranger', { reason: 'psk_unknown_identity', alert: 115, local: true }, /unknown psk identity/);
});

test('renegotiation refused: s_client "R" gets no_renegotiation from the engine server; s_server "r" (HelloRequest) gets it from the engine client', async () => {
  const es = await engineServer(v12('PSK-AES128-GCM-SHA256'));
  const peer = spawnPeer('openssl', ['s_client', '-tls1_2', '-connect', `127.0.0.1:${es.port}`, '-cipher', 'PSK-AES128-GCM-SHA256',
    '-psk', PSK.toString('hex'), '-psk_identity', ID]);
  try {
    await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'open', 'the engine server handshake');
    peer.proc.stdin!.write('R\n');
    await peer.exited;
    assert.match(peer.stderr(), /RENEGOTIATING[\s\S]*no renegotiation/);
    // The engine refused with a warning and stayed up; OpenSSL gave up the connection (handshake_failure).
    await waitFor(() => es.conns[0].conn.state === 'failed', 'the client alert');
    assert.deepEqual(es.conns[0].conn.failure, { reason: 'peer_alert', alert: 40, local: false });
  } finally {
    await peer.kill();
    for (const s of es.conns) s.conn.close();
    es.close();
  }
  const srv = await sServer('PSK-AES128-GCM-SHA256', []);
  const c = driveConn(new Engine().open('client', v12('PSK-AES128-GCM-SHA256', { pskIdentity: Buffer.from(ID), psk: PSK })), await connectRetry(srv.port));
  try {
    await c.handshaken();
    c.send(Buffer.from('before\n'));
    await waitFor(() => srv.peer.stdout().toString().includes('before'), 's_server to print the data');
    const sentBefore = c.outbound.records.length;
    srv.peer.proc.stdin!.write('r\n');
    await waitFor(() => c.conn.state === 'failed', 's_server to give up after our refusal');
    // Our answer to the HelloRequest was one alert record (the no_renegotiation warning), nothing else.
    assert.deepEqual(c.outbound.records.slice(sentBefore).map((r) => r.type), [21]);
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 40, local: false });
  } finally {
    c.conn.close();
    c.socket.destroy();
    await srv.peer.kill();
  }
});

/** Node's own TLS 1.2 PSK server; the hint as node sends it. */
async function nodeServer(suite: string, hint?: string) {
  const sockets: tls.TLSSocket[] = [];
  const identities: string[] = [];
  const server = tls.createServer({
    ciphers: suite, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', pskIdentityHint: hint,
    pskCallback: (_s, identity) => {
      identities.push(identity);
      return identity === ID ? PSK : null;
    },
  }, (s) => {
    sockets.push(s);
    s.on('data', (d) => s.write(d));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { sockets, identities, port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

function sameKeys(node: tls.TLSSocket, conn: EngineSocket['conn'], nodeIsClient: boolean) {
  assert.equal(node.getProtocol(), 'TLSv1.2');
  const [mine, theirs] = nodeIsClient ? [conn.clientFinished, conn.serverFinished] : [conn.serverFinished, conn.clientFinished];
  assert.equal(node.getFinished()!.toString('hex'), mine.toString('hex'), 'Finished node sent');
  assert.equal(node.getPeerFinished()!.toString('hex'), theirs.toString('hex'), 'Finished node received');
  const ctx = randomBytes(5);
  const ekm = (x: { exportKeyingMaterial(n: number, l: string, c?: Buffer): Buffer }, c?: Buffer) => x.exportKeyingMaterial(32, 'EXPERIMENTAL t12', c).toString('hex');
  assert.equal(ekm(node, ctx), ekm(conn, ctx), 'exporter with a context');
  assert.equal(ekm(node), ekm(conn), 'exporter without a context');
}

for (const suite of SUITES) {
  test(`node:tls, ${suite}: engine client -> node server with pskIdentityHint, node client (pskCallback(hint)) -> engine server`, async () => {
    const srv = await nodeServer(suite, HINT);
    const c = driveConn(new Engine().open('client', v12(suite, { askPsk: true })), await connectRetry(srv.port));
    const hints: (string | null)[] = [];
    c.socket.on('data', () => {}); // driveConn reads it; events come through c.events
    const answer = setInterval(() => {
      const ev = c.events.find((e) => e.kind === 'pskHint');
      if (ev && ev.kind === 'pskHint' && hints.length === 0) {
        hints.push(ev.hint?.toString() ?? null);
        c.conn.pskReply({ identity: Buffer.from(ID), psk: PSK });
        c.kick();
      }
    }, 2);
    try {
      await c.handshaken();
      assert.deepEqual(hints, [HINT]);
      await waitFor(() => srv.sockets.length === 1, 'the node server connection');
      assert.equal(srv.sockets[0].getCipher().name, suite);
      assert.deepEqual(srv.identities, [ID]);
      sameKeys(srv.sockets[0], c.conn, false);
      c.send(Buffer.from('up'));
      await waitFor(() => c.received().toString() === 'up', 'the echo');
    } finally {
      clearInterval(answer);
      c.conn.close();
      c.socket.destroy();
      srv.close();
    }
    const es = await engineServer(v12(suite, { identityHint: Buffer.from(HINT) }));
    const seen: (string | null)[] = [];
    const node = tls.connect({
      port: es.port, host: '127.0.0.1', ciphers: suite, maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined,
      pskCallback: (hint) => {
        seen.push(hint);
        return { psk: PSK, identity: ID };
      },
    });
    node.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        node.once('secureConnect', resolve);
        node.once('error', reject);
      });
      assert.deepEqual(seen, [HINT]);
      assert.equal(node.getCipher().name, suite);
      await waitFor(() => es.conns.length === 1 && es.conns[0].conn.state === 'open', 'the engine server handshake');
      sameKeys(node, es.conns[0].conn, true);
      node.write('down');
      const got = await new Promise<string>((r) => node.once('data', (d) => r(d.toString())));
      assert.equal(got, 'down');
    } finally {
      node.destroy();
      for (const s of es.conns) s.conn.close();
      es.close();
    }
  });
}
