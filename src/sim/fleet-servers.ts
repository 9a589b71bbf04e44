// The servers a fleet's boards talk to (src/sim/fleet.ts): an echo server in
// this process — node:tls (OpenSSL) or tlsrt's own — that accepts a Link's
// far end as if it were a TCP connection, or a bridge from each Link to a
// real TCP connection to a server elsewhere.
import tls from 'node:tls';
import net from 'node:net';
import { constants } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { LinkEndpoint } from './link.ts';
import type { EchoOutcome } from './echo-device.ts';
import { createServer as createTlsrtServer, type TimerFn } from '../tls/server.ts';

export type ServerKind = 'node' | 'tlsrt';

/** A server outside this process. */
export interface RemoteServer {
  host: string;
  port: number;
}

/** Joins a Link's server-side endpoint to a real TCP connection to `remote`. */
export function remoteServer(remote: RemoteServer): Acceptor {
  const sockets = new Set<net.Socket>();
  const upstream = new WeakMap<LinkEndpoint, Error>();
  return {
    errorFor: (end) => upstream.get(end),
    accept(end) {
      const sock = net.connect(remote.port, remote.host);
      sockets.add(sock);
      sock.setNoDelay(true);
      end.pipe(sock);
      sock.pipe(end);
      // A refused or broken TCP connection reaches the board as a reset.
      sock.on('error', (err) => {
        if (!upstream.has(end)) upstream.set(end, err);
        end.destroy();
      });
      end.on('error', () => sock.destroy());
      sock.on('close', () => {
        sockets.delete(sock);
        if (!end.destroyed && !end.readableEnded) end.destroy();
      });
    },
    close() {
      for (const s of sockets) s.destroy();
    },
  };
}

export interface Acceptor {
  accept(s: LinkEndpoint): void;
  close(): void;
  /** Why the connection to a remote server failed, if it did (the board itself only sees a reset). */
  errorFor?(s: LinkEndpoint): Error | undefined;
}

/** A server that echoes what each device sends; accepts Link endpoints as connections. */
export function echoServer(
  kind: ServerKind,
  suites: string[],
  keys: Map<string, Buffer>,
  mode: 'stream' | 'whole',
  messageBytes: number,
  timer: TimerFn,
): Acceptor {
  const pskCallback = (_s: unknown, id: string) => keys.get(id) ?? null;
  const echo = (s: Duplex) => {
    s.on('error', () => {}); // a device's failure is reported on the device side
    if (mode === 'stream') {
      s.pipe(s);
      return;
    }
    const got: Buffer[] = [];
    let n = 0;
    s.on('data', (d: Buffer) => {
      got.push(d);
      n += d.length;
      if (n === messageBytes) s.write(Buffer.concat(got));
    });
    s.on('end', () => s.end());
  };
  const server =
    kind === 'node'
      ? // node:tls's handshake timer runs in real time, which a virtual fleet does not follow: off.
        tls.createServer({ pskCallback, ciphers: suites.join(':'), secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX, handshakeTimeout: -1 }, echo)
      : createTlsrtServer({ pskCallback, ciphers: suites.join(':'), pskKeyExchangeModes: ['psk_ke', 'psk_dhe_ke'], timer }, echo);
  server.on('tlsClientError', () => {});
  return { accept: (s) => server.emit('connection', s), close: () => server.close() };
}

/** A failed device whose remote TCP connection failed: that is the reason (ECONNREFUSED, ...), not the reset it caused. */
export function upstreamError(server: Acceptor, end: LinkEndpoint, outcome: EchoOutcome): string | undefined {
  const e = outcome.ok ? undefined : (server.errorFor?.(end) as (Error & { code?: string }) | undefined);
  return e ? `${e.code ?? 'ERROR'}: ${e.message} (the connection to the server)` : undefined;
}

