// `npm start`: the main job. A board-sized engine (the RP2040 profile's
// pool geometry, suites and max_fragment_length, the same .wasm a board runs)
// boots with its self-test, does a real psk_dhe_ke handshake against a local
// node:tls PSK server over TCP, echoes a message, then does the same with
// psk_ke, and prints a report.
//
// The engine runs as its instrumented twin (build/<profile>.sim.wasm: the
// same module plus executed-instruction counters, proven to give the same TLS
// bytes by test/sim/instrument.test.ts) inside a simulated Board
// (src/sim/board.ts), whose virtual clock turns the executed work into time on
// the board's core under wasm3 (src/sim/cost-model.ts). Each handshake time is
// printed twice: simulated on the board, and this machine's V8 wall time.
// The board's time covers the engine's work only: network latency and the
// peer's work are not simulated.
import tls from 'node:tls';
import net from 'node:net';
import { randomBytes, randomFillSync, constants } from 'node:crypto';
import type { Conn } from '../engine/engine.ts';
import type { KxMode } from '../engine/config.ts';
import { inspectModule } from '../bundle/module.ts';
import { ramArithmetic } from '../bundle/ram.ts';
import { Board } from './board.ts';

const BOARD = process.argv[2] ?? 'rp2040';
const IDENTITY = 'device-0001';
const PSK = randomBytes(32);

function kib(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

/** Runs `conn` over `sock` until the echo comes back or something fails. */
interface Driven {
  echoed: Buffer;
  handshakeMs: number;
  /** Simulated board time and executed wasm instructions from open() to the handshake event. */
  boardMs: number;
  boardOps: number;
  wire: { in: number; out: number };
}

function drive(board: Board, conn: Conn, sock: net.Socket, message: Buffer, b0: { ms: number; ops: number }): Promise<Driven> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let handshakeMs = 0;
    let boardMs = 0;
    let boardOps = 0;
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
          if (ev.kind === 'handshake') {
            handshakeMs = Number(process.hrtime.bigint() - t0) / 1e6;
            boardMs = board.now() - b0.ms;
            boardOps = board.counts().ops - b0.ops;
          }
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
      if (Buffer.concat(got).length >= message.length) resolve({ echoed: Buffer.concat(got), handshakeMs, boardMs, boardOps, wire });
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

/** One connection of the board to the echo server: handshake, echo, close_notify. */
interface Facts {
  suite?: string;
  kx?: string;
  peerRecordLimit: number;
  records: { in: number; out: number };
}

async function connection(board: Board, port: number, kx: KxMode, psk: Buffer): Promise<{ conn: Facts; r: Driven; message: Buffer }> {
  const b0 = { ms: board.now(), ops: board.counts().ops };
  const conn = board.engine.open('client', {
    pskIdentity: Buffer.from(IDENTITY),
    psk,
    suites: board.profile.suites,
    kxModes: [kx],
    maxFragmentLength: board.profile.maxFragmentLength || undefined,
    maxSendFragment: board.profile.defaultFragment,
  });
  const message = Buffer.from(`hello from ${board.name} over ${kx} — ${randomBytes(1500).toString('hex')}`);
  const sock = net.connect(port, '127.0.0.1');
  try {
    const r = await drive(board, conn, sock, message, b0);
    const facts: Facts = { suite: conn.suite, kx: conn.kx, peerRecordLimit: conn.peerRecordLimit, records: conn.records };
    conn.shutdown();
    const bye = conn.takeOutput();
    if (bye) sock.write(bye);
    return { conn: facts, r, message };
  } finally {
    conn.close();
    sock.destroy();
  }
}

async function main(): Promise<number> {
  // 1. Boot: the engine module the board flashes (as its instrumented twin),
  //    its pool held to the board's RAM budget, its self-test on the board's clock.
  //    Live randomness: the peer is a real node:tls server.
  const board = new Board(BOARD, { random: randomFillSync });
  const p = board.profile;
  console.log(`tlsrt main job — simulated ${p.name}: ${p.cpu} @ ${p.clockMHz} MHz, ${kib(p.sramBytes)} SRAM`);
  const boot = board.time(() => board.engine.x.selftest());
  const selftestOk = boot.value === 1;
  console.log(`boot self-test (${p.profile}.wasm): ${selftestOk ? 'passed' : 'FAILED'} — ${boot.ms.toFixed(1)} ms simulated on the board (${boot.ops} wasm instructions, run as ${p.profile}.sim.wasm)`);
  if (!selftestOk) return 1;

  // 2. A local node:tls PSK server that echoes (psk_ke allowed, as a device server may).
  const server = tls.createServer({
    pskCallback: (_s, id) => (id === IDENTITY ? PSK : null),
    ciphers: p.suites.join(':'),
    secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX,
  }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;

  try {
    // 3. The board's connections: its suites, the max_fragment_length it needs; psk_dhe_ke, then psk_ke.
    const dhe = await connection(board, port, 'psk_dhe_ke', PSK);
    const ke = await connection(board, port, 'psk_ke', PSK);
    const facts = inspectModule(p.profile, p.pool);
    const ram = ramArithmetic(p, facts);
    const k = board.cost;
    const clock = `${k.core} @ ${p.clockMHz} MHz, ${k.cyclesPerOp.toFixed(1)} cycles/wasm instruction${k.basis === 'estimate' ? ', an ESTIMATE' : ''}`;
    const conn = dhe.conn;
    console.log('');
    console.log(`suite:              ${conn.suite}`);
    console.log(`key exchange:       ${conn.kx} (X25519) with external PSK '${IDENTITY}'`);
    console.log(`max_fragment_length: ${p.maxFragmentLength || 'none'} (peer record limit ${conn.peerRecordLimit - 1} bytes)`);
    console.log(`handshake psk_dhe_ke: ${dhe.r.boardMs.toFixed(1)} ms simulated on ${p.name} (${dhe.r.boardOps} wasm instructions; ${clock}) · ${dhe.r.handshakeMs.toFixed(1)} ms on this machine's V8 (instrumented build)`);
    console.log(`handshake psk_ke:     ${ke.r.boardMs.toFixed(1)} ms simulated on ${p.name} (${ke.r.boardOps} wasm instructions) · ${ke.r.handshakeMs.toFixed(1)} ms on this machine's V8 (instrumented build; key exchange ${ke.conn.kx})`);
    console.log(`                    (board time = the engine's work only; network latency and the server's work are not simulated)`);
    const ok = (c: typeof dhe) => (c.r.echoed.equals(c.message) ? 'intact' : 'CORRUPTED');
    const intact = ok(dhe) === 'intact' && ok(ke) === 'intact';
    console.log(`echo:               ${dhe.message.length} bytes ${ok(dhe)} (psk_dhe_ke), ${ke.message.length} bytes ${ok(ke)} (psk_ke)`);
    console.log(`records:            ${conn.records.out} sent, ${conn.records.in} received (psk_dhe_ke connection)`);
    console.log(`bytes on the wire:  ${dhe.r.wire.out} sent, ${dhe.r.wire.in} received (psk_dhe_ke connection)`);
    console.log(`board clock:        ${board.now().toFixed(1)} ms simulated since boot`);
    console.log(`engine linear memory: ${kib(facts.linearMemoryBytes)} (pool arena ${kib(board.memory.arenaBytes)} for ${p.pool.slots} slot(s)); the simulated board holds it to the ${kib(board.memory.budget)} engine budget`);
    console.log(`device RAM at peak (wasm3 + engine, from the board profile): ${kib(ram.peak)} of a ${kib(ram.budget)} budget — ${ram.fits ? 'fits' : 'DOES NOT FIT yet'}`);
    return intact ? 0 : 1;
  } finally {
    server.close();
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`main job failed: ${err.message}`);
  process.exitCode = 1;
});
