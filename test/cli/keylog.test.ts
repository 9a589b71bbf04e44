// --keylog <file>: tlsrt client and tlsrt server append NSS key log lines
// (SSLKEYLOGFILE format), the same secrets the peer logs: OpenSSL's
// s_server -keylogfile for the client, node:tls 'keylog' events for the
// server. The file is opened for appending, one connection after another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { freePort, keylogSet, listening, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32);
const ID = 'device-0001';
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-cli-keylog-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const NSS_LINE = /^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) ([0-9a-f]{64}) ([0-9a-f]{64})$/;

function assertNss(lines: string[], connections: number) {
  assert.equal(lines.length, 5 * connections);
  for (const l of lines) assert.match(l, NSS_LINE);
  const randoms = new Set(lines.map((l) => NSS_LINE.exec(l)![2]));
  assert.equal(randoms.size, connections, 'one client random per connection');
}

test('tlsrt client --keylog: the five secrets of the connection, identical to openssl s_server -keylogfile', async () => {
  const mine = join(dir, 'client.keys');
  const theirs = join(dir, 's_server.keys');
  const port = await freePort();
  const server = spawnPeer('openssl', ['s_server', '-brief', '-nocert', '-naccept', '1', '-accept', `127.0.0.1:${port}`,
    '-psk', PSK.toString('hex'), '-psk_identity', ID, '-keylogfile', theirs]);
  let client: Peer | undefined;
  try {
    // s_server -brief announces nothing: wait until its socket listens.
    await waitFor(() => listening(port) || server.proc.exitCode !== null, 'openssl s_server to listen');
    assert.equal(server.proc.exitCode, null, `s_server exited: ${server.stderr()}`);
    client = tlsrt(['client', '--port', String(port), '--psk', PSK.toString('hex'), '--psk-identity', ID, '--keylog', mine]);
    await waitFor(() => /CONNECTION ESTABLISHED/.test(client!.stderr()) || client!.proc.exitCode !== null, 'tlsrt client to connect', 30000);
    assert.match(client.stderr(), /CONNECTION ESTABLISHED/);
    feed(client, 'bye\n');
    assert.equal(await client.exited, 0, client.stderr());
    const lines = keylogSet(readFileSync(mine, 'utf8'));
    assertNss(lines, 1);
    await waitFor(() => existsSync(theirs) && keylogSet(readFileSync(theirs, 'utf8')).length >= 5, 'the s_server key log');
    assert.deepEqual(lines, keylogSet(readFileSync(theirs, 'utf8')));
    assert.equal(statSync(mine).mode & 0o077, 0, 'the key log is readable by its owner only');
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('tlsrt server --keylog: two node:tls clients, ten lines appended, identical to their keylog events', async () => {
  const mine = join(dir, 'server.keys');
  const { peer: server, port } = await tlsrtServer(['--psk', PSK.toString('hex'), '--psk-identity', ID, '--keylog', mine]);
  const nodeLines: string[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const s = tls.connect({ port, host: '127.0.0.1', checkServerIdentity: () => undefined, pskCallback: () => ({ psk: PSK, identity: ID }) });
      s.on('keylog', (line: Buffer) => nodeLines.push(line.toString('latin1').trim()));
      await new Promise<void>((resolve, reject) => {
        s.once('secureConnect', () => s.end('x'));
        s.on('data', () => {});
        s.once('close', () => resolve());
        s.once('error', reject);
      });
    }
    await waitFor(() => existsSync(mine) && keylogSet(readFileSync(mine, 'utf8')).length >= 10, 'ten key log lines');
    const lines = keylogSet(readFileSync(mine, 'utf8'));
    assertNss(lines, 2);
    assert.deepEqual(lines, nodeLines.sort());
    server.proc.kill('SIGTERM'); // a plain kill stops the server normally
    assert.equal(await server.exited, 0, server.stderr());
  } finally {
    await server.kill();
  }
});
