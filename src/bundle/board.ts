// Board profiles (boards/<name>.json): what a board is (SRAM, flash, CPU),
// which engine profile and pool geometry it runs, the RAM it grants the
// engine, and the wasm3 settings its device host is built with.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { wasmPath } from '../engine/wasm-module.ts';
import { SUITES } from '../engine/config.ts';
import { validateEngine, type BoardEngine } from './engine-features.ts';

export type Sdk = 'pico-sdk' | 'esp-idf';

/** How the board runs the engine: wasm3 (interpreter) or ahead-of-time C from wasm2c. */
export type Runtime = 'aot' | 'wasm3';
export const RUNTIMES: Runtime[] = ['aot', 'wasm3'];

export interface BoardWasm3 {
  /** d_m3MaxFunctionStackHeight: every engine function must compile under it. */
  maxFunctionStackHeight: number;
  /** d_m3MaxNativeStack: C-stack bytes wasm execution may use before wasm3 traps (0 = no guard). */
  maxNativeStack: number;
  /** Stack of the task that calls tlsrt_* (guard + the host's own frames). */
  taskStackBytes: number;
  /** Where the native-stack numbers come from: a measurement or an estimate, said plainly. */
  nativeStackBasis: string;
  /** m3_NewRuntime's value stack (wasm locals and operands). */
  valueStackBytes: number;
  /** d_m3CodePageAlignSize: compiled-code page granularity. */
  codePageAlignSize: number;
  /** false: build wasm3 with d_m3HasFloat=0 (the engine uses no floating point). */
  hasFloat: boolean;
  /** Measured (32-bit build) wasm3 heap while serving, besides linear memory and value stack: runtime, module, compiled code. */
  runtimeHeapBytes: number;
  /** Measured (32-bit build) wasm3 heap peak of the boot self-test's throwaway runtime (freed before serving). */
  selftestHeapBytes: number;
}

/** The aot (wasm2c) firmware's RAM besides its linear-memory buffer, measured under the emulator. */
export interface BoardAot {
  /** Static RAM (.data + .bss) other than the linear-memory buffer: the instance's globals, the host's tables. */
  staticBytes: number;
  /** Peak stack (painted) over the self-test, both handshakes and the echo. */
  stackBytes: number;
  /** What measured them (command, date), or 'estimate: ...' saying what it is borrowed from. */
  basis: string;
}

export interface Board {
  name: string;
  description: string;
  cpu: string;
  arch: string;
  clockMHz: number;
  sramBytes: number;
  flashBytes: number;
  sdk: Sdk;
  idfTarget?: string;
  profile: 'psk';
  /** The runtime a bundle and `tlsrt board` use unless --runtime says otherwise. */
  runtime: Runtime;
  /** What the board's own module (build/boards/<name>.wasm) contains, selected at compile time. */
  engine: BoardEngine;
  pool: { slots: number; recvCap: number; sendCap: number; hsCap: number };
  /** Cipher suites the device offers/accepts, in preference order. wasm3 compiles only the code a connection runs, so fewer suites = less RAM. */
  suites: string[];
  /** Largest plaintext per record this board sends (max send fragment). */
  defaultFragment: number;
  /** max_fragment_length a client asks for (512, 1024, 2048, 4096), or 0 for none. */
  maxFragmentLength: number;
  /** record_size_limit a server advertises (64..16385), or 0 for none. */
  recordSizeLimit: number;
  ramBudget: { reservedBytes: number; reservedFor: string; engineBytes: number };
  wasm3: BoardWasm3;
  /** Required when runtime is 'aot' (src/bundle/ram.ts needs it for the device RAM verdict). */
  aot?: BoardAot;
}

/** boards/ at the package root (beside build/). */
export function boardsDir(): string {
  return join(dirname(dirname(wasmPath('psk'))), 'boards');
}

export function boardNames(): string[] {
  return readdirSync(boardsDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Smallest record buffer the engine accepts: header + 2^9 fragment + expansion. */
export const MIN_RECORD_BUF = 5 + 512 + 256;
export const MAX_RECORD_BUF = 5 + 16384 + 256;
const MFL = [0, 512, 1024, 2048, 4096];

/** Every problem with a board profile, as sentences; [] when it is well-formed. */
export function validateBoard(b: unknown, file = 'board'): string[] {
  const errs: string[] = [];
  const o = b as Record<string, unknown>;
  const isInt = (v: unknown, lo: number, hi: number) => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
  const need = (cond: boolean, msg: string) => {
    if (!cond) errs.push(`${file}: ${msg}`);
  };
  if (typeof b !== 'object' || b === null) return [`${file}: not a JSON object`];
  for (const k of ['name', 'description', 'cpu', 'arch']) need(typeof o[k] === 'string' && (o[k] as string).length > 0, `${k} must be a non-empty string`);
  need(isInt(o.clockMHz, 1, 10000), 'clockMHz must be a positive integer');
  need(isInt(o.sramBytes, 16384, 1 << 30), 'sramBytes must be an integer (bytes)');
  need(isInt(o.flashBytes, 65536, 1 << 30), 'flashBytes must be an integer (bytes)');
  need(o.sdk === 'pico-sdk' || o.sdk === 'esp-idf', "sdk must be 'pico-sdk' or 'esp-idf'");
  if (o.sdk === 'esp-idf') need(typeof o.idfTarget === 'string', 'idfTarget is required for esp-idf boards');
  need(o.profile === 'psk', "profile must be 'psk'");
  need(RUNTIMES.includes(o.runtime as Runtime), `runtime must be one of ${RUNTIMES.join(', ')}`);
  const pool = o.pool as Record<string, unknown> | undefined;
  need(typeof pool === 'object' && pool !== null, 'pool must be an object');
  if (pool && typeof pool === 'object') {
    need(isInt(pool.slots, 1, 4096), 'pool.slots must be 1..4096');
    need(isInt(pool.recvCap, MIN_RECORD_BUF, MAX_RECORD_BUF), `pool.recvCap must be ${MIN_RECORD_BUF}..${MAX_RECORD_BUF}`);
    need(isInt(pool.sendCap, MIN_RECORD_BUF, MAX_RECORD_BUF), `pool.sendCap must be ${MIN_RECORD_BUF}..${MAX_RECORD_BUF}`);
    need(isInt(pool.hsCap, 256, 65536), 'pool.hsCap must be 256..65536');
    if (isInt(pool.sendCap, MIN_RECORD_BUF, MAX_RECORD_BUF) && isInt(o.defaultFragment, 512, 16384)) {
      need((o.defaultFragment as number) + 5 + 256 <= (pool.sendCap as number), 'defaultFragment + 261 must fit pool.sendCap');
    }
    if (isInt(pool.recvCap, MIN_RECORD_BUF, MAX_RECORD_BUF) && MFL.includes(o.maxFragmentLength as number) && o.maxFragmentLength) {
      need((o.maxFragmentLength as number) + 5 + 256 <= (pool.recvCap as number), 'maxFragmentLength + 261 must fit pool.recvCap');
    }
    if (isInt(pool.recvCap, MIN_RECORD_BUF, MAX_RECORD_BUF) && isInt(o.recordSizeLimit, 64, 16385)) {
      need((o.recordSizeLimit as number) - 1 + 5 + 256 <= (pool.recvCap as number), 'recordSizeLimit - 1 + 261 must fit pool.recvCap');
    }
  }
  need(Array.isArray(o.suites) && o.suites.length > 0 && o.suites.length <= 8 && (o.suites as unknown[]).every((n) => typeof n === 'string' && n in SUITES),
    `suites must list 1..8 of ${Object.keys(SUITES).join(', ')}`);
  errs.push(...validateEngine(o.engine, file));
  const eng = o.engine as Partial<BoardEngine> | undefined;
  if (Array.isArray(o.suites) && eng && Array.isArray(eng.suites)) {
    for (const n of o.suites as string[]) need(eng.suites.includes(n), `suites lists ${n}, which engine.suites leaves out of the module`);
  }
  need(isInt(o.defaultFragment, 512, 16384), 'defaultFragment must be 512..16384');
  need(MFL.includes(o.maxFragmentLength as number), 'maxFragmentLength must be 0, 512, 1024, 2048 or 4096');
  need(o.recordSizeLimit === 0 || isInt(o.recordSizeLimit, 64, 16385), 'recordSizeLimit must be 0 or 64..16385');
  const rb = o.ramBudget as Record<string, unknown> | undefined;
  need(typeof rb === 'object' && rb !== null, 'ramBudget must be an object');
  if (rb && typeof rb === 'object') {
    need(isInt(rb.reservedBytes, 0, 1 << 30), 'ramBudget.reservedBytes must be an integer');
    need(isInt(rb.engineBytes, 1, 1 << 30), 'ramBudget.engineBytes must be a positive integer');
    need(typeof rb.reservedFor === 'string', 'ramBudget.reservedFor must say what the reserve is for');
    if (isInt(rb.reservedBytes, 0, 1 << 30) && isInt(rb.engineBytes, 1, 1 << 30) && isInt(o.sramBytes, 16384, 1 << 30)) {
      need((rb.reservedBytes as number) + (rb.engineBytes as number) <= (o.sramBytes as number), 'ramBudget.reservedBytes + engineBytes must not exceed sramBytes');
    }
  }
  const w = o.wasm3 as Record<string, unknown> | undefined;
  need(typeof w === 'object' && w !== null, 'wasm3 must be an object');
  if (w && typeof w === 'object') {
    need(isInt(w.maxFunctionStackHeight, 64, 32768), 'wasm3.maxFunctionStackHeight must be 64..32768');
    need(isInt(w.maxNativeStack, 1024, 1 << 24), 'wasm3.maxNativeStack must be set (>= 1024): a board needs the native-stack guard');
    need(isInt(w.taskStackBytes, 2048, 1 << 24), 'wasm3.taskStackBytes must be an integer');
    if (isInt(w.maxNativeStack, 1024, 1 << 24) && isInt(w.taskStackBytes, 2048, 1 << 24)) {
      need((w.taskStackBytes as number) >= (w.maxNativeStack as number) + 2048, 'wasm3.taskStackBytes must exceed maxNativeStack by >= 2 KiB (host frames)');
    }
    need(typeof w.nativeStackBasis === 'string' && (w.nativeStackBasis as string).length > 20, 'wasm3.nativeStackBasis must say how the native stack was sized (measured or estimated)');
    need(isInt(w.valueStackBytes, 1024, 1 << 24), 'wasm3.valueStackBytes must be an integer');
    need(isInt(w.codePageAlignSize, 256, 65536) && ((w.codePageAlignSize as number) & ((w.codePageAlignSize as number) - 1)) === 0, 'wasm3.codePageAlignSize must be a power of two');
    need(typeof w.hasFloat === 'boolean', 'wasm3.hasFloat must be a boolean');
    need(isInt(w.runtimeHeapBytes, 0, 1 << 30), 'wasm3.runtimeHeapBytes must be an integer (measured)');
    need(isInt(w.selftestHeapBytes, 0, 1 << 30), 'wasm3.selftestHeapBytes must be an integer (measured)');
  }
  const a = o.aot as Record<string, unknown> | undefined;
  if (o.runtime === 'aot') need(typeof a === 'object' && a !== null, "aot must be an object (measured staticBytes, stackBytes, basis) when runtime is 'aot'");
  if (a !== undefined) {
    need(typeof a === 'object' && a !== null, 'aot must be an object');
    if (a && typeof a === 'object') {
      need(isInt(a.staticBytes, 0, 1 << 30), 'aot.staticBytes must be an integer (static RAM besides linear memory, measured)');
      need(isInt(a.stackBytes, 256, 1 << 24), 'aot.stackBytes must be an integer >= 256 (peak stack, measured)');
      need(typeof a.basis === 'string' && (a.basis as string).length > 20, 'aot.basis must say what measured the figures (or what an estimate borrows)');
    }
  }
  return errs;
}

export function loadBoard(name: string): Board {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`invalid board name '${name}'`);
  const file = join(boardsDir(), `${name}.json`);
  if (!existsSync(file)) throw new Error(`unknown board '${name}' (known: ${boardNames().join(', ')})`);
  const b = JSON.parse(readFileSync(file, 'utf8'));
  const errs = validateBoard(b, `boards/${name}.json`);
  if (errs.length) throw new Error(errs.join('\n'));
  if (b.name !== name) throw new Error(`boards/${name}.json: name is '${b.name}'`);
  return b as Board;
}
