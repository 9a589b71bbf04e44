// SHA-256, SHA-384 and SHA-512 in the wasm core, differentially against
// node:crypto (OpenSSL) and @noble/hashes over EDGE_LENGTHS at unaligned
// offsets, in place (digest written over the input), streamed through the
// direct entry points and through the hash.ts dispatch (split at every offset
// of a 200-byte message, random chunking of long messages, forked contexts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha256 as nobleSha256, sha384 as nobleSha384, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { Harness, hex, EDGE_LENGTHS } from '../helpers/wasm.ts';

const h = new Harness('test');
const x = h.x;

interface Alg {
  name: 'sha256' | 'sha384' | 'sha512';
  len: number;
  ctxSize: number;
  noble: (m: Uint8Array) => Uint8Array;
  /** hash.ts id, or -1 where the dispatch has none (SHA-512 is not a TLS 1.3 suite hash). */
  id: number;
}

const ALGS: Alg[] = [
  { name: 'sha256', len: 32, ctxSize: x.SHA256_CTX_SIZE.value, noble: nobleSha256, id: x.HASH_SHA256.value },
  { name: 'sha384', len: 48, ctxSize: x.SHA512_CTX_SIZE.value, noble: nobleSha384, id: x.HASH_SHA384.value },
  { name: 'sha512', len: 64, ctxSize: x.SHA512_CTX_SIZE.value, noble: nobleSha512, id: -1 },
];

function oneShot(a: Alg, msg: Uint8Array, misalign: number, inPlace = false): string {
  h.reset();
  const p = h.alloc(Math.max(msg.length, a.len), misalign);
  h.mem.set(msg, p);
  const out = inPlace ? p : h.alloc(a.len, (misalign + 5) % 16);
  x[a.name](p, msg.length, out);
  return hex(h.read(out, a.len));
}

function streamed(a: Alg, msg: Uint8Array, cuts: number[], ctxMisalign = 0): string {
  h.reset();
  const p = h.put(msg, 1);
  const ctx = h.alloc(a.ctxSize, ctxMisalign);
  const out = h.alloc(a.len, 3);
  x[`${a.name}_init`](ctx);
  let at = 0;
  for (const c of [...cuts, msg.length]) {
    x[`${a.name}_update`](ctx, p + at, c - at);
    at = c;
  }
  x[`${a.name}_final`](ctx, out);
  return hex(h.read(out, a.len));
}

test('constants and dispatch sizes', () => {
  assert.equal(x.SHA256_CTX_SIZE.value, 104);
  assert.equal(x.SHA512_CTX_SIZE.value, 200);
  assert.equal(x.HASH_SHA256.value, 0);
  assert.equal(x.HASH_SHA384.value, 1);
  assert.deepEqual([x.hash_len(0), x.hash_block_len(0), x.hash_ctx_size(0)], [32, 64, 104]);
  assert.deepEqual([x.hash_len(1), x.hash_block_len(1), x.hash_ctx_size(1)], [48, 128, 200]);
  assert.deepEqual([x.hash_len(2), x.hash_block_len(2), x.hash_ctx_size(2)], [0, 0, 0]);
});

for (const a of ALGS) {
  test(`${a.name}: one-shot equals node:crypto and @noble/hashes over EDGE_LENGTHS, unaligned and in place`, () => {
    for (const n of EDGE_LENGTHS) {
      const msg = randomBytes(n);
      const ref = createHash(a.name).update(msg).digest('hex');
      assert.equal(hex(a.noble(msg)), ref, `noble disagrees with node at ${n}`);
      for (const mis of [0, 1, 2, 3, 7]) {
        assert.equal(oneShot(a, msg, mis), ref, `${a.name} len ${n} misalign ${mis}`);
      }
      assert.equal(oneShot(a, msg, 5, true), ref, `${a.name} len ${n} in place`);
    }
  });

  test(`${a.name}: every length 0..300 (all padding positions)`, () => {
    const msg = randomBytes(300);
    for (let n = 0; n <= 300; n++) {
      const m = msg.subarray(0, n);
      assert.equal(oneShot(a, m, n % 8), createHash(a.name).update(m).digest('hex'), `len ${n}`);
    }
  });

  test(`${a.name}: update split at every offset of a 200-byte message, and in three pieces`, () => {
    const msg = randomBytes(200);
    const ref = createHash(a.name).update(msg).digest('hex');
    for (let cut = 0; cut <= 200; cut++) {
      assert.equal(streamed(a, msg, [cut], cut % 16), ref, `cut ${cut}`);
    }
    for (let c1 = 0; c1 <= 200; c1 += 7) {
      for (let c2 = c1; c2 <= 200; c2 += 11) assert.equal(streamed(a, msg, [c1, c2]), ref, `cuts ${c1},${c2}`);
    }
  });

  test(`${a.name}: random chunking of long messages`, () => {
    for (const n of [16384, 16640, 100000]) {
      const msg = randomBytes(n);
      const cuts: number[] = [];
      for (let at = 0; ; ) {
        at += Math.floor(Math.random() * 300);
        if (at >= n) break;
        cuts.push(at);
      }
      assert.equal(streamed(a, msg, cuts, 5), createHash(a.name).update(msg).digest('hex'), `len ${n}`);
    }
  });

  test(`${a.name}: final wipes the context`, () => {
    h.reset();
    const ctx = h.alloc(a.ctxSize, 1);
    const out = h.alloc(a.len);
    const p = h.put(randomBytes(77));
    x[`${a.name}_init`](ctx);
    x[`${a.name}_update`](ctx, p, 77);
    x[`${a.name}_final`](ctx, out);
    assert.ok(h.read(ctx, a.ctxSize).every((b) => b === 0));
  });
}

for (const a of ALGS.filter((a) => a.id >= 0)) {
  test(`hash dispatch ${a.name}: streaming, one-shot and a forked (copied) context`, () => {
    const msg = randomBytes(1000);
    h.reset();
    const p = h.put(msg, 3);
    const ctx = h.alloc(x.hash_ctx_size(a.id), 2);
    const fork = h.alloc(x.hash_ctx_size(a.id), 5);
    const out = h.alloc(a.len, 1);
    x.hash_digest(a.id, p, 1000, out);
    assert.equal(hex(h.read(out, a.len)), createHash(a.name).update(msg).digest('hex'));
    x.hash_init(a.id, ctx);
    x.hash_update(a.id, ctx, p, 333);
    // A TLS transcript hash: fork the running context, finish the copy, keep going.
    h.mem.copyWithin(fork, ctx, ctx + x.hash_ctx_size(a.id));
    x.hash_final(a.id, fork, out);
    assert.equal(hex(h.read(out, a.len)), createHash(a.name).update(msg.subarray(0, 333)).digest('hex'));
    x.hash_update(a.id, ctx, p + 333, 667);
    x.hash_final(a.id, ctx, out);
    assert.equal(hex(h.read(out, a.len)), createHash(a.name).update(msg).digest('hex'));
  });
}

test('hash dispatch: an unknown id writes nothing', () => {
  h.reset();
  const p = h.put(randomBytes(10));
  const out = h.alloc(64);
  const before = h.read(out, 64);
  x.hash_digest(7, p, 10, out);
  assert.deepEqual(h.read(out, 64), before);
});
