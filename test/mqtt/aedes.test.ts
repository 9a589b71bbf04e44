// An aedes MQTT broker served by a tlsrt server (tlsrt.createServer with a
// pskCallback, aedes.handle as the connection listener), with mqtt.js
// clients over node:tls and over tlsrt talking to each other through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Aedes } from 'aedes';
import type mqtt from 'mqtt';
import { connected, endClient, mqttClient, type Lib } from '../helpers/mqtt.ts';
import tlsrt from '../../src/index.ts';

const T = { timeout: 30000 };
const KEYS: Record<string, Buffer> = { 'node-dev': randomBytes(32), 'tlsrt-dev': randomBytes(32) };
let broker: Aedes;
let server: ReturnType<typeof tlsrt.createServer>;
let port: number;
const identities: string[] = [];

before(async () => {
  broker = await Aedes.createBroker();
  server = tlsrt.createServer({
    pskCallback: (_socket: unknown, identity: string) => {
      identities.push(identity);
      return KEYS[identity] ?? null;
    },
  }, (socket) => broker.handle(socket as never));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
after(async () => {
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

function nextMessage(c: mqtt.MqttClient): Promise<{ topic: string; payload: Buffer; qos: number }> {
  return new Promise((resolve) => c.once('message', (topic, payload, packet) => resolve({ topic, payload, qos: packet.qos })));
}

for (const [from, to] of [['node', 'tlsrt'], ['tlsrt', 'node'], ['tlsrt', 'tlsrt']] as [Lib, Lib][]) {
  test(`aedes on a tlsrt server: QoS-1 from an mqtt.js client over ${from === 'node' ? 'node:tls' : 'tlsrt'} to one over ${to === 'node' ? 'node:tls' : 'tlsrt'}`, T, async () => {
    const pub = mqttClient(from, port, `${from}-dev`, KEYS[`${from}-dev`]);
    const sub = mqttClient(to, port, `${to}-dev`, KEYS[`${to}-dev`]);
    try {
      await Promise.all([connected(pub), connected(sub)]);
      await sub.subscribeAsync('room/+', { qos: 1 });
      for (const size of [10, 64 * 1024]) {
        const payload = randomBytes(size);
        const got = nextMessage(sub);
        await pub.publishAsync(`room/${size}`, payload, { qos: 1 }); // resolves on aedes's PUBACK
        const m = await got;
        assert.equal(m.topic, `room/${size}`);
        assert.equal(m.qos, 1);
        assert.ok(m.payload.equals(payload), `${size} bytes intact`);
      }
    } finally {
      await Promise.all([endClient(pub), endClient(sub)]);
    }
  });
}

test('aedes on a tlsrt server: an unknown identity is refused with a TLS error, the broker keeps serving', T, async () => {
  const c = mqttClient('node', port, 'stranger', randomBytes(32));
  const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
    c.once('error', (e) => resolve(e as NodeJS.ErrnoException));
    c.once('connect', () => resolve(new Error('connected with an unknown identity') as NodeJS.ErrnoException));
  });
  c.end(true);
  assert.ok(identities.includes('stranger'), 'the pskCallback was asked');
  // node:tls's client reports the server's alert: unknown_psk_identity (RFC 4279 §2, as OpenSSL's servers send it).
  assert.equal(err.code, 'EPROTO');
  assert.match(err.message, /unknown psk identity.*SSL alert number 115/);
  const good = mqttClient('tlsrt', port, 'tlsrt-dev', KEYS['tlsrt-dev']);
  await connected(good);
  await endClient(good);
});
