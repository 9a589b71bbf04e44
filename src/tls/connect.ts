// tls.connect() in its three forms:
//   connect(options[, callback])
//   connect(path[, options][, callback])
//   connect(port[, host][, options][, callback])
// As node:tls: a new net.Socket unless `socket` is given, 'secureConnect'
// gets the callback, and SNI is sent only when `servername` is set.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket, type TLSSocketOptions } from './tls-socket.ts';

export interface ConnectionOptions extends TLSSocketOptions {
  host?: string;
  port?: number;
  path?: string;
  socket?: Duplex;
  timeout?: number;
}

function normalize(args: unknown[]): { options: ConnectionOptions; cb?: () => void } {
  let cb: (() => void) | undefined;
  if (typeof args[args.length - 1] === 'function') cb = args.pop() as () => void;
  let options: ConnectionOptions = {};
  if (typeof args[0] === 'object' && args[0] !== null) {
    options = { ...(args[0] as ConnectionOptions) };
  } else if (typeof args[0] === 'string' && isNaN(Number(args[0]))) {
    options = { ...((args[1] as ConnectionOptions) ?? {}), path: args[0] };
  } else {
    const port = Number(args[0]);
    let host: string | undefined;
    let rest: ConnectionOptions = {};
    if (typeof args[1] === 'string') {
      host = args[1];
      rest = (args[2] as ConnectionOptions) ?? {};
    } else if (typeof args[1] === 'object' && args[1] !== null) {
      rest = args[1] as ConnectionOptions;
    }
    options = { ...rest, port, host: host ?? rest.host };
  }
  return { options, cb };
}

export function connect(...args: unknown[]): TLSSocket {
  return connectWith({}, args);
}

/**
 * tls.connect with options of tlsrt's own underneath the caller's — how a
 * simulated board (src/sim/board.ts) hands its engine and scheduler to the
 * same application code that runs on a real one.
 */
export function connectWith(defaults: Partial<ConnectionOptions>, args: unknown[]): TLSSocket {
  const normalized = normalize(args);
  const options: ConnectionOptions = { ...defaults, ...normalized.options };
  const cb = normalized.cb;
  const socket = new TLSSocket(options.socket, { ...options, isServer: false });
  if (cb) socket.once('secureConnect', cb);
  if (options.timeout) socket.setTimeout(options.timeout);
  if (options.socket) {
    const s = options.socket as net.Socket;
    // An existing transport: start now, or once it connects.
    if (s.connecting) s.once('connect', () => socket._start());
    else process.nextTick(() => socket._start());
  } else if (options.path !== undefined) {
    socket.connect({ path: options.path });
  } else {
    socket.connect({ port: options.port, host: options.host ?? 'localhost', localAddress: options.localAddress, family: options.family });
  }
  return socket;
}
