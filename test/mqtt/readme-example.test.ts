// The README's MQTT device example, run as written against mosquitto: the
// block is taken from README.md, its imports bound to tlsrt's source and
// mqtt.js, its broker address pointed at the test's mosquitto on 127.0.0.1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import tlsrt from '../../src/index.ts';
import { connected, endClient, mosquittoMissing, mqttClient, startMosquitto, type Mosquitto } from '../helpers/mqtt.ts';

const missing = mosquittoMissing();
let broker: Mosquitto | undefined;
let device: mqtt.MqttClient | undefined;
after(async () => {
  device?.end(true); // the example reconnects by default: a failed run must not keep the process alive
  await broker?.stop();
});

/** The ```js block after the README's marker comment for this test. */
function readmeBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf('<!-- test/mqtt/readme-example.test.ts');
  assert.ok(at >= 0, 'the README marks the example');
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'a js block follows the marker');
  return m[1];
}

test('README: the mqtt.js-over-tlsrt device example publishes, subscribes and receives through mosquitto', { timeout: 30000, skip: missing ?? undefined }, async () => {
  const keys = { 'sensor-1': randomBytes(32), operator: randomBytes(32) };
  broker = await startMosquitto(keys);
  let code = readmeBlock();
  // Its two imports become parameters; its broker address becomes the test's.
  assert.match(code, /^import tls from 'tlsrt';\nimport mqtt from 'mqtt';\n/);
  code = code.replace(/^import .*\n/gm, '');
  assert.match(code, /host: 'broker\.local', port: 8883/);
  code = code.replace("host: 'broker.local', port: 8883", `host: '127.0.0.1', port: ${broker.port}`);

  // Someone else on the broker: sees the device's reading, sends it a setpoint.
  const operator = mqttClient('node', broker.port, 'operator', keys.operator);
  await connected(operator);
  await operator.subscribeAsync('plant/1/temp', { qos: 1 });
  const reading = new Promise<string>((r) => operator.once('message', (_t, p) => r(p.toString())));

  const logged: string[] = [];
  const errors: string[] = [];
  const printed = new Promise<void>((resolve) => {
    const log = (...a: unknown[]) => {
      logged.push(a.join(' '));
      resolve();
    };
    const console = { log, error: (...a: unknown[]) => errors.push(a.join(' ')) };
    const process = { env: { SENSOR_KEY: keys['sensor-1'].toString('hex') } };
    const run = new Function('tls', 'mqtt', 'console', 'process', 'Buffer', `${code}\nreturn client;`);
    device = run(tlsrt, mqtt, console, process, Buffer) as mqtt.MqttClient;
  });
  try {
    assert.equal(await reading, '21.5', 'the device published its reading at QoS 1');
    // The device subscribed before it published: the setpoint reaches it.
    await operator.publishAsync('plant/1/setpoint', '19', { qos: 1 });
    await printed;
    assert.deepEqual(logged, ['plant/1/setpoint 19']);
    assert.deepEqual(errors, []);
  } finally {
    if (device) await endClient(device);
    await endClient(operator);
  }
});
