// ChaCha20, Poly1305 and AEAD_CHACHA20_POLY1305 (RFC 8439) in the wasm core,
// checked against Wycheproof and differentially against node:crypto
// (OpenSSL) and @noble/ciphers.
//
// Nonce-size policy: chacha20poly1305_seal/open take a pointer to exactly 12
// nonce bytes and no nonce length (TLS 1.3 only ever uses 12-byte nonces), so
// a nonce of any other size cannot be expressed through the API. The host
// binding below (`openAead`) therefore rejects a non-12-byte nonce before
// calling the module: Wycheproof's odd-nonce-size cases count as "rejected by
// the API contract", and the test checks that every one of them is an
// "invalid" case, i.e. that rejecting them is correct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { chacha20poly1305 as nobleAead, chacha20 as nobleChacha } from '@noble/ciphers/chacha.js';
import { poly1305 as noblePoly } from '@noble/ciphers/_poly1305.js';
import { Harness, hex, EDGE_LENGTHS } from '../helpers/wasm.ts';
import { type Sealed, layoutAead, openedOrNull, nodeSeal as nodeSealAlg, nodeOpen as nodeOpenAlg, aeadVectors, randInt } from '../helpers/aead.ts';

const h = new Harness('test');
const x = h.x;

/** Seals through the module; `inPlace` encrypts in the input buffer with the tag right behind it. */
function seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, misalign = 0, inPlace = false): Sealed {
  const c = layoutAead(h, 0, key, nonce, aad, [pt], pt.length + 16, pt.length + 16, misalign, inPlace);
  const ptag = c.output + pt.length;
  assert.equal(x.chacha20poly1305_seal(c.key, c.nonce, c.aad, aad.length, c.input, pt.length, c.output, ptag), 1);
  return { ct: h.read(c.output, pt.length), tag: h.read(ptag, 16) };
}

/** Opens through the module; returns the plaintext, or null (after checking the output was zeroed). */
function openAead(
  key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array, misalign = 0, inPlace = false,
): Uint8Array | null {
  if (nonce.length !== 12) return null; // not expressible: see the nonce-size policy above
  const c = layoutAead(h, 0, key, nonce, aad, [ct, tag], ct.length + 16, ct.length, misalign, inPlace);
  const ok = x.chacha20poly1305_open(c.key, c.nonce, c.aad, aad.length, c.input, ct.length, c.output, c.input + ct.length);
  return openedOrNull(h, ok, c.output, ct.length);
}

const nodeSeal = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array) => nodeSealAlg('chacha20-poly1305', key, nonce, aad, pt);
const nodeOpen = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array) =>
  nodeOpenAlg('chacha20-poly1305', key, nonce, aad, ct, tag);

test('Wycheproof chacha20_poly1305_test.json: every valid case matches, every invalid case is rejected', () => {
  let valid = 0, invalid = 0, byContract = 0, acceptable = 0;
  for (const { t, id, key, iv, aad, msg, ct, tag } of aeadVectors('chacha20_poly1305_test.json')) {
    if (t.result === 'acceptable') {
      // None in this file; if a future file adds some, they must at least round-trip.
      acceptable++;
      continue;
    }
    if (iv.length !== 12) {
      assert.equal(t.result, 'invalid', `${id}: a non-12-byte nonce case must be invalid`);
      assert.equal(openAead(key, iv, aad, ct, tag), null, id);
      byContract++;
      continue;
    }
    if (t.result === 'valid') {
      const s = seal(key, iv, aad, msg, t.tcId % 4);
      assert.equal(hex(s.ct), t.ct, `${id}: ciphertext`);
      assert.equal(hex(s.tag), t.tag, `${id}: tag`);
      const pt = openAead(key, iv, aad, ct, tag, t.tcId % 3, t.tcId % 2 === 0);
      assert.ok(pt, `${id}: open must accept`);
      assert.equal(hex(pt!), t.msg, `${id}: plaintext`);
      valid++;
    } else {
      assert.equal(t.result, 'invalid');
      assert.equal(openAead(key, iv, aad, ct, tag, t.tcId % 3, t.tcId % 2 === 0), null, `${id}: open must reject`);
      invalid++;
    }
  }
  // 256 valid, 60 invalid with 12-byte nonces, 9 invalid nonce sizes, 0 acceptable.
  assert.equal(valid, 256);
  assert.equal(invalid, 60);
  assert.equal(byContract, 9);
  assert.equal(acceptable, 0);
});

test('AEAD seal/open agree with node:crypto and @noble/ciphers at edge lengths, unaligned and in place', () => {
  for (const len of EDGE_LENGTHS) {
    for (const [misalign, inPlace] of [[0, false], [1, false], [3, true], [0, true], [7, false]] as const) {
      const key = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(randInt(40)), pt = randomBytes(len);
      const mine = seal(key, nonce, aad, pt, misalign, inPlace);
      const ref = nodeSeal(key, nonce, aad, pt);
      const noble = nobleAead(key, nonce, aad).encrypt(pt);
      const what = `len ${len} aad ${aad.length} misalign ${misalign} inPlace ${inPlace}`;
      assert.equal(hex(mine.ct), hex(ref.ct), `${what}: ciphertext vs node`);
      assert.equal(hex(mine.tag), hex(ref.tag), `${what}: tag vs node`);
      assert.equal(hex(mine.ct) + hex(mine.tag), hex(noble), `${what}: vs noble`);
      const back = openAead(key, nonce, aad, ref.ct, ref.tag, misalign, inPlace);
      assert.ok(back, `${what}: open of node's ciphertext`);
      assert.equal(hex(back!), hex(pt), `${what}: plaintext`);
      assert.equal(hex(nodeOpen(key, nonce, aad, mine.ct, mine.tag)), hex(pt), `${what}: node opens ours`);
    }
  }
});

test('AEAD: every single-bit flip in ciphertext, tag or aad is rejected and the output zeroed', () => {
  const key = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(13), pt = randomBytes(70);
  const s = nodeSeal(key, nonce, aad, pt);
  assert.ok(openAead(key, nonce, aad, s.ct, s.tag));
  for (let i = 0; i < pt.length; i++) {
    const ct = Uint8Array.from(s.ct);
    ct[i] ^= 1 << (i % 8);
    assert.equal(openAead(key, nonce, aad, ct, s.tag, i % 4, i % 2 === 1), null, `ct byte ${i}`);
  }
  for (let i = 0; i < 16; i++) {
    const tag = Uint8Array.from(s.tag);
    tag[i] ^= 0x80 >> (i % 8);
    assert.equal(openAead(key, nonce, aad, s.ct, tag, i % 4, i % 2 === 0), null, `tag byte ${i}`);
  }
  for (let i = 0; i < aad.length; i++) {
    const a = Uint8Array.from(aad);
    a[i] ^= 1;
    assert.equal(openAead(key, nonce, a, s.ct, s.tag), null, `aad byte ${i}`);
  }
  const wrongNonce = Uint8Array.from(nonce);
  wrongNonce[11] ^= 1;
  assert.equal(openAead(key, wrongNonce, aad, s.ct, s.tag), null, 'nonce');
  const wrongKey = Uint8Array.from(key);
  wrongKey[0] ^= 1;
  assert.equal(openAead(wrongKey, nonce, aad, s.ct, s.tag), null, 'key');
  // Truncated ciphertext (length is authenticated too).
  assert.equal(openAead(key, nonce, aad, s.ct.subarray(0, 69), s.tag), null, 'truncated');
});

test('ChaCha20 keystream agrees with @noble/ciphers and node:crypto at edge lengths, counters, unaligned, in place', () => {
  for (const len of EDGE_LENGTHS) {
    for (const [misalign, inPlace, counter] of [[0, false, 0], [1, true, 1], [2, false, 7], [5, true, 0xfffffff0]] as const) {
      const key = randomBytes(32), nonce = randomBytes(12), msg = randomBytes(len);
      h.reset();
      const pk = h.put(key, misalign), pn = h.put(nonce, misalign + 1);
      const pin = h.put(msg, misalign);
      const pout = inPlace ? pin : h.alloc(len, (misalign + 2) % 16);
      x.chacha20_xor(pk, counter >>> 0, pn, pin, pout, len);
      const mine = hex(h.read(pout, len));
      const what = `len ${len} misalign ${misalign} inPlace ${inPlace} counter ${counter}`;
      // noble refuses to let the 32-bit counter wrap; stay below that for it.
      if (counter + Math.ceil(len / 64) <= 0xffffffff) {
        assert.equal(mine, hex(nobleChacha(key, nonce, msg, undefined, counter)), `${what}: vs noble`);
      }
      // node's "chacha20" takes a 16-byte IV: le32 counter || 12-byte nonce.
      const iv = Buffer.alloc(16);
      iv.writeUInt32LE(counter >>> 0, 0);
      iv.set(nonce, 4);
      const c = createCipheriv('chacha20', key, iv);
      const ref = Buffer.concat([c.update(msg), c.final()]);
      if (counter + Math.ceil(len / 64) <= 0xffffffff) assert.equal(mine, hex(ref), `${what}: vs node`);
    }
  }
});

test('chacha20_block is the raw keystream block', () => {
  for (const counter of [0, 1, 2, 0xffffffff]) {
    const key = randomBytes(32), nonce = randomBytes(12);
    h.reset();
    const pk = h.put(key, 1), pn = h.put(nonce, 2), po = h.alloc(64, 3);
    x.chacha20_block(pk, counter >>> 0, pn, po);
    const mine = hex(h.read(po, 64));
    const iv = Buffer.alloc(16);
    iv.writeUInt32LE(counter, 0);
    iv.set(nonce, 4);
    assert.equal(mine, hex(createCipheriv('chacha20', key, iv).update(new Uint8Array(64))), `counter ${counter} vs node`);
    // noble rejects the last counter value (it refuses any block after it).
    if (counter < 0xffffffff) {
      assert.equal(mine, hex(nobleChacha(key, nonce, new Uint8Array(64), undefined, counter)), `counter ${counter} vs noble`);
    }
  }
});

test('chacha20_xor: the 32-bit block counter wraps modulo 2^32 (RFC 8439), consistently with chacha20_block', () => {
  const key = randomBytes(32), nonce = randomBytes(12);
  h.reset();
  const pk = h.put(key), pn = h.put(nonce), pb = h.alloc(128), ps = h.alloc(130, 1);
  x.chacha20_block(pk, 0xffffffff, pn, pb);
  x.chacha20_block(pk, 0, pn, pb + 64);
  h.mem.fill(0, ps, ps + 130);
  x.chacha20_xor(pk, 0xffffffff, pn, ps, ps, 130);
  assert.equal(hex(h.read(ps, 128)), hex(h.read(pb, 128)));
  x.chacha20_block(pk, 1, pn, pb);
  assert.equal(hex(h.read(ps + 128, 2)), hex(h.read(pb, 2)));
});

/** Poly1305 through the module, with the message fed in the given chunk sizes. */
function polyChunks(key: Uint8Array, msg: Uint8Array, chunks: number[], misalign = 0): string {
  h.reset();
  const size = x.POLY1305_CTX_SIZE.value as number;
  const ctx = h.alloc(size, (misalign + 5) % 16);
  const pk = h.put(key, misalign), pm = h.put(msg, misalign), pt = h.alloc(16, (misalign + 3) % 16);
  x.poly1305_init(ctx, pk);
  let off = 0;
  for (const c of chunks) {
    x.poly1305_update(ctx, pm + off, c);
    off += c;
  }
  assert.equal(off, msg.length);
  x.poly1305_final(ctx, pt);
  assert.ok(h.read(ctx, size).every((b) => b === 0), 'final must wipe the context');
  return hex(h.read(pt, 16));
}

function polyOneShot(key: Uint8Array, msg: Uint8Array, misalign = 0): string {
  h.reset();
  const pk = h.put(key, misalign), pm = h.put(msg, misalign + 1), pt = h.alloc(16, misalign + 2);
  x.poly1305(pk, pm, msg.length, pt);
  return hex(h.read(pt, 16));
}

test('Poly1305 agrees with @noble/ciphers on random and limb-edge keys and messages', () => {
  const ff = (n: number) => new Uint8Array(n).fill(0xff);
  const keys: Uint8Array[] = [ff(32), new Uint8Array(32), Uint8Array.from([...ff(16), ...new Uint8Array(16)]),
    Uint8Array.from([...new Uint8Array(16), ...ff(16)])];
  for (let i = 0; i < 12; i++) keys.push(randomBytes(32));
  const lengths = [...EDGE_LENGTHS, 2, 31, 32, 33, 48, 100, 255, 256, 1000];
  for (const key of keys) {
    for (const len of lengths) {
      for (const msg of [ff(len), new Uint8Array(len), randomBytes(len)]) {
        const want = hex(noblePoly(msg, key));
        const what = `key ${hex(key).slice(0, 8)}.. len ${len} msg ${hex(msg.subarray(0, 4))}..`;
        assert.equal(polyOneShot(key, msg, len % 5), want, `${what}: one-shot`);
        assert.equal(polyChunks(key, msg, [len], len % 3), want, `${what}: init/update/final`);
      }
    }
  }
});

test('Poly1305 multi-call updates: split at every offset, and random chunkings', () => {
  const key = randomBytes(32);
  const msg = randomBytes(97);
  const want = hex(noblePoly(msg, key));
  for (let i = 0; i <= msg.length; i++) {
    assert.equal(polyChunks(key, msg, [i, msg.length - i], i % 4), want, `split at ${i}`);
    for (let j = i; j <= msg.length; j += 7) {
      assert.equal(polyChunks(key, msg, [i, j - i, msg.length - j]), want, `split at ${i},${j}`);
    }
  }
  for (let r = 0; r < 50; r++) {
    const chunks: number[] = [];
    let left = msg.length;
    while (left > 0) {
      const c = Math.min(left, randInt(40));
      chunks.push(c);
      left -= c;
    }
    assert.equal(polyChunks(key, msg, chunks), want, `chunks ${chunks}`);
  }
  const allOnes = new Uint8Array(16640).fill(0xff);
  const keyOnes = new Uint8Array(32).fill(0xff);
  const want2 = hex(noblePoly(allOnes, keyOnes));
  for (const split of [1, 15, 16, 17, 8191, 8192, 16639]) {
    assert.equal(polyChunks(keyOnes, allOnes, [split, allOnes.length - split]), want2, `all-ones split ${split}`);
  }
});
