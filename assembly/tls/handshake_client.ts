// The client side of a TLS 1.3 PSK handshake (RFC 8446 §2, §4):
//
//   ClientHello (+key_share, +pre_shared_key with binder)  ->
//                        <- [HelloRetryRequest (cookie)] -> ClientHello2
//                        <- ServerHello {EncryptedExtensions} {Finished}
//   [ChangeCipherSpec] {Finished}                          ->
//
// Slot.hs holds the step; each message either advances it or fails the
// connection with the alert RFC 8446 prescribes.
import { slot_at, ST_OPEN, O_CLIENT_RANDOM, O_SESSION_ID, O_KX_PRIV, O_SECRET, O_C_TRAFFIC, O_S_TRAFFIC,
  O_C_PENDING, O_C_FINISHED, O_S_FINISHED, O_IDENTITY, O_ALPN, O_ALPN_SEL, O_SNI, O_COOKIE, MAX_COOKIE, MAX_ALPN_SEL,
  F_COMPAT, F_EARLY_CCS_OK } from "./slot";
import { rd_begin, rd_ok, rd_u8, rd_u16, rd_take, rd_left, rd_enter, rd_leave,
  wr_u8, wr_u16, wr_bytes, wr_take, wr_pos, wr_close } from "./codec";
import { conn_send_ccs, fail } from "./record_out";
import { conn_install, derive_early, derive_handshake, derive_application, hlen } from "./keys";
import { th_init, th_update, th_current, th_hash_with, th_restart_with_message_hash } from "./transcript";
import { ks_derive, ks_finished, empty_hash } from "./keyschedule";
import { L_EXT_BINDER, L_EXT_BINDER_LEN } from "./labels";
import { get_suite, get_group, group_allowed, suite_allowed, offers12, offers13, KX_PSK_KE, KX_PSK_DHE_KE, TLS12_VERSION } from "./config";
import { suite_version } from "./suites";
import { HAS_TLS12 } from "../features";
import { t12_client_server_hello, t12_client_hello_extensions, t12_alt_transcript } from "./tls12/client";
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from "./tls12/common";
import { group_share_len, group_new_private, group_public, KX_PRIV_MAX, GROUPS_BUILT } from "./groups";
import { ev_push, EV_HANDSHAKE_DONE } from "./events";
import { ct_equal, wipe } from "../crypto/ct";
import { random_fill } from "../host";
import * as A from "./alerts";
import { HT_SERVER_HELLO, HT_ENCRYPTED_EXTENSIONS, HT_FINISHED, HT_CLIENT_HELLO, TLS13, HRR_RANDOM,
  msg_begin, msg_close, msg_end, msg_start, flight_emit, wr_ext_begin } from "./handshake_msg";
import { EXT_SERVER_NAME, EXT_MAX_FRAGMENT_LENGTH, EXT_SUPPORTED_GROUPS, EXT_ALPN, EXT_RECORD_SIZE_LIMIT,
  EXT_PRE_SHARED_KEY, EXT_SUPPORTED_VERSIONS, EXT_COOKIE, EXT_PSK_KEY_EXCHANGE_MODES, EXT_KEY_SHARE,
  IN_SH, IN_HRR, IN_EE, EXT_IGNORE, EXT_REFUSED, ext_begin, ext_admit, X_SERVER_NAME, X_ALPN, X_MAX_FRAGMENT_LENGTH,
  X_RECORD_SIZE_LIMIT, X_SUPPORTED_VERSIONS, X_KEY_SHARE, X_PRE_SHARED_KEY, X_COOKIE } from "./extensions";
import { scratch } from "./scratch";

export const C_WAIT_SH: u8 = 1;
export const C_WAIT_EE: u8 = 2;
export const C_WAIT_FIN: u8 = 3;

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
  // One key share, for our most preferred group (a HelloRetryRequest may ask for another).
  const v13 = !HAS_TLS12 || offers13(p); // without TLS 1.2, config_apply let only a TLS 1.3 offer open
  if (v13 && (s.kxModes & KX_PSK_DHE_KE) && s.groupCount) new_key_share(p, get_group(p, 0));
  th_init(p);
  if (v13) derive_early(p);
  if (!write_client_hello(p)) return false;
  s.hs = C_WAIT_SH;
  return true;
}

/** A fresh private key for `group` in the slot; the ClientHello writer derives its public share. */
function new_key_share(p: usize, group: u16): void {
  const s = slot_at(p);
  wipe(p + O_KX_PRIV, KX_PRIV_MAX);
  s.group = group;
  group_new_private(group, p + O_KX_PRIV);
}

function write_client_hello(p: usize): bool {
  const s = slot_at(p);
  // TLS 1.2 is offered next to (or instead of) TLS 1.3 only when the
  // versions and the suites allow it (config.ts); after a HelloRetryRequest
  // the version is TLS 1.3.
  const v13 = !HAS_TLS12 || offers13(p);
  const v12 = HAS_TLS12 && offers12(p) && !s.sentHrr;
  msg_begin(p, HT_CLIENT_HELLO);
  wr_u16(0x0303);
  wr_bytes(p + O_CLIENT_RANDOM, 32);
  wr_u8(s.sessionIdLen);
  wr_bytes(p + O_SESSION_ID, s.sessionIdLen);
  const suites = wr_take(2);
  for (let i: u8 = 0; i < s.suiteCount; i++) {
    const id = get_suite(p, i);
    if (!HAS_TLS12 || (suite_version(id) == TLS12_VERSION ? v12 : v13)) wr_u16(id); // without TLS 1.2 every listed suite is TLS 1.3's
  }
  if (v12) wr_u16(TLS_EMPTY_RENEGOTIATION_INFO_SCSV); // RFC 5746 §3.3
  wr_close(suites, 2);
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
  if (HAS_TLS12 && v12 && !t12_client_hello_extensions(p, v13)) return false;
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
  if ((s.kxModes & KX_PSK_DHE_KE) && s.group) {
    e = wr_ext_begin(EXT_SUPPORTED_GROUPS);
    wr_u16(<u32>s.groupCount * 2);
    for (let i: u8 = 0; i < s.groupCount; i++) wr_u16(get_group(p, i));
    wr_close(e, 2);
    const shareLen = group_share_len(s.group);
    e = wr_ext_begin(EXT_KEY_SHARE);
    wr_u16(4 + <u32>shareLen);
    wr_u16(s.group);
    wr_u16(<u32>shareLen);
    const pub = wr_take(shareLen);
    if (pub) group_public(s.group, p + O_KX_PRIV, pub);
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
    if (!n12) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    th_update(p, msg_start(), n12);
    if (HAS_TLS12) t12_alt_transcript(p, msg_start(), n12);
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
  if (!n || !binder) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
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
  if (HAS_TLS12 && v12) t12_alt_transcript(p, start, n);
  return flight_emit(p);
}

/** A complete handshake message for the client. */
export function client_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.hs == C_WAIT_SH && type == HT_SERVER_HELLO) return on_server_hello(p, msg, len);
  if (s.hs == C_WAIT_EE && type == HT_ENCRYPTED_EXTENSIONS) return on_encrypted_extensions(p, msg, len);
  if (s.hs == C_WAIT_FIN && type == HT_FINISHED) return on_finished(p, msg, len);
  // A Certificate or CertificateRequest means the server did not take our PSK.
  return fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
}

// ServerHello / HelloRetryRequest extensions (scratch().sh*), in extensions.ts's entry order.
function sh_supported_versions(p: usize): bool {
  scratch().shVersion = rd_u16();
  return true;
}

function sh_key_share(p: usize): bool {
  const x = scratch();
  x.shGroup = rd_u16();
  if (!x.shIsHrr) {
    // KeyShareEntry: the share must be as long as its group's (RFC 8446 §4.2.8).
    const kl = rd_u16();
    if (kl == 0 || <usize>kl != group_share_len(<u16>x.shGroup)) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    x.shShare = rd_take(kl);
    x.shShareLen = kl;
  }
  return true;
}

function sh_pre_shared_key(p: usize): bool {
  scratch().shPsk = <i32>rd_u16();
  return true;
}

function sh_cookie(p: usize): bool {
  const x = scratch();
  x.shCookieLen = rd_u16();
  x.shCookie = rd_take(x.shCookieLen);
  return true;
}

/** The ServerHello/HRR codec of extension entry `i` (ext_admit let only these through). */
function sh_extension(p: usize, i: i32): bool {
  if (i == X_SUPPORTED_VERSIONS) return sh_supported_versions(p);
  if (i == X_KEY_SHARE) return sh_key_share(p);
  if (i == X_PRE_SHARED_KEY) return sh_pre_shared_key(p);
  if (i == X_COOKIE) return sh_cookie(p);
  return true;
}

/** Walks a hello's extension block through ext_admit and the message's codecs; false when the connection failed. */
function read_extensions(p: usize, where: u16): bool {
  ext_begin();
  const outer = rd_enter(rd_u16());
  while (rd_ok() && rd_left() > 0) {
    const et = rd_u16();
    const o = rd_enter(rd_u16());
    const i = ext_admit(p, et, where);
    if (i == EXT_REFUSED) return false;
    if (i == EXT_IGNORE) rd_take(rd_left());
    else if (!(where == IN_EE ? ee_extension(p, i) : sh_extension(p, i))) return false;
    rd_leave(o);
  }
  rd_leave(outer);
  return true;
}

function on_server_hello(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (HAS_TLS12 && offers12(p) && !s.sentHrr) {
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
  const x = scratch();
  const isHrr = ct_equal(random, HRR_RANDOM, 32) == 1;
  x.shIsHrr = isHrr;
  x.shPsk = -1;
  if (rd_left() > 0 && !read_extensions(p, isHrr ? IN_HRR : IN_SH)) return false;
  const version = x.shVersion;
  const share = x.shShare;
  const pskSelected = x.shPsk;
  if (!rd_ok() || rd_left() != 0) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  if (version != TLS13 || legacyVersion != 0x0303) return fail(p, A.R_PROTOCOL_VERSION, A.ALERT_PROTOCOL_VERSION);
  if (sidLen != s.sessionIdLen || ct_equal(sid, p + O_SESSION_ID, sidLen) != 1 || compression != 0) {
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (!suite_allowed(p, suite) || (s.sentHrr && suite != s.suite)) {
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  s.suite = suite;
  if (isHrr) return on_hello_retry(p, msg, len, <u16>x.shGroup, x.shCookie, x.shCookieLen);

  // A ServerHello proper.
  if (pskSelected < 0) return fail(p, A.R_NO_PSK, A.ALERT_HANDSHAKE_FAILURE);
  if (pskSelected != 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  if (share) {
    // The server's share must be on the group we sent ours for (RFC 8446 §4.2.8).
    if (!(s.kxModes & KX_PSK_DHE_KE) || !s.group || <u16>x.shGroup != s.group) {
      return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    }
    s.kxChosen = KX_PSK_DHE_KE;
  } else {
    if (!(s.kxModes & KX_PSK_KE)) return fail(p, A.R_MISSING_EXTENSION, A.ALERT_MISSING_EXTENSION);
    s.kxChosen = KX_PSK_KE;
    s.group = 0;
    wipe(p + O_KX_PRIV, KX_PRIV_MAX);
  }
  th_update(p, msg, len);
  if (!derive_handshake(p, share)) return false;
  conn_install(p, false, p + O_S_TRAFFIC);
  s.flags |= F_EARLY_CCS_OK;
  s.hs = C_WAIT_EE;
  return true;
}

function on_hello_retry(p: usize, msg: usize, len: usize, group: u16, cookie: usize, cookieLen: usize): bool {
  const s = slot_at(p);
  if (s.sentHrr) return fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  // RFC 8446 §4.1.4: an HRR must change something. It may ask for a share on
  // another of the groups we listed (never the one we sent a share for) ...
  // With one group built the list holds only the one we sent a share for:
  // no other group can be asked for (GROUPS_BUILT folds this at compile time).
  if (group != 0) {
    if (GROUPS_BUILT < 2 || !(s.kxModes & KX_PSK_DHE_KE) || group == s.group || !group_allowed(p, group)) {
      return fail(p, A.R_NO_SHARED_GROUP, A.ALERT_ILLEGAL_PARAMETER);
    }
    new_key_share(p, group);
  } else if (!cookie || cookieLen == 0) {
    // ... or for a cookie round trip.
    return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (cookieLen > MAX_COOKIE) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  if (!cookie) cookieLen = 0;
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
  if (!read_extensions(p, IN_EE)) return false;
  if (!rd_ok() || rd_left() != 0) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  th_update(p, msg, len);
  s.hs = C_WAIT_FIN;
  return true;
}

// EncryptedExtensions entries, in extensions.ts's entry order. ext_admit has
// already refused any the ClientHello did not ask for.
function ee_server_name(p: usize): bool {
  // RFC 6066 §3: the server acknowledges our name with an empty extension.
  if (rd_left() != 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_DECODE_ERROR);
  return true;
}

function ee_alpn(p: usize): bool {
  const s = slot_at(p);
  const listLen = rd_u16();
  const nameLen = rd_u8();
  const name = rd_take(nameLen);
  if (!rd_ok() || listLen != nameLen + 1 || nameLen == 0 || !s.alpnLen || !alpn_offered(p, name, nameLen)) {
    return fail(p, A.R_NO_ALPN, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (<usize>nameLen > MAX_ALPN_SEL) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  memory.copy(p + O_ALPN_SEL, name, nameLen);
  s.alpnSelLen = nameLen;
  return true;
}

function ee_max_fragment_length(p: usize): bool {
  const s = slot_at(p);
  if (rd_u8() != s.mflCode || !s.mflCode) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  // RFC 6066 §4: the limit binds both directions; a larger record from the server is record_overflow.
  const mfl: u32 = 1 << (8 + <u32>s.mflCode);
  if (!s.peerRsl) s.peerLimit = mfl + 1;
  if (s.recvLimit > mfl) s.recvLimit = mfl;
  return true;
}

function ee_record_size_limit(p: usize): bool {
  const s = slot_at(p);
  const l = rd_u16();
  if (l < 64) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  s.peerRsl = l;
  s.peerLimit = l > 16385 ? 16385 : l;
  // The server took part: from now on it is held to the limit we advertised.
  if (s.ourRsl && s.recvLimit > s.ourRsl - 1) s.recvLimit = s.ourRsl - 1;
  return true;
}

/** The EncryptedExtensions codec of extension entry `i` (ext_admit let only these through). */
function ee_extension(p: usize, i: i32): bool {
  if (i == X_SERVER_NAME) return ee_server_name(p);
  if (i == X_ALPN) return ee_alpn(p);
  if (i == X_MAX_FRAGMENT_LENGTH) return ee_max_fragment_length(p);
  if (i == X_RECORD_SIZE_LIMIT) return ee_record_size_limit(p);
  rd_take(rd_left()); // supported_groups: the server's preferences, informational only
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
