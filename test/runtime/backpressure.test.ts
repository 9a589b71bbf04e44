// Backpressure through the whole runtime: a board application that writes
// faster than its link can carry is held by the TLS stream's highWaterMark —
// the actor seals only while the transport keeps up, the transport (a
// simulated TCP link) admits only a window — so the bytes held anywhere stay
// bounded while a megabyte goes through intact. Virtual time only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { Readable, pipeline } from 'node:stream';
import { createHash } from 'node:crypto';
import { Board, seededRandom } from '../../src/sim/board.ts';
import { SimClock } from '../../src/sim/clock.ts';
import { Link } from '../../src/sim/link.ts';

const PSK = Buffer.alloc(32, 7);

test('a writer outpacing a 128 kbit/s link is paused by highWaterMark; 1 MiB arrives intact with bounded buffers', { timeout: 120_000 }, async () => {
  const clock = new SimClock();
  const board = new Board('esp32', { seed: 'backpressure', defer: (fn) => clock.at(clock.now, fn) });
  const link = new Link(clock, { bandwidthBps: 128_000, latencyMs: 30, windowBytes: 8192, seed: 'bp' });
  const received = createHash('sha256');
  let receivedBytes = 0;
  let serverDone = false;
  const server = tls.createServer({ pskCallback: () => PSK, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, (s) => {
    s.on('data', (d: Buffer) => {
      received.update(d);
      receivedBytes += d.length;
    });
    s.on('end', () => {
      serverDone = true;
      s.end();
    });
  });
  server.emit('connection', link.b);

  const CHUNK = 16 * 1024;
  const total = 1024 * 1024;
  const data = Buffer.alloc(total);
  seededRandom('payload')(data);
  const socket = board.tls.connect({ socket: link.a, pskCallback: () => ({ psk: PSK, identity: 'dev' }), highWaterMark: 16 * 1024 });
  let sawFalse = 0;
  let peakWritable = 0;
  let peakTransport = 0; // bytes queued in the transport stream, in front of the link
  const sample = () => {
    peakWritable = Math.max(peakWritable, socket.writableLength);
    peakTransport = Math.max(peakTransport, link.a.writableLength);
  };
  socket.on('secureConnect', () => {
    // A producer that honours write()'s answer (as pipe and pipeline do).
    let off = 0;
    const produce = () => {
      while (off < total) {
        const ok = socket.write(data.subarray(off, off + CHUNK));
        off += CHUNK;
        sample();
        if (!ok) {
          sawFalse++;
          socket.once('drain', produce);
          return;
        }
      }
      socket.end();
    };
    produce();
  });
  socket.on('error', (e) => assert.fail(`board socket: ${e.message}`));
  await clock.run({ maxTimeMs: 600_000, onInstant: sample });
  server.close();

  assert.ok(serverDone, 'the server saw the end');
  assert.equal(receivedBytes, total, 'every byte arrived');
  assert.equal(received.digest('hex'), createHash('sha256').update(data).digest('hex'), 'intact and in order');
  assert.ok(sawFalse > 10, `write() said "wait" (${sawFalse} times)`);
  // What the writer could queue: one high-water mark plus the chunk that crossed it.
  assert.ok(peakWritable <= 16 * 1024 + CHUNK, `the stream held at most ${peakWritable} bytes`);
  // Records the engine sealed but the transport has not taken: it seals only while the transport needs no drain.
  assert.ok(peakTransport <= 16 * 1024 + 2 * 1024, `the transport stream held at most ${peakTransport} bytes`);
  // What the link held for the board: its window, plus the record being admitted, plus one waiting write.
  assert.ok(link.a.bufferedPeak <= 8192 + 2 * 1024 + 16 * 1024, `the link held at most ${link.a.bufferedPeak} bytes`);
  // 1 MiB at 128 kbit/s cannot take less than 65.5 s of virtual time: the writer really was outpacing the link.
  assert.ok(clock.now > (total * 8) / 128, `took ${clock.now.toFixed(0)} ms simulated`);
});
