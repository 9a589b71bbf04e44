// `tlsrt sim keys` and `tlsrt sim --psk-file F --app mqtt --connect`: the
// keys file provisions mosquitto and the fleet alike, and 20 simulated
// devices complete their MQTT sessions against the real broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePskFile } from '../../src/sim/psk-file.ts';
import { tlsrtSync } from '../helpers/cli.ts';
import { mosquittoMissing, startMosquitto } from '../helpers/mqtt.ts';

const T = { timeout: 60_000 };

test('tlsrt sim keys writes N identity:hexkey lines (mosquitto psk_file), fresh keys, mode 0600; --help documents {n}', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-keys-'));
  try {
    const f = join(dir, 'fleet.psk');
    const r = tlsrtSync(['sim', 'keys', '--devices', '12', '--out', f, '--identity', 'sensor-{n}']);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(f, 'utf8');
    assert.match(text, /^sensor-0001:[0-9a-f]{64}\nsensor-0002:[0-9a-f]{64}\n/);
    const keys = parsePskFile(text);
    assert.equal(keys.length, 12);
    assert.equal(keys[11].identity, 'sensor-0012');
    assert.equal(new Set(keys.map((k) => k.key.toString('hex'))).size, 12, 'every key different');
    assert.equal(statSync(f).mode & 0o777, 0o600);
    const again = tlsrtSync(['sim', 'keys', '--devices', '12', '--out', '-']);
    assert.ok(!again.stdout.includes(keys[0].key.toString('hex')), 'another run, other keys');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const u = tlsrtSync(['sim', 'keys', '--devices', '3', '--out', '-', '--identity', 'same']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /has no \{n\}/);
  const h = tlsrtSync(['sim', 'keys', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /"\{n\}" becomes the device number, 1-based and\s+zero-padded to 4 digits/);
  const s = tlsrtSync(['sim', '--help']);
  assert.match(s.stdout, /"\{n\}" becomes the device number, 1-based and\s+zero-padded to 4 digits/);
  for (const o of ['--app', '--app-options', '--psk-file', '--entropy']) assert.ok(s.stdout.includes(`  ${o}`), `help documents ${o}`);
});

test('tlsrt sim --connect --psk-file F --app mqtt --devices 20 against mosquitto: 20/20 completed', { ...T, skip: mosquittoMissing() ?? false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-keys-'));
  const f = join(dir, 'fleet.psk');
  assert.equal(tlsrtSync(['sim', 'keys', '--devices', '20', '--out', f]).status, 0);
  // The broker gets the very keys the file holds.
  const broker = await startMosquitto(Object.fromEntries(parsePskFile(readFileSync(f, 'utf8')).map((k) => [k.identity, k.key])));
  try {
    const r = tlsrtSync(['sim', '--board', 'esp32', '--devices', '20', '--ramp', '1000', '--loss', '2', '--connect', `127.0.0.1:${broker.port}`, '--psk-file', f, '--app', 'mqtt', '--app-options', 'messages=3,qos=1,rate=20']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^completed: 20\/20 \(app mqtt: 3 QoS 1 PUBLISHes of 32 bytes acknowledged and received back; slot freed\)$/m);
    assert.match(r.stdout, /^keys: a key per device · board randomness: platform CSPRNG \(not repeatable\)$/m);
    assert.match(r.stdout, /^app mqtt: 60 messages sent, 60 acknowledged, 60 received · latency \(real time\): p50 [\d.]+ ms · p90 [\d.]+ ms · max [\d.]+ ms \(n=60\)$/m);
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tlsrt sim: a fleet where no device finishes prints "none finished", not min 0.0 ms', () => {
  // Nobody listens on port 1: every board's connection is refused, none gets to a handshake.
  const r = tlsrtSync(['sim', '--board', 'rp2040', '--devices', '2', '--connect', '127.0.0.1:1', '--psk', 'aa', '--max-time', '3000']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^handshake \(power-up to secureConnect, real time\): none finished$/m);
  assert.match(r.stdout, /^board engine CPU per device \(simulated\): none finished$/m);
  assert.doesNotMatch(r.stdout, /min 0\.0 ms/);
});

test('tlsrt sim: bad --app, --app-options, --psk-file and --entropy are usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-keys-'));
  try {
    const short = join(dir, 'two.psk');
    assert.equal(tlsrtSync(['sim', 'keys', '--devices', '2', '--out', short]).status, 0);
    for (const [args, msg] of [
      [['--app', 'nosuch'], /--app: no app 'nosuch'/],
      [['--app', 'mqtt', '--app-options', 'qos=3'], /--app-options: mqtt app: option qos must be an integer from 0 to 1/],
      [['--app-options', 'bytes'], /--app-options: app option 'bytes' is not key=value/],
      [['--psk-file', join(dir, 'missing')], /--psk-file: cannot read/],
      [['--psk-file', short, '--devices', '3'], /has 2 key\(s\) for 3 devices/],
      [['--entropy', 'dice'], /--entropy must be csprng or seeded/],
    ] as const) {
      const r = tlsrtSync(['sim', ...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
