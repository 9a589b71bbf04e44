// The TLS 1.2 PRF (RFC 5246 §5) in the wasm core (assembly/tls/tls12/prf.ts):
// the published P_SHA256/P_SHA384 vectors, and differentially against
// P_hash written here over node:crypto's HMAC and against OpenSSL's own
// TLS1-PRF (`openssl kdf`), for output lengths around the hash sizes, long
// secrets (hashed by HMAC) and the seed split into parts as the engine
// passes it (label, client_random, server_random, context).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Harness, hex, unhex } from '../helpers/wasm.ts';
import { loadJson } from '../helpers/vectors.ts';

const h = new Harness('test');
const x = h.x;
const ALG = { 'SHA-256': x.HASH_SHA256.value as number, 'SHA-384': x.HASH_SHA384.value as number } as const;

/** The module's PRF with the seed in up to three parts, at odd alignments. */
function prf(alg: number, secret: Uint8Array, label: Uint8Array, parts: Uint8Array[], outLen: number, misalign = 0): Buffer {
  h.reset();
  const ps = h.put(secret, misalign);
  const pl = h.put(label, (misalign + 3) % 16);
  const ptrs = parts.map((p, i) => [h.put(p, (misalign + 5 + i) % 16), p.length]);
  while (ptrs.length < 3) ptrs.push([0, 0]);
  const out = h.alloc(outLen, (misalign + 1) % 16);
  x.tls12_prf(alg, ps, secret.length, pl, label.length, ptrs[0][0], ptrs[0][1], ptrs[1][0], ptrs[1][1], ptrs[2][0], ptrs[2][1], out, outLen);
  return Buffer.from(h.read(out, outLen));
}

/** P_hash from RFC 5246 §5, over node:crypto's HMAC. */
function pHash(hash: 'sha256' | 'sha384', secret: Uint8Array, seed: Uint8Array, outLen: number): Buffer {
  const out: Buffer[] = [];
  let a: Buffer = Buffer.from(seed);
  let n = 0;
  while (n < outLen) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    n += block.length;
  }
  return Buffer.concat(out).subarray(0, outLen);
}

test('published TLS 1.2 PRF vectors (P_SHA256 100 bytes, P_SHA384 148 bytes)', () => {
  const v = loadJson<{ tests: { hash: keyof typeof ALG; secret: string; label: string; seed: string; output: string }[] }>('tls12-prf', 'tls12_prf_test.json');
  assert.equal(v.tests.length, 2);
  for (const t of v.tests) {
    const want = t.output;
    const got = prf(ALG[t.hash], unhex(t.secret), Buffer.from(t.label, 'ascii'), [unhex(t.seed)], want.length / 2);
    assert.equal(hex(got), want, t.hash);
    // The same bytes with the seed cut in three places, and unaligned.
    const seed = unhex(t.seed);
    assert.equal(hex(prf(ALG[t.hash], unhex(t.secret), Buffer.from(t.label), [seed.subarray(0, 3), seed.subarray(3, 9), seed.subarray(9)], want.length / 2, 7)), want);
  }
});

test('differential vs node:crypto HMAC: both hashes, output and secret lengths around the block sizes, split seeds', () => {
  for (const [name, alg] of [['sha256', ALG['SHA-256']], ['sha384', ALG['SHA-384']]] as const) {
    for (const outLen of [1, 12, 31, 32, 33, 47, 48, 49, 88, 104, 129, 1024]) {
      for (const secretLen of [0, 1, 48, 64, 65, 128, 129, 164]) {
        const secret = randomBytes(secretLen);
        const label = Buffer.from('key expansion');
        const a = randomBytes(32);
        const b = randomBytes(32);
        const c = randomBytes(outLen % 5);
        const want = pHash(name, secret, Buffer.concat([label, a, b, c]), outLen);
        assert.ok(prf(alg, secret, label, [a, b, c], outLen, outLen % 16).equals(want), `${name} out ${outLen} secret ${secretLen}`);
      }
    }
  }
});

test('differential vs OpenSSL TLS1-PRF (openssl kdf), both hashes', () => {
  for (const [digest, alg] of [['SHA256', ALG['SHA-256']], ['SHA384', ALG['SHA-384']]] as const) {
    for (const outLen of [12, 48, 100]) {
      const secret = randomBytes(48);
      const label = Buffer.from('extended master secret');
      const seed = randomBytes(digest === 'SHA256' ? 32 : 48);
      const want = execFileSync('openssl', ['kdf', '-keylen', String(outLen), '-kdfopt', `digest:${digest}`, '-kdfopt', `hexsecret:${hex(secret)}`,
        '-kdfopt', `hexseed:${hex(Buffer.concat([label, seed]))}`, '-binary', 'TLS1-PRF']);
      assert.equal(hex(prf(alg, secret, label, [seed], outLen)), hex(want), `${digest} ${outLen}`);
    }
  }
});
