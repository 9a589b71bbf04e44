// Benchmark plumbing shared by every bench/*.ts section. Throughput is
// measured by repeating an operation until a time budget is spent, after a
// warm-up so every implementation is compared at its JIT-steady state.
export interface Row {
  /** e.g. "AES-128-GCM seal 16 KiB" */
  name: string;
  unit: 'MB/s' | 'ops/s';
  tlsrt: number;
  noble: number;
  node: number;
}

function timeLoop(fn: () => void, minMs: number): number {
  for (let i = 0; i < 5; i++) fn(); // warm-up
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minMs);
  return n / (elapsed / 1000); // operations per second
}

/** Operations per second of `fn`. */
export function opsPerSec(fn: () => void, minMs = 400): number {
  return timeLoop(fn, minMs);
}

/** MB/s (10^6 bytes) of `fn`, which processes `bytes` per call. */
export function mbPerSec(fn: () => void, bytes: number, minMs = 400): number {
  return (timeLoop(fn, minMs) * bytes) / 1e6;
}

export function printRows(rows: Row[]): void {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(9);
  console.log(`${'operation'.padEnd(36)} ${'unit'.padEnd(5)} ${'tlsrt'.padStart(9)} ${'noble'.padStart(9)} ${'node'.padStart(9)}  tlsrt/noble  tlsrt/node`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(36)} ${r.unit.padEnd(5)} ${f(r.tlsrt)} ${f(r.noble)} ${f(r.node)}  ${(r.tlsrt / r.noble).toFixed(2).padStart(10)}x  ${(r.tlsrt / r.node).toFixed(2).padStart(9)}x`,
    );
  }
}
