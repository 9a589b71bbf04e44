// The running transcript hash of a handshake (RFC 8446 §4.4.1), kept in the
// slot. Reading the hash "so far" finalises a copy, so hashing continues.
import { hash_init, hash_update, hash_final, hash_len } from "../crypto/hash";
import { Slot, slot_at, O_TRANSCRIPT, TRANSCRIPT_CTX_SIZE } from "./slot";
import { wipe } from "../crypto/ct";

const COPY = memory.data(256);
const MSG_HASH = memory.data(4 + 48);

export function th_init(p: usize): void {
  hash_init(slot_at(p).hashAlg, p + O_TRANSCRIPT);
}

export function th_update(p: usize, data: usize, len: usize): void {
  hash_update(slot_at(p).hashAlg, p + O_TRANSCRIPT, data, len);
}

/** Transcript-Hash of everything so far into `out`; the transcript goes on. */
export function th_current(p: usize, out: usize): void {
  memory.copy(COPY, p + O_TRANSCRIPT, TRANSCRIPT_CTX_SIZE);
  hash_final(slot_at(p).hashAlg, COPY, out);
  wipe(COPY, TRANSCRIPT_CTX_SIZE);
}

/**
 * After a HelloRetryRequest, ClientHello1 is replaced by
 * message_hash(0xfe) || 00 00 Hash.length || Hash(ClientHello1) (RFC 8446 §4.4.1).
 */
export function th_restart_with_message_hash(p: usize): void {
  const alg = slot_at(p).hashAlg;
  const hl = hash_len(alg);
  th_current(p, MSG_HASH + 4);
  store<u32>(MSG_HASH, 0xfe | (<u32>hl << 24)); // fe 00 00 len
  th_init(p);
  th_update(p, MSG_HASH, 4 + hl);
  wipe(MSG_HASH, 4 + 48);
}

/** Transcript-Hash(messages so far || data) without adding `data` to the transcript (PSK binders). */
export function th_hash_with(p: usize, data: usize, len: usize, out: usize): void {
  const alg = slot_at(p).hashAlg;
  memory.copy(COPY, p + O_TRANSCRIPT, TRANSCRIPT_CTX_SIZE);
  hash_update(alg, COPY, data, len);
  hash_final(alg, COPY, out);
  wipe(COPY, TRANSCRIPT_CTX_SIZE);
}
