// TLS 1.2 record protection with AEAD ciphers (RFC 5246 §6.2.3.3) for one
// direction, in the same direction state as TLS 1.3's (../record.ts), marked
// by its D_V12 byte:
//
//   TLSCiphertext = type version(0x0303) length || explicit_nonce || AEAD(content) || tag
//   AAD = seq_num(8) || type || version || length of the content (13 bytes)
//
//   AES-GCM, AES-CCM: nonce = salt(4, from the key block) || explicit(8) carried
//   in the record (RFC 5288 §3, RFC 6655 §3); we send the sequence number.
//   ChaCha20-Poly1305: nonce = iv(12) XOR seq, nothing carried (RFC 7905 §2).
//
// Records are sealed and opened in place like TLS 1.3's: content is written
// at rec + 5 and moved up by the explicit nonce before sealing; an opened
// record's content starts at rec + rec12_opened_off().
import { aead_init, aead_seal, aead_open, aead_wipe } from "../aead";
import { D_SUITE, D_V12, D_SEQ, D_IV, D_NONCE, D_CTX, RECORD_HEADER, MAX_CIPHERTEXT, make_nonce,
  ERR_BAD_RECORD_MAC, ERR_RECORD_OVERFLOW, ERR_DECODE } from "../record";
import { suite_tag_len, suite_record_iv_len, suite_iv_len } from "../suites";
import { scratch } from "../scratch";
import { store64be } from "../../crypto/ct";

// @ts-ignore: decorator
@lazy const AAD = memory.data(13, 8);

/** Where the content of the last record rec12_open accepted (in this call) starts, from the record's first byte. */
export function rec12_opened_off(): usize {
  return <usize>scratch().t12OpenedOff;
}

/**
 * Installs a TLS 1.2 write or read key with its fixed IV (4-byte salt or
 * 12-byte ChaCha20 IV); the sequence number starts at 0 (RFC 5246 §6.1).
 */
export function rec12_set_keys(dir: usize, suite: u16, key: usize, iv: usize): void {
  aead_wipe(dir + D_CTX);
  store<u16>(dir, suite, D_SUITE);
  store<u8>(dir, 1, D_V12);
  store<u64>(dir, 0, D_SEQ);
  // A GCM/CCM salt is followed by zeros, so salt || seq is make_nonce's IV XOR seq.
  memory.fill(dir + D_IV, 0, 12);
  memory.copy(dir + D_IV, iv, suite_iv_len(suite));
  aead_init(suite, dir + D_CTX, key);
}

function write_aad(seq: u64, type: u8, len: usize): void {
  store64be(AAD, seq);
  store<u8>(AAD + 8, type);
  store<u16>(AAD + 9, bswap<u16>(0x0303));
  store<u16>(AAD + 11, bswap<u16>(<u16>len));
}

/**
 * Seals the `contentLen` bytes at `rec + 5` as one record of `type`, in
 * place. The caller leaves rec_overhead() bytes of room. Returns the
 * record's length, or 0 when the sequence number is exhausted.
 */
export function rec12_seal(dir: usize, rec: usize, contentLen: usize, type: u8): usize {
  const seq = load<u64>(dir, D_SEQ);
  if (seq == <u64>-1) return 0;
  const suite = load<u16>(dir, D_SUITE);
  const ex = suite_record_iv_len(suite);
  const tagLen = suite_tag_len(suite);
  const body = rec + RECORD_HEADER + ex;
  if (ex) memory.copy(body, rec + RECORD_HEADER, contentLen);
  const nonce = make_nonce(dir);
  // The explicit part of the nonce is the sequence number: unique per key, as RFC 5288 §3 requires.
  if (ex) memory.copy(rec + RECORD_HEADER, nonce + 4, 8);
  write_aad(seq, type, contentLen);
  aead_seal(suite, dir + D_CTX, nonce, AAD, 13, body, contentLen, body, body + contentLen);
  const fragLen = ex + contentLen + tagLen;
  store<u8>(rec, type);
  store<u16>(rec + 1, bswap<u16>(0x0303));
  store<u16>(rec + 3, bswap<u16>(<u16>fragLen));
  store<u64>(dir, seq + 1, D_SEQ);
  return RECORD_HEADER + fragLen;
}

/**
 * Opens the protected record at `rec` (`recLen` bytes with its header) in
 * place; returns the content length (at rec + rec12_opened_off(), of the
 * header's type) or a negated alert: bad_record_mac when the tag fails or
 * the record cannot hold nonce and tag, record_overflow when the content
 * exceeds `maxPlain` (RFC 5246 §6.2.3).
 */
export function rec12_open(dir: usize, rec: usize, recLen: usize, maxPlain: usize): i32 {
  const suite = load<u16>(dir, D_SUITE);
  const ex = suite_record_iv_len(suite);
  const tagLen = suite_tag_len(suite);
  if (recLen < RECORD_HEADER || recLen - RECORD_HEADER > MAX_CIPHERTEXT) return ERR_RECORD_OVERFLOW;
  const fragLen = recLen - RECORD_HEADER;
  if (fragLen < ex + tagLen) return ERR_DECODE;
  const seq = load<u64>(dir, D_SEQ);
  if (seq == <u64>-1) return ERR_BAD_RECORD_MAC;
  const contentLen = fragLen - ex - tagLen;
  let nonce: usize;
  if (ex) {
    nonce = dir + D_NONCE;
    memory.copy(nonce, dir + D_IV, 4);
    memory.copy(nonce + 4, rec + RECORD_HEADER, 8);
  } else {
    nonce = make_nonce(dir);
  }
  const body = rec + RECORD_HEADER + ex;
  write_aad(seq, load<u8>(rec), contentLen);
  if (!aead_open(suite, dir + D_CTX, nonce, AAD, 13, body, contentLen, body, body + contentLen)) return ERR_BAD_RECORD_MAC;
  store<u64>(dir, seq + 1, D_SEQ);
  scratch().t12OpenedOff = <u32>(RECORD_HEADER + ex);
  if (contentLen > maxPlain) return ERR_RECORD_OVERFLOW;
  return <i32>contentLen;
}
