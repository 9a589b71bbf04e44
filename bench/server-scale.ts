// `npm run bench` (last part): how a server scales with many connections,
// tlsrt against node:tls on 127.0.0.1, each server in a child process of its
// own (bench/server-scale-server.ts) so its memory is measured alone:
//   idle:  IDLE (10,000) TCP connections that never send a byte
//   half:  HALF (5,000) concurrent handshakes that stop halfway — the client
//          sends its ClientHello, receives the server's flight, never answers
//   flood: one client that never reads sends FLOOD (300,000) KeyUpdates with
//          update_requested (a byte of data after each): the server's RSS
//          growth until it stops reading or has answered them all
// For each: the time until the server has them all (accepted; flights
// received), the server's memory (RSS, and JS heap + external incl. wasm
// memories) before, at the peak, and after every connection closed.
//
// Each phase runs ROUNDS (3) times, node:tls and tlsrt alternating, each in
// a fresh server process; the table shows the median round (by time) of
// each, and the ratios compare medians — the machine is shared, and one
// round's time can be off by 2x.
//
// RSS in the flood row is noisy for tlsrt: the host allocates per record,
// and V8 grows its young generation (up to 16 MiB semi-spaces) under that
// rate and keeps the pages — the live heap grows by ~0.5 MB. To see what is
// held rather than what the collector keeps, run with
// SCALE_NODE_FLAGS=--max-semi-space-size=1 (passed to both server children).
//
// File descriptors: this process holds IDLE client sockets at once and each
// server child as many, so `ulimit -n` must exceed IDLE + ~100. The bench
// checks it and shrinks IDLE/HALF to fit (saying so) rather than fail.
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { execSync } from 'node:child_process';
import { Engine } from '../src/engine/engine.ts';
import { hostileClient } from '../test/helpers/hostile-client.ts';

type Impl = 'node:tls' | 'tlsrt';
interface Mem { rss: number; heap: number; external: number; arrayBuffers: number; engines: number }

const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 1024;
const fit = (n: number) => Math.min(n, fdLimit - 200);
const WANT_IDLE = Number(process.env.SCALE_IDLE ?? 10_000);
const WANT_HALF = Number(process.env.SCALE_HALF ?? 5_000);
const IDLE = fit(WANT_IDLE);
const HALF = fit(WANT_HALF);
/** Connections being opened at once (the listen backlog is 4096; beyond it SYNs are retried after 1 s). */
const IN_FLIGHT = 256;
const ROUNDS = Math.max(1, Number(process.env.SCALE_ROUNDS ?? 3));
const FLOOD = Number(process.env.SCALE_FLOOD ?? 300_000);

class ServerProc {
  readonly child: ChildProcess;
  private waiters = new Map<string, (m: any) => void>();
  port = 0;
  constructor(impl: Impl) {
    this.child = fork(new URL('./server-scale-server.ts', import.meta.url).pathname, [impl], {
      execArgv: ['--expose-gc', ...(process.env.SCALE_NODE_FLAGS ? process.env.SCALE_NODE_FLAGS.split(' ') : []), '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: { type: string }) => {
      const w = this.waiters.get(m.type);
      this.waiters.delete(m.type);
      w?.(m);
    });
  }
  next<T>(type: string): Promise<T> {
    return new Promise((r) => this.waiters.set(type, r));
  }
  async start(): Promise<void> {
    this.port = (await this.next<{ port: number }>('listening')).port;
  }
  async mem(): Promise<Mem> {
    const p = this.next<Mem>('mem');
    this.child.send({ cmd: 'mem' });
    return p;
  }
  async accepted(n: number): Promise<void> {
    const p = this.next('accepted');
    this.child.send({ cmd: 'expectAccepted', n });
    await p;
  }
  async closed(): Promise<void> {
    const p = this.next('closed');
    this.child.send({ cmd: 'expectClosed' });
    await p;
  }
  async bytesRead(): Promise<number> {
    const p = this.next<{ n: number }>('bytesRead');
    this.child.send({ cmd: 'bytesRead' });
    return (await p).n;
  }
  async stop(): Promise<void> {
    this.child.send({ cmd: 'exit' });
    await once(this.child, 'exit');
  }
}

/** Opens `n` connections, at most IN_FLIGHT connecting at once; `onOpen` may write to each. */
async function openMany(port: number, n: number, onOpen?: (s: net.Socket, done: () => void) => void): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  let started = 0;
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    const one = () => {
      const s = net.connect(port, '127.0.0.1');
      sockets.push(s);
      s.on('error', reject);
      s.once('connect', () => {
        const done = () => {
          finished++;
          if (finished === n) resolve();
          else if (started < n) {
            started++;
            one();
          }
        };
        if (onOpen) onOpen(s, done);
        else done();
      });
    };
    for (; started < Math.min(n, IN_FLIGHT); started++) one();
  });
  return sockets;
}

/** A ClientHello for identity 'bench' (psk_dhe_ke, AES-128-GCM), the same bytes for every half-done client. */
function clientHello(): Buffer {
  const e = new Engine({ slots: 1 });
  const c = e.open('client', { pskIdentity: Buffer.from('bench'), psk: Buffer.alloc(32, 7), suites: ['TLS_AES_128_GCM_SHA256'] });
  const hello = Buffer.from(c.takeOutput()!);
  c.close();
  return hello;
}

interface Result { ms: number; before: Mem; peak: Mem; after: Mem }

async function phase(impl: Impl, what: 'idle' | 'half', n: number, hello: Buffer): Promise<Result> {
  const srv = new ServerProc(impl);
  await srv.start();
  const before = await srv.mem();
  const t0 = performance.now();
  let sockets: net.Socket[];
  if (what === 'idle') {
    sockets = await openMany(srv.port, n);
    await srv.accepted(n);
  } else {
    // Done for a client once an encrypted record (the server's EncryptedExtensions/Finished) has arrived.
    sockets = await openMany(srv.port, n, (s, done) => {
      let seen = Buffer.alloc(0);
      let over = false;
      s.on('data', (d: Buffer) => {
        if (over) return;
        seen = Buffer.concat([seen, d]);
        for (let i = 0; i + 5 <= seen.length; i += 5 + seen.readUInt16BE(i + 3)) {
          if (seen[i] === 23) {
            over = true;
            done();
            return;
          }
        }
      });
      s.write(hello);
    });
  }
  const ms = performance.now() - t0;
  const peak = await srv.mem();
  for (const s of sockets) s.destroy();
  await srv.closed();
  const after = await srv.mem();
  await srv.stop();
  return { ms, before, peak, after };
}

/** The KeyUpdate flood: server RSS after the handshake and once it has stopped reading (or read everything). */
async function flood(impl: Impl): Promise<{ before: Mem; peak: Mem; read: number; sent: number }> {
  const srv = new ServerProc(impl);
  await srv.start();
  const c = await hostileClient(srv.port, Buffer.alloc(32, 7), 'bench');
  c.socket.pause();
  const before = await srv.mem();
  let sent = 0;
  for (let i = 0; i < FLOOD; i++) {
    c.conn.keyUpdate(true);
    sent += c.flushEngine();
    c.conn.writeApp(Buffer.from('k'));
    sent += c.flushEngine();
  }
  // Until the server has read everything, or has read nothing more for 1 s.
  let read = -1;
  for (let still = 0; still < 10; ) {
    await new Promise((r) => setTimeout(r, 100));
    const n = await srv.bytesRead();
    still = n === read ? still + 1 : 0;
    read = n;
    if (read >= sent) break;
  }
  const peak = await srv.mem();
  c.close();
  await srv.stop();
  return { before, peak, read, sent };
}

const kb = (b: number) => (b / 1024).toFixed(1);
const mb = (b: number) => (b / 1048576).toFixed(1);
const heapPlus = (m: Mem) => m.heap + m.external;

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (IDLE < WANT_IDLE || HALF < WANT_HALF) console.log(`(ulimit -n is ${fdLimit}: running ${IDLE} idle / ${HALF} half-done connections; raise it for the full run)`);
  const hello = clientHello();
  console.log(`\nserver scale (each server in its own process, clients in this one, 127.0.0.1; median of ${ROUNDS} rounds)`);
  console.log(`${'phase'.padEnd(30)} ${'impl'.padEnd(9)} ${'time ms'.padStart(8)} ${'RSS before/peak/after MB'.padStart(26)} ${'RSS/conn KB'.padStart(12)} ${'heap+ext/conn KB'.padStart(17)}`);
  const ratios: string[] = [];
  for (const [what, n] of [['idle', IDLE], ['half', HALF]] as const) {
    const runs: Record<Impl, Result[]> = { 'node:tls': [], tlsrt: [] };
    for (let r = 0; r < ROUNDS; r++) for (const impl of ['node:tls', 'tlsrt'] as Impl[]) runs[impl].push(await phase(impl, what, n, hello));
    const rssPer = (r: Result) => (r.peak.rss - r.before.rss) / n;
    const heapPer = (r: Result) => (heapPlus(r.peak) - heapPlus(r.before)) / n;
    const med: Partial<Record<Impl, { ms: number; rss: number; heap: number }>> = {};
    for (const impl of ['node:tls', 'tlsrt'] as Impl[]) {
      const rs = runs[impl];
      med[impl] = { ms: median(rs.map((r) => r.ms)), rss: median(rs.map(rssPer)), heap: median(rs.map(heapPer)) };
      const r = [...rs].sort((x, y) => x.ms - y.ms)[Math.floor(rs.length / 2)];
      const name = what === 'idle' ? `${n} idle connections` : `${n} half-done handshakes`;
      console.log(
        `${name.padEnd(30)} ${impl.padEnd(9)} ${r.ms.toFixed(0).padStart(8)} ${`${mb(r.before.rss)} / ${mb(r.peak.rss)} / ${mb(r.after.rss)}`.padStart(26)} ${kb(rssPer(r)).padStart(12)} ${kb(heapPer(r)).padStart(17)}` +
          (impl === 'tlsrt' ? `   engines at peak ${r.peak.engines}, after ${r.after.engines}` : ''),
      );
    }
    const a = med.tlsrt!;
    const b = med['node:tls']!;
    ratios.push(`${what === 'idle' ? 'idle' : 'half-done'}: time ${(a.ms / b.ms).toFixed(2)}x, RSS/connection ${(a.rss / b.rss).toFixed(2)}x`);
  }
  const fl: Partial<Record<Impl, number>> = {};
  for (const impl of ['node:tls', 'tlsrt'] as Impl[]) {
    const f = await flood(impl);
    fl[impl] = f.peak.rss - f.before.rss;
    console.log(`${`KeyUpdate flood x${FLOOD}`.padEnd(30)} ${impl.padEnd(9)} ${''.padStart(8)} ${`${mb(f.before.rss)} / ${mb(f.peak.rss)}`.padStart(26)}   heap+ext ${mb(heapPlus(f.before))} -> ${mb(heapPlus(f.peak))} MB; server read ${f.read} of ${f.sent} bytes`);
  }
  ratios.push(`flood: RSS growth ${mb(fl.tlsrt!)} MB vs ${mb(fl['node:tls']!)} MB`);
  console.log(`tlsrt/node:tls  ${ratios.join('  ·  ')}`);
  console.log('(heap+ext counts JS objects and wasm memories, not OpenSSL\'s malloc: compare RSS)');
}

await main();
