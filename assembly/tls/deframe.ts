// The incoming half of the record layer: bytes from the network become one
// record at a time in recvBuf, opened in place (zero copy), and its content
// goes where it belongs: alerts here, application data to the host (it reads
// the plaintext straight out of recvBuf), handshake bytes into hsBuf until a
// whole message is there for the state machines (handshake.ts).
//
//   recvBuf  exactly one record at a time. recv_want() says how many bytes
//            complete the current record, so the host never hands us more
//            than fits.
//   hsBuf    reassembly of handshake messages that span records.
import { slot_at, O_READ, ST_HANDSHAKE, ST_OPEN, ST_CLOSED, ST_FAILED, ROLE_CLIENT, F_EARLY_CCS_OK, is_client } from "./slot";
import { rec_open, rec_opened_type, rec_suite, RECORD_HEADER, MAX_PLAINTEXT, MAX_CIPHERTEXT, CT_CHANGE_CIPHER_SPEC,
  CT_ALERT, CT_HANDSHAKE, CT_APPLICATION_DATA, ERR_BAD_RECORD_MAC, ERR_RECORD_OVERFLOW, ERR_DECODE } from "./record";
import { conn_fail } from "./record_out";
import { post_handshake_skippable } from "./post_handshake";
import { hs_message } from "./handshake";
import { ev_push, EV_PEER_CLOSED } from "./events";
import * as A from "./alerts";
import { rec_is12 } from "./record";
import { rec12_open, rec12_opened_off } from "./tls12/record";
import { t12_change_cipher_spec } from "./tls12/dispatch";
import { HAS_TLS12 } from "../features";
import { TLS12_VERSION, offers12 } from "./config";

// A peer can make us work without ever sending data: empty application-data
// records each cost an AEAD open. OpenSSL stops 32 empty records in a row
// (MAX_EMPTY_RECORDS); so do we, with unexpected_message. A record with
// application data resets this count and post_handshake.ts's KeyUpdate count.
export const MAX_EMPTY_RECORDS: u32 = 32;

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
      if (post_handshake_skippable(p, mtype)) {
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
    if (len > 0 && ends_record(s.role, mtype) && !serverHelloMayShare(p, mtype)) {
      conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
      return;
    }
    if (!hs_message(p, mtype, h, 4 + mlen)) return; // failed: conn_fail was called
    if (s.state == ST_FAILED) return;
    if (len > 0 && serverHelloMayShare(p, mtype) && s.version != TLS12_VERSION) {
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
function serverHelloMayShare(p: usize, type: u8): bool {
  const s = slot_at(p);
  return HAS_TLS12 && type == 2 && s.role == ROLE_CLIENT && s.state == ST_HANDSHAKE && offers12(p);
}

/**
 * Messages after which the reader's key changes (or, for a ClientHello, the
 * server answers and keys change): ClientHello and Finished at the server,
 * ServerHello/HelloRetryRequest and Finished at the client, KeyUpdate at both.
 */
function ends_record(role: u8, type: u8): bool {
  if (type == 20 || type == 24) return true;
  return is_client(role) ? type == 2 : type == 1;
}
