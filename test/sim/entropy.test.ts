// Boards facing a live peer draw their randomness from the platform CSPRNG
// (src/sim/board.ts, src/sim/fleet.ts `entropy`): two boards must never send
// the same client_random or X25519 key share. A relay between the boards and
// a node:tls server reads every ClientHello off the wire to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { Board } from '../../src/sim/board.ts';
import { runFleet } from '../../src/sim/fleet.ts';
import { loadBoard } from '../../src/bundle/board.ts';

const T = { timeout: 60_000 };
const KEY = randomBytes(32);

interface Hello {
  random: string;
  keyShares: string[];
}

/** client_random and key_share entries of a ClientHello record (RFC 8446 §4.1.2, §4.2.8). */
function parseClientHello(rec: Buffer): Hello {
  assert.equal(rec[0], 22, 'a handshake record');
  assert.equal(rec[5], 1, 'a ClientHello');
  let i = 5 + 4 + 2;
  const random = rec.subarray(i, i + 32).toString('hex');
  i += 32;
  i += 1 + rec[i]; // legacy_session_id
  i += 2 + rec.readUInt16BE(i); // cipher_suites
  i += 1 + rec[i]; // legacy_compression_methods
  const end = i + 2 + rec.readUInt16BE(i);
  const keyShares: string[] = [];
  for (i += 2; i < end; ) {
    const type = rec.readUInt16BE(i);
    const len = rec.readUInt16BE(i + 2);
    if (type === 0x33) {
      for (let j = i + 6; j < i + 4 + len; ) {
        const klen = rec.readUInt16BE(j + 2);
        keyShares.push(rec.subarray(j + 4, j + 4 + klen).toString('hex'));
        j += 4 + klen;
      }
    }
    i += 4 + len;
  }
  return { random, keyShares };
}

/** A node:tls PSK echo server behind a relay that records every ClientHello passing through. */
async function relayedServer(): Promise<{ port: number; hellos: Hello[]; close(): void }> {
  const suites = loadBoard('rp2040').suites;
  const server = tls.createServer({ pskCallback: () => KEY, ciphers: suites.join(':') }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const upstreamPort = (server.address() as net.AddressInfo).port;
  const hellos: Hello[] = [];
  const relay = net.createServer((down) => {
    const up = net.connect(upstreamPort, '127.0.0.1');
    let first = Buffer.alloc(0);
    let parsed = false;
    down.on('data', (d: Buffer) => {
      if (!parsed) {
        first = Buffer.concat([first, d]);
        if (first.length >= 5 && first.length >= 5 + first.readUInt16BE(3)) {
          parsed = true;
          hellos.push(parseClientHello(first.subarray(0, 5 + first.readUInt16BE(3))));
        }
      }
      up.write(d);
    });
    up.pipe(down);
    down.on('end', () => up.end());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as net.AddressInfo).port,
    hellos,
    close() {
      relay.close();
      server.close();
    },
  };
}

function assertAllDistinct(hellos: Hello[], n: number): void {
  assert.equal(hellos.length, n, 'every ClientHello seen');
  assert.equal(new Set(hellos.map((h) => h.random)).size, n, 'no two client_randoms alike');
  const shares = hellos.flatMap((h) => h.keyShares);
  assert.equal(shares.length, n, 'one X25519 share each (psk_dhe_ke)');
  assert.equal(new Set(shares).size, n, 'no two key shares alike');
}

test('two new Board("rp2040") on real sockets to a live peer: different client_random, different key shares', T, async () => {
  const peer = await relayedServer();
  try {
    for (let k = 0; k < 2; k++) {
      const board = new Board('rp2040');
      assert.equal(board.entropy, 'csprng');
      const s = board.tls.connect({ socket: net.connect(peer.port, '127.0.0.1'), pskCallback: () => ({ psk: KEY, identity: 'dev' }), checkServerIdentity: () => undefined });
      await new Promise<void>((resolve, reject) => {
        s.once('secureConnect', () => {
          s.end();
          resolve();
        });
        s.once('error', reject);
      });
    }
    assertAllDistinct(peer.hellos, 2);
    assert.equal(new Board('rp2040', { seed: 1 }).entropy, 'seeded');
  } finally {
    peer.close();
  }
});

test('a fleet against a remote server: CSPRNG boards by default (same seed twice, all ClientHellos differ); seeded only when asked', T, async () => {
  const peer = await relayedServer();
  try {
    const run = (entropy?: 'seeded') => runFleet({
      board: 'rp2040', devices: 3, seed: 5, kx: 'psk_dhe_ke', rampMs: 100, server: { host: '127.0.0.1', port: peer.port }, psk: { identity: 'dev-{n}', key: KEY }, entropy,
    });
    const a = await run();
    const b = await run();
    assert.equal(a.report.completed, 3, JSON.stringify(a.report.failures));
    assert.equal(b.report.completed, 3, JSON.stringify(b.report.failures));
    assert.equal(a.report.entropy, 'csprng');
    assertAllDistinct(peer.hellos, 6);
    peer.hellos.length = 0;
    const c = await run('seeded');
    const d = await run('seeded');
    assert.equal(c.report.entropy, 'seeded');
    assert.equal(c.report.completed + d.report.completed, 6);
    // Seeded on request: the same seed repeats the boards' randomness (what a virtual fleet relies on).
    assert.deepEqual(new Set(peer.hellos.slice(0, 3).map((h) => h.random)), new Set(peer.hellos.slice(3).map((h) => h.random)));
  } finally {
    peer.close();
  }
});
