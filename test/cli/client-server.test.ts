// tlsrt client <-> tlsrt server, both as child processes: data piped through
// stdin/stdout and echoed back byte for byte, the connection details each
// side prints on stderr (suite, key exchange, ALPN, identity), both exit 0,
// and the server's --stdio mode (client data to stdout, stdin to the client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer, tlsrtSync } from '../helpers/cli.ts';
import { waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');

test('tlsrt client -> tlsrt server: 256 KiB through stdin, echoed to stdout, psk_dhe_ke by default', async () => {
  const data = randomBytes(256 * 1024);
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--psk-identity', 'device-0001']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--psk-identity', 'device-0001']);
    feed(client, data);
    assert.equal(await client.exited, 0, client.stderr());
    assert.ok(client.stdout().equals(data), `echo: ${client.stdout().length} of ${data.length} bytes came back unchanged`);
    assert.match(client.stderr(), /^CONNECTION ESTABLISHED\nProtocol version: TLSv1\.3\nCiphersuite: TLS_CHACHA20_POLY1305_SHA256\n/m);
    assert.match(client.stderr(), /^Key exchange: psk_dhe_ke \(X25519\)$/m);
    assert.match(client.stderr(), /^ALPN protocol: \(none\)$/m);
    assert.equal(await server.exited, 0, server.stderr());
    assert.match(server.stderr(), /^PSK identity: device-0001$/m);
    assert.match(server.stderr(), /^DONE$/m);
    assert.equal(server.stdout().length, 0, 'an echo server writes nothing to stdout');
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('tlsrt client --psk-ke -> tlsrt server --psk-ke: psk_ke, the named suite and ALPN', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--psk-ke', '--alpn', 'mqtt,h2', '--ciphers', 'TLS_AES_128_GCM_SHA256']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--psk-ke', '--alpn', 'h2,mqtt', '--servername', 'device.example']);
    feed(client, 'one line\n');
    assert.equal(await client.exited, 0, client.stderr());
    assert.equal(client.stdout().toString(), 'one line\n');
    assert.match(client.stderr(), /^Ciphersuite: TLS_AES_128_GCM_SHA256$/m);
    assert.match(client.stderr(), /^Key exchange: psk_ke \(no ephemeral key\)$/m);
    assert.match(client.stderr(), /^ALPN protocol: (mqtt|h2)$/m);
    assert.equal(await server.exited, 0, server.stderr());
    const alpn = /^ALPN protocol: (.*)$/m.exec(client.stderr())![1];
    assert.match(server.stderr(), new RegExp(`^ALPN protocol: ${alpn}$`, 'm'), 'both sides report the same protocol');
    assert.match(server.stderr(), /^Server name: device\.example$/m);
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('tlsrt server --stdio: what the client sends goes to stdout, stdin goes to the client', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--stdio', '--psk', PSK]);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK]);
    client.proc.stdin!.write('to the server\n');
    await waitFor(() => server.stdout().toString() === 'to the server\n', 'the server to print the client data', 30000);
    feed(server, 'to the client\n'); // the server's stdin ends: it closes the connection after this
    assert.equal(await client.exited, 0, client.stderr());
    assert.equal(client.stdout().toString(), 'to the client\n', 'the server did not echo; it sent its stdin');
    assert.equal(await server.exited, 0, server.stderr());
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('tlsrt client -groups P-256 (openssl spelling) -> tlsrt server --groups P-256: the client reports the P-256 key exchange', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--groups', 'P-256']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '-groups', 'P-256']);
    feed(client, 'p256\n');
    assert.equal(await client.exited, 0, client.stderr());
    assert.equal(client.stdout().toString(), 'p256\n');
    assert.match(client.stderr(), /^Key exchange: psk_dhe_ke \(prime256v1\)$/m);
    assert.equal(await server.exited, 0, server.stderr());
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('tlsrt client --groups P-384: a usage error naming the option (exit 2), before connecting', () => {
  const r = tlsrtSync(['client', '--psk', PSK, '--groups', 'P-384']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /ecdhCurve|groups/);
  assert.match(r.stderr, /X25519 and P-256 only/);
});
