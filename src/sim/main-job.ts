// `npm start`: the main job. A board-sized engine (the RP2040 profile's
// pool geometry, suites and max_fragment_length, the same .wasm a board runs)
// boots with its self-test, does a real psk_dhe_ke handshake against a local
// node:tls PSK server over TCP, echoes a message, and prints a report.
//
// What is NOT simulated yet: the board's clock (a cost model of wasm3 on the
// board's core) — the handshake time printed is this machine's V8 time, and
// is labelled so. See the board/simulation issue.
import tls from 'node:tls';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Engine, type Conn } from '../engine/engine.ts';
import { loadBoard } from '../bundle/board.ts';
import { inspectModule } from '../bundle/module.ts';
import { ramArithmetic } from '../bundle/ram.ts';

const BOARD = process.argv[2] ?? 'rp2040';
const IDENTITY = 'device-0001';
const PSK = randomBytes(32);

function kib(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

/** Runs `conn` over `sock` until the echo comes back or something fails. */
function drive(conn: Conn, sock: net.Socket, message: Buffer): Promise<{ echoed: Buffer; handshakeMs: number; wire: { in: number; out: number } }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let handshakeMs = 0;
    let inbox = Buffer.alloc(0);
    const got: Buffer[] = [];
    const wire = { in: 0, out: 0 };
    let sent = false;
    const turn = () => {
      for (let moved = true; moved; ) {
        moved = false;
        const out = conn.takeOutput();
        if (out) {
          wire.out += out.length;
          sock.write(out);
          moved = true;
        }
        for (const ev of conn.events()) {
          moved = true;
          if (ev.kind === 'handshake') handshakeMs = Number(process.hrtime.bigint() - t0) / 1e6;
          if (ev.kind === 'error') return reject(new Error(`TLS failure: ${ev.reason} (alert ${ev.alertName})`));
        }
        if (conn.state === 'open' && !sent) {
          let off = 0;
          while (off < message.length) {
            const n = conn.writeApp(message.subarray(off));
            if (!n) break;
            off += n;
            const o = conn.takeOutput();
            if (o) {
              wire.out += o.length;
              sock.write(o);
            }
          }
          sent = off === message.length;
          moved = true;
        }
        let d;
        while ((d = conn.readApp())) {
          got.push(Buffer.from(d));
          moved = true;
        }
        if (inbox.length) {
          const n = conn.feed(inbox);
          if (n) {
            inbox = inbox.subarray(n);
            moved = true;
          }
        }
      }
      if (Buffer.concat(got).length >= message.length) resolve({ echoed: Buffer.concat(got), handshakeMs, wire });
    };
    sock.on('data', (d) => {
      wire.in += d.length;
      inbox = Buffer.concat([inbox, d]);
      turn();
    });
    sock.on('connect', turn);
    sock.on('error', reject);
    sock.setTimeout(10000, () => reject(new Error('timed out')));
  });
}

async function main(): Promise<number> {
  const board = loadBoard(BOARD);
  console.log(`tlsrt main job — simulated ${board.name}: ${board.cpu} @ ${board.clockMHz} MHz, ${kib(board.sramBytes)} SRAM`);

  // 1. Boot: the engine module the board flashes, its self-test, its pool.
  const engine = new Engine(board.pool, board.profile);
  const selftestOk = engine.x.selftest() === 1;
  console.log(`boot self-test (${board.profile}.wasm): ${selftestOk ? 'passed' : 'FAILED'}`);
  if (!selftestOk) return 1;

  // 2. A local node:tls PSK server that echoes.
  const server = tls.createServer({
    pskCallback: (_s, id) => (id === IDENTITY ? PSK : null),
    ciphers: board.suites.join(':'),
  }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;

  // 3. The board's connection: its suites, psk_dhe_ke, the max_fragment_length it needs.
  const conn = engine.open('client', {
    pskIdentity: Buffer.from(IDENTITY),
    psk: PSK,
    suites: board.suites,
    kxModes: ['psk_dhe_ke'],
    maxFragmentLength: board.maxFragmentLength || undefined,
    maxSendFragment: board.defaultFragment,
  });
  const message = Buffer.from(`hello from ${board.name} — ${randomBytes(1500).toString('hex')}`);
  const sock = net.connect(port, '127.0.0.1');
  try {
    const r = await drive(conn, sock, message);
    const facts = inspectModule(board.profile, board.pool);
    const ram = ramArithmetic(board, facts);
    console.log('');
    console.log(`suite:              ${conn.suite}`);
    console.log(`key exchange:       ${conn.kx} (X25519) with external PSK '${IDENTITY}'`);
    console.log(`max_fragment_length: ${board.maxFragmentLength || 'none'} (peer record limit ${conn.peerRecordLimit - 1} bytes)`);
    console.log(`handshake:          ${r.handshakeMs.toFixed(1)} ms on this machine's V8 (board clock not simulated yet)`);
    console.log(`echo:               ${message.length} bytes ${r.echoed.equals(message) ? 'intact' : 'CORRUPTED'}`);
    console.log(`records:            ${conn.records.out} sent, ${conn.records.in} received`);
    console.log(`bytes on the wire:  ${r.wire.out} sent, ${r.wire.in} received`);
    console.log(`engine linear memory: ${kib(facts.linearMemoryBytes)} (pool arena ${kib(engine.arenaBytes())} for ${board.pool.slots} slot(s))`);
    console.log(`device RAM at peak (wasm3 + engine, from the board profile): ${kib(ram.peak)} of a ${kib(ram.budget)} budget — ${ram.fits ? 'fits' : 'DOES NOT FIT yet'}`);
    conn.shutdown();
    const bye = conn.takeOutput();
    if (bye) sock.write(bye);
    return r.echoed.equals(message) ? 0 : 1;
  } finally {
    conn.close();
    sock.destroy();
    server.close();
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`main job failed: ${err.message}`);
  process.exitCode = 1;
});
