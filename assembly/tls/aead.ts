// One doorway from the record layer to the three AEAD families, so that
// record protection is written once for every suite. A context holds the
// expanded key of whichever AEAD the suite uses (ChaCha20-Poly1305 has no
// key schedule: its context is the raw key).
import { gcm_init, gcm_seal, gcm_open, GCM_CTX_SIZE } from "../crypto/gcm";
import { ccm_init, ccm_seal, ccm_open, CCM_CTX_SIZE } from "../crypto/ccm";
import { chacha20poly1305_seal, chacha20poly1305_open } from "../crypto/chacha20poly1305";
import { wipe } from "../crypto/ct";
import { HAS_AES, HAS_GCM, HAS_CCM, HAS_CHACHA20_POLY1305 } from "../features";
import { AEAD_AES_GCM, AEAD_AES_CCM, AEAD_CHACHA20_POLY1305, suite_aead, suite_key_len, suite_tag_len } from "./suites";

const CHACHA_CTX_SIZE: usize = 32;

/**
 * Bytes a context needs for any suite: a compile-time constant so the slot
 * layout is static. aead_ctx_fits() checks it against the primitives' own
 * sizes at init, so a primitive that grows cannot silently overrun a slot.
 */
export const AEAD_CTX_SIZE: usize = HAS_AES ? 1024 : CHACHA_CTX_SIZE; // a ChaCha20-only module needs just the key

export function aead_ctx_fits(): bool {
  return (!HAS_GCM || GCM_CTX_SIZE() <= AEAD_CTX_SIZE) && (!HAS_CCM || CCM_CTX_SIZE() <= AEAD_CTX_SIZE) && CHACHA_CTX_SIZE <= AEAD_CTX_SIZE;
}

/** Expands `key` for `suite` into `ctx`. */
export function aead_init(suite: u16, ctx: usize, key: usize): void {
  const kind = suite_aead(suite);
  const keyLen = suite_key_len(suite);
  // HAS_*: a board module holds only its suites' AEADs (assembly/features.ts).
  if (HAS_GCM && kind == AEAD_AES_GCM) gcm_init(ctx, key, <i32>keyLen);
  else if (HAS_CCM && kind == AEAD_AES_CCM) ccm_init(ctx, key, <i32>keyLen);
  else memory.copy(ctx, key, CHACHA_CTX_SIZE);
}

/** Encrypts `len` bytes at `inp` to `out` (may be equal) and writes the suite's tag at `tag`. */
export function aead_seal(suite: u16, ctx: usize, nonce: usize, aad: usize, aadLen: usize,
                          inp: usize, len: usize, out: usize, tag: usize): void {
  const kind = suite_aead(suite);
  if (HAS_GCM && kind == AEAD_AES_GCM) gcm_seal(ctx, nonce, 12, aad, aadLen, inp, len, out, tag);
  else if (HAS_CCM && kind == AEAD_AES_CCM) ccm_seal(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  else if (HAS_CHACHA20_POLY1305) chacha20poly1305_seal(ctx, nonce, aad, aadLen, inp, len, out, tag);
}

/** Verifies and decrypts; 1 on success, 0 (output zeroed) when the tag does not verify. */
export function aead_open(suite: u16, ctx: usize, nonce: usize, aad: usize, aadLen: usize,
                          inp: usize, len: usize, out: usize, tag: usize): i32 {
  const kind = suite_aead(suite);
  if (HAS_GCM && kind == AEAD_AES_GCM) return gcm_open(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  if (HAS_CCM && kind == AEAD_AES_CCM) return ccm_open(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  if (HAS_CHACHA20_POLY1305 && kind == AEAD_CHACHA20_POLY1305) return chacha20poly1305_open(ctx, nonce, aad, aadLen, inp, len, out, tag);
  return 0;
}

export function aead_wipe(ctx: usize): void {
  wipe(ctx, AEAD_CTX_SIZE);
}
