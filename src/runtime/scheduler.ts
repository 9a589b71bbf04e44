// The scheduler of connection actors: run-to-completion turns, round-robin.
//
// An actor (one TLS connection: its engine slot and its mailboxes) is
// scheduled whenever a message arrives for it. A turn runs without
// interruption — the engine is never re-entered — but is bounded: at most
// `turnSteps` steps (a record in, a record out, a chunk of plaintext), after
// which an actor with work left goes to the back of the queue. So one
// connection pushing megabytes cannot starve the others: each ready actor
// gets a turn before any gets a second.
//
// When nothing is running, `schedule` runs the queue at once (synchronously):
// a single connection behaves exactly as if it pumped itself. After
// `roundTurns` turns in one go the scheduler yields through `defer` (Node:
// setImmediate, so socket I/O interleaves; a simulated board: its virtual
// clock's "now", so the simulation stays deterministic).
//
// This is the same loop a board's C host runs over wasm3 (boards/wasm3):
// one queue, one turn at a time, no threads.
export interface Actor {
  /** Runs one turn of at most `steps` steps; returns true if work is left that needs no new message. */
  turn(steps: number): boolean;
}

export interface SchedulerOptions {
  /** Steps per turn before another actor gets the engine (default 16). */
  turnSteps?: number;
  /** Turns per synchronous run before yielding through `defer` (default 64). */
  roundTurns?: number;
  /** How to continue later (default setImmediate). */
  defer?: (fn: () => void) => void;
  /** Called after every turn (a simulated board accounts its CPU work there). */
  afterTurn?: () => void;
}

export class Scheduler {
  readonly turnSteps: number;
  readonly roundTurns: number;
  private readonly defer: (fn: () => void) => void;
  private readonly afterTurn: (() => void) | undefined;
  private queue: Actor[] = [];
  private head = 0;
  private queued = new Set<Actor>();
  private running: Actor | null = null;
  private again = false;
  private draining = false;
  private deferred = false;

  constructor(opts: SchedulerOptions = {}) {
    this.turnSteps = opts.turnSteps ?? 16;
    this.roundTurns = opts.roundTurns ?? 64;
    this.defer = opts.defer ?? ((fn) => setImmediate(fn));
    this.afterTurn = opts.afterTurn;
  }

  /** A message arrived for `actor`: make sure it gets a turn. */
  schedule(actor: Actor): void {
    if (actor === this.running) {
      this.again = true; // it asked for itself mid-turn: run it again, after the others
      return;
    }
    if (!this.queued.has(actor)) {
      this.queued.add(actor);
      this.queue.push(actor);
    }
    if (!this.draining && !this.deferred) this.drain();
  }

  /** Runs `fn` later, the way this scheduler continues (Node: setImmediate; a board: its clock's "now"). */
  later(fn: () => void): void {
    this.defer(fn);
  }

  /** Forgets an actor (its connection closed). */
  remove(actor: Actor): void {
    if (!this.queued.delete(actor)) return;
    const i = this.queue.indexOf(actor, this.head);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Actors waiting for a turn. */
  get ready(): number {
    return this.queue.length - this.head;
  }

  private drain(): void {
    this.draining = true;
    try {
      for (let n = 0; this.head < this.queue.length; n++) {
        if (n === this.roundTurns) {
          this.deferred = true;
          this.defer(() => {
            this.deferred = false;
            if (!this.draining) this.drain();
          });
          return;
        }
        const actor = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as Actor; // a finished connection is not kept alive by the queue
        this.queued.delete(actor);
        this.running = actor;
        this.again = false;
        let more = false;
        try {
          more = actor.turn(this.turnSteps);
        } catch (err) {
          // An application listener threw mid-turn (node:tls: an uncaught
          // exception, the connection carries on). An actor that asked for
          // another turn before the throw (it has work left) keeps it.
          if (this.again && !this.queued.has(actor)) {
            this.queued.add(actor);
            this.queue.push(actor);
          }
          throw err;
        } finally {
          this.running = null;
          this.afterTurn?.();
        }
        if ((more || this.again) && !this.queued.has(actor)) {
          this.queued.add(actor);
          this.queue.push(actor);
        }
        if (this.head > 256 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
      }
    } catch (err) {
      // An application handler threw inside a turn: it propagates to whoever
      // delivered the message, as in Node; the other actors still get turns.
      if (this.head < this.queue.length && !this.deferred) {
        this.deferred = true;
        this.defer(() => {
          this.deferred = false;
          if (!this.draining) this.drain();
        });
      }
      throw err;
    } finally {
      this.draining = false;
    }
  }
}

/** The scheduler Node connections share unless given their own (a simulated board has one per board). */
export const defaultScheduler = new Scheduler();
