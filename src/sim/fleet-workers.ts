// A fleet spread over worker threads (`runFleet({ workers: K })`, `tlsrt sim
// --workers K`): the boards of one fleet run on K cores, and the report is the
// one a single process would have written.
//
// Why a board's result cannot depend on K. Each board has its own Link, its
// own PRNG streams (seeded per board: `${seed}:board:i`, `${seed}:link:i`)
// and its own power-up time; every worker draws the power-up times of the
// whole fleet from the fleet's seed and then runs only its share (board i
// runs on worker i mod K — the `shard` option of runFleet). What boards share
// in one process is the in-process server, and it couples nothing in virtual
// time: it answers each connection within the instant its bytes arrive (the
// SimClock settles it), costs no virtual time, keeps no state between
// connections that a board sees (its tickets are never used; tlsrt's server
// grows its engine pool on demand, so it never runs out of slots), and its
// own randomness changes bytes, never sizes. So each worker gets its own
// server, and the per-device results are identical to K = 1 — which
// test/sim/fleet-workers.test.ts checks device by device.
//
// Merging. The workers send back their shard's per-device results; the
// fleet's report is then built by runFleet itself from all of them (the
// `merged` option: no simulation, the same summary code), so an aggregate
// added to the report later is merged for free.
//
// Loading. From the TypeScript sources the worker entry is fleet-worker.ts
// under tsx (added to the worker's execArgv when this process was not started
// with it); from the built package it is dist/src/sim/fleet-worker.js.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { DeviceReport, FleetOptions, FleetReport, HostCost } from './fleet.ts';
import { compiledState } from './instance-pool.ts';
import { simBoardWasmPath, boardModuleName } from './board.ts';
import { loadBoard } from '../bundle/board.ts';

/** What one worker hands back: its shard's report (per-device results and the shard's totals). */
export interface ShardResult {
  report: FleetReport;
  host: HostCost;
}

/** The inputs runFleet builds a merged report from. */
export interface MergedShards {
  perDevice: DeviceReport[];
  payloadUpBytes: number;
  payloadDownBytes: number;
  suite?: string;
}

type Message = { kind: 'progress'; done: number; nowMs: number } | { kind: 'done'; result: ShardResult } | { kind: 'error'; message: string; stack?: string };

const isSource = import.meta.url.endsWith('.ts');

/**
 * The worker's code and its execArgv. Built JS: the entry file itself. The
 * sources: a bootstrap that registers tsx's loader in the worker, then imports
 * the .ts entry (Node 20 does not apply an inherited `--import tsx` to a
 * worker's own entry module).
 */
function workerSpec(): { code: URL | string; eval: boolean; execArgv: string[] } {
  // This process's flags, less those about its own entry or its profile file.
  const execArgv = process.execArgv.filter((a) => !/^--(cpu-prof|test|input-type)/.test(a));
  if (!isSource) return { code: new URL('./fleet-worker.js', import.meta.url), eval: false, execArgv };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./fleet-worker.ts', import.meta.url).href;
  return {
    code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
    execArgv: execArgv.filter((a, i) => !a.includes('tsx') && !(a === '--import' && execArgv[i + 1]?.includes('tsx')) && !(a === '--require' && execArgv[i + 1]?.includes('tsx'))),
  };
}

/** The options a worker can receive: plain data (a worker is another isolate). */
function portable(o: FleetOptions): FleetOptions {
  const { onProgress: _progress, ...rest } = o;
  for (const [k, v] of Object.entries(rest)) {
    if (typeof v === 'function') throw new TypeError(`fleet: option '${k}' is a function, which cannot be sent to worker threads (workers: ${o.workers})`);
  }
  if (rest.app !== undefined && typeof rest.app !== 'string') {
    throw new TypeError(`fleet: with workers (${o.workers}) give the app by name or module path (app: 'mqtt' or './my-app.ts'), not as an object: a worker loads it itself`);
  }
  return { ...rest, workers: 1 };
}

function runShard(
  o: FleetOptions,
  index: number,
  count: number,
  workers: Worker[],
  compiled: ReturnType<typeof compiledState> | undefined,
  onProgress: (done: number, nowMs: number) => void,
): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const spec = workerSpec();
    const w = new Worker(spec.code, {
      eval: spec.eval,
      workerData: { options: { ...portable(o), shard: { index, count } }, compiled },
      execArgv: spec.execArgv,
    });
    workers.push(w);
    let settled = false;
    w.on('message', (m: Message) => {
      if (m.kind === 'progress') onProgress(m.done, m.nowMs);
      else if (m.kind === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(Object.assign(new Error(`fleet worker ${index + 1}/${count}: ${m.message}`), { stack: m.stack }));
      }
    });
    w.on('error', (err) => {
      settled = true;
      reject(err);
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`fleet worker ${index + 1}/${count} exited (code ${code}) without a report`));
    });
  });
}

/**
 * Runs `o` on `o.workers` threads and builds the report from every shard
 * with `summarize` (runFleet with the `merged` option).
 */
export async function runFleetInWorkers(
  o: FleetOptions,
  summarize: (merged: MergedShards) => Promise<{ report: FleetReport; host: HostCost }>,
): Promise<{ report: FleetReport; host: HostCost }> {
  const k = o.workers ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > 256) throw new RangeError(`fleet: workers must be an integer from 1 to 256, got ${k}`);
  if (!Number.isInteger(o.devices) || o.devices < 1) throw new RangeError(`fleet: devices must be a positive integer, got ${o.devices}`);
  const count = Math.min(k, o.devices);
  // process.cpuUsage() is the whole process's: the workers' CPU included.
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const done = new Array<number>(count).fill(0);
  const now = new Array<number>(count).fill(0);
  const workers: Worker[] = [];
  // The boards' engine module, compiled once here and shared with every worker.
  let compiled: ReturnType<typeof compiledState> | undefined;
  try {
    compiled = compiledState(simBoardWasmPath(boardModuleName(typeof o.board === 'string' ? loadBoard(o.board) : o.board)));
  } catch {
    compiled = undefined; // a bad board or a missing build: each worker reports it as runFleet does
  }
  let shards: ShardResult[];
  try {
    shards = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        runShard(o, i, count, workers, compiled, (d, t) => {
          done[i] = d;
          now[i] = t;
          o.onProgress?.(done.reduce((a, b) => a + b, 0), o.devices, Math.max(...now));
        }),
      ),
    );
  } catch (err) {
    // One worker failed: the run has failed; stop the others rather than leave them running.
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  const { report } = await summarize({
    perDevice: shards.flatMap((s) => s.report.perDevice),
    payloadUpBytes: shards.reduce((a, s) => a + s.report.wire.payloadUpBytes, 0),
    payloadDownBytes: shards.reduce((a, s) => a + s.report.wire.payloadDownBytes, 0),
    suite: shards.find((s) => s.report.suite !== undefined)?.report.suite,
  });
  if (report.clock === 'realtime') report.realtimeMaxLagMs = Math.max(0, ...shards.map((s) => s.report.realtimeMaxLagMs ?? 0));
  const c = process.cpuUsage(cpu0);
  const cpuMs = (c.user + c.system) / 1000;
  return { report, host: { cpuMs, wallMs: performance.now() - wall0, boardsPerCpuSecond: o.devices / (cpuMs / 1000), workers: count } };
}
