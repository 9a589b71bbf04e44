// Everything a TLS 1.3 PSK connection's secrets lead to, derived outside the
// engine with node:crypto (RFC 8446 §7.1-7.3, RFC 5869): the key schedule
// from the PSK, each traffic secret's key, IV, finished key, the next
// generations after KeyUpdate, per-record nonces, the AEAD's own derived
// values (GCM's H, ChaCha20-Poly1305's one-time Poly1305 keys, CCM/GCM
// counter blocks share the nonce), and the HMAC pads a secret leaves when it
// keys an HMAC. test/engine/memory-after-close.test.ts scans memory for them.
import { createHmac, createHash, createCipheriv, createPrivateKey, createPublicKey, diffieHellman, createECDH } from 'node:crypto';
import type { Secrets } from './memory-scan.ts';

export type Hash = 'sha256' | 'sha384';

export interface SuiteParams { id: number; name: string; hash: Hash; keyLen: number; aead: 'gcm' | 'chacha' | 'ccm' }

export const SUITE_PARAMS: readonly SuiteParams[] = [
  { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', hash: 'sha256', keyLen: 16, aead: 'gcm' },
  { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', hash: 'sha384', keyLen: 32, aead: 'gcm' },
  { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', hash: 'sha256', keyLen: 32, aead: 'chacha' },
  { id: 0x1304, name: 'TLS_AES_128_CCM_SHA256', hash: 'sha256', keyLen: 16, aead: 'ccm' },
  { id: 0x1305, name: 'TLS_AES_128_CCM_8_SHA256', hash: 'sha256', keyLen: 16, aead: 'ccm' },
];

export const hashLen = (h: Hash): number => (h === 'sha256' ? 32 : 48);
const blockLen = (h: Hash): number => (h === 'sha256' ? 64 : 128);

export const hmac = (h: Hash, key: Uint8Array, data: Uint8Array): Buffer => createHmac(h, key).update(data).digest();
export const digest = (h: Hash, data: Uint8Array): Buffer => createHash(h).update(data).digest();
export const extract = (h: Hash, salt: Uint8Array, ikm: Uint8Array): Buffer => hmac(h, salt, ikm);

export function expand(h: Hash, prk: Uint8Array, info: Uint8Array, len: number): Buffer {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < len; i++) {
    t = hmac(h, prk, Buffer.concat([t, info, Buffer.from([i])]));
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, len);
}

export function expandLabel(h: Hash, secret: Uint8Array, label: string, context: Uint8Array, len: number): Buffer {
  const l = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([len >> 8, len & 0xff, l.length]), l, Buffer.from([context.length]), context]);
  return expand(h, secret, info, len);
}

export const deriveSecret = (h: Hash, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Buffer =>
  expandLabel(h, secret, label, transcriptHash, hashLen(h));

/** A secret XORed with HMAC's inner and outer pads, as an HMAC keyed with it holds it (keys up to one block). */
export function addHmacPads(out: Secrets, name: string, h: Hash, key: Uint8Array): void {
  if (key.length > blockLen(h)) return;
  for (const [pad, which] of [[0x36, 'ipad'], [0x5c, 'opad']] as const) out.add(`${name} ^ ${which}`, Buffer.from(key).map((b) => b ^ pad));
}

/** The 12-byte nonces of records 0..count-1 under `iv` (RFC 8446 §5.3). */
export function nonces(iv: Uint8Array, count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let seq = 0; seq < count; seq++) {
    const n = Buffer.from(iv);
    for (let i = 0; i < 8; i++) n[11 - i] ^= Number((BigInt(seq) >> BigInt(8 * i)) & 0xffn);
    out.push(n);
  }
  return out;
}

/**
 * A traffic secret and all it leads to: key, IV, finished key, HMAC pads,
 * nonces of its first `records` records and the AEAD's per-key or per-record
 * values; then the next `generations` secrets ("traffic upd") likewise.
 */
export function addTrafficSecret(out: Secrets, name: string, s: SuiteParams, secret: Uint8Array, records = 24, generations = 2): void {
  const h = s.hash;
  let cur = Buffer.from(secret);
  for (let g = 0; g <= generations; g++) {
    const n = g === 0 ? name : `${name} (after ${g} KeyUpdate${g > 1 ? 's' : ''})`;
    out.add(n, cur);
    addHmacPads(out, n, h, cur);
    const key = out.add(`${n} key`, expandLabel(h, cur, 'key', new Uint8Array(0), s.keyLen));
    const iv = out.add(`${n} iv`, expandLabel(h, cur, 'iv', new Uint8Array(0), 12));
    const fk = out.add(`${n} finished key`, expandLabel(h, cur, 'finished', new Uint8Array(0), hashLen(h)));
    addHmacPads(out, `${n} finished key`, h, fk);
    if (s.aead === 'gcm') {
      const c = createCipheriv(s.keyLen === 16 ? 'aes-128-ecb' : 'aes-256-ecb', key, null).setAutoPadding(false);
      out.add(`${n} GCM H`, c.update(Buffer.alloc(16)));
    }
    nonces(iv, records).forEach((nonce, seq) => {
      out.add(`${n} nonce #${seq}`, nonce);
      if (s.aead === 'gcm') {
        // E(K, J0), the tag mask.
        const j0 = Buffer.concat([nonce, Buffer.from([0, 0, 0, 1])]);
        const c = createCipheriv(s.keyLen === 16 ? 'aes-128-ecb' : 'aes-256-ecb', key, null).setAutoPadding(false);
        out.add(`${n} E(K, J0) #${seq}`, c.update(j0));
      } else if (s.aead === 'chacha') {
        // The one-time Poly1305 key: ChaCha20 block 0 (RFC 8439 §2.6).
        const c = createCipheriv('chacha20', key, Buffer.concat([Buffer.alloc(4), nonce]));
        out.add(`${n} Poly1305 key #${seq}`, c.update(Buffer.alloc(32)));
      }
    });
    cur = expandLabel(h, cur, 'traffic upd', new Uint8Array(0), hashLen(h));
  }
}

export type Group = 'x25519' | 'secp256r1';

/** The (EC)DH shared secret of private key `a` with the public key of private key `b`, or null when either is no key of the group. */
function sharedSecret(group: Group, a: Uint8Array, b: Uint8Array): Buffer | null {
  if (group === 'x25519') {
    const key = (priv: Uint8Array) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), priv]), format: 'der', type: 'pkcs8' });
    const shared = diffieHellman({ privateKey: key(a), publicKey: createPublicKey(key(b)) });
    return shared.every((x) => x === 0) ? null : shared;
  }
  try {
    const ea = createECDH('prime256v1');
    ea.setPrivateKey(Buffer.from(a));
    const eb = createECDH('prime256v1');
    eb.setPrivateKey(Buffer.from(b));
    return ea.computeSecret(eb.getPublicKey());
  } catch {
    return null; // not a scalar in [1, n-1]: the engine drew again
  }
}

/**
 * The key schedule from the PSK (early secret, binder key and its finished
 * key, the "derived" steps, handshake and master secret for psk_ke, and for
 * psk_dhe_ke for every pair of candidate private keys of the two sides on
 * the group: each side's random 32-byte draws, among them its key share).
 * Returns the candidate handshake secrets, for the caller to check one is the engine's.
 */
export function addKeySchedule(out: Secrets, s: SuiteParams, psk: Uint8Array, dhe: { group?: Group; client: Uint8Array[]; server: Uint8Array[] } | null): Buffer[] {
  const h = s.hash;
  const hl = hashLen(h);
  const zeros = Buffer.alloc(hl);
  const emptyHash = digest(h, new Uint8Array(0));
  addHmacPads(out, 'PSK', h, psk);
  const early = out.add('early secret', extract(h, zeros, psk));
  addHmacPads(out, 'early secret', h, early);
  const binderKey = out.add('binder key', deriveSecret(h, early, 'ext binder', emptyHash));
  addHmacPads(out, 'binder key', h, binderKey);
  const bfk = out.add('binder finished key', expandLabel(h, binderKey, 'finished', new Uint8Array(0), hl));
  addHmacPads(out, 'binder finished key', h, bfk);
  const derived = out.add('derived (early)', deriveSecret(h, early, 'derived', emptyHash));
  addHmacPads(out, 'derived (early)', h, derived);
  const handshakeSecrets: Buffer[] = [];
  const stage = (name: string, ikm: Uint8Array) => {
    const hs = extract(h, derived, ikm);
    handshakeSecrets.push(hs);
    out.add(`handshake secret${name}`, hs);
    addHmacPads(out, `handshake secret${name}`, h, hs);
    const d2 = out.add(`derived (handshake)${name}`, deriveSecret(h, hs, 'derived', emptyHash));
    addHmacPads(out, `derived (handshake)${name}`, h, d2);
    const ms = out.add(`master secret${name}`, extract(h, d2, zeros));
    addHmacPads(out, `master secret${name}`, h, ms);
  };
  if (!dhe) {
    stage('', zeros);
    return handshakeSecrets;
  }
  const group = dhe.group ?? 'x25519';
  dhe.client.forEach((c, i) => out.add(`client random draw #${i} (${group} private key candidate)`, c));
  dhe.server.forEach((c, i) => out.add(`server random draw #${i} (${group} private key candidate)`, c));
  for (const [i, c] of dhe.client.entries()) {
    for (const [j, sv] of dhe.server.entries()) {
      const shared = sharedSecret(group, c, sv);
      if (!shared) continue;
      out.add(`${group} shared secret (client draw #${i}, server draw #${j})`, shared);
      addHmacPads(out, `${group} shared secret #${i}/${j}`, h, shared);
      stage(` (ECDHE draws #${i}/${j})`, shared);
    }
  }
  return handshakeSecrets;
}
