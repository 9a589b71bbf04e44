// The tlsrt command line against the openssl CLI (OpenSSL 3.0): tlsrt client
// -> `openssl s_server -nocert -psk` with data both ways (the client's stdin
// on s_server's stdout and s_server's stdin on the client's stdout), in both
// key-exchange modes, and `openssl s_client -psk` -> tlsrt server (echo).
// (psk_ke against s_server is the tlsrt client offering only psk_ke; s_client
// always offers psk_dhe_ke too, and a server prefers that.)
// Every child is killed in `finally`; every wait has a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { freePort, listening, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');
const ID = 'device-0001';

async function sServer(args: string[]): Promise<{ peer: Peer; port: number }> {
  const port = await freePort();
  const peer = spawnPeer('openssl', ['s_server', '-brief', '-nocert', '-naccept', '1', '-accept', `127.0.0.1:${port}`, '-psk', PSK, '-psk_identity', ID, ...args]);
  try {
    await waitFor(() => listening(port) || peer.proc.exitCode !== null, 'openssl s_server to listen');
  } catch (e) {
    await peer.kill();
    throw e;
  }
  return { peer, port };
}

for (const mode of ['psk_dhe_ke', 'psk_ke'] as const) {
  test(`tlsrt client -> openssl s_server, ${mode}: data both ways, clean close`, async () => {
    const { peer: server, port } = await sServer(['-ciphersuites', 'TLS_AES_128_GCM_SHA256', ...(mode === 'psk_ke' ? ['-allow_no_dhe_kex'] : [])]);
    let client: Peer | undefined;
    try {
      client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--psk-identity', ID, '--ciphers', 'TLS_AES_128_GCM_SHA256', ...(mode === 'psk_ke' ? ['--psk-ke'] : [])]);
      const up = randomBytes(64 * 1024);
      const down = randomBytes(64 * 1024);
      client.proc.stdin!.write(up);
      await waitFor(() => server.stdout().length >= up.length, 's_server to print what tlsrt client sent', 30000);
      assert.ok(server.stdout().equals(up), 's_server printed exactly the client\'s stdin');
      server.proc.stdin!.write(down);
      await waitFor(() => client!.stdout().length >= down.length, 'tlsrt client to print what s_server sent', 30000);
      assert.ok(client.stdout().equals(down), 'tlsrt client printed exactly s_server\'s stdin');
      assert.match(server.stderr(), /^Ciphersuite: TLS_AES_128_GCM_SHA256$/m);
      assert.match(client.stderr(), /^Ciphersuite: TLS_AES_128_GCM_SHA256$/m);
      assert.match(client.stderr(), mode === 'psk_ke' ? /^Key exchange: psk_ke \(no ephemeral key\)$/m : /^Key exchange: psk_dhe_ke \(X25519\)$/m);
      client.proc.stdin!.end(); // close_notify: s_server closes too, and both exit
      assert.equal(await client.exited, 0, client.stderr());
      assert.equal(await server.exited, 0, server.stderr());
    } finally {
      await Promise.all([client?.kill(), server.kill()]);
    }
  });
}

test('tlsrt client -> openssl s_server with another PSK: exit 1, the alert named', async () => {
  const { peer: server, port } = await sServer([]);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', randomBytes(32).toString('hex'), '--psk-identity', ID]);
    feed(client, 'x');
    assert.equal(await client.exited, 1);
    assert.match(client.stderr(), /^tlsrt client: .*\(ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER\)$/m);
    assert.equal(client.stdout().length, 0);
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

// s_client -allow_no_dhe_kex offers psk_ke as well as psk_dhe_ke, with a key
// share; a server that allows both (tlsrt server --psk-ke, like OpenSSL's own
// with -allow_no_dhe_kex) still picks psk_dhe_ke.
for (const allowKe of [false, true]) {
  test(`openssl s_client${allowKe ? ' -allow_no_dhe_kex' : ''} -> tlsrt server${allowKe ? ' --psk-ke' : ''}: psk_dhe_ke, 64 KiB echoed, clean close`, async () => {
    const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--psk-identity', ID, ...(allowKe ? ['--psk-ke'] : [])]);
    // -nocommands: else a stdin chunk starting with Q, R, k or K is a command, not data.
    const client = spawnPeer('openssl', [
      's_client', '-brief', '-nocommands', '-connect', `127.0.0.1:${port}`, '-psk', PSK, '-psk_identity', ID,
      ...(allowKe ? ['-allow_no_dhe_kex'] : []),
    ]);
    try {
      await waitFor(() => client.stderr().includes('CONNECTION ESTABLISHED'), 's_client to connect', 30000);
      const data = randomBytes(64 * 1024);
      client.proc.stdin!.write(data);
      await waitFor(() => client.stdout().length >= data.length, 'the echo', 30000);
      assert.ok(client.stdout().equals(data), 'tlsrt server echoed exactly what s_client sent');
      assert.match(client.stderr(), /^Protocol version: TLSv1\.3$/m);
      const suite = /^Ciphersuite: (\S+)$/m.exec(client.stderr())![1];
      assert.match(server.stderr(), new RegExp(`^Ciphersuite: ${suite}$`, 'm'));
      // s_client reports the ephemeral key ("Server Temp Key") only after an (EC)DHE exchange.
      assert.match(client.stderr(), /^Server Temp Key: X25519, 253 bits$/m);
      client.proc.stdin!.end();
      assert.equal(await client.exited, 0, client.stderr());
      assert.equal(await server.exited, 0, server.stderr());
      assert.match(server.stderr(), /^DONE$/m);
    } finally {
      await Promise.all([client.kill(), server.kill()]);
    }
  });
}
