// The client side of a TLS 1.3 PSK handshake (RFC 8446 §2, §4):
//
//   ClientHello (+key_share, +pre_shared_key with binder)  ->
//                        <- [HelloRetryRequest (cookie)] -> ClientHello2
//                        <- ServerHello {EncryptedExtensions} {Finished}
//   [ChangeCipherSpec] {Finished}                          ->
//
// Slot.hs holds the step; each message either advances it or fails the
// connection with the alert RFC 8446 prescribes.
import { Slot, slot_at, ST_OPEN, O_CLIENT_RANDOM, O_SESSION_ID, O_X25519_PRIV, O_SECRET, O_C_TRAFFIC, O_S_TRAFFIC,
  O_C_PENDING, O_C_FINISHED, O_S_FINISHED, O_IDENTITY, O_ALPN, O_ALPN_SEL, O_SNI, O_COOKIE, MAX_COOKIE, MAX_ALPN_SEL,
  F_COMPAT, F_EARLY_CCS_OK, O_READ, O_WRITE, O_ALT_TRANSCRIPT, G_ALT_TH } from "./slot";
import { rd_begin, rd_ok, rd_u8, rd_u16, rd_take, rd_left, rd_enter, rd_leave, rd_pos,
  wr_u8, wr_u16, wr_bytes, wr_take, wr_pos, wr_close, wr_ok } from "./codec";
import { conn_fail, conn_install, conn_send_ccs } from "./conn";
import { th_init, th_update, th_current, th_hash_with, th_restart_with_message_hash } from "./transcript";
import { ks_derive, ks_finished, empty_hash } from "./keyschedule";
import { L_EXT_BINDER, L_EXT_BINDER_LEN } from "./labels";
import { get_suite, get_suite12, suite_allowed, offers12, offers13, KX_PSK_KE, KX_PSK_DHE_KE, TLS12_VERSION } from "./config";
import { suite_hash, suite12_ecdhe, TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from "./suites";
import { hash_init, hash_update, HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
import { t12_client_server_hello } from "./tls12/client";
import { EXT_EXTENDED_MASTER_SECRET } from "./tls12/common";
import { ev_push, EV_HANDSHAKE_DONE } from "./events";
import { x25519_base } from "../crypto/x25519";
import { HAS_X25519, HAS_TLS12, HAS_SHA384 } from "../features";
import { ct_equal, wipe } from "../crypto/ct";
import { random_fill } from "../host";
import * as A from "./alerts";
import { HT_SERVER_HELLO, HT_ENCRYPTED_EXTENSIONS, HT_FINISHED, HT_CLIENT_HELLO, EXT_SERVER_NAME, EXT_MAX_FRAGMENT_LENGTH,
  EXT_SUPPORTED_GROUPS, EXT_ALPN, EXT_RECORD_SIZE_LIMIT, EXT_PRE_SHARED_KEY, EXT_EARLY_DATA, EXT_SUPPORTED_VERSIONS,
  EXT_COOKIE, EXT_PSK_KEY_EXCHANGE_MODES, EXT_KEY_SHARE, GROUP_X25519, TLS13, HRR_RANDOM,
  msg_begin, msg_close, msg_end, msg_start, flight_emit, derive_early, derive_handshake, derive_application, hlen,
  wr_ext_begin } from "./handshake";

export const C_WAIT_SH: u8 = 1;
export const C_WAIT_EE: u8 = 2;
export const C_WAIT_FIN: u8 = 3;

/** The ClientHello offers a TLS 1.2 ECDHE-PSK suite (it needs supported_groups even without TLS 1.3's key_share). */
function offers12_ecdhe(s: Slot): bool {
  for (let i: u8 = 0; i < s.suite12Count; i++) if (suite12_ecdhe(get_suite12(s, i))) return true;
  return false;
}

// @ts-ignore: decorator
@lazy const TMP = memory.data(2 * 48);

/** Starts a client connection: fresh randoms and key share, then the ClientHello. */
export function client_start(p: usize): bool {
  const s = slot_at(p);
  random_fill(p + O_CLIENT_RANDOM, 32);
  if (s.flags & F_COMPAT) {
    random_fill(p + O_SESSION_ID, 32);
    s.sessionIdLen = 32;
  }
  const v13 = offers13(s);
  if (v13 && (s.kxModes & KX_PSK_DHE_KE)) random_fill(p + O_X25519_PRIV, 32);
  th_init(p);
  if (v13) derive_early(p);
  if (!write_client_hello(p)) return false;
  s.hs = C_WAIT_SH;
  return true;
}

function write_client_hello(p: usize): bool {
  const s = slot_at(p);
  // TLS 1.2 is offered next to (or instead of) TLS 1.3 only when the
  // versions and the suites allow it (config.ts); after a HelloRetryRequest
  // the version is TLS 1.3.
  const v13 = offers13(s);
  const v12 = HAS_TLS12 && offers12(s) && !s.sentHrr;
  msg_begin(p, HT_CLIENT_HELLO);
  wr_u16(0x0303);
  wr_bytes(p + O_CLIENT_RANDOM, 32);
  wr_u8(s.sessionIdLen);
  wr_bytes(p + O_SESSION_ID, s.sessionIdLen);
  const n13: u32 = v13 ? <u32>s.suiteCount : 0;
  const n12: u32 = v12 ? <u32>s.suite12Count + 1 : 0; // + TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3)
  wr_u16((n13 + n12) * 2);
  for (let i: u8 = 0; i < <u8>n13; i++) wr_u16(get_suite(s, i));
  if (v12) {
    for (let i: u8 = 0; i < s.suite12Count; i++) wr_u16(get_suite12(s, i));
    wr_u16(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  }
  wr_u8(1);
  wr_u8(0); // legacy_compression_methods: null only
  const exts = wr_take(2);
  let e: usize;
  if (s.sniLen) {
    e = wr_ext_begin(EXT_SERVER_NAME);
    wr_u16(s.sniLen + 3);
    wr_u8(0); // host_name
    wr_u16(s.sniLen);
    wr_bytes(p + O_SNI, s.sniLen);
    wr_close(e, 2);
  }
  if (v12) {
    e = wr_ext_begin(EXT_EXTENDED_MASTER_SECRET);
    wr_close(e, 2);
    if (!(v13 && (s.kxModes & KX_PSK_DHE_KE)) && offers12_ecdhe(s)) {
      e = wr_ext_begin(EXT_SUPPORTED_GROUPS);
      wr_u16(2);
      wr_u16(GROUP_X25519);
      wr_close(e, 2);
      if (v13) {
        // RFC 8446 §9.2: supported_groups comes with key_share in TLS 1.3; an empty one says "no share".
        e = wr_ext_begin(EXT_KEY_SHARE);
        wr_u16(0);
        wr_close(e, 2);
      }
    }
  }
  if (v13) {
  e = wr_ext_begin(EXT_SUPPORTED_VERSIONS);
  wr_u8(v12 ? 4 : 2);
  wr_u16(TLS13);
  if (v12) wr_u16(TLS12_VERSION);
  wr_close(e, 2);
  e = wr_ext_begin(EXT_PSK_KEY_EXCHANGE_MODES);
  const both = (s.kxModes & KX_PSK_DHE_KE) && (s.kxModes & KX_PSK_KE);
  wr_u8(both ? 2 : 1);
  if (s.kxModes & KX_PSK_DHE_KE) wr_u8(1);
  if (s.kxModes & KX_PSK_KE) wr_u8(0);
  wr_close(e, 2);
  if (s.kxModes & KX_PSK_DHE_KE) {
    e = wr_ext_begin(EXT_SUPPORTED_GROUPS);
    wr_u16(2);
    wr_u16(GROUP_X25519);
    wr_close(e, 2);
    e = wr_ext_begin(EXT_KEY_SHARE);
    wr_u16(36);
    wr_u16(GROUP_X25519);
    wr_u16(32);
    const pub = wr_take(32);
    if (HAS_X25519 && pub) x25519_base(pub, p + O_X25519_PRIV);
    wr_close(e, 2);
  }
  }
  if (s.alpnLen) {
    e = wr_ext_begin(EXT_ALPN);
    wr_bytes(p + O_ALPN, s.alpnLen);
    wr_close(e, 2);
  }
  if (s.mflCode) {
    e = wr_ext_begin(EXT_MAX_FRAGMENT_LENGTH);
    wr_u8(s.mflCode);
    wr_close(e, 2);
  }
  if (s.ourRsl) {
    e = wr_ext_begin(EXT_RECORD_SIZE_LIMIT);
    wr_u16(s.ourRsl);
    wr_close(e, 2);
  }
  if (s.cookieLen) {
    e = wr_ext_begin(EXT_COOKIE);
    wr_u16(s.cookieLen);
    wr_bytes(p + O_COOKIE, s.cookieLen);
    wr_close(e, 2);
  }
  if (!v13) {
    // TLS 1.2 only: no binder to compute.
    wr_close(exts, 2);
    const n12 = msg_close();
    if (!n12) {
      conn_fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
      return false;
    }
    th_update(p, msg_start(), n12);
    alt_transcript(p, msg_start(), n12);
    return flight_emit(p);
  }
  // pre_shared_key must be the last extension (RFC 8446 §4.2.11).
  const hl = hlen(p);
  e = wr_ext_begin(EXT_PRE_SHARED_KEY);
  wr_u16(s.identityLen + 6);
  wr_u16(s.identityLen);
  wr_bytes(p + O_IDENTITY, s.identityLen);
  wr_u16(0);
  wr_u16(0); // obfuscated_ticket_age: 0 for external PSKs
  const bindersAt = wr_pos();
  wr_u16(<u32>hl + 1);
  wr_u8(<u32>hl);
  const binder = wr_take(hl);
  wr_close(e, 2);
  wr_close(exts, 2);
  const n = msg_close();
  if (!n || !binder) {
    conn_fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    return false;
  }
  // binder = HMAC(finished_key(binder_key), Transcript-Hash(Truncate(ClientHello)))
  const start = msg_start();
  const binderKey = TMP;
  const truncHash = TMP + 48;
  empty_hash(s.hashAlg, truncHash);
  ks_derive(s.hashAlg, p + O_SECRET, L_EXT_BINDER, L_EXT_BINDER_LEN, truncHash, binderKey);
  th_hash_with(p, start, bindersAt - start, truncHash);
  ks_finished(s.hashAlg, binderKey, truncHash, binder);
  wipe(TMP, 96);
  th_update(p, start, n);
  if (v12) alt_transcript(p, start, n);
  return flight_emit(p);
}

/**
 * When TLS 1.2 suites of the other hash are offered too, the ClientHello is
 * hashed under that hash as well (slot.ts O_ALT_TRANSCRIPT): the
 * ServerHello picks the suite, and with it the transcript hash.
 */
function alt_transcript(p: usize, msg: usize, n: usize): void {
  const s = slot_at(p);
  const other = s.hashAlg == HASH_SHA256 ? HASH_SHA384 : HASH_SHA256;
  if (!HAS_SHA384) return;
  let need = false;
  for (let i: u8 = 0; i < s.suite12Count; i++) if (suite_hash(get_suite12(s, i)) == other) need = true;
  if (!need) return;
  hash_init(other, p + O_ALT_TRANSCRIPT);
  hash_update(other, p + O_ALT_TRANSCRIPT, msg, n);
  s.flags12 |= G_ALT_TH;
}

/** A complete handshake message for the client. */
export function client_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.hs == C_WAIT_SH && type == HT_SERVER_HELLO) return on_server_hello(p, msg, len);
  if (s.hs == C_WAIT_EE && type == HT_ENCRYPTED_EXTENSIONS) return on_encrypted_extensions(p, msg, len);
  if (s.hs == C_WAIT_FIN && type == HT_FINISHED) return on_finished(p, msg, len);
  // A Certificate or CertificateRequest means the server did not take our PSK.
  conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  return false;
}

function fail(p: usize, reason: u32, alert: u8): bool {
  conn_fail(p, reason, alert);
  return false;
}

function on_server_hello(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (HAS_TLS12 && offers12(s) && !s.sentHrr) {
    // A TLS 1.2 ServerHello is taken by tls12/client.ts; -1: it is TLS 1.3's (or an HRR).
    const r = t12_client_server_hello(p, msg, len);
    if (r >= 0) return r == 1;
  }
  rd_begin(msg + 4, len - 4);
  const legacyVersion = rd_u16();
  const random = rd_take(32);
  const sidLen = rd_u8();
  const sid = rd_take(sidLen);
  const suite = <u16>rd_u16();
  const compression = rd_u8();
  if (!rd_ok()) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  const isHrr = ct_equal(random, HRR_RANDOM, 32) == 1;
  let version: u32 = 0;
  let selectedGroup: u32 = 0;
  let share: usize = 0;
  let pskSelected: i32 = -1;
  let cookie: usize = 0;
  let cookieLen: usize = 0;
  let seen: u32 = 0;
  if (rd_left() > 0) {
    const outer = rd_enter(rd_u16());
    while (rd_ok() && rd_left() > 0) {
      const et = rd_u16();
      const el = rd_u16();
      const o = rd_enter(el);
      const bit: u32 = et < 32 ? 1 << et : (et == EXT_PRE_SHARED_KEY ? 1 << 26 : et == EXT_SUPPORTED_VERSIONS ? 1 << 27
        : et == EXT_COOKIE ? 1 << 28 : et == EXT_KEY_SHARE ? 1 << 29 : 1 << 31);
      if (seen & bit & ~(1 << 31)) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      seen |= bit;
      if (et == EXT_SUPPORTED_VERSIONS) {
        version = rd_u16();
      } else if (et == EXT_KEY_SHARE) {
        selectedGroup = rd_u16();
        if (!isHrr) {
          const kl = rd_u16();
          if (kl != 32) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
          share = rd_take(32);
        }
      } else if (et == EXT_PRE_SHARED_KEY && !isHrr) {
        pskSelected = <i32>rd_u16();
      } else if (et == EXT_COOKIE && isHrr) {
        cookieLen = rd_u16();
        cookie = rd_take(cookieLen);
      } else {
        // RFC 8446 §4.1.4: an extension we did not offer.
        return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
      }
      rd_leave(o);
    }
    rd_leave(outer);
  }
  if (!rd_ok() || rd_left() != 0) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  if (version != TLS13 || legacyVersion != 0x0303) return fail(p, A.R_PROTOCOL_VERSION, A.ALERT_PROTOCOL_VERSION);
  if (sidLen != s.sessionIdLen || ct_equal(sid, p + O_SESSION_ID, sidLen) != 1 || compression != 0) {
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (!suite_allowed(s, suite) || (s.sentHrr && suite != s.suite)) {
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  s.suite = suite;
  if (isHrr) return on_hello_retry(p, msg, len, selectedGroup, cookie, cookieLen);

  // A ServerHello proper.
  if (pskSelected < 0) return fail(p, A.R_NO_PSK, A.ALERT_HANDSHAKE_FAILURE);
  if (pskSelected != 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  if (share) {
    if (!(s.kxModes & KX_PSK_DHE_KE) || selectedGroup != GROUP_X25519) {
      return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    }
    s.kxChosen = KX_PSK_DHE_KE;
  } else {
    if (!(s.kxModes & KX_PSK_KE)) return fail(p, A.R_MISSING_EXTENSION, A.ALERT_MISSING_EXTENSION);
    s.kxChosen = KX_PSK_KE;
    wipe(p + O_X25519_PRIV, 32);
  }
  th_update(p, msg, len);
  if (!derive_handshake(p, share)) return false;
  conn_install(p, false, p + O_S_TRAFFIC);
  s.flags |= F_EARLY_CCS_OK;
  s.hs = C_WAIT_EE;
  return true;
}

function on_hello_retry(p: usize, msg: usize, len: usize, group: u32, cookie: usize, cookieLen: usize): bool {
  const s = slot_at(p);
  if (s.sentHrr) return fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  // We always send an X25519 share when we offer psk_dhe_ke, and support no
  // other group, so an HRR may only ask for a cookie round trip.
  if (group != 0) return fail(p, A.R_NO_SHARED_GROUP, A.ALERT_ILLEGAL_PARAMETER);
  if (!cookie || cookieLen == 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  if (cookieLen > MAX_COOKIE) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  memory.copy(p + O_COOKIE, cookie, cookieLen);
  s.cookieLen = <u32>cookieLen;
  s.sentHrr = 1;
  th_restart_with_message_hash(p);
  th_update(p, msg, len);
  s.flags |= F_EARLY_CCS_OK;
  // ClientHello2 repeats ClientHello1 (same random, same share) plus the cookie.
  if (s.flags & F_COMPAT) {
    if (!conn_send_ccs(p)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  }
  return write_client_hello(p);
}

function on_encrypted_extensions(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  rd_begin(msg + 4, len - 4);
  const outer = rd_enter(rd_u16());
  let seen: u32 = 0;
  while (rd_ok() && rd_left() > 0) {
    const et = rd_u16();
    const o = rd_enter(rd_u16());
    const bit: u32 = et < 31 ? 1 << et : 1 << 31;
    if (seen & bit & ~(1 << 31)) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    seen |= bit;
    if (!encrypted_extension(p, et)) return false;
    rd_leave(o);
  }
  rd_leave(outer);
  if (!rd_ok() || rd_left() != 0) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  th_update(p, msg, len);
  s.hs = C_WAIT_FIN;
  return true;
}

/** One EncryptedExtensions entry (the reader is narrowed to its body); false when it failed the connection. */
function encrypted_extension(p: usize, et: u32): bool {
  const s = slot_at(p);
  if (et == EXT_SERVER_NAME) {
    if (!s.sniLen || rd_left() != 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
  } else if (et == EXT_ALPN) {
    const listLen = rd_u16();
    const nameLen = rd_u8();
    const name = rd_take(nameLen);
    if (!rd_ok() || listLen != nameLen + 1 || nameLen == 0 || !s.alpnLen || !alpn_offered(p, name, nameLen)) {
      return fail(p, A.R_NO_ALPN, A.ALERT_ILLEGAL_PARAMETER);
    }
    if (<usize>nameLen > MAX_ALPN_SEL) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    memory.copy(p + O_ALPN_SEL, name, nameLen);
    s.alpnSelLen = nameLen;
  } else if (et == EXT_MAX_FRAGMENT_LENGTH) {
    if (rd_u8() != s.mflCode || !s.mflCode) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    // RFC 6066 §4: the limit binds both directions; a larger record from the server is record_overflow.
    const mfl: u32 = 1 << (8 + <u32>s.mflCode);
    if (!s.peerRsl) s.peerLimit = mfl + 1;
    if (s.recvLimit > mfl) s.recvLimit = mfl;
  } else if (et == EXT_RECORD_SIZE_LIMIT) {
    const l = rd_u16();
    if (l < 64) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    s.peerRsl = l;
    s.peerLimit = l > 16385 ? 16385 : l;
    // The server took part: from now on it is held to the limit we advertised.
    if (s.ourRsl && s.recvLimit > s.ourRsl - 1) s.recvLimit = s.ourRsl - 1;
  } else if (et == EXT_SUPPORTED_GROUPS) {
    rd_take(rd_left()); // the server's preferences: informational only
  } else {
    // early_data (not offered) or anything we did not ask for.
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
  }
  return true;
}

/** True when `name` is one of the protocols in our ALPN list. */
function alpn_offered(p: usize, name: usize, n: usize): bool {
  const s = slot_at(p);
  const list = p + O_ALPN;
  let i: usize = 2;
  while (i < <usize>s.alpnLen) {
    const l = <usize>load<u8>(list + i);
    if (l == n && memory.compare(list + i + 1, name, n) == 0) return true;
    i += 1 + l;
  }
  return false;
}

function on_finished(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  const hl = hlen(p);
  if (len != 4 + hl) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  th_current(p, TMP);
  ks_finished(s.hashAlg, p + O_S_TRAFFIC, TMP, p + O_S_FINISHED);
  if (ct_equal(p + O_S_FINISHED, msg + 4, hl) != 1) {
    return fail(p, A.R_FINISHED_MISMATCH, A.ALERT_DECRYPT_ERROR);
  }
  th_update(p, msg, len);
  derive_application(p);
  conn_install(p, false, p + O_S_TRAFFIC);
  // Our second flight: [ChangeCipherSpec] Finished, under the client handshake key.
  if ((s.flags & F_COMPAT) && !s.sentHrr) {
    if (!conn_send_ccs(p)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  }
  conn_install(p, true, p + O_C_TRAFFIC);
  th_current(p, TMP);
  ks_finished(s.hashAlg, p + O_C_TRAFFIC, TMP, p + O_C_FINISHED);
  msg_begin(p, HT_FINISHED);
  wr_bytes(p + O_C_FINISHED, hl);
  if (!msg_end(p) || !flight_emit(p)) return false;
  memory.copy(p + O_C_TRAFFIC, p + O_C_PENDING, 48);
  wipe(p + O_C_PENDING, 48);
  conn_install(p, true, p + O_C_TRAFFIC);
  wipe(TMP, 96);
  s.state = ST_OPEN;
  s.hs = 0;
  s.flags &= ~F_EARLY_CCS_OK;
  ev_push(p, EV_HANDSHAKE_DONE, 0, 0, 0);
  return true;
}
