// A man in the middle for engine-to-engine handshakes: two Conns of one
// Engine wired back to back, with every record either side sends passed
// through a tap that may rewrite it, and an optional cut that stops a
// direction after so many bytes. Plus what the malformed-input tests need
// around it: record splitting, a field map of the handshake records (so an
// outcome can be attributed to "the binder" or "the ServerHello random"),
// a seeded PRNG, and TLS 1.3 record protection in node:crypto (from the
// key-log secrets) to re-seal an encrypted record after changing its
// plaintext.
import { createCipheriv, createDecipheriv, createHash, createHmac, type CipherGCMTypes } from 'node:crypto';
import { Engine, type EngineEvent, EngineError } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { E_BAD_SLOT, I_STATE } from '../../src/engine/abi.ts';
import { side, drain, type Side } from './engine.ts';

export type Role = 'client' | 'server';
export const other = (r: Role): Role => (r === 'client' ? 'server' : 'client');

export const CT = { CCS: 20, ALERT: 21, HANDSHAKE: 22, APP: 23 } as const;

// ---------- records ----------

/** Splits a byte stream into whole records by their headers; `rest` is an incomplete tail. */
export function splitRecords(buf: Uint8Array): { records: Buffer[]; rest: Buffer } {
  const b = Buffer.from(buf);
  const records: Buffer[] = [];
  let i = 0;
  while (i + 5 <= b.length) {
    const n = 5 + b.readUInt16BE(i + 3);
    if (i + n > b.length) break;
    records.push(b.subarray(i, i + n));
    i += n;
  }
  return { records, rest: b.subarray(i) };
}

export function record(type: number, body: Uint8Array, version = 0x0303): Buffer {
  const h = Buffer.alloc(5);
  h[0] = type;
  h.writeUInt16BE(version, 1);
  h.writeUInt16BE(body.length, 3);
  return Buffer.concat([h, Buffer.from(body)]);
}

export function flipBit(rec: Buffer, pos: number, bit: number): Buffer {
  const t = Buffer.from(rec);
  t[pos] ^= 1 << bit;
  return t;
}

// ---------- seeded randomness ----------

/** splitmix32-style PRNG: uniform u32 from a 32-bit seed, reproducible. */
export function prng(seed: number): { u32(): number; int(n: number): number; bytes(n: number): Buffer } {
  let s = seed >>> 0;
  const u32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    u32,
    int: (n: number) => u32() % n,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => u32() & 0xff)),
  };
}

// ---------- TLS 1.3 record protection from a traffic secret (RFC 8446 §5.2, §7.3) ----------

const SUITE_PARAMS: Record<string, { cipher: string; keyLen: number; tagLen: number; hash: 'sha256' | 'sha384' }> = {
  TLS_AES_128_GCM_SHA256: { cipher: 'aes-128-gcm', keyLen: 16, tagLen: 16, hash: 'sha256' },
  TLS_AES_256_GCM_SHA384: { cipher: 'aes-256-gcm', keyLen: 32, tagLen: 16, hash: 'sha384' },
  TLS_CHACHA20_POLY1305_SHA256: { cipher: 'chacha20-poly1305', keyLen: 32, tagLen: 16, hash: 'sha256' },
  TLS_AES_128_CCM_SHA256: { cipher: 'aes-128-ccm', keyLen: 16, tagLen: 16, hash: 'sha256' },
  TLS_AES_128_CCM_8_SHA256: { cipher: 'aes-128-ccm', keyLen: 16, tagLen: 8, hash: 'sha256' },
};

export function tagLen(suite: string): number {
  return SUITE_PARAMS[suite].tagLen;
}

export function hkdfExpandLabel(hash: string, secret: Buffer, label: string, length: number, context: Buffer = Buffer.alloc(0)): Buffer {
  const full = Buffer.from('tls13 ' + label, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    prev = createHmac(hash, secret).update(prev).update(info).update(Buffer.from([i])).digest();
    out.push(prev);
  }
  return Buffer.concat(out).subarray(0, length);
}

/** One direction's record protection: seq counts records under this secret. */
export class RecordKey {
  readonly key: Buffer;
  readonly iv: Buffer;
  private readonly p: (typeof SUITE_PARAMS)[string];
  constructor(readonly suite: string, secret: Buffer) {
    this.p = SUITE_PARAMS[suite];
    this.key = hkdfExpandLabel(this.p.hash, secret, 'key', this.p.keyLen);
    this.iv = hkdfExpandLabel(this.p.hash, secret, 'iv', 12);
  }
  private nonce(seq: number): Buffer {
    const n = Buffer.from(this.iv);
    const s = Buffer.alloc(8);
    s.writeBigUInt64BE(BigInt(seq));
    for (let i = 0; i < 8; i++) n[4 + i] ^= s[i];
    return n;
  }
  /** TLSInnerPlaintext (content || type || zeros) of a protected record, or null when it does not verify. */
  open(rec: Buffer, seq: number): Buffer | null {
    const aad = rec.subarray(0, 5);
    const body = rec.subarray(5);
    const t = this.p.tagLen;
    if (body.length < t) return null;
    const opts = { authTagLength: t } as any;
    const d = createDecipheriv(this.p.cipher as CipherGCMTypes, this.key, this.nonce(seq), opts) as any;
    // CCM wants the tag before the AAD; GCM and ChaCha20-Poly1305 take either order.
    d.setAuthTag(body.subarray(body.length - t));
    d.setAAD(aad, { plaintextLength: body.length - t });
    try {
      return Buffer.concat([d.update(body.subarray(0, body.length - t)), d.final()]);
    } catch {
      return null;
    }
  }
  /** Seals a TLSInnerPlaintext into a record of outer type 23. */
  seal(inner: Buffer, seq: number): Buffer {
    const t = this.p.tagLen;
    const h = Buffer.from([CT.APP, 3, 3, 0, 0]);
    h.writeUInt16BE(inner.length + t, 3);
    const c = createCipheriv(this.p.cipher as CipherGCMTypes, this.key, this.nonce(seq), { authTagLength: t } as any) as any;
    c.setAAD(h, { plaintextLength: inner.length });
    const ct = Buffer.concat([c.update(inner), c.final()]);
    return Buffer.concat([h, ct, c.getAuthTag()]);
  }
}

// ---------- a ClientHello built by hand, with a correct binder ----------

export interface HelloParts {
  psk: Buffer;
  identity: Buffer;
  random?: Buffer;
  legacyVersion?: number;
  sessionId?: Buffer;
  suites?: number[];
  /** Extensions before pre_shared_key, as [type, body]. */
  extensions: [number, Buffer][];
  /** Extra identities after the first (each with a binder, so the counts match). */
  moreIdentities?: Buffer[];
  /** The PSK behind each identity's binder, in order (default: `psk` for every one). */
  psks?: Buffer[];
  binderLen?: number;
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);

/** A SHA-256 external-PSK ClientHello record whose binders are right for their PSKs (RFC 8446 §4.2.11.2). */
export function buildClientHello(h: HelloParts): Buffer {
  const sid = h.sessionId ?? Buffer.alloc(0);
  const suites = h.suites ?? [0x1301];
  const ids = [h.identity, ...(h.moreIdentities ?? [])];
  const bl = h.binderLen ?? 32;
  const identities = vec16(Buffer.concat(ids.map((id) => Buffer.concat([vec16(id), Buffer.alloc(4)]))));
  const bindersLen = ids.length * (1 + bl);
  const pskExtLen = identities.length + 2 + bindersLen;
  const exts = Buffer.concat([
    ...h.extensions.map(([t, b]) => Buffer.concat([u16(t), vec16(b)])),
    u16(41), u16(pskExtLen), identities,
  ]);
  const extsLen = exts.length + 2 + bindersLen;
  const body = Buffer.concat([
    u16(h.legacyVersion ?? 0x0303), h.random ?? Buffer.alloc(32, 0x42), Buffer.from([sid.length]), sid,
    vec16(Buffer.concat(suites.map(u16))), Buffer.from([1, 0]), u16(extsLen), exts,
  ]);
  const msgLen = body.length + 2 + bindersLen;
  const partial = Buffer.concat([Buffer.from([1, msgLen >> 16, (msgLen >> 8) & 0xff, msgLen & 0xff]), body]);
  const binderOf = (psk: Buffer) => {
    const early = createHmac('sha256', Buffer.alloc(32)).update(psk).digest();
    const emptyHash = createHash('sha256').digest();
    const binderKey = hkdfExpandLabel('sha256', early, 'ext binder', 32, emptyHash);
    const finishedKey = hkdfExpandLabel('sha256', binderKey, 'finished', 32);
    return createHmac('sha256', finishedKey).update(createHash('sha256').update(partial).digest()).digest().subarray(0, bl);
  };
  const binders = Buffer.concat([u16(bindersLen), ...ids.map((_, i) => Buffer.concat([Buffer.from([bl]), binderOf(h.psks?.[i] ?? h.psk)]))]);
  const msg = Buffer.concat([partial, binders]);
  return Buffer.concat([Buffer.from([22, 3, 3]), u16(msg.length), msg]);
}

/** Extension bodies a PSK ClientHello usually carries. */
export const ext = {
  versions: (...v: number[]): [number, Buffer] => [43, Buffer.concat([Buffer.from([v.length * 2]), ...v.map(u16)])],
  modes: (...m: number[]): [number, Buffer] => [45, Buffer.from([m.length, ...m])],
  groups: (...g: number[]): [number, Buffer] => [10, vec16(Buffer.concat(g.map(u16)))],
  keyShare: (key: Buffer, group = 0x001d): [number, Buffer] => [51, vec16(Buffer.concat([u16(group), vec16(key)]))],
  sni: (name: Buffer): [number, Buffer] => [0, vec16(Buffer.concat([Buffer.from([0]), vec16(name)]))],
  alpn: (names: Buffer[]): [number, Buffer] => [16, vec16(Buffer.concat(names.map((n) => Buffer.concat([Buffer.from([n.length]), n]))))],
  raw: (type: number, body: Buffer): [number, Buffer] => [type, body],
};

// ---------- field map of handshake records ----------

export interface Field {
  name: string;
  start: number;
  end: number;
}

const EXT_NAMES: Record<number, string> = {
  0: 'server_name', 1: 'max_fragment_length', 10: 'supported_groups', 16: 'alpn', 28: 'record_size_limit',
  41: 'pre_shared_key', 43: 'supported_versions', 44: 'cookie', 45: 'psk_key_exchange_modes', 51: 'key_share',
};

/** Names every byte of a record the engines exchange in a PSK handshake (`kind` says what it carries). */
export function fieldsOf(kind: RecordKind, rec: Buffer): Field[] {
  const f: Field[] = [];
  const add = (name: string, start: number, len: number) => {
    if (len > 0) f.push({ name, start, end: start + len });
    return start + len;
  };
  add('record.type', 0, 1);
  add('record.version.major', 1, 1);
  add('record.version.minor', 2, 1);
  add('record.length', 3, 2);
  if (kind === 'encrypted') {
    add('ciphertext', 5, rec.length - 5);
    return f;
  }
  if (kind === 'CCS') {
    add('ccs.payload', 5, rec.length - 5);
    return f;
  }
  let p = add('handshake.type', 5, 1);
  p = add('handshake.length', p, 3);
  p = add('legacy_version', p, 2);
  p = add('random', p, 32);
  const sid = rec[p];
  p = add('session_id.length', p, 1);
  p = add('session_id', p, sid);
  if (kind === 'ClientHello') {
    const n = rec.readUInt16BE(p);
    p = add('cipher_suites.length', p, 2);
    p = add('cipher_suites', p, n);
    p = add('compression.length', p, 1);
    p = add('compression', p, 1);
  } else {
    p = add('cipher_suite', p, 2);
    p = add('compression', p, 1);
  }
  p = add('extensions.length', p, 2);
  while (p < rec.length) {
    const et = rec.readUInt16BE(p);
    const el = rec.readUInt16BE(p + 2);
    const name = EXT_NAMES[et] ?? `ext_${et}`;
    p = add(`${name}.type`, p, 2);
    p = add(`${name}.length`, p, 2);
    const end = p + el;
    if (et === 41 && kind === 'ClientHello') {
      p = add('psk.identities.length', p, 2);
      const il = rec.readUInt16BE(p);
      p = add('psk.identity.length', p, 2);
      p = add('psk.identity', p, il);
      p = add('psk.ticket_age', p, 4);
      p = add('psk.binders.length', p, 2);
      const bl = rec[p];
      p = add('psk.binder.length', p, 1);
      p = add('psk.binder', p, bl);
    } else if (et === 41) {
      p = add('psk.selected_identity', p, 2);
    } else if (et === 51 && kind === 'ClientHello') {
      p = add('key_share.list_length', p, 2);
      p = add('key_share.group', p, 2);
      const kl = rec.readUInt16BE(p);
      p = add('key_share.key_length', p, 2);
      p = add('key_share.key', p, kl);
    } else if (et === 51 && kind === 'ServerHello') {
      p = add('key_share.group', p, 2);
      const kl = rec.readUInt16BE(p); // 32 for X25519, 65 for P-256
      p = add('key_share.key_length', p, 2);
      p = add('key_share.key', p, kl);
    } else if (et === 44) {
      const cl = rec.readUInt16BE(p);
      p = add('cookie.length', p, 2);
      p = add('cookie', p, cl);
    } else {
      p = add(`${name}.body`, p, el);
    }
    if (p !== end) throw new Error(`fieldsOf: ${name} parsed to ${p}, expected ${end}`);
  }
  return f;
}

/** Names the bytes of a TLSInnerPlaintext holding handshake messages (after re-opening an encrypted record). */
export function innerFieldsOf(inner: Buffer): Field[] {
  const f: Field[] = [];
  let p = 0;
  const end = inner.length - 1; // content type; no padding from the engine
  while (p < end) {
    const t = inner[p];
    const n = inner.readUIntBE(p + 1, 3);
    const m = t === 8 ? 'EncryptedExtensions' : t === 20 ? 'Finished' : `msg_${t}`;
    f.push({ name: `${m}.type`, start: p, end: p + 1 });
    f.push({ name: `${m}.length`, start: p + 1, end: p + 4 });
    if (t === 8) {
      f.push({ name: 'EncryptedExtensions.extensions.length', start: p + 4, end: p + 6 });
      let q = p + 6;
      while (q < p + 4 + n) {
        const et = inner.readUInt16BE(q);
        const el = inner.readUInt16BE(q + 2);
        const name = `EncryptedExtensions.${EXT_NAMES[et] ?? `ext_${et}`}`;
        f.push({ name: `${name}.type`, start: q, end: q + 2 });
        f.push({ name: `${name}.length`, start: q + 2, end: q + 4 });
        if (el) f.push({ name: `${name}.body`, start: q + 4, end: q + 4 + el });
        q += 4 + el;
      }
    } else if (n) {
      f.push({ name: `${m}.body`, start: p + 4, end: p + 4 + n });
    }
    p += 4 + n;
  }
  f.push({ name: 'inner.content_type', start: end, end: end + 1 });
  return f;
}

export function fieldAt(fields: Field[], pos: number): string {
  for (const x of fields) if (pos >= x.start && pos < x.end) return x.name;
  return '?';
}

// ---------- the link ----------

export interface Scenario {
  name: string;
  client: EngineConfig;
  server: EngineConfig;
  /** The PSK the server's host answers with for `identity` (others: unknown). */
  psk: Buffer;
  identity: Buffer;
  /** The suite the handshake ends up with (for re-sealing). */
  suite: string;
  /** The (EC)DHE group it ends up with, when not x25519 (a P-256 share with a flipped bit is no point: illegal_parameter). */
  group?: string;
  /** What each record a side sends in the handshake carries, in order, and its name in reports. */
  records: Record<Role, [RecordKind, string][]>;
}

export type RecordKind = 'ClientHello' | 'ServerHello' | 'HelloRetryRequest' | 'encrypted' | 'CCS';

export type Tap = (from: Role, index: number, rec: Buffer, link: Link) => Buffer;

/** The key-log secrets a side reported, by NSS label. */
export type Secrets = Map<string, Buffer>;

export class Link {
  readonly sides: Record<Role, Side>;
  /** Records each side sent, as the engine produced them (before the tap). */
  readonly sent: Record<Role, Buffer[]> = { client: [], server: [] };
  /** Chunks each side handed out per takeOutput call (the flights). */
  readonly flights: Record<Role, Buffer[]> = { client: [], server: [] };
  readonly secrets: Record<Role, Secrets> = { client: new Map(), server: new Map() };
  /** Bytes delivered to each side so far. */
  readonly delivered: Record<Role, number> = { client: 0, server: 0 };
  /** Bytes on the wire towards each side, not yet taken. */
  private readonly wire: Record<Role, Buffer> = { client: Buffer.alloc(0), server: Buffer.alloc(0) };
  private readonly raw: Record<Role, Buffer> = { client: Buffer.alloc(0), server: Buffer.alloc(0) };
  /** Stop delivering to a side after this many bytes in total. */
  limit: Partial<Record<Role, number>> = {};
  tap?: Tap;

  constructor(readonly engine: Engine, readonly scenario: Scenario, opts: { tap?: Tap; limit?: Partial<Record<Role, number>> } = {}) {
    this.tap = opts.tap;
    this.limit = opts.limit ?? {};
    const client = side(engine.open('client', { ...scenario.client, keylog: true }));
    let server: Side;
    try {
      server = side(engine.open('server', { ...scenario.server, keylog: true }), (ev) => ({
        psk: ev.identity.equals(scenario.identity) ? scenario.psk : null,
      }));
    } catch (e) {
      client.conn.close();
      throw e;
    }
    this.sides = { client, server };
  }

  private collect(s: Side, r: Role): boolean {
    const before = s.events.length;
    const moved = drain(s);
    for (const ev of s.events.slice(before)) {
      if (ev.kind === 'keylog') {
        const [label, , secret] = ev.line.trim().split(' ');
        this.secrets[r].set(label, Buffer.from(secret, 'hex'));
      }
    }
    return moved;
  }

  /** One round: each side's events and output, then delivery; true when anything moved. */
  step(): boolean {
    let moved = false;
    for (const from of ['client', 'server'] as Role[]) {
      const to = other(from);
      const a = this.sides[from];
      const b = this.sides[to];
      moved = this.collect(a, from) || moved;
      const out = a.conn.takeOutput();
      if (out) {
        moved = true;
        this.flights[from].push(Buffer.from(out));
        const { records, rest } = splitRecords(Buffer.concat([this.raw[from], out]));
        this.raw[from] = rest;
        const put: Buffer[] = [this.wire[to]];
        for (const rec of records) {
          const i = this.sent[from].length;
          this.sent[from].push(rec);
          put.push(this.tap ? this.tap(from, i, rec, this) : rec);
        }
        this.wire[to] = Buffer.concat(put);
      }
      let inbox = this.wire[to];
      const lim = this.limit[to];
      if (lim !== undefined) inbox = inbox.subarray(0, Math.max(0, lim - this.delivered[to]));
      if (inbox.length && !b.conn.isClosed) {
        const n = b.conn.feed(inbox);
        if (n) {
          this.wire[to] = this.wire[to].subarray(n);
          this.delivered[to] += n;
          moved = true;
        }
      }
      moved = this.collect(b, to) || moved;
    }
    return moved;
  }

  /** Runs until nothing moves; false when `maxRounds` passed first (a livelock). */
  run(maxRounds = 64): boolean {
    for (let i = 0; i < maxRounds; i++) if (!this.step()) return true;
    return false;
  }

  /** Bytes still waiting on the wire towards a side. */
  pending(to: Role): number {
    return this.wire[to].length;
  }

  errors(r: Role): (EngineEvent & { kind: 'error' })[] {
    return this.sides[r].events.filter((e): e is EngineEvent & { kind: 'error' } => e.kind === 'error');
  }

  close(): void {
    this.sides.client.conn.close();
    this.sides.server.conn.close();
  }
}

/** Slot ids of `engine` that are in use (info() answers E_BAD_SLOT for free ones). */
export function liveSlots(engine: Engine): number[] {
  const out: number[] = [];
  for (let i = 0; i < engine.geometry.slots; i++) if (engine.x.info(i, I_STATE) !== E_BAD_SLOT) out.push(i);
  return out;
}

export { EngineError };
