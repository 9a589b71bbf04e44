// An Artillery engine (https://www.artillery.io/docs): each virtual user is one
// simulated board — its engine, its RAM budget, its network (a Link) and its
// CPU speed, as in `tlsrt sim --connect` — doing a TLS 1.3 PSK handshake and
// an echo over real TCP with the server at `config.target`. So a backend can
// be load-tested by Artillery's own runners (locally, or on its distributed
// ones) with devices as slow as real ones.
//
// Artillery loads an engine `<name>` listed in `config.engines` as the module
// `artillery-engine-<name>` (resolved from where artillery is installed, then
// its bundled packages), and calls `new Engine(script, events, helpers)` and
// `engine.createScenario(scenario, events)` for each scenario whose `engine`
// is that name; the returned function runs one virtual user and reports
// through `events`: 'started', 'counter', 'histogram', 'error'. This file is
// that engine; `artillery-engine-tlsrt/` (repository root) is the package of
// that name re-exporting it (`tlsrt/artillery`).
//
// Metrics, per virtual user:
//   tlsrt.handshake_ms   histogram: power-up to secureConnect (real ms: link delays and board CPU included)
//   tlsrt.session_ms     histogram: power-up to close
//   tlsrt.engine_ms      histogram: the board's simulated engine CPU
//   tlsrt.bytes_up / tlsrt.bytes_down   counters: bytes on the simulated wire (TCP/IP headers, retransmissions)
//   tlsrt.handshakes, tlsrt.completed, tlsrt.failed   counters
//   errors.<reason>      (Artillery's own, from 'error'): why a board failed, e.g. "ERR_SSL_...: ... (alert decrypt_error)"
import { runFleet, type FleetOptions } from '../fleet.ts';
import type { KxMode } from '../../engine/config.ts';

/** `config.engines.tlsrt` (a scenario's own `tlsrt:` block overrides it). */
export interface TlsrtEngineConfig {
  /** Board profile (rp2040, esp32, esp32-c3); default esp32. */
  board?: string;
  /** The PSK every virtual user shares with the server, hex. */
  psk: string;
  /** The identity: Artillery templates ({{ ... }}) and "{vu}" (this runner's virtual-user number). Default device-{vu}. */
  identity?: string;
  /** Key exchange the board asks for; default psk_dhe_ke. */
  kx?: KxMode;
  /** Bytes the board sends and expects echoed; default 1024. */
  bytes?: number;
  /** The board's own network (latencyMs, loss, jitterMs, bandwidthBps, mtu); default 20 ms, no loss. */
  link?: FleetOptions['link'];
  /** A board gives up after this long without network activity (real ms); default 30,000. */
  idleTimeoutMs?: number;
  /** A board gives up after this long in all (real ms); default 120,000. */
  maxTimeMs?: number;
}

interface ArtilleryEvents {
  emit(event: 'started'): void;
  emit(event: 'counter' | 'histogram', name: string, value: number): void;
  emit(event: 'error', reason: string): void;
}

interface ArtilleryScript {
  config: { target?: string; engines?: Record<string, unknown> };
}

interface ArtilleryHelpers {
  template?: (s: string, context: unknown) => string;
}

type ScenarioSpec = { tlsrt?: Partial<TlsrtEngineConfig>; flow?: unknown[] };
type Context = Record<string, unknown>;

/** "host:port", "tls://host:port" or "tcp://host:port" ([v6] allowed). */
export function parseTarget(target: string | undefined): { host: string; port: number } {
  const m = /^(?:(?:tls|tcp):\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(target ?? '');
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new TypeError(`artillery-engine-tlsrt: config.target must be host:port (or tls://host:port), not '${target}'`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

let vuCounter = 0;

export default class TlsrtEngine {
  private readonly config: TlsrtEngineConfig;
  private readonly target: { host: string; port: number };

  constructor(script: ArtilleryScript, _events: ArtilleryEvents, private readonly helpers: ArtilleryHelpers = {}) {
    this.config = (script.config.engines?.tlsrt ?? {}) as TlsrtEngineConfig;
    this.target = parseTarget(script.config.target);
    checkPsk(this.config.psk);
  }

  createScenario(spec: ScenarioSpec, events: ArtilleryEvents): (context: Context, done: (err: Error | null, context: Context) => void) => void {
    const c: TlsrtEngineConfig = { ...this.config, ...spec.tlsrt };
    checkPsk(c.psk);
    // A flow may set the echo size per scenario: `flow: [{ echo: { bytes: N } }]` (one echo per virtual user for now).
    const step = spec.flow?.find((s): s is { echo: { bytes?: number } } => typeof s === 'object' && s !== null && 'echo' in s);
    const bytes = step?.echo?.bytes ?? c.bytes ?? 1024;
    return (context, done) => {
      events.emit('started');
      const vu = ++vuCounter;
      const raw = (c.identity ?? 'device-{vu}').replaceAll('{vu}', String(vu));
      const identity = this.helpers.template ? String(this.helpers.template(raw, context)) : raw;
      runFleet({
        board: c.board ?? 'esp32',
        devices: 1,
        seed: `artillery:${process.pid}:${vu}`,
        server: this.target,
        psk: { identity, key: Buffer.from(c.psk, 'hex') },
        kx: c.kx ?? 'psk_dhe_ke',
        messageBytes: bytes,
        rampMs: 0,
        link: c.link,
        idleTimeoutMs: c.idleTimeoutMs ?? 30_000,
        maxTimeMs: c.maxTimeMs ?? 120_000,
      }).then(
        ({ report }) => {
          const d = report.perDevice[0];
          events.emit('counter', 'tlsrt.bytes_up', d.wire.upBytes);
          events.emit('counter', 'tlsrt.bytes_down', d.wire.downBytes);
          if (d.handshakeMs !== undefined) {
            events.emit('counter', 'tlsrt.handshakes', 1);
            events.emit('histogram', 'tlsrt.handshake_ms', d.handshakeMs);
          }
          if (d.ok) {
            events.emit('counter', 'tlsrt.completed', 1);
            events.emit('histogram', 'tlsrt.session_ms', d.doneMs ?? 0);
            events.emit('histogram', 'tlsrt.engine_ms', d.engineMs);
            done(null, context);
          } else {
            const reason = d.error ?? 'unknown failure';
            events.emit('counter', 'tlsrt.failed', 1);
            events.emit('error', reason);
            done(new Error(reason), context);
          }
        },
        (err: Error) => {
          events.emit('counter', 'tlsrt.failed', 1);
          events.emit('error', err.message);
          done(err, context);
        },
      );
    };
  }
}

function checkPsk(psk: unknown): asserts psk is string {
  if (typeof psk !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(psk)) throw new TypeError('artillery-engine-tlsrt: config.engines.tlsrt.psk must be the key in hex');
}
