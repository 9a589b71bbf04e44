// Scenario scripts for the API tests: the same script runs with node:tls or
// tlsrt as the server library and as the client library, and writes down the
// events both ends saw, in order. The recording is normalised only where the
// two libraries may legitimately differ without an application noticing:
// consecutive 'data' events merge (record boundaries are not an API), and
// 'session' is not recorded (tlsrt sends no NewSessionTicket, see parity.test.ts).
import net from 'node:net';
import nodeTls from 'node:tls';
import { randomBytes } from 'node:crypto';
import * as tlsrt from '../../src/index.ts';
import { waitFor } from './peers.ts';

export const PSK = randomBytes(32);
export const ID = 'device-0001';
export type LibName = 'node' | 'tlsrt';
// Both libraries are used through the same node:tls-typed surface.
export const LIBS: Record<LibName, typeof nodeTls> = { node: nodeTls, tlsrt: tlsrt as unknown as typeof nodeTls };

export interface Scenario {
  name: string;
  server?: nodeTls.TlsOptions & { handshakeTimeout?: number };
  client?: nodeTls.ConnectionOptions;
  /** Instead of a TLS client, a raw TCP client that does this with its socket. */
  raw?: (s: net.Socket) => void;
  /** Instead of a TLS server, a raw TCP server that does this with each connection. */
  rawServer?: (s: net.Socket) => void;
  /** What the client sends once connected (the server echoes, then the client ends). */
  send?: string;
}

export interface Run {
  client: string[];
  server: string[];
  /** Data the client got back. */
  echoed: string;
}

const withCode = (name: string, e: Error & { code?: string }) => `${name}:${e.code ?? e.message}`;

/** Recordings whose run has ended: an event noted into one of them is an event the comparison missed. */
const ended = new WeakSet<string[]>();

/** Pushes `ev` unless it is 'data' after 'data'. */
function note(list: string[], ev: string): void {
  // Thrown from an event listener, this fails the test loudly rather than letting a late event go unseen.
  if (ended.has(list)) throw new Error(`scenario: '${ev}' emitted after the run had ended (both ends and the server closed)`);
  if (ev === 'data' && list[list.length - 1] === 'data') return;
  list.push(ev);
}

/** Records the events of a TLS socket (either library) into `list`. */
export function recordSocket(s: nodeTls.TLSSocket, list: string[], client: boolean): void {
  if (client) {
    s.on('connect', () => note(list, 'connect'));
    s.on('secureConnect', () => note(list, 'secureConnect'));
    s.on('keylog', () => note(list, 'keylog'));
  }
  s.on('data', () => note(list, 'data'));
  s.on('end', () => note(list, 'end'));
  s.on('close', () => note(list, 'close'));
  s.on('error', (e) => note(list, withCode('error', e)));
}

export function pskClient(psk: Buffer = PSK, identity = ID) {
  return () => ({ psk, identity });
}

export function pskServer(psk: Buffer = PSK) {
  return (_s: unknown, id: string) => (id === ID ? psk : null);
}

/** Runs `sc` with `srvLib` serving and `cliLib` (or the raw script) connecting; resolves once both ends closed. */
export async function runScenario(sc: Scenario, srvLib: LibName, cliLib: LibName): Promise<Run> {
  const server: string[] = [];
  const client: string[] = [];
  let echoed = '';
  let serverClosed = 0;
  let serverSockets = 0;
  const srv = sc.rawServer ? rawServer(sc.rawServer, server, () => serverClosed++) : LIBS[srvLib].createServer({ pskCallback: pskServer(), ...sc.server } as nodeTls.TlsOptions, (s) => {
    note(server, 'secureConnection');
    serverSockets++;
    recordSocket(s, server, false);
    s.on('close', () => serverClosed++);
    s.pipe(s);
  });
  srv.on('connection', (raw: net.Socket) => {
    if (sc.rawServer) return;
    note(server, 'connection');
    raw.on('close', () => serverClosed++);
  });
  srv.on('keylog', () => note(server, 'keylog'));
  // As applications do: drop the connection that failed. node:tls does not
  // destroy it on a handshake timeout by itself (see parity.test.ts).
  srv.on('tlsClientError', (e, s) => {
    note(server, withCode('tlsClientError', e));
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  let clientClosed = false;
  let serverOpen = true;
  try {
    if (sc.raw) {
      const raw = net.connect(port, '127.0.0.1');
      raw.on('error', (e) => note(client, withCode('error', e)));
      raw.on('end', () => note(client, 'end'));
      raw.on('close', () => {
        note(client, 'close');
        clientClosed = true;
      });
      raw.once('connect', () => sc.raw!(raw));
    } else {
      const c = LIBS[cliLib].connect({
        port, host: '127.0.0.1', pskCallback: pskClient(), checkServerIdentity: () => undefined, ...sc.client,
      });
      recordSocket(c, client, true);
      c.setEncoding('utf8');
      c.on('data', (d: string) => {
        echoed += d;
        if (echoed.length >= (sc.send ?? '').length) c.end();
      });
      c.on('close', () => (clientClosed = true));
      c.on('secureConnect', () => c.write(sc.send ?? ''));
    }
    // Every socket the server saw (raw + TLS) closed, and the client closed.
    await waitFor(() => clientClosed && serverClosed >= 1 + serverSockets, `${sc.name} (${srvLib} server, ${cliLib} client) to finish`);
    // 'close' is the last event a socket emits, and the server-level events
    // (tlsClientError, keylog) concern a socket that has not closed yet. The
    // run ends when the listening server has closed too ('close' once its
    // last connection is gone); anything noted after that throws (see note()).
    serverOpen = false;
    await new Promise<void>((r) => srv.close(() => r()));
    ended.add(client);
    ended.add(server);
  } finally {
    if (serverOpen) srv.close();
  }
  return { client, server, echoed };
}

/** A net server running `script` on each connection, recording what the raw socket sees. */
function rawServer(script: (s: net.Socket) => void, list: string[], closed: () => void): nodeTls.Server {
  const srv = net.createServer((s) => {
    note(list, 'connection');
    s.on('end', () => note(list, 'end'));
    s.on('error', (e) => note(list, withCode('error', e)));
    s.on('close', () => {
      note(list, 'close');
      closed();
    });
    script(s);
  });
  return srv as unknown as nodeTls.Server;
}

export interface SecurePair {
  client: nodeTls.TLSSocket;
  server: nodeTls.TLSSocket;
  srv: nodeTls.Server;
  port: number;
  close(): void;
}

/** A connected, handshaken pair: `srvLib` serves with `serverOpts`, `cliLib` connects with `clientOpts`. */
export async function securePair(
  srvLib: LibName, cliLib: LibName, serverOpts: Record<string, unknown> = {}, clientOpts: Record<string, unknown> = {},
): Promise<SecurePair> {
  const srv = LIBS[srvLib].createServer({ pskCallback: pskServer(), ...serverOpts } as nodeTls.TlsOptions);
  const serverSide = new Promise<nodeTls.TLSSocket>((resolve, reject) => {
    srv.once('secureConnection', resolve);
    srv.once('tlsClientError', reject);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const client = LIBS[cliLib].connect({
    port, host: '127.0.0.1', pskCallback: pskClient(), checkServerIdentity: () => undefined, ...clientOpts,
  } as nodeTls.ConnectionOptions);
  const clientSide = new Promise<void>((resolve, reject) => {
    client.once('secureConnect', resolve);
    client.once('error', reject);
  });
  let server: nodeTls.TLSSocket;
  try {
    [server] = await Promise.all([serverSide, clientSide]);
  } catch (err) {
    // A failed handshake must fail the test, not keep the process alive on a listening server.
    client.destroy();
    srv.close();
    throw err;
  }
  return {
    client, server, srv, port,
    close() {
      client.destroy();
      server.destroy();
      srv.close();
    },
  };
}

/** Resolves with the first `n` bytes `s` delivers. */
export function readBytes(s: NodeJS.ReadableStream, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer | string) => {
      const b = Buffer.from(d);
      chunks.push(b);
      got += b.length;
      if (got >= n) {
        s.removeListener('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    s.on('data', onData);
    s.once('error', reject);
  });
}
