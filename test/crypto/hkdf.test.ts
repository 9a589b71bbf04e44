// HKDF (RFC 5869) and the TLS 1.3 key-schedule functions (RFC 8446 §7.1) in
// the wasm core: Wycheproof HKDF-SHA-256/384, differential tests against
// node:crypto (OpenSSL) and @noble/hashes, and the complete RFC 8448 §3
// key schedule (every extract, Derive-Secret, Expand-Label, traffic key/iv,
// the transcript hashes and both Finished MACs).
//
// Wycheproof policy: "valid" cases must match the OKM exactly; the "invalid"
// cases (SizeTooLarge: size > 255 * HashLen) must be refused by
// hkdf_expand's return code (0) without writing any output. These files have
// no "acceptable" cases; one would be counted and must not crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, hkdfSync, randomBytes, createHash } from 'node:crypto';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { Harness, hex, unhex, EDGE_LENGTHS } from '../helpers/wasm.ts';
import { wycheproof, loadJson } from '../helpers/vectors.ts';

const h = new Harness('test');
const x = h.x;
const SHA256 = x.HASH_SHA256.value as number;
const SHA384 = x.HASH_SHA384.value as number;

const ALGS = [
  { name: 'sha256', id: SHA256, len: 32, noble: nobleSha256, file: 'hkdf_sha256_test.json' },
  { name: 'sha384', id: SHA384, len: 48, noble: nobleSha384, file: 'hkdf_sha384_test.json' },
] as const;

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** Extract then Expand in the module; null when expand refuses (after checking nothing was written). */
function hkdf(id: number, len: number, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, size: number, misalign = 0): Uint8Array | null {
  h.reset();
  const pi = h.put(ikm, misalign);
  const ps = h.put(salt, (misalign + 3) % 16);
  const pn = h.put(info, (misalign + 6) % 16);
  const prk = h.alloc(len, (misalign + 9) % 16);
  const out = h.alloc(size, (misalign + 1) % 16);
  x.hkdf_extract(id, ps, salt.length, pi, ikm.length, prk);
  const ok = x.hkdf_expand(id, prk, len, pn, info.length, out, size);
  const okm = h.read(out, size);
  if (ok === 1) return okm;
  assert.equal(ok, 0);
  assert.ok(okm.every((b) => b === 0xa5), 'a refused expand must not write its output');
  return null;
}

/** RFC 8446 §7.1 HkdfLabel, built independently of the module. */
function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const full = enc('tls13 ' + label);
  return new Uint8Array([length >> 8, length & 255, full.length, ...full, context.length, ...context]);
}

/** Reference HKDF-Expand on node:crypto HMAC. */
function refExpand(name: string, prk: Uint8Array, info: Uint8Array, size: number): Uint8Array {
  const out: number[] = [];
  let t = new Uint8Array(0);
  for (let i = 1; out.length < size; i++) {
    t = new Uint8Array(createHmac(name, prk).update(t).update(info).update(new Uint8Array([i])).digest());
    out.push(...t);
  }
  return new Uint8Array(out.slice(0, size));
}

function expandLabel(id: number, secret: Uint8Array, label: string, context: Uint8Array, size: number, misalign = 0): Uint8Array | null {
  h.reset();
  const lab = enc(label);
  const ps = h.put(secret, misalign);
  const pl = h.put(lab, (misalign + 1) % 16);
  const pc = h.put(context, (misalign + 2) % 16);
  const out = h.alloc(size, (misalign + 3) % 16);
  const ok = x.hkdf_expand_label(id, ps, pl, lab.length, pc, context.length, out, size);
  return ok === 1 ? h.read(out, size) : null;
}

function deriveSecret(id: number, len: number, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  h.reset();
  const lab = enc(label);
  const ps = h.put(secret, 1);
  const pl = h.put(lab, 2);
  const ph = h.put(transcriptHash, 3);
  const out = h.alloc(len, 5);
  assert.equal(x.derive_secret(id, ps, pl, lab.length, ph, out), 1);
  return h.read(out, len);
}

for (const a of ALGS) {
  test(`Wycheproof ${a.file}`, () => {
    const file = wycheproof(a.file);
    let valid = 0, invalid = 0, acceptable = 0, total = 0;
    for (const g of file.testGroups) {
      for (const t of g.tests) {
        total++;
        const okm = hkdf(a.id, a.len, unhex(t.ikm), unhex(t.salt), unhex(t.info), t.size, t.tcId % 16);
        if (t.result === 'valid') {
          assert.ok(okm, `tc ${t.tcId}: refused a valid case`);
          assert.equal(hex(okm!), t.okm, `tc ${t.tcId}`);
          valid++;
        } else if (t.result === 'invalid') {
          assert.equal(okm, null, `tc ${t.tcId}: accepted an invalid case (${t.flags})`);
          invalid++;
        } else {
          acceptable++;
        }
      }
    }
    assert.equal(total, file.numberOfTests);
    assert.ok(valid > 0 && invalid > 0);
    console.log(`# ${a.file}: ${valid} valid matched, ${invalid} invalid rejected, ${acceptable} acceptable`);
  });

  test(`HKDF-${a.name}: equals node:crypto hkdfSync and @noble/hashes hkdf`, () => {
    for (const n of EDGE_LENGTHS) {
      const ikm = randomBytes(n);
      for (const saltLen of [0, 1, a.len, 64, 129]) {
        const salt = randomBytes(saltLen);
        const info = randomBytes((n * 7 + saltLen) % 300);
        for (const size of [1, a.len - 1, a.len, a.len + 1, 100, 255 * a.len]) {
          const ref = new Uint8Array(hkdfSync(a.name, ikm, salt, info, size));
          if (size <= 100) assert.equal(hex(nobleHkdf(a.noble, ikm, salt, info, size)), hex(ref), 'noble disagrees with node');
          const got = hkdf(a.id, a.len, ikm, salt, info, size, (n + size) % 16);
          assert.ok(got);
          assert.equal(hex(got!), hex(ref), `ikm ${n} salt ${saltLen} size ${size}`);
        }
      }
    }
  });

  test(`HKDF-${a.name}: refuses 255 * HashLen + 1 bytes, and an unknown hash id`, () => {
    assert.equal(hkdf(a.id, a.len, randomBytes(32), randomBytes(16), randomBytes(10), 255 * a.len + 1), null);
    assert.ok(hkdf(a.id, a.len, randomBytes(32), randomBytes(16), randomBytes(10), 255 * a.len));
    assert.equal(hkdf(9, a.len, randomBytes(32), randomBytes(16), randomBytes(10), 16), null);
  });

  test(`HKDF-Expand-Label / Derive-Secret ${a.name}: equal an independent HkdfLabel + HMAC reference`, () => {
    const secret = randomBytes(a.len);
    for (const label of ['key', 'iv', 'finished', 'c hs traffic', 'res master', 'x'.repeat(249)]) {
      for (const ctxLen of [0, 2, a.len, 255]) {
        const context = randomBytes(ctxLen);
        for (const size of [12, 16, 32, a.len, 100]) {
          const ref = refExpand(a.name, secret, hkdfLabel(label, context, size), size);
          const got = expandLabel(a.id, secret, label, context, size, (ctxLen + size) % 16);
          assert.ok(got, `label ${label.length} ctx ${ctxLen} size ${size}`);
          assert.equal(hex(got!), hex(ref));
        }
      }
      const th = randomBytes(a.len);
      assert.equal(hex(deriveSecret(a.id, a.len, secret, label, th)), hex(refExpand(a.name, secret, hkdfLabel(label, th, a.len), a.len)));
    }
    assert.equal(expandLabel(a.id, secret, 'x'.repeat(250), new Uint8Array(0), 16), null, 'label over 249 bytes');
    assert.equal(expandLabel(a.id, secret, 'key', randomBytes(256), 16), null, 'context over 255 bytes');
    assert.equal(expandLabel(a.id, secret, 'key', new Uint8Array(0), 65536), null, 'length over 65535');
  });
}

test('RFC 8448 section 3: the whole TLS_AES_128_GCM_SHA256 key schedule', () => {
  const trace = loadJson<any>('rfc8448', 'rfc8448-section3-simple-1rtt.json');
  const field = (s: any, name: string): Uint8Array | undefined => {
    const f = s.fields.find((f: any) => f.name === name);
    return f && f.hex !== undefined ? unhex(f.hex) : undefined;
  };
  const message = (name: string): Uint8Array => {
    const s = trace.steps.find((s: any) => s.step === `construct a${/^[AEIOU]/.test(name) ? 'n' : ''} ${name} handshake message` && field(s, name));
    assert.ok(s, `message ${name}`);
    return field(s, name)!;
  };

  // Transcript hashes after each handshake message, computed with one running
  // context in the module that is forked (copied) at every step.
  const flight = ['ClientHello', 'ServerHello', 'EncryptedExtensions', 'Certificate', 'CertificateVerify'];
  const msgs = flight.map(message);
  const finishedMsgs = trace.steps.filter((s: any) => s.step === 'construct a Finished handshake message').map((s: any) => field(s, 'Finished')!);
  assert.equal(finishedMsgs.length, 2);
  msgs.push(finishedMsgs[0], finishedMsgs[1]); // server Finished, then client Finished
  h.reset();
  const ctxSize = x.hash_ctx_size(SHA256);
  const ctx = h.alloc(ctxSize, 1);
  const fork = h.alloc(ctxSize, 2);
  const out = h.alloc(32, 3);
  x.hash_init(SHA256, ctx);
  const transcript: string[] = [];
  let all = new Uint8Array(0);
  for (const m of msgs) {
    const pm = h.put(m, 5);
    x.hash_update(SHA256, ctx, pm, m.length);
    h.mem.copyWithin(fork, ctx, ctx + ctxSize);
    x.hash_final(SHA256, fork, out);
    all = new Uint8Array([...all, ...m]);
    transcript.push(hex(h.read(out, 32)));
    assert.equal(transcript.at(-1), createHash('sha256').update(all).digest('hex'));
  }
  const emptyHash = createHash('sha256').digest('hex');

  let extracts = 0, expansions = 0, derives = 0, finishes = 0;
  for (const s of trace.steps) {
    if (s.step.startsWith('extract secret')) {
      const ikm = field(s, 'IKM'), secret = field(s, 'secret');
      if (!ikm || !secret) continue; // "(same as server ...)"
      const salt = field(s, 'salt') ?? new Uint8Array(0); // "0 (all zero octets)": the empty salt
      h.reset();
      const ps = h.put(salt, 1), pi = h.put(ikm, 2), po = h.alloc(32, 3);
      x.hkdf_extract(SHA256, ps, salt.length, pi, ikm.length, po);
      assert.equal(hex(h.read(po, 32)), hex(secret), s.step);
      extracts++;
      continue;
    }
    const prk = field(s, 'PRK');
    if (!prk) continue;
    // Every (info, expanded) pair in the step: "info"/"expanded", "key info"/"key expanded", "iv info"/"iv expanded".
    for (const prefix of ['', 'key ', 'iv ']) {
      const info = field(s, `${prefix}info`), expanded = field(s, `${prefix}expanded`);
      if (!info || !expanded) continue;
      // Parse the HkdfLabel the RFC shows and check it is what we would build.
      const length = (info[0] << 8) | info[1];
      const label = Buffer.from(info.subarray(3, 3 + info[2])).toString('latin1');
      const context = info.subarray(4 + info[2], 4 + info[2] + info[3 + info[2]]);
      assert.equal(length, expanded.length);
      assert.ok(label.startsWith('tls13 '), label);
      assert.equal(hex(hkdfLabel(label.slice(6), context, length)), hex(info));
      const got = expandLabel(SHA256, prk, label.slice(6), context, length, expansions % 16);
      assert.ok(got);
      assert.equal(hex(got!), hex(expanded), `${s.actor}: ${s.step} ${prefix}`);
      expansions++;
      if (prefix === '' && context.length === 32) {
        // A Derive-Secret: its transcript hash is one we computed above (or the empty hash).
        const ctxHex = hex(context);
        assert.ok(ctxHex === emptyHash || transcript.includes(ctxHex), `${s.step}: transcript hash ${ctxHex} not reproduced`);
        assert.equal(hex(deriveSecret(SHA256, 32, prk, label.slice(6), context)), hex(expanded), s.step);
        derives++;
      }
      const finished = field(s, 'finished');
      if (prefix === '' && finished) {
        // Finished = HMAC(finished_key, Transcript-Hash(... up to and including CertificateVerify / server Finished)).
        const th = unhex(transcript[s.actor === 'server' ? 4 : 5]);
        h.reset();
        const pk = h.put(expanded, 1), pt = h.put(th, 2), po = h.alloc(32, 3);
        x.hmac(SHA256, pk, 32, pt, 32, po);
        assert.equal(hex(h.read(po, 32)), hex(finished), `${s.actor} finished`);
        assert.equal(hex(finishedMsgs[s.actor === 'server' ? 0 : 1].subarray(4)), hex(finished));
        finishes++;
      }
    }
  }
  // 9 Derive-Secret + 2 finished keys + 1 resumption secret + 4 key/iv pairs.
  assert.deepEqual({ extracts, expansions, derives, finishes }, { extracts: 3, expansions: 20, derives: 9, finishes: 2 });
  console.log(`# RFC 8448 §3: ${extracts} extracts, ${expansions} Expand-Label (${derives} Derive-Secret), ${finishes} Finished, ${transcript.length} transcript hashes`);
});
