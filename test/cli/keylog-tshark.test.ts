// The key log tlsrt writes is good enough for Wireshark: a tlsrt client and
// server exchange a known plaintext over loopback while dumpcap captures it,
// then tshark, given only the SSLKEYLOGFILE (the client's --keylog file, or
// the server's, written from its 'keylog' events), decrypts the handshake
// messages (EncryptedExtensions 8, Finished 20) and the application data;
// for TLS 1.2 from the CLIENT_RANDOM (master secret) lines, the Finished
// messages and the data. Without a key log the same capture shows neither:
// the control.
//
// Needs tshark (Debian package tshark, which brings dumpcap) and the right to
// capture on lo (root in CI). A missing tshark fails the test: it is part of
// the environment .ci/run installs, not optional.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import { spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-tshark-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_ENCRYPTED_EXTENSIONS = 8, HS_SERVER_HELLO_DONE = 14, HS_CLIENT_KEY_EXCHANGE = 16, HS_FINISHED = 20;

function requireTool(name: string): void {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${name} is missing: install the Debian package tshark (see .ci/run)`);
}

/** Handshake message types and decrypted application bytes tshark finds in a capture. */
function dissect(pcap: string, keylog?: string): { handshakeTypes: Set<number>; data: Buffer } {
  const args = ['-r', pcap, '-Y', 'tls', '-T', 'fields', '-e', 'tls.handshake.type', '-e', 'data.data'];
  if (keylog) args.unshift('-o', `tls.keylog_file:${keylog}`);
  const r = spawnSync('tshark', args, { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `tshark -r failed: ${r.stderr}`);
  const handshakeTypes = new Set<number>();
  const data: Buffer[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const [types = '', hex = ''] = line.split('\t');
    for (const t of types.split(',').filter(Boolean)) handshakeTypes.add(Number(t));
    for (const h of hex.split(',').filter(Boolean)) data.push(Buffer.from(h.replace(/:/g, ''), 'hex'));
  }
  return { handshakeTypes, data: Buffer.concat(data) };
}

/** TCP FIN segments in a capture that is still being written (0 while it is unreadable). */
function finCount(pcap: string): number {
  if (!existsSync(pcap)) return 0;
  const r = spawnSync('tshark', ['-r', pcap, '-Y', 'tcp.flags.fin == 1', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', timeout: 60000 });
  return r.stdout.split('\n').filter((l) => l.trim()).length;
}

function occurrences(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * One session between `tlsrt client` and `tlsrt server` with `args` on both, captured; tshark
 * must see only `blind` handshake types without keys and also `decrypted` with either key log.
 */
async function sessionDecrypts(args: string[], blind: number[], decrypted: number[]): Promise<void> {
  requireTool('tshark');
  requireTool('dumpcap');
  const pcap = join(dir, 'session.pcapng');
  const clientKeys = join(dir, 'client.keys');
  const serverKeys = join(dir, 'server.keys');
  const plaintext = Buffer.from(`tlsrt known plaintext ${randomBytes(8).toString('hex')}\n`);

  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--keylog', serverKeys, ...args]);
  let capture: Peer | undefined;
  let client: Peer | undefined;
  try {
    capture = spawnPeer('dumpcap', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', pcap], 120000);
    await waitFor(() => capture!.stderr().includes('File: ') || capture!.proc.exitCode !== null, 'dumpcap to start capturing', 30000);
    assert.equal(capture.proc.exitCode, null, `dumpcap could not capture on lo: ${capture.stderr()}`);

    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--keylog', clientKeys, ...args]);
    feed(client, plaintext);
    assert.equal(await client.exited, 0, client.stderr());
    assert.ok(client.stdout().equals(plaintext), 'the server echoed the plaintext');
    assert.equal(await server.exited, 0, server.stderr());

    // The kernel hands packets to dumpcap in blocks, some time after they crossed lo: stop only
    // once the file holds both FINs (everything TLS comes before them).
    await waitFor(() => finCount(pcap) >= 2, 'the whole session in the capture file', 30000);
    capture.proc.kill('SIGINT'); // dumpcap flushes the file and exits
    assert.equal(await capture.exited, 0, capture.stderr());
    assert.ok(existsSync(pcap) && statSync(pcap).size > 0);
  } finally {
    await Promise.all([client?.kill(), server.kill(), capture?.kill()]);
  }

  // The control: without keys only the plaintext hellos are visible.
  const control = dissect(pcap);
  assert.deepEqual([...control.handshakeTypes].sort((a, b) => a - b), blind);
  assert.equal(occurrences(control.data, plaintext), 0, 'no plaintext without keys');

  for (const [who, keys] of [['client --keylog', clientKeys], ['server keylog events', serverKeys]] as const) {
    const seen = dissect(pcap, keys);
    for (const t of [...blind, ...decrypted]) {
      assert.ok(seen.handshakeTypes.has(t), `${who}: tshark decrypted handshake type ${t} (saw ${[...seen.handshakeTypes]})`);
    }
    assert.equal(occurrences(seen.data, plaintext), 2, `${who}: the plaintext, decrypted, once each way`);
  }
}

test('tshark decrypts a captured tlsrt session with the key log tlsrt wrote (client --keylog and server keylog events)', () =>
  sessionDecrypts([], [HS_CLIENT_HELLO, HS_SERVER_HELLO], [HS_ENCRYPTED_EXTENSIONS, HS_FINISHED]));

test('TLS 1.2 (-tls1_2, PSK-AES128-GCM-SHA256): tshark decrypts the session from the CLIENT_RANDOM lines tlsrt wrote', () =>
  sessionDecrypts(['-tls1_2', '--ciphers', 'PSK-AES128-GCM-SHA256'],
    [HS_CLIENT_HELLO, HS_SERVER_HELLO, HS_SERVER_HELLO_DONE, HS_CLIENT_KEY_EXCHANGE], [HS_FINISHED]));
