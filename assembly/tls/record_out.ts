// The outgoing half of the record layer: content the engine wrote at the
// end of the send buffer becomes whole records there, sealed in place and
// split at the fragment limit; alerts are records too. Every failure of a
// connection goes through conn_fail: it records the reason, queues the alert
// for the peer, emits an ERROR event, and stops all further input.
//
//   sendBuf  whole records ready for the wire. Application data is written
//            by the host at sendBuf + 5 and sealed there.
import { slot_at, O_WRITE, ST_FAILED, ST_CLOSED } from "./slot";
import { rec_seal, rec_suite, rec_is12, rec_overhead, rec_inner_extra, RECORD_HEADER, CT_CHANGE_CIPHER_SPEC, CT_ALERT } from "./record";
import { rec12_seal } from "./tls12/record";
import { HAS_TLS12 } from "../features";
import { suite_tag_len } from "./suites";
import { ev_push, EV_ERROR } from "./events";
import * as A from "./alerts";

// ---------- failure ----------

/** Fails the connection: queue `alert` for the peer (if any keys allow it), report, stop input. */
export function conn_fail(p: usize, reason: u32, alert: u8): void {
  const s = slot_at(p);
  if (s.state == ST_FAILED) return;
  s.state = ST_FAILED;
  s.failReason = <u8>reason;
  s.failAlert = alert;
  s.failLocal = reason == A.R_PEER_ALERT ? 0 : 1;
  s.appInLen = 0;
  s.hsLen = 0;
  // Drop unsent output: after a fatal error only the alert goes out.
  s.sendLen = 0;
  s.sendOff = 0;
  if (reason != A.R_PEER_ALERT) write_alert(p, 2, alert);
  ev_push(p, EV_ERROR, (reason << 8) | alert, 0, 0);
}

/** conn_fail for the handshake's parsers, which return false when they failed the connection. */
export function fail(p: usize, reason: u32, alert: u8): bool {
  conn_fail(p, reason, alert);
  return false;
}

// ---------- output ----------

/** Largest TLSInnerPlaintext content we may put in one record now. */
export function conn_frag_limit(p: usize): usize {
  const s = slot_at(p);
  let lim = <usize>s.maxSendFrag;
  // The peer's limit counts TLS 1.3's inner content type byte (RFC 8449 §4).
  const peer = <usize>s.peerLimit - rec_inner_extra(p + O_WRITE);
  if (peer < lim) lim = peer;
  return lim;
}

function record_overhead(p: usize): usize {
  return rec_overhead(p + O_WRITE);
}

/**
 * Seals `len` content bytes already at sendBuf + sendLen + 5 as one or more
 * records of `type`, splitting at the fragment limit. Returns false when the
 * send buffer cannot hold the result.
 */
export function conn_emit(p: usize, type: u8, len: usize): bool {
  const s = slot_at(p);
  const frag = conn_frag_limit(p);
  const over = record_overhead(p);
  let rec = s.sendBuf + s.sendLen;
  const end = s.sendBuf + s.sendCap;
  let left = len;
  do {
    const n = left < frag ? left : frag;
    const rest = left - n;
    // Make room for this record's trailer (type + tag) and the next header.
    const need = over + n + (rest ? RECORD_HEADER : 0) + rest;
    if (rec + need > end) return false;
    if (rest) memory.copy(rec + over + n + RECORD_HEADER, rec + RECORD_HEADER + n, rest);
    let total: usize;
    if (HAS_TLS12 && rec_is12(p + O_WRITE)) {
      total = rec12_seal(p + O_WRITE, rec, n, type);
      if (!total) return false;
    } else if (rec_suite(p + O_WRITE)) {
      total = rec_seal(p + O_WRITE, rec, n, type, 0);
      if (!total) return false;
    } else {
      store<u8>(rec, type);
      store<u16>(rec + 1, bswap<u16>(0x0303));
      store<u16>(rec + 3, bswap<u16>(<u16>n));
      total = RECORD_HEADER + n;
    }
    s.recordsOut++;
    s.sendLen += <u32>total;
    rec += total;
    left = rest;
  } while (left > 0);
  return true;
}

/** Room for handshake content at the current end of the send buffer, before any splitting overhead. */
export function conn_out_room(p: usize): usize {
  const s = slot_at(p);
  const free = <usize>s.sendCap - s.sendLen;
  const over = record_overhead(p);
  // Reserve overhead for up to 4 records: flights are small; the check in conn_emit is exact.
  return free > 4 * over ? free - 4 * over : 0;
}

/** Where the next record's content starts. */
export function conn_out_ptr(p: usize): usize {
  const s = slot_at(p);
  return s.sendBuf + s.sendLen + RECORD_HEADER;
}

function write_alert(p: usize, level: u8, desc: u8): void {
  const s = slot_at(p);
  const body = s.sendBuf + s.sendLen + RECORD_HEADER;
  if (<usize>s.sendLen + 32 > s.sendCap) return;
  store<u8>(body, level);
  store<u8>(body + 1, desc);
  conn_emit(p, CT_ALERT, 2);
}

/** Queues a warning alert (TLS 1.2's no_renegotiation); the connection goes on. */
export function conn_warn(p: usize, desc: u8): void {
  write_alert(p, 1, desc);
}

export function conn_send_ccs(p: usize): bool {
  store<u8>(conn_out_ptr(p), 1);
  return conn_emit(p, CT_CHANGE_CIPHER_SPEC, 1);
}

/** Queues close_notify; further application writes are refused. */
export function conn_close_notify(p: usize): void {
  const s = slot_at(p);
  if (s.closeSent || s.state == ST_FAILED) return;
  s.closeSent = 1;
  write_alert(p, 1, A.ALERT_CLOSE_NOTIFY);
  if (s.closeRecv) s.state = ST_CLOSED;
}
