// X25519 (RFC 7748): shared-secret and public-key operations per second,
// tlsrt vs @noble/curves vs node:crypto.
//
// tlsrt rows call x25519()/x25519_base() on a scalar and point already in
// wasm linear memory (the primitive, not the JS<->wasm copying, is measured).
// noble gets the same bytes as Uint8Arrays. node:crypto works on KeyObjects:
// the shared-secret row calls diffieHellman() on KeyObjects built once
// (OpenSSL's X25519 plus Node's call overhead); the public-key row calls
// generateKeyPairSync('x25519'), i.e. a fresh random scalar and its public
// key, which is what a TLS client does once per handshake (node has no
// "public key from these 32 bytes" call that does not also parse DER).
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { Harness } from '../test/helpers/wasm.ts';
import { opsPerSec, type Row } from './harness.ts';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export function rows(): Row[] {
  const h = new Harness('test');
  const x = h.x;

  const sk = randomBytes(32);
  const peer = nobleX25519.getPublicKey(randomBytes(32));
  const psk = h.put(sk), ppeer = h.put(peer), pout = h.alloc(32);

  const nodePriv = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, sk]), format: 'der', type: 'pkcs8' });
  const nodePeer = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, peer]), format: 'der', type: 'spki' });

  return [
    {
      name: 'X25519 shared secret',
      unit: 'ops/s',
      tlsrt: opsPerSec(() => {
        if (x.x25519(pout, psk, ppeer) !== 1) throw new Error('x25519 failed');
      }, 1000),
      noble: opsPerSec(() => nobleX25519.scalarMult(sk, peer), 1000),
      node: opsPerSec(() => diffieHellman({ privateKey: nodePriv, publicKey: nodePeer }), 1000),
    },
    {
      name: 'X25519 public key (base point)',
      unit: 'ops/s',
      tlsrt: opsPerSec(() => {
        if (x.x25519_base(pout, psk) !== 1) throw new Error('x25519_base failed');
      }, 1000),
      noble: opsPerSec(() => nobleX25519.getPublicKey(sk), 1000),
      node: opsPerSec(() => generateKeyPairSync('x25519'), 1000),
    },
  ];
}
