// One worker thread of a fleet (src/sim/fleet-workers.ts): runs its shard of
// the boards (board i when i mod count = index) and posts the shard's report.
import { parentPort, workerData } from 'node:worker_threads';
import { runFleet, type FleetOptions } from './fleet.ts';
import { adoptCompiledState, type compiledState } from './instance-pool.ts';

const port = parentPort;
if (!port) throw new Error('fleet-worker.ts runs as a worker thread of runFleet({ workers })');
const { options, compiled } = workerData as { options: FleetOptions; compiled?: ReturnType<typeof compiledState> };
// The engine module the main thread compiled: its code is shared, not compiled again here.
if (compiled) adoptCompiledState(compiled);
// Progress is posted when a board finishes, not at every instant.
let last = -1;
try {
  const result = await runFleet({
    ...options,
    onProgress: (done, _total, nowMs) => {
      if (done !== last) port.postMessage({ kind: 'progress', done: (last = done), nowMs });
    },
  });
  port.postMessage({ kind: 'done', result });
} catch (err) {
  const e = err as Error;
  port.postMessage({ kind: 'error', message: e.message, stack: e.stack });
}
