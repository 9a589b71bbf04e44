// The simulated board clock's cost model for the aot runtime: the board's
// module compiled to C by wasm2c and built with the board's GCC (boards/aot/),
// beside the wasm3 one (src/sim/cost-model.ts). Same inputs — what the sim
// build counts (tools/instrument.mjs) — same shape of result (a CoreCost):
//
//   instructions = ops × perOp + i64mul × perI64Mul     (fitted, src/sim/aot-traces.ts)
//   cycles       = instructions × CYCLES_PER_INSTRUCTION
//
// The fit is least squares over what the emulator measured for the aot
// firmware on the board's instruction set: Thumb-1 (rp2040) and RV32IMC
// (esp32-c3); calls and i64 ALU ops are folded into perOp (aot-traces.ts
// says why).
//
// Instructions → cycles: qemu counts instructions, not cycles. The model
// takes ONE CYCLE PER INSTRUCTION, a lower bound (as boards/README.md does):
// on a Cortex-M0+ loads, stores and taken branches take 2 cycles, and the
// RP2040's XIP flash cache misses and the C3's flash cache add more; none of
// that was measured on hardware. So aot board times are optimistic by the
// real CPI (likely 1.2-1.6×), unlike the wasm3 model, which is scaled to a
// published wall-clock benchmark.
//
// Xtensa (esp32) could not be measured here (no Xtensa toolchain or qemu
// machine in Debian): it borrows the RV32IMC fit, the closer of the two
// measured ISAs — like RV32IMC, Xtensa LX6 is a 32-register-window RISC with
// a 32×32→64 multiply (MULL + MULUH, as mul + mulhu) and 16/24-bit encodings,
// while Thumb-1 lacks the high multiply (its i64.mul is a libgcc call).
import type { CoreCost } from './cost-model.ts';
import { fitAot, AOT_ISA_BOARD } from './aot-traces.ts';

/** The cycles-per-instruction assumption (a lower bound; see above). */
export const CYCLES_PER_INSTRUCTION = 1;
export const CPI_BASIS =
  '1 cycle per executed instruction: a lower bound (qemu counts instructions; M0+ loads/stores/taken branches take 2 cycles, flash-cache misses more; not measured on hardware)';

const MEASURED_BY = (board: string, isa: string) =>
  `fitted to the aot firmware's instructions under qemu (${isa}, boards/${board}.json's module: self-test, psk_ke and psk_dhe_ke client handshakes; src/sim/aot-traces.ts, tools/aot-calibrate.ts)`;

function fitted(arch: string, core: string, isa: string, basis: CoreCost['basis'], borrowed?: string): CoreCost {
  const board = AOT_ISA_BOARD[borrowed ?? arch];
  const f = fitAot(board);
  const from = MEASURED_BY(board, isa) + (borrowed ? `, BORROWED for ${core}: not measured on its own ISA` : '');
  return {
    arch,
    core,
    runtime: 'aot',
    cyclesPerOp: f.perOp * CYCLES_PER_INSTRUCTION,
    callExtra: 0,
    i64AluExtra: 0,
    i64MulExtra: f.perI64Mul * CYCLES_PER_INSTRUCTION,
    basis,
    sources: {
      cyclesPerOp: `${from}; ${CPI_BASIS}`,
      callExtra: 'folded into cyclesPerOp (calls are <0.6% of the ops in the measured workloads)',
      i64AluExtra: 'folded into cyclesPerOp (i64 ALU ops travel with i64.mul in the measured workloads: not separable)',
      i64MulExtra: `${from}${arch === 'armv6-m' ? ' (Thumb-1 has no 32x32->64 multiply: __aeabi_lmul and the 64-bit moves around it)' : ''}`,
    },
  };
}

export const AOT_CORES: Record<string, CoreCost> = {
  'armv6-m': fitted('armv6-m', 'Cortex-M0+', 'Thumb-1', 'measured'),
  riscv32: fitted('riscv32', 'RISC-V RV32IMC', 'RV32IMC', 'measured'),
  xtensa: fitted('xtensa', 'Xtensa LX6', 'RV32IMC', 'estimate', 'riscv32'),
};

export function aotCostForArch(arch: string): CoreCost {
  const c = AOT_CORES[arch];
  if (!c) throw new Error(`no aot cost model for arch '${arch}' (known: ${Object.keys(AOT_CORES).join(', ')})`);
  return c;
}
