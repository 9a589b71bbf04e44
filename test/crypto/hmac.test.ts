// HMAC-SHA-256 / HMAC-SHA-384 in the wasm core: Wycheproof, and differential
// tests against node:crypto (OpenSSL) and @noble/hashes over EDGE_LENGTHS of
// data and keys around both block sizes, unaligned, streamed and in place.
//
// Wycheproof policy: a case's tag may be truncated (tagSize < digest size);
// the module always produces the full tag and the check compares the first
// tagSize/8 bytes with the module's ct_equal, as a TLS peer would. "valid"
// cases must compare equal and match byte for byte; "invalid" (ModifiedTag)
// cases must compare unequal. These files have no "acceptable" cases; were one
// to appear it is counted and must at least not crash (its tag is computed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { Harness, hex, unhex, EDGE_LENGTHS } from '../helpers/wasm.ts';
import { wycheproof } from '../helpers/vectors.ts';

const h = new Harness('test');
const x = h.x;

const ALGS = [
  { name: 'sha256', id: x.HASH_SHA256.value as number, len: 32, noble: nobleSha256, file: 'hmac_sha256_test.json' },
  { name: 'sha384', id: x.HASH_SHA384.value as number, len: 48, noble: nobleSha384, file: 'hmac_sha384_test.json' },
] as const;

/** Full-length tag from the one-shot export; `inPlace` writes it over the message. */
function tagOf(id: number, len: number, key: Uint8Array, msg: Uint8Array, misalign = 0, inPlace = false): Uint8Array {
  h.reset();
  const pk = h.put(key, (misalign * 3) % 16);
  const pm = h.alloc(Math.max(msg.length, len), misalign);
  h.mem.set(msg, pm);
  const out = inPlace ? pm : h.alloc(len, (misalign + 1) % 16);
  x.hmac(id, pk, key.length, pm, msg.length, out);
  return h.read(out, len);
}

/** Tag through hmac_init/update/final with the message cut at `cuts`. */
function tagStreamed(id: number, len: number, key: Uint8Array, msg: Uint8Array, cuts: number[], misalign = 0): Uint8Array {
  h.reset();
  const pk = h.put(key, misalign);
  const pm = h.put(msg, (misalign + 2) % 16);
  const ctx = h.alloc(x.HMAC_CTX_SIZE.value, (misalign + 5) % 16);
  const out = h.alloc(len, 7);
  x.hmac_init(ctx, id, pk, key.length);
  let at = 0;
  for (const c of [...cuts, msg.length]) {
    x.hmac_update(ctx, pm + at, c - at);
    at = c;
  }
  x.hmac_final(ctx, out);
  assert.ok(h.read(ctx, x.HMAC_CTX_SIZE.value).every((b) => b === 0), 'hmac_final must wipe the context');
  return h.read(out, len);
}

test('context size', () => {
  assert.equal(x.HMAC_CTX_SIZE.value, 408);
  assert.equal(x.hmac_ctx_size(), 408);
});

for (const a of ALGS) {
  test(`Wycheproof ${a.file}`, () => {
    const file = wycheproof(a.file);
    let valid = 0, invalid = 0, acceptable = 0, total = 0;
    for (const g of file.testGroups) {
      const tagBytes = g.tagSize / 8;
      for (const t of g.tests) {
        total++;
        const key = unhex(t.key), msg = unhex(t.msg), expected = unhex(t.tag);
        assert.equal(expected.length, tagBytes, `tc ${t.tcId}: tag length`);
        const full = tagOf(a.id, a.len, key, msg, t.tcId % 8);
        // Compare in the module, constant time, as a peer checking a MAC would.
        h.reset();
        const pt = h.put(full.subarray(0, tagBytes), 1);
        const pe = h.put(expected, 2);
        const same = x.ct_equal(pt, pe, tagBytes);
        if (t.result === 'valid') {
          assert.equal(same, 1, `tc ${t.tcId} valid: tag mismatch`);
          assert.equal(hex(full.subarray(0, tagBytes)), t.tag, `tc ${t.tcId}`);
          valid++;
        } else if (t.result === 'invalid') {
          assert.equal(same, 0, `tc ${t.tcId} invalid: tag accepted`);
          invalid++;
        } else {
          acceptable++;
        }
      }
    }
    assert.equal(total, file.numberOfTests);
    assert.equal(valid + invalid + acceptable, total);
    assert.ok(valid > 0 && invalid > 0);
    console.log(`# ${a.file}: ${valid} valid matched, ${invalid} invalid rejected, ${acceptable} acceptable`);
  });

  test(`HMAC-${a.name}: equals node:crypto and @noble/hashes over EDGE_LENGTHS, key lengths around the block, unaligned, in place`, () => {
    const keyLens = [0, 1, 16, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128, 129, 200];
    for (const n of EDGE_LENGTHS) {
      const msg = randomBytes(n);
      for (const kl of keyLens) {
        const key = randomBytes(kl);
        const ref = createHmac(a.name, key).update(msg).digest('hex');
        assert.equal(hex(nobleHmac(a.noble, key, msg)), ref, 'noble disagrees with node');
        const mis = (n + kl) % 16;
        assert.equal(hex(tagOf(a.id, a.len, key, msg, mis)), ref, `len ${n} key ${kl} misalign ${mis}`);
      }
      const key = randomBytes(40);
      const ref = createHmac(a.name, key).update(msg).digest('hex');
      assert.equal(hex(tagOf(a.id, a.len, key, msg, 3, true)), ref, `len ${n} in place`);
    }
  });

  test(`HMAC-${a.name}: streamed, split at every offset of a 200-byte message`, () => {
    const msg = randomBytes(200);
    for (const kl of [0, 20, a.len, 64, 128, 150]) {
      const key = randomBytes(kl);
      const ref = createHmac(a.name, key).update(msg).digest('hex');
      for (let cut = 0; cut <= 200; cut++) {
        assert.equal(hex(tagStreamed(a.id, a.len, key, msg, [cut], cut % 16)), ref, `key ${kl} cut ${cut}`);
      }
    }
  });

  test(`HMAC-${a.name}: a keyed context copied before use MACs several messages`, () => {
    const key = randomBytes(32);
    const msgs = [randomBytes(0), randomBytes(100), randomBytes(5000)];
    h.reset();
    const pk = h.put(key);
    const keyed = h.alloc(x.HMAC_CTX_SIZE.value, 1);
    const work = h.alloc(x.HMAC_CTX_SIZE.value, 2);
    const out = h.alloc(a.len);
    x.hmac_init(keyed, a.id, pk, 32);
    for (const m of msgs) {
      const pm = h.put(m, 3);
      h.mem.copyWithin(work, keyed, keyed + x.HMAC_CTX_SIZE.value);
      x.hmac_update(work, pm, m.length);
      x.hmac_final(work, out);
      assert.equal(hex(h.read(out, a.len)), createHmac(a.name, key).update(m).digest('hex'));
    }
  });
}
