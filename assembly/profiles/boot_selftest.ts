// The power-on self-test of a board module: the known-answer test of each
// primitive the module holds, and nothing for what it does not hold
// (assembly/features.ts decides at compile time; the primitives' vectors are
// @lazy, so those of absent primitives are not in the module either). Each
// primitive's own *_selftest is already one small known answer (SHA-256 of
// "abc", one block, HKDF-Extract + Derive-Secret from RFC 8448, one X25519
// ladder run from RFC 7748 §6.1, one AEAD seal/open); the Node profiles add
// the thorough checks of selftest.ts on top.
//
// Cost is dominated by the one X25519 scalar multiplication (~200 k i64.mul);
// P-256's known answer is one doubling, one addition and one inversion;
// everything else is a few compression-function calls. See docs/architecture.md
// for the executed-instruction counts per board.
import { sha256_selftest_one_block } from "../crypto/sha256";
import { sha512_selftest } from "../crypto/sha512";
import { hkdf_selftest } from "../crypto/hkdf";
import { chacha20poly1305_selftest } from "../crypto/chacha20poly1305";
import { gcm_selftest } from "../crypto/gcm";
import { ccm_selftest } from "../crypto/ccm";
import { x25519_selftest } from "../crypto/x25519";
import { p256_selftest_group } from "../crypto/p256";
import { HAS_AEAD_CHACHA20_POLY1305 as HAS_CHACHA20_POLY1305, HAS_AEAD_AES_GCM as HAS_GCM, HAS_AEAD_AES_CCM as HAS_CCM,
  HAS_HASH_SHA384 as HAS_SHA384, HAS_GROUP_X25519 as HAS_X25519, HAS_GROUP_SECP256R1 } from "../built";

/** 1 when every primitive in this module gives its known answer; a board refuses to serve TLS otherwise. */
export function selftest(): i32 {
  let ok = sha256_selftest_one_block();
  ok = hkdf_selftest() && ok; // HMAC-SHA-256 inside
  if (HAS_SHA384) ok = sha512_selftest() && ok;
  if (HAS_CHACHA20_POLY1305) ok = chacha20poly1305_selftest() && ok;
  if (HAS_GCM) ok = gcm_selftest() && ok;
  if (HAS_CCM) ok = ccm_selftest() && ok;
  if (HAS_X25519) ok = x25519_selftest() && ok;
  // P-256: the group law and the field ([3]G = [2]G + G); the full RFC 5903
  // scalar multiplication is the Node profile's (selftest.ts): on a board it
  // would cost more than the rest of this self-test twice over.
  if (HAS_GROUP_SECP256R1) ok = p256_selftest_group() && ok;
  return ok ? 1 : 0;
}
