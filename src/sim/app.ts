// A device application: what a simulated device does once it has a TLS
// connection — echo a message, speak MQTT to a broker, anything a firmware
// does. A fleet (src/sim/fleet.ts) gives every board the same app; the app
// gets the board's node:tls-shaped socket (the handshake under way), the
// device's identity, its own options and the fleet's clock, and resolves its
// own verdict and what it measured. The fleet owns the connection (PSK,
// handshake timing, socket errors, slots); the app owns the protocol on top.
//
// An app is a module. Built-ins live in src/sim/apps/ (`echo`, `mqtt`); any
// other module (`tlsrt sim --app ./my-app.ts`, `runFleet({ app })`) exports
// one as its default export or as `app`.
//
// Time. An app must take every delay from `ctx.clock` — the fleet's clock,
// virtual in a fleet against a server in this process, real time against a
// remote server — never from setTimeout: a real timer in a virtual fleet
// would fire according to this machine's speed, not the simulation's.
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import type { Duplex } from 'node:stream';

/** The socket an app gets: a board's TLSSocket (node:tls-shaped). */
export interface AppSocket extends Duplex {
  getCipher(): { name: string } | undefined;
  getEphemeralKeyInfo(): { name?: string } | null;
  setTimeout(ms: number, cb?: () => void): unknown;
}

/** The board's clock in the fleet, in simulated ms (real ms against a remote server). */
export interface AppClock {
  /** Now on this board: the current instant, or later while its core is still busy with the work that led here. */
  now(): number;
  /** Runs `fn` `ms` from now on this clock; the result cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Options as the command line gives them (`--app-options k=v,...`) or runFleet's caller does. */
export type AppOptions = Record<string, string | number | boolean>;

export interface AppContext<O = AppOptions> {
  /** The board's TLS socket; 'secureConnect' when the handshake is done. The app ends it when it is done. */
  socket: AppSocket;
  /** The device's PSK identity (the MQTT client id, say). */
  identity: string;
  /** 0-based device number in the fleet. */
  index: number;
  /** The app's options, as its `configure` returned them. */
  options: O;
  clock: AppClock;
  /**
   * `n` bytes for payloads: from the fleet's seed in a virtual fleet (so it
   * repeats), never secret.
   */
  random(n: number): Buffer;
}

/** What a device's app measured. Latencies in the fleet clock's ms. */
export interface AppMetrics {
  /** Messages the app sent. */
  sent: number;
  /** Messages the peer acknowledged (an MQTT PUBACK; 0 when the protocol has no acknowledgement). */
  acknowledged: number;
  /** Messages that came back / were delivered to the device. */
  received: number;
  /** One latency per message that came back: sent to received. */
  latencyMs: number[];
}

export interface AppOutcome {
  /** The app's own success verdict. */
  ok: boolean;
  /** Why not, in the app's words (a socket error is reported by the fleet itself). */
  reason?: string;
  metrics: AppMetrics;
}

/** Handles the connections an in-process server accepts for this app (a Duplex: TLS already terminated). */
export interface AppPeer {
  onConnection(socket: Duplex): void;
  close(): Promise<void> | void;
}

export interface DeviceApp<O = AppOptions> {
  name: string;
  /** One line for reports: what counts as success, given the options. */
  describe(options: O): string;
  /** Checks and completes the raw options (defaults); throws a TypeError naming a bad one. */
  configure(raw: AppOptions): O;
  /** The device side. Resolves once the app is done and has ended its socket; never rejects. */
  run(ctx: AppContext<O>): Promise<AppOutcome>;
  /**
   * The app's counterpart for fleets against a server in this process (the
   * echo server, an MQTT broker). Without it the app needs a remote server.
   */
  peer?(options: O): Promise<AppPeer> | AppPeer;
}

/** Apps shipped with tlsrt, loaded on first use (the mqtt app needs the `mqtt` package). */
const BUILT_IN: Record<string, () => Promise<Record<string, unknown>>> = {
  echo: () => import('./apps/echo.ts'),
  mqtt: () => import('./apps/mqtt.ts'),
};

export const BUILT_IN_APPS = Object.keys(BUILT_IN);

/**
 * An app by built-in name, or a module path (relative to the working
 * directory) exporting one as `default` or `app`.
 */
export async function loadApp(nameOrPath: string): Promise<DeviceApp<unknown>> {
  const builtIn = Object.hasOwn(BUILT_IN, nameOrPath) ? BUILT_IN[nameOrPath] : undefined;
  let mod: Record<string, unknown>;
  try {
    mod = builtIn ? await builtIn() : await import(pathToFileURL(resolvePath(nameOrPath)).href);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (builtIn && err.code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`the ${nameOrPath} app needs a package that is not installed: ${err.message.split('\n')[0]} (npm install it next to tlsrt)`);
    }
    if (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'ENOENT') {
      throw new Error(`no app '${nameOrPath}': not one of ${BUILT_IN_APPS.join(', ')}, and no module at that path`);
    }
    throw e;
  }
  const app = (mod.default ?? mod.app) as Partial<Record<keyof DeviceApp, unknown>> | undefined;
  if (!app || typeof app.run !== 'function' || typeof app.configure !== 'function' || typeof app.describe !== 'function' || typeof app.name !== 'string') {
    throw new Error(`app module '${nameOrPath}' must export a DeviceApp ({ name, describe, configure, run }) as default or as 'app'`);
  }
  return app as unknown as DeviceApp<unknown>;
}

/** `k=v,k=v` (the command line's --app-options) as options: numbers and true/false parsed. */
export function parseAppOptions(text: string): AppOptions {
  const out: AppOptions = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TypeError(`app option '${part}' is not key=value`);
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    out[k] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

/** A number option within [min, max] (integers only when `integer`), or its default. */
export function numberOpt(raw: AppOptions, app: string, name: string, dflt: number, min: number, max: number, integer = true): number {
  const v = raw[name] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new TypeError(`${app} app: option ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not '${String(v)}'`);
  }
  return v;
}

/** Rejects options the app does not know (a typo must not silently fall back to a default). */
export function onlyKnown(raw: AppOptions, app: string, known: string[]): void {
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) throw new TypeError(`${app} app: unknown option '${k}' (known: ${known.join(', ')})`);
  }
}
