// Helpers for the interop tests against real peers (node:tls and the openssl
// CLI): an engine Conn driven over a TCP socket with its records sniffed in
// both directions, child processes that are always killed, and waits that
// fail with a message instead of hanging.
import net from 'node:net';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { Conn, type EngineEvent } from '../../src/engine/engine.ts';
import { overSocket } from './engine.ts';

/** Polls `pred` until it holds; rejects after `ms` (a hang guard, never a timing assertion). */
export function waitFor(pred: () => boolean, what: string, ms = 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred()) return resolve();
    const started = Date.now();
    const iv = setInterval(() => {
      if (pred()) {
        clearInterval(iv);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(iv);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Whether something listens on 127.0.0.1:port, read from the kernel's socket
 * table: for a peer that announces nothing (s_server -brief prints no ACCEPT
 * line) and would take a probe connection for its one client (-naccept 1).
 */
export function listening(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => l.includes(` ${hex} `) && l.split(/\s+/)[4] === '0A');
}

/** Connects to 127.0.0.1:port, retrying while nothing listens yet (a child still starting). */
export async function connectRetry(port: number, ms = 10000): Promise<net.Socket> {
  const started = Date.now();
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', reject);
      });
    } catch (e) {
      if (Date.now() - started > ms) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** TLS records seen in one direction: content type and length of each, and the first record's body. */
export class RecordLog {
  readonly records: { type: number; length: number }[] = [];
  first?: Buffer;
  private buf = Buffer.alloc(0);

  push(d: Uint8Array): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 5) {
      const length = this.buf.readUInt16BE(3);
      if (this.buf.length < 5 + length) break;
      if (!this.first) this.first = Buffer.from(this.buf.subarray(5, 5 + length));
      this.records.push({ type: this.buf[0], length });
      this.buf = this.buf.subarray(5 + length);
    }
  }

  /** Longest application-data-carrying (type 23) record body. */
  maxProtected(): number {
    return Math.max(0, ...this.records.filter((r) => r.type === 23).map((r) => r.length));
  }
}

/** Extension types of a ServerHello (the first record a client receives, in plaintext). */
export function serverHelloExtensions(record: Buffer | undefined): number[] {
  if (!record || record[0] !== 2) throw new Error('first record is not a ServerHello');
  let i = 4 + 2 + 32; // header, legacy_version, random
  i += 1 + record[i]; // legacy_session_id_echo
  i += 2 + 1; // cipher_suite, legacy_compression_method
  const end = i + 2 + record.readUInt16BE(i);
  const types: number[] = [];
  for (i += 2; i + 4 <= end; i += 4 + record.readUInt16BE(i + 2)) types.push(record.readUInt16BE(i));
  return types;
}
export const EXT_KEY_SHARE = 0x33;

export interface EngineSocket {
  conn: Conn;
  socket: net.Socket;
  events: EngineEvent[];
  /** Records the engine received and sent. */
  inbound: RecordLog;
  outbound: RecordLog;
  received(): Buffer;
  receivedBytes(): number;
  /** Seals and sends all of `data` (after the handshake). */
  send(data: Uint8Array): void;
  /** close_notify, then FIN. */
  end(): void;
  /** Moves whatever the engine has (after a direct call such as conn.keyUpdate). */
  kick(): void;
  closed: Promise<void>;
  handshaken(): Promise<void>;
  failed(): Promise<void>;
  keylog(): string[];
}

/**
 * Drives `conn` over a connected socket. A server Conn answers its
 * clientHello event with `onHello`; `echo` sends every plaintext chunk back.
 */
export function driveConn(
  conn: Conn,
  socket: net.Socket,
  opts: { onHello?: (ev: EngineEvent & { kind: 'clientHello' }) => { psk?: Uint8Array | null; alpn?: string }; echo?: boolean; timeoutMs?: number } = {},
): EngineSocket {
  const events: EngineEvent[] = [];
  const chunks: Buffer[] = [];
  let total = 0;
  const inbound = new RecordLog();
  const outbound = new RecordLog();
  const write = socket.write.bind(socket) as (d: Uint8Array) => boolean;
  (socket as any).write = (d: Uint8Array) => {
    outbound.push(d);
    return write(d);
  };
  socket.on('data', (d: Buffer) => inbound.push(d));
  const echoQueue: Buffer[] = [];
  let echoScheduled = false;
  const { kick, closed } = overSocket(conn, socket, {
    timeoutMs: opts.timeoutMs ?? 30000,
    onEvent: (ev, c) => {
      events.push(ev);
      if (ev.kind === 'clientHello' && opts.onHello) c.helloReply(opts.onHello(ev));
    },
    onData: (d) => {
      chunks.push(d);
      total += d.length;
      if (opts.echo) {
        echoQueue.push(d);
        if (!echoScheduled) {
          echoScheduled = true;
          setImmediate(() => {
            echoScheduled = false;
            const all = Buffer.concat(echoQueue.splice(0));
            if (conn.state === 'open') es.send(all);
          });
        }
      }
    },
  });
  const es: EngineSocket = {
    conn,
    socket,
    events,
    inbound,
    outbound,
    received: () => Buffer.concat(chunks),
    receivedBytes: () => total,
    send(data) {
      let off = 0;
      while (off < data.length) {
        const n = conn.writeApp(data.subarray(off));
        off += n;
        kick();
        if (n === 0 && conn.state !== 'open') throw new Error(`send: connection ${conn.state} (${JSON.stringify(conn.failure)})`);
      }
    },
    end() {
      conn.shutdown();
      kick();
      socket.end();
    },
    kick,
    closed,
    handshaken: () => waitFor(() => events.some((e) => e.kind === 'handshake' || e.kind === 'error') || socket.destroyed, 'the engine handshake').then(() => {
      if (conn.state !== 'open') throw new Error(`handshake failed: ${conn.state} ${JSON.stringify(conn.failure)}`);
    }),
    failed: () => waitFor(() => conn.state === 'failed', 'the engine to fail'),
    keylog: () => events.flatMap((e) => (e.kind === 'keylog' ? [e.line.trim()] : [])),
  };
  kick();
  return es;
}

/** A child process whose output is collected; kill() ends it for good. */
export interface Peer {
  proc: ChildProcess;
  stdout(): Buffer;
  stderr(): string;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function spawnPeer(cmd: string, args: string[], ms = 30000): Peer {
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(proc);
  const out: Buffer[] = [];
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => out.push(d));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString('latin1')));
  proc.stdin!.on('error', () => {});
  const guard = setTimeout(() => proc.kill('SIGKILL'), ms);
  const exited = new Promise<number | null>((resolve) => {
    proc.on('close', (code) => { // after 'exit' and after stdout/stderr have been read to the end
      clearTimeout(guard);
      live.delete(proc);
      resolve(code);
    });
  });
  return {
    proc,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    exited,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * An OpenSSL SSL_SESSION in PEM (`openssl s_server/s_client -psk_session`):
 * version 1, TLS 1.3, the suite, an empty session id, the PSK as the master
 * key, the current time and a day's timeout. With it the CLI can use a PSK
 * bound to SHA-384, which `-psk` cannot (that one is fixed to SHA-256).
 */
export function pskSessionPem(psk: Uint8Array, suite: number): string {
  const tlv = (tag: number, v: Uint8Array) => Buffer.concat([Buffer.from([tag, v.length]), v]);
  const int = (n: number) => { // DER: minimal big-endian, a 0 byte before a set top bit
    const b: number[] = [];
    for (; n > 0; n = Math.floor(n / 256)) b.unshift(n % 256);
    if (b.length === 0 || b[0] & 0x80) b.unshift(0);
    return tlv(0x02, Uint8Array.from(b));
  };
  const der = tlv(0x30, Buffer.concat([
    tlv(0x02, Buffer.from([1])), tlv(0x02, Buffer.from([3, 4])), tlv(0x04, Buffer.from([suite >> 8, suite & 0xff])),
    tlv(0x04, Buffer.alloc(0)), tlv(0x04, psk), tlv(0xa1, int(Math.floor(Date.now() / 1000))), tlv(0xa2, int(86400)),
  ]));
  return `-----BEGIN SSL SESSION PARAMETERS-----\n${der.toString('base64')}\n-----END SSL SESSION PARAMETERS-----\n`;
}

/** NSS key-log lines of a file OpenSSL wrote (comments dropped), sorted. */
export function keylogSet(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).sort();
}

/** OpenSSL's key log (`file`, waited for) and the engine's carry the same five TLS 1.3 secrets. */
export async function assertSameKeylog(file: string, es: EngineSocket): Promise<void> {
  const mine = es.keylog().sort();
  assert.equal(mine.length, 5);
  await waitFor(() => existsSync(file) && keylogSet(readFileSync(file, 'utf8')).length >= 5, 'the OpenSSL key log');
  assert.deepEqual(keylogSet(readFileSync(file, 'utf8')), mine);
}

/** A test's end: closes the engine sockets, runs `extra` (a server's close), and waits for the peer processes to be gone. */
export async function cleanup(peers: (Peer | undefined)[], socks: (EngineSocket | undefined)[], extra?: () => void): Promise<void> {
  for (const s of socks) {
    s?.conn.close();
    s?.socket.destroy();
  }
  extra?.();
  await Promise.all(peers.map((p) => p?.kill()));
}
