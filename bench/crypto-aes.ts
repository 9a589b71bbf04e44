// AES-GCM / AES-CCM throughput: tlsrt vs @noble/ciphers vs node:crypto.
//
// tlsrt rows call the wasm exports on data already in linear memory (the
// primitive is measured, not JS<->wasm copying), with a context keyed once
// up front as the TLS record layer does (gcm_init/ccm_init are not timed).
// noble and node get the same bytes as Uint8Arrays and build a cipher object
// per call as their APIs require (noble's per-call key expansion is noise at
// 16 KiB). node:crypto uses AES-NI + PCLMUL (hardware), so it is in another
// league; tlsrt is bitsliced constant-time AES without any tables, noble
// uses T-tables (fast but not constant-time).
//
// @noble/ciphers 2.4 has no CCM: its column for "AES-128-CCM seal" is the
// same work composed from noble's own modes, CBC-MAC (cbc, zero IV, no
// padding, over B0 || encoded AAD || padded payload) plus ctr for the
// payload and tag mask. It is a fair stand-in for what a noble-based CCM
// would cost, not a packaged noble API.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { gcm as nobleGcm, cbc as nobleCbc, ctr as nobleCtr } from '@noble/ciphers/aes.js';
import { Harness } from '../test/helpers/wasm.ts';
import { mbPerSec, type Row } from './harness.ts';

function nobleCcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLen: number): Uint8Array {
  const L = 15 - nonce.length;
  const aadEnc = aad.length ? 2 + aad.length : 0;
  const macIn = new Uint8Array(16 + Math.ceil(aadEnc / 16) * 16 + Math.ceil(pt.length / 16) * 16);
  macIn[0] = (aad.length ? 0x40 : 0) | (((tagLen - 2) / 2) << 3) | (L - 1);
  macIn.set(nonce, 1);
  for (let i = 0, v = pt.length; i < L; i++, v >>>= 8) macIn[15 - i] = v & 255;
  if (aad.length) {
    macIn[16] = aad.length >> 8;
    macIn[17] = aad.length & 255;
    macIn.set(aad, 18);
  }
  macIn.set(pt, 16 + Math.ceil(aadEnc / 16) * 16);
  const mac = nobleCbc(key, new Uint8Array(16), { disablePadding: true }).encrypt(macIn);
  const a0 = new Uint8Array(16);
  a0[0] = L - 1;
  a0.set(nonce, 1);
  const out = new Uint8Array(16 + pt.length);
  out.set(mac.subarray(mac.length - 16), 0);
  out.set(pt, 16);
  const x = nobleCtr(key, a0).encrypt(out); // S0 masks the tag, S1.. the payload
  const res = new Uint8Array(pt.length + tagLen);
  res.set(x.subarray(16), 0);
  res.set(x.subarray(0, tagLen), pt.length);
  return res;
}

export function rows(): Row[] {
  const h = new Harness('test');
  const x = h.x;
  const out: Row[] = [];
  const len = 16384;
  const nonce = randomBytes(12), aad = randomBytes(13), pt = randomBytes(len);
  const pn = h.put(nonce), pa = h.put(aad), pin = h.put(pt);
  const pct = h.alloc(len + 16), pout = h.alloc(len);

  for (const keyLen of [16, 32]) {
    const key = randomBytes(keyLen);
    const alg = `aes-${keyLen * 8}-gcm` as 'aes-128-gcm';
    const ctx = h.alloc(x.GCM_CTX_SIZE());
    const pk = h.put(key);
    x.gcm_init(ctx, pk, keyLen);
    x.gcm_seal(ctx, pn, 12, pa, aad.length, pin, len, pct, pct + len);
    const sealed = h.read(pct, len + 16);
    const ct = sealed.subarray(0, len), tag = sealed.subarray(len);
    const name = `AES-${keyLen * 8}-GCM`;
    out.push({
      name: `${name} seal 16 KiB`, unit: 'MB/s',
      tlsrt: mbPerSec(() => x.gcm_seal(ctx, pn, 12, pa, aad.length, pin, len, pct, pct + len), len),
      noble: mbPerSec(() => nobleGcm(key, nonce, aad).encrypt(pt), len),
      node: mbPerSec(() => {
        const c = createCipheriv(alg, key, nonce);
        c.setAAD(aad);
        c.update(pt);
        c.final();
        c.getAuthTag();
      }, len),
    });
    out.push({
      name: `${name} open 16 KiB`, unit: 'MB/s',
      tlsrt: mbPerSec(() => {
        if (x.gcm_open(ctx, pn, 12, pa, aad.length, pct, len, pout, pct + len, 16) !== 1) throw new Error('open failed');
      }, len),
      noble: mbPerSec(() => nobleGcm(key, nonce, aad).decrypt(sealed), len),
      node: mbPerSec(() => {
        const d = createDecipheriv(alg, key, nonce);
        d.setAAD(aad);
        d.setAuthTag(tag);
        d.update(ct);
        d.final();
      }, len),
    });
  }

  {
    const key = randomBytes(16);
    const ctx = h.alloc(x.CCM_CTX_SIZE());
    const pk = h.put(key);
    x.ccm_init(ctx, pk, 16);
    out.push({
      name: 'AES-128-CCM seal 16 KiB', unit: 'MB/s',
      tlsrt: mbPerSec(() => x.ccm_seal(ctx, pn, 12, pa, aad.length, pin, len, pct, pct + len, 16), len),
      noble: mbPerSec(() => nobleCcmSeal(key, nonce, aad, pt, 16), len),
      node: mbPerSec(() => {
        const c = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: 16 });
        c.setAAD(aad, { plaintextLength: len });
        c.update(pt);
        c.final();
        c.getAuthTag();
      }, len),
    });
    const iv = randomBytes(16);
    iv.writeUInt32BE(0, 12); // no 32-bit counter wrap inside a message: same keystream as node's 128-bit counter
    const pctr = h.put(iv);
    out.push({
      name: 'AES-128-CTR 16 KiB', unit: 'MB/s',
      tlsrt: mbPerSec(() => {
        h.mem.set(iv, pctr);
        x.aes_ctr32_xor(ctx, pctr, pin, pout, len);
      }, len),
      noble: mbPerSec(() => nobleCtr(key, iv).encrypt(pt), len),
      node: mbPerSec(() => {
        const c = createCipheriv('aes-128-ctr', key, iv);
        c.update(pt);
        c.final();
      }, len),
    });
  }
  return out;
}
