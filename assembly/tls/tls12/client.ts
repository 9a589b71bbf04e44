// The client side of a TLS 1.2 PSK handshake (RFC 5246 §7.3, RFC 4279,
// RFC 5489), after a ServerHello that chose TLS 1.2:
//
//   ClientHello (written by ../handshake_client.ts, with the 1.2 suites,
//                extended_master_secret and the renegotiation SCSV)  ->
//                <- ServerHello [ServerKeyExchange (hint, (EC)DHE share)] ServerHelloDone
//   [EV_PSK_HINT ... hello_reply (identity, key)]        with CF_ASK_PSK
//   ClientKeyExchange (identity [, (EC)DHE share]) ChangeCipherSpec {Finished}  ->
//                <- ChangeCipherSpec {Finished}
import { slot_at, ST_OPEN, O_CLIENT_RANDOM, O_SERVER_RANDOM, O_KX_PRIV, O_C_FINISHED, O_S_FINISHED, O_IDENTITY,
  O_ALPN, O_ALPN_SEL, O_TRANSCRIPT, O_ALT_TRANSCRIPT, O_PEER_SHARE, O_HINT, MAX_HINT, MAX_IDENTITY, MAX_ALPN_SEL,
  TRANSCRIPT_CTX_SIZE, F_WAIT_HOST, G_ASK_PSK, G_ALT_TH } from "../slot";
import { rd_begin, rd_ok, rd_u8, rd_u16, rd_take, rd_left, rd_enter, rd_leave, wr_u8, wr_u16, wr_bytes, wr_take, wr_close } from "../codec";
import { conn_send_ccs } from "../record_out";
import { th_update } from "../transcript";
import { offers13, suite12_allowed, get_suite, get_group, group_allowed, TLS12_VERSION, KX_PSK_KE, KX_PSK_DHE_KE } from "../config";
import { suite_hash, suite_kx } from "../suites";
import { SUITE_KX_ECDHE_PSK } from "../tables";
import { group_share_len, group_new_private, group_public, KX_PRIV_MAX } from "../groups";
import { ev_push, EV_HANDSHAKE_DONE } from "../events";
import { msg_begin, msg_end, flight_emit, wr_ext_begin, HRR_RANDOM, HT_FINISHED } from "../handshake_msg";
import { EXT_SERVER_NAME, EXT_MAX_FRAGMENT_LENGTH, EXT_SUPPORTED_GROUPS, EXT_ALPN, EXT_RECORD_SIZE_LIMIT,
  EXT_SUPPORTED_VERSIONS, EXT_KEY_SHARE } from "../extensions";
import { hash_init, hash_update, HASH_SHA256, HASH_SHA384 } from "../../crypto/hash";
import { ct_equal, wipe } from "../../crypto/ct";
import { random_fill } from "../../host";
import { HAS_HASH_SHA384 } from "../../built";
import * as A from "../alerts";
import { EV_PSK_HINT, HR_IDENTITY, HR_PSK_KEY, HR_ABORT } from "../../abi";
import { tlv_next, tlv_tag, tlv_val, take_psk_key } from "../tlv";
import { HT_SERVER_KEY_EXCHANGE, HT_SERVER_HELLO_DONE, HT_CLIENT_KEY_EXCHANGE, EXT_EC_POINT_FORMATS,
  EXT_EXTENDED_MASTER_SECRET, EXT_RENEGOTIATION_INFO, DOWNGRADE_SENTINEL, C12_WAIT_SKE, C12_WAIT_SHD, C12_WAIT_HOST,
  C12_WAIT_CCS, C12_WAIT_FIN, MAX_CONTENT12, fail12, peer_rsl12, mfl12 } from "./common";
import { t12_master_from_exchange, t12_install, t12_finished, VERIFY_LEN } from "./keys";


/**
 * A ServerHello when the ClientHello offered TLS 1.2. Returns -1 when it is
 * a TLS 1.3 ServerHello or HelloRetryRequest (it carries supported_versions
 * and we offered 1.3: ../handshake_client.ts takes it), 1 when it was
 * accepted, 0 when the connection failed.
 */
export function t12_client_server_hello(p: usize, msg: usize, len: usize): i32 {
  const s = slot_at(p);
  rd_begin(msg + 4, len - 4);
  const legacyVersion = rd_u16();
  const random = rd_take(32);
  const sidLen = rd_u8();
  rd_take(sidLen);
  const suite = <u16>rd_u16();
  const compression = rd_u8();
  if (!rd_ok() || sidLen > 32) return fail0(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  let ems = false;
  let ri = false;
  let seen: u32 = 0;
  if (rd_left() > 0) {
    const outer = rd_enter(rd_u16());
    while (rd_ok() && rd_left() > 0) {
      const et = rd_u16();
      const o = rd_enter(rd_u16());
      if (et == EXT_SUPPORTED_VERSIONS) {
        if (offers13(p)) return -1;
        return fail0(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
      }
      const bit: u32 = et < 31 ? 1 << et : et == EXT_RENEGOTIATION_INFO ? 1 << 31 : 0;
      if (!bit || (seen & bit)) return fail0(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
      seen |= bit;
      if (et == EXT_EXTENDED_MASTER_SECRET) {
        ems = true;
      } else if (et == EXT_RENEGOTIATION_INFO) {
        // RFC 5746 §3.4: an initial handshake's renegotiated_connection is empty.
        if (rd_u8() != 0) return fail0(p, A.R_RENEGOTIATION, A.ALERT_HANDSHAKE_FAILURE);
        ri = true;
      } else if (!server_hello_extension(p, et)) {
        return 0;
      }
      rd_leave(o);
    }
    rd_leave(outer);
  }
  if (!rd_ok() || rd_left() != 0) return fail0(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  if (ct_equal(random, HRR_RANDOM, 32) == 1) return fail0(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  if (legacyVersion != TLS12_VERSION || s.minVersion > TLS12_VERSION) {
    return fail0(p, A.R_PROTOCOL_VERSION, A.ALERT_PROTOCOL_VERSION);
  }
  // RFC 8446 §4.1.3: a TLS 1.3 client checks for the downgrade sentinels (…01 for 1.2, …00 for older).
  if (offers13(p) && memory.compare(random + 24, DOWNGRADE_SENTINEL, 7) == 0 && load<u8>(random + 31) <= 1) {
    return fail0(p, A.R_DOWNGRADE, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (s.sentHrr || !suite12_allowed(p, suite) || compression != 0) {
    return fail0(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  }
  if (!ems) return fail0(p, A.R_NO_EXTENDED_MASTER_SECRET, A.ALERT_HANDSHAKE_FAILURE);
  // We sent the SCSV: a server that knows RFC 5746 answers with the extension (OpenSSL refuses one that does not).
  if (!ri) return fail0(p, A.R_RENEGOTIATION, A.ALERT_HANDSHAKE_FAILURE);

  s.version = TLS12_VERSION;
  s.suite = suite;
  s.kxChosen = ecdhe(suite) ? KX_PSK_DHE_KE : KX_PSK_KE;
  // The transcript hash is the suite's PRF hash; the ClientHello was hashed under both when both were possible.
  const alg = suite_hash(suite);
  if (alg != s.hashAlg) {
    if (!(s.flags12 & G_ALT_TH)) return fail0(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    memory.copy(p + O_TRANSCRIPT, p + O_ALT_TRANSCRIPT, TRANSCRIPT_CTX_SIZE);
    s.hashAlg = alg;
  }
  wipe(p + O_ALT_TRANSCRIPT, TRANSCRIPT_CTX_SIZE);
  s.flags12 &= ~G_ALT_TH;
  wipe(p + O_KX_PRIV, KX_PRIV_MAX); // a TLS 1.3 key share, if one was offered: ClientKeyExchange gets a fresh key
  s.group = 0;
  memory.copy(p + O_SERVER_RANDOM, random, 32);
  th_update(p, msg, len);
  s.hs = C12_WAIT_SKE;
  return 1;
}

/** One ServerHello extension of the TLS 1.2 kind (reader narrowed to its body); false when it failed. */
function server_hello_extension(p: usize, et: u32): bool {
  const s = slot_at(p);
  if (et == EXT_SERVER_NAME) {
    if (!s.sniLen || rd_left() != 0) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
  } else if (et == EXT_ALPN) {
    const listLen = rd_u16();
    const nameLen = rd_u8();
    const name = rd_take(nameLen);
    if (!rd_ok() || listLen != nameLen + 1 || nameLen == 0 || !s.alpnLen || <usize>nameLen > MAX_ALPN_SEL ||
        !alpn_in_list(p, name, nameLen)) {
      return fail12(p, A.R_NO_ALPN, A.ALERT_ILLEGAL_PARAMETER);
    }
    memory.copy(p + O_ALPN_SEL, name, nameLen);
    s.alpnSelLen = nameLen;
  } else if (et == EXT_MAX_FRAGMENT_LENGTH) {
    const code = rd_u8();
    if (code != s.mflCode || !s.mflCode) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    mfl12(p, code);
  } else if (et == EXT_RECORD_SIZE_LIMIT) {
    const l = rd_u16();
    if (l < 64 || !s.ourRsl) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    peer_rsl12(p, l);
    // RFC 8449 §4: in TLS 1.2 the limit counts content only, at most 2^14.
    const ours = s.ourRsl > MAX_CONTENT12 ? MAX_CONTENT12 : s.ourRsl;
    if (s.recvLimit > ours) s.recvLimit = ours;
  } else if (et == EXT_EC_POINT_FORMATS) {
    rd_take(rd_left()); // uncompressed points are all we send and take (RFC 8422 §5.1.2)
  } else {
    return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
  }
  return true;
}

/** True when `name` is one of the protocols in our ALPN list. */
function alpn_in_list(p: usize, name: usize, n: usize): bool {
  const s = slot_at(p);
  const ours = p + O_ALPN;
  let i: usize = 2;
  while (i < <usize>s.alpnLen) {
    const l = <usize>load<u8>(ours + i);
    if (l == n && memory.compare(ours + i + 1, name, n) == 0) return true;
    i += 1 + l;
  }
  return false;
}

function fail0(p: usize, reason: u32, alert: u8): i32 {
  fail12(p, reason, alert);
  return 0;
}

function ecdhe(suite: u16): bool {
  return suite_kx(suite) == SUITE_KX_ECDHE_PSK;
}

/**
 * The ClientHello's TLS 1.2 extensions, written by ../handshake_client.ts
 * when it offers TLS 1.2: extended_master_secret (RFC 7627, required), and
 * supported_groups for ECDHE-PSK when the TLS 1.3 part does not send it
 * (then with an empty key_share if TLS 1.3 is offered too, RFC 8446 §9.2).
 */
export function t12_client_hello_extensions(p: usize, v13: bool): bool {
  const s = slot_at(p);
  let e = wr_ext_begin(EXT_EXTENDED_MASTER_SECRET);
  wr_close(e, 2);
  let dh = false;
  for (let i: u8 = 0; i < s.suiteCount; i++) if (ecdhe(get_suite(p, i))) dh = true;
  const groupsBy13 = v13 && (s.kxModes & KX_PSK_DHE_KE) != 0 && s.group != 0;
  if (dh && !groupsBy13 && s.groupCount) {
    e = wr_ext_begin(EXT_SUPPORTED_GROUPS);
    wr_u16(<u32>s.groupCount * 2);
    for (let i: u8 = 0; i < s.groupCount; i++) wr_u16(get_group(p, i));
    wr_close(e, 2);
    if (v13) {
      e = wr_ext_begin(EXT_KEY_SHARE);
      wr_u16(0);
      wr_close(e, 2);
    }
  }
  return true;
}

/**
 * When TLS 1.2 suites of the other hash are offered too, the ClientHello is
 * hashed under that hash as well (slot.ts O_ALT_TRANSCRIPT): the
 * ServerHello picks the suite, and with it the transcript hash.
 */
export function t12_alt_transcript(p: usize, msg: usize, n: usize): void {
  const s = slot_at(p);
  if (!HAS_HASH_SHA384) return;
  const other = s.hashAlg == HASH_SHA256 ? HASH_SHA384 : HASH_SHA256;
  let need = false;
  for (let i: u8 = 0; i < s.suiteCount; i++) {
    const id = get_suite(p, i);
    if (suite12_allowed(p, id) && suite_hash(id) == other) need = true;
  }
  if (!need) return;
  hash_init(other, p + O_ALT_TRANSCRIPT);
  hash_update(other, p + O_ALT_TRANSCRIPT, msg, n);
  s.flags12 |= G_ALT_TH;
}

/** A handshake message for a client that negotiated TLS 1.2. */
export function t12_client_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.hs == C12_WAIT_SKE && type == HT_SERVER_KEY_EXCHANGE) return on_server_key_exchange(p, msg, len);
  if ((s.hs == C12_WAIT_SKE || s.hs == C12_WAIT_SHD) && type == HT_SERVER_HELLO_DONE) return on_server_hello_done(p, msg, len);
  if (s.hs == C12_WAIT_FIN && type == HT_FINISHED) return on_finished(p, msg, len);
  // A Certificate, CertificateRequest or NewSessionTicket: nothing tlsrt asked for.
  return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
}

/** ServerKeyExchange (RFC 4279 §2, RFC 5489 §2): psk_identity_hint [, ECParameters, ECPoint]. */
function on_server_key_exchange(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  rd_begin(msg + 4, len - 4);
  const hintLen = rd_u16();
  const hint = rd_take(hintLen);
  if (ecdhe(s.suite)) {
    const curveType = rd_u8();
    const group = <u16>rd_u16();
    const pointLen = rd_u8();
    const point = rd_take(pointLen);
    if (!rd_ok() || rd_left() != 0) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
    // named_curve (3), and only a group we listed (RFC 8422 §5.4).
    if (curveType != 3 || !group_allowed(p, group) || !group_share_len(group)) return fail12(p, A.R_NO_SHARED_GROUP, A.ALERT_ILLEGAL_PARAMETER);
    if (<usize>pointLen != group_share_len(group)) return fail12(p, A.R_BAD_KEY_SHARE, A.ALERT_ILLEGAL_PARAMETER);
    memory.copy(p + O_PEER_SHARE, point, pointLen);
    s.group = group;
  }
  if (!rd_ok() || rd_left() != 0) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  if (<usize>hintLen > MAX_HINT) return fail12(p, A.R_HANDSHAKE_TOO_LARGE, A.ALERT_INTERNAL_ERROR);
  memory.copy(p + O_HINT, hint, hintLen);
  s.hintLen = hintLen;
  th_update(p, msg, len);
  s.hs = C12_WAIT_SHD;
  return true;
}

function on_server_hello_done(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (len != 4) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  // ECDHE-PSK needs the server's share (RFC 5489 §2: ServerKeyExchange is not optional).
  if (s.hs != C12_WAIT_SHD && ecdhe(s.suite)) return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  th_update(p, msg, len);
  if (s.flags12 & G_ASK_PSK) {
    // The host picks identity and key for this hint (node:tls's pskCallback(hint)); input waits meanwhile.
    if (!ev_push(p, EV_PSK_HINT, s.hintLen ? 1 : 0, p + O_HINT, s.hintLen)) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    s.flags |= F_WAIT_HOST;
    s.hs = C12_WAIT_HOST;
    return true;
  }
  return send_key_exchange(p);
}

/** The host's answer to EV_PSK_HINT: HR_IDENTITY and HR_PSK_KEY, or HR_ABORT. */
export function t12_client_reply(p: usize, r: usize, len: usize): bool {
  const s = slot_at(p);
  s.flags &= ~F_WAIT_HOST;
  let haveId = false;
  let haveKey = false;
  const end = r + len;
  for (let at = r; at < end; ) {
    const next = tlv_next(at, end);
    if (!next) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    const tag = tlv_tag(at);
    const v = tlv_val(at);
    const n = next - v;
    at = next;
    if (tag == HR_IDENTITY) {
      if (n == 0 || n > MAX_IDENTITY) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
      memory.copy(p + O_IDENTITY, v, n);
      s.identityLen = <u32>n;
      haveId = true;
    } else if (tag == HR_PSK_KEY) {
      if (!take_psk_key(p, v, n)) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
      haveKey = true;
    } else if (tag == HR_ABORT) {
      return fail12(p, A.R_USER_CANCELED, n == 1 ? load<u8>(v) : A.ALERT_HANDSHAKE_FAILURE);
    }
  }
  // No identity or key for this server: OpenSSL's client fails the same way (PSK identity not found).
  if (!haveId || !haveKey) return fail12(p, A.R_NO_PSK, A.ALERT_HANDSHAKE_FAILURE);
  return send_key_exchange(p);
}

/** ClientKeyExchange, the master secret, ChangeCipherSpec and our Finished. */
function send_key_exchange(p: usize): bool {
  const s = slot_at(p);
  const dh = ecdhe(s.suite);
  msg_begin(p, HT_CLIENT_KEY_EXCHANGE);
  wr_u16(s.identityLen);
  wr_bytes(p + O_IDENTITY, s.identityLen);
  if (dh) {
    const shareLen = group_share_len(s.group);
    group_new_private(s.group, p + O_KX_PRIV);
    wr_u8(<u32>shareLen);
    const pub = wr_take(shareLen);
    if (pub) group_public(s.group, p + O_KX_PRIV, pub);
  }
  msg_end(p);
  if (!flight_emit(p)) return false;
  if (!t12_master_from_exchange(p, dh)) return false;
  if (!conn_send_ccs(p)) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  t12_install(p, true);
  t12_finished(p, true, p + O_C_FINISHED);
  msg_begin(p, HT_FINISHED);
  wr_bytes(p + O_C_FINISHED, VERIFY_LEN);
  msg_end(p);
  if (!flight_emit(p)) return false;
  s.hs = C12_WAIT_CCS;
  return true;
}

function on_finished(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (len != 4 + VERIFY_LEN) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  t12_finished(p, false, p + O_S_FINISHED);
  if (ct_equal(p + O_S_FINISHED, msg + 4, VERIFY_LEN) != 1) return fail12(p, A.R_FINISHED_MISMATCH, A.ALERT_DECRYPT_ERROR);
  th_update(p, msg, len);
  s.state = ST_OPEN;
  s.hs = 0;
  ev_push(p, EV_HANDSHAKE_DONE, 0, 0, 0);
  return true;
}

/** The server's ChangeCipherSpec: its keys apply from the next record. */
export function t12_client_ccs(p: usize): bool {
  const s = slot_at(p);
  if (s.hs != C12_WAIT_CCS) return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  t12_install(p, false);
  s.hs = C12_WAIT_FIN;
  return true;
}
