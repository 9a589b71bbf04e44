// A board's RAM arithmetic: what the engine takes at its peak, against the
// share of SRAM the board profile grants it, for the runtime the board runs
// (its profile's `runtime` unless asked for another):
//  - wasm3: linear memory + wasm3's header, value stack, runtime + parsed
//    module + compiled code (measured), the task stack (sized for wasm3's
//    native-stack guard), the host's tables; the boot self-test's throwaway
//    runtime peaks separately.
//  - aot (wasm2c): no heap. Linear memory is one static buffer of
//    align16(heap_base) + arena; the firmware's other static RAM (the
//    instance's globals, the host's tables) and its stack peak are what the
//    emulator measured for the board (boards/<name>.json `aot`). The
//    self-test runs in the same buffer and its stack is within the measured
//    peak, so serving is the peak.
import type { Board, Runtime } from './board.ts';
import type { ModuleFacts } from './module.ts';

export interface RamLine {
  what: string;
  bytes: number;
}

export interface RamArithmetic {
  runtime: Runtime;
  serving: RamLine[];
  servingTotal: number;
  /** Boot self-test: a throwaway runtime, freed before the serving one exists. */
  selftestTotal: number;
  peak: number;
  budget: number;
  fits: boolean;
  sram: number;
  reserved: number;
}

/** wasm3's header in front of linear memory (M3MemoryHeader, 32-bit). */
const MEMORY_HEADER = 16;
/** The host's static tables (tlsrt_host.c `H`): 28 function pointers, a few words, 16 bytes per connection. */
const hostStatic = (slots: number) => 28 * 4 + 24 + 16 * slots;

export function ramArithmetic(b: Board, m: ModuleFacts, runtime: Runtime = b.runtime): RamArithmetic {
  return runtime === 'aot' ? aotRam(b, m) : wasm3Ram(b, m);
}

function aotRam(b: Board, m: ModuleFacts): RamArithmetic {
  if (!b.aot) throw new Error(`board ${b.name}: no aot section (measured static RAM and stack) in boards/${b.name}.json`);
  const serving: RamLine[] = [
    { what: `linear memory, one static buffer: static data ${m.heapBase} (aligned) + arena ${m.arenaBytes} (${b.pool.slots} slot(s))`, bytes: align16(m.linearMemoryBytes) },
    { what: `other static RAM: instance globals, host tables (${b.aot.basis.startsWith('estimate') ? 'ESTIMATE' : 'measured'})`, bytes: b.aot.staticBytes },
    { what: `stack peak, self-test + handshakes + echo (${b.aot.basis.startsWith('estimate') ? 'ESTIMATE' : 'measured, painted'})`, bytes: b.aot.stackBytes },
    { what: 'heap (the aot runtime allocates nothing)', bytes: 0 },
  ];
  const servingTotal = serving.reduce((a, l) => a + l.bytes, 0);
  return {
    runtime: 'aot',
    serving,
    servingTotal,
    selftestTotal: servingTotal,
    peak: servingTotal,
    budget: b.ramBudget.engineBytes,
    fits: servingTotal <= b.ramBudget.engineBytes,
    sram: b.sramBytes,
    reserved: b.ramBudget.reservedBytes,
  };
}

const align16 = (n: number) => (n + 15) & ~15;

function wasm3Ram(b: Board, m: ModuleFacts): RamArithmetic {
  const serving: RamLine[] = [
    { what: `linear memory: static data ${m.heapBase} (aligned) + arena ${m.arenaBytes} (${b.pool.slots} slot(s))`, bytes: m.linearMemoryBytes + MEMORY_HEADER },
    { what: 'wasm3 value stack (m3_NewRuntime)', bytes: b.wasm3.valueStackBytes },
    { what: 'wasm3 runtime + parsed module + compiled code (measured, 32-bit build)', bytes: b.wasm3.runtimeHeapBytes },
    { what: `task stack (native-stack guard ${b.wasm3.maxNativeStack} + host frames)`, bytes: b.wasm3.taskStackBytes },
    { what: 'tlsrt host static tables', bytes: hostStatic(b.pool.slots) },
  ];
  const servingTotal = serving.reduce((a, l) => a + l.bytes, 0);
  const selftestTotal = b.wasm3.selftestHeapBytes + b.wasm3.taskStackBytes + hostStatic(b.pool.slots);
  const peak = Math.max(servingTotal, selftestTotal);
  return {
    runtime: 'wasm3',
    serving,
    servingTotal,
    selftestTotal,
    peak,
    budget: b.ramBudget.engineBytes,
    fits: peak <= b.ramBudget.engineBytes,
    sram: b.sramBytes,
    reserved: b.ramBudget.reservedBytes,
  };
}

export function ramTable(b: Board, r: RamArithmetic): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = r.serving.map((l) => `| ${l.what} | ${l.bytes} | ${kb(l.bytes)} |`);
  return [
    `| ${b.name} (${r.runtime}): engine RAM while serving | bytes | |`,
    '|---|---:|---:|',
    ...rows,
    `| **serving total** | **${r.servingTotal}** | **${kb(r.servingTotal)}** |`,
    r.runtime === 'wasm3'
      ? `| boot self-test (throwaway runtime, measured, + task stack) | ${r.selftestTotal} | ${kb(r.selftestTotal)} |`
      : `| boot self-test (same static buffer; its stack is within the measured peak) | ${r.selftestTotal} | ${kb(r.selftestTotal)} |`,
    `| **peak** | **${r.peak}** | **${kb(r.peak)}** |`,
    `| budget for the engine (ramBudget.engineBytes) | ${r.budget} | ${kb(r.budget)} |`,
    `| SRAM ${kb(r.sram)} − reserved ${kb(r.reserved)} (${b.ramBudget.reservedFor}) | ${r.sram - r.reserved} | ${kb(r.sram - r.reserved)} |`,
    '',
    r.fits
      ? `Fits: ${r.budget - r.peak} bytes to spare.`
      : `**Does not fit**: the peak exceeds the engine's budget by ${r.peak - r.budget} bytes.`,
  ].join('\n');
}
