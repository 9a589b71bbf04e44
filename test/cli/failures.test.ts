// Exit codes when a connection fails: a wrong PSK, an unknown identity, a
// key exchange the server does not allow, and a refused connection. The
// client exits 1 and prints the node:tls-style error code; a `--once`
// server exits 1 and says why the client was refused. Nothing reaches stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { freePort, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');
const OTHER = randomBytes(32).toString('hex');

async function failedPair(serverArgs: string[], clientArgs: string[]) {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, ...serverArgs]);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), ...clientArgs]);
    feed(client, 'must not arrive\n');
    const [c, s] = await Promise.all([client.exited, server.exited]);
    assert.equal(client.stdout().length, 0);
    assert.equal(server.stdout().length, 0);
    assert.doesNotMatch(client.stderr(), /CONNECTION ESTABLISHED/);
    return { client: { code: c, stderr: client.stderr() }, server: { code: s, stderr: server.stderr() } };
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
}

test('a wrong PSK: the client exits 1 with the alert the server sent, the --once server exits 1', async () => {
  const r = await failedPair([], ['--psk', OTHER]);
  assert.equal(r.client.code, 1, r.client.stderr);
  // The binder does not verify: the server answers decrypt_error (RFC 8446 §4.2.11).
  assert.match(r.client.stderr, /^tlsrt client: .*alert decrypt error.* \(ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR\)$/m);
  assert.equal(r.server.code, 1, r.server.stderr);
  assert.match(r.server.stderr, /^connection from 127\.0\.0\.1 failed: .*\(ERR_SSL_BINDER_DOES_NOT_VERIFY\)$/m);
});

test('an unknown PSK identity: unknown_psk_identity, both exit 1', async () => {
  const r = await failedPair([], ['--psk', PSK, '--psk-identity', 'stranger']);
  assert.equal(r.client.code, 1);
  assert.match(r.client.stderr, /\(ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY\)$/m);
  assert.equal(r.server.code, 1);
  assert.match(r.server.stderr, /^unknown PSK identity 'stranger'$/m);
});

test('psk_ke only, to a server that does not allow it: handshake_failure, both exit 1', async () => {
  const r = await failedPair([], ['--psk', PSK, '--psk-ke']);
  assert.equal(r.client.code, 1);
  assert.match(r.client.stderr, /\(ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE\)$/m);
  assert.equal(r.server.code, 1);
});

test('a refused connection: exit 1 with ECONNREFUSED', async () => {
  const port = await freePort();
  const client = tlsrt(['client', '--port', String(port), '--psk', PSK]);
  try {
    feed(client, 'x');
    assert.equal(await client.exited, 1);
    assert.match(client.stderr(), new RegExp(`^tlsrt client: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`, 'm'));
    assert.equal(client.stdout().length, 0);
  } finally {
    await client.kill();
  }
});

test('a port already in use: the server exits 1 with EADDRINUSE', async () => {
  const { peer: first, port } = await tlsrtServer(['--psk', PSK]);
  const second = tlsrt(['server', '--port', String(port), '--psk', PSK]);
  try {
    assert.equal(await second.exited, 1);
    assert.match(second.stderr(), /EADDRINUSE/);
  } finally {
    await Promise.all([first.kill(), second.kill()]);
  }
});
