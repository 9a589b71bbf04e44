// A byte budget shared by many mailboxes: what a whole process (or a board)
// lets its connections queue at once. Each mailbox still has its own bound
// (its high-water mark); the budget bounds the sum, so ten thousand
// connections that each hold just under their mark cannot add up to an
// unbounded amount. Over budget, every mailbox that takes a message asks its
// sender to pause (as when it is full itself) and is resumed once the total
// has fallen below the budget again.
export class QueueBudget {
  private held = 0;
  private peak = 0;
  /** Mailboxes paused by the budget (not by their own mark), resumed when it has room. */
  private waiting = new Set<() => void>();

  constructor(public limit: number) {}

  add(n: number): void {
    this.held += n;
    if (this.held > this.peak) this.peak = this.held;
  }

  remove(n: number): void {
    this.held -= n;
    if (this.waiting.size && this.held < this.limit) {
      const w = [...this.waiting];
      this.waiting.clear();
      for (const f of w) f();
    }
  }

  get over(): boolean {
    return this.held >= this.limit;
  }

  /** Calls `resume` once the budget has room again. */
  wait(resume: () => void): void {
    this.waiting.add(resume);
  }

  forget(resume: () => void): void {
    this.waiting.delete(resume);
  }

  get bytes(): number {
    return this.held;
  }

  get peakBytes(): number {
    return this.peak;
  }
}

/**
 * Network bytes all Node connections together may hold in their net-in
 * mailboxes (received, not yet taken by an engine): 64 MiB.
 */
export const processNetInBudget = new QueueBudget(64 * 1024 * 1024);
