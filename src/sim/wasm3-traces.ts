// What wasm3 actually executes, per workload: the data the cost model
// (src/sim/cost-model.ts) is fitted to, beyond wasm3's one published
// benchmark (fib(24)).
//
// Measured 2026-11-29 with `npm run calibrate` (tools/wasm3-calibrate.mjs,
// boards/wasm3/examples/calibrate_host.c), wasm3 0.9.0 with the rp2040's
// settings, one call after a warm-up (wasm3 compiles lazily):
//  - Thumb-1: built by arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -O2 (GCC
//    emits no tail calls there, as on the RP2040) and run under qemu-arm; the
//    executed instructions summed from an exec trace (checked against
//    single-stepping: identical). `m0Cycles` weights each with the Cortex-M0+
//    TRM timings at zero wait states — an estimate without flash/XIP stalls,
//    which is why every fit is scaled to a published fib(24) time.
//  - RV32IMC (the ESP32-C3's ISA; GCC makes wasm3's handlers tail calls):
//    riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -O2 (picolibc's rv32im
//    libc), qemu-riscv32 exec trace, checked against single-stepping.
//    `c3Cycles` weights each executed instruction with an assumed in-order
//    RV32 timing (ALU, mul, mulh, store 1; load 2; jump 3; branch 1 not taken,
//    3 taken) — no published per-instruction timing of the C3 was found, so
//    this is an estimate in the same sense as the M0+ one.
//  - x86-32: gcc -m32 -O2 (tail calls), valgrind instruction counts.
// The wasm counts come from the same module instrumented by tools/instrument.mjs.
export interface Wasm3Measurement {
  workload: string;
  /** Counted wasm instructions (tools/instrument.mjs), and of those: calls, i64 ALU ops, i64.mul. */
  ops: number;
  calls: number;
  i64alu: number;
  i64mul: number;
  /** Thumb-1 instructions wasm3 executed for the call, and their estimated Cortex-M0+ cycles (zero wait states). */
  thumbInstructions: number;
  m0Cycles: number;
  /** x86-32 instructions wasm3 executed for the call. */
  x86Instructions: number;
  /** RV32IMC instructions wasm3 executed for the call, and their estimated ESP32-C3 cycles (zero wait states). */
  rv32Instructions: number;
  c3Cycles: number;
}

export const WASM3_MEASURED: Wasm3Measurement[] = [
  { workload: 'fib32', ops: 1500486, calls: 150048, i64alu: 0, i64mul: 0, thumbInstructions: 40213242, m0Cycles: 72173745, x86Instructions: 37926518, rv32Instructions: 30985234, c3Cycles: 47715747 },
  { workload: 'fib64', ops: 1500486, calls: 150048, i64alu: 375121, i64mul: 0, thumbInstructions: 43139192, m0Cycles: 76675209, x86Instructions: 43133789, rv32Instructions: 40738413, c3Cycles: 62495576 },
  { workload: 'selftest', ops: 2188912, calls: 5378, i64alu: 444145, i64mul: 203326, thumbInstructions: 51652406, m0Cycles: 90485702, x86Instructions: 30526069, rv32Instructions: 26054234, c3Cycles: 38247358 },
  { workload: 'x25519', ops: 1822892, calls: 5123, i64alu: 364136, i64mul: 201320, thumbInstructions: 45852391, m0Cycles: 79861328, x86Instructions: 26264775, rv32Instructions: 22884955, c3Cycles: 33479745 },
  { workload: 'chacha', ops: 955290, calls: 9, i64alu: 53310, i64mul: 26658, thumbInstructions: 12979347, m0Cycles: 23716187, x86Instructions: 8653196, rv32Instructions: 6295266, c3Cycles: 9428551 },
  { workload: 'sha256', ops: 1276374, calls: 4, i64alu: 13, i64mul: 0, thumbInstructions: 16848451, m0Cycles: 31455954, x86Instructions: 12200507, rv32Instructions: 9310899, c3Cycles: 14015351 },
  { workload: 'gcm', ops: 3078963, calls: 279, i64alu: 1071075, i64mul: 102012, thumbInstructions: 52139770, m0Cycles: 96478285, x86Instructions: 37613433, rv32Instructions: 24784933, c3Cycles: 37583774 },
  // Synthetic: 100,000 iterations that differ only in one op (price one i64 op).
  { workload: 'loop_i32add', ops: 900009, calls: 0, i64alu: 0, i64mul: 0, thumbInstructions: 8900424, m0Cycles: 17100733, x86Instructions: 7400390, rv32Instructions: 5200415, c3Cycles: 8500623 },
  { workload: 'loop_i64add', ops: 900009, calls: 0, i64alu: 100001, i64mul: 0, thumbInstructions: 9500458, m0Cycles: 18400778, x86Instructions: 8100403, rv32Instructions: 5700501, c3Cycles: 9200752 },
  { workload: 'loop_i64mul', ops: 900009, calls: 0, i64alu: 1, i64mul: 100000, thumbInstructions: 14100458, m0Cycles: 24900778, x86Instructions: 8700403, rv32Instructions: 5900501, c3Cycles: 9400752 },
];

/** The workloads the fits use: fib and the engine's real code (the loops are too regular to stand for anything). */
export const FIT_WORKLOADS = ['fib32', 'fib64', 'selftest', 'x25519', 'chacha', 'sha256', 'gcm'];
/**
 * On RV32, without fib64: its i64 compare-and-branch ops cost wasm3 ~26
 * instructions each there (an i64.add in a loop: 5), an outlier the engine's
 * code does not share; fitting it would distort every other price.
 */
export const FIT_WORKLOADS_RV32 = FIT_WORKLOADS.filter((w) => w !== 'fib64');

type Metric = 'm0Cycles' | 'x86Instructions' | 'c3Cycles';
const row = (w: string) => WASM3_MEASURED.find((r) => r.workload === w)!;
const LOOP_ITERATIONS = 100_000;

/** What one i64.add costs over an i32.add in `metric` (the loops' difference). */
export const i64AddExtra = (metric: Metric) => (row('loop_i64add')[metric] - row('loop_i32add')[metric]) / LOOP_ITERATIONS;

export interface TraceFit {
  /** Cost in the metric's unit per counted op, extra per call, per i64 ALU op, per i64.mul. */
  perOp: number;
  perCall: number;
  perI64Alu: number;
  perI64Mul: number;
}

/**
 * Least squares over FIT_WORKLOADS in relative error (each row weighted by
 * 1/measured), with the i64 ALU price fixed to the loops' measured i64.add
 * extra: cost ≈ perOp·ops + perCall·calls + perI64Alu·i64alu + perI64Mul·i64mul.
 */
export function fitTrace(metric: Metric, workloads: string[] = FIT_WORKLOADS): TraceFit {
  const perI64Alu = i64AddExtra(metric);
  // Normal equations for x = [perOp, perCall, perI64Mul].
  const ata = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const atb = [0, 0, 0];
  for (const w of workloads) {
    const r = row(w);
    const y = r[metric];
    const a = [r.ops / y, r.calls / y, r.i64mul / y];
    const b = 1 - (perI64Alu * r.i64alu) / y;
    for (let i = 0; i < 3; i++) {
      atb[i] += a[i] * b;
      for (let j = 0; j < 3; j++) ata[i][j] += a[i] * a[j];
    }
  }
  const [perOp, perCall, perI64Mul] = solve3(ata, atb);
  return { perOp, perCall, perI64Alu, perI64Mul };
}

/** Gaussian elimination with partial pivoting for a 3×3 system. */
function solve3(m: number[][], v: number[]): number[] {
  const a = m.map((r, i) => [...r, v[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((r, i) => r[3] / r[i]);
}
