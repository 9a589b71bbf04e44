// The mqtt app: a sensor's life on an MQTT broker. Over the board's TLS
// socket it CONNECTs (client id = the device's PSK identity; mosquitto's
// use_identity_as_username makes it the username too), SUBSCRIBEs to its own
// topic, PUBLISHes `messages` messages of `bytes` bytes at `rate` per second
// with QoS `qos`, waits until every one has come back through the broker
// (and, at QoS 1, every PUBACK), then DISCONNECTs. Success: all sent, all
// acknowledged (QoS 1), all received back intact.
//
// The MQTT codec and session are mqtt.js's (`new mqtt.MqttClient(() => socket)`:
// it takes the stream it should speak over). mqtt.js keeps real timers —
// keepalive pings, reconnects, a CONNACK timeout — which in a virtual-time
// fleet would follow this machine's clock, not the simulation's. So they are
// all off (keepalive 0, reconnectPeriod 0, the CONNACK timer pushed out of
// reach) and every delay the app has — the publish rate, its deadline —
// runs on the fleet's clock (ctx.clock).
//
// The in-process peer is an aedes broker (the `aedes` package, loaded when a
// fleet first needs it). `mqtt` and `aedes` are loaded only with this app, so
// tlsrt itself does not depend on them.
import type { Duplex } from 'node:stream';
import mqtt from 'mqtt';
import { numberOpt, onlyKnown, type AppOptions, type AppPeer, type DeviceApp } from '../app.ts';

export interface MqttAppOptions {
  /** PUBLISHes per device (default 10). */
  messages: number;
  /** 0 or 1 (default 1): the QoS of the subscription and of every PUBLISH. */
  qos: 0 | 1;
  /** PUBLISHes per second, on the fleet's clock (default 10). */
  rate: number;
  /** Payload bytes per message, at least 4: a sequence number, then random bytes (default 32). */
  bytes: number;
  /** The device's topic, "{id}" = its identity (default tlsrt/sim/{id}). */
  topic: string;
  /** Give up after this many ms (fleet clock) from power-up (default 120000). */
  timeout: number;
}

/** mqtt.js's CONNACK timer is a real setTimeout: pushed beyond any run (the app's own deadline rules). */
const NEVER_MS = 2 ** 31 - 1;

const mqttApp: DeviceApp<MqttAppOptions> = {
  name: 'mqtt',
  describe: (o) => `${o.messages} QoS ${o.qos} PUBLISH${o.messages === 1 ? '' : 'es'} of ${o.bytes} bytes ${o.qos === 1 ? 'acknowledged and ' : ''}received back`,
  configure(raw: AppOptions): MqttAppOptions {
    onlyKnown(raw, 'mqtt', ['messages', 'qos', 'rate', 'bytes', 'topic', 'timeout']);
    const qos = numberOpt(raw, 'mqtt', 'qos', 1, 0, 1) as 0 | 1;
    const topic = String(raw.topic ?? 'tlsrt/sim/{id}');
    if (/[+#]/.test(topic) || topic === '') throw new TypeError(`mqtt app: option topic must be a topic name without wildcards, not '${topic}'`);
    return {
      messages: numberOpt(raw, 'mqtt', 'messages', 10, 1, 100_000),
      qos,
      rate: numberOpt(raw, 'mqtt', 'rate', 10, 0.001, 100_000, false),
      bytes: numberOpt(raw, 'mqtt', 'bytes', 32, 4, 256 * 1024 * 1024),
      topic,
      timeout: numberOpt(raw, 'mqtt', 'timeout', 120_000, 1, 86_400_000),
    };
  },
  run(ctx) {
    const o = ctx.options;
    const topic = o.topic.replaceAll('{id}', ctx.identity);
    const sentAt: number[] = [];
    const payloads: Buffer[] = [];
    const seen = new Set<number>();
    const latencyMs: number[] = [];
    let acknowledged = 0;
    let reason: string | undefined;
    let done = false;
    const cancels: (() => void)[] = [];
    const metrics = () => ({ sent: sentAt.length, acknowledged, received: seen.size, latencyMs });

    return new Promise((resolve) => {
      let client: mqtt.MqttClient | undefined;
      const fail = (why: string) => {
        // After DISCONNECT the broker may close as it likes (a reset included): the device's work was done.
        if (done) return;
        reason ??= why;
        done = true;
        client ? client.end(true) : ctx.socket.destroy();
      };
      const maybeDone = () => {
        if (done || seen.size < o.messages || (o.qos === 1 && acknowledged < o.messages)) return;
        done = true;
        client!.end(false); // DISCONNECT, then the socket's end: close_notify and FIN
      };
      cancels.push(ctx.clock.after(o.timeout, () => fail(`timeout after ${o.timeout} ms: ${sentAt.length} sent, ${acknowledged} acknowledged, ${seen.size} received of ${o.messages}`)));
      ctx.socket.once('close', () => {
        for (const c of cancels) c();
        if (!done) reason ??= `connection closed after ${sentAt.length} sent, ${acknowledged} acknowledged, ${seen.size} received of ${o.messages}`;
        resolve({ ok: reason === undefined, reason, metrics: metrics() });
      });
      ctx.socket.once('secureConnect', () => {
        client = new mqtt.MqttClient(() => ctx.socket as never, {
          protocolVersion: 4,
          clientId: ctx.identity,
          username: ctx.identity,
          clean: true,
          keepalive: 0,
          reconnectPeriod: 0,
          connectTimeout: NEVER_MS,
        });
        client.on('error', (e) => fail(`mqtt: ${e.message}`));
        client.on('message', (t, payload) => {
          if (t !== topic || payload.length < 4) return;
          const seq = payload.readUInt32BE(0);
          if (seq >= sentAt.length || seen.has(seq)) return;
          if (!payload.equals(payloads[seq])) return fail(`message ${seq} came back altered`);
          seen.add(seq);
          latencyMs.push(ctx.clock.now() - sentAt[seq]);
          maybeDone();
        });
        client.once('connect', () => {
          client!.subscribe(topic, { qos: o.qos }, (err, granted) => {
            if (err) return fail(`mqtt: SUBSCRIBE failed: ${err.message}`);
            if (!granted?.length || granted[0].qos !== o.qos) return fail(`mqtt: SUBSCRIBE to ${topic} granted QoS ${granted?.[0]?.qos}, asked ${o.qos}`);
            const interval = 1000 / o.rate;
            const publish = (seq: number) => {
              if (done) return;
              const payload = Buffer.concat([Buffer.alloc(4), ctx.random(o.bytes - 4)]);
              payload.writeUInt32BE(seq, 0);
              payloads[seq] = payload;
              sentAt[seq] = ctx.clock.now();
              client!.publish(topic, payload, { qos: o.qos }, (e) => {
                if (e) return fail(`mqtt: PUBLISH ${seq} failed: ${e.message}`);
                if (o.qos === 1) acknowledged++; // the callback of a QoS 1 PUBLISH is its PUBACK
                maybeDone();
              });
              if (seq + 1 < o.messages) cancels.push(ctx.clock.after(interval, () => publish(seq + 1)));
            };
            publish(0);
          });
        });
      });
    });
  },
  async peer(): Promise<AppPeer> {
    const { Aedes } = await import('aedes');
    const broker = await Aedes.createBroker();
    return {
      onConnection: (s: Duplex) => {
        s.on('error', () => {}); // the device reports its own failures
        broker.handle(s as never);
      },
      close: () => new Promise<void>((r) => broker.close(() => r())),
    };
  },
};

export default mqttApp;
