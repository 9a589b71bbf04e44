// tls.connect() in its three forms:
//   connect(options[, callback])
//   connect(path[, options][, callback])
//   connect(port[, host][, options][, callback])
// As node:tls: a new net.Socket unless `socket` is given, 'secureConnect'
// gets the callback, and SNI is sent only when `servername` is set.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { checkServerIdentity } from 'node:tls';
import { TLSSocket, type TLSSocketOptions } from './tls-socket.ts';
import { nodeError } from './errors.ts';

export interface ConnectionOptions extends TLSSocketOptions {
  host?: string;
  port?: number;
  path?: string;
  socket?: Duplex;
  timeout?: number;
  checkServerIdentity?: typeof checkServerIdentity;
  minDHSize?: number;
}

/**
 * node:tls's normalizeConnectArgs(): net's argument forms (options | path |
 * port[, host]), a trailing callback, and the TLS options object of the
 * port/host forms merged in (so options.host wins over a host argument).
 */
function normalize(args: unknown[]): { options: ConnectionOptions; cb?: () => void } {
  let options: ConnectionOptions = {};
  const a0 = args[0];
  if (args.length > 0) {
    if (typeof a0 === 'object' && a0 !== null) {
      options = a0 as ConnectionOptions;
    } else if (typeof a0 === 'string' && !(Number(a0) >= 0)) {
      options.path = a0;
    } else {
      options.port = a0 as number;
      if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
    }
  }
  const last = args[args.length - 1];
  const cb = typeof last === 'function' ? (last as () => void) : undefined;
  if (args[1] !== null && typeof args[1] === 'object') Object.assign(options, args[1]);
  else if (args[2] !== null && typeof args[2] === 'object') Object.assign(options, args[2]);
  return { options: { ...options }, cb };
}

/** node:tls asserts these (ERR_INTERNAL_ASSERTION) before it builds anything. */
function assertConnectOptions(o: ConnectionOptions): void {
  const fail = (msg: string) => nodeError('ERR_INTERNAL_ASSERTION', msg);
  if (typeof o.checkServerIdentity !== 'function') throw fail('options.checkServerIdentity must be a function');
  if (typeof o.minDHSize !== 'number') throw fail(`options.minDHSize is not a number: ${String(o.minDHSize)}`);
  if (!(o.minDHSize > 0)) throw fail(`options.minDHSize is not a positive number: ${o.minDHSize}`);
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
  const options: ConnectionOptions = {
    // node:tls's defaults. A TLS 1.3 PSK connection counts as resumed, so
    // node:tls never calls checkServerIdentity for one; a TLS 1.2 PSK one does
    // not, and gets it called with an empty certificate (in tlsrt too, see
    // TLSSocket#serverIdentityChecked). It is checked to be a function, as node does.
    rejectUnauthorized: true,
    checkServerIdentity,
    minDHSize: 1024,
    ...defaults,
    ...normalized.options,
  };
  assertConnectOptions(options);
  const cb = normalized.cb;
  const socket = new TLSSocket(options.socket, { ...options, isServer: false });
  if (cb) socket.once('secureConnect', cb);
  // As node:tls: a name that is not a string is the setServername() error.
  if (options.servername) socket.setServername(options.servername);
  if (options.socket) {
    const s = options.socket as net.Socket;
    // An existing transport: the application manages it (node:tls sets no
    // timeout on it). Start now, or once it connects.
    if (s.connecting) s.once('connect', () => socket._start());
    else process.nextTick(() => socket._start());
  } else {
    if (options.timeout) socket.setTimeout(options.timeout);
    // Every net option (lookup, hints, family, localPort, autoSelectFamily,
    // ...) reaches net.Socket#connect, which validates them as for node:tls.
    socket.connect(options);
  }
  return socket;
}
