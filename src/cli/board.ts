// `tlsrt board --board <name> [--runtime aot|wasm3] [--json]`: the board's
// firmware on an emulated CPU of its instruction set (src/emulated/run.ts):
// boot self-test, psk_dhe_ke and psk_ke handshakes with a node:tls server
// plus an echo through the emulated UART, and the RAM, flash and instruction
// figures the firmware and its ELF give.
import { runBoard, type BoardRunResult } from '../emulated/run.ts';
import { boardNames, RUNTIMES, type Runtime } from '../bundle/board.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError, intOption, parseOptions, withUsage } from './usage.ts';

export const BOARD_HELP = `usage: tlsrt board --board <name> [--runtime aot|wasm3] [--json] [--bytes N] [--ram BYTES] [--module FILE]

Builds the board's firmware (the tlsrt device host with the aot or wasm3
runtime, RAM limited by the linker script to the board's engine budget),
boots it under qemu (rp2040: Cortex-M0+ code on qemu-system-arm mps2-an385;
esp32-c3: RV32IMC on qemu-system-riscv32 virt), and through the emulated UART
runs a TLS 1.3 psk_dhe_ke and a psk_ke handshake with a node:tls PSK server on
127.0.0.1, each followed by an echo checked byte for byte. Instructions are
counted under qemu -icount (1 ns of virtual time per instruction).

options:
  --board <name>          board profile in boards/ (${boardNames().join(', ')})
  --runtime <aot|wasm3>   default: the board profile's "runtime"; wasm3 needs WASM3_DIR
                          (a wasm3 checkout, compiled into the firmware, never copied)
  --bytes <N>             bytes echoed per connection; default 16384
  --ram <BYTES>           RAM the firmware may use instead of the board's engine budget
                          (ramBudget.engineBytes): measures what a runtime that does not
                          fit would need
  --module <FILE>         build from this engine module instead of the board's (e.g. to
                          measure a size-optimised build)
  --json                  print one JSON object instead of a summary

Needs wabt (wasm2c) and the board's toolchain and emulator: Debian packages
qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi (rp2040),
qemu-system-misc gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf (esp32-c3).
Exit code 1 if anything failed.`;

function summary(r: BoardRunResult): string {
  const k = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const m = (n: number) => `${(n / 1e6).toFixed(2)} M`;
  return [
    `${r.board} (${r.runtime}) on ${r.machine}: ${r.ok ? 'ok' : 'FAILED'}${r.error ? ` — ${r.error}` : ''}`,
    `  suite ${r.suite}; key exchanges ${r.kx.join(', ')}; echo ${r.connections.psk_dhe_ke.echoBytes} + ${r.connections.psk_ke.echoBytes} bytes`,
    `  client handshake instructions: psk_ke ${m(r.handshakeInstructions.psk_ke)}, psk_dhe_ke ${m(r.handshakeInstructions.psk_dhe_ke)}; boot self-test ${m(r.selftest.instructions)}`,
    `  RAM: static ${k(r.ramBytes.static)} + heap peak ${k(r.ramBytes.heapPeak)} + stack peak ${k(r.ramBytes.stackPeak)} = ${k(r.ramBytes.total)} (granted ${k(r.ramBytes.budget)}; harness ${k(r.ramBytes.harnessStatic)} not counted)`,
    `  flash: ${(r.flashBytes / 1000).toFixed(1)} KB (of which harness ${(r.harnessFlashBytes / 1000).toFixed(1)} KB), from a ${r.wasmBytes}-byte module`,
    `  instruction counter check: ${r.instructionCounter.loopMeasured} counted for a ${r.instructionCounter.loopExpected}-instruction loop`,
  ].join('\n');
}

export function boardCommand(argv: string[]): Promise<number> {
  return withUsage('board', async () => {
    const o = parseOptions(argv, { board: 'string', runtime: 'string', json: 'boolean', bytes: 'string', ram: 'string', module: 'string' });
    if (o.help) {
      console.log(BOARD_HELP);
      return EXIT_OK;
    }
    if (typeof o.board !== 'string') throw new UsageError(`--board is required (${boardNames().join(', ')})`);
    if (!boardNames().includes(o.board)) throw new UsageError(`unknown board '${o.board}' (${boardNames().join(', ')})`);
    if (o.runtime !== undefined && !RUNTIMES.includes(o.runtime as Runtime)) throw new UsageError(`--runtime must be ${RUNTIMES.join(' or ')}, not '${String(o.runtime)}'`);
    const bytes = intOption(o, 'bytes', 1, 1 << 20, 16384);
    const ram = intOption(o, 'ram', 4096, 1 << 26);
    let r: BoardRunResult;
    try {
      r = await runBoard({ board: o.board, runtime: o.runtime as Runtime | undefined, echoBytes: bytes, wasm3Dir: process.env.WASM3_DIR, ramBytes: ram, module: o.module as string | undefined });
    } catch (e) {
      const msg = (e as Error).message;
      if (o.json) console.log(JSON.stringify({ board: o.board, runtime: o.runtime ?? null, ok: false, error: msg }));
      else console.error(`tlsrt board: ${msg}`);
      return EXIT_FAILURE;
    }
    console.log(o.json ? JSON.stringify(r, null, 2) : summary(r));
    return r.ok ? EXIT_OK : EXIT_FAILURE;
  });
}
