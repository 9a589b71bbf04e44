// A fleet against a server outside the fleet's control — over real TCP, with
// the clock in real time (src/sim/fleet.ts "A server elsewhere").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import net from 'node:net';
import { constants } from 'node:crypto';
import { runFleet } from '../../src/sim/fleet.ts';
import { tlsrtServer, tlsrtSync } from '../helpers/cli.ts';

const KEY = Buffer.alloc(32, 0x5a);
const T = { timeout: 60_000 };

test('a fleet load-tests a node:tls server listening on TCP: every device, its own identity, real-time link delays', T, async () => {
  const identities = new Set<string>();
  const server = tls.createServer(
    {
      pskCallback: (_s, id) => {
        identities.add(id);
        return KEY;
      },
      ciphers: 'TLS_CHACHA20_POLY1305_SHA256',
      secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX,
    },
    (s) => s.pipe(s),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const { report } = await runFleet({
      board: 'esp32', devices: 10, kx: 'psk_ke', rampMs: 300, messageBytes: 4096,
      server: { host: '127.0.0.1', port }, psk: { identity: 'device-{n}', key: KEY },
      link: { latencyMs: 25, loss: 0.05 },
    });
    assert.equal(report.clock, 'realtime');
    assert.equal(report.server, `127.0.0.1:${port}`);
    assert.equal(report.completed, 10, JSON.stringify(report.failures));
    assert.ok(report.perDevice.every((d) => d.appOk && d.slotsInUse === 0), 'every echo intact, every slot freed');
    assert.deepEqual([...identities].sort(), Array.from({ length: 10 }, (_, i) => `device-${String(i + 1).padStart(4, '0')}`));
    // One round trip over the simulated link at least (2 × 25 ms), really waited.
    assert.ok(report.handshakeMs.min >= 50, `handshake ${report.handshakeMs.min} ms`);
  } finally {
    server.close();
  }
});

test('a fleet whose server refuses connections reports ECONNREFUSED per device, and ends', T, async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r())); // nobody listens there now
  const { report } = await runFleet({ board: 'esp32', devices: 3, server: { host: '127.0.0.1', port }, psk: { identity: 'd', key: KEY }, maxTimeMs: 20_000 });
  assert.equal(report.failed, 3);
  assert.deepEqual(Object.keys(report.failures), [`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port} (the connection to the server)`]);
});

test('tlsrt sim --connect against tlsrt server (the CLI both ways)', T, async () => {
  const hex = KEY.toString('hex');
  const { peer, port } = await tlsrtServer(['--psk', hex]);
  try {
    const r = tlsrtSync(['sim', '--board', 'esp32', '--devices', '4', '--ramp', '200', '--connect', `127.0.0.1:${port}`, '--psk', hex, '--psk-identity', 'Client_identity']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^fleet: 4 × esp32 → 127\\.0\\.0\\.1:${port} \\(real TCP, real time\\)`, 'm'));
    assert.match(r.stdout, /^completed: 4\/4 /m);
    assert.match(r.stdout, /^handshake \(power-up to secureConnect, real time\): /m);
  } finally {
    await peer.kill();
  }
  const u = tlsrtSync(['sim', '--connect', '127.0.0.1:1']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--connect needs --psk/);
  const v = tlsrtSync(['sim', '--psk', 'aa']);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /--psk and --psk-identity go with --connect/);
});
