// What the aot firmware (the board's module compiled to C by wasm2c, boards/aot/)
// actually executes, per workload: the data the aot cycle model
// (src/sim/aot-model.ts) is fitted to.
//
// Measured 2026-12-03 with `node --import tsx tools/aot-calibrate.ts` (which
// runs `tlsrt board --board <b> --runtime aot --json`, src/emulated/run.ts):
//  - rp2040: arm-none-eabi-gcc for Cortex-M0+ (Thumb-1), run on qemu-system-arm
//    mps2-an385 (a Cortex-M3 executing the ARMv6-M subset unchanged);
//  - esp32-c3: riscv64-unknown-elf-gcc -march=rv32imc, qemu-system-riscv32 virt.
// `instructions` is the guest's executed instructions (qemu icount, checked on
// a loop of known length) for: the boot self-test (tlsrt_selftest: the
// module's one known answer per primitive; on esp32-c3 also P-256's
// [3]G = [2]G + G), and a client handshake from
// tlsrt_open_client to the handshake event (UART time excluded) against a
// node:tls PSK server.
// The counted quantities are the sim twin's (build/boards/<b>.sim.wasm,
// tools/instrument.mjs) for the same module and workloads: the self-test
// export, and a client handshake against a V8 tlsrt server
// (src/sim/handshake.ts) — a different server than the emulator's node:tls,
// so the two transcripts differ by a few bytes of extensions (the client's
// work is crypto, not parsing).
//
// These rows are the measurement: test/boards/emulated.test.ts measures again
// and fails if the emulator's figures drift from them by more than 10%.
export interface AotMeasurement {
  /** boards/<board>.json; its arch names the instruction set. */
  board: string;
  workload: 'selftest' | 'psk_ke' | 'psk_dhe_ke';
  /** Counted wasm instructions (tools/instrument.mjs), and of those: calls, i64 ALU ops, i64.mul. */
  ops: number;
  calls: number;
  i64alu: number;
  i64mul: number;
  /** Machine instructions the aot firmware executed for it under qemu. */
  instructions: number;
}

export const AOT_MEASURED: AotMeasurement[] = [
  { board: 'rp2040', workload: 'selftest', ops: 1900664, calls: 5442, i64alu: 364871, i64mul: 201680, instructions: 20420640 },
  { board: 'rp2040', workload: 'psk_ke', ops: 561420, calls: 3308, i64alu: 1380, i64mul: 288, instructions: 1463520 },
  { board: 'rp2040', workload: 'psk_dhe_ke', ops: 4093482, calls: 13413, i64alu: 690382, i64mul: 377428, instructions: 40364640 },
  { board: 'esp32-c3', workload: 'selftest', ops: 2373429, calls: 6042, i64alu: 518709, i64mul: 215406, instructions: 11323657 },
  { board: 'esp32-c3', workload: 'psk_ke', ops: 561537, calls: 3325, i64alu: 1380, i64mul: 288, instructions: 1491499 },
  { board: 'esp32-c3', workload: 'psk_dhe_ke', ops: 4093668, calls: 13436, i64alu: 690382, i64mul: 377428, instructions: 21263852 },
];

/** The board whose rows calibrate each instruction set (boards/*.json `arch`). */
export const AOT_ISA_BOARD: Record<string, string> = { 'armv6-m': 'rp2040', riscv32: 'esp32-c3' };

export interface AotFit {
  /** Machine instructions per counted wasm instruction (calls and i64 ALU ops folded in). */
  perOp: number;
  /** Extra machine instructions per i64.mul. */
  perI64Mul: number;
}

/**
 * Least squares over a board's rows in relative error (each row weighted by
 * 1/measured): instructions ≈ perOp·ops + perI64Mul·i64mul.
 *
 * Two parameters, not four: with three workloads a four-term fit would be
 * underdetermined, and a three-term one would reproduce its three points
 * exactly (no check at all). Calls and i64 ALU ops are folded into perOp: in
 * these workloads i64 ALU ops travel with i64.mul (~1.8 per multiply in
 * X25519 and Poly1305), so the two are not separable from this data, and
 * calls are <0.6% of the ops. What is left over is the fit's error, which
 * test/sim/aot-model.test.ts bounds.
 */
export function fitAot(board: string): AotFit {
  const rows = AOT_MEASURED.filter((r) => r.board === board);
  if (rows.length < 3) throw new Error(`aot calibration: ${rows.length} measured workloads for ${board}, need 3`);
  let s00 = 0, s01 = 0, s11 = 0, b0 = 0, b1 = 0;
  for (const r of rows) {
    const a0 = r.ops / r.instructions, a1 = r.i64mul / r.instructions;
    s00 += a0 * a0;
    s01 += a0 * a1;
    s11 += a1 * a1;
    b0 += a0;
    b1 += a1;
  }
  const det = s00 * s11 - s01 * s01;
  return { perOp: (b0 * s11 - b1 * s01) / det, perI64Mul: (s00 * b1 - s01 * b0) / det };
}
