// `tlsrt sim`: a fleet of simulated boards against a real server in this
// process (src/sim/fleet.ts), with a progress bar on stderr and a summary on
// stdout (or the whole report as JSON). `tlsrt sim keys` (src/cli/sim-keys.ts)
// writes the per-device keys a fleet and its broker share.
import { readFileSync } from 'node:fs';
import { runFleet, type Distribution, type Entropy, type FleetReport, type HostCost, type ServerKind } from '../sim/fleet.ts';
import { BUILT_IN_APPS, loadApp, parseAppOptions, type AppOptions } from '../sim/app.ts';
import { checkIdentityPattern, parsePskFile, type DeviceKey } from '../sim/psk-file.ts';
import { simKeysCommand } from './sim-keys.ts';
import { loadBoard } from '../bundle/board.ts';
import type { KxMode } from '../engine/config.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError, intOption, parseOptions, withUsage, type ParsedOptions } from './usage.ts';

export const SIM_HELP = `usage: tlsrt sim [options]

       tlsrt sim keys --devices <N> --out <FILE> [--identity <pattern>]   (see tlsrt sim keys --help)

Simulates a fleet of boards, each running the tlsrt engine (the same .wasm a
device flashes, instrumented to count its work) under its RAM budget, each
over its own simulated TCP link, all doing a TLS 1.3 PSK handshake and then
running a device app (an echo by default, or MQTT) against one real server in
this process. Virtual time: board CPU from the executed WASM instructions and
the board's calibrated core, network time from the link model. The same
--seed always gives the same report.

options:
  --board <name>         board profile in boards/ (rp2040, esp32, esp32-c3); default rp2040
  --devices <N>          boards in the fleet (1..100000); default 10
  --loss <P>             percent of packets lost per transmission, e.g. 5 or 5% (0..90); default 0
  --latency <MS>         one-way network latency in ms; default 20
  --jitter <MS>          random extra delay per packet, up to MS (reorders packets); default 0
  --bandwidth <KBIT>     link bandwidth each way in kbit/s; default 1000
  --mtu <BYTES>          IP packet size (segments carry MTU - 40 bytes); default 1500
  --seed <S>             seed of every random choice; default 1
  --server <node|tlsrt>  the server in this process: node:tls (OpenSSL) or tlsrt's own; default node
  --connect <host:port>  instead, a real server elsewhere, over real TCP: the clock then
                         runs in real time (link delays and board CPU are really waited out)
                         and runs are not repeatable; needs --psk-file or --psk
  --app <name|path>      what each device does once connected: ${BUILT_IN_APPS.join(', ')}, or a module
                         exporting a DeviceApp (src/sim/app.ts); default echo. In this process
                         the echo app meets an echo server, the mqtt app an aedes broker
  --app-options <k=v,..> the app's options. echo: bytes=1024, mode=stream|whole.
                         mqtt: messages=10, qos=0|1 (1), rate=10 (PUBLISHes per second),
                         bytes=32, topic=tlsrt/sim/{id}, timeout=120000 (ms)
  --psk-file <FILE>      a key per device, mosquitto's psk_file format (identity:hexkey per
                         line; tlsrt sim keys writes one): device i uses line i
  --psk <hex>            instead, one key every device uses with --connect
  --psk-identity <pat>   the identities with --psk: "{n}" becomes the device number, 1-based and
                         zero-padded to 4 digits (device-{n} → device-0001, device-0002, ...);
                         default device-{n}
  --entropy <csprng|seeded>  the boards' randomness (client_random, key shares): the platform
                         CSPRNG, or derived from --seed (repeatable); default seeded in this
                         process, csprng with --connect (seeded randomness towards a real server
                         is key reuse)
  --kx <psk_dhe_ke|psk_ke>  key exchange the boards ask for; default psk_dhe_ke
  --runtime <aot|wasm3>  the device runtime whose clock and RAM verdict the boards get;
                         default the board profile's (boards/<name>.json "runtime")
  --bytes <N>            the app's bytes option: bytes each board sends (and expects echoed);
                         default 1024 for echo
  --ramp <MS>            boards power up at random over this many ms; default 1000
  --selftest             run each board's boot self-test first (simulated time)
  --idle-timeout <MS>    each board gives up (ETIMEDOUT) after MS without network activity, as
                         firmware would (socket.setTimeout, virtual time); default: it waits
  --max-time <MS>        give up on boards not finished after this much (virtual or real) time;
                         default 600000 — they are reported as STALLED
  --workers <K>          spread the boards over K worker threads (1..64); the report is the
                         same as with 1 (each board's result does not depend on K); default 1
  --json                 print the whole report (every device) as JSON
  -h, --help             show this help

examples:
  tlsrt sim --board rp2040 --devices 200 --loss 5 --latency 50 --seed 7
  tlsrt sim --board esp32 --devices 20 --kx psk_ke --server tlsrt --json
  tlsrt sim --board esp32-c3 --devices 500 --ramp 60000 --connect iot.example.com:8443 --psk 00112233445566778899aabbccddeeff
  tlsrt sim keys --devices 20 --out fleet.psk
  tlsrt sim --connect 127.0.0.1:8883 --psk-file fleet.psk --app mqtt --devices 20 --app-options messages=5,qos=1

exit codes:
  0  every board completed its handshake and its app succeeded (for echo: the echo came back intact)
  1  some boards failed (the summary lists the reasons)
  2  usage error
`;

const OPTIONS = {
  board: 'string', devices: 'string', loss: 'string', latency: 'string', jitter: 'string', bandwidth: 'string',
  mtu: 'string', seed: 'string', server: 'string', connect: 'string', psk: 'string', 'psk-identity': 'string', kx: 'string', runtime: 'string', bytes: 'string', ramp: 'string', selftest: 'boolean', json: 'boolean', 'max-time': 'string', 'idle-timeout': 'string', workers: 'string',
  app: 'string', 'app-options': 'string', 'psk-file': 'string', entropy: 'string',
} as const;

function numberOption(opts: ParsedOptions, name: string, min: number, max: number, dflt: number, suffix = ''): number {
  const v = opts[name];
  if (v === undefined) return dflt;
  const s = String(v).endsWith(suffix) && suffix ? String(v).slice(0, -suffix.length) : String(v);
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, not '${String(v)}'`);
  return n;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per quarter otherwise. */
function progressBar(total: number): { update(done: number, nowMs: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  let lastQuarter = -1;
  let lastDraw = 0;
  const line = (done: number, nowMs: number) => {
    const width = 30;
    const full = Math.round((done / total) * width);
    return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${done}/${total} boards · ${(nowMs / 1000).toFixed(1)} s simulated`;
  };
  return {
    update(done, nowMs) {
      if (tty) {
        const t = Date.now();
        if (t - lastDraw < 50 && done < total) return;
        lastDraw = t;
        process.stderr.write(`\r${line(done, nowMs)}`);
      } else {
        const q = Math.floor((done / total) * 4);
        if (q > lastQuarter) {
          lastQuarter = q;
          process.stderr.write(`${line(done, nowMs)}\n`);
        }
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const dist = (d: Distribution) => d.count === 0 ? 'none finished' : `min ${ms(d.min)} · p50 ${ms(d.p50)} · p90 ${ms(d.p90)} · p99 ${ms(d.p99)} · max ${ms(d.max)} (mean ${ms(d.mean)}, n=${d.count})`;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function formatSummary(r: FleetReport, host: HostCost): string {
  const l = r.link;
  const lines = [
    `fleet: ${r.devices} × ${r.board} → ${r.server === 'node' ? 'node:tls server' : r.server === 'tlsrt' ? 'tlsrt server' : `${r.server} (real TCP, real time)`} · ${r.kx} · ${r.suite ?? 'no suite negotiated'} · seed ${r.seed}`,
    `links: ${l.latencyMs} ms one-way${l.jitterMs ? ` + up to ${l.jitterMs} ms jitter` : ''}, ${(l.loss * 100).toFixed(1)}% loss, ${l.bandwidthBps / 1000} kbit/s, MTU ${l.mtu}`,
    `keys: ${r.keys === 'shared' ? 'one shared key' : 'a key per device'} · board randomness: ${r.entropy === 'csprng' ? 'platform CSPRNG (not repeatable)' : `seeded from ${r.seed} (repeatable)`}`,
    `completed: ${r.completed}/${r.devices} (app ${r.app.name}: ${r.app.success}; slot freed)`,
  ];
  if (r.failed) {
    lines.push(`failed: ${r.failed}`);
    for (const [why, n] of Object.entries(r.failures)) lines.push(`  ${n} × ${why}`);
  }
  lines.push(
    `handshake (power-up to secureConnect, ${r.clock === 'realtime' ? 'real time' : 'simulated'}): ${dist(r.handshakeMs)}`,
    `app ${r.app.name}: ${r.app.sent} messages sent, ${r.app.acknowledged} acknowledged, ${r.app.received} received · latency (${r.clock === 'realtime' ? 'real time' : 'simulated'}): ${r.app.latencyMs.count === 0 ? 'none received' : `p50 ${ms(r.app.latencyMs.p50)} · p90 ${ms(r.app.latencyMs.p90)} · max ${ms(r.app.latencyMs.max)} (n=${r.app.latencyMs.count})`}`,
    `board engine CPU per device (simulated): ${dist(r.engineMs)}`,
    `bytes on the wire: ${r.wire.upBytes} up, ${r.wire.downBytes} down (payload ${r.wire.payloadUpBytes} / ${r.wire.payloadDownBytes}; ${r.wire.retransmits} retransmissions)`,
    `RAM high-water per board: ${kib(r.ram.highWaterMaxBytes)} = engine linear memory ${kib(r.ram.engineLinearBytes)} (budget ${kib(r.ram.budgetBytes)}) + network buffers ${kib(r.ram.networkPeakMaxBytes)}`,
    `device RAM at peak with ${r.ram.deviceRuntime} (board profile arithmetic, not enforced in the simulation): ${kib(r.ram.devicePeakBytes)} of ${kib(r.ram.budgetBytes)} — ${r.ram.deviceFits ? 'fits' : 'DOES NOT FIT yet'}`,
    ...(r.realtimeMaxLagMs !== undefined
      ? [`real-time lag: events ran up to ${r.realtimeMaxLagMs.toFixed(1)} ms late on this machine${r.realtimeMaxLagMs > 20 ? ' — device times are inflated by that much; use fewer devices or a longer --ramp' : ''}`]
      : []),
    `${r.clock === 'realtime' ? 'elapsed (real time)' : 'simulated time'}: ${(r.simulatedMs / 1000).toFixed(2)} s · this machine: ${(host.cpuMs / 1000).toFixed(2)} s CPU, ${(host.wallMs / 1000).toFixed(2)} s wall${host.workers ? ` on ${host.workers} worker threads` : ''} · ${host.boardsPerCpuSecond.toFixed(1)} boards simulated per CPU second`,
  );
  return lines.join('\n');
}

export function simCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'keys') return simKeysCommand(argv.slice(1));
  return withUsage('sim', async () => {
    const opts = parseOptions(argv, OPTIONS);
    if (opts.help) {
      process.stdout.write(SIM_HELP);
      return EXIT_OK;
    }
    const boardName = (opts.board as string | undefined) ?? 'rp2040';
    let board;
    try {
      board = loadBoard(boardName);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const devices = intOption(opts, 'devices', 1, 100000, 10)!;
    const server = (opts.server as string | undefined) ?? 'node';
    if (server !== 'node' && server !== 'tlsrt') throw new UsageError(`--server must be node or tlsrt, not '${server}'`);
    let remote: { host: string; port: number } | undefined;
    let psk: { identity: string; key: Buffer } | undefined;
    let keys: DeviceKey[] | undefined;
    if (opts['psk-file'] !== undefined) {
      if (opts.psk !== undefined || opts['psk-identity'] !== undefined) throw new UsageError('--psk-file gives every device its own key: no --psk or --psk-identity with it');
      const file = String(opts['psk-file']);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`--psk-file: cannot read ${file}: ${(e as Error).message}`);
      }
      try {
        keys = parsePskFile(text, file);
      } catch (e) {
        throw new UsageError(`--psk-file: ${(e as Error).message}`);
      }
      if (keys.length < devices) throw new UsageError(`--psk-file ${file} has ${keys.length} key(s) for ${devices} devices (tlsrt sim keys --devices ${devices} writes enough)`);
    }
    if (opts.connect !== undefined) {
      if (opts.server !== undefined) throw new UsageError('--server and --connect exclude each other');
      const m = /^(.+):(\d+)$/.exec(String(opts.connect));
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UsageError(`--connect must be host:port, not '${String(opts.connect)}'`);
      remote = { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
      if (!keys) {
        const hex = opts.psk as string | undefined;
        if (hex === undefined) throw new UsageError('--connect needs --psk-file <FILE> (a key per device) or --psk <hex> (one key for all)');
        if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`--psk must be an even number of hex digits, not '${hex}'`);
        const identity = (opts['psk-identity'] as string | undefined) ?? 'device-{n}';
        if (identity === '') throw new UsageError('--psk-identity needs an identity');
        psk = { identity, key: Buffer.from(hex, 'hex') };
      }
    } else if (opts.psk !== undefined || opts['psk-identity'] !== undefined) {
      throw new UsageError('--psk and --psk-identity go with --connect (simulated servers know every device\'s own key; --psk-file sets them)');
    }
    const entropy = opts.entropy as string | undefined;
    if (entropy !== undefined && entropy !== 'csprng' && entropy !== 'seeded') throw new UsageError(`--entropy must be csprng or seeded, not '${entropy}'`);
    let appOptions: AppOptions = {};
    try {
      if (opts['app-options'] !== undefined) appOptions = parseAppOptions(String(opts['app-options']));
    } catch (e) {
      throw new UsageError(`--app-options: ${(e as Error).message}`);
    }
    if (opts.bytes !== undefined) appOptions.bytes = intOption(opts, 'bytes', 1, 16 * 1024 * 1024)!;
    const app = (opts.app as string | undefined) ?? 'echo'; // by name or path: worker threads load it themselves
    try {
      (await loadApp(app)).configure(appOptions); // bad options are a usage error, before anything runs
    } catch (e) {
      throw new UsageError(`--app${e instanceof TypeError ? '-options' : ''}: ${(e as Error).message}`);
    }
    const kx = (opts.kx as string | undefined) ?? 'psk_dhe_ke';
    if (kx !== 'psk_ke' && kx !== 'psk_dhe_ke') throw new UsageError(`--kx must be psk_dhe_ke or psk_ke, not '${kx}'`);
    const runtime = opts.runtime as string | undefined;
    if (runtime !== undefined && runtime !== 'aot' && runtime !== 'wasm3') throw new UsageError(`--runtime must be aot or wasm3, not '${runtime}'`);
    const bar = opts.json ? null : progressBar(devices);
    const { report, host } = await runFleet({
      board,
      devices,
      seed: (opts.seed as string | undefined) ?? '1',
      server: remote ?? (server as ServerKind),
      psk,
      keys,
      entropy: entropy as Entropy | undefined,
      app,
      appOptions,
      kx: kx as KxMode,
      ...(runtime ? { runtime: runtime as 'aot' | 'wasm3' } : {}),
      rampMs: numberOption(opts, 'ramp', 0, 3_600_000, 1000),
      selftest: !!opts.selftest,
      maxTimeMs: numberOption(opts, 'max-time', 1, 86_400_000, 600_000),
      idleTimeoutMs: numberOption(opts, 'idle-timeout', 0, 86_400_000, 0),
      link: {
        loss: numberOption(opts, 'loss', 0, 90, 0, '%') / 100,
        latencyMs: numberOption(opts, 'latency', 0, 60_000, 20),
        jitterMs: numberOption(opts, 'jitter', 0, 60_000, 0),
        bandwidthBps: numberOption(opts, 'bandwidth', 1, 10_000_000, 1000) * 1000,
        mtu: intOption(opts, 'mtu', 68, 65535, 1500)!,
      },
      workers: intOption(opts, 'workers', 1, 64, 1)!,
      onProgress: (done, total, now) => bar?.update(done, now),
    });
    if (bar) {
      bar.update(devices, report.simulatedMs);
      bar.end();
    }
    if (opts.json) console.log(JSON.stringify({ report, host }, null, 2));
    else console.log(formatSummary(report, host));
    return report.failed === 0 ? EXIT_OK : EXIT_FAILURE;
  });
}
