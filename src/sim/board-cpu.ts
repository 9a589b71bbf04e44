// A simulated board's single core in virtual time (src/sim/fleet.ts): the
// engine work a board does shows up on its instruction counters (src/sim/
// board.ts); looked at after each instant, that work is placed after whatever
// the core was already doing, starting no earlier than the instant itself.
// What the board writes leaves no earlier than `settle()` says the core is
// free (a Link's `readyAt`), so slow crypto delays the bytes that depend on it.
import type { Board } from './board.ts';
import type { SimClock } from './clock.ts';

/**
 * A board's single core in virtual time: engine work found on its
 * instruction counters since the last look is placed after what the core was
 * already doing, starting no earlier than the current instant.
 */
export class BoardCpu {
  private mark: number;
  private busyUntil = 0;
  constructor(private readonly board: Board, private readonly clock: SimClock) {
    this.mark = board.now();
  }
  /**
   * Accounts the work done since the last call; returns when the core is free
   * again. Work starts at the current event's instant (in real time, not the
   * wall time after this machine did the work: that would count it twice).
   */
  settle(): number {
    const t = this.board.now();
    if (t > this.mark) {
      this.busyUntil = Math.max(this.busyUntil, this.clock.instant) + (t - this.mark);
      this.mark = t;
    }
    return Math.max(this.busyUntil, this.clock.instant);
  }
}

