// The tlsrt command line against node:tls (OpenSSL inside Node): tlsrt
// client -> node:tls echo server and node:tls client -> tlsrt server, data
// verified byte for byte, both sides agreeing on suite and ALPN; and the
// client's exit code when node:tls refuses its PSK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32);
const ID = 'device-0001';

/** A node:tls echo server; what each connection negotiated is kept (getCipher() is null once closed). */
function nodeEchoServer(opts: tls.TlsOptions = {}) {
  const sockets: tls.TLSSocket[] = [];
  const negotiated: { suite: string; alpn: string | false | null }[] = [];
  const errors: Error[] = [];
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null), ...opts }, (s) => {
    sockets.push(s);
    negotiated.push({ suite: s.getCipher().standardName, alpn: s.alpnProtocol });
    s.on('error', (e) => errors.push(e));
    s.pipe(s);
  });
  server.on('tlsClientError', (e) => errors.push(e));
  return new Promise<{ port: number; sockets: tls.TLSSocket[]; negotiated: typeof negotiated; errors: Error[]; close(): void }>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as AddressInfo).port,
      sockets,
      negotiated,
      errors,
      close() {
        for (const s of sockets) s.destroy();
        server.close();
      },
    }));
  });
}

test('tlsrt client -> node:tls server: 128 KiB echoed, same suite and ALPN on both sides', async () => {
  const node = await nodeEchoServer({ ALPNProtocols: ['mqtt'], ciphers: 'TLS_AES_128_GCM_SHA256' });
  const data = randomBytes(128 * 1024);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(node.port), '--psk', PSK.toString('hex'), '--psk-identity', ID, '--alpn', 'h2,mqtt']);
    feed(client, data);
    assert.equal(await client.exited, 0, client.stderr());
    assert.ok(client.stdout().equals(data), 'node:tls echoed exactly what tlsrt client read from stdin');
    assert.equal(node.errors.length, 0, String(node.errors));
    assert.deepEqual(node.negotiated, [{ suite: 'TLS_AES_128_GCM_SHA256', alpn: 'mqtt' }]);
    assert.match(client.stderr(), /^Ciphersuite: TLS_AES_128_GCM_SHA256$/m);
    assert.match(client.stderr(), /^ALPN protocol: mqtt$/m);
    assert.match(client.stderr(), /^Key exchange: psk_dhe_ke \(X25519\)$/m);
  } finally {
    await client?.kill();
    node.close();
  }
});

test('node:tls client -> tlsrt server: 128 KiB echoed, the server reports the connection', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK.toString('hex'), '--psk-identity', ID, '--alpn', 'mqtt']);
  let socket: tls.TLSSocket | undefined;
  try {
    const data = randomBytes(128 * 1024);
    const chunks: Buffer[] = [];
    socket = tls.connect({
      port, host: '127.0.0.1', ALPNProtocols: ['mqtt'], checkServerIdentity: () => undefined,
      pskCallback: () => ({ psk: PSK, identity: ID }),
    });
    const s = socket;
    s.on('data', (d: Buffer) => chunks.push(d));
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', resolve);
      s.once('error', reject);
    });
    assert.equal(s.alpnProtocol, 'mqtt');
    const suite = s.getCipher().standardName;
    s.write(data);
    await waitFor(() => Buffer.concat(chunks).length >= data.length, 'the echo', 30000);
    assert.ok(Buffer.concat(chunks).equals(data), 'tlsrt server echoed exactly what node:tls sent');
    s.end();
    assert.equal(await server.exited, 0, server.stderr());
    assert.match(server.stderr(), new RegExp(`^Ciphersuite: ${suite}$`, 'm'));
    assert.match(server.stderr(), /^ALPN protocol: mqtt$/m);
    assert.match(server.stderr(), /^PSK identity: device-0001$/m);
  } finally {
    socket?.destroy();
    await server.kill();
  }
});

test('tlsrt client with a wrong PSK -> node:tls server: exit 1, OpenSSL\'s illegal_parameter alert named', async () => {
  const node = await nodeEchoServer();
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(node.port), '--psk', randomBytes(32).toString('hex'), '--psk-identity', ID]);
    feed(client, 'x');
    assert.equal(await client.exited, 1);
    // OpenSSL 3.0 answers a binder that does not verify with illegal_parameter (47).
    assert.match(client.stderr(), /^tlsrt client: .*SSL alert number 47 \(ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER\)$/m);
    assert.equal(client.stdout().length, 0);
    await waitFor(() => node.errors.length > 0, 'node:tls to report the failed handshake');
    assert.equal(node.sockets.length, 0);
  } finally {
    await client?.kill();
    node.close();
  }
});
