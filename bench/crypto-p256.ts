// P-256 ECDH (secp256r1): operations per second, tlsrt vs @noble/curves vs
// node:crypto, on the same keys in the same run.
//
// One "ECDH" operation is what each side of a TLS handshake does with the
// group: make a key pair from a fresh private key (keygen) and compute the
// shared x-coordinate with the peer's public key (shared), peer validation
// included. tlsrt rows call p256_keygen()/p256_shared() on bytes already in
// wasm linear memory; noble gets the same bytes as Uint8Arrays; node uses
// createECDH('prime256v1') (OpenSSL): generateKeys() then computeSecret().
// The keygen and shared rows are also given alone.
import { createECDH, randomBytes } from 'node:crypto';
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import { Harness } from '../test/helpers/wasm.ts';
import { opsPerSec, type Row } from './harness.ts';

export function rows(): Row[] {
  const h = new Harness('test');
  const x = h.x;

  const sk = nobleP256.utils.randomSecretKey();
  const peer = nobleP256.getPublicKey(nobleP256.utils.randomSecretKey(), false);
  const psk = h.put(sk), ppeer = h.put(peer), ppub = h.alloc(65), pout = h.alloc(32);
  const nodeKey = createECDH('prime256v1');
  nodeKey.setPrivateKey(Buffer.from(sk));
  const peerBuf = Buffer.from(peer);

  const tlsrtKeygen = () => {
    if (x.p256_keygen(ppub, psk) !== 1) throw new Error('p256_keygen failed');
  };
  const tlsrtShared = () => {
    if (x.p256_shared(pout, psk, ppeer, 65) !== 1) throw new Error('p256_shared failed');
  };
  return [
    {
      name: 'P-256 ECDH (keygen + shared)',
      unit: 'ops/s',
      tlsrt: opsPerSec(() => {
        h.mem.set(randomBytes(32), psk); // a fresh key each time, as a handshake draws one
        tlsrtKeygen();
        tlsrtShared();
      }, 1000),
      noble: opsPerSec(() => {
        const k = nobleP256.utils.randomSecretKey();
        nobleP256.getPublicKey(k, false);
        nobleP256.getSharedSecret(k, peer, true);
      }, 1000),
      node: opsPerSec(() => {
        const e = createECDH('prime256v1');
        e.generateKeys();
        e.computeSecret(peerBuf);
      }, 1000),
    },
    {
      name: 'P-256 keygen (public key)',
      unit: 'ops/s',
      tlsrt: opsPerSec(tlsrtKeygen, 600),
      noble: opsPerSec(() => nobleP256.getPublicKey(sk, false), 600),
      node: opsPerSec(() => createECDH('prime256v1').setPrivateKey(Buffer.from(sk)), 600),
    },
    {
      name: 'P-256 shared secret',
      unit: 'ops/s',
      tlsrt: opsPerSec(tlsrtShared, 600),
      noble: opsPerSec(() => nobleP256.getSharedSecret(sk, peer, true), 600),
      node: opsPerSec(() => nodeKey.computeSecret(peerBuf), 600),
    },
  ];
}
