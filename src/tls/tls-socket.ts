// tls.TLSSocket: a stream.Duplex with the net.Socket surface, driving one
// engine slot over a transport Duplex (a net.Socket normally, a simulated
// Link on a simulated board). The slot is a connection actor
// (src/runtime/conn-actor.ts): this class is its host — it posts network
// bytes and writes to the actor's mailboxes, and turns what the actor hands
// back (records, plaintext, events) into transport writes, stream pushes and
// node:tls events. Turns are run by a Scheduler (src/runtime/scheduler.ts),
// shared by all of a process's connections or owned by one simulated board.
import { Duplex } from 'node:stream';
import net from 'node:net';
import type { Conn, EngineEvent } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/config.ts';
import { openConn } from './engine-pool.ts';
import { ConnActor, type ConnHost } from '../runtime/conn-actor.ts';
import { defaultScheduler, type Scheduler } from '../runtime/scheduler.ts';
import { engineFailureError, nodeError, sslError, unsupportedOption, type TlsError } from './errors.ts';
import { SecureContext, kTlsrtOptions, createSecureContext } from './secure-context.ts';
import type { NormalizedOptions } from './options.ts';
import { Tracer } from './trace.ts';

export type ClientPskCallback = (hint: string | null) => { psk: ArrayBufferView; identity: string } | null;
export type ServerPskCallback = (socket: TLSSocket, identity: string) => ArrayBufferView | null | Promise<ArrayBufferView | null>;

export interface TLSSocketOptions {
  isServer?: boolean;
  server?: import('./server.ts').Server;
  secureContext?: SecureContext;
  pskCallback?: ClientPskCallback | ServerPskCallback;
  servername?: string;
  ALPNCallback?: (arg: { servername: string | false; protocols: string[] }) => string | undefined;
  SNICallback?: (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void) => void;
  enableTrace?: boolean;
  highWaterMark?: number;
  allowHalfOpen?: boolean;
  maxSendFragment?: number;
  /**
   * tlsrt: where the connection's slot comes from — an Engine (e.g. a
   * simulated Board's) instead of the process-wide pool. Its scheduler
   * should then be the board's too.
   */
  engine?: SlotSource;
  /** tlsrt: the actor scheduler that runs this connection's turns (default: the process-wide one). */
  scheduler?: Scheduler;
  [k: string]: unknown;
}

/** TLSSocket#getEngineInfo(): the slot's record facts. */
export interface EngineInfo {
  state: string;
  keyExchange: 'psk_ke' | 'psk_dhe_ke' | null;
  /** Protected records received and sent. */
  records: { in: number; out: number };
  /**
   * Largest record content this side may send, and the largest it accepts
   * now: 16384 (+1) unless the peer agreed to smaller records through
   * max_fragment_length (RFC 6066) or record_size_limit (RFC 8449).
   */
  sendRecordLimit: number;
  recvRecordLimit: number;
}

/** Anything that opens engine slots: an Engine, a simulated Board's engine. */
export interface SlotSource {
  open(role: 'client' | 'server', cfg: EngineConfig): Conn;
}

export class TLSSocket extends Duplex {
  readonly encrypted = true;
  authorized = false;
  authorizationError: Error | null = null;
  alpnProtocol: string | false | null = null;
  servername: string | false | null = null;
  /** The transport this TLS connection runs over (`socket` option, or the net.Socket tls.connect made). */
  readonly _transport: Duplex;
  _secureEstablished = false;

  private conn: Conn | null = null;
  private readonly isServer: boolean;
  private readonly opts: TLSSocketOptions;
  private readonly actor: ConnActor;
  private ending: ((err?: Error | null) => void) | null = null;
  private peerEnded = false;
  private tracer: Tracer | null = null;
  private traceRequested: boolean;
  private waitingForHost = false;
  private renegotiationDisabled = false; // TLS 1.3 has no renegotiation to disable; kept for the API
  /** The error of a client whose transport ended before the handshake completed. */
  private handshakeEndError: Error | null = null;

  constructor(socket: Duplex | undefined, options: TLSSocketOptions = {}) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      readableHighWaterMark: options.highWaterMark,
      writableHighWaterMark: options.highWaterMark,
    });
    this.opts = options;
    this.isServer = !!options.isServer;
    this.traceRequested = !!options.enableTrace;
    // Validate (and throw for unsupported options) now, as node:tls does.
    if (!options.secureContext) this.opts.secureContext = createSecureContext(options as Record<string, unknown>);
    // Half-open at the TCP level, as node:tls's own TCP handle is: after the
    // peer's FIN the TLS layer decides when to end (close_notify, then FIN),
    // so writes keep reaching a peer that only closed its sending side.
    this._transport = socket ?? new net.Socket({ allowHalfOpen: true });
    this.actor = new ConnActor(this.actorHost(), options.scheduler ?? defaultScheduler, this.readableHighWaterMark || 16384);
    this.attachTransport();
    this.on('end', () => {
      if (!this.allowHalfOpen && !this.writableEnded) this.end();
    });
    // `new tls.TLSSocket(socket, { isServer: true })` without a tls.Server:
    // node:tls starts waiting for the ClientHello at once; so do we (a
    // tls.Server starts its sockets itself, after arming the handshake timer).
    if (this.isServer && !options.server && socket) process.nextTick(() => this._start());
  }

  // ---------- transport ----------

  private attachTransport(): void {
    const t = this._transport;
    t.on('data', (d: Buffer) => {
      this.tracer?.records(false, d);
      // Hold the transport while the engine cannot take what arrived.
      if (!this.actor.receive(d)) (t as net.Socket).pause?.();
    });
    t.on('end', () => this.onTransportEnd());
    t.on('error', (err: Error) => this.destroy(err));
    t.on('close', () => {
      if (this.destroyed) return;
      if (this._secureEstablished && !this.handshakeEndError && !this.readableEnded) {
        // As net.Socket: what the transport delivered before it closed still
        // reaches the reader, then 'end', then the socket closes.
        this.actor.endOfNetwork();
        this.once('end', () => this.destroy());
        return;
      }
      this.destroy(this.handshakeEndError ?? undefined);
    });
    t.on('timeout', () => this.emit('timeout'));
    t.on('drain', () => this.actor.wake());
    if (!this.isServer) t.on('connect', () => this.emit('connect'));
  }

  private onTransportEnd(): void {
    if (!this._secureEstablished) {
      // node:tls uses this message on both sides.
      const err = nodeError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established');
      if (this.isServer) {
        this.destroy(err);
        return;
      }
      // A node:tls client ends its readable side first and fails from its own
      // 'end' listener, so applications see 'end' before 'error'. If nobody
      // reads, 'end' never comes: the transport's 'close' then carries the error.
      this.handshakeEndError = err;
      this.once('end', () => this.destroy(err));
      this.pushEnd();
      return;
    }
    // A FIN without close_notify: node:tls reports it as a plain end, and so do
    // we — after every byte that arrived before it has been decrypted and read.
    this.actor.endOfNetwork();
  }

  private pushEnd(): void {
    if (this.peerEnded) return;
    this.peerEnded = true;
    this.push(null);
    // As net.Socket does at EOF: with nothing left to read, 'end' comes now
    // even if nobody is reading (otherwise only once the buffer is consumed).
    this.read(0);
  }

  // ---------- the engine slot ----------

  /** Opens the engine slot and starts the handshake (client: once the transport is connected). */
  _start(): void {
    if (this.conn || this.destroyed) return;
    const o = this.opts;
    const sc = o.secureContext![kTlsrtOptions];
    // A server's config is the same for every connection of a context: one
    // object, so the engine config blob is encoded once (encodeConfig caches by object).
    // Key-log events only for a server with a 'keylog' listener when the connection
    // starts (node:tls decides at the same point); a client may add its listener later.
    const cfg: EngineConfig = this.isServer
      ? serverConfig(sc, this.traceRequested, (this.opts.server?.listenerCount('keylog') ?? 0) > 0)
      : baseConfig(sc, this.traceRequested, true);
    if (this.traceRequested) this.tracer = new Tracer(this.isServer ? 'Server' : 'Client');
    if (!this.isServer) {
      const cb = o.pskCallback as ClientPskCallback | undefined;
      if (typeof cb !== 'function') {
        this.destroy(nodeError('ERR_TLSRT_NO_PSK', 'tlsrt authenticates with pre-shared keys only: pass a pskCallback'));
        return;
      }
      const r = cb(null); // TLS 1.3 has no identity hint
      if (r === null || r === undefined) {
        this.destroy(nodeError('ERR_TLSRT_NO_PSK', 'pskCallback returned no PSK; tlsrt has no certificate fallback'));
        return;
      }
      if (typeof r.identity !== 'string') {
        this.destroy(nodeError('ERR_INVALID_ARG_TYPE', 'The "identity" property of the pskCallback result must be of type string', TypeError));
        return;
      }
      if (!ArrayBuffer.isView(r.psk)) {
        this.destroy(nodeError('ERR_INVALID_ARG_TYPE', 'The "psk" property of the pskCallback result must be an instance of Buffer, TypedArray, or DataView', TypeError));
        return;
      }
      cfg.pskIdentity = Buffer.from(r.identity, 'utf8');
      cfg.psk = Buffer.from(r.psk.buffer, r.psk.byteOffset, r.psk.byteLength);
      if (o.servername) cfg.serverName = o.servername;
      this.servername = o.servername ? o.servername : false;
    }
    try {
      const role = this.isServer ? 'server' : 'client';
      this.conn = o.engine ? o.engine.open(role, cfg) : openConn(role, cfg);
      this.actor.conn = this.conn;
    } catch (err) {
      this.destroy(nodeError('ERR_TLSRT_ENGINE', (err as Error).message));
      return;
    }
    if (o.maxSendFragment !== undefined) this.conn.setMaxSendFragment(o.maxSendFragment);
    this.pump();
  }

  /** Asks the scheduler for a turn of this connection's actor. */
  private pump(): void {
    this.actor.wake();
  }

  /** What the actor calls back into: the transport, the readable side, node:tls events. */
  private actorHost(): ConnHost {
    const t = () => this._transport as net.Socket;
    return {
      sendToNetwork: (out) => {
        this.tracer?.records(true, out);
        if (!t().destroyed && t().writable) t().write(out);
      },
      networkBlocked: () => !!t().writableNeedDrain,
      deliver: (plain) => this.push(plain),
      onEvent: (ev) => this.onEvent(ev),
      canSendApp: () => this._secureEstablished,
      resumeNetwork: () => t().resume?.(),
      afterTurn: () => {
        if (this.ending && this.actor.appOut.length === 0) this.finishEnding();
      },
      networkDrained: () => this.pushEnd(),
    };
  }

  private flush(): boolean {
    return this.actor.flush();
  }

  private onEvent(ev: EngineEvent): void {
    switch (ev.kind) {
      case 'keylog':
        this.emitKeylog(ev);
        break;
      case 'clientHello':
        this.onClientHello(ev);
        break;
      case 'handshake':
        this.onHandshake();
        break;
      case 'error': {
        const err = engineFailureError(ev);
        this.flush(); // the alert goes out before the connection closes
        this.destroy(err);
        break;
      }
      case 'peerClosed':
        this.pushEnd();
        break;
      case 'trace':
        this.tracer?.message(ev.sent, ev.type, ev.length);
        break;
      case 'keyUpdate':
        this.tracer?.note(ev.peer ? 'peer updated its keys' : 'updated sending keys');
        break;
    }
  }

  private emitKeylog(ev: EngineEvent & { kind: 'keylog' }): void {
    if (this.isServer) {
      const server = this.opts.server;
      if (server && server.listenerCount('keylog') > 0) server.emit('keylog', Buffer.from(ev.line, 'latin1'), this);
    } else if (this.listenerCount('keylog') > 0) {
      this.emit('keylog', Buffer.from(ev.line, 'latin1'));
    }
  }

  /** The server's questions about a ClientHello, in node:tls's order: SNICallback, ALPNCallback, pskCallback. */
  private onClientHello(ev: EngineEvent & { kind: 'clientHello' }): void {
    this.servername = ev.serverName ?? false;
    this.waitingForHost = true;
    const sni = this.opts.SNICallback;
    if (typeof sni === 'function' && ev.serverName) {
      sni(ev.serverName, (err, ctx) => {
        if (this.destroyed || !this.conn || this.conn.isClosed) return;
        if (err) {
          this.conn.helloReply({ abort: 112 }); // unrecognized_name
          this.pump();
          return;
        }
        if (ctx && !sameOptions(ctx, this.opts.secureContext!)) {
          this.destroy(unsupportedOption('SNICallback', 'a context with other ciphers or ALPN protocols per server name is not supported yet'));
          return;
        }
        this.afterSni(ev);
      });
      return;
    }
    this.afterSni(ev);
  }

  private afterSni(ev: EngineEvent & { kind: 'clientHello' }): void {
    const conn = this.conn!;
    const o = this.opts;
    // ALPNCallback (Node: mutually exclusive with ALPNProtocols) picks the protocol.
    let alpn: string | undefined;
    if (typeof o.ALPNCallback === 'function' && ev.alpn) {
      alpn = o.ALPNCallback({ servername: this.servername ?? false, protocols: ev.alpn });
      if (alpn === undefined) {
        conn.helloReply({ abort: 120 }); // no_application_protocol
        this.pump();
        return;
      }
      if (!ev.alpn.includes(alpn)) {
        this.destroy(nodeError('ERR_TLS_ALPN_CALLBACK_INVALID_RESULT', 'The ALPNCallback callback returned an invalid value', TypeError));
        return;
      }
    }
    const cb = o.pskCallback as ServerPskCallback | undefined;
    const answer = (key: ArrayBufferView | null | undefined, index: number) => {
      if (conn.isClosed || this.destroyed) return;
      this.waitingForHost = false;
      if (key !== null && key !== undefined && !ArrayBuffer.isView(key)) {
        this.destroy(nodeError('ERR_INVALID_ARG_TYPE', 'The pskCallback result must be an instance of Buffer, TypedArray, or DataView', TypeError));
        return;
      }
      const psk = key ? Buffer.from(key.buffer, key.byteOffset, key.byteLength) : null;
      conn.helloReply({ psk, index, alpn });
      this.pump();
    };
    if (typeof cb !== 'function') {
      answer(null, 0);
      return;
    }
    // As OpenSSL: the offered identities in the client's order, the first the
    // callback knows wins. An asynchronous answer of null moves on to the next.
    const ids = ev.identities;
    const lookup = (from: number): void => {
      for (let i = from; i < ids.length; i++) {
        let r: ReturnType<ServerPskCallback>;
        try {
          r = cb.call(this, this, ids[i].toString('utf8'));
        } catch (err) {
          this.destroy(err as Error);
          return;
        }
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          // Beyond node:tls: an asynchronous lookup. This slot waits; others carry on.
          (r as Promise<ArrayBufferView | null>).then(
            (key) => (key === null || key === undefined ? lookup(i + 1) : answer(key, i)),
            (err) => this.destroy(err),
          );
          return;
        }
        if (r !== null && r !== undefined) {
          answer(r as ArrayBufferView, i);
          return;
        }
      }
      answer(null, 0);
    };
    lookup(0);
  }

  private onHandshake(): void {
    const c = this.conn!;
    this._secureEstablished = true;
    this.alpnProtocol = c.alpn;
    if (this.isServer) {
      this.servername = c.serverName ?? false;
      this.emit('secure');
    } else {
      // As node:tls with a PSK: the peer is authenticated by the key itself.
      this.authorized = true;
      this.authorizationError = null;
      this.emit('secureConnect');
    }
  }

  // ---------- stream ----------

  override _read(): void {
    this.actor.resumeReading();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (chunk.length === 0) {
      cb();
      return;
    }
    this.actor.write({ data: chunk, cb });
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.ending = cb;
    this.pump();
    if (!this.conn && !this.destroyed) {
      // Ended before the handshake started: nothing to protect.
      this._transport.end();
      this.ending = null;
      cb();
    }
  }

  private finishEnding(): void {
    const cb = this.ending!;
    this.ending = null;
    if (this._secureEstablished) {
      this.conn!.shutdown();
      this.flush();
    }
    this._transport.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Writers still waiting learn that their data will not go out.
    this.actor.abandon(() => err ?? nodeError('ERR_STREAM_DESTROYED', 'Cannot call write after a stream was destroyed'));
    if (this.conn) {
      this.flush();
      this.conn.close(); // wipes the slot
    }
    const server = this.opts.server;
    if (err && this.isServer && !this._secureEstablished && server) {
      // node:tls reports handshake failures of server sockets on the server.
      server.emit('tlsClientError', err, this);
      err = null;
    }
    if (!this._transport.destroyed) {
      if (this._transport.writableLength > 0 || !this._transport.writable) this._transport.end();
      this._transport.destroy();
    }
    cb(err);
  }

  // ---------- node:tls surface ----------

  getCipher(): { name: string; standardName: string; version: string } | undefined {
    const s = this._secureEstablished ? this.conn?.suite : undefined;
    return s ? { name: s, standardName: s, version: 'TLSv1.3' } : undefined;
  }

  getProtocol(): string | null {
    if (this.destroyed || !this.conn || this.conn.isClosed) return null;
    return 'TLSv1.3';
  }

  getEphemeralKeyInfo(): { type?: string; name?: string; size?: number } | null {
    if (this.isServer) return null;
    return this._secureEstablished && this.conn?.kx === 'psk_dhe_ke' ? { type: 'ECDH', name: 'X25519', size: 253 } : {};
  }

  getFinished(): Buffer | undefined {
    if (!this._secureEstablished || !this.conn || this.conn.isClosed) return undefined;
    return this.isServer ? this.conn.serverFinished : this.conn.clientFinished;
  }

  getPeerFinished(): Buffer | undefined {
    if (!this._secureEstablished || !this.conn || this.conn.isClosed) return undefined;
    return this.isServer ? this.conn.clientFinished : this.conn.serverFinished;
  }

  exportKeyingMaterial(length: number, label: string, context?: Buffer): Buffer {
    if (!Number.isInteger(length) || length < 1) {
      throw nodeError('ERR_OUT_OF_RANGE', `The value of "length" is out of range. It must be a positive integer. Received ${length}`, RangeError);
    }
    if (typeof label !== 'string') throw nodeError('ERR_INVALID_ARG_TYPE', 'The "label" argument must be of type string', TypeError);
    if (!this._secureEstablished || !this.conn || this.conn.isClosed) {
      throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
    }
    return this.conn.exportKeyingMaterial(length, label, context);
  }

  setMaxSendFragment(size: number): boolean {
    if (!Number.isInteger(size) || size < 512 || size > 16384) return false;
    if (!this.conn || this.conn.isClosed) {
      this.opts.maxSendFragment = size;
      return true;
    }
    return this.conn.setMaxSendFragment(size);
  }

  /**
   * tlsrt's own: what the engine slot knows of the connection's records — for
   * device code that must check its record limits were agreed (node:tls has
   * no equivalent). null before the handshake has started or after close.
   */
  getEngineInfo(): EngineInfo | null {
    const c = this.conn;
    if (!c || c.isClosed) return null;
    return {
      state: c.state,
      keyExchange: c.kx ?? null,
      records: c.records,
      sendRecordLimit: c.peerRecordLimit,
      recvRecordLimit: c.recvRecordLimit,
    };
  }

  /**
   * tlsrt's own: the most bytes this connection's mailboxes ever held —
   * network bytes received but not yet taken by the engine, and application
   * writes not yet sealed. Valid after close too.
   */
  getBufferPeaks(): { networkIn: number; appOut: number } {
    return { networkIn: this.actor.netIn.peakBytes, appOut: this.actor.appOut.peakBytes };
  }

  /** PSK connections count as resumed in node:tls (OpenSSL marks them so); tlsrt agrees. */
  isSessionReused(): boolean {
    return this._secureEstablished;
  }

  disableRenegotiation(): void {
    this.renegotiationDisabled = true;
  }

  /**
   * TLS 1.3 has no renegotiation: false, and the callback gets what node:tls
   * passes it on a TLS 1.3 connection: the error OpenSSL's SSL_renegotiate()
   * raises there, "wrong ssl version" (ERR_SSL_WRONG_SSL_VERSION), not
   * ERR_TLS_RENEGOTIATE (test/api/socket-api.test.ts compares the two live).
   */
  renegotiate(_options: object, callback?: (err: Error | null) => void): boolean {
    if (typeof callback === 'function' && !this.destroyed) process.nextTick(callback, sslError('wrong ssl version'));
    return false;
  }

  enableTrace(): void {
    this.traceRequested = true;
    if (this.conn && !this.tracer) this.tracer = new Tracer(this.isServer ? 'Server' : 'Client');
  }

  getSession(): Buffer | undefined {
    return undefined;
  }

  getTLSTicket(): Buffer | undefined {
    return undefined;
  }

  getPeerCertificate(): object {
    return {};
  }

  /** No certificates in a PSK connection: an empty object, as node:tls returns then. */
  getCertificate(): object {
    return {};
  }

  getSharedSigalgs(): string[] {
    return [];
  }

  /** Sends a KeyUpdate (tlsrt's own: node:tls has no API for it). */
  updateKeys(requestPeer = false): boolean {
    if (!this.conn || !this._secureEstablished) return false;
    const ok = this.conn.keyUpdate(requestPeer) === 0;
    this.pump();
    return ok;
  }

  // ---------- net.Socket surface ----------

  private get net(): net.Socket | undefined {
    const t = this._transport as net.Socket;
    return typeof t.address === 'function' ? t : undefined;
  }

  address(): ReturnType<net.Socket['address']> | {} {
    return this.net?.address() ?? {};
  }
  get remoteAddress(): string | undefined {
    return this.net?.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.net?.remotePort;
  }
  get remoteFamily(): string | undefined {
    return this.net?.remoteFamily;
  }
  get localAddress(): string | undefined {
    return this.net?.localAddress;
  }
  get localPort(): number | undefined {
    return this.net?.localPort;
  }
  get bytesWritten(): number {
    return this.actor.plainWritten;
  }
  get bytesRead(): number {
    return this.net?.bytesRead ?? 0;
  }
  get connecting(): boolean {
    return this.net?.connecting ?? false;
  }
  get pending(): boolean {
    return this.net?.pending ?? false;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.net?.setTimeout(ms);
    if (cb) this.once('timeout', cb);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.net?.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.net?.setKeepAlive(enable, delay);
    return this;
  }
  ref(): this {
    this.net?.ref();
    return this;
  }
  unref(): this {
    this.net?.unref();
    return this;
  }

  /** net.Socket#connect on the transport; the handshake starts once it is connected. */
  connect(...args: unknown[]): this {
    const s = this._transport as net.Socket;
    s.once('connect', () => this._start());
    (s.connect as (...a: unknown[]) => net.Socket)(...args);
    return this;
  }
}

function baseConfig(sc: NormalizedOptions, trace: boolean, keylog: boolean): EngineConfig {
  return {
    suites: sc.suites,
    kxModes: sc.kxModes,
    alpn: sc.alpn,
    maxFragmentLength: sc.maxFragmentLength,
    recordSizeLimit: sc.recordSizeLimit,
    keylog,
    trace,
  };
}

const serverConfigs = new WeakMap<NormalizedOptions, EngineConfig[]>();

/** The (shared, frozen) engine config of a server connection with these options. */
function serverConfig(sc: NormalizedOptions, trace: boolean, keylog: boolean): EngineConfig {
  let all = serverConfigs.get(sc);
  if (!all) {
    all = [false, true].flatMap((t) => [false, true].map((k) => Object.freeze(baseConfig(sc, t, k))));
    serverConfigs.set(sc, all);
  }
  return all[(trace ? 2 : 0) + (keylog ? 1 : 0)];
}

/** Whether two secure contexts configure a connection the same way (what an SNI switch may change). */
function sameOptions(a: SecureContext, b: SecureContext): boolean {
  const x = a[kTlsrtOptions];
  const y = b[kTlsrtOptions];
  const alpn = (v?: Uint8Array) => (v ? Buffer.from(v).toString('hex') : '');
  return x.suites.join() === y.suites.join() && alpn(x.alpn) === alpn(y.alpn);
}

export type { TlsError };
