// Fleets of simulated boards (src/sim/fleet.ts) against a real node:tls (or
// tlsrt) server in this process, over simulated links, in virtual time.
// Every time asserted here is virtual; nothing depends on this machine's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFleet, type FleetReport } from '../../src/sim/fleet.ts';
import { loadBoard, type Board as BoardProfile } from '../../src/bundle/board.ts';

const T = { timeout: 240_000 };

function summary(r: FleetReport): string {
  return `${r.completed}/${r.devices} ok; failures ${JSON.stringify(r.failures)}`;
}

test('the same seed gives the same report, device by device; another seed gives another', T, async () => {
  const run = (seed: number) => runFleet({ board: 'esp32', devices: 12, seed, link: { loss: 0.1, jitterMs: 15, latencyMs: 30 }, messageBytes: 3000 });
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  assert.equal(a.report.completed, 12, summary(a.report));
  assert.deepEqual(b.report, a.report, 'same seed, same report (handshake times, bytes, retransmissions, RAM)');
  assert.ok(a.report.wire.retransmits > 0, 'the 10% loss cost retransmissions');
  assert.notDeepEqual(c.report.perDevice.map((d) => d.handshakeMs), a.report.perDevice.map((d) => d.handshakeMs), 'another seed: other losses, other times');
  // Board work is the same for the same exchange: the engine's cost is deterministic and constant-time.
  assert.equal(a.report.engineMs.min, a.report.engineMs.max, 'every device spent the same engine time');
});

test('200 boards over links with 5% loss all complete, every byte of every echo intact, every slot freed', T, async () => {
  const { report, host } = await runFleet({ board: 'rp2040', devices: 200, seed: 'two-hundred', link: { loss: 0.05, latencyMs: 40 }, messageBytes: 2048 });
  assert.equal(report.completed, 200, summary(report));
  assert.equal(report.failed, 0);
  for (const d of report.perDevice) {
    assert.ok(d.appOk, `${d.identity}: echo intact`);
    assert.equal(d.slotsInUse, 0, `${d.identity}: slot freed`);
  }
  assert.ok(report.wire.retransmits > 0, 'loss happened and was repaired');
  assert.equal(report.wire.payloadUpBytes > 200 * 2048, true, 'every board sent its message (plus the handshake)');
  assert.equal(report.suite, 'TLS_CHACHA20_POLY1305_SHA256', 'the rp2040 profile suite');
  // psk_dhe_ke on an RP2040 under its profile's runtime, aot: two X25519 operations dominate (about 0.3 s simulated), plus at least one round trip (80 ms).
  assert.equal(report.ram.deviceRuntime, 'aot');
  assert.ok(report.handshakeMs.min > 250 + 80 && report.handshakeMs.min < 1000, `rp2040 handshake ${report.handshakeMs.min} ms`);
  assert.ok(report.handshakeMs.max > report.handshakeMs.min, 'lost packets made some handshakes slower');
  assert.ok(report.ram.highWaterMaxBytes <= report.ram.budgetBytes, 'RAM high-water within the engine budget');
  assert.equal(report.ram.deviceFits, report.ram.devicePeakBytes <= report.ram.budgetBytes, 'the device verdict follows its arithmetic');
  assert.ok(report.ram.devicePeakBytes > report.ram.engineLinearBytes, 'the device peak adds the runtime\'s static RAM and stack to the linear memory');
  assert.ok(host.boardsPerCpuSecond > 0);
});

test('an rp2040 (773-byte record buffers) exchanges 64 KiB with a node:tls server: max_fragment_length 512, no record_overflow', T, async () => {
  const rp = loadBoard('rp2040');
  assert.ok(rp.pool.recvCap < 1024, 'the board cannot hold a full-size record');
  const { report } = await runFleet({ board: rp, devices: 2, seed: 3, messageBytes: 64 * 1024, echo: 'whole', link: { loss: 0.02 } });
  assert.equal(report.completed, 2, summary(report));
  assert.ok(report.perDevice.every((d) => d.appOk), '64 KiB each way, intact');
  // The server wrote the 64 KiB back in one write: without max_fragment_length that is
  // four 16 KiB records; with it, at least 128 records, each with ≥ 22 bytes of overhead.
  assert.ok(report.wire.payloadDownBytes >= 2 * (65536 + 128 * 22), `records were small: ${report.wire.payloadDownBytes} bytes down`);
});

test('the same board without max_fragment_length fails with a clear record_overflow, and the fleet goes on', T, async () => {
  const undersized: BoardProfile = { ...loadBoard('rp2040'), name: 'rp2040-no-mfl', maxFragmentLength: 0 };
  const { report } = await runFleet({ board: undersized, devices: 3, seed: 4, messageBytes: 64 * 1024, echo: 'whole' });
  assert.equal(report.completed, 0, summary(report));
  assert.equal(report.failed, 3);
  const reasons = Object.keys(report.failures);
  assert.equal(reasons.length, 1, `one reason: ${reasons.join(' | ')}`);
  assert.match(reasons[0], /^ERR_SSL_PACKET_LENGTH_TOO_LONG: .*packet length too long \(alert record_overflow\)$/);
  for (const d of report.perDevice) {
    assert.ok(d.handshakeMs !== undefined, 'the handshake itself completed (small records)');
    assert.equal(d.slotsInUse, 0, 'the failed connection freed its slot');
  }
});

test('a board whose pool cannot fit its RAM budget fails at boot, naming the budget and the need; the others are unaffected', T, async () => {
  const greedy: BoardProfile = { ...loadBoard('rp2040'), name: 'rp2040-greedy' };
  greedy.pool = { ...greedy.pool, slots: 16, recvCap: 16645, sendCap: 16645 };
  const { report } = await runFleet({ board: greedy, devices: 2, seed: 5 });
  assert.equal(report.failed, 2);
  const [reason] = Object.keys(report.failures);
  assert.match(reason, /^BudgetError: board rp2040-greedy: the engine's linear memory needs \d+ bytes .*for 16 slot\(s\).* RAM budget \(ramBudget\.engineBytes\) is 139264 bytes/);
  const ok = await runFleet({ board: 'rp2040', devices: 1, seed: 5 });
  assert.equal(ok.report.completed, 1, 'a fitting board in the same process works');
});

test('psk_ke against tlsrt\'s own server: far less board time than psk_dhe_ke', T, async () => {
  const ke = await runFleet({ board: 'esp32-c3', devices: 3, seed: 6, kx: 'psk_ke', server: 'tlsrt' });
  const dhe = await runFleet({ board: 'esp32-c3', devices: 3, seed: 6, kx: 'psk_dhe_ke', server: 'tlsrt' });
  assert.equal(ke.report.completed + dhe.report.completed, 6, `${summary(ke.report)} / ${summary(dhe.report)}`);
  assert.ok(ke.report.engineMs.p50 * 3 < dhe.report.engineMs.p50, `psk_ke ${ke.report.engineMs.p50} ms vs psk_dhe_ke ${dhe.report.engineMs.p50} ms`);
});

test('a fleet that cannot finish in time reports STALLED devices (virtual time), and bad options fail the call, not the process', T, async () => {
  const { report } = await runFleet({ board: 'esp32', devices: 2, seed: 9, kx: 'psk_ke', link: { latencyMs: 60_000, loss: 0.5 }, maxTimeMs: 100_000 });
  assert.equal(report.failed, 2);
  assert.deepEqual(Object.keys(report.failures), ['STALLED: not finished after 100000 ms (virtual time)']);
  await assert.rejects(runFleet({ board: 'esp32', devices: 1, link: { loss: 1 } }), /loss must be below 1/);
});
