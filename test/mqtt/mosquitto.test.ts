// mqtt.js over tlsrt to Debian's mosquitto (a broker no one here wrote),
// TLS 1.3 PSK: QoS-1 round trips, a 64 KiB payload, and the two ways a
// device's credentials can be wrong — each must end in a clean error with a
// code, never a hang, and leave the broker serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type mqtt from 'mqtt';
import { connected, endClient, mosquittoMissing, mqttClient, startMosquitto, type Lib, type Mosquitto } from '../helpers/mqtt.ts';
import { countingRelay } from '../helpers/wire.ts';

const missing = mosquittoMissing();
const T = { timeout: 30000, skip: missing ?? undefined };
const KEYS = { 'sensor-1': randomBytes(32), 'sensor-2': randomBytes(32) };
let broker: Mosquitto;

before(async () => {
  if (!missing) broker = await startMosquitto(KEYS);
});
after(async () => {
  await broker?.stop();
});

/** Resolves with the first `n` messages `c` receives on any topic. */
function messages(c: mqtt.MqttClient, n: number): Promise<{ topic: string; payload: Buffer; qos: number }[]> {
  const got: { topic: string; payload: Buffer; qos: number }[] = [];
  return new Promise((resolve) => {
    const on = (topic: string, payload: Buffer, packet: mqtt.IPublishPacket) => {
      got.push({ topic, payload, qos: packet.qos });
      if (got.length === n) {
        c.removeListener('message', on);
        resolve(got);
      }
    };
    c.on('message', on);
  });
}

test('QoS-1 publish/subscribe round trips between two mqtt.js clients over tlsrt', T, async () => {
  const sub = mqttClient('tlsrt', broker.port, 'sensor-1', KEYS['sensor-1']);
  const pub = mqttClient('tlsrt', broker.port, 'sensor-2', KEYS['sensor-2']);
  try {
    await Promise.all([connected(sub), connected(pub)]);
    const granted = await sub.subscribeAsync('plant/+/temp', { qos: 1 });
    assert.deepEqual(granted.map((g) => g.qos), [1]);
    const payloads = Array.from({ length: 20 }, (_, i) => Buffer.from(`${i}:${randomBytes(6).toString('hex')}`));
    const arriving = messages(sub, payloads.length);
    for (const [i, p] of payloads.entries()) {
      // publishAsync resolves on the broker's PUBACK: one QoS-1 round trip each.
      const acked = await pub.publishAsync(`plant/${i % 3}/temp`, p, { qos: 1 });
      assert.equal(acked?.cmd, 'publish');
    }
    const got = await arriving;
    assert.deepEqual(got.map((m) => m.payload.toString()), payloads.map((p) => p.toString()), 'every message, in order');
    assert.deepEqual(got.map((m) => m.topic), payloads.map((_, i) => `plant/${i % 3}/temp`));
    assert.ok(got.every((m) => m.qos === 1), 'delivered at QoS 1');
  } finally {
    await Promise.all([endClient(sub), endClient(pub)]);
  }
});

test('a 64 KiB payload goes through mosquitto and back intact (several records each way)', T, async () => {
  const c = mqttClient('tlsrt', broker.port, 'sensor-1', KEYS['sensor-1']);
  try {
    await connected(c);
    await c.subscribeAsync('blob', { qos: 1 });
    const payload = randomBytes(64 * 1024);
    const back = messages(c, 1);
    await c.publishAsync('blob', payload, { qos: 1 });
    const [m] = await back;
    assert.equal(m.payload.length, payload.length);
    assert.ok(m.payload.equals(payload), 'the same bytes');
  } finally {
    await endClient(c);
  }
});

test('each QoS-1 PUBLISH and its PUBACK are one record each way: the same bytes on the wire as node:tls', T, async () => {
  const seen: Record<string, { up: number; down: number; upRecords: number; downRecords: number }> = {};
  for (const lib of ['node', 'tlsrt'] as Lib[]) {
    const relay = await countingRelay(broker.port);
    const c = mqttClient(lib, relay.port, 'sensor-1', KEYS['sensor-1']);
    try {
      await connected(c);
      await c.publishAsync('warm/up', 'x', { qos: 1 });
      const [up, down, ur, dr] = [relay.up.bytes, relay.down.bytes, relay.up.records, relay.down.records];
      for (let i = 0; i < 10; i++) await c.publishAsync('plant/1/temp', Buffer.alloc(10, i), { qos: 1 });
      seen[lib] = { up: relay.up.bytes - up, down: relay.down.bytes - down, upRecords: relay.up.records - ur, downRecords: relay.down.records - dr };
    } finally {
      await endClient(c);
      await relay.close();
    }
  }
  assert.deepEqual(seen.node.upRecords, 10, 'node:tls: one record per PUBLISH');
  assert.deepEqual(seen.tlsrt, seen.node);
});

/** Connects `lib` with bad credentials; resolves with the error mqtt.js reported and whether it ever connected. */
function failingConnect(lib: Lib, identity: string, key: Buffer): Promise<{ err: NodeJS.ErrnoException | null; connected: boolean }> {
  const c = mqttClient(lib, broker.port, identity, key);
  let err: NodeJS.ErrnoException | null = null;
  let ok = false;
  return new Promise((resolve) => {
    c.on('error', (e) => (err ??= e as NodeJS.ErrnoException));
    c.on('connect', () => (ok = true));
    c.once('close', () => {
      c.end(true);
      resolve({ err, connected: ok });
    });
  });
}

for (const [name, identity, key] of [
  ['a wrong key', 'sensor-1', randomBytes(32)],
  ['an unknown identity', 'intruder', randomBytes(32)],
] as const) {
  test(`${name}: a TLS error with a code reaches mqtt.js, the stream closes, the broker keeps serving`, T, async () => {
    const r = await failingConnect('tlsrt', identity, key);
    assert.equal(r.connected, false);
    assert.ok(r.err, 'mqtt.js reported an error');
    assert.match(String(r.err.code), /^ERR_SSL_/, `${r.err.code}: ${r.err.message}`);
    // The broker is unharmed: a device with the right key still gets in.
    const good = mqttClient('tlsrt', broker.port, 'sensor-2', KEYS['sensor-2']);
    await connected(good);
    await endClient(good);
  });
}

test('a wrong key fails with the same alert as a node:tls client gets from mosquitto', T, async () => {
  const key = randomBytes(32);
  const [viaTlsrt, viaNode] = [await failingConnect('tlsrt', 'sensor-1', key), await failingConnect('node', 'sensor-1', key)];
  assert.ok(viaNode.err && viaTlsrt.err);
  // node:tls reports it as a failed write (EPROTO) whose message names OpenSSL's alert; tlsrt's code names the alert.
  const alert = (e: Error) => /alert number (\d+)/.exec(e.message)?.[1];
  assert.ok(alert(viaNode.err), viaNode.err.message);
  assert.equal(alert(viaTlsrt.err), alert(viaNode.err), `tlsrt: ${viaTlsrt.err.message}; node:tls: ${viaNode.err.message}`);
});
