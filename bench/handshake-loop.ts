// The measurement behind bench/handshake.ts: sequential TLS handshakes over
// loopback, each one complete on both ends (the client's 'secureConnect' and
// the server's 'secureConnection') and then closed on both ends before the
// next starts. Works for any server/client pair with the node:tls surface,
// so tlsrt and node:tls are measured by the same code.
import type { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';

/** The part of a TLS socket the loop uses (node:tls and tlsrt TLSSocket both have it). */
export interface TlsSocketLike extends EventEmitter {
  destroy(): void;
  destroyed: boolean;
  /** stream.Duplex#closed: 'close' has been emitted. */
  readonly closed: boolean;
  getEphemeralKeyInfo(): object | null;
  getCipher(): { standardName?: string; name: string } | null | undefined;
}

/** A listening tls.Server (either implementation). */
export interface TlsServerLike extends EventEmitter {
  address(): AddressInfo | string | null;
  close(cb?: () => void): unknown;
}

/** Hands out the server side of each connection, in order. */
export class ServerSide {
  private waiting: { resolve: (s: TlsSocketLike) => void; reject: (e: Error) => void }[] = [];

  constructor(readonly server: TlsServerLike) {
    server.on('secureConnection', (s: TlsSocketLike) => this.waiting.shift()?.resolve(s));
    server.on('tlsClientError', (e: Error) => this.waiting.shift()?.reject(e));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  next(): Promise<TlsSocketLike> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}

/** Destroys a socket and resolves once it has emitted 'close'. */
function closed(s: TlsSocketLike): Promise<void> {
  return new Promise((resolve) => {
    if (s.closed) return resolve();
    s.once('close', () => resolve());
    s.destroy();
  });
}

export interface Negotiated {
  suite: string;
  /** What the client saw: 'psk_dhe_ke' with an ephemeral key of any group, else 'psk_ke'. */
  kx: 'psk_ke' | 'psk_dhe_ke';
}

/** One complete handshake; returns what was negotiated. */
export async function handshake(server: ServerSide, connect: (port: number) => TlsSocketLike): Promise<Negotiated> {
  const serverSocket = server.next();
  const client = connect(server.port);
  client.on('error', () => {}); // reported through the 'secureConnect' race below
  await new Promise<void>((resolve, reject) => {
    client.once('secureConnect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before secureConnect')));
  });
  const s = await serverSocket;
  s.on('error', () => {});
  const kx = client.getEphemeralKeyInfo() as { name?: string } | null;
  const result: Negotiated = { suite: client.getCipher()?.standardName ?? '?', kx: kx && kx.name ? 'psk_dhe_ke' : 'psk_ke' };
  await Promise.all([closed(client), closed(s)]);
  return result;
}

export interface Pairing {
  server: ServerSide;
  connect: (port: number) => TlsSocketLike;
}

/** Handshakes, milliseconds and process CPU microseconds of sequential handshakes for at least `ms`. */
async function run(p: Pairing, ms: number): Promise<{ n: number; ms: number; cpuUs: number }> {
  let n = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let elapsed = 0;
  do {
    await handshake(p.server, p.connect);
    n++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < ms);
  const c = process.cpuUsage(c0);
  return { n, ms: elapsed, cpuUs: c.user + c.system };
}

/** Handshakes per second, and process CPU time per handshake (µs: less sensitive than wall time to a busy machine). */
export interface Rate {
  perSec: number;
  cpuUsPerHandshake: number;
}

/**
 * Handshakes per second of two pairings, measured in alternating rounds
 * (a, b, a, b ...) after `warmup` handshakes each, so that a change in the
 * machine's load during the run affects both alike.
 */
export async function compareRates(a: Pairing, b: Pairing, ms: number, rounds = 10, warmup = 200): Promise<[Rate, Rate]> {
  for (let i = 0; i < warmup; i++) {
    await handshake(a.server, a.connect);
    await handshake(b.server, b.connect);
  }
  const total = [{ n: 0, ms: 0, cpuUs: 0 }, { n: 0, ms: 0, cpuUs: 0 }];
  for (let r = 0; r < rounds; r++) {
    for (const [i, p] of [a, b].entries()) {
      const x = await run(p, ms / rounds);
      total[i].n += x.n;
      total[i].ms += x.ms;
      total[i].cpuUs += x.cpuUs;
    }
  }
  const rate = (t: (typeof total)[number]): Rate => ({ perSec: t.n / (t.ms / 1000), cpuUsPerHandshake: t.cpuUs / t.n });
  return [rate(total[0]), rate(total[1])];
}
