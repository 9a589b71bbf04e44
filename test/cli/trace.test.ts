// --trace, --max-fragment-length and --max-send-fragment, observed through
// the trace tlsrt prints on stderr: every handshake message of a PSK
// handshake appears, and records stay within the negotiated sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { feed, tlsrt, tlsrtServer } from '../helpers/cli.ts';
import type { Peer } from '../helpers/peers.ts';

const PSK = randomBytes(32).toString('hex');
const AEAD_OVERHEAD = 17; // inner content type + 16-byte tag

/** Lengths of the ApplicationData records a trace shows in one direction. */
function appRecords(trace: string, who: 'Client' | 'Server', dir: 'Sent' | 'Received'): number[] {
  const re = new RegExp(`^${who} ${dir} Record: ApplicationData, version 0x0303, length (\\d+)$`, 'gm');
  return [...trace.matchAll(re)].map((m) => Number(m[1]));
}

test('--trace shows the handshake; --max-fragment-length 512 and --max-send-fragment 1024 bound the records', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--trace', '--max-send-fragment', '1024']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--trace', '--max-fragment-length', '512']);
    const data = randomBytes(8 * 1024);
    feed(client, data);
    assert.equal(await client.exited, 0, client.stderr());
    assert.ok(client.stdout().equals(data), 'the trace goes to stderr; stdout has only the data');
    assert.equal(await server.exited, 0, server.stderr());
    const c = client.stderr();
    for (const m of ['Sent Handshake: ClientHello', 'Received Handshake: ServerHello', 'Received Handshake: EncryptedExtensions', 'Received Handshake: Finished', 'Sent Handshake: Finished']) {
      assert.match(c, new RegExp(`^Client ${m}, length \\d+$`, 'm'));
    }
    assert.match(server.stderr(), /^Server Received Handshake: ClientHello, length \d+$/m);
    // The client asked for 512-byte records: the server sends none bigger, and neither does the client.
    const down = appRecords(c, 'Client', 'Received');
    const up = appRecords(c, 'Client', 'Sent');
    assert.ok(down.length >= data.length / 512, `the echo came in ${down.length} records`);
    assert.ok(Math.max(...down) <= 512 + AEAD_OVERHEAD, `largest record from the server: ${Math.max(...down)}`);
    assert.ok(Math.max(...up) <= 512 + AEAD_OVERHEAD, `largest record from the client: ${Math.max(...up)}`);
    assert.ok(Math.max(...down) > 256, 'the limit is 512, not smaller');
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});

test('--max-send-fragment 1024 without a negotiated limit: the server\'s records carry at most 1024 bytes', async () => {
  const { peer: server, port } = await tlsrtServer(['--once', '--psk', PSK, '--trace', '--max-send-fragment', '1024']);
  let client: Peer | undefined;
  try {
    client = tlsrt(['client', '--port', String(port), '--psk', PSK, '--trace']);
    const data = randomBytes(16 * 1024);
    client.proc.stdin!.end(data);
    assert.equal(await client.exited, 0, client.stderr());
    assert.ok(client.stdout().equals(data));
    assert.equal(await server.exited, 0, server.stderr());
    const down = appRecords(client.stderr(), 'Client', 'Received');
    const up = appRecords(client.stderr(), 'Client', 'Sent');
    assert.equal(Math.max(...down), 1024 + AEAD_OVERHEAD, 'the server filled records up to its 1024-byte limit');
    assert.ok(Math.max(...up) > 1024 + AEAD_OVERHEAD, 'the client, without the option, sent bigger records');
  } finally {
    await Promise.all([client?.kill(), server.kill()]);
  }
});
