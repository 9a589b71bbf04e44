// The Node binding of the engine ABI (assembly/engine.ts): one WebAssembly
// instance holds a fixed pool of connection slots; a Conn drives one slot.
// This file moves bytes and decodes events; it never parses TLS itself.
import { instantiateProfile, type Profile } from './wasm-module.ts';
import { encodeConfig, SUITE_NAMES, type EngineConfig } from './config.ts';
import * as ABI from './abi.ts';
import { REASON_NAMES, KEYLOG_LABELS, STATE_NAMES } from './abi.ts';
import { GROUP_TABLE } from './tables.ts';

export interface PoolGeometry {
  slots: number;
  /** Inbound record buffer bytes (5 + max record + overhead: 16645 for full-size records). */
  recvCap: number;
  /** Outbound record buffer bytes. */
  sendCap: number;
  /** Handshake reassembly bytes. */
  hsCap: number;
}

export const FULL_SIZE_RECORD_BUFFER = 5 + 16384 + 256;
export const DEFAULT_GEOMETRY: PoolGeometry = { slots: 4, recvCap: FULL_SIZE_RECORD_BUFFER, sendCap: FULL_SIZE_RECORD_BUFFER, hsCap: 2048 };

export const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 22: 'record_overflow', 40: 'handshake_failure',
  47: 'illegal_parameter', 50: 'decode_error', 51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security',
  80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension', 110: 'unsupported_extension',
  112: 'unrecognized_name', 115: 'unknown_psk_identity', 116: 'certificate_required', 120: 'no_application_protocol',
};

/** Engine failure reasons (abi/engine-abi.json R_*) by value, as lower-case names. */
export const REASONS: Readonly<Record<number, string>> = REASON_NAMES;

export { KEYLOG_LABELS };

export type EngineEvent =
  | { kind: 'handshake' }
  /** identities: every PSK identity the client offered that the engine can use, in the client's order; identity is the first. */
  | { kind: 'clientHello'; identity: Buffer; identities: Buffer[]; serverName?: string; alpn?: string[] }
  /** line: the NSS key-log line (formatted when first read). */
  | { kind: 'keylog'; readonly line: string }
  | { kind: 'error'; reason: string; alert: number; alertName: string; local: boolean }
  | { kind: 'peerClosed' }
  | { kind: 'keyUpdate'; peer: boolean }
  | { kind: 'trace'; sent: boolean; type: number; length: number }
  /** Client, TLS 1.2 with askPsk: the server's identity hint (null when it sent none); answer with pskReply. */
  | { kind: 'pskHint'; hint: Buffer | null };

/** Connection states by ST_* value. */
export const STATES = STATE_NAMES;

type X = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };

export class EngineError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

/** One WebAssembly instance with its pool of slots. */
export class Engine {
  readonly x: X;
  readonly geometry: PoolGeometry;

  constructor(geometry: Partial<PoolGeometry> = {}, profile: Profile = 'psk') {
    this.geometry = { ...DEFAULT_GEOMETRY, ...geometry };
    this.x = instantiateProfile(profile).exports as unknown as X;
    const g = this.geometry;
    const r = this.x.init(g.slots, g.recvCap, g.sendCap, g.hsCap);
    if (r !== 0) throw new EngineError(`engine init failed (${r}) for geometry ${JSON.stringify(g)}`, r);
  }

  /**
   * A view of linear memory, made again only when memory.grow replaced the
   * buffer (a handshake reads it dozens of times). Undefined until first
   * used: an Engine made around an existing instance (src/sim) skips the
   * constructor and its field initializers.
   */
  private memView?: Uint8Array;

  get mem(): Uint8Array {
    const b = this.x.memory.buffer;
    let v = this.memView;
    if (!v || v.buffer !== b) v = this.memView = new Uint8Array(b);
    return v;
  }

  /** Bytes of linear memory the pool occupies. */
  arenaBytes(): number {
    const g = this.geometry;
    return this.x.arena_bytes(g.slots, g.recvCap, g.sendCap, g.hsCap);
  }

  open(role: 'client' | 'server', cfg: EngineConfig): Conn {
    const blob = encodeConfig(cfg);
    if (blob.length > this.x.io_cap()) throw new EngineError('config too large', ABI.E_BAD_ARG);
    this.mem.set(blob, this.x.io_ptr());
    const id = this.x.open(role === 'client' ? 0 : 1, blob.length);
    if (id < 0) {
      const why = id === ABI.E_NO_SLOT ? 'every connection slot is in use' : id === ABI.E_CONFIG ? 'invalid connection config'
        : id === ABI.E_UNSUPPORTED ? `this engine module was built without something it asks for (role ${role}, suites ${cfg.suites?.join(':') ?? 'default'}, ` +
          `key exchange ${cfg.kxModes?.join('+') ?? 'default'}, groups ${cfg.groups?.join(':') ?? 'default'}, PSK hash ${cfg.pskHash ?? 'sha256'}); a board module holds only what its boards/<name>.json "engine" section selects`
        : `error ${id}`;
      throw new EngineError(`cannot open a ${role} connection: ${why}`, id);
    }
    return new Conn(this, id);
  }
}

/** One connection slot: bytes in and out, plaintext in and out, events. */
export class Conn {
  private closed = false;
  private collected: EngineEvent[] = [];
  /** Called once when the slot is freed (the process-wide pool counts its engines' free slots with it). */
  onClose: (() => void) | null = null;

  constructor(readonly engine: Engine, readonly id: number) {}

  private get x(): X {
    return this.engine.x;
  }

  /**
   * Offers network bytes; returns how many the engine took. It stops at
   * plaintext or output the host has not taken yet (backpressure); events the
   * engine raises meanwhile are collected here and returned by events().
   */
  feed(data: Uint8Array): number {
    let off = 0;
    while (off < data.length && !this.closed) {
      // One status word says whether input is taken now, or waits for events to be taken first.
      let st = this.x.status(this.id);
      if (!(st & ABI.SB_WANT_INPUT) && st & ABI.SB_EVENT) {
        this.collected.push(...this.pullEvents());
        st = this.x.status(this.id);
      }
      if (st < 0 || !(st & ABI.SB_WANT_INPUT)) break;
      const n = Math.min(this.x.recv_want(this.id), data.length - off);
      this.engine.mem.set(data.subarray(off, off + n), this.x.recv_ptr(this.id));
      const r = this.x.recv_commit(this.id, n);
      if (r < 0) throw new EngineError(`recv_commit failed (${r})`, r);
      off += n;
    }
    return off;
  }

  /**
   * What the slot wants now (ABI SB_* bits: input, output, application data
   * in or out, an event, closed, waiting for the host); 0 once closed.
   */
  status(): number {
    if (this.closed) return 0;
    const st = this.x.status(this.id);
    return st < 0 ? 0 : st;
  }

  /** Bytes waiting for the network (taken out of the engine). */
  takeOutput(): Uint8Array | null {
    if (this.closed || !(this.x.status(this.id) & ABI.SB_OUTPUT)) return null;
    const n = this.x.send_len(this.id);
    if (n <= 0) return null;
    const p = this.x.send_ptr(this.id);
    const out = this.engine.mem.slice(p, p + n);
    this.x.send_commit(this.id, n);
    return out;
  }

  /** Decrypted application data waiting for the application. */
  readApp(): Uint8Array | null {
    if (this.closed) return null;
    const n = this.x.app_in_len(this.id);
    if (n <= 0) return null;
    const p = this.x.app_in_ptr(this.id);
    const out = this.engine.mem.slice(p, p + n);
    this.x.app_in_commit(this.id, n);
    return out;
  }

  /** Seals up to one record of `data`; returns the bytes taken (0 while output is pending or not open). */
  writeApp(data: Uint8Array): number {
    if (this.closed || data.length === 0) return 0;
    const cap = this.x.app_out_cap(this.id);
    if (cap <= 0) return 0;
    const n = Math.min(cap, data.length);
    this.engine.mem.set(data.subarray(0, n), this.x.app_out_ptr(this.id));
    const r = this.x.app_out_commit(this.id, n);
    if (r < 0) throw new EngineError(`app_out_commit failed (${r})`, r);
    return n;
  }

  /**
   * Seals the leading bytes of several writes, in order, as ONE record (as
   * many as the record holds); returns the bytes taken. Each part is copied
   * once, straight into the slot's send buffer where the record is sealed in
   * place: a batch costs no concatenation, and a large part is taken in
   * record-sized pieces from its own buffer.
   */
  writeAppParts(parts: readonly Uint8Array[]): number {
    if (this.closed) return 0;
    const cap = this.x.app_out_cap(this.id);
    if (cap <= 0) return 0;
    const mem = this.engine.mem;
    const base = this.x.app_out_ptr(this.id);
    let n = 0;
    for (let i = 0; i < parts.length && n < cap; i++) {
      const p = parts[i];
      const take = Math.min(cap - n, p.length);
      mem.set(take === p.length ? p : p.subarray(0, take), base + n);
      n += take;
    }
    if (n === 0) return 0;
    const r = this.x.app_out_commit(this.id, n);
    if (r < 0) throw new EngineError(`app_out_commit failed (${r})`, r);
    return n;
  }

  /** Puts events a host could not finish handling back in front of the queue (they come out first next time). */
  requeueEvents(events: EngineEvent[]): void {
    if (events.length) this.collected = [...events, ...this.collected];
  }

  /** Events in the order the engine raised them (including those collected during feed). */
  events(): EngineEvent[] {
    const out = this.collected;
    this.collected = [];
    if (!this.closed) out.push(...this.pullEvents());
    return out;
  }

  private pullEvents(): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (;;) {
      const kind = this.x.event_kind(this.id);
      if (kind <= 0) break;
      const arg = this.x.event_arg(this.id) >>> 0;
      const len = this.x.event_data_len(this.id);
      let data = EMPTY;
      if (len > 0) {
        const p = this.x.event_data_ptr(this.id);
        data = Buffer.from(this.engine.mem.subarray(p, p + len)); // one copy: the slot reuses its event area
      }
      this.x.event_pop(this.id);
      out.push(decodeEvent(kind, arg, data));
    }
    return out;
  }

  /**
   * Answers a clientHello event: the PSK for identities[index] (default 0;
   * null: none is known), or an alert to abort with.
   */
  helloReply(r: { psk?: Uint8Array | null; index?: number; alpn?: string; abort?: number }): void {
    const entries: Array<[number, Uint8Array]> = [];
    if (r.abort !== undefined) entries.push([ABI.HR_ABORT, Uint8Array.of(r.abort)]);
    else {
      if (r.psk) entries.push([ABI.HR_PSK_KEY, r.psk]);
      if (r.psk && r.index) entries.push([ABI.HR_PSK_INDEX, Uint8Array.of(r.index)]);
      if (r.alpn) entries.push([ABI.HR_ALPN, Buffer.from(r.alpn, 'utf8')]);
    }
    this.reply(entries);
  }

  /** Answers a pskHint event (client, TLS 1.2): the identity and key to use, or null to give up (handshake_failure). */
  pskReply(r: { identity: Uint8Array; psk: Uint8Array } | null | { abort: number }): void {
    const entries: Array<[number, Uint8Array]> = [];
    if (r && 'abort' in r) entries.push([ABI.HR_ABORT, Uint8Array.of(r.abort)]);
    else if (r) entries.push([ABI.HR_IDENTITY, r.identity], [ABI.HR_PSK_KEY, r.psk]);
    this.reply(entries);
  }

  /** hello_reply with these (tag, value) entries, written straight into the engine's staging area (a PSK is up to 128 bytes). */
  private reply(entries: Array<[number, Uint8Array]>): void {
    const io = this.x.io_ptr();
    const mem = this.engine.mem;
    let n = 0;
    for (const [tag, v] of entries) {
      mem[io + n] = tag;
      mem[io + n + 1] = v.length >> 8;
      mem[io + n + 2] = v.length & 0xff;
      mem.set(v, io + n + 3);
      n += 3 + v.length;
    }
    const rc = this.x.hello_reply(this.id, n);
    if (rc < 0) throw new EngineError(`hello_reply failed (${rc})`, rc);
  }

  shutdown(): void {
    if (!this.closed) this.x.shutdown(this.id);
  }

  keyUpdate(requestPeer: boolean): number {
    return this.x.key_update(this.id, requestPeer ? 1 : 0);
  }

  setMaxSendFragment(n: number): boolean {
    return this.x.set_max_send_fragment(this.id, n) === 0;
  }

  /** Frees the slot (wiping it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.x.close(this.id);
    const cb = this.onClose;
    this.onClose = null;
    cb?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private info(what: number): number {
    return this.x.info(this.id, what);
  }

  private bytesAt(what: number, len: number): Buffer {
    const p = this.x.info_ptr(this.id, what);
    return Buffer.from(this.engine.mem.slice(p, p + len));
  }

  get state(): (typeof STATES)[number] {
    return STATES[this.info(ABI.I_STATE)] ?? 'free';
  }
  get suite(): string | undefined {
    return SUITE_NAMES[this.info(ABI.I_SUITE)];
  }
  /** Named group of the (EC)DHE exchange (abi/tables.json name), undefined under psk_ke or before ServerHello. */
  get group(): string | undefined {
    const id = this.info(ABI.I_GROUP);
    return id > 0 ? (GROUP_TABLE.find((g) => g.id === id)?.name ?? String(id)) : undefined;
  }

  /** 'TLSv1.2' or 'TLSv1.3' once the ServerHello fixed it. */
  get version(): 'TLSv1.2' | 'TLSv1.3' | undefined {
    const v = this.info(ABI.I_VERSION);
    return v === 0x0303 ? 'TLSv1.2' : v === 0x0304 ? 'TLSv1.3' : undefined;
  }
  /** Client, TLS 1.2: the server's PSK identity hint, null when it sent none. */
  get identityHint(): Buffer | null {
    const n = this.info(ABI.I_HINT_LEN);
    return n > 0 ? this.bytesAt(ABI.IP_IDENTITY_HINT, n) : null;
  }
  get kx(): 'psk_ke' | 'psk_dhe_ke' | undefined {
    const k = this.info(ABI.I_KX);
    return k === ABI.KX_PSK_KE ? 'psk_ke' : k === ABI.KX_PSK_DHE_KE ? 'psk_dhe_ke' : undefined;
  }
  get alpn(): string | false {
    const n = this.info(ABI.I_ALPN_LEN);
    return n > 0 ? this.bytesAt(ABI.IP_ALPN, n).toString('utf8') : false;
  }
  get serverName(): string | undefined {
    const n = this.info(ABI.I_SNI_LEN);
    return n > 0 ? this.bytesAt(ABI.IP_SNI, n).toString('utf8') : undefined;
  }
  get identity(): Buffer {
    return this.bytesAt(ABI.IP_IDENTITY, Math.max(0, this.info(ABI.I_IDENTITY_LEN)));
  }
  get clientFinished(): Buffer {
    return this.bytesAt(ABI.IP_CLIENT_FINISHED, this.info(ABI.I_HASH_LEN));
  }
  get serverFinished(): Buffer {
    return this.bytesAt(ABI.IP_SERVER_FINISHED, this.info(ABI.I_HASH_LEN));
  }
  get peerRecordLimit(): number {
    return this.info(ABI.I_PEER_LIMIT);
  }
  /** Largest record content this side accepts now (a larger one is record_overflow). */
  get recvRecordLimit(): number {
    return this.info(ABI.I_RECV_LIMIT);
  }
  get maxFragmentCode(): number {
    return this.info(ABI.I_MFL);
  }
  get helloRetried(): boolean {
    return this.info(ABI.I_HRR) === 1;
  }
  get records(): { in: number; out: number } {
    return { in: this.info(ABI.I_RECORDS_IN), out: this.info(ABI.I_RECORDS_OUT) };
  }
  get peerClosed(): boolean {
    return this.info(ABI.I_CLOSE_RECV) === 1;
  }
  get failure(): { reason: string; alert: number; local: boolean } | undefined {
    if (this.state !== 'failed') return undefined;
    return {
      reason: REASONS[this.info(ABI.I_FAIL_REASON)] ?? 'unknown',
      alert: this.info(ABI.I_FAIL_ALERT),
      local: this.info(ABI.I_FAIL_LOCAL) === 1,
    };
  }

  /** RFC 8446 §7.5 / RFC 5705 exporter (tls.TLSSocket#exportKeyingMaterial); no context differs from an empty one in TLS 1.2. */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Buffer {
    const l = Buffer.from(label, 'utf8');
    const c = context ?? new Uint8Array(0);
    const io = this.x.io_ptr();
    // Label, context and output share the staging area: never write past it.
    if (l.length + c.length + Math.max(0, length) > this.x.io_cap()) throw new EngineError('exporter label, context and output do not fit the engine\'s io area', ABI.E_BAD_ARG);
    this.engine.mem.set(l, io);
    this.engine.mem.set(c, io + l.length);
    const r = this.x.exporter(this.id, l.length, context ? c.length : -1, length);
    if (r < 0) throw new EngineError(`exporter failed (${r})`, r);
    const out = Buffer.from(this.engine.mem.slice(io, io + length));
    this.engine.mem.fill(0, io, io + length); // keying material lives on only in the caller's Buffer
    return out;
  }
}

const EMPTY = Buffer.alloc(0);

function decodeEvent(kind: number, arg: number, data: Buffer): EngineEvent {
  switch (kind) {
    case ABI.EV_HANDSHAKE_DONE:
      return { kind: 'handshake' };
    case ABI.EV_CLIENT_HELLO: {
      const ev: EngineEvent & { kind: 'clientHello' } = { kind: 'clientHello', identity: Buffer.alloc(0), identities: [] };
      for (let i = 0; i + 3 <= data.length; ) {
        const tag = data[i];
        const n = data.readUInt16BE(i + 1);
        const v = data.subarray(i + 3, i + 3 + n);
        if (tag === ABI.CH_IDENTITY) ev.identities.push(v); // data is this event's own copy
        else if (tag === ABI.CH_SERVER_NAME) ev.serverName = v.toString('utf8');
        else if (tag === ABI.CH_ALPN) {
          const names: string[] = [];
          for (let j = 2; j < v.length; j += 1 + v[j]) names.push(v.subarray(j + 1, j + 1 + v[j]).toString('utf8'));
          ev.alpn = names;
        }
        i += 3 + n;
      }
      if (ev.identities.length) ev.identity = ev.identities[0];
      return ev;
    }
    case ABI.EV_KEYLOG: {
      // Formatted only if someone reads it (a host with no 'keylog' listener never does).
      let line: string | undefined;
      return {
        kind: 'keylog',
        get line() {
          return (line ??= `${KEYLOG_LABELS[arg]} ${data.subarray(0, 32).toString('hex')} ${data.subarray(32).toString('hex')}\n`);
        },
      };
    }
    case ABI.EV_ERROR: {
      const alert = arg & 0xff;
      const reason = REASONS[arg >>> 8] ?? 'unknown';
      return { kind: 'error', reason, alert, alertName: ALERTS[alert] ?? `alert_${alert}`, local: reason !== 'peer_alert' };
    }
    case ABI.EV_PEER_CLOSED:
      return { kind: 'peerClosed' };
    case ABI.EV_KEY_UPDATE:
      return { kind: 'keyUpdate', peer: arg === 1 };
    case ABI.EV_TRACE:
      return { kind: 'trace', sent: arg >>> 31 === 1, type: (arg >>> 24) & 0x7f, length: arg & 0xffffff };
    case ABI.EV_PSK_HINT:
      return { kind: 'pskHint', hint: arg === 1 ? data : null };
  }
  throw new Error(`unknown engine event ${kind}`);
}
