// The actor runtime on its own: bounded mailboxes and the scheduler's
// run-to-completion, round-robin turns (src/runtime). The same runtime under
// real TLS connections: test/runtime/backpressure.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Mailbox } from '../../src/runtime/mailbox.ts';
import { Scheduler, type Actor } from '../../src/runtime/scheduler.ts';

/** An actor with `work` steps to do; logs each step as `name`. */
function worker(name: string, work: number, log: string[], onStep?: () => void): Actor & { left: number } {
  return {
    left: work,
    turn(steps: number) {
      for (let i = 0; i < steps && this.left > 0; i++) {
        this.left--;
        log.push(name);
        onStep?.();
      }
      return this.left > 0;
    },
  };
}

test('mailbox: push says "pause" at the high-water mark and onBelow fires once it drains below', () => {
  let below = 0;
  const m = new Mailbox<Buffer>(100, (b) => b.length, () => below++);
  assert.equal(m.push(Buffer.alloc(60)), true, 'below the mark');
  assert.equal(m.push(Buffer.alloc(60)), false, '120 >= 100: pause');
  assert.equal(m.push(Buffer.alloc(10)), false, 'still full');
  assert.equal(m.bytes, 130);
  m.replaceHead(Buffer.alloc(50)); // a partial take: 120
  assert.equal(below, 0, 'still at or above the mark');
  m.shift(); // 70
  assert.equal(below, 1, 'below the mark: the sender may resume');
  assert.equal(m.full, false);
  m.shift();
  m.shift();
  assert.equal(below, 1, 'onBelow fires once per fill');
  assert.equal(m.length, 0);
  assert.equal(m.peakBytes, 130);
});

test('scheduler: turns are bounded and round-robin — a short job finishes before a long one hogs the engine', () => {
  const log: string[] = [];
  const s = new Scheduler({ turnSteps: 4, defer: () => assert.fail('no deferral expected within one round') });
  const long = worker('L', 40, log);
  const short = worker('S', 6, log);
  // Both are woken inside one turn of a third actor, as when two messages arrive together.
  s.schedule({
    turn() {
      s.schedule(long);
      s.schedule(short);
      return false;
    },
  });
  assert.equal(long.left + short.left, 0, 'all work done synchronously');
  assert.equal(log.join(''), 'LLLLSSSSLLLLSS' + 'L'.repeat(32), 'four steps each, alternating, until the short one is done');
});

test('scheduler: run to completion — waking an actor from inside its own turn never re-enters it', () => {
  const s = new Scheduler();
  let depth = 0;
  let maxDepth = 0;
  let runs = 0;
  const a: Actor = {
    turn() {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      runs++;
      if (runs < 3) s.schedule(a); // a message to itself
      depth--;
      return false;
    },
  };
  s.schedule(a);
  assert.equal(maxDepth, 1, 'never nested');
  assert.equal(runs, 3, 'each self-wake gives one more turn');
});

test('scheduler: after roundTurns turns it yields through defer, then carries on where it stopped', () => {
  const deferred: Array<() => void> = [];
  const s = new Scheduler({ turnSteps: 1, roundTurns: 5, defer: (fn) => deferred.push(fn) });
  const log: string[] = [];
  const a = worker('a', 12, log);
  s.schedule(a);
  assert.equal(log.length, 5, 'five turns of one step, then a yield');
  assert.equal(deferred.length, 1);
  s.schedule(a); // a wake while a continuation is pending only queues
  assert.equal(log.length, 5, 'nothing runs until the deferred continuation');
  deferred.shift()!();
  assert.equal(log.length, 10);
  deferred.shift()!();
  assert.equal(log.length, 12);
  assert.equal(deferred.length, 0, 'idle: nothing more deferred');
  assert.equal(s.ready, 0);
});

test('scheduler: an actor whose turn throws does not stop the others', () => {
  const deferred: Array<() => void> = [];
  const s = new Scheduler({ defer: (fn) => deferred.push(fn) });
  const log: string[] = [];
  const good = worker('g', 2, log);
  const bad: Actor = {
    turn() {
      s.schedule(good); // queued behind the failing turn
      throw new Error('application handler failed');
    },
  };
  assert.throws(() => s.schedule(bad), /application handler failed/);
  assert.equal(log.length, 0, 'good has not run yet');
  assert.equal(deferred.length, 1, 'the rest of the queue is continued later');
  deferred.shift()!();
  assert.equal(log.join(''), 'gg');
});

test('scheduler: remove() forgets a queued actor (its connection closed)', () => {
  const deferred: Array<() => void> = [];
  const s = new Scheduler({ turnSteps: 1, roundTurns: 1, defer: (fn) => deferred.push(fn) });
  const log: string[] = [];
  const a = worker('a', 3, log);
  const b = worker('b', 3, log);
  s.schedule({
    turn() {
      s.schedule(a);
      s.schedule(b);
      return false;
    },
  });
  s.remove(a);
  while (deferred.length) deferred.shift()!();
  assert.equal(log.join(''), 'bbb', 'a never ran after removal');
});

test('scheduler: an actor that asked for another turn before its turn threw still gets it, later', () => {
  const deferred: Array<() => void> = [];
  const s = new Scheduler({ defer: (fn) => deferred.push(fn) });
  let turns = 0;
  const actor: Actor = {
    turn() {
      turns++;
      if (turns === 1) {
        s.schedule(actor); // work left (a connection's remaining events)...
        throw new Error('listener threw'); // ...when an application listener throws
      }
      return false;
    },
  };
  assert.throws(() => s.schedule(actor), /listener threw/);
  assert.equal(turns, 1);
  assert.equal(deferred.length, 1, 'its next turn is deferred, not run inside the throw');
  deferred.shift()!();
  assert.equal(turns, 2);
  assert.equal(deferred.length, 0, 'and no more');
});
