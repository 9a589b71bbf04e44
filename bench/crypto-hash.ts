// SHA-256 / SHA-384 throughput and HMAC / HKDF-Expand-Label operation rates:
// tlsrt vs @noble/hashes vs node:crypto.
//
// tlsrt rows call the wasm exports on data that is already in linear memory
// (the primitive, not the JS<->wasm copying, is measured); noble and node hash
// the same bytes from Uint8Arrays and allocate their digests as they normally
// do. The HKDF-Expand-Label row is one TLS 1.3 traffic-key derivation
// ("key", empty context, 16 bytes): noble has no Expand-Label, so its cell
// runs @noble/hashes' expand() on the same HkdfLabel bytes; node:crypto has
// no expand-only HKDF, so its cell is NaN.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { expand as nobleExpand } from '@noble/hashes/hkdf.js';
import { Harness } from '../test/helpers/wasm.ts';
import { mbPerSec, opsPerSec, type Row } from './harness.ts';

export function rows(): Row[] {
  const h = new Harness('test');
  const x = h.x;
  const out: Row[] = [];

  const hashes = [
    { label: 'SHA-256', fn: x.sha256 as (p: number, n: number, o: number) => void, noble: nobleSha256, node: 'sha256' },
    { label: 'SHA-384', fn: x.sha384 as (p: number, n: number, o: number) => void, noble: nobleSha384, node: 'sha384' },
  ];
  for (const a of hashes) {
    for (const [len, name] of [[16384, '16 KiB'], [1 << 20, '1 MiB']] as const) {
      h.reset();
      const msg = randomBytes(len);
      const pm = h.put(msg);
      const po = h.alloc(64);
      out.push({
        name: `${a.label} ${name}`,
        unit: 'MB/s',
        tlsrt: mbPerSec(() => a.fn(pm, len, po), len),
        noble: mbPerSec(() => a.noble(msg), len),
        node: mbPerSec(() => createHash(a.node).update(msg).digest(), len),
      });
    }
  }

  // HMAC-SHA-256 of a 32-byte message under a 32-byte key: the shape of TLS
  // Finished / binder MACs and of every HKDF block.
  {
    h.reset();
    const key = randomBytes(32), msg = randomBytes(32);
    const pk = h.put(key), pm = h.put(msg), po = h.alloc(32);
    const id = x.HASH_SHA256.value;
    out.push({
      name: 'HMAC-SHA-256 32 B',
      unit: 'ops/s',
      tlsrt: opsPerSec(() => x.hmac(id, pk, 32, pm, 32, po)),
      noble: opsPerSec(() => nobleHmac(nobleSha256, key, msg)),
      node: opsPerSec(() => createHmac('sha256', key).update(msg).digest()),
    });
  }

  // HKDF-Expand-Label(secret, "key", "", 16): one traffic-key derivation.
  {
    h.reset();
    const secret = randomBytes(32);
    const label = new TextEncoder().encode('key');
    const ps = h.put(secret), pl = h.put(label), po = h.alloc(16);
    const info = new Uint8Array([0, 16, 9, ...new TextEncoder().encode('tls13 key'), 0]);
    const id = x.HASH_SHA256.value;
    out.push({
      name: 'HKDF-Expand-Label SHA-256 16 B',
      unit: 'ops/s',
      tlsrt: opsPerSec(() => x.hkdf_expand_label(id, ps, pl, 3, 0, 0, po, 16)),
      noble: opsPerSec(() => nobleExpand(nobleSha256, secret, info, 16)),
      node: NaN,
    });
  }
  return out;
}
