import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness } from '../helpers/wasm.ts';

test('ct_equal agrees with byte comparison at every length and differing position', () => {
  const h = new Harness();
  for (const len of [0, 1, 3, 4, 5, 31, 32, 33]) {
    for (let pos = -1; pos < len; pos++) {
      h.reset();
      const a = randomBytes(len);
      const b = Buffer.from(a);
      if (pos >= 0) b[pos] ^= 1 << (pos % 8);
      const pa = h.put(a, 1), pb = h.put(b, 3);
      assert.equal(h.x.ct_equal(pa, pb, len), pos < 0 ? 1 : 0, `len ${len} pos ${pos}`);
    }
  }
});

test('selftest passes', () => {
  assert.equal(new Harness('test').x.selftest(), 1);
  assert.equal(new Harness('psk').x.selftest(), 1);
});
