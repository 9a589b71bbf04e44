// A fleet: N simulated boards, each over its own imperfect Link, against one
// real server in this process (node:tls, or tlsrt's own), all in virtual time
// and all from one seed.
//
// Each device is a Board (src/sim/board.ts: its own engine instance in the
// board's RAM budget, its clock counting the WASM work it executes) with a
// TLS connection through `board.tls` — the node:tls-shaped API — over a Link
// (src/sim/link.ts) whose far end the server accepts as if it were a TCP
// connection. On that socket runs the device application (src/sim/app.ts:
// `echo` by default, `mqtt`, or any module), which reports its own verdict
// and metrics; the report aggregates them.
//
// Time. A SimClock (src/sim/clock.ts) orders every network event. A board's
// CPU is a second resource: the engine work it does at an instant occupies it
// for the simulated time that work costs (BoardCpu below), and whatever it
// writes leaves no earlier than that work is done. The server is real and
// fast: its work takes no virtual time (it runs on this machine's V8/OpenSSL,
// orders of magnitude faster than a board).
//
// Determinism. Boards draw randomness from the seed; links draw loss and
// jitter from it; the server's own randomness changes bytes but never sizes
// or timings. So the same seed gives the same report (test/sim/fleet.test.ts).
// Against a remote server boards take their randomness from the platform
// CSPRNG instead (`entropy`, default 'csprng' there): their client_random and
// key shares reach a real peer, and seeded ones would repeat across boards'
// runs — key reuse. A seeded run against a remote server is the caller's
// explicit choice (`entropy: 'seeded'`).
//
// A server elsewhere. `server: { host, port }` points the fleet at a real
// server over real TCP — the way to load-test a device backend before the
// devices exist. Each board's Link still models the device's own network
// (its far end is bridged to a TCP connection), and the boards still compute
// at their simulated speed, but nothing can pause a remote server, so the
// clock runs in real time (src/sim/clock.ts): delays are really waited out,
// and the report is no longer repeatable. Devices use their own keys from
// `keys` (e.g. a mosquitto psk_file: src/sim/psk-file.ts), or all the one in
// `psk` (identity with "{n}" replaced by the device number, e.g.
// 'device-{n}' → device-0001).
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Board, boardModuleName, seededRandom, type BudgetError } from './board.ts';
import { BoardCpu } from './board-cpu.ts';
import { SimClock } from './clock.ts';
import { Link, type LinkOptions } from './link.ts';
import { Prng } from './prng.ts';
import echoApp from './apps/echo.ts';
import { loadApp, type AppMetrics, type AppOptions, type AppOutcome, type AppPeer, type AppSocket, type DeviceApp } from './app.ts';
import { inProcessServer, remoteServer, upstreamError, type RemoteServer, type ServerKind } from './fleet-servers.ts';
import { identityFor, type DeviceKey } from './psk-file.ts';
import { simPsk } from './handshake.ts';
import { runFleetInWorkers, type MergedShards } from './fleet-workers.ts';
import { InstancePool } from './instance-pool.ts';
import { loadBoard, type Board as BoardProfile, type Runtime } from '../bundle/board.ts';
import { inspectBoardModule } from '../bundle/module.ts';
import { ramArithmetic } from '../bundle/ram.ts';
import type { KxMode } from '../engine/config.ts';
import { ALERTS } from '../engine/engine.ts';
import { I_STATE } from '../engine/abi.ts';
import type { TLSSocket } from '../tls/tls-socket.ts';

export type { RemoteServer, ServerKind } from './fleet-servers.ts';

/** A server in this process with your own connection handler (TLS terminated), instead of the app's peer. */
export interface InProcessServer {
  kind?: ServerKind;
  onConnection(socket: Duplex): void;
}

/** Where boards take their randomness: 'seeded' (from the fleet's seed: repeatable) or 'csprng' (the platform's). */
export type Entropy = 'seeded' | 'csprng';

export interface FleetOptions {
  /** Board profile (name in boards/ or an object, e.g. a modified copy). */
  board: string | BoardProfile;
  devices: number;
  seed?: string | number;
  /** The network each device sees (its own Link each; seeds derived per device). */
  link?: Omit<LinkOptions, 'seed' | 'name' | 'readyAt'>;
  /**
   * 'node' or 'tlsrt' (a server in this process serving the app's peer, in
   * virtual time), your own in-process handler, or a remote server (real time).
   */
  server?: ServerKind | InProcessServer | RemoteServer;
  /** The key and identity every device uses ("{n}" in the identity: the device number, 4 digits). */
  psk?: { identity: string; key: Uint8Array };
  /** A key per device (device i uses keys[i]; at least `devices` of them), e.g. parsePskFile's. */
  keys?: DeviceKey[];
  /** Boards' randomness; default 'seeded' against a server in this process, 'csprng' against a remote one. */
  entropy?: Entropy;
  kx?: KxMode;
  /** The device runtime whose clock and RAM verdict the boards get; default the profile's `runtime`. */
  runtime?: Runtime;
  /**
   * What each device does on its connection (default: the echo app): the app
   * itself, or its name or module path as `loadApp` takes it (what worker
   * threads can be given); `appOptions` are its options.
   */
  app?: DeviceApp<any> | string;
  appOptions?: AppOptions;
  /** The echo app's `bytes` option: bytes each device sends and expects echoed (default 1024). */
  messageBytes?: number;
  /** The echo app's `mode` option: how its in-process server echoes (src/sim/apps/echo.ts). */
  echo?: 'stream' | 'whole';
  /** Devices power up uniformly at random over [0, rampMs) (default 1000). */
  rampMs?: number;
  /** Each device gives up (ETIMEDOUT) after this long without network activity; 0 (default): it waits. */
  idleTimeoutMs?: number;
  /** Run each board's boot self-test before it connects (default false). */
  selftest?: boolean;
  /** Give up when virtual time passes this (default 600,000 ms). */
  maxTimeMs?: number;
  /** Progress: devices finished so far, the total, and the virtual time. */
  onProgress?: (done: number, total: number, nowMs: number) => void;
  /** Worker threads to spread the boards over (default 1: this thread); the report does not depend on it (src/sim/fleet-workers.ts). */
  workers?: number;
  /** Internal (a worker's share): run only board i with i mod count = index. */
  shard?: { index: number; count: number };
  /** Internal: no simulation, build the report from these shards' results. */
  merged?: MergedShards;
}

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface DeviceReport {
  index: number;
  identity: string;
  ok: boolean;
  /** The app's own verdict (for echo: the message came back byte for byte). */
  appOk: boolean;
  error?: string;
  /** The server reset the connection after the device had ended its side (not a failure). */
  resetAfterEnd?: boolean;
  /** What the app counted; its latencies (ms, rounded to µs) make the fleet report's distribution. */
  app?: { sent: number; acknowledged: number; received: number; latencyMs: number[] };
  startMs: number;
  /** Virtual ms from power-up (after boot) to 'secureConnect': network round trips and board CPU. */
  handshakeMs?: number;
  /** Virtual ms from power-up to the socket's close. */
  doneMs?: number;
  /** Simulated engine CPU on the board for the whole exchange. */
  engineMs: number;
  wire: { upBytes: number; downBytes: number; retransmits: number };
  /** Engine linear memory (fixed) + the most bytes the board's network side held at once. */
  ramHighWaterBytes: number;
  networkPeakBytes: number;
  /** Slots not free after the socket closed (must be 0: a leak otherwise). */
  slotsInUse: number;
}

export interface FleetReport {
  board: string;
  devices: number;
  seed: string;
  /** 'node', 'tlsrt' or 'host:port'. */
  server: string;
  /** 'virtual' (deterministic per seed) or 'realtime' (a remote server: not repeatable). */
  clock: 'virtual' | 'realtime';
  /**
   * Real time only: the most an event ran late because this machine fell
   * behind; device times are inflated by up to this much (keep it small:
   * fewer devices, a longer ramp).
   */
  realtimeMaxLagMs?: number;
  /** Where the boards' randomness came from (seeded: repeatable; csprng: the platform's). */
  entropy: Entropy;
  /** 'own keys' when every device had its own key, 'shared key' otherwise. */
  keys: 'per-device' | 'shared';
  kx: KxMode;
  suite?: string;
  link: Required<Pick<LinkOptions, 'latencyMs' | 'jitterMs' | 'loss' | 'bandwidthBps' | 'mtu'>>;
  /** The device app, its options, what counts as success, and what it counted over all devices. */
  app: {
    name: string;
    options: unknown;
    success: string;
    sent: number;
    acknowledged: number;
    received: number;
    /** Per message, sent to received back (simulated ms; real ms against a remote server). */
    latencyMs: Distribution;
  };
  completed: number;
  /** Devices whose connection the server reset after the device had ended its side (counted in completed if their app succeeded). */
  resetsAfterEnd: number;
  failed: number;
  /** Failure reasons ("CODE: message") and how many devices ended with each. */
  failures: Record<string, number>;
  handshakeMs: Distribution;
  engineMs: Distribution;
  wire: { upBytes: number; downBytes: number; payloadUpBytes: number; payloadDownBytes: number; retransmits: number };
  ram: {
    engineLinearBytes: number;
    budgetBytes: number;
    networkPeakMaxBytes: number;
    highWaterMaxBytes: number;
    /**
     * The whole device's engine RAM at peak from the board profile's measured
     * arithmetic for its runtime (src/bundle/ram.ts: under wasm3 its runtime +
     * compiled code, stacks, linear memory; under aot the static linear
     * memory + measured static RAM and stack) — what the simulated board does
     * not enforce by default (src/sim/board.ts) — and whether it fits the budget.
     */
    deviceRuntime: 'aot' | 'wasm3';
    devicePeakBytes: number;
    deviceFits: boolean;
  };
  /** Virtual time when the last device finished. */
  simulatedMs: number;
  perDevice: DeviceReport[];
}

/** What this machine spent running the fleet (not deterministic: kept out of FleetReport). */
export interface HostCost {
  cpuMs: number;
  wallMs: number;
  /** Simulated boards (power-up to close) per CPU second of this process (all its threads). */
  boardsPerCpuSecond: number;
  /** Worker threads the boards ran on (absent: this thread). */
  workers?: number;
}

export function distribution(values: number[]): Distribution {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { count: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const at = (q: number) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: v.length,
    min: round(v[0]),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(v[v.length - 1]),
    mean: round(v.reduce((a, b) => a + b, 0) / v.length),
  };
}


/** Runs a fleet; resolves with the (deterministic) report and what it cost this machine. */
export async function runFleet(o: FleetOptions): Promise<{ report: FleetReport; host: HostCost }> {
  if ((o.workers ?? 1) !== 1 && !o.shard && !o.merged) return runFleetInWorkers(o, (merged) => runFleet({ ...o, workers: 1, merged }));
  // The boards this call simulates: all, a worker's share, or none (the report of merged shards).
  const mine = (i: number) => !o.merged && (!o.shard || i % o.shard.count === o.shard.index);
  const profile = typeof o.board === 'string' ? loadBoard(o.board) : o.board;
  const seed = String(o.seed ?? 1);
  const devices = o.devices;
  if (!Number.isInteger(devices) || devices < 1) throw new RangeError(`fleet: devices must be a positive integer, got ${devices}`);
  const kx = o.kx ?? 'psk_dhe_ke';
  const app: DeviceApp<any> = typeof o.app === 'string' ? await loadApp(o.app) : o.app ?? echoApp;
  const rawAppOptions: AppOptions = { ...(o.appOptions ?? {}) };
  if (app === echoApp) {
    if (o.messageBytes !== undefined) rawAppOptions.bytes ??= o.messageBytes;
    if (o.echo !== undefined) rawAppOptions.mode ??= o.echo;
  }
  const appOptions = app.configure(rawAppOptions);
  const rampMs = o.rampMs ?? 1000;
  const linkOpts = { latencyMs: 20, jitterMs: 0, loss: 0, bandwidthBps: 1_000_000, mtu: 1500, ...o.link };
  new Link(new SimClock(), linkOpts); // bad link options fail here, before anything runs
  const rng = new Prng(`fleet:${seed}`);
  const remote = typeof o.server === 'object' && 'port' in o.server ? o.server : undefined;
  const custom = typeof o.server === 'object' && 'onConnection' in o.server ? o.server : undefined;
  const kind: ServerKind = custom ? custom.kind ?? 'tlsrt' : typeof o.server === 'string' ? o.server : 'node';
  if (remote && !o.psk && !o.keys) throw new TypeError('fleet: a remote server needs the devices\' keys (keys: [{ identity, key }], or psk: { identity, key })');
  if (o.psk && o.keys) throw new TypeError('fleet: psk (one key for all) and keys (one per device) exclude each other');
  if (o.keys && o.keys.length < devices) throw new RangeError(`fleet: ${devices} devices need ${devices} keys, got ${o.keys.length}`);
  if (!remote && !custom && !app.peer) throw new TypeError(`fleet: the ${app.name} app has no server in this process; give it a remote server or your own (server: { onConnection })`);
  const entropy: Entropy = o.entropy ?? (remote ? 'csprng' : 'seeded');
  const clock = new SimClock({ realtime: !!remote });
  // Device i's identity and key, in device order (identities are distinct: the server looks keys up by them).
  const deviceKeys: DeviceKey[] = Array.from({ length: devices }, (_, i) =>
    o.keys ? o.keys[i] : o.psk ? { identity: identityFor(o.psk.identity, i), key: Buffer.from(o.psk.key) } : { identity: identityFor('device-{n}', i), key: simPsk(`${seed}:${i}`) },
  );
  const keys = new Map(deviceKeys.map((k) => [k.identity, Buffer.from(k.key)]));
  const serverName = remote ? `${remote.host}:${remote.port}` : kind;
  // The verdict for the module the boards run (their own board module) under the profile's runtime.
  const device = ramArithmetic(profile, inspectBoardModule(boardModuleName(profile), profile.profile, profile.pool), o.runtime ?? profile.runtime);
  // Timers of simulated things run on the virtual clock (a real setTimeout would make results depend on this machine's speed).
  const timer = (ms: number, fn: () => void) => clock.timer(ms, fn);
  let peer: AppPeer | undefined;
  if (!remote && !custom) peer = await app.peer!(appOptions);
  const server = remote
    ? remoteServer(remote)
    : inProcessServer(kind, profile.suites, keys, custom ? (s) => custom.onConnection(s) : (s) => peer!.onConnection(s), timer, () => peer?.close());

  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const results: DeviceReport[] = o.merged ? [...o.merged.perDevice] : [];
  let suite: string | undefined = o.merged?.suite;
  let finished = 0;
  let mineCount = 0;
  for (let i = 0; i < devices; i++) if (mine(i)) mineCount++;
  // Boards with engine work at this instant: their CPU is accounted when the instant ends.
  const busy = new Set<BoardCpu>();
  // Devices' sockets not closed yet: a stalled one is destroyed at the end, so its app lets go of what it holds (timers, sockets).
  const open = new Set<AppSocket>();
  // Each device's handshake time as soon as it has one (a device that stalls later still reports it).
  const handshakeOf = new Map<number, number>();
  // Boards not alive at the same time share engine instances (src/sim/instance-pool.ts).
  const instances = new InstancePool();

  const startDevice = async (i: number): Promise<void> => {
    const startMs = clock.now;
    const identity = deviceKeys[i].identity;
    let board: Board;
    let cpu: BoardCpu | undefined;
    try {
      board = new Board(profile, {
        ...(o.runtime ? { runtime: o.runtime } : {}),
        ...(entropy === 'seeded' ? { seed: `${seed}:board:${i}` } : {}),
        instances,
        defer: (fn) => clock.at(clock.now, fn),
        timer,
        // Any turn (a deferred continuation, a reader resuming) is engine work at this instant.
        afterTurn: () => cpu && busy.add(cpu),
      });
    } catch (err) {
      // A configuration that cannot fit fails as the device would: at boot.
      const e = err as BudgetError;
      results.push({
        index: i, identity, ok: false, appOk: false, error: `${e.name}: ${e.message}`, startMs, engineMs: 0,
        wire: { upBytes: 0, downBytes: 0, retransmits: 0 }, ramHighWaterBytes: 0, networkPeakBytes: 0, slotsInUse: 0,
      });
      finished++;
      return;
    }
    cpu = new BoardCpu(board, clock);
    if (o.selftest && board.engine.x.selftest() !== 1) throw new Error(`${profile.name} #${i}: boot self-test failed`);
    const bootedAt = cpu.settle();
    const link = new Link(clock, {
      ...linkOpts,
      seed: `${seed}:link:${i}`,
      name: identity,
      readyAt: {
        a: () => {
          busy.add(cpu);
          return cpu.settle();
        },
      },
    });
    // The board wakes whenever the network hands it bytes.
    link.a.on('data', () => busy.add(cpu));
    server.accept(link.b);
    let secureAt: number | undefined;
    let mailboxPeak = 0;
    let socketError: SocketError | undefined;
    const key = deviceKeys[i].key;
    const socket = board.tls.connect({
      socket: link.a,
      pskKeyExchangeModes: [kx],
      pskCallback: () => ({ psk: key, identity }),
      checkServerIdentity: () => undefined,
    }) as unknown as AppSocket;
    open.add(socket);
    if (o.idleTimeoutMs) {
      socket.setTimeout(o.idleTimeoutMs, () => {
        socket.destroy(Object.assign(new Error(`no network activity for ${o.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
    }
    socket.once('secureConnect', () => {
      secureAt = cpu!.settle();
      handshakeOf.set(i, round3(secureAt - bootedAt));
      // Read on every device, not only until one answers: the query is engine work, the same on every board.
      const negotiated = socket.getCipher()?.name;
      suite ??= negotiated;
    });
    let resetAfterEnd = false;
    socket.on('error', (err: Error & { code?: string; alert?: number }) => {
      // A reset after the device had ended its side (an MQTT broker closing on DISCONNECT
      // before the device's close_notify arrived) ends a finished exchange: counted, not a failure.
      if (!socketError && socket.writableEnded && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        resetAfterEnd = true;
        return;
      }
      socketError ??= { code: err.code, message: err.message, alert: err.alert };
    });
    const closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        open.delete(socket);
        // Bytes the board received but its engine had not taken yet (lwIP would hold them on a device).
        mailboxPeak = (socket as unknown as TLSSocket).getBufferPeaks?.().networkIn ?? 0;
        resolve();
      }),
    );
    const appDone = app
      .run({
        socket,
        identity,
        index: i,
        options: appOptions,
        // The board's now: the instant, or later while its core is still busy with work already done (the app runs after it).
        clock: { now: () => cpu!.settle(), after: timer },
        random: entropy === 'seeded' ? seededBytes(`${seed}:app:${i}`) : randomBytes,
      })
      .catch((e: Error): AppOutcome => ({ ok: false, reason: `the app threw: ${e.message}`, metrics: noMetrics() }));
    // The device is done when its socket has closed (an app that returns before that has its socket ended).
    void appDone.then(() => {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
    });
    await closed;
    // Whatever the close still sets off on the board at this instant (the last turns of its scheduler) is its work too.
    await new Promise<void>((resolve) => clock.at(clock.now, resolve));
    const doneAt = cpu.settle();
    const outcome = await appDone;
    const st = link.stats();
    const slotsInUse = countSlotsInUse(board);
    const engineMs = round3(board.now());
    const deviceOk = outcome.ok && !socketError;
    results.push({
      index: i,
      identity,
      ok: deviceOk && slotsInUse === 0,
      appOk: outcome.ok,
      app: { sent: outcome.metrics.sent, acknowledged: outcome.metrics.acknowledged, received: outcome.metrics.received, latencyMs: outcome.metrics.latencyMs.map(round3) },
      ...(resetAfterEnd ? { resetAfterEnd } : {}),
      error:
        (socketError?.alert === undefined ? upstreamError(server, link.b, deviceOk) : undefined) ??
        (socketError ? describeError(socketError) : !outcome.ok ? `${app.name}: ${outcome.reason ?? 'failed'}` : slotsInUse ? `LEAK: ${slotsInUse} slot(s) in use after close` : undefined),
      startMs: round3(startMs),
      handshakeMs: secureAt === undefined ? undefined : round3(secureAt - bootedAt),
      doneMs: round3(doneAt - startMs),
      engineMs,
      // Up: the board's segments and its ACKs of the server's; down: the reverse.
      wire: {
        upBytes: st.aToB.wireBytes + st.aToB.ackWireBytes,
        downBytes: st.bToA.wireBytes + st.bToA.ackWireBytes,
        retransmits: st.aToB.retransmits + st.bToA.retransmits,
      },
      ramHighWaterBytes: board.memory.need + link.a.bufferedPeak + mailboxPeak,
      networkPeakBytes: link.a.bufferedPeak + mailboxPeak,
      slotsInUse,
    });
    payloadUp += st.aToB.payloadBytes;
    payloadDown += st.bToA.payloadBytes;
    board.release();
    finished++;
  };

  let payloadUp = o.merged?.payloadUpBytes ?? 0;
  let payloadDown = o.merged?.payloadDownBytes ?? 0;
  const running: Promise<void>[] = [];
  for (let i = 0; i < devices; i++) {
    // Every board's power-up time is drawn, so a shard's boards start when they would in the whole fleet.
    const at = rampMs > 0 ? rng.next() * rampMs : 0;
    if (!mine(i)) continue;
    clock.at(at, () =>
      running.push(
        startDevice(i).catch((err: Error) => {
          // Whatever went wrong on one device is that device's failure, never the whole run's.
          results.push({
            index: i, identity: deviceKeys[i].identity, ok: false, appOk: false, error: `ERROR: ${err.message}`,
            startMs: round3(clock.now), engineMs: 0, wire: { upBytes: 0, downBytes: 0, retransmits: 0 }, ramHighWaterBytes: 0, networkPeakBytes: 0, slotsInUse: -1,
          });
          finished++;
        }),
      ),
    );
  }
  try {
    const maxTimeMs = o.maxTimeMs ?? 600_000;
    await clock.run({
      // Stop when every device is done, or give the rest up as stalled at the deadline (virtual or real).
      until: () => finished === mineCount || clock.now >= maxTimeMs,
      maxTimeMs: remote ? maxTimeMs : undefined,
      onInstant: (now) => {
        for (const c of busy) c.settle();
        busy.clear();
        o.onProgress?.(finished, devices, now);
      },
    });
    // Devices still running here have stalled (reported below); their promises are not awaited.
    if (finished === mineCount) await Promise.all(running);
  } finally {
    for (const s of open) s.destroy();
    await server.close();
  }
  // A device still open when the network fell silent has stalled: report it, never hang.
  const reported = new Set(results.map((r) => r.index));
  for (let i = 0; i < devices; i++) {
    if (mine(i) && !reported.has(i)) {
      results.push({
        index: i, identity: deviceKeys[i].identity, ok: false, appOk: false, error:
          clock.now >= (o.maxTimeMs ?? 600_000)
            ? `STALLED: not finished after ${o.maxTimeMs ?? 600_000} ms (${remote ? 'real' : 'virtual'} time)`
            : 'STALLED: no network events left before the exchange completed',
        startMs: 0, handshakeMs: handshakeOf.get(i), engineMs: 0, wire: { upBytes: 0, downBytes: 0, retransmits: 0 }, ramHighWaterBytes: 0, networkPeakBytes: 0, slotsInUse: -1,
      });
    }
  }
  results.sort((a, b) => a.index - b.index);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const failures: Record<string, number> = {};
  for (const r of results) if (!r.ok) failures[r.error ?? 'unknown'] = (failures[r.error ?? 'unknown'] ?? 0) + 1;
  const ok = results.filter((r) => r.ok);
  const report: FleetReport = {
    board: profile.name,
    devices,
    seed,
    server: serverName,
    clock: remote ? 'realtime' : 'virtual',
    ...(remote ? { realtimeMaxLagMs: round3(clock.maxLagMs) } : {}),
    entropy,
    keys: o.psk && devices > 1 ? 'shared' : 'per-device',
    kx,
    suite,
    link: linkOpts,
    app: {
      name: app.name,
      options: appOptions,
      success: app.describe(appOptions),
      sent: sum(results.map((r) => r.app?.sent ?? 0)),
      acknowledged: sum(results.map((r) => r.app?.acknowledged ?? 0)),
      received: sum(results.map((r) => r.app?.received ?? 0)),
      latencyMs: distribution(results.flatMap((r) => r.app?.latencyMs ?? [])),
    },
    completed: ok.length,
    resetsAfterEnd: results.filter((r) => r.resetAfterEnd).length,
    failed: devices - ok.length,
    failures,
    handshakeMs: distribution(results.flatMap((r) => (r.handshakeMs === undefined ? [] : [r.handshakeMs]))),
    engineMs: distribution(ok.map((r) => r.engineMs)),
    wire: {
      upBytes: sum(results.map((r) => r.wire.upBytes)),
      downBytes: sum(results.map((r) => r.wire.downBytes)),
      payloadUpBytes: payloadUp,
      payloadDownBytes: payloadDown,
      retransmits: sum(results.map((r) => r.wire.retransmits)),
    },
    ram: {
      deviceRuntime: device.runtime,
      devicePeakBytes: device.peak,
      deviceFits: device.fits,
      engineLinearBytes: Math.max(0, ...results.map((r) => r.ramHighWaterBytes - r.networkPeakBytes)),
      budgetBytes: profile.ramBudget.engineBytes,
      networkPeakMaxBytes: Math.max(0, ...results.map((r) => r.networkPeakBytes)),
      highWaterMaxBytes: Math.max(0, ...results.map((r) => r.ramHighWaterBytes)),
    },
    simulatedMs: round3(Math.max(0, ...results.map((r) => r.startMs + (r.doneMs ?? 0)))),
    perDevice: results,
  };
  return { report, host: { cpuMs, wallMs: performance.now() - wall0, boardsPerCpuSecond: devices / (cpuMs / 1000) } };
}

/** Slots of the board's engine still live (info on a free slot is an error code: E_BAD_SLOT). */
function countSlotsInUse(board: Board): number {
  let n = 0;
  for (let id = 0; id < board.profile.pool.slots; id++) if (board.engine.x.info(id, I_STATE) >= 0) n++;
  return n;
}

interface SocketError {
  code?: string;
  message: string;
  /** The TLS alert the socket sent or received, if any. */
  alert?: number;
}

function noMetrics(): AppMetrics {
  return { sent: 0, acknowledged: 0, received: 0, latencyMs: [] };
}

/** Payload bytes from a seed (a virtual fleet's apps repeat); never secret. */
function seededBytes(seed: string): (n: number) => Buffer {
  const fill = seededRandom(seed);
  return (n) => {
    const b = Buffer.alloc(n);
    fill(b);
    return b;
  };
}

/** "CODE: message (alert name)": what a failed device reports. */
function describeError(e: SocketError): string {
  const alert = e.alert === undefined ? '' : ` (alert ${ALERTS[e.alert] ?? e.alert})`;
  return `${e.code ?? 'ERROR'}: ${e.message}${alert}`;
}

function sum(v: number[]): number {
  return v.reduce((a, b) => a + b, 0);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
