// P-256 ECDH in the wasm core (assembly/crypto/p256.ts), checked against
// every case of Wycheproof's ecdh_secp256r1_ecpoint_test.json and
// differentially against node:crypto (OpenSSL) and @noble/curves, in both
// directions (tlsrt computes the secret for a key the reference made, and
// the reference for a key tlsrt made).
//
// Policy for the Wycheproof results. The file gives the peer key as an
// uncompressed or compressed SEC 1 point; TLS 1.3 (RFC 8446 §4.2.8.2) and
// TLS 1.2 ECDHE (RFC 8422 §5.4.1, point format "uncompressed" only) carry
// uncompressed points only, and p256_shared() takes exactly 65 bytes
// starting 0x04. So:
//   valid      -> must return 1 and Wycheproof's shared x-coordinate;
//   invalid    -> must return 0 with the output zeroed;
//   acceptable -> the one acceptable case is a compressed point (flag
//                 CompressedPublic): refused (0), by the rule above; any
//                 other acceptable case would fail here until a policy is
//                 written for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import { Harness, hex, unhex } from '../helpers/wasm.ts';
import { wycheproof } from '../helpers/vectors.ts';

const h = new Harness('test');
const x = h.x;
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** Wycheproof writes private keys as minimal big-endian integers (sometimes with a 00 sign byte). */
function scalar32(privHex: string): Uint8Array {
  const v = BigInt('0x' + (privHex || '0'));
  assert.ok(v < 2n ** 256n);
  return unhex(v.toString(16).padStart(64, '0'));
}

function shared(sk: Uint8Array, peer: Uint8Array, misalign = 0) {
  h.reset();
  const ps = h.put(sk, misalign);
  const pp = h.put(peer.length ? peer : new Uint8Array(1), (misalign + 5) % 16);
  const out = h.alloc(32, (misalign + 9) % 16);
  const ret = x.p256_shared(out, ps, pp, peer.length);
  return { ret, shared: hex(h.read(out, 32)) };
}

function keygen(sk: Uint8Array, misalign = 0) {
  h.reset();
  const ps = h.put(sk, misalign);
  const out = h.alloc(65, (misalign + 3) % 16);
  const ret = x.p256_keygen(out, ps);
  return { ret, pub: h.read(out, 65) };
}

test('Wycheproof ecdh_secp256r1_ecpoint_test.json: valid match, invalid and compressed refused', () => {
  const file = wycheproof('ecdh_secp256r1_ecpoint_test.json');
  assert.equal(file.algorithm, 'ECDH');
  const counts = { valid: 0, acceptable: 0, invalid: 0 };
  for (const group of file.testGroups) {
    assert.equal(group.curve, 'secp256r1');
    assert.equal(group.encoding, 'ecpoint');
    for (const t of group.tests) {
      counts[t.result as 'valid' | 'acceptable' | 'invalid']++;
      const what = `tcId ${t.tcId} (${t.result}, ${t.flags.join(',')}): ${t.comment}`;
      const sk = scalar32(t.private);
      const got = shared(sk, unhex(t.public), t.tcId % 16);
      if (t.result === 'valid') {
        assert.equal(got.ret, 1, what);
        assert.equal(got.shared, t.shared, what);
      } else {
        if (t.result === 'acceptable') assert.ok(t.flags.includes('CompressedPublic'), `${what}: no policy for this acceptable case`);
        assert.equal(got.ret, 0, what);
        assert.equal(got.shared, '00'.repeat(32), what);
      }
    }
  }
  assert.deepEqual(counts, { valid: 330, acceptable: 1, invalid: 24 });
});

test('keygen: range of the private key, [1]G, [n-1]G, and keys at the edges of [1, n-1]', () => {
  const edge = [1n, 2n, 3n, N - 1n, N - 2n, 2n ** 128n, 2n ** 255n, N >> 1n];
  for (const [i, v] of edge.entries()) {
    const sk = unhex(v.toString(16).padStart(64, '0'));
    const got = keygen(sk, i);
    assert.equal(got.ret, 1);
    assert.equal(hex(got.pub), hex(nobleP256.getPublicKey(sk, false)), `k = ${v.toString(16)}`);
  }
  for (const v of [0n, N, N + 1n, 2n ** 256n - 1n]) {
    const sk = unhex(v.toString(16).padStart(64, '0'));
    h.reset();
    const ps = h.put(sk);
    assert.equal(x.p256_private_ok(ps), 0, `k = ${v.toString(16)}`);
    const got = keygen(sk);
    assert.equal(got.ret, 0, `k = ${v.toString(16)}`);
    assert.equal(hex(got.pub), '00'.repeat(65));
  }
});

test('differential: 100 random key pairs vs node:crypto and @noble/curves, both directions', () => {
  for (let i = 0; i < 100; i++) {
    const ours = randomBytes(32);
    h.reset();
    if (x.p256_private_ok(h.put(ours)) !== 1) continue; // < 2^-32: a fresh draw in real use
    const mine = keygen(ours, i % 16);
    assert.equal(mine.ret, 1);
    const node = createECDH('prime256v1');
    node.generateKeys();
    assert.equal(hex(mine.pub), hex(nobleP256.getPublicKey(ours, false)), `case ${i}: public key vs noble`);
    // The peer computes with our public key...
    const nodeSecret = hex(node.computeSecret(mine.pub));
    // ...we compute with the peer's.
    const got = shared(ours, node.getPublicKey(), i % 16);
    assert.equal(got.ret, 1);
    assert.equal(got.shared, nodeSecret, `case ${i}: node`);
    const nobleSk = nobleP256.utils.randomSecretKey();
    const noblePub = nobleP256.getPublicKey(nobleSk, false);
    const fromNoble = hex(nobleP256.getSharedSecret(nobleSk, mine.pub, true).subarray(1));
    assert.equal(shared(ours, noblePub).shared, fromNoble, `case ${i}: noble`);
  }
});

test('in place: output over the private key or the peer key', () => {
  const a = randomBytes(32), b = createECDH('prime256v1');
  b.generateKeys();
  const want = hex(b.computeSecret(keygen(a).pub));
  h.reset();
  const ps = h.put(a), pp = h.put(b.getPublicKey());
  assert.equal(x.p256_shared(pp, ps, pp, 65), 1);
  assert.equal(hex(h.read(pp, 32)), want);
  h.reset();
  const ps2 = h.put(a), pp2 = h.put(b.getPublicKey());
  assert.equal(x.p256_shared(ps2, ps2, pp2, 65), 1);
  assert.equal(hex(h.read(ps2, 32)), want);
  h.reset();
  const ps3 = h.put(a, 3);
  assert.equal(x.p256_keygen(ps3, ps3), 1);
  assert.equal(hex(h.read(ps3, 65)), hex(keygen(a).pub));
});

test('peer validation: lengths, prefixes, coordinates >= p, off-curve, and every 1-byte change of a good key', () => {
  const sk = randomBytes(32);
  const peer = createECDH('prime256v1');
  peer.generateKeys();
  const good = new Uint8Array(peer.getPublicKey());
  assert.equal(shared(sk, good).ret, 1);
  for (const len of [0, 1, 33, 64, 66, 97]) {
    const b = new Uint8Array(len);
    b.set(good.subarray(0, Math.min(len, 65)));
    assert.equal(shared(sk, b).ret, 0, `length ${len}`);
  }
  for (const prefix of [0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0xff]) {
    const b = Uint8Array.from(good);
    b[0] = prefix;
    assert.equal(shared(sk, b).ret, 0, `prefix ${prefix}`);
  }
  const P = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
  const y = BigInt('0x' + hex(good.subarray(33)));
  const xs = BigInt('0x' + hex(good.subarray(1, 33)));
  // x + p and y + p (when they fit in 32 bytes) name the same residues: must still be refused.
  if (xs + P < 2n ** 256n) assert.equal(shared(sk, unhex('04' + (xs + P).toString(16).padStart(64, '0') + hex(good.subarray(33)))).ret, 0);
  if (y + P < 2n ** 256n) assert.equal(shared(sk, unhex('04' + hex(good.subarray(1, 33)) + (y + P).toString(16).padStart(64, '0'))).ret, 0);
  // -y is on the curve too: accepted, and gives the same x-coordinate (x([k](-Q)) = x([k]Q)).
  const negY = unhex('04' + hex(good.subarray(1, 33)) + ((P - y) % P).toString(16).padStart(64, '0'));
  assert.deepEqual(shared(sk, negY), shared(sk, good));
  // Any single changed coordinate byte moves the point off the curve (with overwhelming probability; checked against noble).
  for (let i = 1; i < 65; i += 7) {
    const b = Uint8Array.from(good);
    b[i] ^= 0x01;
    let nobleOk = true;
    try { nobleP256.Point.fromBytes(b); } catch { nobleOk = false; }
    assert.equal(shared(sk, b).ret, nobleOk ? 1 : 0, `byte ${i}`);
  }
});

test('the scratch area is wiped: no copy of the private key in static memory after a call', () => {
  const sk = randomBytes(32);
  const peer = createECDH('prime256v1');
  peer.generateKeys();
  shared(sk, peer.getPublicKey());
  keygen(sk);
  const statics = Buffer.from(h.mem.subarray(0, x.heap_base()));
  assert.equal(statics.indexOf(Buffer.from(sk)), -1, 'private key left in static memory');
});
