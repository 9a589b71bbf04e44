// mqtt.js over tlsrt to Debian's mosquitto with a TLS 1.2 PSK listener
// (mosquitto 2: `tls_version tlsv1.2` is the minimum, `ciphers` the TLS 1.2
// PSK suites, `psk_hint` the identity hint, `psk_file` the keys): for each
// suite, a device speaking TLS 1.2 only gets the broker's hint in its
// pskCallback, connects, and does QoS-1 round trips; a wrong key and an
// unknown identity end in the error code a node:tls client gets from the
// same broker, and the broker keeps serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import nodeTls from 'node:tls';
import mqtt from 'mqtt';
import tlsrt from '../../src/index.ts';
import { connected, endClient, mosquittoMissing, startMosquitto, type Lib, type Mosquitto } from '../helpers/mqtt.ts';

const missing = mosquittoMissing();
const T = { timeout: 30000, skip: missing ?? undefined };
const KEYS = { 'sensor-1': randomBytes(32), 'sensor-2': randomBytes(32) };
const SUITES = ['PSK-AES128-GCM-SHA256', 'PSK-AES256-GCM-SHA384', 'PSK-CHACHA20-POLY1305', 'ECDHE-PSK-CHACHA20-POLY1305', 'PSK-AES128-CCM', 'PSK-AES128-CCM8'];
const HINT = 'tlsrt-test'; // startMosquitto's psk_hint
let broker: Mosquitto;

before(async () => {
  if (!missing) broker = await startMosquitto(KEYS, { ciphers: SUITES.join(':') });
});
after(async () => {
  await broker?.stop();
});

/** An mqtt.js client over a TLS 1.2-only PSK connection by `lib`; its TLS sockets and the hints its pskCallback got. */
function client(lib: Lib, suite: string, identity: string, key: Buffer) {
  const sockets: nodeTls.TLSSocket[] = [];
  const hints: (string | null)[] = [];
  const c = new mqtt.MqttClient(() => {
    const s = (lib === 'tlsrt' ? tlsrt : nodeTls).connect({
      port: broker.port, host: '127.0.0.1', ciphers: suite, maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined,
      pskCallback: (hint: string | null) => {
        hints.push(hint);
        return { psk: key, identity };
      },
    } as never) as nodeTls.TLSSocket;
    sockets.push(s);
    return s as never;
  }, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `${lib}-${identity}-${randomBytes(4).toString('hex')}` });
  return { c, sockets, hints };
}

for (const suite of SUITES) {
  test(`${suite}: mqtt.js over tlsrt speaks TLS 1.2 with mosquitto, gets its hint, QoS-1 round trips`, T, async () => {
    const sub = client('tlsrt', suite, 'sensor-1', KEYS['sensor-1']);
    const pub = client('tlsrt', suite, 'sensor-2', KEYS['sensor-2']);
    try {
      await Promise.all([connected(sub.c), connected(pub.c)]);
      for (const x of [sub, pub]) {
        assert.deepEqual(x.hints, [HINT], 'the broker\'s psk_hint reached pskCallback');
        assert.equal(x.sockets[0].getProtocol(), 'TLSv1.2');
        assert.equal(x.sockets[0].getCipher()?.name, suite);
      }
      await sub.c.subscribeAsync('plant/+/temp', { qos: 1 });
      const payloads = Array.from({ length: 5 }, (_, i) => `${i}:${randomBytes(6).toString('hex')}`);
      const got: string[] = [];
      const all = new Promise<void>((resolve) => sub.c.on('message', (_t, p) => {
        got.push(p.toString());
        if (got.length === payloads.length) resolve();
      }));
      for (const p of payloads) assert.equal((await pub.c.publishAsync('plant/1/temp', p, { qos: 1 }))?.cmd, 'publish');
      await all;
      assert.deepEqual(got, payloads);
    } finally {
      await Promise.all([endClient(sub.c), endClient(pub.c)]);
    }
  });
}

/** Connects with bad credentials; the error mqtt.js reported. */
function failing(lib: Lib, identity: string, key: Buffer): Promise<NodeJS.ErrnoException | null> {
  const { c } = client(lib, 'PSK-AES128-GCM-SHA256', identity, key);
  let err: NodeJS.ErrnoException | null = null;
  return new Promise((resolve) => {
    c.on('error', (e) => (err ??= e as NodeJS.ErrnoException));
    c.once('close', () => {
      c.end(true);
      resolve(err);
    });
  });
}

for (const [name, identity] of [['a wrong key', 'sensor-1'], ['an unknown identity', 'intruder']] as const) {
  test(`TLS 1.2, ${name}: mqtt.js gets the error code a node:tls client gets from mosquitto; the broker keeps serving`, T, async () => {
    const key = randomBytes(32);
    const viaNode = await failing('node', identity, key);
    const viaTlsrt = await failing('tlsrt', identity, key);
    assert.ok(viaNode && viaTlsrt, 'both fail');
    // node:tls may report the alert through a failed write (EPROTO, the alert in its message): compare the alert then.
    const alert = (e: Error) => /alert number (\d+)/.exec(e.message)?.[1];
    if (viaNode.code === 'EPROTO') assert.ok(alert(viaNode), viaNode.message);
    if (viaNode.code === 'EPROTO') assert.equal(alert(viaTlsrt), alert(viaNode), `tlsrt: ${viaTlsrt.message}; node:tls: ${viaNode.message}`);
    else assert.equal(viaTlsrt.code, viaNode.code, `tlsrt: ${viaTlsrt.message}; node:tls: ${viaNode.message}`);
    assert.match(String(viaTlsrt.code), /^ERR_SSL_/, viaTlsrt.message);
    const good = client('tlsrt', 'PSK-AES128-GCM-SHA256', 'sensor-2', KEYS['sensor-2']);
    await connected(good.c);
    await endClient(good.c);
  });
}
