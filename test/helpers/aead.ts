// Pieces shared by the AEAD tests in test/crypto (AES-GCM, AES-CCM,
// ChaCha20-Poly1305): laying one seal/open call out in the module's memory,
// the node:crypto reference, decoding Wycheproof AEAD files, the AES
// Wycheproof check under the AES-128/256-only key-size policy, the
// EDGE_LENGTHS differential sweep and the single-byte tampering sweep.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Harness, hex, unhex, EDGE_LENGTHS } from './wasm.ts';
import { wycheproof } from './vectors.ts';

export interface Sealed { ct: Uint8Array; tag: Uint8Array }

export const randInt = (n: number) => Math.floor(Math.random() * n);

/** Pointers of one laid-out AEAD call (ctx is 0 without a context). */
export interface AeadCall { ctx: number; key: number; nonce: number; aad: number; input: number; output: number }

/**
 * Resets `h` and lays out one seal or open call: a context of `ctxSize` bytes
 * (if any), key, nonce and aad, each at its own misalignment derived from
 * `misalign`; `input` (e.g. pt, or ct then tag) copied into a buffer of
 * `inputSize` bytes at `misalign`; and an output buffer of `outputSize` bytes,
 * or the input buffer itself when `inPlace`.
 */
export function layoutAead(
  h: Harness, ctxSize: number, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array,
  input: Uint8Array[], inputSize: number, outputSize: number, misalign: number, inPlace: boolean,
): AeadCall {
  h.reset();
  const ctx = ctxSize > 0 ? h.alloc(ctxSize, (misalign * 11) % 16) : 0;
  const pk = h.put(key, (misalign * 3) % 16);
  const pn = h.put(nonce, (misalign * 5) % 16);
  const pa = h.put(aad, (misalign * 7) % 16);
  const pin = h.alloc(inputSize, misalign);
  let off = pin;
  for (const part of input) {
    h.mem.set(part, off);
    off += part.length;
  }
  const pout = inPlace ? pin : h.alloc(outputSize, (misalign + 1) % 16);
  return { ctx, key: pk, nonce: pn, aad: pa, input: pin, output: pout };
}

/** The plaintext when `ok` is 1; otherwise asserts `ok` is 0 and the `len`-byte output was zeroed, and returns null. */
export function openedOrNull(h: Harness, ok: number, out: number, len: number): Uint8Array | null {
  const bytes = h.read(out, len);
  if (ok === 1) return bytes;
  assert.equal(ok, 0);
  assert.ok(bytes.every((b) => b === 0), 'failed open must zero the output');
  return null;
}

/** An AES mode's init export: 1 if the key length is supported. */
export type AesInit = (ctx: number, key: number, keyLen: number) => number;
/** An AES mode's seal or open export (gcm_open and ccm_open share this signature, as does ccm_seal). */
export type AesCall = (
  ctx: number, nonce: number, nonceLen: number, aad: number, aadLen: number,
  src: number, len: number, dst: number, tag: number, tagLen: number,
) => number;

/**
 * seal and open over an AES mode's exports. Each call lays its buffers out
 * with layoutAead, checks that init accepts the key, and puts the tag right
 * behind the ciphertext. seal returns null when the module refuses;
 * open returns the plaintext, or null after checking the output was zeroed.
 */
export function aesAead(h: Harness, ctxSize: number, init: AesInit, sealCall: AesCall, openCall: AesCall) {
  const seal = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen: number, misalign = 0, inPlace = false): Sealed | null => {
    const c = layoutAead(h, ctxSize, key, nonce, aad, [pt], pt.length + 16, pt.length + 16, misalign, inPlace);
    assert.equal(init(c.ctx, c.key, key.length), 1);
    const ptag = c.output + pt.length;
    const r = sealCall(c.ctx, c.nonce, nonce.length, c.aad, aad.length, c.input, pt.length, c.output, ptag, tagLen);
    if (r === 0) return null;
    assert.equal(r, 1);
    return { ct: h.read(c.output, pt.length), tag: h.read(ptag, tagLen) };
  };
  const open: OpenFn = (key, nonce, aad, ct, tag, misalign = 0, inPlace = false) => {
    const c = layoutAead(h, ctxSize, key, nonce, aad, [ct, tag], ct.length + tag.length, ct.length, misalign, inPlace);
    assert.equal(init(c.ctx, c.key, key.length), 1);
    const ok = openCall(c.ctx, c.nonce, nonce.length, c.aad, aad.length, c.input, ct.length, c.output, c.input + ct.length, tag.length);
    return openedOrNull(h, ok, c.output, ct.length);
  };
  return { seal, open };
}

/** node:crypto (OpenSSL) seal: `alg` is e.g. aes-128-gcm, aes-256-ccm, chacha20-poly1305. */
export function nodeSeal(alg: string, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen = 16): Sealed {
  const c = createCipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: tagLen });
  c.setAAD(aad, { plaintextLength: pt.length });
  const ct = Buffer.concat([c.update(pt), c.final()]);
  return { ct: new Uint8Array(ct), tag: new Uint8Array(c.getAuthTag()) };
}

/** node:crypto open (the tag is set before the AAD, as CCM requires); throws on a bad tag. */
export function nodeOpen(alg: string, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array): Uint8Array {
  const d = createDecipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: tag.length });
  d.setAuthTag(tag);
  d.setAAD(aad, { plaintextLength: ct.length });
  return new Uint8Array(Buffer.concat([d.update(ct), d.final()]));
}

/** One decoded Wycheproof AEAD test, with its group. */
export interface AeadVector {
  g: any; t: any; id: string;
  key: Uint8Array; iv: Uint8Array; aad: Uint8Array; msg: Uint8Array; ct: Uint8Array; tag: Uint8Array;
}

/** Every test of a Wycheproof AEAD file, decoded. */
export function* aeadVectors(file: string): Generator<AeadVector> {
  for (const g of wycheproof(file).testGroups) {
    for (const t of g.tests) {
      yield {
        g, t, id: `tcId ${t.tcId} (${t.comment})`,
        key: unhex(t.key), iv: unhex(t.iv), aad: unhex(t.aad), msg: unhex(t.msg), ct: unhex(t.ct), tag: unhex(t.tag),
      };
    }
  }
}

export type OpenFn = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array, misalign?: number, inPlace?: boolean) => Uint8Array | null;

/**
 * A Wycheproof AES AEAD file under the key-size policy (AES-128/256 only:
 * 192-bit groups are skipped and counted; no "acceptable" case may appear).
 * Every valid case must seal (`seal(v, misalign)`) to the published ct and
 * tag and open back (in place for even tcIds); every invalid one must be
 * rejected by open, then `onInvalid` adds the mode's own checks.
 */
export function checkAesWycheproof(
  file: string,
  seal: (v: AeadVector, misalign: number) => Sealed | null,
  open: OpenFn,
  onInvalid: (v: AeadVector, misalign: number) => void,
): { valid: number; invalid: number; skipped192: number } {
  let valid = 0, invalid = 0, skipped192 = 0;
  for (const v of aeadVectors(file)) {
    const { g, t, id } = v;
    if (g.keySize === 192) { skipped192++; continue; }
    assert.ok(g.keySize === 128 || g.keySize === 256, id);
    assert.notEqual(t.result, 'acceptable', `${id}: no acceptable-case policy defined`);
    const misalign = t.tcId % 16;
    if (t.result === 'valid') {
      const s = seal(v, misalign);
      assert.ok(s, id);
      assert.equal(hex(s!.ct), t.ct, id);
      assert.equal(hex(s!.tag), t.tag, id);
      const p = open(v.key, v.iv, v.aad, v.ct, v.tag, misalign, t.tcId % 2 === 0);
      assert.ok(p, id);
      assert.equal(hex(p!), t.msg, id);
      valid++;
    } else {
      assert.equal(open(v.key, v.iv, v.aad, v.ct, v.tag, misalign), null, id);
      onInvalid(v, misalign);
      invalid++;
    }
  }
  return { valid, invalid, skipped192 };
}

/** One case of the differential sweep. */
export interface SweepCase {
  key: Uint8Array; nonce: Uint8Array; aad: Uint8Array; pt: Uint8Array;
  len: number; rep: number; misalign: number; inPlace: boolean;
}

/**
 * The differential sweep over EDGE_LENGTHS: three reps per length (rep 1
 * seals in place), each with a random `keyLen`-byte key, 12-byte nonce,
 * `aadLen(rep, len)` bytes of AAD and misalignment. `check` compares the
 * module with its references; then the result must open again at another
 * misalignment (in place on rep 2). Returns the number of cases.
 */
export function edgeSweep(
  keyLen: number,
  aadLen: (rep: number, len: number) => number,
  check: (c: SweepCase) => Sealed,
  open: OpenFn,
): number {
  let n = 0;
  for (const len of EDGE_LENGTHS) {
    for (let rep = 0; rep < 3; rep++) {
      const aad = randomBytes(aadLen(rep, len));
      const c: SweepCase = {
        key: randomBytes(keyLen), nonce: randomBytes(12), aad, pt: randomBytes(len),
        len, rep, misalign: randInt(16), inPlace: rep === 1,
      };
      const s = check(c);
      const p = open(c.key, c.nonce, c.aad, s.ct, s.tag, (c.misalign + 5) % 16, rep === 2);
      assert.ok(p, `open len ${len}`);
      assert.equal(hex(p!), hex(c.pt));
      n++;
    }
  }
  return n;
}

/**
 * Flips one random bit in each byte of ct, tag, aad and nonce in turn (then
 * restores it): every one must make open fail (and zero its output). Returns
 * how many were tried.
 */
export function tamperEachByte(open: OpenFn, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, s: Sealed): number {
  const fields: [string, Uint8Array][] = [['ct', s.ct], ['tag', s.tag], ['aad', aad], ['nonce', nonce]];
  let count = 0;
  for (const [name, buf] of fields) {
    for (let i = 0; i < buf.length; i++) {
      const saved = buf[i];
      buf[i] ^= 1 << randInt(8);
      assert.equal(open(key, nonce, aad, s.ct, s.tag, i % 16, i % 2 === 0), null, `${name}[${i}]`);
      buf[i] = saved;
      count++;
    }
  }
  return count;
}
