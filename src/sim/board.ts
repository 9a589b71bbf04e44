// A simulated board: the sim build of the board's own module
// (build/boards/<name>.sim.wasm — exactly the module the board flashes,
// build/boards/<name>.wasm, plus executed-instruction counters,
// tools/instrument.mjs) instantiated with a board profile's pool geometry,
// held to the board's RAM budget, with a virtual clock that advances only by the work the engine
// actually executes, priced for the runtime the board runs — its profile's
// `runtime` (boards/<name>.json) unless the `runtime` option says otherwise:
// aot (wasm2c, src/sim/aot-model.ts) or wasm3 (src/sim/cost-model.ts):
//
//   board.now() = (ops × cyclesPerOp + calls × extra + i64 ALU × extra + i64.mul × extra) / clock
//
// What a Board enforces. `ramBudget.engineBytes` is the device RAM granted to
// everything the engine costs: wasm3's runtime, parsed module and compiled
// code, its value stack, the calling task's stack, the host's tables and the
// linear memory (src/bundle/ram.ts adds them up). The measured finding is that
// wasm3's own share (runtime + compiled code + stacks) already exceeds every
// board's budget, whatever the engine does — so enforcing the whole sum would
// make every simulated board fail before it boots, and none of that overhead
// is something the simulated module can change. By default a Board therefore
// enforces what the engine controls and the simulation models: its linear
// memory (static data + the pool arena its init() carves, + wasm3's 16-byte
// memory header) must fit `ramBudget.engineBytes`, checked before init() and
// again whenever the clock is read (linear memory must never grow after init).
// `enforce: 'device'` holds the board to the whole ram.ts peak for its
// runtime instead (under wasm3 that fails on every board: the finding; under
// aot the rp2040 and esp32-c3 fit with room); `board.device` always carries
// that arithmetic so a report can print the verdict.
import { hash, randomFillSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Engine, type PoolGeometry } from '../engine/engine.ts';
import { wasmPath, boardWasmPath, type Profile } from '../engine/wasm-module.ts';
import { boardNames, loadBoard, validateBoard, RUNTIMES, type Board as BoardProfile, type Runtime } from '../bundle/board.ts';
import { ramArithmetic, type RamArithmetic } from '../bundle/ram.ts';
import { align, type ModuleFacts } from '../bundle/module.ts';
import { cyclesFor, type CoreCost, type OpCounts } from './cost-model.ts';
import { costForRuntime } from './runtime-cost.ts';
import { Scheduler } from '../runtime/scheduler.ts';
import { connectWith, type ConnectionOptions } from '../tls/connect.ts';
import { Server, type ServerOptions, type TimerFn } from '../tls/server.ts';
import type { TLSSocket } from '../tls/tls-socket.ts';
import type { InstancePool, Lease } from './instance-pool.ts';

/**
 * A board server's handshakeTimeout unless the application sets one: 10 s
 * instead of node:tls's 120 s. A board has a slot or two; a client that
 * connects and stalls mid-handshake holds one until this fires (an idle TCP
 * connection takes no slot — the slot is claimed at the client's first
 * record). The slowest simulated board handshake (psk_dhe_ke on an RP2040
 * under wasm3) takes ~2.3 s, so 10 s leaves a real client room.
 */
export const BOARD_HANDSHAKE_TIMEOUT_MS = 10_000;

/** wasm3's header in front of linear memory (M3MemoryHeader, 32-bit), as in src/bundle/ram.ts. */
const MEMORY_HEADER = 16;

export type RandomFill = (out: Uint8Array) => void;

/** build/<profile>.sim.wasm: the instrumented twin of a production module. */
export function simWasmPath(profile: Profile): string {
  return wasmPath(profile).replace(/\.wasm$/, '.sim.wasm');
}

const simModules = new Map<string, WebAssembly.Module>();

/** The compiled instrumented module at `path`, compiled once per process. */
function compileSimFile(path: string): WebAssembly.Module {
  let m = simModules.get(path);
  if (!m) {
    if (!existsSync(path)) throw new Error(`tlsrt sim: ${path} is missing; run \`npm run build\` (tools/build.mjs makes it)`);
    m = new WebAssembly.Module(readFileSync(path));
    simModules.set(path, m);
  }
  return m;
}

export function compileSimProfile(profile: Profile): WebAssembly.Module {
  return compileSimFile(simWasmPath(profile));
}

/** build/boards/<name>.sim.wasm: the instrumented twin of a board's module. */
export function simBoardWasmPath(board: string): string {
  return boardWasmPath(board).replace(/\.wasm$/, '.sim.wasm');
}

const sameEngine = (a: BoardProfile['engine'], b: BoardProfile['engine']) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Which board module a profile runs: its own (boards/<name>.json), or, for a
 * profile made in code (a test's variant of a real board), the module of the
 * board with the same "engine" selection — the same code, byte for byte.
 */
export function boardModuleName(b: BoardProfile): string {
  const names = boardNames();
  if (names.includes(b.name) && sameEngine(loadBoard(b.name).engine, b.engine)) return b.name;
  const twin = names.find((n) => sameEngine(loadBoard(n).engine, b.engine));
  if (!twin) {
    throw new Error(`board ${b.name}: no board module contains engine ${JSON.stringify(b.engine)}; add boards/${b.name}.json and run \`npm run build\``);
  }
  return twin;
}

export function compileSimBoard(board: string): WebAssembly.Module {
  return compileSimFile(simBoardWasmPath(board));
}

/**
 * Deterministic random bytes from a seed (SHA-256 of seed ‖ counter): the
 * same seed gives the same handshakes, byte for byte. For simulation only —
 * never for keys that protect anything.
 */
export function seededRandom(seed: string | number): RandomFill {
  let counter = 0;
  let pool = new Uint8Array(0);
  let off = 0;
  return (out) => {
    for (let i = 0; i < out.length; i++) {
      if (off === pool.length) {
        // One-shot hash: the same bytes as a Hash object, without making one per 32 bytes.
        pool = hash('sha256', `tlsrt-sim:${seed}:${counter++}`, 'buffer');
        off = 0;
      }
      out[i] = pool[off++];
    }
  };
}

/** Instantiates `mod` with the host imports a board provides, randomness from `random`. */
export function instantiateWith(
  mod: WebAssembly.Module,
  random: RandomFill,
  nowMs: () => number = () => 0,
  log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): WebAssembly.Instance {
  let memory: WebAssembly.Memory | undefined;
  const inst = new WebAssembly.Instance(mod, {
    env: {
      random_fill: (ptr: number, len: number) => random(new Uint8Array(memory!.buffer, ptr, len)),
      now_ms: () => nowMs(),
      log: (ptr: number, len: number) => log(Buffer.from(memory!.buffer, ptr, len).toString('utf8')),
    },
  });
  memory = inst.exports.memory as WebAssembly.Memory;
  return inst;
}

/**
 * An Engine (src/engine/engine.ts) around an instance the caller made (the
 * Engine constructor always loads build/<profile>.wasm with real randomness).
 * Same object shape and prototype, so Conn and every helper work unchanged.
 * Does not call init(): see initEngine.
 */
export function engineAround(instance: WebAssembly.Instance, geometry: PoolGeometry): Engine {
  const e = Object.create(Engine.prototype) as Engine;
  Object.assign(e, { x: instance.exports, geometry: { ...geometry } });
  return e;
}

export function initEngine(e: Engine): Engine {
  const g = e.geometry;
  const r = e.x.init(g.slots, g.recvCap, g.sendCap, g.hsCap);
  if (r !== 0) throw new Error(`engine init failed (${r}) for geometry ${JSON.stringify(g)}`);
  return e;
}

export type Enforce = 'linear-memory' | 'device';

export interface BoardOptions {
  /**
   * Seed of a deterministic random_fill, for repeatable simulations (a
   * fleet against a server in this process). Without `seed` or `random` a
   * board draws from the platform CSPRNG: its client_random and key shares
   * may reach a real peer, and seeded ones would repeat — key reuse.
   */
  seed?: string | number;
  /** Randomness for random_fill, overriding `seed` (e.g. a test's own source). */
  random?: RandomFill;
  /** The runtime whose cost model and device RAM arithmetic apply; default the profile's `runtime`. */
  runtime?: Runtime;
  /** What the RAM budget is held against (see the top of this file). Default 'linear-memory'. */
  enforce?: Enforce;
  log?: (line: string) => void;
  /**
   * How the board's actor scheduler continues after a long run of turns
   * (default setImmediate; a simulation passes its virtual clock's "now").
   */
  defer?: (fn: () => void) => void;
  /** Called after each turn of the board's scheduler (a fleet accounts the board's CPU there). */
  afterTurn?: () => void;
  /** Timers of the board's servers (handshakeTimeout); a simulation passes its virtual clock's. */
  timer?: TimerFn;
  /** Take the engine instance from this pool (booted to the same state as a new one); give it back with release(). */
  instances?: InstancePool;
}

/** The node:tls-shaped API bound to one board: its engine's slots, its scheduler. */
export interface BoardTls {
  connect(...args: unknown[]): TLSSocket;
  createServer(options?: ServerOptions | ((s: TLSSocket) => void), listener?: (s: TLSSocket) => void): Server;
}

/** What a released board's engine exports become: anything but reading them throws. */
const RELEASED = new Proxy({}, {
  get(_t, name) {
    throw new Error(`tlsrt sim: a board used its engine (${String(name)}) after it was released`);
  },
});

export class BudgetError extends Error {
  constructor(message: string, readonly need: number, readonly budget: number) {
    super(message);
    this.name = 'BudgetError';
  }
}

export interface LinearMemory {
  heapBase: number;
  arenaBytes: number;
  /** align16(heap_base) + arena + wasm3's memory header: what the board must hold. */
  need: number;
  /** ramBudget.engineBytes. */
  budget: number;
}

type Counter = WebAssembly.Global;

export class Board {
  readonly profile: BoardProfile;
  /** The board module it runs: build/boards/<module>.wasm (instrumented as <module>.sim.wasm). */
  readonly module: string;
  /** The device runtime simulated: the profile's, or BoardOptions.runtime. */
  readonly runtime: Runtime;
  readonly cost: CoreCost;
  readonly engine: Engine;
  readonly memory: LinearMemory;
  /** The whole device's RAM arithmetic for `runtime` (src/bundle/ram.ts): wasm3's overhead, or aot's measured static RAM and stack. */
  readonly device: RamArithmetic;
  readonly enforce: Enforce;
  /** Where the engine's random_fill draws from: the platform CSPRNG (default), a seed, or the caller's `random`. */
  readonly entropy: 'csprng' | 'seeded' | 'custom';
  /** The board's one actor loop: every connection on this board takes its turns here. */
  readonly scheduler: Scheduler;
  /**
   * `tls.connect` / `tls.createServer` running on this board: the same
   * application code that imports 'tlsrt' on a device, with its connections
   * in this board's engine slots (a full pool fails the connection, as on the
   * device) and its turns on this board's scheduler.
   */
  readonly tls: BoardTls;
  private readonly counters: { ops: Counter; i64alu: Counter; i64mul: Counter; calls: Counter };
  private readonly memObj: WebAssembly.Memory;
  private readonly grownTo: number;
  private readonly lease?: Lease;
  private readonly pool?: InstancePool;

  constructor(board: string | BoardProfile, opts: BoardOptions = {}) {
    if (typeof board === 'string') this.profile = loadBoard(board);
    else {
      const errs = validateBoard(board, `board '${(board as { name?: string }).name ?? '?'}'`);
      if (errs.length) throw new Error(errs.join('\n'));
      this.profile = board;
    }
    const b = this.profile;
    this.runtime = opts.runtime ?? b.runtime;
    if (!RUNTIMES.includes(this.runtime)) throw new Error(`board ${b.name}: runtime must be one of ${RUNTIMES.join(', ')} (got ${String(this.runtime)})`);
    this.cost = costForRuntime(b, this.runtime);
    this.enforce = opts.enforce ?? 'linear-memory';
    this.entropy = opts.random ? 'custom' : opts.seed !== undefined ? 'seeded' : 'csprng';
    const random = opts.random ?? (opts.seed !== undefined ? seededRandom(opts.seed) : (out: Uint8Array) => void randomFillSync(out));
    const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
    this.module = boardModuleName(b);
    this.pool = opts.instances;
    this.lease = this.pool?.acquire(simBoardWasmPath(this.module), b.pool, { random, now: () => Math.floor(this.now()), log });
    const inst = this.lease?.instance ?? instantiateWith(compileSimBoard(this.module), random, () => Math.floor(this.now()), log);
    const x = inst.exports as Record<string, unknown>;
    for (const k of ['__sim_ops', '__sim_i64alu', '__sim_i64mul', '__sim_calls']) {
      if (!(x[k] instanceof WebAssembly.Global)) throw new Error(`tlsrt sim: ${simBoardWasmPath(this.module)} has no ${k} counter (rebuild)`);
    }
    this.counters = {
      ops: x.__sim_ops as Counter,
      i64alu: x.__sim_i64alu as Counter,
      i64mul: x.__sim_i64mul as Counter,
      calls: x.__sim_calls as Counter,
    };
    this.memObj = x.memory as WebAssembly.Memory;

    // The budget, before the pool exists.
    const g = b.pool;
    const fn = x as Record<string, (...a: number[]) => number>;
    const heapBase = fn.heap_base();
    const arenaBytes = fn.arena_bytes(g.slots, g.recvCap, g.sendCap, g.hsCap);
    if (arenaBytes < 0) throw new Error(`board ${b.name}: the ${this.module} board module rejects pool ${JSON.stringify(g)} (arena_bytes ${arenaBytes})`);
    const linear = align(heapBase, 16) + arenaBytes;
    const need = linear + MEMORY_HEADER;
    const budget = b.ramBudget.engineBytes;
    this.memory = { heapBase, arenaBytes, need, budget };
    const facts: ModuleFacts = {
      profile: b.profile,
      file: `build/boards/${this.module}.wasm`,
      bytes: new Uint8Array(0),
      imports: WebAssembly.Module.imports(compileSimBoard(this.module)).map((i) => `${i.module}.${i.name}`),
      initialMemory: this.memObj.buffer.byteLength,
      heapBase,
      arenaBytes,
      slotStateBytes: fn.slot_state_bytes(),
      linearMemoryBytes: linear,
    };
    this.device = ramArithmetic(b, facts, this.runtime);
    if (need > budget) {
      throw new BudgetError(
        `board ${b.name}: the engine's linear memory needs ${need} bytes (static data ${align(heapBase, 16)} + pool arena ${arenaBytes} ` +
          `for ${g.slots} slot(s) + wasm3 header ${MEMORY_HEADER}) but its RAM budget (ramBudget.engineBytes) is ${budget} bytes`,
        need,
        budget,
      );
    }
    if (this.enforce === 'device' && !this.device.fits) {
      throw new BudgetError(
        `board ${b.name}: the engine needs ${this.device.peak} bytes of device RAM at peak under ${this.runtime} (` +
          this.device.serving.map((l) => `${l.what}: ${l.bytes}`).join(', ') +
          `) but its RAM budget (ramBudget.engineBytes) is ${budget} bytes`,
        this.device.peak,
        budget,
      );
    }
    this.engine = this.lease?.reused ? engineAround(inst, g) : initEngine(engineAround(inst, g));
    if (this.lease) this.pool!.booted(this.lease);
    this.grownTo = this.memObj.buffer.byteLength;
    this.scheduler = new Scheduler({ defer: opts.defer, afterTurn: opts.afterTurn });
    // The firmware's defaults for this board (its profile): suites, the
    // record limits it must ask for, its fragment size. Applications may override.
    const defaults = {
      ciphers: b.suites.join(':'),
      maxFragmentLength: b.maxFragmentLength || undefined,
      recordSizeLimit: b.recordSizeLimit || undefined,
      maxSendFragment: b.defaultFragment,
    };
    const onBoard = { engine: this.engine, scheduler: this.scheduler };
    this.tls = {
      connect: (...args: unknown[]) => connectWith({ ...defaults, ...onBoard } as Partial<ConnectionOptions>, args),
      createServer: (options, listener) => {
        if (typeof options === 'function') [options, listener] = [{}, options];
        // The application's options override the board's defaults; the slots and the loop are the board's.
        const serverDefaults = { ...defaults, handshakeTimeout: BOARD_HANDSHAKE_TIMEOUT_MS, ...(opts.timer ? { timer: opts.timer } : {}) };
        return new Server({ ...serverDefaults, ...(options ?? {}), ...onBoard }, listener);
      },
    };
  }

  get name(): string {
    return this.profile.name;
  }

  /** Gives the engine instance back to its pool (BoardOptions.instances); the board must not be used afterwards. */
  release(): void {
    if (!this.lease) return;
    this.pool!.release(this.lease);
    // The instance now belongs to the next board: a late call from this one would corrupt it, so it fails loudly instead.
    Object.defineProperty(this.engine, 'x', { value: RELEASED });
  }

  /** Executed instructions so far (since instantiation). */
  counts(): OpCounts {
    if (this.memObj.buffer.byteLength !== this.grownTo) {
      throw new BudgetError(
        `board ${this.name}: linear memory grew after init (${this.grownTo} -> ${this.memObj.buffer.byteLength} bytes); the budget is ${this.memory.budget}`,
        this.memObj.buffer.byteLength,
        this.memory.budget,
      );
    }
    return {
      ops: Number(this.counters.ops.value),
      i64alu: Number(this.counters.i64alu.value),
      i64mul: Number(this.counters.i64mul.value),
      calls: Number(this.counters.calls.value),
    };
  }

  /** Simulated CPU cycles spent in the engine so far. */
  cycles(): number {
    return cyclesFor(this.counts(), this.cost);
  }

  /** The virtual clock: simulated milliseconds of engine work on this board since it booted. */
  now(): number {
    return this.cycles() / (this.profile.clockMHz * 1000);
  }

  /** Runs `fn` and reports the simulated time and instructions it cost on this board. */
  time<T>(fn: () => T): { value: T; ms: number; ops: number } {
    const c0 = this.counts();
    const t0 = this.now();
    const value = fn();
    return { value, ms: this.now() - t0, ops: this.counts().ops - c0.ops };
  }
}
