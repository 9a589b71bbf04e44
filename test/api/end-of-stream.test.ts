// A peer that sends data and closes at once (`end(data)`: records, close_notify,
// FIN) must not lose data at a reader that is slower than the network: every
// byte comes out, then 'end', then 'close' — as with node:tls.
//
// "Slower than the network" is made true by waiting on the socket's state,
// not on a delay: the reader starts once the network is as far ahead of it
// as it can get — the peer's FIN is in (the transport ended), or the socket's
// read buffer is full and the TLS layer holds the rest back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeTls from 'node:tls';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import tlsrt from '../../src/index.ts';
import { waitFor } from '../helpers/peers.ts';

const PSK = Buffer.alloc(32, 7);
const T = { timeout: 30_000 };

for (const serverLib of ['node', 'tlsrt'] as const) {
  for (const total of [20_000, 100_000]) {
    test(`${serverLib} server end(${total} bytes), tlsrt client that starts reading only once the network is ahead of it: every byte, then 'end', then 'close'`, T, async () => {
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
          const transport = c._transport as net.Socket;
          const behind = () => transport.readableEnded || c.readableLength >= c.readableHighWaterMark;
          c.on('secureConnect', () => {
            waitFor(behind, 'the peer\'s FIN or a full read buffer').then(
              () => c.on('data', (d: Buffer) => got.push(d)),
              (e: Error) => { events.push(e.message); c.destroy(); },
            );
          });
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

test("after the peer's end, a socket that has not read yet can still write to it (TCP half-open, as node:tls)", T, async () => {
  let received = 0;
  const server = nodeTls.createServer({ pskCallback: () => PSK, ciphers: 'TLS_CHACHA20_POLY1305_SHA256', allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.on('data', (d: Buffer) => (received += d.length));
    s.end(Buffer.alloc(5000, 1)); // data, close_notify, FIN — then keeps reading
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const c = tlsrt.connect({ port, host: '127.0.0.1', pskCallback: () => ({ psk: PSK, identity: 'dev' }) });
    await new Promise<void>((r) => c.once('secureConnect', () => r()));
    // The peer's FIN has arrived (5000 bytes are under the read buffer's
    // high-water mark, so nothing holds the transport back); nothing has been read.
    const transport = c._transport as net.Socket;
    await waitFor(() => transport.readableEnded, "the peer's FIN");
    assert.ok(c.readableLength > 0 && !c.readableEnded, 'the 5000 bytes wait unread');
    const written = await new Promise<Error | null | undefined>((r) => c.write('hello', r));
    assert.equal(written ?? null, null, 'the write succeeded');
    await waitFor(() => received >= 5, 'the peer to receive it');
    assert.equal(received, 5, 'and the peer received exactly that');
    c.destroy();
  } finally {
    server.close();
  }
});
