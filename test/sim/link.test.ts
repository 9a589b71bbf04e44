// Virtual time and the simulated TCP link (src/sim/clock.ts, prng.ts,
// link.ts): the clock runs events in (time, FIFO) order and lets in-process
// peers settle at each instant; the Prng repeats per seed and forks
// independently; the link delivers every byte once and in order through loss
// and reordering, at the times the model says, with backpressure that keeps
// what it holds bounded; and a real node:tls client and server can talk over
// it. Every time asserted is virtual — nothing here depends on the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { SimClock } from '../../src/sim/clock.ts';
import { Prng } from '../../src/sim/prng.ts';
import { Link, HEADER_BYTES, type LinkEndpoint, type LinkOptions, type Transmission } from '../../src/sim/link.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Seeded bytes, so a corrupted or reordered byte shows up as a mismatch. */
function seededBytes(seed: string, n: number): Buffer {
  const rng = new Prng(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextUint32() & 0xff;
  return out;
}

/** Collects what an endpoint reads, with the virtual time of each chunk. */
function collect(clock: SimClock, ep: LinkEndpoint) {
  const got = { chunks: [] as Buffer[], times: [] as number[], bytes: 0, endAt: -1, errors: [] as (Error & { code?: string })[] };
  ep.on('data', (d: Buffer) => {
    got.chunks.push(d);
    got.times.push(clock.now);
    got.bytes += d.length;
  });
  ep.on('end', () => (got.endAt = clock.now));
  ep.on('error', (e) => got.errors.push(e));
  return got;
}

/** Writes `data` into `ep` honouring backpressure (waits for 'drain'), in `chunk`-byte pieces. */
function writeAll(ep: LinkEndpoint, data: Buffer, chunk = 16 * KiB, end = false): void {
  let off = 0;
  const more = () => {
    while (off < data.length) {
      const ok = ep.write(data.subarray(off, off + chunk));
      off += chunk;
      if (!ok) return void ep.once('drain', more);
    }
    if (end) ep.end();
  };
  more();
}

// ---- Prng ----

test('Prng: same seed, same stream; different seeds differ; values in range', () => {
  const a = new Prng('s');
  const b = new Prng('s');
  const c = new Prng('t');
  const xa = Array.from({ length: 100 }, () => a.next());
  const xb = Array.from({ length: 100 }, () => b.next());
  const xc = Array.from({ length: 100 }, () => c.next());
  assert.deepEqual(xa, xb, 'same seed repeats');
  assert.notDeepEqual(xa, xc, 'another seed gives another stream');
  assert.deepEqual(Array.from({ length: 5 }, () => new Prng(7).next()), Array.from({ length: 5 }, () => new Prng('7').next()), 'number 7 and string "7" seed alike');
  const r = new Prng('range');
  let sum = 0;
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 20000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1, `next() in [0,1): ${x}`);
    sum += x;
    counts[r.int(6)]++;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01, `mean near 0.5: ${sum / 20000}`);
  for (const n of counts) assert.ok(n > 20000 / 6 - 300 && n < 20000 / 6 + 300, `int(6) roughly uniform: ${counts}`);
  assert.equal(Array.from({ length: 1000 }, () => r.chance(0)).filter(Boolean).length, 0, 'chance(0) never');
  assert.equal(Array.from({ length: 1000 }, () => r.chance(1)).filter(Boolean).length, 1000, 'chance(1) always');
  assert.throws(() => r.int(0), RangeError);
});

test('Prng.fork: derived from seed + label, not from how much the parent has drawn', () => {
  const p = new Prng('fleet');
  for (let i = 0; i < 17; i++) p.next();
  const f1 = p.fork('link-3');
  const f2 = new Prng('fleet').fork('link-3');
  const other = new Prng('fleet').fork('link-4');
  const s1 = Array.from({ length: 20 }, () => f1.nextUint32());
  assert.deepEqual(s1, Array.from({ length: 20 }, () => f2.nextUint32()), 'same label, same stream whatever the parent drew');
  assert.notDeepEqual(s1, Array.from({ length: 20 }, () => other.nextUint32()), 'another label, another stream');
  const parent = Array.from({ length: 20 }, () => new Prng('fleet').nextUint32());
  assert.notDeepEqual(s1, parent, 'a fork is not the parent stream');
});

// ---- SimClock ----

test('SimClock: time order, FIFO among equal times, the past clamped to now', async () => {
  const clock = new SimClock();
  const log: string[] = [];
  clock.at(30, () => log.push(`c@${clock.now}`));
  clock.at(10, () => {
    log.push(`a1@${clock.now}`);
    clock.at(5, () => log.push(`past@${clock.now}`)); // in the past: runs at 10, after a2 (FIFO)
    clock.after(0, () => log.push(`zero@${clock.now}`));
  });
  clock.at(10, () => log.push(`a2@${clock.now}`));
  clock.after(20, () => log.push(`b@${clock.now}`));
  assert.equal(clock.pending, 4, 'four queued');
  const instants: number[] = [];
  await clock.run({ onInstant: (t) => instants.push(t) });
  assert.deepEqual(log, ['a1@10', 'a2@10', 'past@10', 'zero@10', 'b@20', 'c@30']);
  assert.deepEqual(instants, [10, 20, 30], 'one onInstant per instant');
  assert.equal(clock.now, 30);
  assert.equal(clock.pending, 0);
});

test('SimClock: the heap keeps (time, sequence) order over many events', async () => {
  const clock = new SimClock();
  const rng = new Prng('heap');
  const ran: { t: number; i: number }[] = [];
  const expected: { t: number; i: number }[] = [];
  for (let i = 0; i < 20000; i++) {
    const t = rng.int(500); // many ties
    expected.push({ t, i });
    clock.at(t, () => ran.push({ t: clock.now, i }));
  }
  expected.sort((x, y) => x.t - y.t || x.i - y.i);
  await clock.run();
  assert.equal(ran.length, expected.length, 'every event ran');
  assert.deepEqual(ran, expected, 'ran in (time, scheduling) order, each at its time');
});

test('SimClock: settle lets asynchronous peers act at the current instant', async () => {
  const clock = new SimClock();
  let followUpAt = -1;
  clock.at(10, () => {
    // A peer that reacts a few macrotasks later and then schedules something.
    setImmediate(() => setImmediate(() => {
      clock.touch();
      setImmediate(() => clock.after(5, () => (followUpAt = clock.now)));
    }));
  });
  await clock.run();
  assert.equal(followUpAt, 15, 'the follow-up was scheduled at virtual 10 and ran at 15 (run did not stop early)');
});

test('SimClock: until stops the run; maxTimeMs throws naming the virtual time', async () => {
  const clock = new SimClock();
  let ticks = 0;
  const tick = () => {
    ticks++;
    clock.after(100, tick);
  };
  clock.at(0, tick);
  await clock.run({ until: () => ticks >= 5 });
  assert.equal(ticks, 5, 'stopped after the instant that made until() true');
  assert.equal(clock.now, 400);
  await assert.rejects(clock.run({ maxTimeMs: 1000 }), (e: Error) => {
    assert.match(e.message, /maxTimeMs 1000 ms/);
    assert.match(e.message, /next event at 1100 ms/);
    return true;
  });
  assert.equal(clock.now, 1000, 'did not move past maxTimeMs');
});

// ---- Link ----

/** a sends `data` to b over a fresh link; returns b's chunk times and the stats. */
async function transfer(opts: LinkOptions, data: Buffer, chunk = 16 * KiB) {
  const clock = new SimClock();
  const link = new Link(clock, opts);
  const got = collect(clock, link.b);
  writeAll(link.a, data, chunk);
  await clock.run({ until: () => got.bytes >= data.length, maxTimeMs: 10 * 60_000 });
  return { clock, link, got, stats: link.stats() };
}

test('Link: same seed gives identical delivery times and stats; another seed with loss does not', async () => {
  const data = seededBytes('det', 200 * KiB);
  const opts: LinkOptions = { loss: 0.1, jitterMs: 15, reorder: 0.5, seed: 'one' };
  const r1 = await transfer(opts, data);
  const r2 = await transfer(opts, data);
  const r3 = await transfer({ ...opts, seed: 'two' }, data);
  assert.ok(Buffer.concat(r1.got.chunks).equals(data), 'delivered intact');
  assert.deepEqual(r2.got.times, r1.got.times, 'same chunk times');
  assert.deepEqual(r2.stats, r1.stats, 'same stats');
  assert.ok(r1.stats.aToB.lost > 0, `losses happened: ${JSON.stringify(r1.stats.aToB)}`);
  assert.notDeepEqual(r3.stats.aToB, r1.stats.aToB, 'another seed loses other segments');
  assert.notDeepEqual(r3.got.times, r1.got.times, 'and delivers at other times');
});

test('Link: no loss, no jitter: 1000 bytes arrive at latency + serialisation exactly', async () => {
  const clock = new SimClock();
  const link = new Link(clock, { latencyMs: 20, bandwidthBps: 1_000_000 });
  const got = collect(clock, link.b);
  link.a.write(seededBytes('k', 1000));
  await clock.run();
  const expected = 20 + ((1000 + 40) * 8 * 1000) / 1_000_000; // 28.32 ms
  assert.equal(got.bytes, 1000);
  assert.equal(got.times.length, 1, 'one segment, one chunk');
  assert.ok(Math.abs(got.times[0] - expected) < 1e-9, `arrived at ${got.times[0]} ms, expected ${expected}`);
  const s = link.stats().aToB;
  assert.deepEqual(
    { payloadBytes: s.payloadBytes, wireBytes: s.wireBytes, segments: s.segments, transmissions: s.transmissions, lost: s.lost, retransmits: s.retransmits, reordered: s.reordered },
    { payloadBytes: 1000, wireBytes: 1040, segments: 1, transmissions: 1, lost: 0, retransmits: 0, reordered: 0 },
  );
  const back = link.stats().bToA;
  assert.deepEqual({ acks: back.acks, ackWireBytes: back.ackWireBytes, wireBytes: back.wireBytes }, { acks: 1, ackWireBytes: 40, wireBytes: 0 }, 'one pure ACK came back, counted on its own direction');
  assert.equal(s.acks, 0, 'nothing was acknowledged the other way');
});

test('Link: 100 KB over 1 Mbit/s takes the serialisation time of payload + headers, plus latency', async () => {
  const n = 100_000;
  const { got, stats } = await transfer({ latencyMs: 20, bandwidthBps: 1_000_000 }, seededBytes('bulk', n), n); // one write
  const segments = Math.ceil(n / 1460);
  const payloadOnly = (n * 8 * 1000) / 1_000_000 + 20; // 820 ms: a lower bound no link can beat
  const withHeaders = payloadOnly + (segments * HEADER_BYTES * 8 * 1000) / 1_000_000; // 842.08 ms: the wire never idles
  const last = got.times[got.times.length - 1];
  assert.equal(stats.aToB.segments, segments);
  assert.ok(last >= payloadOnly && last <= withHeaders + 1e-6, `100 KB done at ${last} ms, bounds [${payloadOnly}, ${withHeaders}]`);
  assert.ok(Math.abs(last - withHeaders) < 1e-6, `the window (16 KiB > bandwidth x RTT) keeps the wire busy: ${last} vs ${withHeaders}`);
});

test('Link: a small window makes a long link window-bound (one window per round trip)', async () => {
  const n = 100_000;
  const windowBytes = 2920; // two full segments: one write, so every segment but the last is full
  const latencyMs = 100;
  const { got } = await transfer({ latencyMs, windowBytes, bandwidthBps: 100_000_000 }, seededBytes('win', n), n);
  const last = got.times[got.times.length - 1];
  const rounds = Math.ceil(n / windowBytes) - 1; // round trips waited before the last window could leave
  assert.ok(last >= rounds * 2 * latencyMs + latencyMs, `window-bound: ${last} ms >= ${rounds} round trips + one way`);
  assert.ok(last <= (rounds + 1) * 2 * latencyMs, `but not slower: ${last} ms`);
});

test('Link: 20% loss with jitter and reordering: 1 MiB each way arrives byte-identical, in order', async () => {
  const clock = new SimClock();
  const link = new Link(clock, { loss: 0.2, jitterMs: 40, reorder: 0.3, latencyMs: 25, seed: 'lossy' });
  const toB = seededBytes('a->b', MiB);
  const toA = seededBytes('b->a', MiB);
  const atB = collect(clock, link.b);
  const atA = collect(clock, link.a);
  writeAll(link.a, toB);
  writeAll(link.b, toA);
  await clock.run({ until: () => atA.bytes >= MiB && atB.bytes >= MiB, maxTimeMs: 10 * 60_000 });
  assert.ok(Buffer.concat(atB.chunks).equals(toB), 'a -> b intact and in order');
  assert.ok(Buffer.concat(atA.chunks).equals(toA), 'b -> a intact and in order');
  const s = link.stats();
  for (const [dir, d] of Object.entries(s)) {
    assert.equal(d.payloadBytes, MiB, `${dir}: every byte cut into a segment once`);
    assert.ok(d.lost > 0 && d.retransmits >= d.lost, `${dir}: losses retransmitted: ${JSON.stringify(d)}`);
    assert.ok(d.reordered > 0, `${dir}: some segments overtaken: ${JSON.stringify(d)}`);
    assert.equal(d.transmissions, d.segments + d.retransmits, `${dir}: transmissions = segments + retransmits`);
    assert.ok(Math.abs(d.lost / d.transmissions - 0.2) < 0.05, `${dir}: loss rate near 20%: ${d.lost}/${d.transmissions}`);
  }
  assert.equal(atA.errors.length + atB.errors.length, 0, 'no errors');
});

test('Link: spurious retransmissions (RTO shorter than the round trip) are dropped as duplicates', async () => {
  const data = seededBytes('dup', 20 * KiB);
  const { got, stats } = await transfer({ latencyMs: 50, rtoMs: 60, jitterMs: 30 }, data);
  assert.ok(Buffer.concat(got.chunks).equals(data), 'delivered once, intact');
  assert.ok(stats.aToB.duplicates > 0, `duplicates seen and dropped: ${JSON.stringify(stats.aToB)}`);
  assert.equal(stats.aToB.lost, 0, 'nothing was lost: every retransmit was spurious');
});

test('Link: no segment carries more than mtu - 40 payload bytes', async () => {
  const mtu = 576;
  const seen: Transmission[] = [];
  const data = seededBytes('mtu', 50_000);
  const { got, stats } = await transfer({ mtu, loss: 0.1, onTransmit: (t) => seen.push(t) }, data);
  assert.ok(Buffer.concat(got.chunks).equals(data), 'intact');
  assert.equal(seen.length, stats.aToB.transmissions, 'the hook saw every transmission');
  const biggest = Math.max(...seen.map((t) => t.payloadBytes));
  assert.equal(biggest, mtu - 40, `full segments are exactly mtu - 40 (saw ${biggest})`);
  assert.equal(stats.aToB.maxSegmentPayload, mtu - 40);
  // 16 KiB writes: each write boundary may end a short segment (no Nagle), at most one per write.
  const full = Math.ceil(50_000 / (mtu - 40));
  assert.ok(stats.aToB.segments >= full && stats.aToB.segments <= full + Math.ceil(50_000 / (16 * KiB)), `segments ${stats.aToB.segments}`);
  assert.ok(seen.some((t) => t.attempt > 1), 'retransmissions were seen too');
});

test('Link: backpressure: a writer that ignores drain sees write() false; the link holds at most window + chunk + hwm', async () => {
  const clock = new SimClock();
  const windowBytes = 16384;
  const highWaterMark = 32 * KiB; // above the chunk, so the first writes can return true
  const chunk = 16 * KiB;
  const link = new Link(clock, { windowBytes, highWaterMark, bandwidthBps: 2_000_000 });
  const got = collect(clock, link.b);
  const data = seededBytes('bp', MiB);
  const returns: boolean[] = [];
  let linkHeldMax = 0;
  for (let off = 0; off < data.length; off += chunk) returns.push(link.a.write(data.subarray(off, off + chunk)));
  assert.ok(link.a.writableNeedDrain, 'writableNeedDrain after overrunning the link');
  assert.equal(returns[0], true, 'the first write fits');
  assert.ok(returns.filter((r) => !r).length > returns.length / 2, `most writes returned false: ${returns.filter((r) => !r).length}/${returns.length}`);
  let drains = 0;
  link.a.on('drain', () => drains++);
  await clock.run({
    until: () => got.bytes >= data.length,
    onInstant: () => (linkHeldMax = Math.max(linkHeldMax, link.a.bufferedPeak)),
    maxTimeMs: 60_000,
  });
  assert.ok(Buffer.concat(got.chunks).equals(data), 'all bytes arrived in order');
  assert.equal(drains, 1, 'one drain once the writable buffer emptied');
  const bound = windowBytes + chunk + highWaterMark;
  assert.ok(link.a.bufferedPeak <= bound, `link held at most ${link.a.bufferedPeak} <= ${bound}`);
  assert.ok(link.a.bufferedPeak >= windowBytes, `and did fill the window: ${link.a.bufferedPeak}`);
  assert.equal(linkHeldMax, link.a.bufferedPeak);
  assert.equal(link.a.bytesWritten, MiB);
  assert.equal(link.b.bytesRead, MiB);
});

test('Link: a reader that stops reading: bytes are held (heldBytes) and released in order when it reads again', async () => {
  const clock = new SimClock();
  const link = new Link(clock, { highWaterMark: 4096 });
  const data = seededBytes('held', 100_000);
  writeAll(link.a, data);
  await clock.run({ maxTimeMs: 60_000 }); // nobody reads b
  assert.equal(link.b.bytesRead, data.length, 'everything reached b');
  assert.ok(link.b.heldBytes > 0, `some held outside the readable buffer: ${link.b.heldBytes}`);
  assert.equal(link.b.heldBytes + link.b.readableLength, data.length, 'held + buffered = all');
  assert.ok(link.b.bufferedPeak >= link.b.heldBytes, 'held bytes count toward the peak');
  const got = collect(clock, link.b);
  await clock.run();
  assert.ok(Buffer.concat(got.chunks).equals(data), 'released in order once read');
  assert.equal(link.b.heldBytes, 0);
});

test('Link: end() gives the far side "end" after all data; both close cleanly', async () => {
  const clock = new SimClock();
  const link = new Link(clock, { loss: 0.1, jitterMs: 10, seed: 'fin' });
  const data = seededBytes('end', 50_000);
  const atB = collect(clock, link.b);
  const atA = collect(clock, link.a);
  let bytesAtEnd = -1;
  link.b.on('end', () => (bytesAtEnd = atB.bytes));
  writeAll(link.a, data, 16 * KiB, true);
  await clock.run({ maxTimeMs: 60_000 });
  assert.equal(bytesAtEnd, data.length, "'end' came after the last byte");
  assert.ok(atB.endAt >= atB.times[atB.times.length - 1], 'and not before it in virtual time');
  assert.ok(atA.endAt > atB.endAt, 'b ended its side in turn (not half-open), a saw that end later');
  assert.ok(Buffer.concat(atB.chunks).equals(data), 'intact');
  assert.equal(atA.errors.length + atB.errors.length, 0, `no errors on a clean close: ${[...atA.errors, ...atB.errors]}`);
  assert.ok(link.a.destroyed && link.b.destroyed, 'both closed');
  const s = link.stats().aToB;
  assert.equal(s.payloadBytes, data.length, 'payload counted once');
  assert.ok(s.segments >= Math.ceil(50_000 / 1460) + 1 && s.segments <= Math.ceil(50_000 / 1460) + 1 + 4, `data segments and a FIN: ${s.segments}`);
  assert.equal(s.maxSegmentPayload, 1460);
});

test('Link: destroy() resets the far side with ECONNRESET one latency later', async () => {
  const clock = new SimClock();
  const link = new Link(clock, { latencyMs: 30 });
  const atB = collect(clock, link.b);
  const atA = collect(clock, link.a);
  let closedAt = -1;
  link.b.on('close', () => (closedAt = clock.now));
  writeAll(link.a, seededBytes('rst', 200_000));
  clock.at(100, () => link.a.destroy());
  await clock.run({ maxTimeMs: 60_000 });
  assert.equal(atB.errors.length, 1, 'b got one error');
  assert.equal(atB.errors[0].code, 'ECONNRESET');
  assert.equal(atB.errors[0].message, 'read ECONNRESET');
  assert.equal(closedAt, 130, 'at destroy time + latency');
  assert.ok(link.b.destroyed, 'b destroyed');
  assert.ok(atB.bytes > 0 && atB.bytes < 200_000, `b had received part of the data: ${atB.bytes}`);
  assert.equal(atA.errors.length, 0, 'a destroyed without error emits none');
  assert.equal(clock.pending, 0, 'nothing keeps retransmitting after the reset');
});

test('Link: destroy() after a clean close (both ended, all data read) sends no RST, even before the last FIN lands', async () => {
  // What node:tls does: it destroys its socket on reading close_notify, just before the peer's FIN arrives.
  const clock = new SimClock();
  const link = new Link(clock, { latencyMs: 20 });
  const atA = collect(clock, link.a);
  const atB = collect(clock, link.b);
  let destroyedAt = -1;
  let bClosedAt = -1;
  link.b.on('close', () => (bClosedAt = clock.now));
  link.a.end();
  link.b.write('bye');
  link.b.end();
  link.a.on('data', () => {
    destroyedAt = clock.now;
    link.a.destroy();
  });
  await clock.run({ maxTimeMs: 10_000 });
  assert.ok(destroyedAt > 20 && atA.endAt === -1, `a was destroyed on the data (${destroyedAt} ms), before it saw the FIN`);
  assert.equal(Buffer.concat(atA.chunks).toString(), 'bye');
  assert.equal(atB.errors.length, 0, `no ECONNRESET at b: ${atB.errors}`);
  assert.ok(link.b.destroyed && link.b.writableFinished, "b's FIN was still acknowledged and b closed");
  assert.ok(bClosedAt >= destroyedAt + 20, `b closed when its FIN's ACK came back (${bClosedAt} ms)`);
  assert.equal(clock.pending, 0, 'nothing left retransmitting');
});

test('Link: endpoints look like a net.Socket', () => {
  const link = new Link(new SimClock(), { name: 'dev-7' });
  const { a, b } = link;
  assert.equal(a.remoteAddress, b.localAddress);
  assert.equal(a.remotePort, b.localPort);
  assert.equal(b.remotePort, a.localPort);
  assert.equal(b.localPort, 443);
  assert.ok(a.localPort >= 49152 && a.localPort < 65536, `ephemeral port ${a.localPort}`);
  assert.equal(new Link(new SimClock(), { name: 'dev-7' }).a.localPort, a.localPort, 'stable for the same name');
  assert.equal(a.setNoDelay(true), a);
  assert.equal(a.setKeepAlive(true, 1000), a);
  assert.equal(a.setTimeout(5000), a);
  assert.equal(a.timeoutMs, 5000);
  assert.equal(a.ref(), a);
  assert.equal(a.unref(), a);
  assert.equal(a.connecting, false);
  assert.equal(a.pending, false);
  assert.equal(a.readyState, 'open');
});

// ---- node:tls over a Link ----

test('Link: a node:tls PSK client and server handshake and echo 64 KiB over a lossy link', async () => {
  const clock = new SimClock();
  const latencyMs = 30;
  const link = new Link(clock, { latencyMs, loss: 0.05, jitterMs: 10, reorder: 0.3, seed: 'tls' });
  const key = seededBytes('psk', 32);
  const errors: Error[] = [];
  const server = tls.createServer(
    { pskCallback: (_s: tls.TLSSocket, id: string) => (id === 'dev' ? key : null), ciphers: 'TLS_AES_128_GCM_SHA256' } as tls.TlsOptions,
    (s) => {
      s.on('error', (e) => errors.push(e));
      s.pipe(s);
    },
  );
  server.on('tlsClientError', (e) => errors.push(e));
  server.emit('connection', link.b);
  const payload = seededBytes('echo', 64 * KiB);
  let handshakeAt = -1;
  const echoed: Buffer[] = [];
  let echoedBytes = 0;
  const client = tls.connect(
    {
      socket: link.a,
      pskCallback: () => ({ psk: key, identity: 'dev' }),
      ciphers: 'TLS_AES_128_GCM_SHA256',
      checkServerIdentity: () => undefined,
    },
    () => {
      handshakeAt = clock.now;
      client.write(payload);
    },
  );
  client.on('error', (e) => errors.push(e));
  client.on('data', (d: Buffer) => {
    echoed.push(d);
    echoedBytes += d.length;
  });
  await clock.run({ until: () => echoedBytes >= payload.length, maxTimeMs: 60_000 });
  assert.deepEqual(errors, [], 'no TLS errors');
  assert.ok(handshakeAt >= 2 * latencyMs, `handshake done at virtual ${handshakeAt} ms, at least one round trip (${2 * latencyMs} ms)`);
  assert.equal(client.getProtocol(), 'TLSv1.3');
  assert.ok(Buffer.concat(echoed).equals(payload), '64 KiB echoed intact');
  assert.ok(clock.now > handshakeAt, 'the echo took virtual time after the handshake');
  const s = link.stats();
  assert.ok(s.aToB.payloadBytes > payload.length && s.bToA.payloadBytes > payload.length, 'TLS records (with overhead) crossed the link both ways');

  client.end();
  await clock.run({ maxTimeMs: 120_000 });
  assert.deepEqual(errors, [], 'closed without errors');
  assert.ok(link.a.destroyed && link.b.destroyed, 'both link endpoints closed');
  server.close();
});
