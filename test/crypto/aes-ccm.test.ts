// AES-CCM (AES-128/256) in the wasm core, checked against Wycheproof
// aes_ccm_test.json and differentially against node:crypto (OpenSSL) over
// EDGE_LENGTHS (plus an independent JS RFC 3610 reference over raw AES),
// random AAD lengths, unaligned pointers and in place, with the
// TLS 1.3 parameters (12-byte nonce; 16-byte tag for AES_128_CCM, 8-byte for
// AES_128_CCM_8) and other nonce/tag sizes; plus single-byte tampering.
// @noble/ciphers 2.4 has no CCM mode, so there is no noble differential here.
//
// Key-size policy: tlsrt implements AES-128 and AES-256 only. Wycheproof
// groups with 192-bit keys are skipped and counted. Invalid cases with bad
// nonce/tag sizes must be refused by both seal and open; the file has no
// "acceptable" cases (the test fails if one appears).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { Harness, hex, EDGE_LENGTHS } from '../helpers/wasm.ts';
import {
  type Sealed, aesAead, nodeSeal as nodeSealAlg, nodeOpen as nodeOpenAlg,
  checkAesWycheproof, edgeSweep, tamperEachByte, randInt,
} from '../helpers/aead.ts';

const h = new Harness('test');
const x = h.x;
const CTX = x.CCM_CTX_SIZE();

const { seal, open } = aesAead(h, CTX, x.ccm_init, x.ccm_seal, x.ccm_open);

const nodeAlg = (key: Uint8Array) => `aes-${key.length * 8}-ccm`;
const nodeSeal = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen: number) =>
  nodeSealAlg(nodeAlg(key), key, nonce, aad, pt, tagLen);
const nodeOpen = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array) =>
  nodeOpenAlg(nodeAlg(key), key, nonce, aad, ct, tag);

/**
 * Independent RFC 3610 reference in plain JS on top of node's raw AES block
 * (aes-*-ecb, no padding). Needed because node:crypto (OpenSSL 3) fails CCM
 * with an empty plaintext ("tag not set"); also used as a second reference.
 */
function refSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen: number): Sealed {
  const ecb = createCipheriv(`aes-${key.length * 8}-ecb` as 'aes-128-ecb', key, null).setAutoPadding(false);
  const E = (b: Uint8Array) => new Uint8Array(ecb.update(b));
  const L = 15 - nonce.length;
  const b0 = new Uint8Array(16);
  b0[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLen - 2) / 2) << 3) | (L - 1);
  b0.set(nonce, 1);
  for (let i = 0, v = pt.length; i < L; i++, v = Math.floor(v / 256)) b0[15 - i] = v & 255;
  let enc: number[] = [];
  if (aad.length > 0) {
    const n = aad.length;
    enc = n < 0xff00 ? [n >> 8, n & 255] : [0xff, 0xfe, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
    enc.push(...aad);
    while (enc.length % 16) enc.push(0);
  }
  const body = [...pt];
  while (body.length % 16) body.push(0);
  const all = new Uint8Array([...b0, ...enc, ...body]);
  let xv = new Uint8Array(16);
  for (let i = 0; i < all.length; i += 16) xv = E(xv.map((v, j) => v ^ all[i + j]));
  const ctrBlock = (i: number) => {
    const a = new Uint8Array(16);
    a[0] = L - 1;
    a.set(nonce, 1);
    for (let k = 0, v = i; k < L; k++, v = Math.floor(v / 256)) a[15 - k] = v & 255;
    return E(a);
  };
  const ct = new Uint8Array(pt.length);
  for (let i = 0; i < pt.length; i += 16) {
    const ks = ctrBlock(i / 16 + 1);
    for (let j = 0; j < 16 && i + j < pt.length; j++) ct[i + j] = pt[i + j] ^ ks[j];
  }
  const s0 = ctrBlock(0);
  return { ct, tag: xv.slice(0, tagLen).map((v, j) => v ^ s0[j]) };
}

test('ccm_init accepts 16/32-byte keys only; bad nonce/tag sizes are refused', () => {
  h.reset();
  const ctx = h.alloc(CTX);
  const pk = h.put(randomBytes(32));
  for (const n of [0, 15, 17, 24, 33]) assert.equal(x.ccm_init(ctx, pk, n), 0, `key length ${n}`);
  const key = randomBytes(16), aad = randomBytes(3), pt = randomBytes(20);
  for (let nl = 0; nl <= 16; nl++) {
    for (let tl = 0; tl <= 18; tl++) {
      const good = nl >= 7 && nl <= 13 && tl >= 4 && tl <= 16 && tl % 2 === 0;
      const s = seal(key, randomBytes(nl), aad, pt, tl, (nl + tl) % 16);
      assert.equal(s !== null, good, `nonce ${nl} tag ${tl}`);
      if (!good) assert.equal(open(key, randomBytes(nl), aad, randomBytes(20), randomBytes(tl), nl % 16), null);
    }
  }
});

test('Wycheproof aes_ccm_test.json: every valid 128/256 case matches, every invalid one is rejected', () => {
  const { valid, invalid, skipped192 } = checkAesWycheproof('aes_ccm_test.json',
    (v, misalign) => seal(v.key, v.iv, v.aad, v.msg, v.g.tagSize / 8, misalign),
    open,
    (v, misalign) => {
      const badParams = v.t.flags.some((f: string) => /InvalidNonceSize|InvalidTagSize|InsecureTagSize/.test(f));
      if (badParams) assert.equal(seal(v.key, v.iv, v.aad, v.msg, v.g.tagSize / 8, misalign), null, `${v.id}: seal must refuse`);
    });
  assert.equal(valid, 270);
  assert.equal(invalid, 98);
  assert.equal(skipped192, 184);
  console.log(`# Wycheproof AES-CCM: ${valid} valid matched, ${invalid} invalid rejected, ${skipped192} AES-192 cases skipped`);
});

test('differential vs node:crypto (aes-128-ccm tag 16 and 8, aes-256-ccm): EDGE_LENGTHS, random AAD, unaligned, in place', () => {
  let n = 0;
  for (const [keyLen, tagLen] of [[16, 16], [16, 8], [32, 16]]) {
    // rep 2 uses a long AAD (>= 0xff00 bytes needs the 6-byte length prefix; test it once per key).
    const aadLen = (rep: number, len: number) => rep === 2 && len === 0 ? 0xff00 + randInt(300) : randInt(rep === 0 ? 40 : 300);
    n += edgeSweep(keyLen, aadLen, ({ key, nonce, aad, pt, len, misalign, inPlace }) => {
      const s = seal(key, nonce, aad, pt, tagLen, misalign, inPlace)!;
      const ref = refSeal(key, nonce, aad, pt, tagLen);
      assert.equal(hex(s.ct), hex(ref.ct), `ref len ${len}`);
      assert.equal(hex(s.tag), hex(ref.tag), `ref len ${len}`);
      if (len > 0) { // OpenSSL cannot do an empty CCM payload (see refSeal)
        const nref = nodeSeal(key, nonce, aad, pt, tagLen);
        assert.equal(hex(s.ct), hex(nref.ct), `node len ${len}`);
        assert.equal(hex(s.tag), hex(nref.tag), `node len ${len}`);
      }
      return s;
    }, open);
  }
  assert.equal(n, 3 * EDGE_LENGTHS.length * 3);
});

test('every nonce size 7..13 and tag size 4..16 matches node:crypto', () => {
  for (let nl = 7; nl <= 13; nl++) {
    for (let tl = 4; tl <= 16; tl += 2) {
      const key = randomBytes(tl % 4 ? 32 : 16), nonce = randomBytes(nl), aad = randomBytes(randInt(40)), pt = randomBytes(1 + randInt(200));
      const s = seal(key, nonce, aad, pt, tl, (nl * tl) % 16)!;
      const ref = nodeSeal(key, nonce, aad, pt, tl);
      assert.equal(hex(s.ct) + hex(s.tag), hex(ref.ct) + hex(ref.tag), `nonce ${nl} tag ${tl}`);
      assert.equal(hex(open(key, nonce, aad, s.ct, s.tag, tl % 16, true)!), hex(pt));
      assert.equal(hex(nodeOpen(key, nonce, aad, s.ct, s.tag)), hex(pt));
    }
  }
});

test('tampering with any single byte of ct, tag, aad or nonce makes open fail and zero the output', () => {
  for (const tagLen of [16, 8]) {
    const key = randomBytes(16), nonce = randomBytes(12), aad = randomBytes(21), pt = randomBytes(70);
    const s = seal(key, nonce, aad, pt, tagLen)!;
    const count = tamperEachByte(open, key, nonce, aad, s);
    assert.equal(count, 70 + tagLen + 21 + 12);
    assert.equal(hex(open(key, nonce, aad, s.ct, s.tag)!), hex(pt), 'untampered still opens');
  }
});
