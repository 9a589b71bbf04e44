// The process-wide cap on what connections queue: mailboxes that share a
// QueueBudget each pause their sender at their own mark, and all of them once
// the sum reaches the budget; one paused by the budget alone resumes when
// the others have drained enough, not before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mailbox } from '../../src/runtime/mailbox.ts';
import { QueueBudget } from '../../src/runtime/queue-budget.ts';

test('mailboxes sharing a budget: the sum pauses them all; a drained one resumes only when the total is under budget', () => {
  const budget = new QueueBudget(100);
  const resumed: string[] = [];
  const a = new Mailbox<Buffer>(80, (b) => b.length, () => resumed.push('a'), budget);
  const b = new Mailbox<Buffer>(80, (b) => b.length, () => resumed.push('b'), budget);
  assert.equal(a.push(Buffer.alloc(60)), true, 'a: under its mark and under the budget');
  assert.equal(b.push(Buffer.alloc(30)), true);
  assert.equal(b.push(Buffer.alloc(20)), false, 'b: under its own mark (50 < 80) but the sum (110) is over the budget');
  assert.equal(budget.bytes, 110);
  // b's engine takes its first message: b is below its mark, the sum (80) is under budget: b resumes.
  b.shift();
  assert.deepEqual(resumed, ['b']);
  // a goes over its own mark (90 >= 80) and pauses; b then pushes the sum to 150 and pauses on the budget.
  assert.equal(a.push(Buffer.alloc(30)), false);
  assert.equal(b.push(Buffer.alloc(40)), false, 'sum 150: b pauses too');
  a.shift(); // a: 30 held, sum 90 < 100: a resumes at once
  assert.deepEqual(resumed, ['b', 'a']);
  // a fills the budget again (a 70, sum 130); b drains below its own mark (40) but must wait for the budget.
  assert.equal(a.push(Buffer.alloc(40)), false);
  b.shift();
  assert.deepEqual(resumed, ['b', 'a'], 'b still paused: the sum (110) is over budget');
  a.shift(); // a: 40, sum 80: the budget has room: b (waiting on it) resumes, and a too
  assert.deepEqual(resumed.sort(), ['a', 'a', 'b', 'b']);
  assert.equal(budget.peakBytes, 150);
  a.drain();
  b.drain();
  assert.equal(budget.bytes, 0);
});
