// The servers a fleet's boards talk to (src/sim/fleet.ts): a server in this
// process — node:tls (OpenSSL) or tlsrt's own — that accepts a Link's far
// end as if it were a TCP connection and hands each TLS connection to the
// device app's peer (the echo server, an MQTT broker: src/sim/app.ts), or a
// bridge from each Link to a real TCP connection to a server elsewhere.
import tls from 'node:tls';
import net from 'node:net';
import { constants } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { LinkEndpoint } from './link.ts';
import { createServer as createTlsrtServer, type TimerFn } from '../tls/server.ts';

export type ServerKind = 'node' | 'tlsrt';

/** A server outside this process. */
export interface RemoteServer {
  host: string;
  port: number;
}

export interface Acceptor {
  accept(s: LinkEndpoint): void;
  close(): Promise<void> | void;
  /** Why the connection to a remote server failed, if it did (the board itself only sees a reset). */
  errorFor?(s: LinkEndpoint): Error | undefined;
}

/**
 * Joins a Link's server-side endpoint to a real TCP connection to `remote`,
 * carrying what a TCP path carries: every byte the server sent travels the
 * simulated link before the connection's end does; the server's FIN arrives
 * as a FIN (after its data) and its RST — or a refused or broken connection —
 * as an RST after the data already received; the device's FIN and RST go
 * upstream as a FIN (`end`) and an RST (`resetAndDestroy`).
 */
export function remoteServer(remote: RemoteServer): Acceptor {
  const sockets = new Set<net.Socket>();
  const upstream = new WeakMap<LinkEndpoint, Error>();
  return {
    errorFor: (end) => upstream.get(end),
    accept(end) {
      const sock = net.connect(remote.port, remote.host);
      sockets.add(sock);
      sock.setNoDelay(true);
      end.pipe(sock); // the device's FIN ends sock after its bytes
      sock.pipe(end); // the server's FIN ends the link after its bytes
      let deviceReset = false;
      sock.on('error', (err) => {
        if (!upstream.has(end)) upstream.set(end, err);
        end.resetAfterWritten();
      });
      end.on('error', () => {
        deviceReset = true;
        if (!sock.destroyed) sock.resetAndDestroy();
      });
      end.on('close', () => {
        // A link closed without an error, e.g. cleanly both ways: a FIN if sock still needs one.
        if (!deviceReset && !sock.destroyed) sock.end();
      });
      sock.on('close', () => {
        sockets.delete(sock);
        // Anything the device still writes now would meet a closed socket: a kernel answers it with an RST.
        end.unpipe(sock);
        end.on('data', () => end.resetAfterWritten());
      });
    },
    close() {
      for (const s of sockets) s.destroy();
    },
  };
}

/** A server of `kind` in this process whose connections (TLS terminated) go to `onConnection`. */
export function inProcessServer(
  kind: ServerKind,
  suites: string[],
  keys: Map<string, Buffer>,
  onConnection: (s: Duplex) => void,
  timer: TimerFn,
  close: () => Promise<void> | void = () => {},
): Acceptor {
  const pskCallback = (_s: unknown, id: string) => keys.get(id) ?? null;
  const server =
    kind === 'node'
      ? // node:tls's handshake timer runs in real time, which a virtual fleet does not follow: off.
        tls.createServer({ pskCallback, ciphers: suites.join(':'), secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX, handshakeTimeout: -1 }, onConnection)
      : createTlsrtServer({ pskCallback, ciphers: suites.join(':'), pskKeyExchangeModes: ['psk_ke', 'psk_dhe_ke'], timer }, onConnection);
  server.on('tlsClientError', () => {});
  return {
    accept: (s) => server.emit('connection', s),
    close: async () => {
      server.close();
      await close();
    },
  };
}

/** A failed device whose remote TCP connection failed: that is the reason (ECONNREFUSED, ...), not the reset it caused. */
export function upstreamError(server: Acceptor, end: LinkEndpoint, deviceOk: boolean): string | undefined {
  const e = deviceOk ? undefined : (server.errorFor?.(end) as (Error & { code?: string }) | undefined);
  return e ? `${e.code ?? 'ERROR'}: ${e.message} (the connection to the server)` : undefined;
}
