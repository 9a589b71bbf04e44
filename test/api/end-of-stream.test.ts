// A peer that sends data and closes at once (`end(data)`: records, close_notify,
// FIN) must not lose data at a reader that is slower than the network: every
// byte comes out, then 'end', then 'close' — as with node:tls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeTls from 'node:tls';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import tlsrt from '../../src/index.ts';

const PSK = Buffer.alloc(32, 7);
const T = { timeout: 30_000 };

for (const serverLib of ['node', 'tlsrt'] as const) {
  for (const total of [20_000, 100_000]) {
    test(`${serverLib} server end(${total} bytes), tlsrt client that starts reading 300 ms late: every byte, then 'end', then 'close'`, T, async () => {
      const data = randomBytes(total);
      const lib = serverLib === 'node' ? nodeTls : tlsrt;
      const server = (lib.createServer as typeof nodeTls.createServer)(
        { pskCallback: () => PSK, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
        (s) => {
          s.on('error', () => {});
          s.end(data);
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as net.AddressInfo).port;
        const events: string[] = [];
        const got: Buffer[] = [];
        await new Promise<void>((resolve) => {
          const c = tlsrt.connect({ port, host: '127.0.0.1', pskCallback: () => ({ psk: PSK, identity: 'dev' }) });
          c.on('secureConnect', () => setTimeout(() => c.on('data', (d: Buffer) => got.push(d)), 300));
          c.on('end', () => events.push(`end after ${Buffer.concat(got).length}`));
          c.on('error', (e: Error & { code?: string }) => events.push(`error ${e.code}`));
          c.on('close', () => {
            events.push('close');
            resolve();
          });
        });
        assert.ok(Buffer.concat(got).equals(data), `all ${total} bytes intact (got ${Buffer.concat(got).length})`);
        assert.deepEqual(events, [`end after ${total}`, 'close']);
      } finally {
        server.close();
      }
    });
  }
}
