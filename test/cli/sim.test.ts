// `tlsrt sim`: a fleet from the command line — progress on stderr, a summary
// (or the JSON report) on stdout, the same report for the same seed, usage
// errors before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlsrtSync } from '../helpers/cli.ts';

test('tlsrt sim: progress bar on stderr, a summary with handshake times, bytes, RAM and throughput on stdout', () => {
  const r = tlsrtSync(['sim', '--board', 'esp32', '--devices', '8', '--loss', '5%', '--latency', '30', '--seed', '11']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stderr, /\[#{30}\] 8\/8 boards · [\d.]+ s simulated/, 'the bar reaches the end');
  assert.match(r.stdout, /^fleet: 8 × esp32 → node:tls server · psk_dhe_ke · TLS_\w+ · seed 11$/m);
  assert.match(r.stdout, /^links: 30 ms one-way, 5\.0% loss/m);
  assert.match(r.stdout, /^completed: 8\/8 /m);
  assert.match(r.stdout, /^handshake \(power-up to secureConnect, simulated\): min [\d.]+ ms · p50 [\d.]+ ms · p90 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms \(mean [\d.]+ ms, n=8\)$/m);
  assert.match(r.stdout, /^bytes on the wire: [1-9]\d* up, [1-9]\d* down/m);
  assert.match(r.stdout, /^RAM high-water per board: [\d.]+ KiB = engine linear memory [\d.]+ KiB \(budget [\d.]+ KiB\) \+ network buffers [\d.]+ KiB$/m);
  assert.match(r.stdout, /^device RAM at peak with aot \(board profile arithmetic, not enforced in the simulation\): [\d.]+ KiB of [\d.]+ KiB — (fits|DOES NOT FIT yet)$/m);
  assert.match(r.stdout, /[\d.]+ boards simulated per CPU second$/m);
});

test('tlsrt sim --runtime: the boards get that runtime\'s clock and RAM verdict (rp2040: aot fits, wasm3 does not; aot handshakes are faster)', () => {
  const run = (runtime: string) => {
    const r = tlsrtSync(['sim', '--board', 'rp2040', '--devices', '2', '--seed', '3', '--runtime', runtime, '--json']);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { report: { ram: { deviceRuntime: string; deviceFits: boolean }; perDevice: { handshakeMs: number }[] } }).report;
  };
  const aot = run('aot');
  const w3 = run('wasm3');
  assert.equal(aot.ram.deviceRuntime, 'aot');
  assert.equal(aot.ram.deviceFits, true);
  assert.equal(w3.ram.deviceRuntime, 'wasm3');
  assert.equal(w3.ram.deviceFits, false);
  assert.ok(aot.perDevice[0].handshakeMs < w3.perDevice[0].handshakeMs / 2, `aot ${aot.perDevice[0].handshakeMs} ms vs wasm3 ${w3.perDevice[0].handshakeMs} ms`);
});

test('tlsrt sim --json: the same seed gives the same report; another seed another', () => {
  const run = (seed: string) => {
    const r = tlsrtSync(['sim', '--board', 'rp2040', '--devices', '4', '--loss', '10', '--jitter', '20', '--kx', 'psk_ke', '--server', 'tlsrt', '--seed', seed, '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { report: { perDevice: { handshakeMs: number }[]; completed: number; server: string; kx: string } };
  };
  const a = run('x');
  const b = run('x');
  const c = run('y');
  assert.equal(a.report.completed, 4);
  assert.equal(a.report.server, 'tlsrt');
  assert.equal(a.report.kx, 'psk_ke');
  assert.deepEqual(b.report, a.report);
  assert.notDeepEqual(c.report, a.report);
});

test('tlsrt sim: usage errors name the option and exit 2; --help documents every option', () => {
  for (const [args, msg] of [
    [['--devices', '0'], /--devices must be an integer from 1/],
    [['--runtime', 'jit'], /--runtime must be aot or wasm3/],
    [['--loss', '95'], /--loss must be a number from 0 to 90/],
    [['--server', 'apache'], /--server must be node or tlsrt/],
    [['--kx', 'rsa'], /--kx must be psk_dhe_ke or psk_ke/],
    [['--board', 'nosuch'], /nosuch/],
    [['--bogus'], /Unknown option '--bogus'/],
  ] as const) {
    const r = tlsrtSync(['sim', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
  const h = tlsrtSync(['sim', '--help']);
  assert.equal(h.status, 0);
  for (const o of ['--board', '--devices', '--loss', '--latency', '--jitter', '--bandwidth', '--mtu', '--seed', '--server', '--kx', '--bytes', '--ramp', '--selftest', '--json', '--connect', '--psk', '--psk-identity', '--max-time', '--idle-timeout']) {
    assert.ok(h.stdout.includes(`  ${o}`), `help documents ${o}`);
  }
});

test('tlsrt sim --workers 2: the same report as one thread, and the summary names the workers', () => {
  const args = ['sim', '--board', 'esp32', '--devices', '6', '--loss', '10', '--kx', 'psk_ke', '--seed', 'w'];
  const one = tlsrtSync([...args, '--json']);
  const two = tlsrtSync([...args, '--json', '--workers', '2']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.deepEqual(JSON.parse(two.stdout).report, JSON.parse(one.stdout).report);
  assert.equal(JSON.parse(two.stdout).host.workers, 2);
  const text = tlsrtSync([...args, '--workers', '2']);
  assert.match(text.stdout, /s wall on 2 worker threads · [\d.]+ boards simulated per CPU second$/m);
  assert.match(tlsrtSync(['sim', '--workers', '0']).stderr, /--workers must be an integer from 1 to 64/);
});
