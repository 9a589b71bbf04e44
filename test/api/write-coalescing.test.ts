// Records follow the stream's batching, as node:tls's do: a cork()/uncork()
// batch, or writes made while an earlier write is still in flight, are sealed
// together into as few records as the fragment size allows, and every write
// callback runs only once its bytes are sealed. Records and bytes are counted
// on the wire by a relay between client and server, for tlsrt and node:tls
// clients doing the same writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { LIBS, pskClient, pskServer, readBytes, type LibName } from '../helpers/scenario.ts';
import { countingRelay, type Relay } from '../helpers/wire.ts';
import { waitFor } from '../helpers/peers.ts';
import tlsrt from '../../src/index.ts';

const T = { timeout: 30000 };
const SUITE = 'TLS_AES_128_GCM_SHA256';
/** What a TLS 1.3 record adds to its plaintext with an AES-GCM suite: header, content type, tag. */
const RECORD_OVERHEAD = 5 + 1 + 16;

interface Wired {
  client: nodeTls.TLSSocket;
  server: nodeTls.TLSSocket;
  relay: Relay;
  close(): Promise<void>;
}

/** A `serverLib` server (node:tls unless told), a counting relay, and a `lib` client through it; resolves once both ends are secure. */
async function wired(lib: LibName, serverLib: LibName = 'node', serverOpts: Record<string, unknown> = {}, clientOpts: Record<string, unknown> = {}): Promise<Wired> {
  const srv = LIBS[serverLib].createServer({ pskCallback: pskServer(), ciphers: SUITE, ...serverOpts } as nodeTls.TlsOptions);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const relay = await countingRelay((srv.address() as net.AddressInfo).port);
  const serverSide = new Promise<nodeTls.TLSSocket>((r) => srv.once('secureConnection', r));
  const client = LIBS[lib].connect({
    port: relay.port, host: '127.0.0.1', pskCallback: pskClient(), ciphers: SUITE, checkServerIdentity: () => undefined, ...clientOpts,
  } as nodeTls.ConnectionOptions);
  await new Promise<void>((resolve, reject) => {
    client.once('secureConnect', resolve);
    client.once('error', reject);
  });
  const server = await serverSide; // the server has the client's Finished: the relay counted it
  return {
    client, server, relay,
    async close() {
      client.destroy();
      server.destroy();
      srv.close();
      await relay.close();
    },
  };
}

/** Writes `parts` with `write`, waits until the server has them all; returns the client's records and bytes on the wire for them. */
async function measure(w: Wired, parts: Buffer[], write: (s: nodeTls.TLSSocket) => void) {
  const records0 = w.relay.up.records;
  const bytes0 = w.relay.up.bytes;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const got = readBytes(w.server, total);
  write(w.client);
  assert.deepEqual(await got, Buffer.concat(parts), 'the server got every byte, in order');
  await waitFor(() => w.relay.up.bytes - bytes0 >= total, 'the relay saw the records');
  return { records: w.relay.up.records - records0, bytes: w.relay.up.bytes - bytes0 };
}

const small = (n: number, size = 10) => Array.from({ length: n }, () => randomBytes(size));

test('a cork()/uncork() batch of 40 small writes is one record, as with node:tls', T, async () => {
  const parts = small(40);
  const seen: Record<string, { records: number; bytes: number }> = {};
  for (const lib of ['node', 'tlsrt'] as LibName[]) {
    const w = await wired(lib);
    try {
      seen[lib] = await measure(w, parts, (s) => {
        s.cork();
        for (const p of parts) s.write(p);
        s.uncork();
      });
    } finally {
      await w.close();
    }
  }
  assert.equal(seen.node.records, 1, 'node:tls seals the batch as one record');
  assert.deepEqual(seen.tlsrt, seen.node, 'tlsrt puts the same records and bytes on the wire');
  assert.equal(seen.tlsrt.bytes, 400 + RECORD_OVERHEAD);
});

test('a burst of small writes in one tick: the first is sealed at once, the rest together (node:tls does the same)', T, async () => {
  const parts = small(50);
  const seen: Record<string, { records: number; bytes: number }> = {};
  for (const lib of ['node', 'tlsrt'] as LibName[]) {
    const w = await wired(lib);
    try {
      seen[lib] = await measure(w, parts, (s) => {
        for (const p of parts) s.write(p);
      });
    } finally {
      await w.close();
    }
  }
  assert.ok(seen.tlsrt.records <= seen.node.records, `tlsrt: ${seen.tlsrt.records} records, node:tls: ${seen.node.records}`);
  assert.ok(seen.tlsrt.records <= 2, `50 writes in one tick took ${seen.tlsrt.records} records`);
  assert.ok(seen.tlsrt.bytes <= seen.node.bytes, `tlsrt: ${seen.tlsrt.bytes} bytes, node:tls: ${seen.node.bytes}`);
});

test('a batch fills records up to the fragment size: 16384 by default, setMaxSendFragment(1024) after', T, async () => {
  const w = await wired('tlsrt');
  try {
    const parts = [randomBytes(10000), randomBytes(10000), randomBytes(10000)];
    const batch = (s: nodeTls.TLSSocket) => {
      s.cork();
      for (const p of parts) s.write(p);
      s.uncork();
    };
    const full = await measure(w, parts, batch);
    assert.equal(full.records, Math.ceil(30000 / 16384));
    assert.equal(full.bytes, 30000 + full.records * RECORD_OVERHEAD);
    assert.equal(w.client.setMaxSendFragment(1024), true);
    const frag = await measure(w, parts, batch);
    assert.equal(frag.records, Math.ceil(30000 / 1024));
    assert.equal(frag.bytes, 30000 + frag.records * RECORD_OVERHEAD);
  } finally {
    await w.close();
  }
});

test('a batch fills records up to the limit the peer agreed (record_size_limit)', T, async () => {
  // The extension is a client offer the server answers: both sides announce a limit.
  const w = await wired('tlsrt', 'tlsrt', { recordSizeLimit: 1000 }, { recordSizeLimit: 16385 });
  try {
    const limit = (w.client as unknown as InstanceType<typeof tlsrt.TLSSocket>).getEngineInfo()!.sendRecordLimit;
    assert.equal(limit, 1000, 'the server\'s limit was agreed');
    const parts = small(300, 50); // 15000 bytes in 300 writes
    const r = await measure(w, parts, (s) => {
      s.cork();
      for (const p of parts) s.write(p);
      s.uncork();
    });
    // RFC 8449 §4: in TLS 1.3 the limit counts the inner content type byte, so a record carries limit - 1 bytes.
    assert.equal(r.records, Math.ceil(15000 / (limit - 1)));
    assert.equal(r.bytes, 15000 + r.records * RECORD_OVERHEAD);
  } finally {
    await w.close();
  }
});

test('a large write batched between small ones is sealed in full records, intact', T, async () => {
  const w = await wired('tlsrt');
  try {
    const parts = [randomBytes(10), randomBytes(100_000), randomBytes(10), randomBytes(3)];
    const r = await measure(w, parts, (s) => {
      s.cork();
      for (const p of parts) s.write(p);
      s.uncork();
    });
    assert.equal(r.records, Math.ceil(100_023 / 16384));
  } finally {
    await w.close();
  }
});

test('each write callback runs after its bytes are sealed, in write order', T, async () => {
  const w = await wired('tlsrt');
  try {
    const s = w.client as unknown as InstanceType<typeof tlsrt.TLSSocket>;
    const parts = [...small(5), randomBytes(40_000), ...small(5)];
    const order: number[] = [];
    let expected = s.bytesWritten;
    const done = new Promise<void>((resolve) => {
      s.cork();
      parts.forEach((p, i) => {
        expected += p.length;
        const mustHaveSealed = expected;
        s.write(p, (err?: Error | null) => {
          assert.ifError(err);
          assert.ok(s.bytesWritten >= mustHaveSealed, `write ${i}: ${s.bytesWritten} bytes sealed, ${mustHaveSealed} needed`);
          order.push(i);
          if (i === parts.length - 1) resolve();
        });
      });
      s.uncork();
    });
    await done;
    assert.deepEqual(order, parts.map((_, i) => i));
  } finally {
    await w.close();
  }
});

test('setNoDelay and setKeepAlive reach the TCP socket, as on node:tls', T, async () => {
  const srv = nodeTls.createServer({ pskCallback: pskServer() });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const tcp = net.connect({ port: (srv.address() as net.AddressInfo).port, host: '127.0.0.1' });
  const calls: unknown[][] = [];
  const realNoDelay = tcp.setNoDelay.bind(tcp);
  const realKeepAlive = tcp.setKeepAlive.bind(tcp);
  tcp.setNoDelay = (...a: unknown[]) => (calls.push(['noDelay', ...a]), realNoDelay(...(a as [boolean])));
  tcp.setKeepAlive = (...a: unknown[]) => (calls.push(['keepAlive', ...a]), realKeepAlive(...(a as [boolean, number])));
  const s = tlsrt.connect({ socket: tcp, pskCallback: pskClient() });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', resolve);
      s.once('error', reject);
    });
    assert.equal(s.setNoDelay(true), s);
    assert.equal(s.setKeepAlive(true, 5000), s);
    assert.equal(s.setNoDelay(false), s);
    assert.deepEqual(calls, [['noDelay', true], ['keepAlive', true, 5000], ['noDelay', false]]);
  } finally {
    s.destroy();
    srv.close();
  }
});
