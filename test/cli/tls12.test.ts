// The tlsrt command line speaking TLS 1.2 PSK: `tlsrt client -tls1_2` ->
// `openssl s_server -tls1_2 -psk_hint`, `openssl s_client -tls1_2` ->
// `tlsrt server -tls1_2 --psk-identity-hint`, and tlsrt to tlsrt with
// --min-version/--max-version choosing the version. Every child is killed in
// `finally`; every wait has a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { freePort, listening, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');
const ID = 'device-0001';

test('tlsrt client -tls1_2 -> openssl s_server -tls1_2 -psk_hint: data both ways, the hint and the suite printed', async () => {
  const port = await freePort();
  const server = spawnPeer('openssl', ['s_server', '-brief', '-nocert', '-naccept', '1', '-accept', `127.0.0.1:${port}`, '-tls1_2',
    '-cipher', 'PSK-AES128-CCM8', '-psk', PSK, '-psk_identity', ID, '-psk_hint', 'fleet-7']);
  let client: Peer | undefined;
  try {
    await waitFor(() => listening(port) || server.proc.exitCode !== null, 'openssl s_server to listen');
    client = tlsrt(['client', '-tls1_2', '--port', String(port), '--psk', PSK, '--psk-identity', ID, '--ciphers', 'PSK-AES128-CCM8']);
    const up = randomBytes(20000);
    const down = randomBytes(20000);
    client.proc.stdin!.write(up);
    await waitFor(() => server.stdout().length >= up.length, 's_server to print what the client sent', 30000);
    assert.ok(server.stdout().equals(up));
    server.proc.stdin!.write(down);
    await waitFor(() => client!.stdout().length >= down.length, 'the client to print what s_server sent', 30000);
    assert.ok(client.stdout().equals(down));
    const info = client.stderr();
    assert.match(info, /^Protocol version: TLSv1\.2$/m);
    assert.match(info, /^Ciphersuite: PSK-AES128-CCM8$/m);
    assert.match(info, /^PSK identity hint: fleet-7$/m);
    assert.match(info, /^Key exchange: PSK \(no ephemeral key\)$/m);
    assert.match(server.stderr(), /^Protocol version: TLSv1\.2$/m);
    client.proc.stdin!.end();
    assert.equal(await client.exited, 0, client.stderr());
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('openssl s_client -tls1_2 -> tlsrt server -tls1_2 --psk-identity-hint: echo, s_client sees the hint', async () => {
  const { peer: server, port } = await tlsrtServer(['-tls1_2', '--psk', PSK, '--psk-identity', ID, '--psk-identity-hint', 'fleet-7',
    '--ciphers', 'ECDHE-PSK-CHACHA20-POLY1305:PSK-AES256-GCM-SHA384', '--once']);
  let client: Peer | undefined;
  try {
    client = spawnPeer('openssl', ['s_client', '-nocommands', '-connect', `127.0.0.1:${port}`, '-tls1_2', '-psk', PSK, '-psk_identity', ID,
      '-cipher', 'PSK-AES256-GCM-SHA384']);
    const line = `${randomBytes(100).toString('hex')}\n`;
    const c = client;
    await waitFor(() => /PSK identity hint: /.test(c.stdout().toString()), 's_client to print its session', 30000);
    c.proc.stdin!.write(line);
    await waitFor(() => c.stdout().toString().includes(line), 'the echo', 30000);
    assert.match(c.stdout().toString(), /PSK identity hint: fleet-7\n/);
    assert.match(c.stdout().toString(), /Cipher\s+: PSK-AES256-GCM-SHA384\n/);
    assert.match(server.stderr(), /^Protocol version: TLSv1\.2$/m);
    assert.match(server.stderr(), /^Ciphersuite: PSK-AES256-GCM-SHA384$/m);
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

for (const [clientArgs, version] of [[['--max-version', 'TLSv1.2'], 'TLSv1.2'], [['--min-version', 'TLSv1.2'], 'TLSv1.3'], [['-tls1_3'], 'TLSv1.3']] as const) {
  test(`tlsrt client ${clientArgs.join(' ')} -> tlsrt server (1.2 and 1.3, PSK suites): ${version}`, async () => {
    const { peer: server, port } = await tlsrtServer(['--psk', PSK, '--ciphers', 'TLS_AES_128_GCM_SHA256:PSK-CHACHA20-POLY1305', '--once']);
    let client: Peer | undefined;
    try {
      client = tlsrt(['client', ...clientArgs, '--port', String(port), '--psk', PSK, '--ciphers', 'TLS_AES_128_GCM_SHA256:PSK-CHACHA20-POLY1305']);
      feed(client, 'hello over tlsrt\n');
      assert.equal(await client.exited, 0, client.stderr());
      assert.equal(client.stdout().toString(), 'hello over tlsrt\n');
      assert.match(client.stderr(), new RegExp(`^Protocol version: ${version.replace('.', '\\.')}$`, 'm'));
      assert.match(client.stderr(), version === 'TLSv1.2' ? /^Ciphersuite: PSK-CHACHA20-POLY1305$/m : /^Ciphersuite: TLS_AES_128_GCM_SHA256$/m);
    } finally {
      await Promise.all([client?.kill(), server.kill()]);
    }
  });
}

test('tlsrt client -tls1_2 -> tlsrt server -tls1_3: exit 1 with the protocol_version alert named', async () => {
  const { peer: server, port } = await tlsrtServer(['-tls1_3', '--psk', PSK, '--once']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '-tls1_2', '--port', String(port), '--psk', PSK, '--ciphers', 'PSK-AES128-GCM-SHA256']);
    feed(client, 'x');
    assert.equal(await client.exited, 1);
    assert.match(client.stderr(), /ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION/);
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});
