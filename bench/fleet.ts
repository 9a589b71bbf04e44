// `npm run bench` (third part): how fast this machine simulates boards. A
// fleet of 200 boards per board profile and key exchange (5% loss, 20 ms
// one-way, 1 KiB echo, node:tls server in process): boards simulated per CPU
// second of this process, next to what the run simulated (handshake p50 in
// virtual ms, engine CPU per device). The virtual figures are deterministic;
// the throughput is this machine's.
import { runFleet } from '../src/sim/fleet.ts';
import type { KxMode } from '../src/engine/config.ts';

const DEVICES = Number(process.env.BENCH_FLEET_DEVICES ?? 200);

// Warm-up: module compilation and JIT, so the first row is not charged for them.
await runFleet({ board: 'rp2040', devices: 20, seed: 'warm-up' });

console.log(`\nfleet simulation: ${DEVICES} boards each, 5% loss, 20 ms one-way, 1 KiB echo, node:tls server\n`);
console.log('| board | kx | boards / CPU s | CPU s | wall s | handshake p50 (simulated) | engine CPU / device (simulated) |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const board of ['rp2040', 'esp32', 'esp32-c3']) {
  for (const kx of ['psk_dhe_ke', 'psk_ke'] as KxMode[]) {
    const { report, host } = await runFleet({ board, devices: DEVICES, seed: 'bench', kx, link: { loss: 0.05, latencyMs: 20 } });
    if (report.failed) throw new Error(`bench fleet ${board}/${kx}: ${report.failed} failed: ${JSON.stringify(report.failures)}`);
    console.log(
      `| ${board} | ${kx} | ${host.boardsPerCpuSecond.toFixed(0)} | ${(host.cpuMs / 1000).toFixed(2)} | ${(host.wallMs / 1000).toFixed(2)} | ` +
        `${report.handshakeMs.p50.toFixed(0)} ms | ${report.engineMs.p50.toFixed(0)} ms |`,
    );
  }
}

// Scale: one psk_ke echo fleet of esp32s on 1 and K worker threads, against
// each in-process server. Boards per CPU second counts every thread of this
// process (process.cpuUsage); memory per board is the peak above the
// baseline while the fleet ran, sampled every 20 ms, divided by the boards
// (RSS covers the workers; the heap is this thread's only, so it is given for
// one thread).
// These rows run the built package (dist/, made by `npm run bench`'s build):
// its workers load plain JS, as an installed tlsrt does (under tsx each
// worker would first transpile the sources: ~0.3 s of CPU per worker).
const { runFleet: runBuiltFleet } = (await import(new URL('../dist/src/sim/fleet.js', import.meta.url).href)) as { runFleet: typeof runFleet };
const SCALE_DEVICES = Number(process.env.BENCH_FLEET_SCALE_DEVICES ?? 2000);
const K = Number(process.env.BENCH_FLEET_WORKERS ?? 2);

async function measured(o: Parameters<typeof runFleet>[0]) {
  globalThis.gc?.();
  const m0 = process.memoryUsage();
  let rss = m0.rss;
  let heap = m0.heapUsed + m0.external + m0.arrayBuffers;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed + m.external + m.arrayBuffers);
  }, 20);
  try {
    const r = await runBuiltFleet(o);
    return { ...r, rssPerBoard: (rss - m0.rss) / o.devices, heapPerBoard: (heap - m0.heapUsed - m0.external - m0.arrayBuffers) / o.devices };
  } finally {
    clearInterval(sample);
  }
}

await runBuiltFleet({ board: 'esp32', devices: 20, seed: 'warm-up', kx: 'psk_ke' });
console.log(`\nfleet scale: ${SCALE_DEVICES} esp32 boards, psk_ke, 1 KiB echo, 5% loss, 20 ms one-way, ramp 1 s; 1 and ${K} worker threads\n`);
console.log('| server | workers | boards / CPU s | CPU s | wall s | RSS / board (peak) | heap / board (peak, this thread) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const server of ['node', 'tlsrt'] as const) {
  let one: string | undefined;
  for (const workers of [1, K]) {
    const r = await measured({ board: 'esp32', devices: SCALE_DEVICES, seed: 'scale', kx: 'psk_ke', server, workers, link: { loss: 0.05, latencyMs: 20 } });
    if (r.report.failed) throw new Error(`bench fleet scale ${server}/${workers}: ${r.report.failed} failed: ${JSON.stringify(r.report.failures)}`);
    // The report must not depend on the number of workers.
    const json = JSON.stringify(r.report);
    if (one === undefined) one = json;
    else if (json !== one) throw new Error(`bench fleet scale ${server}: the report with ${workers} workers differs from one thread's`);
    console.log(
      `| ${server === 'node' ? 'node:tls' : 'tlsrt'} | ${workers} | ${r.host.boardsPerCpuSecond.toFixed(0)} | ${(r.host.cpuMs / 1000).toFixed(2)} | ${(r.host.wallMs / 1000).toFixed(2)} | ` +
        `${(r.rssPerBoard / 1024).toFixed(1)} KiB | ${workers === 1 ? `${(r.heapPerBoard / 1024).toFixed(1)} KiB` : '—'} |`,
    );
  }
}
