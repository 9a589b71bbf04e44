// The engine against the openssl CLI (OpenSSL 3.0.x s_server / s_client), in
// both roles: every TLS 1.3 suite x both PSK key-exchange modes, checked by
// the suite each side reports, the key exchange (ServerHello key_share on
// the wire, "Server Temp Key" in s_client), identical NSS key logs (every
// traffic secret and the exporter secret), and data both ways.
//
// What the CLI can do with a PSK: `-psk <hex>` builds a session fixed to
// TLS_AES_128_GCM_SHA256 (apps/s_server.c psk_find_session_cb, apps/s_client.c
// psk_use_session_cb), so that PSK is bound to SHA-256 and only the four
// SHA-256 suites use it (the CCM ones just need `-ciphersuites`); with
// TLS_AES_256_GCM_SHA384 alone s_server ignores the PSK, falls back to a
// certificate handshake and fails (the test below proves it). `-psk_session
// <file>` takes a whole SSL_SESSION, whose suite may be SHA-384: written by
// pskSessionPem(), it makes TLS_AES_256_GCM_SHA384 work in both roles.
//
// Every child is killed in `finally`, and every wait has a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import { SUITES, alpnWire, type EngineConfig, type KxMode } from '../../src/engine/config.ts';
import {
  assertSameKeylog, cleanup, connectRetry, driveConn, freePort, pskSessionPem, serverHelloExtensions, spawnPeer, waitFor,
  EXT_KEY_SHARE, type EngineSocket,
} from '../helpers/peers.ts';

const ID = 'device-0001';
const PSK256 = randomBytes(32);
const PSK384 = randomBytes(48);
const MODES: KxMode[] = ['psk_dhe_ke', 'psk_ke'];
const DATA = 256 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-openssl-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

const is384 = (suite: string) => suite.endsWith('SHA384');
const pskOf = (suite: string) => (is384(suite) ? PSK384 : PSK256);

/** The CLI's PSK arguments for a suite: -psk for SHA-256, a -psk_session file for SHA-384. */
function pskArgs(suite: string, psk?: Buffer): string[] {
  if (!is384(suite)) return ['-psk', (psk ?? PSK256).toString('hex'), '-psk_identity', ID];
  const f = join(dir, `sess${seq++}.pem`);
  writeFileSync(f, pskSessionPem(psk ?? PSK384, SUITES[suite]));
  return ['-psk_session', f, '-psk_identity', ID];
}

const engineCfg = (suite: string, mode: KxMode): EngineConfig => ({
  suites: [suite], kxModes: [mode], pskHash: is384(suite) ? 'sha384' : 'sha256', keylog: true,
});

async function sServer(suite: string, args: string[], psk?: Buffer) {
  const port = await freePort();
  const keylog = join(dir, `s${seq++}.keys`);
  const peer = spawnPeer('openssl', [
    's_server', '-brief', '-nocert', '-accept', `127.0.0.1:${port}`, '-ciphersuites', suite, '-keylogfile', keylog,
    ...pskArgs(suite, psk), ...args,
  ]);
  return { peer, port, keylog };
}

async function engineClientTo(port: number, cfg: EngineConfig, psk: Buffer, engine = new Engine()): Promise<EngineSocket> {
  const socket = await connectRetry(port);
  return driveConn(engine.open('client', { pskIdentity: Buffer.from(ID), psk, ...cfg }), socket);
}

/** A net server of echoing engine server connections. */
async function engineServer(cfg: EngineConfig, psk: Buffer, alpn?: string) {
  const engine = new Engine();
  const conns: EngineSocket[] = [];
  const server = net.createServer((sock) => {
    conns.push(driveConn(engine.open('server', cfg), sock, {
      echo: true,
      onHello: (ev) => ({ psk: ev.identity.toString() === ID ? psk : null, alpn }),
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { conns, port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

/** s_client with -nocommands: else a stdin chunk starting with Q, R, k or K is a command, not data. */
function sClient(port: number, suite: string, args: string[], psk?: Buffer) {
  const keylog = join(dir, `c${seq++}.keys`);
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-nocommands', '-connect', `127.0.0.1:${port}`, '-ciphersuites', suite, '-keylogfile', keylog,
    ...pskArgs(suite, psk), ...args,
  ]);
  return { peer, keylog };
}

// TLS 1.3 suites (the TLS 1.2 ones have their own matrix: tls12.test.ts / interop-tls12.test.ts).
for (const suite of Object.keys(SUITES).filter((n) => SUITES[n] >= 0x1301 && SUITES[n] <= 0x13ff)) {
  for (const mode of MODES) {
    const noDhe = mode === 'psk_ke' ? ['-allow_no_dhe_kex'] : [];

    test(`engine client -> openssl s_server, ${suite} ${mode}: same secrets, data both ways`, async () => {
      const { peer, port, keylog } = await sServer(suite, noDhe);
      let c: EngineSocket | undefined;
      try {
        c = await engineClientTo(port, engineCfg(suite, mode), pskOf(suite));
        await c.handshaken();
        assert.equal(c.conn.suite, suite);
        assert.equal(c.conn.kx, mode);
        assert.equal(serverHelloExtensions(c.inbound.first).includes(EXT_KEY_SHARE), mode === 'psk_dhe_ke');
        await waitFor(() => peer.stderr().includes(`Ciphersuite: ${suite}\n`), `s_server to report ${suite}`);
        await assertSameKeylog(keylog, c);
        const up = randomBytes(DATA);
        const down = randomBytes(DATA);
        c.send(up);
        peer.proc.stdin!.write(down);
        await waitFor(() => peer.stdout().length >= up.length && c!.receivedBytes() >= down.length, 'data both ways');
        assert.ok(peer.stdout().equals(up), 's_server printed exactly what the engine sent');
        assert.ok(c.received().equals(down), 'the engine received exactly what s_server read from stdin');
        assert.equal(c.conn.state, 'open');
      } finally {
        await cleanup([peer], [c]);
      }
    });

    test(`openssl s_client -> engine server, ${suite} ${mode}: same secrets, echo`, async () => {
      const srv = await engineServer({ kxModes: [mode], pskHash: is384(suite) ? 'sha384' : 'sha256', keylog: true }, pskOf(suite));
      const { peer, keylog } = sClient(srv.port, suite, noDhe);
      try {
        await waitFor(() => peer.stderr().includes(`Ciphersuite: ${suite}\n`), `s_client to report ${suite}`);
        assert.match(peer.stderr(), /CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\n/);
        await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
        const s = srv.conns[0];
        assert.equal(s.conn.suite, suite);
        assert.equal(s.conn.kx, mode);
        await assertSameKeylog(keylog, s);
        const data = randomBytes(DATA);
        peer.proc.stdin!.write(data);
        await waitFor(() => peer.stdout().length >= data.length, 'the echo');
        assert.ok(peer.stdout().equals(data), 'the echo matches byte for byte');
        assert.ok(s.received().equals(data));
        // s_client names the server's ephemeral key exactly when there is one.
        if (mode === 'psk_dhe_ke') await waitFor(() => peer.stderr().includes('Server Temp Key: X25519, 253 bits\n'), 'the temp key line');
        await peer.kill();
        assert.equal(peer.stderr().includes('Server Temp Key'), mode === 'psk_dhe_ke');
      } finally {
        await cleanup([peer], srv.conns, srv.close);
      }
    });
  }
}

test('ALPN with the CLI: engine client offers h2,x to s_server -alpn x; s_client -alpn h2,x to the engine', async () => {
  const suite = 'TLS_AES_128_GCM_SHA256';
  const { peer, port } = await sServer(suite, ['-alpn', 'x']);
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, { alpn: alpnWire(['h2', 'x']) }, PSK256);
    await c.handshaken();
    assert.equal(c.conn.alpn, 'x');
  } finally {
    await cleanup([peer], [c]);
  }
  const srv = await engineServer({}, PSK256, 'x');
  const cl = sClient(srv.port, suite, ['-alpn', 'h2,x']);
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
    await waitFor(() => cl.peer.stderr().includes('CONNECTION ESTABLISHED'), 's_client to connect');
    const hello = srv.conns[0].events.find((e) => e.kind === 'clientHello');
    assert.deepEqual(hello && hello.kind === 'clientHello' && hello.alpn, ['h2', 'x']);
    assert.equal(srv.conns[0].conn.alpn, 'x');
    // s_client accepted the selection: data flows.
    cl.peer.proc.stdin!.write('ping\n');
    await waitFor(() => cl.peer.stdout().toString() === 'ping\n', 'the echo');
  } finally {
    await cleanup([cl.peer], srv.conns, srv.close);
  }
});

for (const suite of ['TLS_AES_128_CCM_8_SHA256', 'TLS_AES_256_GCM_SHA384']) {
  test(`s_client -maxfraglen 512 -> engine server, ${suite}: the server's records stay within 512 bytes`, async () => {
    const srv = await engineServer({ pskHash: is384(suite) ? 'sha384' : 'sha256' }, pskOf(suite));
    const { peer } = sClient(srv.port, suite, ['-maxfraglen', '512']);
    try {
      await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
      const s = srv.conns[0];
      assert.equal(s.conn.maxFragmentCode, 1);
      const data = randomBytes(64 * 1024);
      peer.proc.stdin!.write(data);
      await waitFor(() => peer.stdout().length >= data.length, 'the 64 KiB echo');
      assert.ok(peer.stdout().equals(data));
      const tag = suite.includes('CCM_8') ? 8 : 16;
      assert.ok(s.outbound.maxProtected() <= 512 + 1 + tag, `the engine sent a ${s.outbound.maxProtected()}-byte record`);
      assert.ok(s.inbound.maxProtected() <= 512 + 1 + tag, 's_client honours its own limit too');
      assert.ok(s.outbound.records.filter((r) => r.type === 23).length >= 128);
    } finally {
      await cleanup([peer], srv.conns, srv.close);
    }
  });
}

test('without -maxfraglen the engine server sends full-size records to s_client', async () => {
  const srv = await engineServer({}, PSK256);
  const { peer } = sClient(srv.port, 'TLS_AES_128_GCM_SHA256', []);
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
    const data = randomBytes(64 * 1024);
    peer.proc.stdin!.write(data);
    await waitFor(() => peer.stdout().length >= data.length, 'the 64 KiB echo');
    assert.ok(peer.stdout().equals(data));
    assert.equal(srv.conns[0].conn.maxFragmentCode, 0);
    assert.ok(srv.conns[0].outbound.maxProtected() > 512 + 1 + 16);
  } finally {
    await cleanup([peer], srv.conns, srv.close);
  }
});

test('TLS_AES_256_GCM_SHA384 with -psk (SHA-256-bound) fails against s_server', async () => {
  const port = await freePort();
  const peer = spawnPeer('openssl', [
    's_server', '-brief', '-nocert', '-accept', `127.0.0.1:${port}`, '-ciphersuites', 'TLS_AES_256_GCM_SHA384',
    '-psk', PSK384.toString('hex'), '-psk_identity', ID,
  ]);
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, engineCfg('TLS_AES_256_GCM_SHA384', 'psk_dhe_ke'), PSK384);
    await c.failed();
    // The PSK is dropped, the certificate path wants signature_algorithms: missing_extension.
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 109, local: false });
    await waitFor(() => /missing sigalgs extension/.test(peer.stderr()), 's_server to report the error');
  } finally {
    await cleanup([peer], [c]);
  }
});

test('a wrong PSK: engine client -> s_server (illegal_parameter), s_client -> engine server (decrypt_error)', async () => {
  const suite = 'TLS_AES_128_GCM_SHA256';
  const { peer, port } = await sServer(suite, [], randomBytes(32));
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, {}, PSK256);
    await c.failed();
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 47, local: false });
    await waitFor(() => /binder does not verify/.test(peer.stderr()), 's_server to report the bad binder');
  } finally {
    await cleanup([peer], [c]);
  }
  const srv = await engineServer({}, PSK256);
  const cl = sClient(srv.port, suite, [], randomBytes(32));
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'failed', 'the engine server to fail');
    assert.deepEqual(srv.conns[0].conn.failure, { reason: 'binder_mismatch', alert: 51, local: true });
    await waitFor(() => /alert decrypt error.*SSL alert number 51/.test(cl.peer.stderr()), 's_client to report the alert');
    assert.notEqual(await cl.peer.exited, 0);
  } finally {
    await cleanup([cl.peer], srv.conns, srv.close);
  }
});

test('an unknown identity: s_client -> engine server ends in unknown_psk_identity', async () => {
  const srv = await engineServer({}, PSK256);
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-connect', `127.0.0.1:${srv.port}`, '-ciphersuites', 'TLS_AES_128_GCM_SHA256',
    '-psk', PSK256.toString('hex'), '-psk_identity', 'stranger',
  ]);
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'failed', 'the engine server to fail');
    assert.deepEqual(srv.conns[0].conn.failure, { reason: 'psk_unknown_identity', alert: 115, local: true });
    await waitFor(() => /SSL alert number 115/.test(peer.stderr()), 's_client to report the alert');
  } finally {
    await cleanup([peer], srv.conns, srv.close);
  }
});

test('KeyUpdate with s_client: its K and k commands, then the engine asking for one; data flows after each', async () => {
  const srv = await engineServer({}, PSK256);
  // Without -nocommands: a stdin line "K" or "k" makes s_client send a KeyUpdate (K: update_requested).
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-connect', `127.0.0.1:${srv.port}`, '-ciphersuites', 'TLS_AES_128_GCM_SHA256',
    '-psk', PSK256.toString('hex'), '-psk_identity', ID,
  ]);
  const echo = async (line: string) => {
    const before = peer.stdout().length;
    peer.proc.stdin!.write(line);
    await waitFor(() => peer.stdout().subarray(before).toString() === line, `the echo of ${JSON.stringify(line)}`);
  };
  const updates = () => srv.conns[0].events.flatMap((e) => (e.kind === 'keyUpdate' ? [e.peer] : []));
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
    await echo('before\n');
    peer.proc.stdin!.write('K\n');
    // The engine takes s_client's update (peer) and, as asked, updates its own sending keys.
    await waitFor(() => updates().length >= 2, 'the KeyUpdate exchange');
    assert.deepEqual(updates(), [true, false]);
    await echo('after K\n');
    peer.proc.stdin!.write('k\n');
    await waitFor(() => updates().length >= 3, "s_client's second KeyUpdate");
    await echo('after k\n');
    assert.deepEqual(updates(), [true, false, true], 'update_not_requested gets no answer');
    // Now the engine updates and requests one back; s_client answers with its own.
    const s = srv.conns[0];
    assert.equal(s.conn.keyUpdate(true), 0);
    s.kick();
    await echo('after engine update\n');
    // OpenSSL queues its answering KeyUpdate and sends it with its next write.
    await echo('once more\n');
    await waitFor(() => updates().length >= 5, "s_client's answering KeyUpdate");
    assert.deepEqual(updates(), [true, false, true, false, true]);
    await echo('after both updates\n');
    await peer.kill();
    assert.equal((peer.stderr().match(/KEYUPDATE/g) ?? []).length, 2);
    assert.equal(s.conn.state, 'open');
  } finally {
    await cleanup([peer], srv.conns, srv.close);
  }
});

test('psk_ke only against s_server without -allow_no_dhe_kex: no usable PSK, the handshake fails', async () => {
  const { peer, port } = await sServer('TLS_AES_128_GCM_SHA256', []);
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, { kxModes: ['psk_ke'] }, PSK256);
    await c.failed();
    // OpenSSL skips a PSK it may not use without (EC)DHE, then wants a certificate handshake.
    assert.deepEqual(c.conn.failure, { reason: 'peer_alert', alert: 109, local: false });
  } finally {
    await cleanup([peer], [c]);
  }
});

test('engine client asking max_fragment_length 512 from s_server: s_server records stay within 512 bytes', async () => {
  const { peer, port } = await sServer('TLS_CHACHA20_POLY1305_SHA256', []);
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, { maxFragmentLength: 512 }, PSK256);
    await c.handshaken();
    assert.equal(c.conn.maxFragmentCode, 1);
    const data = randomBytes(64 * 1024);
    peer.proc.stdin!.write(data);
    await waitFor(() => c!.receivedBytes() >= data.length, 'the 64 KiB from s_server');
    assert.ok(c.received().equals(data));
    assert.ok(c.inbound.maxProtected() <= 512 + 1 + 16, `s_server sent a ${c.inbound.maxProtected()}-byte record`);
    assert.ok(c.inbound.records.filter((r) => r.type === 23).length >= 128);
  } finally {
    await cleanup([peer], [c]);
  }
});

test('middlebox compatibility mode and HelloRetryRequest with the CLI', async () => {
  // The engine client in compat mode (session id + CCS) against s_server.
  const { peer, port } = await sServer('TLS_AES_128_CCM_SHA256', []);
  let c: EngineSocket | undefined;
  try {
    c = await engineClientTo(port, { compat: true, suites: ['TLS_AES_128_CCM_SHA256'] }, PSK256);
    await c.handshaken();
    assert.equal(c.outbound.records[1].type, 20, 'a ChangeCipherSpec follows the ClientHello');
    c.send(Buffer.from('compat\n'));
    await waitFor(() => peer.stdout().toString() === 'compat\n', 's_server to print the data');
  } finally {
    await cleanup([peer], [c]);
  }
  // The engine server sending a HelloRetryRequest (with a cookie) to s_client.
  const srv = await engineServer({ forceHrr: true, keylog: true }, PSK256);
  const cl = sClient(srv.port, 'TLS_AES_128_GCM_SHA256', []);
  try {
    await waitFor(() => srv.conns.length === 1 && srv.conns[0].conn.state === 'open', 'the engine server handshake');
    assert.ok(srv.conns[0].conn.helloRetried);
    await assertSameKeylog(cl.keylog, srv.conns[0]);
    cl.peer.proc.stdin!.write('after hrr\n');
    await waitFor(() => cl.peer.stdout().toString() === 'after hrr\n', 'the echo');
  } finally {
    await cleanup([cl.peer], srv.conns, srv.close);
  }
});
