// tls.Server: a net.Server whose connections become server-side TLSSockets.
// Events as node:tls: 'connection' (the raw socket), 'keylog' (line, socket),
// 'secureConnection' (socket), 'tlsClientError' (err, socket) for anything
// that goes wrong before the handshake completes, including the timeout.
import net from 'node:net';
import { TLSSocket, type TLSSocketOptions } from './tls-socket.ts';
import { createSecureContext, SecureContext } from './secure-context.ts';
import { nodeError, unsupportedOption } from './errors.ts';

export interface ServerOptions extends TLSSocketOptions {
  handshakeTimeout?: number;
  pauseOnConnect?: boolean;
}

export class Server extends net.Server {
  private secureContext: SecureContext;
  private readonly tlsOptions: ServerOptions;
  private readonly handshakeTimeout: number;

  constructor(options?: ServerOptions | ((s: TLSSocket) => void), listener?: (s: TLSSocket) => void) {
    if (typeof options === 'function') {
      listener = options;
      options = {};
    }
    const opts: ServerOptions = { ...(options ?? {}) };
    if (opts.ALPNCallback && opts.ALPNProtocols) {
      throw nodeError('ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS', 'The ALPNCallback and ALPNProtocols TLS options are mutually exclusive', TypeError);
    }
    const secureContext = opts.secureContext ?? createSecureContext(opts as Record<string, unknown>);
    super({ allowHalfOpen: opts.allowHalfOpen, pauseOnConnect: opts.pauseOnConnect });
    this.tlsOptions = opts;
    this.secureContext = secureContext;
    this.handshakeTimeout = opts.handshakeTimeout ?? 120000;
    this.on('connection', (socket: net.Socket) => this.onConnection(socket));
    if (listener) this.on('secureConnection', listener);
  }

  private onConnection(raw: net.Socket): void {
    const socket = new TLSSocket(raw, {
      ...this.tlsOptions,
      isServer: true,
      server: this,
      secureContext: this.secureContext,
    });
    let timer: NodeJS.Timeout | undefined;
    if (this.handshakeTimeout > 0) {
      timer = setTimeout(() => {
        socket.destroy(nodeError('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'));
      }, this.handshakeTimeout);
      timer.unref?.();
    }
    socket.once('secure', () => {
      clearTimeout(timer);
      this.emit('secureConnection', socket);
    });
    socket.once('close', () => clearTimeout(timer));
    socket._start();
  }

  /** Replaces the options new connections use (existing ones keep theirs). */
  setSecureContext(options: Record<string, unknown>): void {
    this.secureContext = createSecureContext(options);
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

export function createServer(options?: ServerOptions | ((s: TLSSocket) => void), listener?: (s: TLSSocket) => void): Server {
  return new Server(options, listener);
}
