// tls.Server: a net.Server whose connections become server-side TLSSockets.
// Events as node:tls: 'connection' (the raw socket), 'keylog' (line, socket),
// 'secureConnection' (socket), 'tlsClientError' (err, socket) for anything
// that goes wrong before the handshake completes, including the timeout.
import net from 'node:net';
import { TLSSocket, kServerOwned, type TLSSocketOptions } from './tls-socket.ts';
import { createSecureContext, SecureContext } from './secure-context.ts';
import { nodeError, unsupportedOption } from './errors.ts';
import { invalidArgType, validateBoolean, validateFunction, validateNumber, validateObject, validateString } from './validators.ts';

/** Starts a timer and returns its cancel function (tlsrt: a simulated board passes its virtual clock's). */
export type TimerFn = (ms: number, fn: () => void) => () => void;

/**
 * The handshake deadlines of one server's connections under one timer. A
 * setTimeout per connection costs a timer list created and torn down for
 * every short handshake (the list of a duration goes when its last timer is
 * cleared); here a connection's deadline is an entry in a Map, and a single
 * unref'd timer wakes at the earliest deadline. All deadlines are `ms` after
 * their connection's start, so the Map's insertion order is deadline order.
 * A finished handshake just leaves the Map: the armed timer then fires once
 * for nothing and is not re-armed while nothing is pending.
 */
class HandshakeDeadlines {
  private readonly pending = new Map<TLSSocket, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ms: number, private readonly expire: (s: TLSSocket) => void) {}

  /** Starts `socket`'s deadline; returns its cancel function. */
  add(socket: TLSSocket): () => void {
    this.pending.set(socket, performance.now() + this.ms);
    if (this.timer === null) this.arm(this.ms);
    return () => {
      this.pending.delete(socket);
    };
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), ms);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const now = performance.now();
    for (const [socket, deadline] of this.pending) {
      if (deadline > now) {
        this.arm(Math.ceil(deadline - now));
        return;
      }
      this.pending.delete(socket);
      this.expire(socket);
    }
  }
}

export interface ServerOptions extends TLSSocketOptions {
  handshakeTimeout?: number;
  /** tlsrt: the timer behind handshakeTimeout (default: real time). */
  timer?: TimerFn;
  pauseOnConnect?: boolean;
}

export class Server extends net.Server {
  private secureContext: SecureContext;
  private readonly tlsOptions: ServerOptions;
  private readonly handshakeTimeout: number;
  /** The real-time handshake timers of this server's connections (unless options.timer replaces them). */
  private readonly handshakeTimers: HandshakeDeadlines;
  /** What every accepted socket is constructed with: made at the first connection, again after setSecureContext. */
  private socketOptions: TLSSocketOptions | null = null;

  constructor(options?: ServerOptions | ((s: TLSSocket) => void) | null, listener?: (s: TLSSocket) => void) {
    if (typeof options === 'function') {
      listener = options;
      options = {};
    } else if (options !== null && options !== undefined && typeof options !== 'object') {
      throw invalidArgType('options', 'of type object', options);
    }
    // Checked in node:tls's order, with its errors.
    const opts: ServerOptions = { ...(options ?? {}) };
    if (opts.ALPNCallback && opts.ALPNProtocols) {
      throw nodeError('ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS', 'The ALPNCallback and ALPNProtocols TLS options are mutually exclusive', TypeError);
    }
    const secureContext = opts.secureContext ?? createSecureContext(opts as Record<string, unknown>);
    // As node:tls: 0 (or any falsy value) means the 120 s default; a negative number disables it.
    const handshakeTimeout = opts.handshakeTimeout || 120000;
    validateNumber(handshakeTimeout, 'options.handshakeTimeout');
    if (opts.SNICallback) validateFunction(opts.SNICallback, 'options.SNICallback');
    if (opts.pskCallback) validateFunction(opts.pskCallback, 'options.pskCallback');
    if (opts.pskIdentityHint) validateString(opts.pskIdentityHint, 'options.pskIdentityHint');
    // node:tls validates ALPNCallback per connection (an uncaught exception at
    // the first client); tlsrt refuses it here, before any client is harmed.
    if (opts.ALPNCallback) validateFunction(opts.ALPNCallback, 'options.ALPNCallback');
    if (opts.enableTrace !== undefined && opts.enableTrace !== null) validateBoolean(opts.enableTrace, 'options.enableTrace');
    // Accepted TCP sockets stay half-open after the client's FIN; each TLSSocket
    // (with the application's allowHalfOpen) decides when its side ends. The
    // net.Server options node:tls passes on reach the accepted sockets too.
    super({
      allowHalfOpen: true,
      pauseOnConnect: opts.pauseOnConnect,
      noDelay: opts.noDelay as boolean | undefined,
      keepAlive: opts.keepAlive as boolean | undefined,
      keepAliveInitialDelay: opts.keepAliveInitialDelay as number | undefined,
    });
    this.tlsOptions = opts;
    this.secureContext = secureContext;
    this.handshakeTimeout = handshakeTimeout;
    this.handshakeTimers = new HandshakeDeadlines(handshakeTimeout, (socket) =>
      socket.destroy(nodeError('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout')));
    this.on('connection', (socket: net.Socket) => this.onConnection(socket));
    if (listener) this.on('secureConnection', listener);
  }

  private onConnection(raw: net.Socket): void {
    const socket = new TLSSocket(raw, this.socketOptions ??= {
      ...this.tlsOptions,
      isServer: true,
      server: this,
      secureContext: this.secureContext,
      [kServerOwned]: true,
    });
    let cancel: () => void;
    if (this.handshakeTimeout <= 0) cancel = () => {};
    else if (this.tlsOptions.timer) {
      cancel = this.tlsOptions.timer(this.handshakeTimeout, () => {
        socket.destroy(nodeError('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'));
      });
    } else cancel = this.handshakeTimers.add(socket);
    socket.once('secure', () => {
      cancel();
      this.emit('secureConnection', socket);
    });
    socket.once('close', () => cancel());
    // pauseOnConnect paused the TCP socket; node:tls reads it for the handshake
    // anyway and pauses the TLS socket instead (done in its constructor).
    if (this.tlsOptions.pauseOnConnect) raw.resume();
    socket._start();
  }

  /** Replaces the options new connections use (existing ones keep theirs). */
  setSecureContext(options: Record<string, unknown>): void {
    validateObject(options, 'options');
    this.secureContext = createSecureContext(options);
    // As node:tls: a pskCallback or pskIdentityHint given here replaces the server's.
    if (options.pskCallback) this.tlsOptions.pskCallback = options.pskCallback as ServerOptions['pskCallback'];
    if (options.pskIdentityHint) this.tlsOptions.pskIdentityHint = options.pskIdentityHint;
    this.socketOptions = null;
  }

  addContext(_hostname: string, _context: unknown): void {
    throw unsupportedOption('addContext', 'per-name contexts select certificates, which tlsrt does not support yet');
  }

  getTicketKeys(): Buffer {
    throw unsupportedOption('getTicketKeys', 'session tickets are not supported yet');
  }

  setTicketKeys(_keys: Buffer): void {
    throw unsupportedOption('setTicketKeys', 'session tickets are not supported yet');
  }
}

export function createServer(options?: ServerOptions | ((s: TLSSocket) => void) | null, listener?: (s: TLSSocket) => void): Server {
  return new Server(options, listener);
}
