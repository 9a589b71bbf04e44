// `npm run bench` (MQTT part): real MQTT software over tlsrt vs over node:tls,
// in one run, over loopback.
//
//  1. mqtt.js → Debian's mosquitto (TLS 1.3 PSK listener), 100 QoS-1
//     PUBLISHes of 10 bytes, one at a time (each waits for its PUBACK):
//     bytes per message on the wire, counted at a TCP relay between client
//     and broker in both directions (PUBLISH + PUBACK records), and the median
//     PUBACK round trip. The client stack is what differs.
//  2. aedes served by a tlsrt server vs by a node:tls server, the same
//     mqtt.js clients over node:tls: QoS-1 messages per second from one
//     publisher (up to WINDOW in flight) to one subscriber. The server stack
//     is what differs.
// Both halves alternate tlsrt and node:tls over several rounds and keep each
// one's best (medians of round trips, so one slow round does not decide).
import net from 'node:net';
import nodeTls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { Aedes } from 'aedes';
import type mqtt from 'mqtt';
import tlsrt from '../src/index.ts';
import { connected, endClient, mosquittoMissing, mqttClient, startMosquitto, type Lib } from '../test/helpers/mqtt.ts';
import { countingRelay } from '../test/helpers/wire.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MESSAGES = 100;
const WARMUP = 20;
const THROUGHPUT_MESSAGES = Number(process.env.BENCH_MQTT_MESSAGES ?? 5000);
const WINDOW = 100;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = () => Number(process.hrtime.bigint()) / 1e6;

interface RoundTrip {
  bytesPerMessage: number;
  medianMs: number;
}

/** One mqtt.js client over `lib` through a counting relay to mosquitto: WARMUP, then MESSAGES measured QoS-1 publishes. */
async function mosquittoRound(lib: Lib, brokerPort: number, identity: string, key: Buffer): Promise<RoundTrip> {
  const relay = await countingRelay(brokerPort);
  const c = mqttClient(lib, relay.port, identity, key);
  try {
    await connected(c);
    const payload = randomBytes(10);
    for (let i = 0; i < WARMUP; i++) await c.publishAsync('bench/t', payload, { qos: 1 });
    const bytes0 = relay.up.bytes + relay.down.bytes;
    const rtt: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const t0 = ms();
      await c.publishAsync('bench/t', payload, { qos: 1 });
      rtt.push(ms() - t0);
    }
    return { bytesPerMessage: (relay.up.bytes + relay.down.bytes - bytes0) / MESSAGES, medianMs: median(rtt) };
  } finally {
    await endClient(c);
    await relay.close();
  }
}

interface Broker {
  port: number;
  close(): Promise<void>;
}

/** aedes behind a `lib` PSK server on 127.0.0.1. */
async function aedesOn(lib: Lib, keys: Record<string, Buffer>): Promise<Broker> {
  const broker = await Aedes.createBroker();
  const pskCallback = (_s: unknown, identity: string) => keys[identity] ?? null;
  const handle = (s: unknown) => broker.handle(s as never);
  const server = lib === 'tlsrt'
    ? tlsrt.createServer({ pskCallback }, handle)
    : nodeTls.createServer({ pskCallback: pskCallback as never, ciphers: 'TLS_AES_128_GCM_SHA256' }, handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** QoS-1 messages per second from a publisher to a subscriber through `broker` (both mqtt.js over node:tls). */
async function aedesRound(broker: Broker, keys: Record<string, Buffer>): Promise<number> {
  const pub = mqttClient('node', broker.port, 'pub', keys.pub);
  const sub = mqttClient('node', broker.port, 'sub', keys.sub);
  try {
    await Promise.all([connected(pub), connected(sub)]);
    await sub.subscribeAsync('bench/+', { qos: 1 });
    const payload = randomBytes(10);
    let received = 0;
    const all = new Promise<void>((resolve) => {
      sub.on('message', () => {
        if (++received === THROUGHPUT_MESSAGES) resolve();
      });
    });
    const t0 = ms();
    let sent = 0;
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      const more = () => {
        while (sent < THROUGHPUT_MESSAGES && sent - acked < WINDOW) {
          sent++;
          pub.publish('bench/x', payload, { qos: 1 }, (err?: Error) => {
            if (err) return reject(err);
            acked++;
            if (acked === THROUGHPUT_MESSAGES) resolve();
            else more();
          });
        }
      };
      more();
    });
    await all;
    return THROUGHPUT_MESSAGES / ((ms() - t0) / 1000);
  } finally {
    await Promise.all([endClient(pub), endClient(sub)]);
  }
}

const rows: { name: string; tlsrt: number; node: number; unit: string; better: 'lower' | 'higher' }[] = [];

const missing = mosquittoMissing();
if (missing) {
  console.log(`\nMQTT benchmark: mosquitto rows skipped: ${missing}`);
} else {
  const keys = { dev: randomBytes(32) };
  const mosq = await startMosquitto(keys);
  try {
    const got: Record<Lib, RoundTrip[]> = { tlsrt: [], node: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const lib of ['tlsrt', 'node'] as Lib[]) got[lib].push(await mosquittoRound(lib, mosq.port, 'dev', keys.dev));
    }
    rows.push({
      name: 'bytes on the wire per QoS-1 message', unit: 'B', better: 'lower',
      tlsrt: median(got.tlsrt.map((x) => x.bytesPerMessage)), node: median(got.node.map((x) => x.bytesPerMessage)),
    });
    rows.push({
      name: 'PUBACK round trip (median)', unit: 'ms', better: 'lower',
      tlsrt: median(got.tlsrt.map((x) => x.medianMs)), node: median(got.node.map((x) => x.medianMs)),
    });
  } finally {
    await mosq.stop();
  }
}

{
  const keys = { pub: randomBytes(32), sub: randomBytes(32) };
  const got: Record<Lib, number[]> = { tlsrt: [], node: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const lib of ['tlsrt', 'node'] as Lib[]) {
      const b = await aedesOn(lib, keys);
      try {
        got[lib].push(await aedesRound(b, keys));
      } finally {
        await b.close();
      }
    }
  }
  rows.push({ name: `aedes broker throughput (QoS 1, ${WINDOW} in flight)`, unit: 'msg/s', better: 'higher', tlsrt: median(got.tlsrt), node: median(got.node) });
}

console.log(`\ntlsrt MQTT benchmark — node ${process.version}, ${process.arch}, mosquitto and aedes over loopback, TLS 1.3 PSK, TLS_AES_128_GCM_SHA256`);
console.log(`mosquitto rows: mqtt.js client over tlsrt vs node:tls, ${MESSAGES} sequential QoS-1 PUBLISHes of 10 bytes after ${WARMUP} warm-up, bytes counted at a TCP relay (both directions);`);
console.log(`aedes row: broker on a tlsrt vs node:tls server, ${THROUGHPUT_MESSAGES} QoS-1 messages publisher -> subscriber (clients: mqtt.js over node:tls); medians of ${ROUNDS} alternating rounds\n`);
const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2)).padStart(9);
console.log(`${''.padEnd(46)} ${'unit'.padEnd(5)} ${'tlsrt'.padStart(9)} ${'node:tls'.padStart(9)}  tlsrt/node`);
for (const r of rows) {
  console.log(`${r.name.padEnd(46)} ${r.unit.padEnd(5)} ${f(r.tlsrt)} ${f(r.node)}  ${(r.tlsrt / r.node).toFixed(2).padStart(9)}x  (${r.better} is better)`);
}
