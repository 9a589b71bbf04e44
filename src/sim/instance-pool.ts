// Engine instances reused by boards that are not alive at the same time.
//
// A fleet of 10,000 boards made 10,000 WebAssembly instances: instantiating
// one (its linear memory, 65 data segments, the import and export wrappers)
// cost more of this machine's time than the board's whole psk_ke handshake.
// A board's engine state is nothing but the instance's linear memory and its
// mutable globals (src/sim/wasm-state.ts exports them), and every board of a
// profile boots to the same state: the same module, the same pool geometry,
// and init() draws no randomness. So the first boot of a (module, geometry)
// is snapshotted right after init(), and a later board takes a released
// instance with that snapshot put back — byte for byte, counters included,
// the state a fresh instance would have after init(). A board's results
// therefore cannot depend on whether its instance was new or reused (which
// depends on how many boards were alive at once: on the number of workers).
//
// If the boot touched the host (random_fill, now_ms, log), its state depends
// on the board and the pool falls back to fresh instances for that module.
import { readFileSync, existsSync } from 'node:fs';
import { EXPORT_PREFIX, exportState, type StateGlobals } from './wasm-state.ts';

export interface HostHooks {
  random: (out: Uint8Array) => void;
  now: () => number;
  log: (line: string) => void;
}

/** One board's use of an instance. */
export interface Lease {
  readonly instance: WebAssembly.Instance;
  /** The instance was booted before and has been put back to the boot snapshot: do not init() again. */
  readonly reused: boolean;
}

interface Entry extends Lease {
  key: string;
  /** The instance's exported mutable globals, in snapshot order. */
  state: WebAssembly.Global[];
  host: HostHooks;
  hostCalls: number;
  reused: boolean;
  live: boolean;
}

interface Snapshot {
  memory: Uint8Array;
  values: unknown[];
}

interface Variant {
  module: WebAssembly.Module;
  globals: StateGlobals;
}

// Compiled once per process and wasm file (the state-exporting copy of it).
const variants = new Map<string, Variant>();

function variantOf(path: string): Variant {
  let v = variants.get(path);
  if (!v) {
    if (!existsSync(path)) throw new Error(`tlsrt sim: ${path} is missing; run \`npm run build\` (tools/build.mjs makes it)`);
    const { bytes, globals } = exportState(readFileSync(path));
    v = { module: new WebAssembly.Module(bytes), globals };
    variants.set(path, v);
  }
  return v;
}

/**
 * The compiled module for `path`, to hand to worker threads: a
 * WebAssembly.Module posted to a worker shares its compiled (and tiered-up)
 * code instead of compiling again in every thread.
 */
export function compiledState(path: string): { path: string; module: WebAssembly.Module; indices: number[] } {
  const v = variantOf(path);
  return { path, module: v.module, indices: v.globals.indices };
}

/** Takes a module compiled in another thread (compiledState) as this thread's for its path. */
export function adoptCompiledState(s: { path: string; module: WebAssembly.Module; indices: number[] }): void {
  if (!variants.has(s.path)) variants.set(s.path, { module: s.module, globals: { indices: s.indices, exportName: (i) => `${EXPORT_PREFIX}${i}` } });
}

export class InstancePool {
  private readonly free = new Map<string, Entry[]>();
  private readonly snapshots = new Map<string, Snapshot | 'unpoolable'>();
  /** Instances made and reuses so far (bench/fleet.ts reports them). */
  readonly stats = { created: 0, reused: 0 };

  /** An instance of the wasm file at `path` for a board with this pool geometry, its imports bound to `host`. */
  acquire(path: string, geometry: { slots: number; recvCap: number; sendCap: number; hsCap: number }, host: HostHooks): Lease {
    const key = `${path}\n${geometry.slots},${geometry.recvCap},${geometry.sendCap},${geometry.hsCap}`;
    const e = this.free.get(key)?.pop();
    if (e) {
      e.host = host;
      e.live = true;
      e.reused = true;
      this.stats.reused++;
      return e;
    }
    const v = variantOf(path);
    let memory: WebAssembly.Memory | undefined;
    const entry = { key, host, hostCalls: 0, reused: false, live: true } as Entry;
    const call = () => (entry.hostCalls++, entry.host);
    const instance = new WebAssembly.Instance(v.module, {
      env: {
        random_fill: (ptr: number, len: number) => call().random(new Uint8Array(memory!.buffer, ptr, len)),
        now_ms: () => call().now(),
        log: (ptr: number, len: number) => call().log(Buffer.from(memory!.buffer, ptr, len).toString('utf8')),
      },
    });
    memory = instance.exports.memory as WebAssembly.Memory;
    (entry as { instance: WebAssembly.Instance }).instance = instance;
    entry.state = v.globals.indices.map((i) => instance.exports[v.globals.exportName(i)] as WebAssembly.Global);
    this.stats.created++;
    return entry;
  }

  /**
   * At the end of the board's boot (where a fresh instance has just run
   * init()): a reused instance is put back to the boot snapshot — counters
   * included, so whatever ran on it since (the pure size queries a boot makes
   * before init) leaves no trace; a fresh instance's state becomes the
   * snapshot of its (module, geometry), unless its boot called the host.
   */
  booted(lease: Lease): void {
    const e = lease as Entry;
    if (e.reused) return this.put(e, this.snapshots.get(e.key) as Snapshot);
    if (this.snapshots.has(e.key)) return;
    if (e.hostCalls > 0) {
      this.snapshots.set(e.key, 'unpoolable');
      return;
    }
    this.snapshots.set(e.key, {
      memory: new Uint8Array((e.instance.exports.memory as WebAssembly.Memory).buffer).slice(),
      values: e.state.map((g) => g.value),
    });
  }

  /** The board is gone: its instance may serve the next one. */
  release(lease: Lease): void {
    const e = lease as Entry;
    if (!e.live) return;
    e.live = false;
    // A dead board's late callbacks must not reach the next board through the shared imports.
    e.host = DEAD;
    if (!(this.snapshots.get(e.key) instanceof Object)) return; // no snapshot (unpoolable, or a boot that failed): let it go
    let list = this.free.get(e.key);
    if (!list) this.free.set(e.key, (list = []));
    list.push(e);
  }

  private put(e: Entry, s: Snapshot): void {
    const x = e.instance.exports;
    const mem = new Uint8Array((x.memory as WebAssembly.Memory).buffer);
    if (mem.length !== s.memory.length) throw new Error(`instance pool: linear memory is ${mem.length} bytes, the boot snapshot ${s.memory.length}`);
    mem.set(s.memory);
    for (let k = 0; k < e.state.length; k++) e.state[k].value = s.values[k];
  }
}

const fail = () => {
  throw new Error('tlsrt sim: a board used its engine after it was released');
};
const DEAD: HostHooks = { random: fail, now: fail, log: fail };
