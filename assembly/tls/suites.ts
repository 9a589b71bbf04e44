// The five TLS 1.3 cipher suites (RFC 8446 §B.4) and what each one fixes:
// the AEAD, its key and tag lengths, and the hash behind HKDF and the
// transcript. Everything else in the engine asks this file, never a literal.
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";

export const TLS_AES_128_GCM_SHA256: u16 = 0x1301;
export const TLS_AES_256_GCM_SHA384: u16 = 0x1302;
export const TLS_CHACHA20_POLY1305_SHA256: u16 = 0x1303;
export const TLS_AES_128_CCM_SHA256: u16 = 0x1304;
export const TLS_AES_128_CCM_8_SHA256: u16 = 0x1305;

/** AEAD families the record layer dispatches on. */
export const AEAD_NONE: i32 = 0;
export const AEAD_AES_GCM: i32 = 1;
export const AEAD_CHACHA20_POLY1305: i32 = 2;
export const AEAD_AES_CCM: i32 = 3;

/** 1 if tlsrt implements `suite`. */
export function suite_known(suite: u16): bool {
  return suite >= TLS_AES_128_GCM_SHA256 && suite <= TLS_AES_128_CCM_8_SHA256;
}

export function suite_aead(suite: u16): i32 {
  switch (suite) {
    case TLS_AES_128_GCM_SHA256:
    case TLS_AES_256_GCM_SHA384: return AEAD_AES_GCM;
    case TLS_CHACHA20_POLY1305_SHA256: return AEAD_CHACHA20_POLY1305;
    case TLS_AES_128_CCM_SHA256:
    case TLS_AES_128_CCM_8_SHA256: return AEAD_AES_CCM;
  }
  return AEAD_NONE;
}

export function suite_hash(suite: u16): i32 {
  return suite == TLS_AES_256_GCM_SHA384 ? HASH_SHA384 : HASH_SHA256;
}

export function suite_key_len(suite: u16): usize {
  return suite == TLS_AES_256_GCM_SHA384 || suite == TLS_CHACHA20_POLY1305_SHA256 ? 32 : 16;
}

export function suite_tag_len(suite: u16): usize {
  return suite == TLS_AES_128_CCM_8_SHA256 ? 8 : 16;
}
