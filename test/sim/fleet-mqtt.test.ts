// Fleets that speak MQTT (the mqtt app, src/sim/apps/mqtt.ts): 50 simulated
// rp2040s, each with its own key, over links losing 5% of their packets —
// against Debian's mosquitto (a real broker over real TCP, real time) and
// against an aedes broker on a tlsrt server in this process (virtual time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFleet, type FleetReport } from '../../src/sim/fleet.ts';
import { loadApp } from '../../src/sim/app.ts';
import { generateKeys } from '../../src/sim/psk-file.ts';
import { mosquittoMissing, startMosquitto } from '../helpers/mqtt.ts';

const T = { timeout: 60_000 };
const DEVICES = 50;
const MESSAGES = 5;
const missing = mosquittoMissing();

function summary(r: FleetReport): string {
  return `${r.completed}/${r.devices} ok; failures ${JSON.stringify(r.failures)}`;
}

/** Every device sent, got acknowledged and got back all its messages; the totals add up. */
function assertAllDelivered(r: FleetReport): void {
  assert.equal(r.completed, DEVICES, summary(r));
  assert.equal(r.app.name, 'mqtt');
  for (const d of r.perDevice) {
    assert.deepEqual({ ...d.app, latencyMs: d.app?.latencyMs.length }, { sent: MESSAGES, acknowledged: MESSAGES, received: MESSAGES, latencyMs: MESSAGES }, d.identity);
  }
  assert.equal(r.app.sent, DEVICES * MESSAGES);
  assert.equal(r.app.acknowledged, DEVICES * MESSAGES);
  assert.equal(r.app.received, DEVICES * MESSAGES);
  assert.equal(r.app.latencyMs.count, DEVICES * MESSAGES);
  // A message goes up one link and comes back down another: two one-way latencies (2 × 20 ms) at least.
  assert.ok(r.app.latencyMs.p50 >= 40, `latency p50 ${r.app.latencyMs.p50} ms`);
  assert.ok(r.app.latencyMs.max >= r.app.latencyMs.p90 && r.app.latencyMs.p90 >= r.app.latencyMs.p50);
  assert.ok(r.wire.retransmits > 0, 'the 5% loss cost retransmissions');
  assert.equal(r.keys, 'per-device');
}

test(`${DEVICES} rp2040s run the mqtt app against mosquitto (psk_file, a key each) over 5% loss: every message acknowledged and received`, { ...T, skip: missing ?? false }, async () => {
  const keys = generateKeys(DEVICES, 'rp-{n}');
  assert.equal(new Set(keys.map((k) => k.key.toString('hex'))).size, DEVICES, 'fresh keys, all different');
  const broker = await startMosquitto(Object.fromEntries(keys.map((k) => [k.identity, k.key])));
  try {
    const { report } = await runFleet({
      board: 'rp2040', devices: DEVICES, rampMs: 2000, server: { host: '127.0.0.1', port: broker.port }, keys,
      app: await loadApp('mqtt'), appOptions: { messages: MESSAGES, qos: 1, rate: 10 }, link: { loss: 0.05, latencyMs: 20 }, maxTimeMs: 45_000,
    });
    assertAllDelivered(report);
    assert.equal(report.clock, 'realtime');
    assert.equal(report.entropy, 'csprng', 'boards facing a real broker draw from the platform CSPRNG');
    assert.deepEqual(report.perDevice.map((d) => d.identity), keys.map((k) => k.identity));
    // mosquitto (use_identity_as_username) logs each client by its identity: all 50 connected as themselves.
    const log = broker.peer.stderr() + broker.peer.stdout();
    for (const k of keys) assert.match(log, new RegExp(`New client connected from .* as ${k.identity} `), `${k.identity} connected`);
  } finally {
    await broker.stop();
  }
});

test(`the same ${DEVICES} rp2040s against aedes on a tlsrt server in this process: all delivered, and the same seed gives the same report`, T, async () => {
  const app = await loadApp('mqtt');
  const run = () => runFleet({
    board: 'rp2040', devices: DEVICES, seed: 'aedes', server: 'tlsrt', app, appOptions: { messages: MESSAGES, qos: 1, rate: 10 }, link: { loss: 0.05, latencyMs: 20 },
  });
  const a = await run();
  assertAllDelivered(a.report);
  assert.equal(a.report.clock, 'virtual');
  assert.equal(a.report.entropy, 'seeded');
  const b = await run();
  assert.deepEqual(b.report, a.report, 'virtual time and seeded boards: the same report');
});

test('the mqtt app at QoS 0: no PUBACKs, every message still received back (TCP under the loss)', T, async () => {
  const { report } = await runFleet({
    board: 'esp32', devices: 5, seed: 2, server: 'node', app: await loadApp('mqtt'), appOptions: { messages: 4, qos: 0, rate: 50, bytes: 600 }, link: { loss: 0.1 },
  });
  assert.equal(report.completed, 5, summary(report));
  assert.equal(report.app.sent, 20);
  assert.equal(report.app.acknowledged, 0);
  assert.equal(report.app.received, 20);
});

test('app options are checked before anything runs', async () => {
  const app = await loadApp('mqtt');
  await assert.rejects(runFleet({ board: 'esp32', devices: 1, app, appOptions: { qos: 2 } }), /mqtt app: option qos must be an integer from 0 to 1/);
  await assert.rejects(runFleet({ board: 'esp32', devices: 1, app, appOptions: { mesages: 3 } }), /unknown option 'mesages'/);
  await assert.rejects(loadApp('./no/such/app.ts'), /no app '.\/no\/such\/app.ts'/);
});

test('an app from a module path (tlsrt sim --app ./file): its own protocol, options and metrics in the report', async () => {
  const { tlsrtSync } = await import('../helpers/cli.ts');
  const r = tlsrtSync(['sim', '--board', 'esp32', '--devices', '3', '--server', 'tlsrt', '--app', 'test/sim/fixtures/ping-app.ts', '--app-options', 'rounds=4', '--loss', '5']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^completed: 3\/3 \(app ping: 4 pongs; slot freed\)$/m);
  assert.match(r.stdout, /^app ping: 12 messages sent, 0 acknowledged, 12 received · latency \(simulated\): p50 [\d.]+ ms/m);
  // The same module with a server handler of the caller's own instead of the app's peer: one that never answers.
  const app = await loadApp('test/sim/fixtures/ping-app.ts');
  const { report } = await runFleet({ board: 'esp32', devices: 2, server: { kind: 'node', onConnection: (s) => s.on('data', () => s.end()) }, app, appOptions: { rounds: 2 } });
  assert.equal(report.failed, 2);
  assert.deepEqual(Object.keys(report.failures), ['ping: 0 of 2 pongs']);
});

test('mqtt devices stalled at the deadline (a broker that never sends CONNACK) are reported STALLED and let go of their timers', T, async () => {
  const tls = await import('node:tls');
  const key = Buffer.alloc(32, 7);
  const mute = tls.createServer({ pskCallback: () => key, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, (s) => s.on('data', () => {}));
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  try {
    const { report } = await runFleet({
      board: 'esp32', devices: 3, rampMs: 100, server: { host: '127.0.0.1', port: (mute.address() as { port: number }).port },
      psk: { identity: 'd-{n}', key }, app: await loadApp('mqtt'), maxTimeMs: 2000,
    });
    assert.equal(report.failed, 3);
    assert.deepEqual(Object.keys(report.failures), ['STALLED: not finished after 2000 ms (real time)']);
    assert.equal(report.handshakeMs.count, 3, 'the handshakes completed; CONNACK never came');
    await new Promise((r) => setImmediate(r));
    assert.ok(timers() <= before, `no timer left behind (${timers()} now, ${before} before)`);
  } finally {
    mute.close();
  }
});
