// A simulated TCP connection in virtual time: two Duplex endpoints (a board's
// side and a server's side) joined by an imperfect network — propagation
// latency, jitter that reorders packets, loss, a bandwidth limit, an MTU and a
// send window — all driven by a SimClock (src/sim/clock.ts) and all
// randomness from a seeded Prng (src/sim/prng.ts), so a fleet run repeats
// exactly.
//
// What the reader sees is TCP's promise: every byte written arrives once, in
// order; loss and reordering only cost time. What the model keeps of TCP, per
// direction:
//
//   - Segmenting: written bytes queue on the sender and are cut into segments
//     of at most mtu - 40 payload bytes (40 = IPv4 + TCP headers, no options)
//     as soon as the window allows — writes are never held back to coalesce
//     them (no Nagle: TCP_NODELAY, what a TLS stack sets).
//   - Window: a new segment goes out while unacknowledged payload < windowBytes
//     (so up to one segment minus a byte more may be in flight). A fixed
//     window: no slow start, no congestion control, no receive window.
//   - The wire: each direction is one serial link; a transmission starts when
//     the wire is free and takes (payload + 40) * 8 / bandwidthBps to leave,
//     then arrives latencyMs (+ jitter) later, unless the Prng loses it.
//   - Retransmission: a transmission not acknowledged rtoMs after it left is
//     sent again (and may be lost again). A fixed RTO, no backoff, no fast
//     retransmit, no SACK negotiation: the receiver simply keeps out-of-order
//     segments and the sender only resends what is unacknowledged.
//   - ACKs: every arriving segment is acknowledged, the ACK reaching the sender
//     latencyMs later. ACKs are never lost and take no wire time (a
//     simplification: on a real link they can be lost, delaying the sender).
//     Their bytes are counted apart (ackWireBytes, 40 each, on the direction
//     they travel): one pure ACK per arriving transmission, none delayed or
//     piggybacked on data — an upper bound on what a real TCP sends, which
//     matters when a device pays for its data by the byte.
//   - FIN/RST: end() sends a FIN after the last byte (40 wire bytes, subject to
//     loss like data); the far side sees 'end' once every byte before it has
//     been read, and (like net.Socket, allowHalfOpen false) then ends its own
//     side. destroy() aborts the connection: the far side is destroyed with
//     ECONNRESET latencyMs later — unless the close was clean (this side had
//     ended and had received everything the peer wrote, the peer having ended
//     too): then it is a close(), the last FIN still flows and no RST is sent.
//     (node:tls destroys its socket as soon as it reads close_notify, often
//     just before the peer's FIN arrives; a kernel would not reset that.) No
//     TIME_WAIT, no handshake (the connection exists from construction:
//     SYN/SYN-ACK are not modelled, `connecting` is false).
//     resetAfterWritten() is an abort that follows the bytes already written:
//     they are still delivered (and retransmitted), then the RST goes — what
//     the --connect bridge does when the real server resets after sending.
//
// The write side applies backpressure the way a kernel socket buffer does: a
// write's callback runs only when the bytes queued before it plus the
// unacknowledged bytes fit in the window, so a writer that outpaces the link
// sees write() return false. The endpoint implements _write only (no _writev,
// which would hand over the writer's whole buffer at once), so the send side
// holds less than windowBytes + the write just admitted + the next one waiting
// — at most windowBytes + one chunk + writableHighWaterMark for chunks no
// larger than the high-water mark. The read side honours
// push() returning false: arrived bytes wait in the endpoint (`heldBytes`)
// until the reader asks again; they do not shrink the sender's window (no
// receive window is modelled), so a reader that stops reading lets heldBytes
// grow without bound — it is exposed so a simulation can see it.
//
// `bufferedPeak` per endpoint is the most bytes the endpoint ever had to keep
// for the network at once: sent-but-unacknowledged and not-yet-sent bytes,
// out-of-order segments waiting for a gap to fill, and held reassembled bytes.
// The fleet simulator reports it as a device's network RAM high-water.
import { Duplex } from 'node:stream';
import { hash } from 'node:crypto';
import type { SimClock } from './clock.ts';
import { Prng } from './prng.ts';

/** IPv4 (20) + TCP (20) headers, no options. */
export const HEADER_BYTES = 40;

export interface LinkOptions {
  /** One-way propagation delay in ms (default 20). */
  latencyMs?: number;
  /** Extra uniform random delay [0, jitterMs) for a segment that gets jitter (default 0). */
  jitterMs?: number;
  /** Probability a segment gets the jitter (default 0, which with jitterMs > 0 means every segment gets it). */
  reorder?: number;
  /** Probability each transmission of a segment is lost (default 0). */
  loss?: number;
  /** Bits per second each direction (default 1,000,000). */
  bandwidthBps?: number;
  /** Bytes per IP packet (default 1500); segment payload is at most mtu - 40. */
  mtu?: number;
  /** Most unacknowledged payload bytes in flight per direction (default 16384). */
  windowBytes?: number;
  /** Retransmission timeout (default max(200, 3 * (2 * latencyMs + jitterMs))). */
  rtoMs?: number;
  /** Seed of every random choice (loss, jitter); default 'link'. */
  seed?: string | number;
  /** Names the connection in addresses and traces (default 'link'). */
  name?: string;
  /** readable/writable highWaterMark of both endpoints (default 16384). */
  highWaterMark?: number;
  /** Per-endpoint overrides: fake addresses and ports the endpoints report. */
  a?: EndpointAddress;
  b?: EndpointAddress;
  /** Debug hook: called for every transmission as it leaves the wire. */
  onTransmit?: (t: Transmission) => void;
  /**
   * When a side's newly written bytes can first leave: a simulated board is
   * still computing them (its engine work costs virtual time, src/sim/fleet.ts),
   * so what it writes departs no earlier than its CPU is done. Default: now.
   */
  readyAt?: { a?: () => number; b?: () => number };
}

export interface EndpointAddress {
  address?: string;
  port?: number;
}

export interface Transmission {
  /** The sending endpoint. */
  from: 'a' | 'b';
  /** Byte offset of the segment's first payload byte in its direction. */
  seq: number;
  payloadBytes: number;
  fin: boolean;
  /** 1 for the first transmission, 2 for the first retransmission, ... */
  attempt: number;
  /** Virtual time the last bit left the sender. */
  departMs: number;
  lost: boolean;
  /** Virtual time it reaches the receiver (undefined if lost). */
  arriveMs?: number;
}

export interface DirStats {
  /** Distinct payload bytes cut into segments (each byte counted once, however often resent). */
  payloadBytes: number;
  /** Every transmission's payload + 40 header bytes (pure ACKs are counted in ackWireBytes). */
  wireBytes: number;
  /** Pure ACKs sent this way (one per transmission that arrived the other way), 40 bytes each. */
  acks: number;
  ackWireBytes: number;
  /** Distinct segments, the FIN included. */
  segments: number;
  transmissions: number;
  /** Transmissions the network dropped. */
  lost: number;
  /** Transmissions after a segment's first. */
  retransmits: number;
  /** Transmissions that arrived before one that left earlier (overtaken by jitter). */
  reordered: number;
  /** Arrivals of a segment already received (a spurious retransmission), dropped. */
  duplicates: number;
  /** Largest segment payload sent (never more than mtu - 40). */
  maxSegmentPayload: number;
}

interface Segment {
  seq: number;
  data: Buffer;
  fin: boolean;
  acked: boolean;
  attempts: number;
}

interface PendingWrite {
  /** Offset in the direction's byte stream where this write's bytes begin. */
  start: number;
  cb: (err?: Error | null) => void;
}

/** One direction of the connection: a sender's queue and window, a receiver's reassembly. */
class Direction {
  // Sender side.
  readonly unsent: Buffer[] = [];
  unsentBytes = 0;
  /** Bytes accepted from the writer so far (the stream offset of the next write). */
  written = 0;
  /** Bytes cut into segments so far (the seq of the next new segment). */
  cut = 0;
  readonly inFlight = new Map<number, Segment>();
  unackedBytes = 0;
  wireFreeAt = 0;
  readonly writes: PendingWrite[] = [];
  finCb: ((err?: Error | null) => void) | undefined;
  finRequested = false;
  /** An RST is to follow the bytes written so far, once they are all acknowledged. */
  resetWhenDelivered = false;
  finSent = false;
  finAcked = false;
  senderDead = false;
  /** Latest arrival time scheduled so far, to spot transmissions overtaken by later ones. */
  latestArrival = -Infinity;
  // Receiver side.
  /** Next in-order byte offset the receiver wants. */
  expected = 0;
  readonly outOfOrder = new Map<number, Segment>();
  outOfOrderBytes = 0;
  finReceived = false;
  receiverDead = false;

  readonly stats: DirStats = {
    payloadBytes: 0, wireBytes: 0, acks: 0, ackWireBytes: 0, segments: 0, transmissions: 0, lost: 0, retransmits: 0, reordered: 0, duplicates: 0, maxSegmentPayload: 0,
  };

  constructor(
    readonly from: 'a' | 'b',
    readonly lossRng: Prng,
    readonly jitterRng: Prng,
  ) {}

  /** Removes and returns the next `n` queued bytes. */
  take(n: number): Buffer {
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.unsent[0];
      if (head.length <= need) {
        parts.push(head);
        this.unsent.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.unsent[0] = head.subarray(need);
        need = 0;
      }
    }
    this.unsentBytes -= n;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
  }
}

const resetError = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

export class Link {
  readonly a: LinkEndpoint;
  readonly b: LinkEndpoint;
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly reorder: number;
  readonly loss: number;
  readonly bandwidthBps: number;
  readonly mtu: number;
  /** Largest payload per segment: mtu - 40. */
  readonly mss: number;
  readonly windowBytes: number;
  readonly rtoMs: number;
  private readonly onTransmit: ((t: Transmission) => void) | undefined;
  private readonly readyAt: { a?: () => number; b?: () => number };
  private readonly aToB: Direction;
  /** An RST is on its way or has arrived: the connection is aborted. */
  private resetting = false;
  private readonly bToA: Direction;

  constructor(
    readonly clock: SimClock,
    opts: LinkOptions = {},
  ) {
    this.latencyMs = nonNegative('latencyMs', opts.latencyMs ?? 20);
    this.jitterMs = nonNegative('jitterMs', opts.jitterMs ?? 0);
    this.reorder = probability('reorder', opts.reorder ?? 0);
    this.loss = probability('loss', opts.loss ?? 0);
    if (this.loss >= 1) throw new RangeError('Link: loss must be below 1 (nothing would ever arrive)');
    this.bandwidthBps = opts.bandwidthBps ?? 1_000_000;
    if (!(this.bandwidthBps > 0)) throw new RangeError(`Link: bandwidthBps must be positive, got ${this.bandwidthBps}`);
    this.mtu = opts.mtu ?? 1500;
    if (!Number.isInteger(this.mtu) || this.mtu <= HEADER_BYTES) throw new RangeError(`Link: mtu must be an integer above ${HEADER_BYTES}, got ${this.mtu}`);
    this.mss = this.mtu - HEADER_BYTES;
    this.windowBytes = opts.windowBytes ?? 16384;
    if (!(this.windowBytes > 0)) throw new RangeError(`Link: windowBytes must be positive, got ${this.windowBytes}`);
    this.rtoMs = opts.rtoMs ?? Math.max(200, 3 * (2 * this.latencyMs + this.jitterMs));
    if (!(this.rtoMs > 0)) throw new RangeError(`Link: rtoMs must be positive, got ${this.rtoMs}`);
    this.onTransmit = opts.onTransmit;
    this.readyAt = opts.readyAt ?? {};

    const rng = new Prng(opts.seed ?? 'link');
    this.aToB = new Direction('a', rng.fork('a>b/loss'), rng.fork('a>b/jitter'));
    this.bToA = new Direction('b', rng.fork('b>a/loss'), rng.fork('b>a/jitter'));

    const name = opts.name ?? 'link';
    const highWaterMark = opts.highWaterMark ?? 16384;
    // Stable fake addresses: a client-ish ephemeral port derived from the name, the server on 443.
    const ephemeral = 49152 + (hash('sha256', `tlsrt-link:${name}`, 'buffer').readUInt16LE(0) % 16384);
    const addrA = { address: opts.a?.address ?? '10.0.0.2', port: opts.a?.port ?? ephemeral };
    const addrB = { address: opts.b?.address ?? '10.0.0.1', port: opts.b?.port ?? 443 };
    this.a = new LinkEndpoint(this, 'a', `${name}:a`, addrA, addrB, highWaterMark);
    this.b = new LinkEndpoint(this, 'b', `${name}:b`, addrB, addrA, highWaterMark);
  }

  /** Per-direction counters (copies). */
  stats(): { aToB: DirStats; bToA: DirStats } {
    return { aToB: { ...this.aToB.stats }, bToA: { ...this.bToA.stats } };
  }

  /** Serialisation time of a packet carrying `payload` bytes, in ms. */
  serialisationMs(payload: number): number {
    return ((payload + HEADER_BYTES) * 8 * 1000) / this.bandwidthBps;
  }

  // ---- Used by LinkEndpoint (not part of the public API). ----

  private outgoing(side: 'a' | 'b'): Direction {
    return side === 'a' ? this.aToB : this.bToA;
  }

  private incoming(side: 'a' | 'b'): Direction {
    return side === 'a' ? this.bToA : this.aToB;
  }

  /** @internal Bytes this endpoint keeps for the network on its send side and in reassembly. */
  _bufferedFor(side: 'a' | 'b'): number {
    const out = this.outgoing(side);
    return out.unsentBytes + out.unackedBytes + this.incoming(side).outOfOrderBytes;
  }

  /** @internal A writer handed `data`; `cb` runs once it fits in the window. */
  _send(side: 'a' | 'b', data: Buffer, cb: (err?: Error | null) => void): void {
    const dir = this.outgoing(side);
    this.clock.touch();
    this.holdUntilReady(side, dir);
    if (data.length > 0) {
      dir.unsent.push(data);
      dir.unsentBytes += data.length;
    }
    dir.writes.push({ start: dir.written, cb });
    dir.written += data.length;
    this.pump(dir);
    this.endpointOf(side)._notePeak();
  }

  /** @internal The writer ended: send a FIN after the queued bytes; `cb` runs when it is acknowledged. */
  _final(side: 'a' | 'b', cb: (err?: Error | null) => void): void {
    const dir = this.outgoing(side);
    this.clock.touch();
    this.holdUntilReady(side, dir);
    dir.finRequested = true;
    dir.finCb = cb;
    this.pump(dir);
  }

  /**
   * @internal The endpoint was destroyed. A clean close — it had called end()
   * and had received every byte the peer wrote, the peer having ended too —
   * is a close(), not an abort: its queued bytes and FIN still go out and a
   * FIN still on its way in is still acknowledged (like a kernel socket in
   * FIN_WAIT/LAST_ACK), and no RST is sent. Anything else is an abort: both
   * directions stop at this end now, and latencyMs later the RST stops them
   * at the peer and destroys it with ECONNRESET.
   */
  _destroyed(side: 'a' | 'b'): void {
    const out = this.outgoing(side);
    const inc = this.incoming(side);
    out.writes.length = 0;
    out.finCb = undefined;
    this.clock.touch();
    const clean = out.finRequested && inc.finRequested && inc.expected === inc.written;
    if (clean) return;
    out.senderDead = true;
    inc.receiverDead = true;
    if (this.resetting) return;
    this.resetting = true;
    const peer = this.endpointOf(side === 'a' ? 'b' : 'a');
    this.clock.after(this.latencyMs, () => {
      inc.senderDead = true;
      out.receiverDead = true;
      if (peer.destroyed) return;
      // A peer that had already finished both ways just closes.
      peer.destroy(peer.readableEnded && peer.writableFinished ? undefined : resetError());
    });
  }

  /**
   * @internal Abort once every byte written so far has been delivered and
   * acknowledged (see LinkEndpoint#resetAfterWritten).
   */
  _resetWhenDelivered(side: 'a' | 'b'): void {
    const dir = this.outgoing(side);
    dir.resetWhenDelivered = true;
    this.maybeReset(dir);
  }

  private maybeReset(dir: Direction): void {
    if (!dir.resetWhenDelivered || dir.unsentBytes > 0 || dir.unackedBytes > 0) return;
    dir.resetWhenDelivered = false;
    const end = this.endpointOf(dir.from);
    if (!end.destroyed) end.destroy();
  }

  /** Nothing written now leaves before the writer's CPU has finished producing it. */
  private holdUntilReady(side: 'a' | 'b', dir: Direction): void {
    const ready = this.readyAt[side]?.();
    if (ready !== undefined && ready > dir.wireFreeAt) dir.wireFreeAt = ready;
  }

  private endpointOf(side: 'a' | 'b'): LinkEndpoint {
    return side === 'a' ? this.a : this.b;
  }

  /** Cuts and sends new segments while the window allows, then releases writers that now fit. */
  private pump(dir: Direction): void {
    if (dir.senderDead) return;
    while (dir.unackedBytes < this.windowBytes && (dir.unsentBytes > 0 || (dir.finRequested && !dir.finSent))) {
      let seg: Segment;
      if (dir.unsentBytes > 0) {
        const n = Math.min(this.mss, dir.unsentBytes);
        seg = { seq: dir.cut, data: dir.take(n), fin: false, acked: false, attempts: 0 };
        dir.cut += n;
      } else {
        seg = { seq: dir.cut, data: Buffer.alloc(0), fin: true, acked: false, attempts: 0 };
        dir.finSent = true;
      }
      dir.inFlight.set(seg.seq, seg);
      dir.unackedBytes += seg.data.length;
      dir.stats.segments++;
      dir.stats.payloadBytes += seg.data.length;
      dir.stats.maxSegmentPayload = Math.max(dir.stats.maxSegmentPayload, seg.data.length);
      this.transmit(dir, seg);
    }
    // A write enters the window once the bytes queued before it and those in flight are below it.
    while (dir.writes.length > 0 && dir.unackedBytes + Math.max(0, dir.writes[0].start - dir.cut) < this.windowBytes) {
      dir.writes.shift()!.cb();
    }
  }

  /** Puts one transmission of `seg` on the wire: it leaves when the wire is free plus its serialisation time. */
  private transmit(dir: Direction, seg: Segment): void {
    const start = Math.max(this.clock.now, dir.wireFreeAt);
    const departMs = start + this.serialisationMs(seg.data.length);
    dir.wireFreeAt = departMs;
    seg.attempts++;
    dir.stats.transmissions++;
    dir.stats.wireBytes += seg.data.length + HEADER_BYTES;
    if (seg.attempts > 1) dir.stats.retransmits++;
    const attempt = seg.attempts;
    this.clock.at(departMs, () => this.depart(dir, seg, attempt));
  }

  /** The last bit left: the network loses it or delivers it, and the retransmission timer starts. */
  private depart(dir: Direction, seg: Segment, attempt: number): void {
    if (dir.senderDead) return;
    const now = this.clock.now;
    const lost = this.loss > 0 && dir.lossRng.chance(this.loss);
    let arriveMs: number | undefined;
    if (lost) {
      dir.stats.lost++;
    } else {
      let delay = this.latencyMs;
      if (this.jitterMs > 0 && (this.reorder === 0 || dir.jitterRng.chance(this.reorder))) delay += dir.jitterRng.next() * this.jitterMs;
      arriveMs = now + delay;
      if (arriveMs < dir.latestArrival) dir.stats.reordered++;
      dir.latestArrival = Math.max(dir.latestArrival, arriveMs);
      this.clock.at(arriveMs, () => this.arrive(dir, seg));
    }
    this.onTransmit?.({ from: dir.from, seq: seg.seq, payloadBytes: seg.data.length, fin: seg.fin, attempt, departMs: now, lost, arriveMs });
    this.clock.at(now + this.rtoMs, () => {
      if (!seg.acked && !dir.senderDead) this.transmit(dir, seg);
    });
  }

  /** A transmission reached the receiver: acknowledge it, reassemble, deliver what is contiguous. */
  private arrive(dir: Direction, seg: Segment): void {
    if (dir.receiverDead) return;
    const back = dir === this.aToB ? this.bToA : this.aToB;
    back.stats.acks++;
    back.stats.ackWireBytes += HEADER_BYTES;
    this.clock.after(this.latencyMs, () => this.acknowledged(dir, seg));
    const receiver = this.endpointOf(dir.from === 'a' ? 'b' : 'a');
    if (dir.finReceived || seg.seq < dir.expected || (seg.seq > dir.expected && dir.outOfOrder.has(seg.seq))) {
      dir.stats.duplicates++;
      return;
    }
    if (seg.seq > dir.expected) {
      dir.outOfOrder.set(seg.seq, seg);
      dir.outOfOrderBytes += seg.data.length;
      receiver._notePeak();
      return;
    }
    let next: Segment | undefined = seg;
    while (next) {
      if (next !== seg) {
        dir.outOfOrder.delete(next.seq);
        dir.outOfOrderBytes -= next.data.length;
      }
      if (next.fin) {
        dir.finReceived = true;
        receiver._deliverEnd();
        break;
      }
      dir.expected += next.data.length;
      receiver._deliver(next.data);
      next = dir.outOfOrder.get(dir.expected);
    }
    receiver._notePeak();
  }

  /** The ACK for `seg` reached the sender: free its window, send more, release writers. */
  private acknowledged(dir: Direction, seg: Segment): void {
    if (seg.acked || dir.senderDead) return;
    seg.acked = true;
    dir.inFlight.delete(seg.seq);
    dir.unackedBytes -= seg.data.length;
    if (seg.fin) {
      dir.finAcked = true;
      const cb = dir.finCb;
      dir.finCb = undefined;
      cb?.();
    }
    this.pump(dir);
    this.maybeReset(dir);
  }
}

/** One end of a Link: a Duplex that looks enough like a net.Socket for node:tls and TLSSocket. */
export class LinkEndpoint extends Duplex {
  readonly connecting = false;
  readonly pending = false;
  readonly remoteFamily = 'IPv4';
  /** Bytes delivered to this endpoint's readable side so far (held bytes included). */
  bytesRead = 0;
  /** Bytes written to this endpoint so far (accepted by the link, sent or not). */
  bytesWritten = 0;
  /** Reassembled bytes waiting because the reader stopped reading (push returned false). */
  heldBytes = 0;
  /** Most bytes ever kept here for the network at once (send queue + unacked + out-of-order + held). */
  bufferedPeak = 0;
  /** The idle timeout setTimeout() set (0: none), as net.Socket's — but on the virtual clock. */
  timeoutMs = 0;
  /** Bumped on every activity: an idle timer armed before it no longer fires. */
  private idleEpoch = 0;
  private readonly held: Buffer[] = [];
  private canPush = true;
  private endReceived = false;
  private endPushed = false;

  /** @internal Made by Link. */
  constructor(
    private readonly link: Link,
    readonly side: 'a' | 'b',
    readonly name: string,
    private readonly local: { address: string; port: number },
    private readonly remote: { address: string; port: number },
    highWaterMark: number,
  ) {
    super({ highWaterMark, allowHalfOpen: false });
  }

  get localAddress(): string {
    return this.local.address;
  }
  get localPort(): number {
    return this.local.port;
  }
  get remoteAddress(): string {
    return this.remote.address;
  }
  get remotePort(): number {
    return this.remote.port;
  }
  get readyState(): string {
    if (this.destroyed) return 'closed';
    if (this.readable && this.writable) return 'open';
    return this.readable ? 'readOnly' : this.writable ? 'writeOnly' : 'closed';
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.local.address, family: 'IPv4', port: this.local.port };
  }

  setNoDelay(_noDelay?: boolean): this {
    return this;
  }
  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }
  /**
   * As net.Socket#setTimeout, in virtual time: 'timeout' once the endpoint has
   * seen no activity (bytes written or delivered) for `ms`; 0 turns it off.
   * It only signals, as in Node: the application decides to end or destroy.
   */
  setTimeout(ms: number, cb?: () => void): this {
    this.timeoutMs = ms > 0 ? ms : 0;
    if (cb) this.once('timeout', cb);
    this.active();
    return this;
  }

  /** Activity: restarts the idle timer. */
  private active(): void {
    const epoch = ++this.idleEpoch;
    if (this.timeoutMs === 0) return;
    this.link.clock.after(this.timeoutMs, () => {
      if (epoch === this.idleEpoch && !this.destroyed) this.emit('timeout');
    });
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  // No _writev on purpose: it would hand the link the writer's whole buffer
  // in one batch (everything a writer queued while ignoring 'drain'), and
  // the link could no longer bound what it holds to window + one chunk.
  override _write(chunk: Buffer | string, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    // A private copy: the link keeps these bytes until they are acknowledged.
    const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
    this.bytesWritten += data.length;
    this.active();
    this.link._send(this.side, data, cb);
  }

  /**
   * An abort (RST) that follows what was already written: those bytes still
   * travel — lost ones retransmitted — and the RST leaves once they are all
   * acknowledged, as a server's alert reaches a device before the reset its
   * kernel sends after it. (destroy() drops whatever is still queued.)
   */
  resetAfterWritten(): void {
    if (this.destroyed) return;
    if (this.writableEnded) return this.link._resetWhenDelivered(this.side);
    // Chunks still in the Writable's buffer reach the link first; an empty write marks where they end.
    this.write(Buffer.alloc(0), () => this.link._resetWhenDelivered(this.side));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.link._final(this.side, cb);
  }

  override _read(_size: number): void {
    this.canPush = true;
    this.flushHeld();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.held.length = 0;
    this.heldBytes = 0;
    this.link._destroyed(this.side);
    cb(err);
  }

  /** @internal In-order bytes arrived for this endpoint's reader. */
  _deliver(data: Buffer): void {
    if (this.destroyed) return;
    this.bytesRead += data.length;
    this.active();
    this.held.push(data);
    this.heldBytes += data.length;
    this.flushHeld();
    this._notePeak();
  }

  /** @internal The FIN arrived after every byte: 'end' once the held bytes are read. */
  _deliverEnd(): void {
    if (this.destroyed) return;
    this.endReceived = true;
    this.flushHeld();
  }

  /** @internal */
  _notePeak(): void {
    const now = this.link._bufferedFor(this.side) + this.heldBytes;
    if (now > this.bufferedPeak) this.bufferedPeak = now;
  }

  private flushHeld(): void {
    while (this.canPush && this.held.length > 0) {
      const chunk = this.held.shift()!;
      this.heldBytes -= chunk.length;
      if (!this.push(chunk)) this.canPush = false;
    }
    if (this.endReceived && !this.endPushed && this.held.length === 0) {
      this.endPushed = true;
      this.push(null);
    }
  }
}

function nonNegative(name: string, v: number): number {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`Link: ${name} must be a finite number >= 0, got ${v}`);
  return v;
}

function probability(name: string, v: number): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`Link: ${name} must be in 0..1, got ${v}`);
  return v;
}
