// BoardCpu: a board's engine work occupies its one core in virtual time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoardCpu } from '../../src/sim/board-cpu.ts';
import type { Board } from '../../src/sim/board.ts';
import type { SimClock } from '../../src/sim/clock.ts';

test('work queues behind work already running; an idle core starts at the current instant', () => {
  let workMs = 0; // the board's cumulative simulated engine time
  let now = 0; // the instant of the event being run
  const cpu = new BoardCpu({ now: () => workMs } as unknown as Board, { get instant() { return now; } } as unknown as SimClock);
  assert.equal(cpu.settle(), 0, 'nothing done yet: free now');
  workMs += 100; // a key share computed at t=0
  assert.equal(cpu.settle(), 100);
  now = 20;
  workMs += 50; // more work at t=20 waits for the first to finish
  assert.equal(cpu.settle(), 150);
  assert.equal(cpu.settle(), 150, 'looking again adds nothing');
  now = 500;
  assert.equal(cpu.settle(), 500, 'idle since 150: free at the current instant');
  workMs += 10;
  assert.equal(cpu.settle(), 510, 'new work starts now, not at 150');
});
