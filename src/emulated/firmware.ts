// Builds the emulated-board firmware: `tlsrt bundle` for the board and
// runtime, then the device host + runtime + harness (boards/emulated/)
// compiled for the board's instruction set and linked into the board's
// flash and RAM budget (the linker script fails the link if static data and
// the stack reserve do not fit). Reads the figures the ELF itself gives:
// flash (what is loaded into flash: code, constants, .data's image) and
// static RAM (.data + .bss).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../bundle/bundle.ts';
import { boardsDir, type Board, type Runtime } from '../bundle/board.ts';
import { wasm3Defines, WASM3_SOURCES } from '../bundle/defines.ts';
import type { EmulatedTarget } from './targets.ts';

export interface FirmwareImage {
  elf: string;
  /** Bytes in flash: .text + .rodata + the .data image (+ exception index). */
  flashBytes: number;
  /** Of which the harness (fw_* symbols): the rest is tlsrt, its runtime and libc. */
  harnessFlashBytes: number;
  /** .data + .bss. */
  staticRamBytes: number;
  /** Of which the harness (fw_* symbols: UART rings, result text). */
  harnessStaticBytes: number;
  /** Stack reserved by the linker script (the measured peak is reported by the firmware). */
  stackReserveBytes: number;
  /** RAM the linker script grants (the board's engine budget). */
  ramBytes: number;
  /** Size of the engine module the image was built from. */
  wasmBytes: number;
  /** Biggest static RAM symbols, for the report. */
  staticTop: { name: string; bytes: number }[];
}

/** Stack reserved for the aot runtime (its frames are the generated C functions'; measured peak is far below). */
const AOT_STACK_RESERVE = 16384;

export interface FirmwareOptions {
  board: Board;
  runtime: Runtime;
  target: EmulatedTarget;
  out: string;
  /** A wasm3 checkout (runtime wasm3 only): its sources are compiled into the image, never copied. */
  wasm3Dir?: string;
  /** RAM to grant instead of the board's engine budget. */
  ramBytes?: number;
  /** The engine module, instead of the board's (bundle's default). */
  module?: string;
}

export function buildFirmware(o: FirmwareOptions): FirmwareImage {
  const { board, runtime, target: t, out } = o;
  const bundleDir = join(out, 'bundle');
  const objDir = join(out, 'obj');
  mkdirSync(objDir, { recursive: true });
  const b = bundle({ board: board.name, out: bundleDir, runtime, module: o.module });
  const tl = join(bundleDir, 'tlsrt');
  const emu = join(boardsDir(), 'emulated');
  const base = [...t.cpuFlags, '-Os', '-ffunction-sections', '-fdata-sections', `-I${tl}`, `-I${join(tl, 'examples')}`, `-I${emu}`];
  const strict = ['-std=c99', '-Wall', '-Wextra', '-Werror'];
  let m3: string[] = [];
  if (runtime === 'wasm3') {
    if (!o.wasm3Dir || !existsSync(join(o.wasm3Dir, 'source', 'wasm3.h'))) {
      throw new Error('--runtime wasm3 needs WASM3_DIR: a wasm3 checkout such that $WASM3_DIR/source/wasm3.h exists (it is compiled into the firmware, never copied)');
    }
    m3 = [...wasm3Defines(board).map(([k, v]) => `-D${k}=${v}`), '-isystem', join(o.wasm3Dir, 'source')];
  }
  const objs: string[] = [];
  const cc = (src: string, flags: string[]) => {
    const obj = join(objDir, `${objs.length}-${src.split('/').pop()!.replace(/\.c$/, '')}.o`);
    run(t.cc, [...base, ...flags, '-c', src, '-o', obj]);
    objs.push(obj);
  };
  const host = runtime === 'aot' ? ['tlsrt_host.c', 'tlsrt_runtime_aot.c', 'wasm_rt_static.c'] : ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_module.c'];
  for (const f of host) cc(join(tl, f), [...strict, ...m3]);
  if (runtime === 'aot') cc(join(tl, 'tlsrt_engine.c'), ['-std=gnu99', '-w']); // generated: its warnings are not ours
  else for (const f of WASM3_SOURCES) cc(join(o.wasm3Dir!, 'source', f), ['-std=gnu99', '-w', ...m3]);
  cc(join(emu, 'fw_main.c'), [...strict, ...m3]);
  cc(join(emu, t.platform), strict);

  const ramBytes = o.ramBytes ?? board.ramBudget.engineBytes;
  const stackReserveBytes = runtime === 'aot' ? AOT_STACK_RESERVE : board.wasm3.taskStackBytes;
  const ld = join(out, 'fw.ld');
  writeFileSync(ld, readFileSync(join(emu, t.linkerScript), 'utf8')
    .replace('@FLASH@', String(board.flashBytes)).replace('@RAM_ORIGIN@', `0x${t.ramOrigin(board.flashBytes).toString(16)}`).replace('@RAM@', String(ramBytes)).replace('@STACK@', String(stackReserveBytes)));
  const elf = join(out, 'fw.elf');
  run(t.cc, [...t.cpuFlags, ...t.libFlags, '-nostartfiles', '-Wl,--gc-sections', '-T', ld, ...objs,
    '-lc', '-lgcc', '-o', elf]);
  return { elf, ...measureElf(t, elf), stackReserveBytes, ramBytes, wasmBytes: b.module.wasmBytes };
}

/** Runs a compiler/linker step; a failure says which step and what it printed. */
function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`${cmd} ${args.filter((a) => /\.(c|ld)$/.test(a)).join(' ') || 'link'} failed:\n${err.stderr?.toString().trim() ?? String(e)}`);
  }
}

function measureElf(t: EmulatedTarget, elf: string) {
  const sections = new Map<string, number>();
  for (const line of execFileSync(t.size, ['-A', elf], { encoding: 'utf8' }).split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
    if (m) sections.set(m[1], Number(m[2]));
  }
  const sec = (re: RegExp) => [...sections].filter(([n]) => re.test(n)).reduce((a, [, v]) => a + v, 0);
  const flashBytes = sec(/^\.(text|rodata|srodata|data|sdata|ARM\.exidx|init_array|fini_array)/);
  const staticRamBytes = sec(/^\.(data|sdata|bss|sbss|tdata|tbss)/);
  let harnessFlashBytes = 0;
  let harnessStaticBytes = 0;
  const ram: { name: string; bytes: number }[] = [];
  for (const line of execFileSync(t.nm, ['-S', '--size-sort', elf], { encoding: 'utf8' }).split('\n')) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) (\w) (\S+)$/.exec(line);
    if (!m) continue;
    const bytes = Number.parseInt(m[1], 16);
    const kind = m[2].toLowerCase();
    const harness = m[3].startsWith('fw_');
    if ('bdgs'.includes(kind)) {
      ram.push({ name: m[3], bytes });
      if (harness) harnessStaticBytes += bytes;
    } else if (harness && 'tr'.includes(kind)) harnessFlashBytes += bytes;
  }
  ram.sort((a, b) => b.bytes - a.bytes);
  return { flashBytes, harnessFlashBytes, staticRamBytes, harnessStaticBytes, staticTop: ram.slice(0, 6) };
}
