// A fleet spread over worker threads (src/sim/fleet-workers.ts) writes the
// report one thread writes: device by device, for the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFleet, type FleetOptions } from '../../src/sim/fleet.ts';

const T = { timeout: 240_000 };

for (const server of ['node', 'tlsrt'] as const) {
  test(`${server} server: workers 1 and 2 give the same report device by device; another seed another`, T, async () => {
    // Loss, jitter (reordering) and a short ramp: many boards in flight at once, sharing instants.
    const o: FleetOptions = { board: 'esp32-c3', devices: 40, seed: 'shards', kx: 'psk_ke', server, rampMs: 200, link: { loss: 0.08, jitterMs: 10, latencyMs: 25 } };
    const one = await runFleet(o);
    const two = await runFleet({ ...o, workers: 2 });
    const other = await runFleet({ ...o, seed: 'other shards', workers: 2 });
    assert.equal(one.report.completed, 40, JSON.stringify(one.report.failures));
    assert.ok(one.report.wire.retransmits > 0, 'losses happened');
    assert.equal(two.host.workers, 2);
    assert.equal(one.host.workers, undefined, 'workers: 1 runs in this thread');
    assert.deepEqual(two.report.perDevice, one.report.perDevice, 'every device: same times, bytes, RAM');
    assert.deepEqual(two.report, one.report, 'the whole report');
    assert.notDeepEqual(other.report.perDevice.map((d) => d.handshakeMs), one.report.perDevice.map((d) => d.handshakeMs), 'another seed: other times');
  });
}

test('failures are merged too: stalled boards are reported the same whichever worker ran them', T, async () => {
  const o: FleetOptions = { board: 'rp2040', devices: 3, seed: 2, messageBytes: 64, maxTimeMs: 1 };
  const one = await runFleet(o);
  const three = await runFleet({ ...o, workers: 3 });
  assert.equal(one.report.completed, 0, 'nobody finishes in 1 virtual ms');
  assert.deepEqual(three.report, one.report);
  assert.match(Object.keys(three.report.failures)[0], /^STALLED: not finished after 1 ms \(virtual time\)$/);
});

test('bad worker counts and options that cannot cross threads fail the call', T, async () => {
  await assert.rejects(runFleet({ board: 'esp32', devices: 2, workers: 0 }), /workers must be an integer from 1 to 256, got 0/);
  await assert.rejects(runFleet({ board: 'esp32', devices: 2, workers: 1.5 }), /workers must be an integer/);
  const withFn = { board: 'esp32', devices: 2, workers: 2, app: () => {} } as unknown as FleetOptions;
  await assert.rejects(runFleet(withFn), /option 'app' is a function, which cannot be sent to worker threads/);
});

test('progress from workers adds up to the fleet', T, async () => {
  const seen: number[] = [];
  const { report } = await runFleet({ board: 'esp32', devices: 6, seed: 3, kx: 'psk_ke', workers: 2, onProgress: (done, total) => seen.push(done, total) });
  assert.equal(report.completed, 6);
  assert.equal(Math.max(...seen.filter((_, i) => i % 2 === 0)), 6);
  assert.ok(seen.filter((_, i) => i % 2 === 1).every((t) => t === 6));
});
