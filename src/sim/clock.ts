// Virtual time for simulating fleets of boards and their networks in one Node
// process. Nothing in the simulation waits for real time: a SimClock holds a
// queue of events stamped with virtual milliseconds and runs them in order,
// jumping straight from one instant to the next. Ties run in the order they
// were scheduled, so the same inputs always give the same run.
//
// The queue is a binary heap keyed by (time, sequence number): a fleet of
// boards talking over simulated links schedules hundreds of thousands of
// segment departures, arrivals and timers.
//
// In-process peers. A node:tls server fed through a Duplex does not react
// inside our event callback: it reacts on process.nextTick, in promise jobs
// and on setImmediate. So after all events of one instant have run, run()
// "settles": it yields to the event loop (setImmediate rounds) until two
// consecutive rounds saw nothing happen — no new event scheduled and no
// touch() (an endpoint calls touch() whenever someone writes to it). Whatever
// those peers do meanwhile is stamped with the current instant, as if they
// had reacted in zero virtual time; any events they schedule for this same
// instant run before time moves on.
//
// Real time. A fleet pointed at a server outside this process (a real
// network, a real server) cannot stop that server's clock, so there the
// SimClock runs in real time (`realtime: true`): virtual time is wall time
// since the clock was made, an event runs when the wall clock reaches it, and
// whatever arrives from outside is stamped with the wall time it arrived at.
// Link delays and board CPU time are then really waited out — the server sees
// devices exactly as slow as the boards would be. Such a run is not repeatable.

import { performance } from 'node:perf_hooks';

interface SimEvent {
  time: number;
  seq: number;
  fn: () => void;
}

export interface RunOptions {
  /** Stop (after settling) once this returns true; checked before the first instant and after each one. */
  until?: () => boolean;
  /** Throw if virtual time would pass this many ms (a run that never converges). */
  maxTimeMs?: number;
  /** Called after each instant with the virtual time (for progress reports). */
  onInstant?: (now: number) => void;
}

/** Least setImmediate rounds per settle, and how many quiet rounds in a row end it. */
const QUIET_ROUNDS = 2;
/** A settle that never goes quiet is a livelock in some peer; give up loudly rather than spin forever. */
const MAX_SETTLE_ROUNDS = 100_000;

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SimClock {
  private nowMs = 0;
  private readonly realtime: boolean;
  private readonly wall0 = performance.now();
  private lagMs = 0;
  /** Wakes runRealtime() when an event is scheduled or something happens. */
  private waker: (() => void) | null = null;
  /** Events scheduled so far: the tie-breaker that makes equal times FIFO. */
  private scheduled = 0;
  /** Bumped by touch(): activity outside the queue. */
  private touches = 0;
  private readonly heap: SimEvent[] = [];

  constructor(opts: { realtime?: boolean } = {}) {
    this.realtime = !!opts.realtime;
  }

  /** Virtual milliseconds since the clock was made (in real-time mode: wall milliseconds). */
  get now(): number {
    return this.realtime ? Math.max(this.nowMs, performance.now() - this.wall0) : this.nowMs;
  }

  /**
   * The time the event now running was due at. Virtual mode: the same as
   * `now`. Real time: `now` has moved on by however long this machine took,
   * which is not the board's time — work done for an event starts at its instant.
   */
  get instant(): number {
    return this.nowMs;
  }

  /** Real time only: the most an event ran after it was due (this machine falling behind). */
  get maxLagMs(): number {
    return this.lagMs;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.heap.length;
  }

  /** Runs `fn` at virtual time max(timeMs, now). */
  at(timeMs: number, fn: () => void): void {
    if (Number.isNaN(timeMs)) throw new RangeError('SimClock.at: time is NaN');
    this.push({ time: Math.max(timeMs, this.now), seq: this.scheduled++, fn });
    this.waker?.();
  }

  /** Runs `fn` `delayMs` virtual milliseconds from now. */
  after(delayMs: number, fn: () => void): void {
    this.at(this.now + delayMs, fn);
  }

  /**
   * A cancellable timer on the virtual clock, in the shape servers and
   * sockets take as their `timer` option: returns the function that cancels it.
   */
  timer(delayMs: number, fn: () => void): () => void {
    let live = true;
    this.after(delayMs, () => live && fn());
    return () => {
      live = false;
    };
  }

  /** Marks that something happened outside the queue (an in-process peer wrote bytes) so run() keeps settling. */
  touch(): void {
    this.touches++;
    this.waker?.();
  }

  /**
   * Runs events in time order, settling in-process peers after each instant
   * (see the top of this file). Resolves when the queue is empty after
   * settling or `until()` is true; rejects if an event throws or if time
   * would pass `maxTimeMs`.
   */
  async run(opts: RunOptions = {}): Promise<void> {
    if (this.realtime) return this.runRealtime(opts);
    await this.settle();
    if (opts.until?.()) return;
    while (this.heap.length > 0) {
      const t = this.heap[0].time;
      if (opts.maxTimeMs !== undefined && t > opts.maxTimeMs) {
        throw new Error(
          `SimClock: virtual time would pass maxTimeMs ${opts.maxTimeMs} ms (now ${this.nowMs} ms, next event at ${t} ms, ${this.heap.length} pending)`,
        );
      }
      this.nowMs = t;
      // Everything at this instant, including what the instant's events and
      // the settled peers schedule for it, before time moves on.
      do {
        while (this.heap.length > 0 && this.heap[0].time === t) this.pop().fn();
        await this.settle();
      } while (this.heap.length > 0 && this.heap[0].time === t);
      opts.onInstant?.(this.nowMs);
      if (opts.until?.()) return;
    }
  }

  /**
   * Real-time mode: runs each event once the wall clock reaches it, letting
   * outside I/O in between. Ends when `until()` is true, or — without
   * `until` — when no event is left.
   */
  private async runRealtime(opts: RunOptions): Promise<void> {
    for (;;) {
      if (opts.until?.()) return;
      const now = this.now;
      if (opts.maxTimeMs !== undefined && now > opts.maxTimeMs) {
        throw new Error(`SimClock: real time passed maxTimeMs ${opts.maxTimeMs} ms with ${this.heap.length} event(s) pending`);
      }
      const due = this.heap.length > 0 ? this.heap[0].time : Infinity;
      if (due <= now) {
        // Due events in order, yielding to outside I/O every few, noting how late each ran.
        for (let n = 0; n < 64 && this.heap.length > 0 && this.heap[0].time <= this.now; n++) {
          const ev = this.pop();
          this.nowMs = Math.max(this.nowMs, ev.time);
          this.lagMs = Math.max(this.lagMs, this.now - ev.time);
          ev.fn();
        }
        opts.onInstant?.(this.now);
        await nextMacrotask();
        continue;
      }
      if (due === Infinity && !opts.until) return;
      const wait = Math.min(due, opts.maxTimeMs ?? Infinity) - now;
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = () => {
          clearTimeout(timer);
          this.waker = null;
          resolve();
        };
        if (Number.isFinite(wait)) timer = setTimeout(wake, Math.max(0, Math.ceil(wait)));
        this.waker = wake;
      });
    }
  }

  /** Yields to the event loop until two consecutive rounds saw no touch() and no new event. */
  private async settle(): Promise<void> {
    let quiet = 0;
    for (let round = 0; quiet < QUIET_ROUNDS; round++) {
      if (round >= MAX_SETTLE_ROUNDS) {
        throw new Error(`SimClock: peers never went quiet at virtual time ${this.nowMs} ms (${MAX_SETTLE_ROUNDS} rounds)`);
      }
      const touches = this.touches;
      const scheduled = this.scheduled;
      await nextMacrotask();
      quiet = touches === this.touches && scheduled === this.scheduled ? quiet + 1 : 0;
    }
  }

  private push(ev: SimEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = ev;
  }

  private pop(): SimEvent {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[child], last)) break;
        h[i] = h[child];
        i = child;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(x: SimEvent, y: SimEvent): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}
