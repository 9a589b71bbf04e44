// TLS 1.3 key schedule (RFC 8446 §7.1), as stateless steps over caller
// buffers. The handshake drives it stage by stage:
//
//   early     = Extract(0, PSK)                      ks_early
//   binderKey = Derive-Secret(early, "ext binder","") ks_derive(..., L_EXT_BINDER, emptyHash)
//   handshake = Extract(Derive(early,"derived",""), ECDHE or 0)   ks_next_stage
//   master    = Extract(Derive(handshake,"derived",""), 0)        ks_next_stage
//   traffic secrets = Derive-Secret(stage, label, transcript hash) ks_derive
//   key/iv    = Expand-Label(secret, "key"/"iv", "", len)          ks_traffic_keys
//   Finished  = HMAC(Expand-Label(base, "finished", "", Hash.len), transcript hash)
//
// All secrets are at most 48 bytes (SHA-384). Intermediates live in a static
// scratch area that is wiped before every return.
import { hash_len, hash_digest } from "../crypto/hash";
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
import { hkdf_extract, hkdf_expand_label, hkdf_expand_label_keyed, derive_secret, derive_secret_keyed } from "../crypto/hkdf";
import { hmac, hmac_init, HMAC_CTX_SIZE } from "../crypto/hmac";
import { wipe } from "../crypto/ct";
import { L_DERIVED, L_DERIVED_LEN, L_KEY, L_KEY_LEN, L_IV, L_IV_LEN, L_FINISHED, L_FINISHED_LEN,
  L_TRAFFIC_UPD, L_TRAFFIC_UPD_LEN, L_EXPORTER, L_EXPORTER_LEN } from "./labels";

/** Largest hash output we handle (SHA-384). */
export const MAX_HASH: usize = 48;
/** Every TLS 1.3 AEAD uses a 12-byte per-record nonce. */
export const IV_LEN: usize = 12;

const ZEROS = memory.data(48);
const SCRATCH = memory.data(3 * 48);

// SHA-256("") and SHA-384("") (FIPS 180-4). Derive-Secret over no messages
// needs them three times a handshake (binder key, two "derived" steps): a
// constant instead of a compression each time. The boot self-test of
// hkdf.ts and the RFC 8448 key-schedule tests cover them.
const EMPTY_SHA256 = memory.data<u8>([
  0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
  0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
]);
const EMPTY_SHA384 = memory.data<u8>([
  0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a,
  0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda,
  0x27, 0x4e, 0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
]);

/** Hash of the empty string for `alg` into `out` (Derive-Secret with no messages). */
export function empty_hash(alg: i32, out: usize): void {
  if (alg == HASH_SHA256) memory.copy(out, EMPTY_SHA256, 32);
  else if (alg == HASH_SHA384) memory.copy(out, EMPTY_SHA384, 48);
  else hash_digest(alg, 0, 0, out);
}

// One secret keyed into an HMAC context for several Derive-Secret or
// Expand-Label steps in a row (ks_key ... ks_unkey, within one engine call:
// the context is static scratch): each step then costs two SHA-256
// compressions fewer than keying the secret again.
const KEYED = memory.data(<i32>HMAC_CTX_SIZE, 8);

/** Keys `secret` (hash_len(alg) bytes) for the ks_*_keyed steps that follow. */
export function ks_key(alg: i32, secret: usize): void {
  hmac_init(KEYED, alg, secret, <usize>hash_len(alg));
}

/** ks_derive with the secret given to ks_key. */
export function ks_derive_keyed(alg: i32, label: usize, labelLen: usize, transcriptHash: usize, out: usize): void {
  derive_secret_keyed(alg, KEYED, label, labelLen, transcriptHash, out);
}

/** Wipes the secret's keyed context. */
export function ks_unkey(): void {
  wipe(KEYED, HMAC_CTX_SIZE);
}

/** early_secret = HKDF-Extract(salt = 0, IKM = PSK, or 0 when there is none). */
export function ks_early(alg: i32, psk: usize, pskLen: usize, out: usize): void {
  const hl = <usize>hash_len(alg);
  if (pskLen == 0) hkdf_extract(alg, ZEROS, hl, ZEROS, hl, out);
  else hkdf_extract(alg, ZEROS, hl, psk, pskLen, out);
}

/**
 * The next stage secret: Extract(Derive-Secret(prev, "derived", ""), ikm),
 * with ikm = Hash.length zeros when ikmLen is 0. `out` may equal `prev`.
 */
export function ks_next_stage(alg: i32, prev: usize, ikm: usize, ikmLen: usize, out: usize): void {
  const hl = <usize>hash_len(alg);
  const emptyH = SCRATCH;
  const derived = SCRATCH + 48;
  empty_hash(alg, emptyH);
  derive_secret(alg, prev, L_DERIVED, L_DERIVED_LEN, emptyH, derived);
  if (ikmLen == 0) hkdf_extract(alg, derived, hl, ZEROS, hl, out);
  else hkdf_extract(alg, derived, hl, ikm, ikmLen, out);
  wipe(SCRATCH, 3 * 48);
}

/** Derive-Secret(secret, label, Messages) given Transcript-Hash(Messages). */
export function ks_derive(alg: i32, secret: usize, label: usize, labelLen: usize, transcriptHash: usize, out: usize): void {
  derive_secret(alg, secret, label, labelLen, transcriptHash, out);
}

/** A traffic secret's write key and IV (RFC 8446 §7.3). */
export function ks_traffic_keys(alg: i32, secret: usize, keyLen: usize, outKey: usize, outIv: usize, ivLen: usize = IV_LEN): void {
  ks_key(alg, secret);
  hkdf_expand_label_keyed(alg, KEYED, L_KEY, L_KEY_LEN, 0, 0, outKey, keyLen);
  hkdf_expand_label_keyed(alg, KEYED, L_IV, L_IV_LEN, 0, 0, outIv, ivLen);
  ks_unkey();
}

/** verify_data = HMAC(finished_key(base), transcriptHash) (RFC 8446 §4.4.4). */
export function ks_finished(alg: i32, baseKey: usize, transcriptHash: usize, out: usize): void {
  const hl = <usize>hash_len(alg);
  const fk = SCRATCH;
  hkdf_expand_label(alg, baseKey, L_FINISHED, L_FINISHED_LEN, 0, 0, fk, hl);
  hmac(alg, fk, hl, transcriptHash, hl, out);
  wipe(SCRATCH, 3 * 48);
}

/** application_traffic_secret_N+1 = Expand-Label(secret_N, "traffic upd", "", Hash.length), in place. */
export function ks_update(alg: i32, secret: usize): void {
  const hl = <usize>hash_len(alg);
  hkdf_expand_label(alg, secret, L_TRAFFIC_UPD, L_TRAFFIC_UPD_LEN, 0, 0, SCRATCH, hl);
  memory.copy(secret, SCRATCH, hl);
  wipe(SCRATCH, 3 * 48);
}

/**
 * TLS-Exporter(label, context, length) (RFC 8446 §7.5):
 * Expand-Label(Derive-Secret(exporter_master, label, ""), "exporter", Hash(context), length).
 * Returns 0 when `outLen` is too large for HKDF-Expand.
 */
export function ks_exporter(alg: i32, exporterMaster: usize, label: usize, labelLen: usize,
                            context: usize, contextLen: usize, out: usize, outLen: usize): i32 {
  const hl = <usize>hash_len(alg);
  const emptyH = SCRATCH;
  const secret = SCRATCH + 48;
  const ctxHash = SCRATCH + 96;
  empty_hash(alg, emptyH);
  derive_secret(alg, exporterMaster, label, labelLen, emptyH, secret);
  hash_digest(alg, context, contextLen, ctxHash);
  const ok = hkdf_expand_label(alg, secret, L_EXPORTER, L_EXPORTER_LEN, ctxHash, hl, out, outLen);
  wipe(SCRATCH, 3 * 48);
  return ok;
}
