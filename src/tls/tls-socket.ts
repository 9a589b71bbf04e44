// tls.TLSSocket: a stream.Duplex with the net.Socket surface, driving one
// engine slot over a transport Duplex (a net.Socket normally, a simulated
// Link on a simulated board). The slot is a connection actor
// (src/runtime/conn-actor.ts): this class is its host — it posts network
// bytes and writes to the actor's mailboxes, and turns what the actor hands
// back (records, plaintext, events) into transport writes, stream pushes and
// node:tls events. Turns are run by a Scheduler (src/runtime/scheduler.ts),
// shared by all of a process's connections or owned by one simulated board.
import { Duplex, addAbortSignal } from 'node:stream';
import net from 'node:net';
import type { Conn, EngineEvent } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/config.ts';
import { openConn } from './engine-pool.ts';
import { ConnActor, type ConnHost, type PendingWrite } from '../runtime/conn-actor.ts';
import { defaultScheduler, type Scheduler } from '../runtime/scheduler.ts';
import { engineFailureError, nodeError, sslError, unsupportedOption, type TlsError } from './errors.ts';
import { SecureContext, kTlsrtOptions, createSecureContext } from './secure-context.ts';
import { alpnFromOption, type NormalizedOptions } from './options.ts';
import {
  invalidArgType, invalidArgValue, validateBoolean, validateBuffer, validateFunction, validateInt32, validateInteger, validateObject, validateString,
} from './validators.ts';
import { checkClientPsk, checkServerPsk } from './psk-result.ts';
import { Tracer } from './trace.ts';
import { EPHEMERAL_KEY_INFO, type GroupName } from './ecdh-curve.ts';
import { suiteByName } from './suite-names.ts';

export type ClientPskCallback = (hint: string | null) => { psk: ArrayBufferView; identity: string } | null;
type ServerPskResult = ArrayBufferView | { psk: ArrayBufferView } | null | undefined;
export type ServerPskCallback = (socket: TLSSocket, identity: string) => ServerPskResult | Promise<ServerPskResult>;

/**
 * Set by tls.Server on the sockets it accepts: the server starts them (after
 * arming its handshake timer) and they report to it ('secureConnection',
 * 'tlsClientError', 'keylog'), as node:tls's connection listener wires them.
 * A TLSSocket made by the application with a `server` option reports on
 * itself, as in node:tls.
 */
export const kServerOwned = Symbol('tlsrt.serverOwned');

export interface TLSSocketOptions {
  isServer?: boolean;
  /** The server this socket belongs to: a tls.Server's sockets, or any net.Server's (node docs). */
  server?: net.Server;
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
  [kServerOwned]?: boolean;
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
  /** As node:tls: null, or the code (else the message) of the check that failed. */
  authorizationError: string | null = null;
  alpnProtocol: string | false | null = null;
  servername: string | false | null = null;
  /** The transport this TLS connection runs over (`socket` option, or the net.Socket tls.connect made). */
  readonly _transport: Duplex;
  _secureEstablished = false;
  /** As node:tls: true until the handshake completes. */
  secureConnecting = true;

  private conn: Conn | null = null;
  private readonly isServer: boolean;
  private readonly opts: TLSSocketOptions;
  private readonly actor: ConnActor;
  private ending: ((err?: Error | null) => void) | null = null;
  private peerEnded = false;
  private tracer: Tracer | null = null;
  private traceRequested: boolean;
  private waitingForHost = false;
  /** Whether any record has gone to the network (a server: its answer to the ClientHello). */
  private sentAnything = false;
  private renegotiationDisabled = false; // TLS 1.3 has no renegotiation to disable; kept for the API
  /** The error of a client whose transport ended before the handshake completed. */
  private handshakeEndError: Error | null = null;
  /** ALPNProtocols given beside a secureContext (node:tls sets them on the connection, not the context). */
  private readonly alpn: Uint8Array | undefined;
  /** As net.Socket: the idle timeout last set with setTimeout(), undefined before. */
  timeout: number | undefined = undefined;
  /** tls.connect's `onread` (no `socket` given): plaintext goes to this callback's buffer instead of 'data'. */
  private readonly onread: { buffer: Uint8Array | (() => Uint8Array); callback: (n: number, buf: Uint8Array) => unknown } | null = null;
  /** As node:tls: the `server` option (the server a server-side socket belongs to). */
  readonly server: net.Server | undefined;
  /**
   * Server: the handshake was asked to start but no complete record has
   * arrived yet, so no engine slot is taken (an idle TCP connection costs
   * no slot — on a board's fixed pool, idle sockets cannot lock it out).
   */
  private slotDeferred: { got: number; header: Buffer } | null = null;

  constructor(socket?: Duplex | null, opts?: TLSSocketOptions | null) {
    const o: TLSSocketOptions = { ...(opts && typeof opts === 'object' ? opts : {}) };
    // node:tls wraps a non-net.Socket in a JSStreamSocket, which pauses it first.
    if (socket && !(socket instanceof net.Socket) && typeof (socket as Duplex).pause !== 'function') {
      throw new TypeError('stream.pause is not a function');
    }
    const transport = socket || undefined;
    // As node:tls: a wrapped socket keeps its own half-open setting; a tls.Server's
    // sockets get the server's; one tls.connect makes gets options.allowHalfOpen.
    const halfOpen = transport && !o[kServerOwned] ? (transport as Duplex).allowHalfOpen : o.allowHalfOpen;
    super({
      allowHalfOpen: !!halfOpen,
      readableHighWaterMark: o.highWaterMark,
      writableHighWaterMark: o.highWaterMark,
    });
    this.opts = o;
    this.server = o.server;
    // As net.Socket: a well-formed onread is used, anything else ignored; only without a given socket.
    const onread = o.onread as { buffer?: unknown; callback?: unknown } | null | undefined;
    if (!transport && onread && typeof onread === 'object' && typeof onread.callback === 'function' &&
        (onread.buffer instanceof Uint8Array || typeof onread.buffer === 'function')) {
      this.onread = onread as NonNullable<TLSSocket['onread']>;
    }
    this.isServer = !!o.isServer;
    // Validate (and throw for unsupported options) now, in node:tls's order.
    if (o.enableTrace !== undefined && o.enableTrace !== null) validateBoolean(o.enableTrace, 'options.enableTrace');
    this.traceRequested = !!o.enableTrace;
    // Without a secureContext the one made from these options carries them; a
    // tls.Server's context was made from the same options as its sockets'.
    this.alpn = o.secureContext && !o[kServerOwned] && o.ALPNProtocols !== undefined && o.ALPNProtocols !== null
      ? alpnFromOption(o.ALPNProtocols)
      : undefined;
    if (!o.secureContext) o.secureContext = createSecureContext(o as Record<string, unknown>);
    else if (!(o.secureContext instanceof SecureContext)) throw nodeError('ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext', TypeError);
    if (this.isServer && o.ALPNCallback) validateFunction(o.ALPNCallback, 'options.ALPNCallback');
    if (this.isServer && o.SNICallback) validateFunction(o.SNICallback, 'options.SNICallback');
    if (o.pskCallback) {
      validateFunction(o.pskCallback, 'pskCallback');
      if (o.pskIdentityHint) validateString(o.pskIdentityHint, 'options.pskIdentityHint');
    }
    const options = o;
    // Half-open at the TCP level, as node:tls's own TCP handle is: after the
    // peer's FIN the TLS layer decides when to end (close_notify, then FIN),
    // so writes keep reaching a peer that only closed its sending side.
    this._transport = transport ?? new net.Socket({ allowHalfOpen: true });
    this.actor = new ConnActor(this.actorHost(), options.scheduler ?? defaultScheduler, this.readableHighWaterMark || 16384);
    this.attachTransport();
    this.on('end', () => {
      if (!this.allowHalfOpen && !this.writableEnded) this.end();
    });
    // `new tls.TLSSocket(socket, { isServer: true[, server] })` made by the
    // application: node:tls starts waiting for the ClientHello at once; so do
    // we (a tls.Server starts its own sockets, after arming the handshake timer).
    if (this.isServer && transport && !options[kServerOwned]) process.nextTick(() => this._start());
    // As node:tls (net's pauseOnCreate): the TLS socket starts paused, the handshake does not wait for it.
    if (o.pauseOnConnect) this.pause();
    // As net.Socket: aborting the signal destroys the socket with an AbortError (at once if already aborted).
    if (o.signal) addAbortSignal(o.signal as AbortSignal, this);
  }

  // ---------- transport ----------

  private attachTransport(): void {
    const t = this._transport;
    t.on('data', (d: Buffer) => {
      this.tracer?.records(false, d);
      // Hold the transport while the engine cannot take what arrived.
      const more = this.actor.receive(d);
      if (this.slotDeferred && (firstRecordIn(this.slotDeferred, d) || !more)) {
        this.slotDeferred = null;
        this._start();
      }
      if (!more) (t as net.Socket).pause?.();
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
    if (this.traceRequested && !this.tracer) this.tracer = new Tracer(this.isServer ? 'Server' : 'Client'); // before the first record is traced
    if (this.isServer && this.actor.netIn.length === 0 && !this.slotDeferred) {
      this.slotDeferred = { got: 0, header: Buffer.alloc(5) }; // opened by the data handler
      return;
    }
    if (this.slotDeferred) return;
    const o = this.opts;
    const sc = o.secureContext![kTlsrtOptions];
    const role = this.isServer ? 'server' : 'client';
    // What node:tls (OpenSSL) refuses at the start of every handshake with these options.
    if (sc.unusable) {
      // The plaintext alert OpenSSL sends then (measured): a server answers the
      // ClientHello with it, a client sends it instead of a ClientHello.
      const noProtocols = sc.unusable.reason === 'no protocols available';
      if (this.isServer) this.sendPlainAlert(noProtocols ? 70 : 40, 0x0303);
      else this.sendPlainAlert(noProtocols ? 70 : 80, noProtocols ? 0x0303 : 0x0301);
      this.destroy(sslError(sc.unusable.reason, sc.unusable.detail));
      return;
    }
    if (sc.methodRole && sc.methodRole !== role) {
      this.destroy(sslError('called a function you should not call', ` (secureProtocol is a ${sc.methodRole} method)`));
      return;
    }
    const hint = this.isServer && typeof o.pskCallback === 'function' && o.pskIdentityHint ? Buffer.from(o.pskIdentityHint as string, 'utf8') : undefined;
    if (hint && hint.length > MAX_IDENTITY_HINT) {
      // node:tls's error when OpenSSL refuses the hint (over 256 bytes there; tlsrt's slots hold 128).
      this.destroy(nodeError('ERR_TLS_PSK_SET_IDENTIY_HINT_FAILED', `Failed to set PSK identity hint (tlsrt holds at most ${MAX_IDENTITY_HINT} bytes, got ${hint.length})`));
      return;
    }
    // A server's config is the same for every connection of a context: one
    // object, so the engine config blob is encoded once (encodeConfig caches by object).
    // The engine produces key-log secrets only for a host that asked for them:
    // node:tls turns OpenSSL's key-log callback on when a 'keylog' listener is
    // added (lib/_tls_wrap.js keylogNewListener); here the slot's CF_KEYLOG is
    // set when its connection starts, if a listener is there by then — on the
    // socket, or on the tls.Server that relays its sockets' lines.
    const keylog = this.keylogWanted();
    const cfg: EngineConfig = this.isServer && !this.alpn
      ? serverConfig(sc, this.traceRequested, keylog, hint)
      : { ...baseConfig(sc, this.traceRequested, keylog, this.alpn), identityHint: hint };
    if (!this.isServer) {
      const cb = o.pskCallback as ClientPskCallback | undefined;
      if (typeof cb !== 'function') {
        this.destroy(nodeError('ERR_TLSRT_NO_PSK', 'tlsrt authenticates with pre-shared keys only: pass a pskCallback'));
        return;
      }
      // TLS 1.2's PSK comes after the server's identity hint: the engine asks (a 'pskHint' event).
      if (sc.minVersion === 'TLSv1.2') cfg.askPsk = true;
      if (sc.maxVersion === 'TLSv1.3') {
        // As node:tls (OpenSSL) for a TLS 1.3 offer: asked at once, with no hint.
        // What the callback throws, or a result that fails node's checks,
        // destroys this socket with that error ('error'), nothing else.
        let r: { psk: ArrayBufferView; identity: string } | null;
        try {
          r = checkClientPsk(cb.call(this, null)); // `this` is the socket, as in node:tls
        } catch (err) {
          this.destroy(err as Error);
          return;
        }
        if (r !== null) {
          cfg.pskIdentity = Buffer.from(r.identity, 'utf8');
          cfg.psk = Buffer.from(r.psk.buffer, r.psk.byteOffset, r.psk.byteLength);
        } else if (sc.minVersion === 'TLSv1.2') {
          // No key for TLS 1.3: OpenSSL would offer TLS 1.3 without a PSK (and need a
          // certificate); tlsrt offers TLS 1.2 alone, where the callback is asked again.
          cfg.maxVersion = 'TLSv1.2';
        } else {
          this.destroy(nodeError('ERR_TLSRT_NO_PSK', 'pskCallback returned no PSK; tlsrt has no certificate fallback'));
          return;
        }
      }
      if (o.servername) cfg.serverName = o.servername;
      this.servername = o.servername ? o.servername : false;
    }
    try {
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
        this.sentAnything = true;
        this.tracer?.records(true, out);
        if (!t().destroyed && t().writable) t().write(out);
      },
      networkBlocked: () => !!t().writableNeedDrain,
      deliver: (plain) => (this.onread ? this.deliverToOnread(plain) : this.push(plain)),
      onEvent: (ev) => this.onEvent(ev),
      canSendApp: () => this._secureEstablished,
      resumeNetwork: () => t().resume?.(),
      afterTurn: () => {
        if (this.ending && this.actor.appOut.length === 0) this.finishEnding();
      },
      networkDrained: () => this.pushEnd(),
      queueOverflow: (bytes) =>
        this.destroy(nodeError('ERR_TLSRT_QUEUE_LIMIT', `the transport delivered ${bytes} bytes the engine had not taken, ignoring pause()`)),
    };
  }

  /**
   * onread: the plaintext, a buffer-full at a time, to the callback (node:tls
   * calls it per chunk read; its return value has no effect on a TLS socket
   * there, so none here either).
   */
  private deliverToOnread(plain: Buffer): boolean {
    const { buffer, callback } = this.onread!;
    for (let off = 0; off < plain.length;) {
      const buf = typeof buffer === 'function' ? buffer() : buffer;
      const n = Math.min(buf.length, plain.length - off);
      if (n === 0) {
        // An empty buffer could never take the data (and would loop here).
        this.destroy(invalidArgValue('options.onread.buffer', buf, 'must not be empty'));
        return false;
      }
      buf.set(plain.subarray(off, off + n));
      off += n;
      callback.call(this, n, buf);
    }
    return true;
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
        // An alert as a client's first record (a node:tls client whose version range
        // holds nothing it can use sends one): OpenSSL's server reports "unexpected message".
        const firstRecordAlert = this.isServer && !ev.local && !this.sentAnything;
        const err = firstRecordAlert ? sslError('unexpected message') : engineFailureError(ev, this.conn ?? undefined);
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
      case 'pskHint':
        this.onPskHint(ev.hint);
        break;
    }
  }

  /**
   * Client, TLS 1.2: the server's ServerHelloDone has arrived (after its
   * identity hint, if it sent one). As node:tls: pskCallback(hint) — the hint
   * as a string, null when none was sent — and its result checked as node
   * checks it. No PSK is OpenSSL's "psk identity not found" here, with a
   * handshake_failure alert to the server.
   */
  private onPskHint(hint: Buffer | null): void {
    const conn = this.conn!;
    const cb = this.opts.pskCallback as ClientPskCallback;
    let r: { psk: ArrayBufferView; identity: string } | null;
    try {
      r = checkClientPsk(cb.call(this, hint ? hint.toString('utf8') : null));
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (this.destroyed || conn.isClosed) return;
    if (r === null) {
      conn.pskReply({ abort: 40 });
      this.flush();
      this.destroy(sslError('psk identity not found'));
      return;
    }
    conn.pskReply({ identity: Buffer.from(r.identity, 'utf8'), psk: Buffer.from(r.psk.buffer, r.psk.byteOffset, r.psk.byteLength) });
    this.pump();
  }

  /** A plaintext alert record straight to the transport, for a refusal before any engine slot exists. */
  private sendPlainAlert(alert: number, version: number): void {
    const t = this._transport as net.Socket;
    if (!t.destroyed && t.writable) t.write(Buffer.from([21, version >> 8, version & 0xff, 0, 2, 2, alert]));
  }

  /**
   * 'keylog' on the socket; a tls.Server's sockets also on the server, with
   * the socket (node:tls relays them so). A listener that throws is an
   * uncaught exception, as in node:tls, where the line comes from native code.
   */
  private keylogWanted(): boolean {
    if (this.listenerCount('keylog') > 0) return true;
    const server = this.opts.server;
    return !!(this.opts[kServerOwned] && server && server.listenerCount('keylog') > 0);
  }

  private emitKeylog(ev: EngineEvent & { kind: 'keylog' }): void {
    const line = Buffer.from(ev.line, 'latin1');
    if (this.listenerCount('keylog') > 0) this.emit('keylog', line);
    const server = this.opts.server;
    if (this.opts[kServerOwned] && server && server.listenerCount('keylog') > 0) server.emit('keylog', line, this);
  }

  /**
   * The server's questions about a ClientHello. node:tls (OpenSSL) asks the
   * pskCallback first, then the ALPNCallback; tlsrt asks its SNICallback
   * between the two (node:tls calls SNICallback from OpenSSL's certificate
   * callback, which a PSK handshake never reaches). Whatever a callback
   * throws, or a result node:tls would refuse, destroys this socket with that
   * error — 'tlsClientError' on a tls.Server — exactly as node:tls does; the
   * server and its other connections carry on.
   */
  private onClientHello(ev: EngineEvent & { kind: 'clientHello' }): void {
    this.servername = ev.serverName ?? false;
    this.waitingForHost = true;
    const conn = this.conn!;
    const cb = this.opts.pskCallback as ServerPskCallback | undefined;
    const unknown = () => {
      this.waitingForHost = false;
      conn.helloReply({ psk: null }); // unknown_psk_identity
      this.pump();
    };
    if (typeof cb !== 'function') {
      unknown();
      return;
    }
    // As OpenSSL: the offered identities in the client's order, the first the
    // callback knows wins (its binder is the one checked). A result node:tls
    // would refuse destroys the socket with node's error; null moves on.
    const ids = ev.identities;
    const answer = (ret: unknown, i: number): boolean => {
      if (conn.isClosed || this.destroyed) return true;
      let key: ArrayBufferView | null;
      try {
        key = checkServerPsk(ret);
      } catch (err) {
        this.destroy(err as Error);
        return true;
      }
      if (!key) return false;
      this.askSni(ev, Buffer.from(key.buffer, key.byteOffset, key.byteLength), i);
      return true;
    };
    const lookup = (from: number): void => {
      for (let i = from; i < ids.length; i++) {
        let r: unknown;
        try {
          r = cb.call(this, this, ids[i].toString('utf8'));
        } catch (err) {
          this.destroy(err as Error);
          return;
        }
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          // Beyond node:tls: an asynchronous lookup. This slot waits; others carry on.
          (r as Promise<unknown>).then(
            (key) => {
              if (!answer(key, i)) lookup(i + 1);
            },
            (err) => {
              if (!this.destroyed) this.destroy(err instanceof Error ? err : new Error(String(err)));
            },
          );
          return;
        }
        if (answer(r, i)) return;
      }
      if (!conn.isClosed && !this.destroyed) unknown();
    };
    lookup(0);
  }

  /** SNICallback(servername, cb), with node:tls's loadSNI() rules for its errors. */
  private askSni(ev: EngineEvent & { kind: 'clientHello' }, psk: Buffer, index: number): void {
    const sni = this.opts.SNICallback;
    if (typeof sni !== 'function' || !ev.serverName) {
      this.askAlpn(ev, psk, index);
      return;
    }
    let called = false;
    try {
      sni.call(this, ev.serverName, (err, ctx) => {
        if (called) {
          this.destroy(nodeError('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'));
          return;
        }
        called = true;
        if (err) {
          this.destroy(err);
          return;
        }
        if (this.destroyed || !this.conn || this.conn.isClosed) {
          this.destroy(nodeError('ERR_SOCKET_CLOSED', 'Socket is closed'));
          return;
        }
        if (ctx && !(ctx instanceof SecureContext)) {
          this.destroy(nodeError('ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext', TypeError));
          return;
        }
        if (ctx && !sameOptions(ctx, this.opts.secureContext!)) {
          this.destroy(unsupportedOption('SNICallback', 'a context with other ciphers or ALPN protocols per server name is not supported yet'));
          return;
        }
        this.askAlpn(ev, psk, index);
      });
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  /** ALPNCallback({ servername, protocols }) (node:tls: exclusive with ALPNProtocols), as node's callALPNCallback(). */
  private askAlpn(ev: EngineEvent & { kind: 'clientHello' }, psk: Buffer, index: number): void {
    const conn = this.conn!;
    const cb = this.opts.ALPNCallback;
    let alpn: string | undefined;
    if (typeof cb === 'function' && ev.alpn) {
      try {
        alpn = cb.call(this, { servername: this.servername ?? false, protocols: ev.alpn });
        if (alpn === undefined) {
          // Every offered protocol refused: OpenSSL's no_application_protocol alert.
          this.waitingForHost = false;
          conn.helloReply({ abort: 120 });
          this.pump();
          return;
        }
        if (!ev.alpn.includes(alpn)) {
          throw nodeError('ERR_TLS_ALPN_CALLBACK_INVALID_RESULT',
            `ALPN callback returned a value (${String(alpn)}) that did not match any of the client's offered protocols (${ev.alpn.join(', ')})`, TypeError);
        }
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
    }
    this.waitingForHost = false;
    conn.helloReply({ psk, index, alpn });
    this.pump();
  }

  private onHandshake(): void {
    const c = this.conn!;
    this._secureEstablished = true;
    this.secureConnecting = false;
    this.alpnProtocol = c.alpn;
    if (this.isServer) {
      this.servername = c.serverName ?? false;
      this.emit('secure');
    } else {
      // As node:tls with a PSK: the peer is authenticated by the key itself.
      this.authorized = true;
      this.authorizationError = null;
      if (!this.serverIdentityChecked()) return;
      // node:tls emits 'secure' on clients too; tls.connect's own 'secure'
      // listener (the first) emits 'secureConnect', so applications see
      // 'secureConnect' before their 'secure'.
      this.emit('secureConnect');
      this.emit('secure');
    }
  }

  /**
   * node:tls's onConnectSecure for a tls.connect() client: a session that is
   * not "reused" gets options.checkServerIdentity(hostname, peerCertificate).
   * OpenSSL counts a TLS 1.3 PSK as a reused session, a TLS 1.2 PSK not: so on
   * TLS 1.2 node:tls calls it with an empty certificate, and its default
   * check fails (ERR_TLS_CERT_ALTNAME_INVALID) unless the application passes
   * its own, e.g. `checkServerIdentity: () => undefined` (the PSK already
   * authenticated the server). tlsrt does the same; false when the socket was
   * destroyed for it (rejectUnauthorized, node's default).
   */
  private serverIdentityChecked(): boolean {
    const o = this.opts as TLSSocketOptions & { checkServerIdentity?: unknown; host?: string; rejectUnauthorized?: boolean };
    if (typeof o.checkServerIdentity !== 'function' || this.isSessionReused()) return true;
    const hostname = o.servername || o.host || 'localhost';
    let err: (Error & { code?: string }) | undefined;
    try {
      err = (o.checkServerIdentity as (h: string, c: object) => Error | undefined)(hostname, this.getPeerCertificate());
    } catch (e) {
      this.destroy(e as Error);
      return false;
    }
    if (!err) return true;
    this.authorized = false;
    this.authorizationError = err.code || err.message;
    if (o.rejectUnauthorized === false) return true;
    this.destroy(err);
    return false;
  }

  // ---------- stream ----------

  override _read(): void {
    this.actor.resumeReading();
  }

  // Writes and records. As node:tls (whose TLSWrap completes every write
  // asynchronously, on setImmediate), a write is sealed at once but its
  // callback runs on a later turn of the event loop: writes made meanwhile
  // wait in the Writable's buffer and reach _writev together, so a burst of
  // small writes, or a cork()/uncork() batch (mqtt.js corks each packet),
  // becomes as few records as fit — not one record (and one TCP segment
  // meeting Nagle and delayed ACKs) per write().

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (chunk.length === 0) {
      cb();
      return;
    }
    this.actor.write({ data: chunk, cb: this.whenSealed(cb) });
  }

  override _writev(chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>, cb: (err?: Error | null) => void): void {
    let last = chunks.length - 1;
    while (last >= 0 && chunks[last].chunk.length === 0) last--;
    if (last < 0) {
      cb();
      return;
    }
    // One callback for the batch: it rides on the last part, so it runs once every part is sealed.
    const batch: PendingWrite[] = [];
    for (let i = 0; i < last; i++) if (chunks[i].chunk.length) batch.push({ data: chunks[i].chunk });
    batch.push({ data: chunks[last].chunk, cb: this.whenSealed(cb) });
    this.actor.writeAll(batch);
  }

  private sealedCallbacks: Array<() => void> = [];

  /** A write callback the actor runs once the bytes are sealed: an error at once, success on a later turn. */
  private whenSealed(cb: (err?: Error | null) => void): (err?: Error | null) => void {
    return (err) => {
      if (err) {
        cb(err);
        return;
      }
      if (this.sealedCallbacks.push(cb) > 1) return;
      (this.opts.scheduler ?? defaultScheduler).later(() => {
        const due = this.sealedCallbacks;
        this.sealedCallbacks = [];
        for (const f of due) f();
      });
    };
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
    if (err && this.isServer && !this._secureEstablished && server && this.opts[kServerOwned]) {
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

  /** As node:tls: the OpenSSL name, the IANA name and the protocol version of the suite. */
  getCipher(): { name: string; standardName: string; version: string } | undefined {
    const s = this._secureEstablished ? this.conn?.suite : undefined;
    const d = s ? suiteByName(s) : undefined;
    if (!d) return undefined;
    // node:tls names TLS 1.3 suites by their IANA name, TLS 1.2 ones by OpenSSL's.
    return { name: d.version === 0x0303 ? d.openssl : d.name, standardName: d.name, version: d.versionName };
  }

  getProtocol(): string | null {
    if (this.destroyed || !this.conn || this.conn.isClosed) return null;
    return this.conn.version ?? 'TLSv1.3';
  }

  getEphemeralKeyInfo(): { type?: string; name?: string; size?: number } | null {
    if (this.isServer) return null;
    const group = this._secureEstablished && this.conn?.kx === 'psk_dhe_ke' ? (this.conn.group as GroupName | undefined) : undefined;
    return group ? { ...EPHEMERAL_KEY_INFO[group] } : {};
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
    validateInteger(length, 'length', 1, 4294967295); // node: validateUint32(length, 'length', true)
    validateString(label, 'label');
    if (context !== undefined) validateBuffer(context, 'context');
    if (!this._secureEstablished || !this.conn || this.conn.isClosed) {
      throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
    }
    return this.conn.exportKeyingMaterial(length, label, context);
  }

  /** As node:tls: a non-int32 throws (ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE); outside 512..16384 it is refused (false). */
  setMaxSendFragment(size: number): boolean {
    validateInt32(size, 'size');
    if (size < 512 || size > 16384) return false;
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

  /**
   * TLS 1.3 PSK connections count as resumed in node:tls (OpenSSL marks them
   * so: the PSK is a session); TLS 1.2 PSK ones do not. tlsrt agrees.
   */
  isSessionReused(): boolean {
    return this._secureEstablished && this.conn?.version !== 'TLSv1.2';
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
  renegotiate(options: object, callback?: (err: Error | null) => void): boolean | undefined {
    validateObject(options, 'options');
    if (callback !== undefined) validateFunction(callback, 'callback');
    if (this.destroyed) return undefined;
    // TLS 1.2: tlsrt never renegotiates (RFC 5746 refusal both ways), OpenSSL's reason for a refused one.
    if (callback) process.nextTick(callback, sslError(this.conn?.version === 'TLSv1.2' ? 'no renegotiation' : 'wrong ssl version'));
    return false;
  }

  /** As node:tls: the name to send in server_name; a client's only, before its handshake starts. */
  setServername(name: string): void {
    validateString(name, 'name');
    if (this.isServer) throw nodeError('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket');
    this.opts.servername = name;
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

  /** net.Socket#setTimeout on the transport (which validates `ms` as net does); `timeout` then holds it, as on net.Socket. */
  setTimeout(ms: number, cb?: () => void): this {
    if (this.net) this.net.setTimeout(ms);
    else if (typeof ms !== 'number') throw invalidArgType('msecs', 'of type number', ms);
    if (cb !== undefined) {
      validateFunction(cb, 'callback');
      if (ms === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    this.timeout = ms;
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

/**
 * Counts bytes that arrived before a server's slot is opened; true once the
 * first record is complete (or its header announces more than any record
 * may hold: the engine then fails it with the right alert).
 */
function firstRecordIn(w: { got: number; header: Buffer }, d: Buffer): boolean {
  if (w.got < 5) d.copy(w.header, w.got, 0, Math.min(d.length, 5 - w.got));
  w.got += d.length;
  if (w.got < 5) return false;
  const len = w.header.readUInt16BE(3);
  return w.got >= 5 + len || len > 16384 + 256;
}

/** The largest TLS 1.2 identity hint an engine slot holds (assembly/tls/slot.ts MAX_HINT). */
const MAX_IDENTITY_HINT = 128;

function baseConfig(sc: NormalizedOptions, trace: boolean, keylog: boolean, alpn?: Uint8Array, identityHint?: Uint8Array): EngineConfig {
  return {
    suites: sc.suites,
    minVersion: sc.minVersion,
    maxVersion: sc.maxVersion,
    identityHint,
    kxModes: sc.kxModes,
    groups: sc.groups,
    alpn: alpn ?? sc.alpn,
    maxFragmentLength: sc.maxFragmentLength,
    recordSizeLimit: sc.recordSizeLimit,
    keylog,
    trace,
  };
}

const serverConfigs = new WeakMap<NormalizedOptions, Map<string, EngineConfig[]>>();

/** The (shared, frozen) engine config of a server connection with these options and identity hint. */
function serverConfig(sc: NormalizedOptions, trace: boolean, keylog: boolean, hint?: Buffer): EngineConfig {
  let byHint = serverConfigs.get(sc);
  if (!byHint) serverConfigs.set(sc, (byHint = new Map()));
  const key = hint ? hint.toString('hex') : '';
  let all = byHint.get(key);
  if (!all) {
    all = [false, true].flatMap((t) => [false, true].map((k) => Object.freeze(baseConfig(sc, t, k, undefined, hint))));
    byHint.set(key, all);
  }
  return all[(trace ? 2 : 0) + (keylog ? 1 : 0)];
}

/** Whether two secure contexts configure a connection the same way (what an SNI switch may change). */
function sameOptions(a: SecureContext, b: SecureContext): boolean {
  const x = a[kTlsrtOptions];
  const y = b[kTlsrtOptions];
  const alpn = (v?: Uint8Array) => (v ? Buffer.from(v).toString('hex') : '');
  return x.suites.join() === y.suites.join() && alpn(x.alpn) === alpn(y.alpn) && String(x.groups) === String(y.groups) && x.minVersion === y.minVersion && x.maxVersion === y.maxVersion;
}

export type { TlsError };
