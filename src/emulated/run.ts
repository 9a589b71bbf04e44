// `tlsrt board`: builds the emulated-board firmware for a board and runtime,
// boots it under qemu, bridges its UART to a TCP connection with a node:tls
// PSK server on 127.0.0.1, and returns what the firmware measured about
// itself plus what the ELF says (flash, static RAM).
//
// The bridge: qemu connects its UART (a chardev socket) to a listener here;
// frames from the firmware ('C' connect, 'D' bytes, 'X' close) drive one
// plain TCP connection at a time to the node:tls server, whose bytes go
// back as 'D' frames; 'Q' asks for random bytes (node:crypto); 'R' carries
// the results. The server checks the echo pattern it receives; the firmware
// checks what comes back.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { constants, randomBytes } from 'node:crypto';
import { loadBoard, type Runtime } from '../bundle/board.ts';
import { emulatedTarget, missingTools } from './targets.ts';
import { buildFirmware, type FirmwareImage } from './firmware.ts';
import { frame, FrameReader } from './uart-frames.ts';
import { SUITE_TABLE } from '../engine/tables.ts';

export interface BoardRunOptions {
  board: string;
  runtime?: Runtime;
  /** Bytes echoed per connection (default 16 KiB). */
  echoBytes?: number;
  wasm3Dir?: string;
  /** Give up after this long (wall clock). */
  timeoutMs?: number;
  /** Keep the build directory (its path is in the result). */
  keep?: boolean;
  /** RAM the linker script grants instead of the board's engine budget (to measure what a runtime needs). */
  ramBytes?: number;
  /** The engine module to build from, instead of the board's. */
  module?: string;
}

export interface KxResult {
  ok: boolean;
  suite: string;
  kx: string;
  handshakeInstructions: number;
  echoBytes: number;
  /** The server received exactly the firmware's pattern, and the firmware got it back intact. */
  echoIntact: boolean;
  failure?: { reason: number; alert: number };
}

export interface BoardRunResult {
  board: string;
  runtime: Runtime;
  machine: string;
  ok: boolean;
  suite: string;
  kx: string[];
  handshakeInstructions: { psk_ke: number; psk_dhe_ke: number };
  selftest: { ok: boolean; instructions: number; stackPeak: number; heapPeak: number };
  /** static: .data + .bss without the harness; heapPeak: the heap's high-water mark (sbrk: allocator overhead
   * included; 0 for aot); stackPeak: painted; total = their sum; budget: RAM the linker script granted. */
  ramBytes: { static: number; heapPeak: number; stackPeak: number; total: number; budget: number; harnessStatic: number };
  flashBytes: number;
  harnessFlashBytes: number;
  /** The engine module's size (wasm bytes) the firmware was built from. */
  wasmBytes: number;
  linearMemoryBytes: number;
  connections: { psk_dhe_ke: KxResult; psk_ke: KxResult };
  instructionCounter: { loopExpected: number; loopMeasured: number };
  staticTop: { name: string; bytes: number }[];
  log: string[];
  error?: string;
  buildDir?: string;
}

const ID = 'device-0001';
const SUITE_NAMES: Record<number, string> = Object.fromEntries(SUITE_TABLE.map((s) => [s.id, s.name]));
const KX = { 1: 'psk_ke', 2: 'psk_dhe_ke' } as Record<number, string>;

/** The pattern fw_main.c writes for a connection (xorshift32 from seed ^ kx). */
function pattern(seed: number, kx: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = (seed ^ kx) >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Why this board/runtime cannot run here (missing toolchain, emulator, wasm3), or undefined. */
export function boardRunUnavailable(boardName: string, runtime?: Runtime, wasm3Dir?: string): string | undefined {
  const b = loadBoard(boardName);
  let t;
  try {
    t = emulatedTarget(b);
  } catch (e) {
    return (e as Error).message;
  }
  const rt = runtime ?? b.runtime;
  if (rt === 'wasm3' && !wasm3Dir) return '--runtime wasm3 needs WASM3_DIR (a wasm3 checkout)';
  return missingTools(t);
}

export async function runBoard(o: BoardRunOptions): Promise<BoardRunResult> {
  const board = loadBoard(o.board);
  const runtime = o.runtime ?? board.runtime;
  const target = emulatedTarget(board);
  const missing = missingTools(target);
  if (missing) throw new Error(`tlsrt board ${board.name}: ${missing}`);
  const echoBytes = o.echoBytes ?? 16384;
  const dir = mkdtempSync(join(tmpdir(), `tlsrt-board-${board.name}-`));
  try {
    const img = buildFirmware({ board, runtime, target, out: dir, wasm3Dir: o.wasm3Dir, ramBytes: o.ramBytes, module: o.module });
    const r = await boot(img, target.qemu, target.qemuArgs, echoBytes, o.timeoutMs ?? 300000);
    return assemble(board.name, runtime, target.machine, img, r, o.keep ? dir : undefined);
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

interface BootOutcome {
  fields: Map<string, number>;
  log: string[];
  error?: string;
  /** What the server received per kx, checked against the pattern. */
  serverIntact: Map<number, boolean>;
}

async function boot(img: FirmwareImage, qemu: string, args: (elf: string, port: number) => string[], echoBytes: number, timeoutMs: number): Promise<BootOutcome> {
  const psk = randomBytes(32);
  const seed = randomBytes(4).readUInt32LE(0);
  const log: string[] = [];
  const serverIntact = new Map<number, boolean>();
  let currentKx = 0;

  // The peer: node:tls with PSK, psk_ke allowed as well as psk_dhe_ke (OpenSSL's SSL_OP_ALLOW_NO_DHE_KEX).
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? psk : null), secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX }, (s) => {
    const kx = currentKx;
    const want = pattern(seed, kx, echoBytes);
    let got = 0;
    let same = true;
    s.on('data', (d: Buffer) => {
      if (got + d.length > want.length || !d.equals(want.subarray(got, got + d.length))) same = false;
      got += d.length;
      serverIntact.set(kx, same && got === want.length);
    });
    s.on('error', (e) => log.push(`server: ${e.message}`));
    s.pipe(s);
  });
  server.on('tlsClientError', (e) => log.push(`server: ${e.message}`));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const tlsPort = (server.address() as AddressInfo).port;

  const uartServer = net.createServer();
  await new Promise<void>((res) => uartServer.listen(0, '127.0.0.1', res));
  const uartPort = (uartServer.address() as AddressInfo).port;
  const child = spawn(qemu, args(img.elf, uartPort), { stdio: ['ignore', 'pipe', 'pipe'] });
  let qemuOut = '';
  child.stdout.on('data', (d) => (qemuOut += d));
  child.stderr.on('data', (d) => (qemuOut += d));

  try {
    return await new Promise<BootOutcome>((resolve) => {
      const fields = new Map<string, number>();
      let tcp: net.Socket | undefined;
      let settled = false;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        tcp?.destroy();
        resolve({ fields, log, error, serverIntact });
      };
      const timer = setTimeout(() => finish(`timed out after ${timeoutMs} ms`), timeoutMs);
      child.on('exit', (code, sig) => {
        if (!fields.has('ok')) finish(`qemu exited (${sig ?? code}) before the firmware reported${qemuOut ? `: ${qemuOut.trim()}` : ''}`);
      });
      child.on('error', (e) => finish(`cannot start ${qemu}: ${e.message}`));
      uartServer.once('connection', (uart) => {
        uartServer.close();
        const reader = new FrameReader();
        const params = Buffer.alloc(4);
        const echo = Buffer.alloc(4);
        echo.writeUInt32LE(echoBytes);
        params.writeUInt32LE(seed);
        uart.write(frame('P', Buffer.concat([Buffer.from([ID.length]), Buffer.from(ID), Buffer.from([psk.length]), psk, echo, params])));
        // qemu may reset the socket as it exits: what matters is whether the result arrived ('close' below).
        uart.on('error', (e) => log.push(`UART socket: ${e.message}`));
        uart.on('close', () => {
          if (!fields.has('ok')) finish('the UART closed before the firmware reported');
        });
        uart.on('data', (chunk: Buffer) => {
          for (const f of reader.push(chunk)) {
            switch (f.type) {
              case 'L':
                log.push(f.payload.toString('latin1'));
                break;
              case 'Q':
                uart.write(frame('q', randomBytes(f.payload.readUInt16LE(0))));
                break;
              case 'C': {
                // One connection at a time: the previous one is closed (its last
                // bytes and 'x' delivered) before 'c' announces the next.
                const kx = f.payload[0];
                const open = () => {
                  currentKx = kx;
                  const s = net.connect(tlsPort, '127.0.0.1', () => uart.write(frame('c')));
                  tcp = s;
                  s.on('data', (d: Buffer) => {
                    for (let i = 0; i < d.length; i += 512) uart.write(frame('D', d.subarray(i, i + 512)));
                  });
                  // The peer's end ('x') once, whether it closed cleanly or reset the connection.
                  let ended = false;
                  const eof = () => {
                    if (!ended && !uart.destroyed) uart.write(frame('x'));
                    ended = true;
                  };
                  s.on('end', eof);
                  s.on('close', eof);
                  s.on('error', (e) => log.push(`bridge TCP: ${e.message}`));
                };
                const old = tcp;
                if (old && !old.destroyed) {
                  old.once('close', open);
                  old.end();
                } else open();
                break;
              }
              case 'D':
                tcp?.write(f.payload);
                break;
              case 'X':
                tcp?.end();
                break;
              case 'E':
                finish(`firmware: ${f.payload.toString('latin1')}`);
                break;
              case 'R':
                {
                  const text = f.payload.toString('latin1');
                  const at = text.indexOf(' error=');
                  for (const kv of (at >= 0 ? text.slice(0, at) : text).split(' ')) {
                    const m = /^([a-z_]+)=(-?\d+)$/.exec(kv);
                    if (m) fields.set(m[1], Number(m[2]));
                  }
                  if (!fields.has('ok')) finish(`firmware stopped: ${at >= 0 ? text.slice(at + 7) : text}`);
                  else finish();
                }
                break;
              default:
                finish(`unknown UART frame type ${JSON.stringify(f.type)}`);
            }
          }
        });
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    server.close();
    uartServer.close();
  }
}

function assemble(board: string, runtime: Runtime, machine: string, img: FirmwareImage, r: BootOutcome, buildDir?: string): BoardRunResult {
  const f = (k: string) => r.fields.get(k) ?? 0;
  const conn = (tag: string, kxId: number): KxResult => {
    const fail = f(`${tag}_fail`);
    const intact = f(`${tag}_echo`) > 0 && f(`${tag}_echo_bad`) === 0 && r.serverIntact.get(kxId) === true;
    return {
      ok: f(`${tag}_ok`) === 1 && intact,
      suite: SUITE_NAMES[f(`${tag}_suite`)] ?? String(f(`${tag}_suite`)),
      kx: KX[f(`${tag}_kx`)] ?? String(f(`${tag}_kx`)),
      handshakeInstructions: f(`${tag}_hs_insns`),
      echoBytes: f(`${tag}_echo`),
      echoIntact: intact,
      ...(fail ? { failure: { reason: fail >> 8, alert: fail & 0xff } } : {}),
    };
  };
  const dhe = conn('dhe', 2);
  const psk = conn('psk', 1);
  const staticBytes = img.staticRamBytes - img.harnessStaticBytes;
  // The sbrk high-water mark: the heap's real footprint, allocator overhead included.
  const heapPeak = Math.max(f('heap_extent'), f('selftest_heap'));
  const stackPeak = Math.max(f('stack_peak'), f('selftest_stack'));
  const selftestOk = f('selftest') === 1;
  const ok = !r.error && f('ok') === 1 && selftestOk && dhe.ok && psk.ok && dhe.kx === 'psk_dhe_ke' && psk.kx === 'psk_ke';
  return {
    board,
    runtime,
    machine,
    ok,
    suite: dhe.suite,
    kx: [dhe.kx, psk.kx],
    handshakeInstructions: { psk_ke: psk.handshakeInstructions, psk_dhe_ke: dhe.handshakeInstructions },
    selftest: { ok: selftestOk, instructions: f('selftest_insns'), stackPeak: f('selftest_stack'), heapPeak: f('selftest_heap') },
    ramBytes: { static: staticBytes, heapPeak, stackPeak, total: staticBytes + heapPeak + stackPeak, budget: img.ramBytes, harnessStatic: img.harnessStaticBytes },
    flashBytes: img.flashBytes,
    harnessFlashBytes: img.harnessFlashBytes,
    wasmBytes: img.wasmBytes,
    linearMemoryBytes: f('linear_memory'),
    connections: { psk_dhe_ke: dhe, psk_ke: psk },
    instructionCounter: { loopExpected: f('calib_expected'), loopMeasured: f('calib_insns') },
    staticTop: img.staticTop,
    log: r.log,
    ...(r.error ? { error: r.error } : {}),
    ...(buildDir ? { buildDir } : {}),
  };
}
