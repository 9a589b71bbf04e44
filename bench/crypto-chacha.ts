// ChaCha20-Poly1305 (RFC 8439) throughput: tlsrt vs @noble/ciphers vs node:crypto.
//
// tlsrt rows call the wasm exports on data that is already in linear memory
// (the primitive, not the JS<->wasm copying, is measured). noble and node get
// the same bytes as Uint8Arrays and allocate their outputs as they normally
// do; noble gets a fresh cipher object per call (it refuses to encrypt twice
// with one key+nonce), which is also what a TLS record layer would do.
// node:crypto has no stand-alone Poly1305, so that cell is NaN.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chacha20poly1305 as nobleAead, chacha20 as nobleChacha } from '@noble/ciphers/chacha.js';
import { poly1305 as noblePoly } from '@noble/ciphers/_poly1305.js';
import { Harness } from '../test/helpers/wasm.ts';
import { mbPerSec, opsPerSec, type Row } from './harness.ts';

export function rows(): Row[] {
  const h = new Harness('test');
  const x = h.x;
  const out: Row[] = [];

  const key = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(13);
  const pk = h.put(key), pn = h.put(nonce), pa = h.put(aad);

  for (const len of [16384, 64]) {
    const pt = randomBytes(len);
    const pin = h.put(pt);
    const pct = h.alloc(len + 16);
    const pout = h.alloc(len);
    x.chacha20poly1305_seal(pk, pn, pa, aad.length, pin, len, pct, pct + len);
    const sealed = h.read(pct, len + 16);
    const ct = sealed.subarray(0, len), tag = sealed.subarray(len);

    const nodeSeal = () => {
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      c.setAAD(aad, { plaintextLength: len });
      c.update(pt);
      c.final();
      c.getAuthTag();
    };
    const nodeOpen = () => {
      const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      d.setAAD(aad, { plaintextLength: len });
      d.setAuthTag(tag);
      d.update(ct);
      d.final();
    };
    const tlsSeal = () => x.chacha20poly1305_seal(pk, pn, pa, aad.length, pin, len, pct, pct + len);
    const tlsOpen = () => {
      if (x.chacha20poly1305_open(pk, pn, pa, aad.length, pct, len, pout, pct + len) !== 1) throw new Error('open failed');
    };

    if (len >= 1024) {
      const size = `${len / 1024} KiB`;
      out.push({ name: `ChaCha20-Poly1305 seal ${size}`, unit: 'MB/s', tlsrt: mbPerSec(tlsSeal, len), noble: mbPerSec(() => nobleAead(key, nonce, aad).encrypt(pt), len), node: mbPerSec(nodeSeal, len) });
      out.push({ name: `ChaCha20-Poly1305 open ${size}`, unit: 'MB/s', tlsrt: mbPerSec(tlsOpen, len), noble: mbPerSec(() => nobleAead(key, nonce, aad).decrypt(sealed), len), node: mbPerSec(nodeOpen, len) });
    } else {
      out.push({ name: `ChaCha20-Poly1305 seal ${len} B`, unit: 'ops/s', tlsrt: opsPerSec(tlsSeal), noble: opsPerSec(() => nobleAead(key, nonce, aad).encrypt(pt)), node: opsPerSec(nodeSeal) });
      out.push({ name: `ChaCha20-Poly1305 open ${len} B`, unit: 'ops/s', tlsrt: opsPerSec(tlsOpen), noble: opsPerSec(() => nobleAead(key, nonce, aad).decrypt(sealed)), node: opsPerSec(nodeOpen) });
    }
  }

  const len = 16384;
  const msg = randomBytes(len);
  const pm = h.put(msg), po = h.alloc(len), ptag = h.alloc(16);
  const iv = Buffer.alloc(16);
  iv.writeUInt32LE(1, 0);
  iv.set(nonce, 4);
  out.push({
    name: 'ChaCha20 16 KiB',
    unit: 'MB/s',
    tlsrt: mbPerSec(() => x.chacha20_xor(pk, 1, pn, pm, po, len), len),
    noble: mbPerSec(() => nobleChacha(key, nonce, msg, undefined, 1), len),
    node: mbPerSec(() => {
      const c = createCipheriv('chacha20', key, iv);
      c.update(msg);
      c.final();
    }, len),
  });
  out.push({
    name: 'Poly1305 16 KiB',
    unit: 'MB/s',
    tlsrt: mbPerSec(() => x.poly1305(pk, pm, len, ptag), len),
    noble: mbPerSec(() => noblePoly(msg, key), len),
    node: NaN,
  });
  return out;
}
