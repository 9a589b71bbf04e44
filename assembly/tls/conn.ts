// The record-level driver of one connection: turns bytes from the network
// into handshake messages, alerts and application data, and builds the
// records that go back out. It owns the slot's three buffers:
//
//   recvBuf  exactly one record at a time. recv_want() says how many bytes
//            complete the current record, so the host never hands us more
//            than fits, and a record is opened in place (zero copy). The
//            application reads its plaintext straight out of recvBuf.
//   sendBuf  whole records ready for the wire, sealed in place. Application
//            data is written by the host at sendBuf + 5 and sealed there.
//   hsBuf    reassembly of handshake messages that span records.
//
// Every failure goes through conn_fail: it records the reason, queues the
// alert for the peer, emits an ERROR event, and stops all further input.
import { Slot, slot_at, O_READ, O_WRITE, O_CLIENT_RANDOM, O_C_TRAFFIC, O_S_TRAFFIC, ST_HANDSHAKE, ST_OPEN, ST_CLOSED, ST_FAILED,
  ROLE_CLIENT, F_KEYLOG, F_EARLY_CCS_OK } from "./slot";
import { rec_seal, rec_open, rec_opened_type, rec_set_keys, rec_suite, rec_seq, rec_sealed_len, rec_is12, rec_overhead, rec_inner_extra,
  RECORD_HEADER, MAX_PLAINTEXT, MAX_CIPHERTEXT, CT_CHANGE_CIPHER_SPEC, CT_ALERT, CT_HANDSHAKE, CT_APPLICATION_DATA,
  ERR_BAD_RECORD_MAC, ERR_RECORD_OVERFLOW, ERR_DECODE } from "./record";
import { ks_traffic_keys, ks_update } from "./keyschedule";
import { suite_key_len, suite_tag_len } from "./suites";
import { hash_len } from "../crypto/hash";
import { wipe } from "../crypto/ct";
import { ev_push, EV_ERROR, EV_PEER_CLOSED, EV_KEYLOG, EV_KEY_UPDATE } from "./events";
import * as A from "./alerts";
import { hs_message } from "./handshake";
import { rec12_seal, rec12_open, rec12_opened_off } from "./tls12/record";
import { t12_change_cipher_spec } from "./tls12/dispatch";
import { HAS_TLS12 } from "../features";
import { TLS12_VERSION } from "./config";

const KEYBUF = memory.data(32 + 12);
const LOGBUF = memory.data(32 + 48);

/** Rekey once this many records went out under one key (RFC 8446 §5.5 limits AES-GCM to 2^24.5). */
const REKEY_AFTER: u64 = 1 << 24;

// A peer can make us work without ever sending data: empty application-data
// records each cost an AEAD open, KeyUpdates a key derivation (and, with
// update_requested, a record back). OpenSSL stops 32 empty records in a row
// (MAX_EMPTY_RECORDS) and BoringSSL 32 KeyUpdates without data between them
// (kMaxKeyUpdates); so do we, with unexpected_message as both send. A record
// with application data resets both counts.
export const MAX_EMPTY_RECORDS: u32 = 32;
export const MAX_KEY_UPDATES: u32 = 32;

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

// ---------- keys ----------

/** Installs the key and IV derived from `secret` for reading or writing. */
export function conn_install(p: usize, write: bool, secret: usize): void {
  const s = slot_at(p);
  ks_traffic_keys(s.hashAlg, secret, suite_key_len(s.suite), KEYBUF, KEYBUF + 32);
  rec_set_keys(p + (write ? O_WRITE : O_READ), s.suite, KEYBUF, KEYBUF + 32);
  wipe(KEYBUF, 44);
}

/** Emits an NSS key-log line's worth (label id, client_random, secret) if the host asked for them. */
export function conn_keylog(p: usize, label: u32, secret: usize): void {
  const s = slot_at(p);
  if (!(s.flags & F_KEYLOG)) return;
  const hl = <usize>hash_len(s.hashAlg);
  memory.copy(LOGBUF, p + O_CLIENT_RANDOM, 32);
  memory.copy(LOGBUF + 32, secret, hl);
  ev_push(p, EV_KEYLOG, label, LOGBUF, 32 + hl);
  wipe(LOGBUF, 32 + 48);
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

/**
 * Produces whatever output is due once the send buffer is empty: a
 * KeyUpdate (asked for, answering the peer's, or at the record limit).
 * Handshake flights need no pump: each is written whole when its trigger
 * arrives.
 */
export function conn_pump(p: usize): void {
  const s = slot_at(p);
  if (s.sendLen != 0 || s.state != ST_OPEN) return;
  if (HAS_TLS12 && s.version == TLS12_VERSION) return; // TLS 1.2 has no KeyUpdate (sequence numbers are 64-bit)
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
    rekey(p, true);
    ev_push(p, EV_KEY_UPDATE, 0, 0, 0);
  }
}

/** Our own or the peer's current application traffic secret. */
function traffic_secret(p: usize, write: bool): usize {
  const s = slot_at(p);
  const clientSide = (s.role == ROLE_CLIENT) == write;
  return p + (clientSide ? O_C_TRAFFIC : O_S_TRAFFIC);
}

/** application_traffic_secret_N+1 for one direction (RFC 8446 §7.2). */
function rekey(p: usize, write: bool): void {
  const secret = traffic_secret(p, write);
  ks_update(slot_at(p).hashAlg, secret);
  conn_install(p, write, secret);
}

/** Queues close_notify; further application writes are refused. */
export function conn_close_notify(p: usize): void {
  const s = slot_at(p);
  if (s.closeSent || s.state == ST_FAILED) return;
  s.closeSent = 1;
  write_alert(p, 1, A.ALERT_CLOSE_NOTIFY);
  if (s.closeRecv) s.state = ST_CLOSED;
}

// ---------- input ----------

/** How many bytes complete the record being received (0 = none accepted now). */
export function conn_recv_want(p: usize): u32 {
  const s = slot_at(p);
  if (s.state == ST_FAILED || s.state == ST_CLOSED || s.closeRecv) return 0;
  // Input waits for the host to take plaintext, output and events: one record's
  // consequences at a time, so the fixed event queue can never overflow.
  if (s.appInLen != 0 || s.sendLen != 0 || s.evCount != 0) return 0;
  if (s.recvLen < <u32>RECORD_HEADER) return <u32>RECORD_HEADER - s.recvLen;
  return s.recvNeed - s.recvLen;
}

/** Accounts `n` bytes the host wrote at recvBuf + recvLen and processes a complete record. */
export function conn_recv(p: usize, n: u32): void {
  const s = slot_at(p);
  s.recvLen += n;
  if (s.recvLen == <u32>RECORD_HEADER) {
    const b = s.recvBuf;
    const type = load<u8>(b);
    const major = load<u8>(b + 1);
    const len = <u32>bswap<u16>(load<u16>(b + 3));
    if (type < CT_CHANGE_CIPHER_SPEC || type > CT_APPLICATION_DATA || major != 3) {
      conn_fail(p, A.R_BAD_RECORD, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    const protectedIn = rec_suite(p + O_READ) != 0;
    const max = protectedIn && type != CT_CHANGE_CIPHER_SPEC ? <u32>MAX_CIPHERTEXT : <u32>MAX_PLAINTEXT;
    if (len > max || <u32>RECORD_HEADER + len > s.recvCap) {
      conn_fail(p, A.R_RECORD_OVERFLOW, A.ALERT_RECORD_OVERFLOW);
      return;
    }
    if (len == 0 && (type != CT_APPLICATION_DATA || !protectedIn)) {
      conn_fail(p, A.R_BAD_RECORD, A.ALERT_DECODE_ERROR);
      return;
    }
    s.recvNeed = <u32>RECORD_HEADER + len;
  }
  if (s.recvLen < <u32>RECORD_HEADER || s.recvLen < s.recvNeed) return;
  s.recordsIn++;
  const recLen = s.recvLen;
  s.recvLen = 0;
  s.recvNeed = 0;
  process_record(p, recLen);
}

function process_record(p: usize, recLen: u32): void {
  const s = slot_at(p);
  const b = s.recvBuf;
  let type = load<u8>(b);
  let body = b + RECORD_HEADER;
  let len = <usize>recLen - RECORD_HEADER;

  if (type == CT_CHANGE_CIPHER_SPEC) {
    if (HAS_TLS12 && s.version == TLS12_VERSION) {
      t12_change_cipher_spec(p, body, len);
      return;
    }
    // Middlebox compatibility (RFC 8446 §5 / D.4): one byte 0x01, only while handshaking, never protected.
    if (s.state != ST_HANDSHAKE || !(s.flags & F_EARLY_CCS_OK) || len != 1 || load<u8>(body) != 1) {
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
    }
    return;
  }
  if (rec_suite(p + O_READ) != 0 && type == CT_ALERT && s.state == ST_HANDSHAKE && len == 2) {
    // A peer that failed before it had keys sends its alert in the clear
    // (RFC 8446 §A.1); take it as the reason rather than a protocol error.
    process_alert(p, body, len);
    return;
  }
  if (HAS_TLS12 && rec_is12(p + O_READ)) {
    // TLS 1.2: every content type is protected under its own header type.
    const r = rec12_open(p + O_READ, b, recLen, s.recvLimit);
    if (r < 0) {
      if (r == ERR_RECORD_OVERFLOW) conn_fail(p, A.R_RECORD_OVERFLOW, A.ALERT_RECORD_OVERFLOW);
      else conn_fail(p, A.R_BAD_RECORD_MAC, A.ALERT_BAD_RECORD_MAC);
      return;
    }
    body = b + rec12_opened_off();
    len = <usize>r;
  } else if (rec_suite(p + O_READ) != 0) {
    if (type != CT_APPLICATION_DATA) {
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    const r = rec_open(p + O_READ, b, recLen, s.recvLimit);
    if (r < 0) {
      if (r == ERR_BAD_RECORD_MAC) conn_fail(p, A.R_BAD_RECORD_MAC, A.ALERT_BAD_RECORD_MAC);
      else if (r == ERR_RECORD_OVERFLOW) conn_fail(p, A.R_RECORD_OVERFLOW, A.ALERT_RECORD_OVERFLOW);
      else if (r == ERR_DECODE) conn_fail(p, A.R_BAD_RECORD_MAC, A.ALERT_BAD_RECORD_MAC); // too short to hold a tag
      else conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    type = rec_opened_type();
    len = <usize>r;
  } else if (type == CT_APPLICATION_DATA) {
    conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
    return;
  } else if (len > <usize>s.recvLimit) {
    conn_fail(p, A.R_RECORD_OVERFLOW, A.ALERT_RECORD_OVERFLOW);
    return;
  }

  if (type == CT_ALERT) {
    process_alert(p, body, len);
  } else if (type == CT_HANDSHAKE) {
    if (len == 0) conn_fail(p, A.R_DECODE, A.ALERT_UNEXPECTED_MESSAGE);
    else process_handshake_bytes(p, body, len);
  } else if (type == CT_APPLICATION_DATA) {
    if (s.state != ST_OPEN || s.closeRecv) {
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    if (s.hsLen != 0) {
      // A handshake message may not be interleaved with other content types.
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    if (len == 0) {
      if (++s.emptyRecordsIn > MAX_EMPTY_RECORDS) conn_fail(p, A.R_TOO_MANY_EMPTY_RECORDS, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    s.emptyRecordsIn = 0;
    s.keyUpdatesIn = 0;
    s.appInOff = <u32>(body - b);
    s.appInLen = <u32>len;
  } else {
    conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  }
}

function process_alert(p: usize, body: usize, len: usize): void {
  const s = slot_at(p);
  if (s.hsLen != 0) {
    // RFC 8446 §5.1: nothing may come between the fragments of a handshake message.
    conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
    return;
  }
  if (len != 2) {
    conn_fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
    return;
  }
  const level = load<u8>(body);
  const desc = load<u8>(body + 1);
  if (desc == A.ALERT_CLOSE_NOTIFY && s.state == ST_HANDSHAKE) {
    // The peer gave up before the handshake finished: a failure, not a clean close.
    conn_fail(p, A.R_PEER_ALERT, desc);
    return;
  }
  if (desc == A.ALERT_CLOSE_NOTIFY) {
    s.closeRecv = 1;
    if (s.closeSent) s.state = ST_CLOSED;
    ev_push(p, EV_PEER_CLOSED, 0, 0, 0);
    return;
  }
  if (desc == A.ALERT_USER_CANCELED && level == 1) return; // a warning; close_notify follows
  // RFC 8446 §6.2: every other alert ends the connection, whatever its level says.
  conn_fail(p, A.R_PEER_ALERT, desc);
}

/** Appends handshake bytes to hsBuf and hands every complete message to the handshake layer. */
function process_handshake_bytes(p: usize, data: usize, len: usize): void {
  const s = slot_at(p);
  // A large post-handshake message (a session ticket) we only skip over.
  if (s.hsSkip) {
    const k = len < <usize>s.hsSkip ? len : <usize>s.hsSkip;
    s.hsSkip -= <u32>k;
    data += k;
    len -= k;
    if (!len) return;
  }
  if (<usize>s.hsLen + len > <usize>s.hsCap && s.hsLen >= 4) {
    conn_fail(p, A.R_HANDSHAKE_TOO_LARGE, A.ALERT_INTERNAL_ERROR);
    return;
  }
  while (len > 0) {
    // Fill the header, then the body, of the message being assembled.
    const hdrNeed: usize = s.hsLen < 4 ? 4 - s.hsLen : 0;
    if (hdrNeed) {
      const k = len < hdrNeed ? len : hdrNeed;
      memory.copy(s.hsBuf + s.hsLen, data, k);
      s.hsLen += <u32>k;
      data += k;
      len -= k;
      if (s.hsLen < 4) return;
    }
    const h = s.hsBuf;
    const mtype = load<u8>(h);
    const mlen = (<usize>load<u8>(h + 1) << 16) | (<usize>load<u8>(h + 2) << 8) | <usize>load<u8>(h + 3);
    if (<usize>4 + mlen > <usize>s.hsCap) {
      // NewSessionTicket after the handshake: tlsrt does not resume, so skip it.
      if (s.state == ST_OPEN && mtype == 4 && s.role == ROLE_CLIENT) {
        s.hsLen = 0;
        const k = len < mlen ? len : mlen;
        s.hsSkip = <u32>(mlen - k);
        data += k;
        len -= k;
        continue;
      }
      conn_fail(p, A.R_HANDSHAKE_TOO_LARGE, A.ALERT_INTERNAL_ERROR);
      return;
    }
    const have = <usize>s.hsLen - 4;
    const k = len < mlen - have ? len : mlen - have;
    memory.copy(h + 4 + have, data, k);
    s.hsLen += <u32>k;
    data += k;
    len -= k;
    if (<usize>s.hsLen < 4 + mlen) return;
    s.hsLen = 0;
    // RFC 8446 §5.1: a message after which keys change must end its record;
    // checked before the message is acted on, so nothing is sent in reply.
    if (len > 0 && ends_record(s.role, mtype) && !serverHelloMayShare(s, mtype)) {
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    if (!hs_message(p, mtype, h, 4 + mlen)) return; // failed: conn_fail was called
    if (s.state == ST_FAILED) return;
    if (len > 0 && serverHelloMayShare(s, mtype) && s.version != TLS12_VERSION) {
      // It was a TLS 1.3 ServerHello after all: its record had to end with it.
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
  }
}

/**
 * A client that offered TLS 1.2 cannot tell a ServerHello's version before
 * parsing it, and a TLS 1.2 ServerHello shares its record with what follows;
 * the TLS 1.3 rule is then checked once the message has been read (nothing
 * is sent in reply to a ServerHello either way).
 */
function serverHelloMayShare(s: Slot, type: u8): bool {
  return HAS_TLS12 && type == 2 && s.role == ROLE_CLIENT && s.state == ST_HANDSHAKE && s.suite12Count != 0 && s.minVersion <= TLS12_VERSION;
}

/**
 * Messages after which the reader's key changes (or, for a ClientHello, the
 * server answers and keys change): ClientHello and Finished at the server,
 * ServerHello/HelloRetryRequest and Finished at the client, KeyUpdate at both.
 */
function ends_record(role: u8, type: u8): bool {
  if (type == 20 || type == 24) return true;
  return role == ROLE_CLIENT ? type == 2 : type == 1;
}

/** Handles a post-handshake KeyUpdate from the peer (RFC 8446 §4.6.3). */
export function conn_peer_key_update(p: usize, body: usize, len: usize): bool {
  const s = slot_at(p);
  if (len != 1 || load<u8>(body) > 1) {
    conn_fail(p, A.R_DECODE, A.ALERT_ILLEGAL_PARAMETER);
    return false;
  }
  if (++s.keyUpdatesIn > MAX_KEY_UPDATES) {
    conn_fail(p, A.R_TOO_MANY_KEY_UPDATES, A.ALERT_UNEXPECTED_MESSAGE);
    return false;
  }
  rekey(p, false);
  if (load<u8>(body) == 1 && !s.keyUpdatePending) s.keyUpdatePending = 1;
  ev_push(p, EV_KEY_UPDATE, 1, 0, 0);
  return true;
}
