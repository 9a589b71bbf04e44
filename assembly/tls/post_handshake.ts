// After the handshake (RFC 8446 §4.6): KeyUpdate in both directions, and
// the NewSessionTicket a client receives (tlsrt does not resume: tickets are
// read and dropped). The deframer hands complete post-handshake messages to
// post_handshake_message; conn_pump sends a KeyUpdate when one is due.
import { slot_at, O_WRITE, ST_OPEN, is_client } from "./slot";
import { rec_seq } from "./record";
import { conn_out_ptr, conn_emit, conn_fail } from "./record_out";
import { keys_update } from "./keys";
import { HT_KEY_UPDATE, HT_NEW_SESSION_TICKET } from "./handshake_msg";
import { CT_HANDSHAKE } from "./record";
import { ev_push, EV_KEY_UPDATE } from "./events";
import * as A from "./alerts";
import { HAS_TLS12 } from "../features";
import { TLS12_VERSION } from "./config";

/** Rekey once this many records went out under one key (RFC 8446 §5.5 limits AES-GCM to 2^24.5). */
const REKEY_AFTER: u64 = 1 << 24;

// A peer can make us derive keys without ever sending data: KeyUpdates each
// cost a derivation (and, with update_requested, a record back). BoringSSL
// stops 32 KeyUpdates without data between them (kMaxKeyUpdates); so do we,
// with unexpected_message. Application data resets the count (deframe.ts).
export const MAX_KEY_UPDATES: u32 = 32;

/** One complete post-handshake message (header included); false when it failed the connection. */
export function post_handshake_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (type == HT_KEY_UPDATE) return peer_key_update(p, msg + 4, len - 4);
  if (type == HT_NEW_SESSION_TICKET && is_client(s.role)) return true; // no resumption: ignore tickets
  conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  return false;
}

/**
 * True for a post-handshake message the deframer may skip without holding
 * it whole: a NewSessionTicket larger than the handshake buffer (a client
 * only; we would drop it anyway).
 */
export function post_handshake_skippable(p: usize, type: u8): bool {
  const s = slot_at(p);
  return s.state == ST_OPEN && type == HT_NEW_SESSION_TICKET && is_client(s.role);
}

/**
 * Produces whatever output is due once the send buffer is empty: a
 * KeyUpdate (asked for, answering the peer's, or at the record limit).
 * Handshake flights need no pump: each is written whole when its trigger
 * arrives.
 */
export function conn_pump(p: usize): void {
  const s = slot_at(p);
  if (s.sendLen != 0 || s.state != ST_OPEN) return;
  if (HAS_TLS12 && s.version == TLS12_VERSION) return; // TLS 1.2 has no KeyUpdate (its sequence numbers are 64-bit)
  const limit: u64 = s.rekeyAfter ? <u64>s.rekeyAfter : REKEY_AFTER;
  if (!s.keyUpdatePending && rec_seq(p + O_WRITE) >= limit) s.keyUpdatePending = 1;
  if (s.keyUpdatePending && !s.closeSent) {
    const req = s.keyUpdatePending == 2 ? 1 : 0;
    const m = conn_out_ptr(p);
    store<u32>(m, bswap<u32>(0x18000001)); // KeyUpdate, length 1
    store<u8>(m + 4, <u8>req);
    if (!conn_emit(p, CT_HANDSHAKE, 5)) {
      conn_fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
      return;
    }
    s.keyUpdatePending = 0;
    keys_update(p, true);
    ev_push(p, EV_KEY_UPDATE, 0, 0, 0);
  }
}

/** A KeyUpdate from the peer (RFC 8446 §4.6.3). */
function peer_key_update(p: usize, body: usize, len: usize): bool {
  const s = slot_at(p);
  if (len != 1 || load<u8>(body) > 1) {
    conn_fail(p, A.R_DECODE, A.ALERT_ILLEGAL_PARAMETER);
    return false;
  }
  if (++s.keyUpdatesIn > MAX_KEY_UPDATES) {
    conn_fail(p, A.R_TOO_MANY_KEY_UPDATES, A.ALERT_UNEXPECTED_MESSAGE);
    return false;
  }
  keys_update(p, false);
  if (load<u8>(body) == 1 && !s.keyUpdatePending) s.keyUpdatePending = 1;
  ev_push(p, EV_KEY_UPDATE, 1, 0, 0);
  return true;
}
