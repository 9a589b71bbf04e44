// X25519 (RFC 7748) in the wasm core, checked against every Wycheproof case
// and differentially against node:crypto (OpenSSL) and @noble/curves.
//
// Policy for Wycheproof's "acceptable" cases (twist points, non-canonical u
// >= p, bit 255 set, low-order points): x25519() computes exactly what
// RFC 7748 §5 specifies (clamp the scalar, mask bit 255 of u, reduce u mod p,
// run the ladder) and never rejects a public key itself, so every acceptable
// case must produce Wycheproof's expected shared value, like a valid one.
// The only signal is the return value: 0 exactly when the shared secret is
// all zeros (RFC 7748 §6.1 / RFC 8446 §7.4.2: the TLS layer must then abort),
// 1 otherwise; the output is written in both cases. That is asserted for
// every case, so all 31 Wycheproof cases whose expected shared secret is
// 00..00 must return 0, and every other case must return 1.
// The file has no "invalid" X25519 cases; the test asserts that, so a future
// vector file adding some would fail here until a policy is written for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes } from 'node:crypto';
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { Harness, hex, unhex } from '../helpers/wasm.ts';
import { wycheproof } from '../helpers/vectors.ts';

const h = new Harness('test');
const x = h.x;
const ZERO32 = '00'.repeat(32);

/** X25519 through the module, at (possibly) unaligned pointers; `alias` writes over an input. */
function dh(scalar: Uint8Array, point: Uint8Array, misalign = 0, alias: 'none' | 'point' | 'scalar' = 'none') {
  h.reset();
  const ps = h.put(scalar, misalign);
  const pu = h.put(point, (misalign + 5) % 16);
  const out = alias === 'point' ? pu : alias === 'scalar' ? ps : h.alloc(32, (misalign + 11) % 16);
  const ret = x.x25519(out, ps, pu);
  return { ret, shared: hex(h.read(out, 32)) };
}

function base(scalar: Uint8Array, misalign = 0, inPlace = false) {
  h.reset();
  const ps = h.put(scalar, misalign);
  const out = inPlace ? ps : h.alloc(32, (misalign + 3) % 16);
  const ret = x.x25519_base(out, ps);
  return { ret, pub: hex(h.read(out, 32)) };
}

// node:crypto takes raw X25519 keys wrapped in PKCS#8 / SPKI DER.
const PKCS8_PREFIX = unhex('302e020100300506032b656e04220420');
const SPKI_PREFIX = unhex('302a300506032b656e032100');
const nodePriv = (sk: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, sk]), format: 'der', type: 'pkcs8' });
const nodeShared = (sk: Uint8Array, pk: Uint8Array) =>
  hex(diffieHellman({
    privateKey: nodePriv(sk),
    publicKey: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' }),
  }));
const nodePublic = (sk: Uint8Array) =>
  hex((createPublicKey(nodePriv(sk)).export({ format: 'der', type: 'spki' }) as Buffer).subarray(12));

test('Wycheproof x25519_test.json: every case matches; return 0 exactly for an all-zero shared secret', () => {
  const file = wycheproof('x25519_test.json');
  const counts = { valid: 0, acceptable: 0, invalid: 0, zero: 0 };
  for (const group of file.testGroups) {
    assert.equal(group.curve, 'curve25519');
    for (const t of group.tests) {
      counts[t.result as 'valid' | 'acceptable' | 'invalid']++;
      const misalign = t.tcId % 16;
      const { ret, shared } = dh(unhex(t.private), unhex(t.public), misalign);
      assert.equal(shared, t.shared, `tcId ${t.tcId} (${t.result}, ${t.flags.join(',')}): ${t.comment}`);
      const isZero = t.shared === ZERO32;
      if (isZero) counts.zero++;
      assert.equal(ret, isZero ? 0 : 1, `tcId ${t.tcId}: return value`);
    }
  }
  assert.equal(counts.invalid, 0, 'no invalid X25519 cases expected (see policy above)');
  assert.equal(counts.valid, 264);
  assert.equal(counts.acceptable, 254);
  assert.equal(counts.zero, 31);
});

test('RFC 7748 §6.1 through the module exports, aligned, unaligned and in place', () => {
  const aliceSk = unhex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const bobSk = unhex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const alicePk = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bobPk = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
  for (const m of [0, 1, 3, 7]) {
    assert.deepEqual(base(aliceSk, m), { ret: 1, pub: alicePk });
    assert.deepEqual(base(bobSk, m, true), { ret: 1, pub: bobPk });
    assert.deepEqual(dh(aliceSk, unhex(bobPk), m), { ret: 1, shared });
    assert.deepEqual(dh(bobSk, unhex(alicePk), m, 'point'), { ret: 1, shared });
    assert.deepEqual(dh(bobSk, unhex(alicePk), m, 'scalar'), { ret: 1, shared });
  }
});

test('the scratch area is wiped: a second call does not depend on the first', () => {
  // Same inputs give the same output regardless of what ran before, and the
  // module's static data holds no copy of the clamped scalar after a call.
  const sk = randomBytes(32);
  const pk = randomBytes(32);
  const first = dh(sk, pk).shared;
  dh(randomBytes(32), randomBytes(32));
  assert.equal(dh(sk, pk).shared, first);
  const clamped = Buffer.from(sk);
  clamped[0] &= 248;
  clamped[31] = (clamped[31] & 127) | 64;
  const statics = Buffer.from(h.mem.subarray(0, x.heap_base()));
  assert.equal(statics.indexOf(clamped), -1, 'clamped scalar left in static memory');
});

/**
 * 200 scalar/point pairs: random, with edge scalars and u-coordinates mixed in.
 * Low-order u (0, 1, p - 1, p, p + 1, ...) are left to the test below: both
 * references refuse them (noble throws before its ladder, OpenSSL on the zero result).
 */
function differentialCases(): Array<[Uint8Array, Uint8Array]> {
  const scalars: Uint8Array[] = [
    new Uint8Array(32), // clamps to 2^254
    new Uint8Array(32).fill(0xff), // clamps to 2^255 - 8
    unhex('0800000000000000000000000000000000000000000000000000000000000040'),
    unhex('f8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
    unhex('0100000000000000000000000000000000000000000000000000000000000000'),
    unhex('0000000000000000000000000000000000000000000000000000000000000080'),
  ];
  const points: Uint8Array[] = [
    unhex('0900000000000000000000000000000000000000000000000000000000000000'),
    unhex('0900000000000000000000000000000000000000000000000000000000000080'), // 9 with bit 255 set
    unhex('ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p - 2
    unhex('f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p + 9 (non-canonical 9)
    unhex('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'), // 2^256 - 1
    unhex('0300000000000000000000000000000000000000000000000000000000000000'),
  ];
  const cases: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < 200; i++) {
    const k = i < 36 ? scalars[i % scalars.length] : randomBytes(32);
    const u = i < 36 ? points[Math.floor(i / scalars.length)] : randomBytes(32);
    if (i >= 36 && i % 2 === 0) u[31] |= 0x80; // half the random points have the high bit set
    cases.push([k, u]);
  }
  return cases;
}

test('differential: 200 scalar/point pairs vs node:crypto and @noble/curves', () => {
  let highBit = 0;
  for (const [i, [k, u]] of differentialCases().entries()) {
    if (u[31] & 0x80) highBit++;
    const got = dh(k, u, i % 16);
    const noble = hex(nobleX25519.scalarMult(k, u));
    assert.equal(got.shared, noble, `case ${i}: noble k=${hex(k)} u=${hex(u)}`);
    assert.equal(got.shared, nodeShared(k, u), `case ${i}: node k=${hex(k)} u=${hex(u)}`);
    assert.equal(got.ret, 1, `case ${i}`);
  }
  assert.ok(highBit >= 80, `only ${highBit} points with bit 255 set`);
});

test('differential: x25519_base vs node:crypto and @noble/curves, and x25519(k, 9)', () => {
  const nine = unhex('09' + '00'.repeat(31));
  const scalars = [new Uint8Array(32), new Uint8Array(32).fill(0xff)];
  for (let i = 0; i < 100; i++) scalars.push(randomBytes(32));
  for (const [i, k] of scalars.entries()) {
    const got = base(k, i % 16);
    assert.equal(got.ret, 1);
    assert.equal(got.pub, hex(nobleX25519.getPublicKey(k)), `case ${i}: noble`);
    assert.equal(got.pub, nodePublic(k), `case ${i}: node`);
    assert.equal(got.pub, dh(k, nine).shared, `case ${i}: x25519(k, 9)`);
  }
});

test('low-order points give zero, return 0, and still write the output', () => {
  // u = 0 (order 2), 1 (order 4 on the twist), p - 1 (order 4) and the two u of order 8:
  // a clamped scalar is a multiple of 8, so each gives the point at infinity, encoded as 0.
  const lowOrder = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  ];
  for (const u of lowOrder) {
    for (let i = 0; i < 4; i++) {
      const { ret, shared } = dh(randomBytes(32), unhex(u), i); // output buffer starts poisoned (0xa5)
      assert.equal(ret, 0, u);
      assert.equal(shared, ZERO32, u);
    }
  }
});
