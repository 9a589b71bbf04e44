// A connection actor's mailbox: a FIFO of messages with a byte bound.
//
// Why bounded: a connection that receives faster than its engine can take
// (or an application that writes faster than its link can carry) must push
// back on its source instead of queueing without limit — on a board, RAM is
// the budget. `push` tells the sender whether it may keep sending (false:
// pause until `onBelow` fires); the bound is a high-water mark, as in Node
// streams, so one message may overshoot it but a paused sender adds no more.
import type { QueueBudget } from './queue-budget.ts';

export class Mailbox<T> {
  private items: T[] = [];
  private head = 0;
  private held = 0;
  private peak = 0;
  private wasFull = false;

  /**
   * @param highWaterMark bytes above which `push` asks the sender to pause
   * @param sizeOf bytes one message holds (what counts toward the bound)
   * @param onBelow called once the mailbox drains below the mark after having been full
   * @param budget a byte budget shared with other mailboxes (e.g. the process's): over it, this one counts as full too
   */
  constructor(
    readonly highWaterMark: number,
    private readonly sizeOf: (m: T) => number,
    private readonly onBelow: () => void = () => {},
    private readonly budget?: QueueBudget,
  ) {}

  /** Queues a message; false means "full: pause until onBelow". */
  push(m: T): boolean {
    this.items.push(m);
    const n = this.sizeOf(m);
    this.held += n;
    this.budget?.add(n);
    if (this.held > this.peak) this.peak = this.held;
    if (this.held >= this.highWaterMark || this.budget?.over) this.wasFull = true;
    return !this.wasFull;
  }

  /** The oldest message, left in place (a turn may consume it in parts). */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The i-th oldest message (0: the head), left in place; undefined past the end. */
  at(i: number): T | undefined {
    const j = this.head + i;
    return j < this.items.length ? this.items[j] : undefined;
  }

  /** Replaces the oldest message with what is left of it after a partial take. */
  replaceHead(rest: T): void {
    const d = this.sizeOf(this.items[this.head]) - this.sizeOf(rest);
    this.held -= d;
    this.items[this.head] = rest;
    this.budget?.remove(d);
    this.checkBelow();
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const m = this.items[this.head];
    this.items[this.head++] = undefined as T;
    const n = this.sizeOf(m);
    this.held -= n;
    this.budget?.remove(n);
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.checkBelow();
    return m;
  }

  /** Removes everything (e.g. on destroy) and returns it. */
  drain(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    const n = this.held;
    this.held = 0;
    this.wasFull = false;
    this.budget?.forget(this.resumeFromBudget);
    this.budget?.remove(n);
    return all;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  /** Most bytes ever held at once. */
  get peakBytes(): number {
    return this.peak;
  }

  get full(): boolean {
    return this.wasFull;
  }

  private checkBelow(): void {
    if (!this.wasFull || this.held >= this.highWaterMark) return;
    if (this.budget?.over) {
      this.budget.wait(this.resumeFromBudget); // below its own mark, but the shared budget is still spent
      return;
    }
    this.wasFull = false;
    this.onBelow();
  }

  private readonly resumeFromBudget = (): void => this.checkBelow();
}
