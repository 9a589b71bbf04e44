// `npm start`: the main job. A board-sized engine (the RP2040 profile's
// pool geometry, suites and max_fragment_length, and the board's own module
// build/boards/<name>.wasm, cut to its engine selection: what it flashes)
// boots with its self-test, does a real psk_dhe_ke handshake against a local
// node:tls PSK server over TCP, echoes a message, then does the same with
// psk_ke, and prints a report.
//
// The board's application is written against the node:tls API
// (src/sim/apps/echo.ts) and runs through `board.tls` — tlsrt's connect,
// with its connection in the board's engine slot and its turns on the
// board's actor scheduler — so it is the same code a device would run.
//
// The engine runs as its instrumented twin (build/boards/<name>.sim.wasm: the
// same module plus executed-instruction counters, proven to give the same TLS
// bytes by test/sim/instrument.test.ts) inside a simulated Board
// (src/sim/board.ts), whose virtual clock turns the executed work into time on
// the board's core under the runtime its profile names (rp2040: aot, the
// module compiled to C, src/sim/aot-model.ts; wasm3: src/sim/cost-model.ts),
// and whose device RAM verdict is that runtime's (src/bundle/ram.ts). Each handshake time is
// printed twice: simulated on the board, and this machine's V8 wall time.
// The board's time covers the engine's work only: network latency and the
// peer's work are not simulated.
import tls from 'node:tls';
import net from 'node:net';
import { randomBytes, randomFillSync, constants } from 'node:crypto';
import type { KxMode } from '../engine/config.ts';
import type { EngineInfo, TLSSocket } from '../tls/tls-socket.ts';
import { inspectBoardModule } from '../bundle/module.ts';
import { ramArithmetic } from '../bundle/ram.ts';
import { Board } from './board.ts';
import { echoDevice, type EchoOutcome } from './apps/echo.ts';

const BOARD = process.argv[2] ?? 'rp2040';
const IDENTITY = 'device-0001';
const PSK = randomBytes(32);

function kib(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

/** One connection of the board to the echo server: handshake, echo, close_notify. */
interface Exchange {
  kx: KxMode;
  outcome: EchoOutcome;
  message: Buffer;
  /** Simulated board time and executed wasm instructions from connect() to 'secureConnect'. */
  boardMs: number;
  boardOps: number;
  /** This machine's wall time for the same span (V8, instrumented build). */
  handshakeMs: number;
  info: EngineInfo | null;
  wire: { in: number; out: number };
}

async function exchange(board: Board, port: number, kx: KxMode): Promise<Exchange> {
  const message = Buffer.from(`hello from ${board.name} over ${kx} — ${randomBytes(1500).toString('hex')}`);
  const sock = net.connect(port, '127.0.0.1');
  const b0 = { ms: board.now(), ops: board.counts().ops };
  const t0 = process.hrtime.bigint();
  let secure = { boardMs: NaN, boardOps: 0, handshakeMs: NaN };
  let info: EngineInfo | null = null;
  const outcome = await echoDevice(board.tls, { socket: sock, pskKeyExchangeModes: [kx] }, {
    identity: IDENTITY,
    psk: PSK,
    message,
    onSecure: () => {
      secure = { boardMs: board.now() - b0.ms, boardOps: board.counts().ops - b0.ops, handshakeMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    },
    beforeEnd: (s) => {
      info = (s as unknown as TLSSocket).getEngineInfo();
    },
  });
  return { kx, outcome, message, ...secure, info, wire: { in: sock.bytesRead, out: sock.bytesWritten } };
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
  console.log(`boot self-test (boards/${board.module}.wasm): ${selftestOk ? 'passed' : 'FAILED'} — ${boot.ms.toFixed(1)} ms simulated on the board (${boot.ops} wasm instructions, run as boards/${board.module}.sim.wasm)`);
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
    const dhe = await exchange(board, port, 'psk_dhe_ke');
    const ke = await exchange(board, port, 'psk_ke');
    for (const x of [dhe, ke]) {
      if (!x.outcome.ok) {
        const e = x.outcome.error;
        console.error(`${x.kx}: ${e ? `${e.code}: ${e.message}` : `echo incomplete (${x.outcome.echoedBytes} of ${x.message.length} bytes)`}`);
        return 1;
      }
    }
    const facts = inspectBoardModule(board.module, p.profile, p.pool);
    const ram = ramArithmetic(p, facts, board.runtime);
    const k = board.cost;
    const rt = board.runtime === 'aot' ? 'aot (wasm2c)' : 'wasm3';
    const cpi = board.runtime === 'aot' ? ' at 1 cycle per machine instruction, a lower bound' : '';
    const clock = `${k.core} @ ${p.clockMHz} MHz under ${rt}, ${k.cyclesPerOp.toFixed(1)} cycles/wasm instruction${cpi}${k.basis === 'estimate' ? ', an ESTIMATE' : ''}`;
    const info = dhe.info!;
    console.log('');
    console.log(`suite:              ${dhe.outcome.suite}`);
    console.log(`key exchange:       ${info.keyExchange} (${dhe.outcome.group ?? 'no ECDHE'}) with external PSK '${IDENTITY}'`);
    console.log(`record limits:      max_fragment_length ${p.maxFragmentLength || 'not requested'}; the server may send records of ${info.recvRecordLimit} bytes, this board sends ${info.sendRecordLimit - 1}`);
    console.log(`handshake psk_dhe_ke: ${dhe.boardMs.toFixed(1)} ms simulated on ${p.name} (${dhe.boardOps} wasm instructions; ${clock}) · ${dhe.handshakeMs.toFixed(1)} ms on this machine's V8 (instrumented build)`);
    console.log(`handshake psk_ke:     ${ke.boardMs.toFixed(1)} ms simulated on ${p.name} (${ke.boardOps} wasm instructions) · ${ke.handshakeMs.toFixed(1)} ms on this machine's V8 (instrumented build; key exchange ${ke.info?.keyExchange})`);
    console.log(`                    (board time = the engine's work only; network latency and the server's work are not simulated here — \`tlsrt sim\` adds them)`);
    console.log(`echo:               ${dhe.message.length} bytes intact (psk_dhe_ke), ${ke.message.length} bytes intact (psk_ke)`);
    console.log(`records:            ${info.records.out} sent, ${info.records.in} received (psk_dhe_ke connection, before close_notify)`);
    console.log(`bytes on the wire:  ${dhe.wire.out} sent, ${dhe.wire.in} received (psk_dhe_ke connection)`);
    console.log(`board clock:        ${board.now().toFixed(1)} ms simulated since boot`);
    console.log(`engine RAM:         linear memory ${kib(board.memory.need)} (static data + pool arena ${kib(board.memory.arenaBytes)} for ${p.pool.slots} slot(s) + 16 B wasm3 header, counted whichever the runtime) of the ${kib(board.memory.budget)} engine budget — held to it by the simulated board`);
    const what = board.runtime === 'aot'
      ? 'aot runtime: static linear memory + measured static RAM and stack, from the board profile'
      : 'wasm3 runtime + engine, from the board profile';
    console.log(`device RAM at peak (${what}): ${kib(ram.peak)} of a ${kib(ram.budget)} budget — ${ram.fits ? 'fits' : 'DOES NOT FIT yet'}`);
    return 0;
  } finally {
    server.close();
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`main job failed: ${err.message}`);
  process.exitCode = 1;
});
