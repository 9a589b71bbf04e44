// One TLS connection as an actor: its engine slot plus two mailboxes —
// network bytes in (from the transport) and application writes out (from
// the stream's writers) — and a turn that moves whatever can move without
// blocking:
//
//   events → host;  records → transport;  plaintext → reader (until it is full);
//   network bytes → engine (until it stops taking: its plaintext or output waits);
//   app writes → engine, one record at a time (while the transport keeps up),
//     consecutive queued writes sealed together as one record.
//
// Coalescing: the stream hands over a batch (TLSSocket#_writev: a cork()
// batch, or the writes queued while the previous one was in flight) as
// several queued writes; the engine gathers them into as few records as the
// fragment size allows, copying each byte once into the record it is sealed
// in. A write larger than a record is still sealed straight from its own
// buffer, one record-sized piece per step.
//
// Backpressure runs both ways without an unbounded queue anywhere:
//  - in: the net-in mailbox is bounded (highWaterMark); when full the host
//    pauses its transport, and resumes it once the engine has drained it;
//  - out: a writer's callback runs only once the engine has sealed its bytes,
//    and the engine seals only while the transport does not need a drain —
//    so the stream's own highWaterMark holds the writer (write() → false);
//  - responses: while the transport needs a drain the engine's output stays
//    in the slot, and a slot with output waiting takes no input. So a peer
//    that never reads but keeps sending what the engine must answer
//    (KeyUpdate with update_requested, ...) stops being read at the first
//    answer, instead of growing the transport's queue by one record per
//    record it sends. Records that need no answer (application data) are
//    still read, so two peers that both write more than they read do not
//    deadlock.
//  - caps: the net-in mailbox also counts toward a process-wide budget
//    (queue-budget.ts: over it, every connection pauses its transport), and
//    a transport that ignores pause and pushes more than MAX_NET_IN_FACTOR
//    times the mark ends the connection (ConnHost.queueOverflow).
//
// The actor knows nothing of streams: the host (TLSSocket) implements
// ConnHost, which is also how a board's C host would drive the same slot.
import type { Conn, EngineEvent } from '../engine/engine.ts';
import { Mailbox } from './mailbox.ts';
import { processNetInBudget, type QueueBudget } from './queue-budget.ts';

/**
 * A net-in mailbox holding this many times its mark, plus one full read of
 * a net.Socket (64 KiB, which may arrive in one 'data' event), has a
 * transport that ignores pause.
 */
const MAX_NET_IN_FACTOR = 4;
const MAX_READ_CHUNK = 65536;
import type { Actor, Scheduler } from './scheduler.ts';

export interface ConnHost {
  /** Records for the network. */
  sendToNetwork(bytes: Uint8Array): void;
  /** True while the transport wants a drain: seal no more application data. */
  networkBlocked(): boolean;
  /** Decrypted bytes for the reader; false when the reader is full (stop until resumeReading). */
  deliver(plain: Buffer): boolean;
  /** An engine event (handshake, clientHello, keylog, error, ...). */
  onEvent(ev: EngineEvent): void;
  /** True once application data may be sealed (the handshake is done). */
  canSendApp(): boolean;
  /** The net-in mailbox was full and now has room: resume the transport. */
  resumeNetwork(): void;
  /** Called at the end of every turn that left the connection open. */
  afterTurn(): void;
  /** The net-in mailbox went past its hard cap (a transport that does not pause): end the connection. */
  queueOverflow(bytes: number): void;
  /**
   * The transport ended and everything it carried has been read and handed
   * to the reader (called once). Until then the reader still gets data.
   */
  networkDrained(): void;
}

export interface PendingWrite {
  data: Buffer;
  /** Runs once every byte of `data` is sealed (a batch's parts but the last have none). */
  cb?: (err?: Error | null) => void;
}

/** Largest record plaintext TLS allows: gathering more parts than this for one record is pointless. */
const MAX_RECORD_PLAINTEXT = 16384;

export class ConnActor implements Actor {
  conn: Conn | null = null;
  readonly netIn: Mailbox<Buffer>;
  readonly appOut: Mailbox<PendingWrite>;
  private readPaused = false;
  /** The transport has ended (FIN); `networkDrained` is due once everything before it is delivered. */
  private netEnded = false;
  private drainedReported = false;
  /** Plaintext bytes the engine has taken from writers. */
  plainWritten = 0;
  private readonly netInCap: number;

  constructor(
    private readonly host: ConnHost,
    readonly scheduler: Scheduler,
    highWaterMark: number,
    budget: QueueBudget = processNetInBudget,
  ) {
    this.netIn = new Mailbox<Buffer>(highWaterMark, (b) => b.length, () => host.resumeNetwork(), budget);
    this.netInCap = MAX_NET_IN_FACTOR * Math.max(highWaterMark, 16384) + MAX_READ_CHUNK;
    this.appOut = new Mailbox<PendingWrite>(highWaterMark, (w) => w.data.length);
  }

  /** Network bytes arrived; false: the mailbox is full, pause the transport. */
  receive(bytes: Buffer): boolean {
    this.netIn.push(bytes);
    if (this.netIn.bytes > this.netInCap) {
      this.host.queueOverflow(this.netIn.bytes);
      return false;
    }
    this.wake();
    // Asked after the turn: a turn that already drained the mailbox has
    // resumed the transport, and pausing it now would never be undone.
    return !this.netIn.full;
  }

  /**
   * The transport ended. Bytes it delivered before may still wait in the
   * mailbox or the engine; the end is reported after them, never before.
   */
  endOfNetwork(): void {
    this.netEnded = true;
    if (!this.open) this.reportDrained();
    else this.wake();
  }

  private reportDrained(): void {
    if (this.drainedReported) return;
    this.drainedReported = true;
    this.host.networkDrained();
  }

  /** An application write; its callback runs once the engine has sealed all of it. */
  write(w: PendingWrite): void {
    this.appOut.push(w);
    this.wake();
  }

  /** A batch of writes, queued before the actor's turn (which may run at once) so it can seal them together. */
  writeAll(ws: readonly PendingWrite[]): void {
    for (const w of ws) this.appOut.push(w);
    this.wake();
  }

  /** The reader wants more plaintext. */
  resumeReading(): void {
    if (this.readPaused) {
      this.readPaused = false;
      this.wake();
    }
  }

  /** Asks for a turn (something changed: a message, a reply, a drained transport). */
  wake(): void {
    this.scheduler.schedule(this);
  }

  get open(): boolean {
    return !!this.conn && !this.conn.isClosed;
  }

  turn(steps: number): boolean {
    if (!this.open) return false;
    const c = this.conn!;
    let moved = true;
    for (let step = 0; moved; step++) {
      if (step === steps) return true; // out of steps with work left: back of the queue
      moved = false;
      // Events before output: a trace then names the handshake messages
      // before the records that carry them (an 'error' flushes its alert itself).
      const events = c.events();
      for (let i = 0; i < events.length; i++) {
        try {
          this.host.onEvent(events[i]);
        } catch (err) {
          c.requeueEvents(events.slice(i + 1)); // a throwing handler loses no later event
          this.wake(); // ...and they, with the rest of this turn's work, get a later turn
          throw err;
        }
        moved = true;
        if (c.isClosed) return false;
      }
      // Responses wait in the slot while the transport needs a drain (see the top).
      if (!this.host.networkBlocked()) moved = this.flush() || moved;
      if (!this.readPaused) {
        let d;
        while ((d = c.readApp())) {
          moved = true;
          // readApp already copied the plaintext out of the slot: wrap it, don't copy it again.
          if (!this.host.deliver(Buffer.from(d.buffer, d.byteOffset, d.byteLength))) {
            this.readPaused = true;
            break;
          }
        }
        if (c.isClosed) return false;
      }
      moved = this.feedNetwork(c) || moved;
      if (this.host.canSendApp()) moved = this.sealWrites(c) || moved;
    }
    if (this.open) {
      // Nothing moves: if the transport has ended, everything it carried is now with the reader.
      if (this.netEnded && this.netIn.length === 0 && !this.readPaused) this.reportDrained();
      this.host.afterTurn();
    }
    return false;
  }

  /** Hands the engine's records to the host; false when there were none. */
  flush(): boolean {
    const out = this.conn?.takeOutput();
    if (!out) return false;
    this.host.sendToNetwork(out);
    return true;
  }

  private feedNetwork(c: Conn): boolean {
    let moved = false;
    for (let m = this.netIn.peek(); m; m = this.netIn.peek()) {
      const n = c.feed(m);
      if (n === 0) break;
      moved = true;
      if (n === m.length) this.netIn.shift();
      else {
        this.netIn.replaceHead(m.subarray(n));
        break;
      }
    }
    return moved;
  }

  /**
   * Seals one record from the queued application writes — as many of them,
   * in order, as it holds — while the transport keeps up. One record per
   * step, so a large write shares the scheduler with other connections.
   */
  private sealWrites(c: Conn): boolean {
    if (!this.appOut.peek() || this.host.networkBlocked()) return false;
    const parts: Buffer[] = [];
    let gathered = 0;
    for (let i = 0, w; gathered < MAX_RECORD_PLAINTEXT && (w = this.appOut.at(i)); i++) {
      parts.push(w.data);
      gathered += w.data.length;
    }
    let n = parts.length === 1 ? c.writeApp(parts[0]) : c.writeAppParts(parts);
    if (n === 0) return false;
    this.plainWritten += n;
    this.flush();
    // Retire the writes the record took whole; a partly taken one stays at the head.
    while (n > 0) {
      const w = this.appOut.peek()!;
      if (n < w.data.length) {
        this.appOut.replaceHead({ data: w.data.subarray(n), cb: w.cb });
        break;
      }
      n -= w.data.length;
      this.appOut.shift();
      w.cb?.();
    }
    return true;
  }

  /** Fails every queued write (the connection is going away) and forgets the actor. */
  abandon(why: () => Error): void {
    const pending = this.appOut.drain();
    if (pending.length) {
      const err = why(); // built only when someone will see it (an Error captures a stack)
      for (const w of pending) w.cb?.(err);
    }
    this.netIn.drain();
    this.scheduler.remove(this);
  }
}
