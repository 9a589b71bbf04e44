// One doorway from the record layer to the AEAD families, so that record
// protection is written once for every suite. A context holds the expanded
// key of whichever AEAD the suite uses (ChaCha20-Poly1305 has no key
// schedule: its context is the raw key). Which family, key and tag length a
// suite has is its descriptor's (suites.ts); a new family is a branch in
// each function below plus its entry under "aeads" in abi/tables.json.
import { gcm_init, gcm_seal, gcm_open } from "../crypto/gcm";
import { ccm_init, ccm_seal, ccm_open } from "../crypto/ccm";
import { chacha20poly1305_seal, chacha20poly1305_open } from "../crypto/chacha20poly1305";
import { wipe } from "../crypto/ct";
import { HAS_AEAD_AES_GCM, HAS_AEAD_AES_CCM, HAS_AEAD_CHACHA20_POLY1305 } from "../built";
import { AEAD_CTX_MAX } from "./tables";
import { AEAD_AES_GCM, AEAD_AES_CCM, AEAD_CHACHA20_POLY1305, suite_aead, suite_key_len, suite_tag_len } from "./suites";

/**
 * Bytes a context needs for any suite this build contains: the largest of
 * their primitives' own context sizes (tables.ts), so a ChaCha20-only board
 * reserves 32 bytes per direction and a GCM build the GCM context.
 */
export const AEAD_CTX_SIZE: usize = AEAD_CTX_MAX;

/** Expands `key` for `suite` into `ctx`. */
export function aead_init(suite: u16, ctx: usize, key: usize): void {
  const kind = suite_aead(suite);
  const keyLen = suite_key_len(suite);
  // HAS_*: a board module holds only its suites' AEADs (assembly/built.ts).
  if (HAS_AEAD_AES_GCM && kind == AEAD_AES_GCM) gcm_init(ctx, key, <i32>keyLen);
  else if (HAS_AEAD_AES_CCM && kind == AEAD_AES_CCM) ccm_init(ctx, key, <i32>keyLen);
  else if (HAS_AEAD_CHACHA20_POLY1305 && kind == AEAD_CHACHA20_POLY1305) memory.copy(ctx, key, 32);
}

/** Encrypts `len` bytes at `inp` to `out` (may be equal) and writes the suite's tag at `tag`. */
export function aead_seal(suite: u16, ctx: usize, nonce: usize, aad: usize, aadLen: usize,
                          inp: usize, len: usize, out: usize, tag: usize): void {
  const kind = suite_aead(suite);
  if (HAS_AEAD_AES_GCM && kind == AEAD_AES_GCM) gcm_seal(ctx, nonce, 12, aad, aadLen, inp, len, out, tag);
  else if (HAS_AEAD_AES_CCM && kind == AEAD_AES_CCM) ccm_seal(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  else if (HAS_AEAD_CHACHA20_POLY1305 && kind == AEAD_CHACHA20_POLY1305) chacha20poly1305_seal(ctx, nonce, aad, aadLen, inp, len, out, tag);
}

/** Verifies and decrypts; 1 on success, 0 (output zeroed) when the tag does not verify. */
export function aead_open(suite: u16, ctx: usize, nonce: usize, aad: usize, aadLen: usize,
                          inp: usize, len: usize, out: usize, tag: usize): i32 {
  const kind = suite_aead(suite);
  if (HAS_AEAD_AES_GCM && kind == AEAD_AES_GCM) return gcm_open(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  if (HAS_AEAD_AES_CCM && kind == AEAD_AES_CCM) return ccm_open(ctx, nonce, 12, aad, aadLen, inp, len, out, tag, suite_tag_len(suite));
  if (HAS_AEAD_CHACHA20_POLY1305 && kind == AEAD_CHACHA20_POLY1305) return chacha20poly1305_open(ctx, nonce, aad, aadLen, inp, len, out, tag);
  return 0;
}

export function aead_wipe(ctx: usize): void {
  wipe(ctx, AEAD_CTX_SIZE);
}
