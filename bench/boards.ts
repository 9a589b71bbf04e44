// `npm run bench` (boards): each board's firmware on its emulated CPU, from
// `tlsrt board --json` — total device RAM for one connection (static +
// heap + stack, engine and runtime), flash, and client handshake
// instructions against native Mbed TLS 3.6.6 doing the same TLS 1.3 PSK
// client handshake on Cortex-M0+ (-Os): 1,157,828 instructions for psk_ke
// and 38,344,757 for psk_dhe_ke (measured once on this machine with the
// same qemu counting; a fixed anchor, not re-run here). The anchor is
// Thumb-1, so only boards whose CPU executes Thumb-1 (armv6-m) are compared
// with it; an RV32 instruction count is not comparable and shows n/a. The aot rows always run; wasm3 rows run when WASM3_DIR is set,
// with RAM widened to 400,000 bytes so the figures show what wasm3 would
// need (its "fits" column compares them to the board's engine budget).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadBoard } from '../src/bundle/board.ts';
import type { BoardRunResult } from '../src/emulated/run.ts';
import { boardRunUnavailable } from '../src/emulated/run.ts';

const MBEDTLS = { psk_ke: 1157828, psk_dhe_ke: 38344757 };
const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

function board(name: string, runtime: 'aot' | 'wasm3', ram?: number): BoardRunResult {
  const args = ['--import', 'tsx', cli, 'board', '--board', name, '--runtime', runtime, '--json', ...(ram ? ['--ram', String(ram)] : [])];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '';
  }
  return JSON.parse(out) as BoardRunResult;
}

const rows: string[] = [];
const kib = (n: number) => (n / 1024).toFixed(1);
for (const name of ['rp2040', 'esp32-c3']) {
  for (const runtime of ['aot', 'wasm3'] as const) {
    const why = boardRunUnavailable(name, runtime, process.env.WASM3_DIR);
    if (why) {
      rows.push(`| ${name} | ${runtime} | skipped: ${why} |||||||||`);
      continue;
    }
    const b = loadBoard(name);
    const r = board(name, runtime, runtime === 'wasm3' ? 400000 : undefined);
    if (!r.ok) {
      rows.push(`| ${name} | ${runtime} | FAILED: ${r.error ?? 'see tlsrt board'} |||||||||`);
      continue;
    }
    const h = r.handshakeInstructions;
    const vs = (n: number, anchor: number) => (b.arch === 'armv6-m' ? `${(n / anchor).toFixed(2)}x` : 'n/a (not Thumb-1)');
    rows.push(
      `| ${name} | ${runtime} | ${kib(r.ramBytes.static)} + ${kib(r.ramBytes.heapPeak)} + ${kib(r.ramBytes.stackPeak)} = **${kib(r.ramBytes.total)}** | ` +
        `${r.ramBytes.total <= b.ramBudget.engineBytes ? 'yes' : 'no'} (${kib(b.ramBudget.engineBytes)}) | ${(r.flashBytes / 1000).toFixed(1)} | ` +
        `${(h.psk_ke / 1e6).toFixed(2)} M | ${vs(h.psk_ke, MBEDTLS.psk_ke)} | ${(h.psk_dhe_ke / 1e6).toFixed(2)} M | ${vs(h.psk_dhe_ke, MBEDTLS.psk_dhe_ke)} | ` +
        `${(r.selftest.instructions / 1e6).toFixed(2)} M |`,
    );
  }
}
console.log('\nemulated boards (tlsrt board --json): one client connection, 16 KiB echo, node:tls server; instructions under qemu -icount');
console.log('ratios against native Mbed TLS 3.6.6 on Cortex-M0+ (psk_ke 1.16 M, psk_dhe_ke 38.3 M instructions; a fixed anchor)\n');
console.log('| board | runtime | RAM KiB: static + heap + stack = total | fits engine budget (KiB) | flash KB | psk_ke | vs Mbed TLS | psk_dhe_ke | vs Mbed TLS | boot self-test |');
console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
