// The --connect bridge (src/sim/fleet-servers.ts remoteServer): a Link's far
// end joined to a real TCP connection must carry what a TCP path carries —
// the server's bytes reach the board before the connection's end, and the
// end keeps its kind: a FIN arrives as 'end', an RST as ECONNRESET.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { SimClock } from '../../src/sim/clock.ts';
import { Link } from '../../src/sim/link.ts';
import { remoteServer } from '../../src/sim/fleet-servers.ts';
import { runFleet } from '../../src/sim/fleet.ts';

const T = { timeout: 60_000 };

/**
 * A TCP server that sends `bytes` to each client, then FINs — or resets once
 * the client has sent a byte back (an RST right after the write would, on
 * Linux, discard the bytes before the client's process read them: a real
 * TCP path loses them too). The board answers on its first chunk, so most of
 * the bytes are still on the simulated link when the RST comes.
 */
async function rawServer(bytes: Buffer, how: 'fin' | 'rst'): Promise<{ port: number; close(): void }> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.write(bytes, () => how === 'fin' && s.end());
    if (how === 'rst') s.once('data', () => s.resetAndDestroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

for (const how of ['fin', 'rst'] as const) {
  test(`bridge: a server's ${how === 'fin' ? 'FIN' : 'RST'} after 20 KB reaches the board after every byte, as ${how === 'fin' ? "'end'" : 'ECONNRESET'} (20% loss)`, T, async () => {
    const data = randomBytes(20_000);
    const srv = await rawServer(data, how);
    const clock = new SimClock({ realtime: true });
    const link = new Link(clock, { latencyMs: 5, loss: 0.2, seed: `bridge-${how}`, rtoMs: 30 });
    const bridge = remoteServer({ host: '127.0.0.1', port: srv.port });
    const got: Buffer[] = [];
    let ending: string | undefined;
    link.a.on('data', (d: Buffer) => {
      if (got.length === 0) link.a.write('k');
      got.push(d);
    });
    link.a.on('end', () => (ending ??= `end after ${Buffer.concat(got).length}`));
    link.a.on('error', (e: NodeJS.ErrnoException) => (ending ??= `${e.code} after ${Buffer.concat(got).length}`));
    try {
      bridge.accept(link.b);
      await clock.run({ until: () => ending !== undefined, maxTimeMs: 30_000 });
      assert.equal(ending, `${how === 'fin' ? 'end' : 'ECONNRESET'} after ${data.length}`);
      assert.ok(Buffer.concat(got).equals(data), 'every byte, in order');
      assert.ok(link.stats().bToA.retransmits > 0, 'losses were repaired before the end');
    } finally {
      bridge.close();
      srv.close();
      link.a.destroy();
    }
  });
}

for (const how of ['fin', 'rst'] as const) {
  test(`bridge: the board's ${how === 'fin' ? 'FIN' : 'RST'} reaches the server as ${how === 'fin' ? "'end', after the board's bytes" : 'ECONNRESET'}`, T, async () => {
    let seen: string | undefined;
    let bytes = 0;
    const server = net.createServer((s) => {
      s.on('data', (d: Buffer) => (bytes += d.length));
      s.on('end', () => (seen ??= `end after ${bytes}`));
      s.on('error', (e: NodeJS.ErrnoException) => (seen ??= e.code));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const clock = new SimClock({ realtime: true });
    const link = new Link(clock, { latencyMs: 5, seed: 'up' });
    const bridge = remoteServer({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    try {
      bridge.accept(link.b);
      link.a.write(randomBytes(3000));
      if (how === 'fin') link.a.end();
      // An abort while the server's side is still open: the link resets, latencyMs later at the bridge.
      else clock.after(50, () => link.a.destroy());
      await clock.run({ until: () => seen !== undefined, maxTimeMs: 20_000 });
      assert.equal(seen, how === 'fin' ? 'end after 3000' : 'ECONNRESET');
    } finally {
      bridge.close();
      server.close();
    }
  });
}

test('a fleet whose key the server does not know gets the server\'s alert on every board, not ECONNRESET', T, async () => {
  const server = tls.createServer({ pskCallback: () => randomBytes(32), ciphers: 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256' }, (s) => s.pipe(s));
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const { report } = await runFleet({
      board: 'esp32', devices: 20, rampMs: 500, server: { host: '127.0.0.1', port }, psk: { identity: 'dev-{n}', key: randomBytes(32) }, link: { loss: 0.05, latencyMs: 10 },
    });
    assert.equal(report.failed, 20);
    const reasons = Object.keys(report.failures);
    assert.ok(reasons.every((r) => /\(alert \w+\)/.test(r) && !/ECONNRESET/.test(r)), JSON.stringify(report.failures));
  } finally {
    server.close();
  }
});
