// The cipher suites tlsrt implements and what each one fixes: the AEAD, its
// key and tag lengths, and the hash behind HKDF (TLS 1.3) or the PRF (TLS 1.2)
// and the transcript. Everything else in the engine asks this file, never a
// literal.
//
// TLS 1.3 (RFC 8446 §B.4): 0x1301..0x1305. TLS 1.2 PSK (AEAD only):
// PSK-AES128-GCM-SHA256 0x00A8 / PSK-AES256-GCM-SHA384 0x00A9 (RFC 5487),
// PSK-CHACHA20-POLY1305 0xCCAB / ECDHE-PSK-CHACHA20-POLY1305 0xCCAC
// (RFC 7905), PSK-AES128-CCM 0xC0A4 / PSK-AES128-CCM8 0xC0A8 (RFC 6655).
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";

export const TLS_AES_128_GCM_SHA256: u16 = 0x1301;
export const TLS_AES_256_GCM_SHA384: u16 = 0x1302;
export const TLS_CHACHA20_POLY1305_SHA256: u16 = 0x1303;
export const TLS_AES_128_CCM_SHA256: u16 = 0x1304;
export const TLS_AES_128_CCM_8_SHA256: u16 = 0x1305;

export const TLS_PSK_WITH_AES_128_GCM_SHA256: u16 = 0x00a8;
export const TLS_PSK_WITH_AES_256_GCM_SHA384: u16 = 0x00a9;
export const TLS_PSK_WITH_CHACHA20_POLY1305_SHA256: u16 = 0xccab;
export const TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: u16 = 0xccac;
export const TLS_PSK_WITH_AES_128_CCM: u16 = 0xc0a4;
export const TLS_PSK_WITH_AES_128_CCM_8: u16 = 0xc0a8;
/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3): a signal, not a suite. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00ff;

/** AEAD families the record layer dispatches on. */
export const AEAD_NONE: i32 = 0;
export const AEAD_AES_GCM: i32 = 1;
export const AEAD_CHACHA20_POLY1305: i32 = 2;
export const AEAD_AES_CCM: i32 = 3;

/** 1 if `suite` is a TLS 1.3 suite tlsrt implements. */
export function suite_known(suite: u16): bool {
  return suite >= TLS_AES_128_GCM_SHA256 && suite <= TLS_AES_128_CCM_8_SHA256;
}

/** 1 if `suite` is a TLS 1.2 PSK suite tlsrt implements. */
export function suite12_known(suite: u16): bool {
  return suite12_index(suite) >= 0;
}

/** The TLS 1.2 suites in a fixed order (the slot keeps its 1.2 list as indexes into it). */
export function suite12_at(i: i32): u16 {
  switch (i) {
    case 0: return TLS_PSK_WITH_AES_128_GCM_SHA256;
    case 1: return TLS_PSK_WITH_AES_256_GCM_SHA384;
    case 2: return TLS_PSK_WITH_CHACHA20_POLY1305_SHA256;
    case 3: return TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256;
    case 4: return TLS_PSK_WITH_AES_128_CCM;
    case 5: return TLS_PSK_WITH_AES_128_CCM_8;
  }
  return 0;
}
export const SUITE12_COUNT: i32 = 6;

export function suite12_index(suite: u16): i32 {
  for (let i = 0; i < SUITE12_COUNT; i++) if (suite12_at(i) == suite) return i;
  return -1;
}

/** TLS 1.2: the suite's key exchange is ECDHE-PSK (RFC 5489), else plain PSK (RFC 4279). */
export function suite12_ecdhe(suite: u16): bool {
  return suite == TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256;
}

export function suite_aead(suite: u16): i32 {
  switch (suite) {
    case TLS_AES_128_GCM_SHA256:
    case TLS_AES_256_GCM_SHA384:
    case TLS_PSK_WITH_AES_128_GCM_SHA256:
    case TLS_PSK_WITH_AES_256_GCM_SHA384: return AEAD_AES_GCM;
    case TLS_CHACHA20_POLY1305_SHA256:
    case TLS_PSK_WITH_CHACHA20_POLY1305_SHA256:
    case TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: return AEAD_CHACHA20_POLY1305;
    case TLS_AES_128_CCM_SHA256:
    case TLS_AES_128_CCM_8_SHA256:
    case TLS_PSK_WITH_AES_128_CCM:
    case TLS_PSK_WITH_AES_128_CCM_8: return AEAD_AES_CCM;
  }
  return AEAD_NONE;
}

export function suite_hash(suite: u16): i32 {
  return suite == TLS_AES_256_GCM_SHA384 || suite == TLS_PSK_WITH_AES_256_GCM_SHA384 ? HASH_SHA384 : HASH_SHA256;
}

export function suite_key_len(suite: u16): usize {
  return suite == TLS_AES_256_GCM_SHA384 || suite == TLS_PSK_WITH_AES_256_GCM_SHA384 ||
    suite_aead(suite) == AEAD_CHACHA20_POLY1305 ? 32 : 16;
}

export function suite_tag_len(suite: u16): usize {
  return suite == TLS_AES_128_CCM_8_SHA256 || suite == TLS_PSK_WITH_AES_128_CCM_8 ? 8 : 16;
}

/**
 * TLS 1.2 record nonce layout: GCM and CCM take a 4-byte implicit salt from
 * the key block and carry an 8-byte explicit nonce in each record (RFC 5288
 * §3, RFC 6655 §3); ChaCha20-Poly1305 takes a 12-byte IV and carries none
 * (RFC 7905 §2).
 */
export function suite12_fixed_iv_len(suite: u16): usize {
  return suite_aead(suite) == AEAD_CHACHA20_POLY1305 ? 12 : 4;
}

export function suite12_explicit_nonce_len(suite: u16): usize {
  return suite_aead(suite) == AEAD_CHACHA20_POLY1305 ? 0 : 8;
}
