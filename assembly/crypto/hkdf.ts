// HKDF (RFC 5869) and the TLS 1.3 key schedule helpers HKDF-Expand-Label and
// Derive-Secret (RFC 8446 §7.1), over the hashes of hash.ts.
//
// Why it is built this way
// - Extract is one HMAC call; an empty salt is replaced by HashLen zero bytes
//   as RFC 5869 §2.2 says (the same HMAC key after zero padding, but explicit).
// - Expand keys one HMAC context with the PRK once and copies it for every
//   output block T(i) = HMAC(PRK, T(i-1) | info | i), so the PRK is absorbed
//   once instead of once per block. The keyed context and T live in static
//   scratch and are wiped before returning.
// - Expand-Label builds the HkdfLabel structure
//   (uint16 length, opaque label<7..255> = "tls13 " + label, opaque context<0..255>)
//   in a static scratch buffer; labels and transcript hashes are public.
// - Failure is a return code (0), never a trap: expand refuses outLen >
//   255 * HashLen or an unknown hash id; Expand-Label also refuses a label
//   longer than 249 bytes (255 with the prefix), a context over 255 bytes or
//   outLen over 65535. On failure nothing is written to `out`.
//
// Aliasing: `out` may overlap the PRK/secret; it must not overlap `info` (or
// the label/context) when more than one hash block of output is requested.
import { ct_equal, wipe } from "./ct";
import { HASH_SHA256, HASH_MAX_LEN, hash_len } from "./hash";
import { hmac, hmac_init, hmac_update, hmac_final, HMAC_CTX_SIZE } from "./hmac";

// HashLen zero bytes: the salt used when the caller gives none.
// @ts-ignore: decorator
@lazy const HKDF_ZEROS = memory.data(48, 8);
// HMAC context keyed with the PRK, the per-block working copy, T(i) and the counter octet.
// @ts-ignore: decorator
@lazy const HKDF_KEYED = memory.data(408, 8);
// @ts-ignore: decorator
@lazy const HKDF_WORK = memory.data(408, 8);
// @ts-ignore: decorator
@lazy const HKDF_T = memory.data(48, 8);
// @ts-ignore: decorator
@lazy const HKDF_CTR = memory.data(8, 8);
// HkdfLabel: 2 + 1 + 255 + 1 + 255 bytes at most; wiped after each expansion.
// @ts-ignore: decorator
@lazy const HKDF_LABEL = memory.data(514, 8);

/** PRK = HMAC-Hash(salt, IKM) into hash_len(alg) bytes at `outPrk`; saltLen 0 means HashLen zeros. */
export function hkdf_extract(alg: i32, salt: usize, saltLen: usize, ikm: usize, ikmLen: usize, outPrk: usize): void {
  if (saltLen == 0) {
    salt = HKDF_ZEROS;
    saltLen = hash_len(alg);
  }
  hmac(alg, salt, saltLen, ikm, ikmLen, outPrk);
}

/**
 * OKM = first `outLen` bytes of T(1) | T(2) | ... into `out`.
 * Returns 1, or 0 (writing nothing) if outLen > 255 * HashLen or `alg` is unknown.
 */
export function hkdf_expand(alg: i32, prk: usize, prkLen: usize, info: usize, infoLen: usize, out: usize, outLen: usize): i32 {
  let hashLen = hash_len(alg);
  if (hashLen == 0 || outLen > 255 * hashLen) return 0;
  hmac_init(HKDF_KEYED, alg, prk, prkLen);
  const ok = hkdf_expand_keyed(alg, HKDF_KEYED, info, infoLen, out, outLen);
  memory.fill(HKDF_KEYED, 0, HMAC_CTX_SIZE);
  return ok;
}

/**
 * HKDF-Expand with the PRK already keyed into the HMAC context at `keyed`
 * (hmac_init; left as it is, the caller wipes it): several expansions of one
 * secret then share its two keying compressions. Returns as hkdf_expand.
 */
export function hkdf_expand_keyed(alg: i32, keyed: usize, info: usize, infoLen: usize, out: usize, outLen: usize): i32 {
  let hashLen = hash_len(alg);
  if (hashLen == 0 || outLen > 255 * hashLen) return 0;
  let tLen: usize = 0;
  let done: usize = 0;
  let counter: u32 = 1;
  while (done < outLen) {
    memory.copy(HKDF_WORK, keyed, HMAC_CTX_SIZE);
    hmac_update(HKDF_WORK, HKDF_T, tLen);
    hmac_update(HKDF_WORK, info, infoLen);
    store<u8>(HKDF_CTR, <u8>counter);
    hmac_update(HKDF_WORK, HKDF_CTR, 1);
    hmac_final(HKDF_WORK, HKDF_T);
    tLen = hashLen;
    let n = outLen - done;
    if (n > hashLen) n = hashLen;
    memory.copy(out + done, HKDF_T, n);
    done += n;
    counter++;
  }
  memory.fill(HKDF_T, 0, HASH_MAX_LEN);
  store<u8>(HKDF_CTR, 0); // public, but the module's static data ends each call as it began
  return 1;
}

/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446 §7.1. `label`
 * excludes the "tls13 " prefix, which is added here; the secret is
 * hash_len(alg) bytes. Returns 1, or 0 (writing nothing) on a bad length.
 */
export function hkdf_expand_label(
  alg: i32, secret: usize, label: usize, labelLen: usize, context: usize, contextLen: usize, out: usize, outLen: usize,
): i32 {
  const infoLen = hkdf_label(label, labelLen, context, contextLen, outLen);
  if (infoLen == 0) return 0;
  const ok = hkdf_expand(alg, secret, hash_len(alg), HKDF_LABEL, infoLen, out, outLen);
  wipe(HKDF_LABEL, infoLen); // its context is a transcript hash
  return ok;
}

/** hkdf_expand_label with the secret already keyed into the HMAC context at `keyed` (see hkdf_expand_keyed). */
export function hkdf_expand_label_keyed(
  alg: i32, keyed: usize, label: usize, labelLen: usize, context: usize, contextLen: usize, out: usize, outLen: usize,
): i32 {
  const infoLen = hkdf_label(label, labelLen, context, contextLen, outLen);
  if (infoLen == 0) return 0;
  const ok = hkdf_expand_keyed(alg, keyed, HKDF_LABEL, infoLen, out, outLen);
  wipe(HKDF_LABEL, infoLen);
  return ok;
}

/** Writes the HkdfLabel structure to HKDF_LABEL; returns its length, or 0 on a bad length. */
function hkdf_label(label: usize, labelLen: usize, context: usize, contextLen: usize, outLen: usize): usize {
  if (labelLen > 249 || contextLen > 255 || outLen > 0xffff) return 0;
  let q = HKDF_LABEL;
  store<u8>(q, <u8>(outLen >> 8), 0);
  store<u8>(q, <u8>outLen, 1);
  store<u8>(q, <u8>(6 + labelLen), 2);
  // "tls13 "
  store<u8>(q, 0x74, 3);
  store<u8>(q, 0x6c, 4);
  store<u8>(q, 0x73, 5);
  store<u8>(q, 0x31, 6);
  store<u8>(q, 0x33, 7);
  store<u8>(q, 0x20, 8);
  memory.copy(q + 9, label, labelLen);
  q += 9 + labelLen;
  store<u8>(q, <u8>contextLen);
  memory.copy(q + 1, context, contextLen);
  return 9 + labelLen + 1 + contextLen;
}

/**
 * Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length): `transcriptHash` is the
 * hash_len(alg)-byte transcript hash, the result hash_len(alg) bytes at `out`.
 */
export function derive_secret(alg: i32, secret: usize, label: usize, labelLen: usize, transcriptHash: usize, out: usize): i32 {
  let hashLen = hash_len(alg);
  return hkdf_expand_label(alg, secret, label, labelLen, transcriptHash, hashLen, out, hashLen);
}

/** derive_secret with the secret already keyed into the HMAC context at `keyed` (see hkdf_expand_keyed). */
export function derive_secret_keyed(alg: i32, keyed: usize, label: usize, labelLen: usize, transcriptHash: usize, out: usize): i32 {
  let hashLen = hash_len(alg);
  return hkdf_expand_label_keyed(alg, keyed, label, labelLen, transcriptHash, hashLen, out, hashLen);
}

// Boot known answers: RFC 8448 §3, the server's early secret
// (HKDF-Extract(0, 0^32)) and Derive-Secret(early, "derived", SHA-256("")).
// @ts-ignore: decorator
@lazy const ST_ZERO_IKM = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const ST_EARLY = memory.data<u8>([0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68, 0x0c, 0xe2, 0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10, 0xf1, 0x70, 0xf9, 0x2a]);
// @ts-ignore: decorator
@lazy const ST_DERIVED_LABEL = memory.data<u8>([0x64, 0x65, 0x72, 0x69, 0x76, 0x65, 0x64]);
// @ts-ignore: decorator
@lazy const ST_EMPTY_HASH = memory.data<u8>([0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55]);
// @ts-ignore: decorator
@lazy const ST_DERIVED = memory.data<u8>([0x6f, 0x26, 0x15, 0xa1, 0x08, 0xc7, 0x02, 0xc5, 0x67, 0x8f, 0x54, 0xfc, 0x9d, 0xba, 0xb6, 0x97, 0x16, 0xc0, 0x76, 0x18, 0x9c, 0x48, 0x25, 0x0c, 0xeb, 0xea, 0xc3, 0x57, 0x6c, 0x36, 0x11, 0xba]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(32, 8);

/** Known-answer test run at boot. */
export function hkdf_selftest(): bool {
  hkdf_extract(HASH_SHA256, 0, 0, ST_ZERO_IKM, 32, ST_OUT);
  let ok = ct_equal(ST_OUT, ST_EARLY, 32);
  ok &= derive_secret(HASH_SHA256, ST_EARLY, ST_DERIVED_LABEL, 7, ST_EMPTY_HASH, ST_OUT);
  ok &= ct_equal(ST_OUT, ST_DERIVED, 32);
  return ok == 1;
}
