// The main job (`npm start`) end to end: a board-sized engine boots, does a
// real psk_dhe_ke handshake with a node:tls server and gets its echo back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

for (const board of ['rp2040', 'esp32', 'esp32-c3']) {
  test(`main job on ${board}: self-test, psk_dhe_ke handshake with node:tls, echo intact`, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/sim/main-job.ts', board], { encoding: 'utf8', timeout: 60000 });
    assert.match(out, /boot self-test \(psk\.wasm\): passed/);
    assert.match(out, /key exchange: +psk_dhe_ke \(X25519\)/);
    assert.match(out, /suite: +TLS_CHACHA20_POLY1305_SHA256/);
    assert.match(out, /echo: +\d+ bytes intact/);
  });
}
