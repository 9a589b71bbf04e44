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
