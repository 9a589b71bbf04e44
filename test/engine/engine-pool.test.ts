// The process-wide slot pool (src/tls/engine-pool.ts): opening a slot asks
// exactly one engine (no scan over full engines that throw), freed slots are
// reused before a new engine starts, and after a load peak the idle engine
// instances are let go — their linear memory is collected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine, type Conn } from '../../src/engine/engine.ts';
import { openConn, poolStats } from '../../src/tls/engine-pool.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Counts Engine#open calls and the ones that failed (a scan that tries full engines fails some). */
function countOpens(): { calls: number; failed: number; restore(): void } {
  const orig = Engine.prototype.open;
  const c = {
    calls: 0,
    failed: 0,
    restore: () => {
      Engine.prototype.open = orig;
    },
  };
  Engine.prototype.open = function (this: Engine, ...a: Parameters<Engine['open']>) {
    c.calls++;
    try {
      return orig.apply(this, a);
    } catch (e) {
      c.failed++;
      throw e;
    }
  };
  return c;
}

test('every open asks one engine once; freed slots are reused before another engine starts', () => {
  const per = poolStats().slotsPerEngine;
  const opens = countOpens();
  try {
    const conns: Conn[] = [];
    for (let i = 0; i < 5 * per; i++) conns.push(openConn('server', {}));
    assert.equal(opens.calls, 5 * per);
    assert.equal(opens.failed, 0, 'no open was tried on a full engine');
    assert.equal(poolStats().engines, 5);
    // Free one slot in each of three engines: the next three opens take exactly those.
    const freed = [conns[3], conns[per + 7], conns[3 * per + 1]];
    for (const c of freed) c.close();
    const again = [openConn('server', {}), openConn('server', {}), openConn('server', {})];
    assert.equal(poolStats().engines, 5, 'no new engine while slots were free');
    assert.deepEqual(
      again.map((c) => `${freed.findIndex((f) => f.engine === c.engine)}:${c.id}`).sort(),
      freed.map((f, i) => `${i}:${f.id}`).sort(),
      'the freed slots were the ones reused',
    );
    assert.equal(opens.failed, 0);
    for (const c of [...conns, ...again]) c.close();
  } finally {
    opens.restore();
  }
});

/**
 * Opens `n` connections, then closes them all; returns weak references to
 * the engines they used. Synchronous on purpose: an async function keeps its
 * locals (the last connection, its engine) alive across an await.
 */
function loadPeak(n: number): WeakRef<Engine>[] {
  const conns: Conn[] = [];
  for (let i = 0; i < n; i++) conns.push(openConn('client', { pskIdentity: Buffer.from('id'), psk: Buffer.alloc(32, 1) }));
  assert.equal(poolStats().engines, Math.ceil(n / poolStats().slotsPerEngine));
  const refs = [...new Set(conns.map((c) => c.engine))].map((e) => new WeakRef(e));
  for (const c of conns) c.close();
  return refs;
}

test('after a load peak the idle engines are released and their memory collected; one stays warm', async () => {
  const per = poolStats().slotsPerEngine;
  const refs = loadPeak(10 * per);
  assert.equal(refs.length, 10);
  assert.deepEqual(poolStats(), { engines: 1, idle: 1, slotsPerEngine: per });
  // The warm engine serves the next connection without starting another.
  const c = openConn('server', {});
  assert.deepEqual(poolStats(), { engines: 1, idle: 0, slotsPerEngine: per });
  const warm = new WeakRef(c.engine);
  c.close();
  // Collected. A WeakRef read keeps its target alive until the end of the
  // current job, so each round collects first, in a fresh job, then looks.
  let alive = refs.length;
  for (let i = 0; i < 10 && alive > 1; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
    alive = refs.filter((r) => r.deref() !== undefined).length;
  }
  assert.equal(alive, 1, 'only the warm engine is still alive');
  assert.equal(refs.find((r) => r.deref() !== undefined)?.deref(), warm.deref());
});
