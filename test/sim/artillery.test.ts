// The Artillery engine (src/sim/artillery/engine.ts, package
// artillery-engine-tlsrt/): a real `artillery run` whose virtual users are
// simulated boards, against a node:tls PSK echo server started here on
// 127.0.0.1; the test reads Artillery's own JSON report.
//
// Artillery is not a devDependency (see src/sim/README.md: ~460 packages,
// ~460 MB, a Chromium download at install, and it declares Node >= 22.18), so
// the test uses the `artillery` it is pointed at (TLSRT_ARTILLERY=<path to
// its bin>) or one in node_modules/.bin, and is reported as skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { constants } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, cpSync, symlinkSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTILLERY = process.env.TLSRT_ARTILLERY ?? join(ROOT, 'node_modules/.bin/artillery');
const missing = existsSync(ARTILLERY)
  ? false
  : `artillery not installed (not a devDependency); install it outside the lockfile (npm install --no-save --ignore-scripts artillery@2.0.34) or set TLSRT_ARTILLERY to its bin`;
const KEY = Buffer.from('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex');

interface ArtilleryReport {
  aggregate: { counters: Record<string, number>; summaries: Record<string, { count: number; min: number; max: number; p50: number }> };
}

/** A node:tls PSK echo server on 127.0.0.1 that records who connected and how many bytes it echoed. */
async function echoServer() {
  const seen: { identities: string[]; echoed: number } = { identities: [], echoed: 0 };
  const server = tls.createServer(
    {
      pskCallback: (socket, identity) => {
        seen.identities.push(identity);
        return KEY;
      },
      ciphers: 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
      secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX,
    },
    (c) => {
      c.on('error', () => {});
      c.on('data', (d: Buffer) => {
        seen.echoed += d.length;
        c.write(d);
      });
      c.on('end', () => c.end());
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, seen, port: (server.address() as AddressInfo).port };
}

/** `artillery run --output` in a scratch directory where artillery-engine-tlsrt resolves to this repository's. */
async function artilleryRun(yaml: string): Promise<{ report: ArtilleryReport; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-artillery-'));
  try {
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    cpSync(join(ROOT, 'artillery-engine-tlsrt'), join(modules, 'artillery-engine-tlsrt'), { recursive: true });
    symlinkSync(ROOT, join(modules, 'tlsrt'));
    writeFileSync(join(dir, 'scenario.yml'), yaml);
    const out = join(dir, 'report.json');
    const child = spawn(ARTILLERY, ['run', '--output', out, join(dir, 'scenario.yml')], {
      cwd: dir,
      // NODE_PATH: how artillery (installed elsewhere) finds the engine; no telemetry (loopback only).
      env: { ...process.env, NODE_PATH: modules, ARTILLERY_DISABLE_TELEMETRY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(timer);
    assert.equal(code, 0, `artillery run exited ${code}:\n${stdout}`);
    return { report: JSON.parse(readFileSync(out, 'utf8')) as ArtilleryReport, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scenario = (port: number, psk: string, extra = '') => `config:
  target: "127.0.0.1:${port}"
  phases:
    - duration: 1
      arrivalCount: 4
  engines:
    tlsrt:
      board: esp32
      kx: psk_ke
      psk: "${psk}"
      identity: "sensor-{vu}"
${extra}scenarios:
  - engine: tlsrt
    flow:
      - echo: { bytes: 700 }
`;

test('artillery run: 4 virtual users are 4 simulated boards; handshake time, bytes and completions are Artillery metrics', { skip: missing, timeout: 180_000 }, async () => {
  const good = await echoServer();
  const bad = await echoServer();
  try {
    // Both runs at once: the second with a key the server does not have.
    const [ok, wrong] = await Promise.all([
      artilleryRun(scenario(good.port, KEY.toString('hex'))),
      artilleryRun(scenario(bad.port, 'ff'.repeat(16))),
    ]);
    const c = ok.report.aggregate.counters;
    assert.equal(c['vusers.created'], 4, ok.stdout);
    assert.equal(c['vusers.completed'], 4, ok.stdout);
    assert.equal(c['tlsrt.completed'], 4);
    assert.equal(c['tlsrt.handshakes'], 4);
    assert.equal(c['vusers.failed'] ?? 0, 0);
    const hs = ok.report.aggregate.summaries['tlsrt.handshake_ms'];
    assert.equal(hs.count, 4);
    // A real TCP round trip plus the board's simulated 20 ms latency each way and its engine CPU.
    assert.ok(hs.min > 40, `handshake ${hs.min} ms includes the simulated link`);
    assert.ok(ok.report.aggregate.summaries['tlsrt.engine_ms'].min > 0, 'board CPU was simulated');
    assert.equal(good.seen.echoed, 4 * 700, 'the server echoed every board\'s 700 bytes');
    assert.equal(new Set(good.seen.identities).size, 4, `each virtual user its own identity: ${good.seen.identities.join(', ')}`);
    assert.ok(good.seen.identities.every((id) => /^sensor-\d+$/.test(id)));
    assert.ok(c['tlsrt.bytes_up'] > 4 * 700 && c['tlsrt.bytes_down'] > 4 * 700, 'bytes on the simulated wire include the echo and the handshake');

    const w = wrong.report.aggregate.counters;
    assert.equal(w['vusers.failed'], 4, wrong.stdout);
    assert.equal(w['tlsrt.failed'], 4);
    assert.equal(w['tlsrt.completed'] ?? 0, 0);
    // Why each board failed, as Artillery errors: the server's alert (or, until the --connect
    // bridge delivers a server's last bytes before closing, sometimes the reset that followed it).
    const reasons = Object.keys(w).filter((k) => k.startsWith('errors.'));
    assert.ok(reasons.some((r) => /^errors\.ERR_SSL_\w+: .*\(alert \w+\)$/.test(r)), reasons.join(' | '));
    assert.ok(reasons.every((r) => /\(alert \w+\)$|^errors\.ECONNRESET: /.test(r)), reasons.join(' | '));
    assert.equal(reasons.reduce((n, r) => n + w[r], 0), 4, 'one reason per failed board');
    assert.equal(bad.seen.echoed, 0);
  } finally {
    good.server.close();
    bad.server.close();
  }
});

test('the engine module rejects a bad target or key before anything runs', async () => {
  const { default: Engine, parseTarget } = await import('../../src/sim/artillery/engine.ts');
  assert.deepEqual(parseTarget('tls://127.0.0.1:8883'), { host: '127.0.0.1', port: 8883 });
  assert.deepEqual(parseTarget('[::1]:9'), { host: '::1', port: 9 });
  assert.throws(() => new Engine({ config: { target: 'http://x', engines: { tlsrt: { psk: '00' } } } }, { emit() {} }), /config.target must be host:port/);
  assert.throws(() => new Engine({ config: { target: '127.0.0.1:1', engines: { tlsrt: { psk: 'xyz' } } } }, { emit() {} }), /psk must be the key in hex/);
});
