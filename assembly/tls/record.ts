// TLS 1.3 record protection (RFC 8446 §5.2-§5.5) for one direction.
//
// A direction's state is a small struct at a caller-given address (inside a
// connection slot): suite, sequence number, static IV and the AEAD context.
// Records are sealed and opened in place in the slot's record buffers, so a
// record is never copied on its way through the engine.
//
//   TLSCiphertext = type(23) 0x0303 length(2) || AEAD(TLSInnerPlaintext)
//   TLSInnerPlaintext = content || ContentType || zeros(pad)
//   nonce = iv XOR seq (left-padded to 12 bytes), AAD = the 5-byte header
import { aead_init, aead_seal, aead_open, aead_wipe, AEAD_CTX_SIZE } from "./aead";
import { suite_tag_len, suite_record_iv_len } from "./suites";
import { HAS_TLS12 } from "../features";
import { wipe, store64be } from "../crypto/ct";
import { scratch } from "./scratch";

export const CT_CHANGE_CIPHER_SPEC: u8 = 20;
export const CT_ALERT: u8 = 21;
export const CT_HANDSHAKE: u8 = 22;
export const CT_APPLICATION_DATA: u8 = 23;

export const RECORD_HEADER: usize = 5;
/** Largest TLSPlaintext.fragment (2^14). */
export const MAX_PLAINTEXT: usize = 16384;
/** Largest TLSCiphertext.fragment: 2^14 + 256 (RFC 8446 §5.2). */
export const MAX_CIPHERTEXT: usize = 16384 + 256;

// Offsets inside a direction's state (tls12/record.ts reads them too).
export const D_SUITE: usize = 0;     // u16, 0 = no protection yet
export const D_V12: usize = 2;       // u8, 1 = TLS 1.2 record format (tls12/record.ts)
export const D_SEQ: usize = 8;       // u64 record sequence number
export const D_IV: usize = 16;       // 12-byte static IV
export const D_NONCE: usize = 28;    // 12-byte per-record nonce (scratch)
export const D_CTX: usize = 40;      // AEAD context
export const DIR_STATE_SIZE: usize = (D_CTX + AEAD_CTX_SIZE + 7) & ~7;

/** Errors as negated TLS alert descriptions, so the caller can send the alert. */
export const ERR_BAD_RECORD_MAC: i32 = -20;
export const ERR_RECORD_OVERFLOW: i32 = -22;
export const ERR_UNEXPECTED_MESSAGE: i32 = -10;
export const ERR_DECODE: i32 = -50;

/** The inner content type of the last record `rec_open` accepted (in this call). */
export function rec_opened_type(): u8 {
  return scratch().openedType;
}

export function rec_suite(dir: usize): u16 {
  return load<u16>(dir, D_SUITE);
}

export function rec_seq(dir: usize): u64 {
  return load<u64>(dir, D_SEQ);
}

/** True when the direction protects records the TLS 1.2 way (tls12/record.ts). */
export function rec_is12(dir: usize): bool {
  return load<u8>(dir, D_V12) != 0;
}

/**
 * Bytes a protected record adds to its content: header, then TLS 1.3's
 * inner content type or TLS 1.2's explicit nonce (GCM/CCM), then the tag.
 * Just the header while the direction is unprotected.
 */
export function rec_overhead(dir: usize): usize {
  const suite = rec_suite(dir);
  if (!suite) return RECORD_HEADER;
  return RECORD_HEADER + (HAS_TLS12 && rec_is12(dir) ? suite_record_iv_len(suite) : 1) + suite_tag_len(suite);
}

/** Bytes of a record's plaintext that are not content: TLS 1.3's inner content type (RFC 8449 §4 counts it). */
export function rec_inner_extra(dir: usize): usize {
  return rec_suite(dir) && !(HAS_TLS12 && rec_is12(dir)) ? 1 : 0;
}

/** Installs a new traffic key and IV; the sequence number restarts at 0. */
export function rec_set_keys(dir: usize, suite: u16, key: usize, iv: usize): void {
  aead_wipe(dir + D_CTX);
  store<u16>(dir, suite, D_SUITE);
  store<u8>(dir, 0, D_V12);
  store<u64>(dir, 0, D_SEQ);
  memory.copy(dir + D_IV, iv, 12);
  aead_init(suite, dir + D_CTX, key);
}

/** Forgets keys: the direction goes back to plaintext records. */
export function rec_clear(dir: usize): void {
  wipe(dir, DIR_STATE_SIZE);
}

/** iv XOR the big-endian sequence number (RFC 8446 §5.3; RFC 7905 §2 for TLS 1.2 ChaCha20). */
export function make_nonce(dir: usize): usize {
  const n = dir + D_NONCE;
  memory.copy(n, dir + D_IV, 12);
  const seq = load<u64>(dir, D_SEQ);
  // XOR the big-endian sequence number into the last 8 bytes of the IV.
  store64be(n + 4, bswap<u64>(load<u64>(n + 4)) ^ seq);
  return n;
}

/** Bytes a sealed record takes for `contentLen` bytes of content and `pad` zeros. */
export function rec_sealed_len(dir: usize, contentLen: usize, pad: usize): usize {
  return RECORD_HEADER + contentLen + 1 + pad + suite_tag_len(rec_suite(dir));
}

/**
 * Seals the content already placed at `rec + 5` (`contentLen` bytes) into a
 * complete record at `rec`, in place; appends the inner type and `pad`
 * zeros. The caller guarantees rec_sealed_len() bytes of room. Returns the
 * record's length, or 0 when the sequence number is exhausted.
 */
export function rec_seal(dir: usize, rec: usize, contentLen: usize, type: u8, pad: usize): usize {
  const seq = load<u64>(dir, D_SEQ);
  if (seq == <u64>-1) return 0; // RFC 8446 §5.3: never wrap; the caller must rekey or close
  const suite = rec_suite(dir);
  const tagLen = suite_tag_len(suite);
  const body = rec + RECORD_HEADER;
  store<u8>(body + contentLen, type);
  memory.fill(body + contentLen + 1, 0, pad);
  const innerLen = contentLen + 1 + pad;
  const fragLen = innerLen + tagLen;
  store<u8>(rec, CT_APPLICATION_DATA);
  store<u16>(rec + 1, bswap<u16>(0x0303));
  store<u16>(rec + 3, bswap<u16>(<u16>fragLen));
  aead_seal(suite, dir + D_CTX, make_nonce(dir), rec, RECORD_HEADER, body, innerLen, body, body + innerLen);
  store<u64>(dir, seq + 1, D_SEQ);
  return RECORD_HEADER + fragLen;
}

/**
 * Opens the complete protected record at `rec` (header included, `recLen`
 * bytes) in place. Returns the content length (content starts at rec + 5;
 * its type is rec_opened_type()), or a negated alert: bad_record_mac when
 * the tag fails, record_overflow when the plaintext exceeds `maxPlain`,
 * unexpected_message when the padding holds no content type.
 */
export function rec_open(dir: usize, rec: usize, recLen: usize, maxPlain: usize): i32 {
  const suite = rec_suite(dir);
  const tagLen = suite_tag_len(suite);
  const fragLen = recLen - RECORD_HEADER;
  if (recLen < RECORD_HEADER || fragLen > MAX_CIPHERTEXT) return ERR_RECORD_OVERFLOW;
  if (fragLen < tagLen + 1) return ERR_DECODE;
  const seq = load<u64>(dir, D_SEQ);
  if (seq == <u64>-1) return ERR_BAD_RECORD_MAC;
  const body = rec + RECORD_HEADER;
  const innerLen = fragLen - tagLen;
  if (!aead_open(suite, dir + D_CTX, make_nonce(dir), rec, RECORD_HEADER, body, innerLen, body, body + innerLen)) {
    return ERR_BAD_RECORD_MAC;
  }
  store<u64>(dir, seq + 1, D_SEQ);
  // Strip zero padding from the end; the padding is not secret from the peer.
  let i = innerLen;
  while (i > 0 && load<u8>(body + i - 1) == 0) i--;
  if (i == 0) return ERR_UNEXPECTED_MESSAGE; // RFC 8446 §5.4
  scratch().openedType = load<u8>(body + i - 1);
  const contentLen = i - 1;
  if (contentLen > maxPlain) return ERR_RECORD_OVERFLOW;
  return <i32>contentLen;
}
