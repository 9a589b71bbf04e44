// The main job (`npm start`) end to end: a simulated board boots, and its
// application — node:tls-shaped code running through board.tls — does a real
// psk_dhe_ke handshake with a node:tls server and gets its echo back, then a
// psk_ke one; each handshake is timed on the simulated board's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

for (const board of ['rp2040', 'esp32', 'esp32-c3']) {
  test(`main job on ${board}: self-test, psk_dhe_ke and psk_ke handshakes with node:tls timed on the simulated board, echo intact`, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/sim/main-job.ts', board], { encoding: 'utf8', timeout: 60000 });
    assert.match(out, new RegExp(`boot self-test \\(boards/${board}\\.wasm\\): passed`));
    assert.match(out, /key exchange: +psk_dhe_ke \(X25519\)/);
    assert.match(out, /suite: +TLS_CHACHA20_POLY1305_SHA256/);
    assert.match(out, /echo: +\d+ bytes intact \(psk_dhe_ke\), \d+ bytes intact \(psk_ke\)/);
    // The simulated board clock (src/sim): board time next to V8 time, for both key exchanges.
    assert.match(out, new RegExp(`boot self-test \\(boards/${board}\\.wasm\\): passed — [\\d.]+ ms simulated on the board`));
    const sim = (kx: string) => {
      const m = out.match(new RegExp(`handshake ${kx}: +([\\d.]+) ms simulated on ${board} \\((\\d+) wasm instructions.*· [\\d.]+ ms on this machine's V8`));
      assert.ok(m, `no simulated ${kx} handshake time in:\n${out}`);
      return { ms: Number(m[1]), ops: Number(m[2]) };
    };
    const dhe = sim('psk_dhe_ke');
    const ke = sim('psk_ke');
    assert.match(out, /key exchange psk_ke\)/);
    assert.ok(ke.ms > 0 && ke.ms < dhe.ms, `psk_ke ${ke.ms} ms should beat psk_dhe_ke ${dhe.ms} ms`);
    assert.ok(ke.ops < dhe.ops);
    // Records, bytes and RAM against the budget, as the report promises.
    assert.match(out, /records: +[1-9]\d* sent, [1-9]\d* received/);
    assert.match(out, /bytes on the wire: +[1-9]\d* sent, [1-9]\d* received/);
    assert.match(out, /engine RAM: +linear memory [\d.]+ KiB .* of the [\d.]+ KiB engine budget/);
    // The board's record limits were agreed with node:tls (max_fragment_length) where its buffers need them.
    if (board === 'rp2040') assert.match(out, /record limits: +max_fragment_length 512; the server may send records of 512 bytes/);
    // The device RAM verdict is for the board's default runtime (boards/<name>.json: aot for all three).
    const v = out.match(/device RAM at peak \((\w+) runtime[^)]*\): ([\d.]+) KiB of a ([\d.]+) KiB budget — (fits|DOES NOT FIT yet)/);
    assert.ok(v, `no device RAM verdict in:\n${out}`);
    assert.equal(v[1], 'aot', 'the verdict names the aot runtime');
    assert.equal(v[4] === 'fits', Number(v[2]) <= Number(v[3]), 'the verdict follows its own numbers');
    if (board === 'rp2040') {
      assert.equal(v[4], 'fits', `rp2040 under aot fits its engine budget: ${v[0]}`);
      assert.match(out, /handshake psk_dhe_ke: .*Cortex-M0\+ @ 133 MHz under aot/, 'the board clock is the aot model');
    }
  });
}
