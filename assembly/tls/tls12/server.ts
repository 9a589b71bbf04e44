// The server side of a TLS 1.2 PSK handshake (RFC 5246 §7.3, RFC 4279,
// RFC 5489), entered from ../handshake_server.ts when the ClientHello does
// not offer TLS 1.3 (or we do not speak it) and we accept TLS 1.2:
//
//   <- ClientHello
//   ServerHello [ServerKeyExchange (hint [, (EC)DHE share])] ServerHelloDone  ->
//   <- ClientKeyExchange (identity [, (EC)DHE share])
//   [EV_CLIENT_HELLO with that identity ... hello_reply (key)]
//   <- ChangeCipherSpec {Finished}
//   ChangeCipherSpec {Finished}  ->
//
// A TLS 1.2 server learns the PSK identity only from the ClientKeyExchange,
// so that is where the host is asked (the same EV_CLIENT_HELLO / hello_reply
// as TLS 1.3, with one CH_IDENTITY).
import { slot_at, ST_OPEN, O_CLIENT_RANDOM, O_SERVER_RANDOM, O_KX_PRIV, O_C_FINISHED, O_S_FINISHED, O_IDENTITY,
  O_SNI, O_PEER_SHARE, O_HINT, MAX_IDENTITY, MAX_SNI,
  F_PSK_KNOWN, F_WAIT_HOST, G_RI, G_EC_FORMATS } from "../slot";
import { rd_begin, rd_ok, rd_u8, rd_u16, rd_take, rd_left, rd_enter, rd_leave,
  wr_begin, wr_u8, wr_u16, wr_bytes, wr_take, wr_close, wr_ok, wr_pos } from "../codec";
import { conn_send_ccs } from "../record_out";
import { th_init, th_update } from "../transcript";
import { suite12_allowed, get_group, TLS12_VERSION, TLS13_VERSION, KX_PSK_KE, KX_PSK_DHE_KE } from "../config";
import { suite_hash, suite_kx } from "../suites";
import { SUITE_KX_ECDHE_PSK } from "../tables";
import { group_share_len, group_new_private, group_public } from "../groups";
import { ev_push, EV_HANDSHAKE_DONE, EV_CLIENT_HELLO } from "../events";
import { msg_begin, msg_end, flight_emit, wr_ext_begin, HT_SERVER_HELLO, HT_FINISHED, wr_ext_alpn_mfl } from "../handshake_msg";
import { EXT_SERVER_NAME, EXT_MAX_FRAGMENT_LENGTH, EXT_SUPPORTED_GROUPS, EXT_ALPN, EXT_RECORD_SIZE_LIMIT } from "../extensions";
import { select_alpn } from "../alpn";
import { scratch } from "../scratch";
import { ct_equal, wipe } from "../../crypto/ct";
import { random_fill } from "../../host";
import * as A from "../alerts";
import { CH_IDENTITY, CH_SERVER_NAME, HR_PSK_KEY, HR_ABORT } from "../../abi";
import { tlv_next, tlv_tag, tlv_val, take_psk_key } from "../tlv";
import { HT_SERVER_KEY_EXCHANGE, HT_SERVER_HELLO_DONE, HT_CLIENT_KEY_EXCHANGE, EXT_EC_POINT_FORMATS,
  EXT_EXTENDED_MASTER_SECRET, EXT_RENEGOTIATION_INFO, TLS_FALLBACK_SCSV, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, DOWNGRADE_SENTINEL,
  S12_WAIT_CKE, S12_WAIT_HOST, S12_WAIT_CCS, S12_WAIT_FIN, MAX_CONTENT12, fail12, peer_rsl12, mfl12 } from "./common";
import { t12_master_from_exchange, t12_install, t12_finished, VERIFY_LEN } from "./keys";

const EVBUF_CAP: usize = 6 + MAX_IDENTITY + MAX_SNI;
// @ts-ignore: decorator
@lazy const EVBUF = memory.data(<i32>EVBUF_CAP, 8);

function ecdhe(suite: u16): bool {
  return suite_kx(suite) == SUITE_KX_ECDHE_PSK;
}

/** A ClientHello to answer with TLS 1.2 (the caller checked that the client offers it). */
export function t12_server_client_hello(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  rd_begin(msg + 4, len - 4);
  rd_u16(); // legacy_version: the caller has judged the versions
  const random = rd_take(32);
  const sidLen = rd_u8();
  rd_take(sidLen);
  const suitesLen = rd_u16();
  const suites = rd_take(suitesLen);
  const compLen = rd_u8();
  const comp = rd_take(compLen);
  if (!rd_ok() || sidLen > 32 || (suitesLen & 1) || suitesLen == 0 || compLen == 0) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  let nullComp = false;
  for (let i: usize = 0; i < <usize>compLen; i++) if (load<u8>(comp + i) == 0) nullComp = true;
  if (!nullComp) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  const x = scratch();
  let sni: usize = 0;
  let sniLen: usize = 0;
  let groups: usize = 0;     // the client's supported_groups list
  let groupsLen: usize = 0;
  let seen: u64 = 0;
  s.flags12 &= ~(G_RI | G_EC_FORMATS);
  if (rd_left() > 0) {
    const outer = rd_enter(rd_u16());
    while (rd_ok() && rd_left() > 0) {
      const et = rd_u16();
      const o = rd_enter(rd_u16());
      const bit: u64 = et < 63 ? <u64>1 << et : et == EXT_RENEGOTIATION_INFO ? <u64>1 << 63 : 0;
      if (seen & bit) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      seen |= bit;
      if (et == EXT_SERVER_NAME) {
        const o2 = rd_enter(rd_u16());
        while (rd_ok() && rd_left() > 0) {
          const nt = rd_u8();
          const nl = rd_u16();
          const nm = rd_take(nl);
          if (nt == 0 && !sni) { sni = nm; sniLen = nl; }
        }
        rd_leave(o2);
      } else if (et == EXT_SUPPORTED_GROUPS) {
        x.t12GroupsSeen = true;
        groupsLen = rd_u16();
        groups = rd_take(groupsLen);
        if (groupsLen & 1) rd_take(rd_left() + 1); // an odd length: fails the parse
      } else if (et == EXT_ALPN) {
        x.clientAlpnLen = rd_left();
        x.clientAlpn = rd_take(x.clientAlpnLen);
      } else if (et == EXT_MAX_FRAGMENT_LENGTH) {
        x.clientMfl = rd_u8();
        if (x.clientMfl < 1 || x.clientMfl > 4) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      } else if (et == EXT_RECORD_SIZE_LIMIT) {
        x.clientRsl = rd_u16();
        if (x.clientRsl < 64) return fail12(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      } else if (et == EXT_EXTENDED_MASTER_SECRET) {
        x.t12Ems = true;
      } else if (et == EXT_RENEGOTIATION_INFO) {
        // RFC 5746 §3.6: an initial ClientHello's renegotiated_connection is empty.
        if (rd_u8() != 0) return fail12(p, A.R_RENEGOTIATION, A.ALERT_HANDSHAKE_FAILURE);
        x.t12Ri = true;
      } else if (et == EXT_EC_POINT_FORMATS) {
        s.flags12 |= G_EC_FORMATS;
        rd_take(rd_left());
      } else {
        rd_take(rd_left()); // everything else (session_ticket, signature_algorithms, TLS 1.3's) is ignored
      }
      rd_leave(o);
    }
    rd_leave(outer);
  }
  if (!rd_ok() || rd_left() != 0) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);

  // ECDHE-PSK: our most preferred group the client lists (RFC 8422 §5.1.1: no list, any of ours).
  let group: u16 = 0;
  for (let i: u8 = 0; i < s.groupCount && !group; i++) {
    const g = get_group(p, i);
    if (!x.t12GroupsSeen) group = g;
    for (let k: usize = 0; k + 1 < groupsLen && !group; k += 2) if (bswap<u16>(load<u16>(groups + k)) == g) group = g;
  }
  // The client's order decides among the suites we allow (as for TLS 1.3); ECDHE-PSK only with a group.
  let chosen: u16 = 0;
  for (let i: usize = 0; i < suitesLen; i += 2) {
    const id = bswap<u16>(load<u16>(suites + i));
    if (id == TLS_EMPTY_RENEGOTIATION_INFO_SCSV) x.t12Ri = true;
    // RFC 7507: a client that fell back from a version we speak.
    if (id == TLS_FALLBACK_SCSV && s.maxVersion >= TLS13_VERSION) return fail12(p, A.R_PROTOCOL_VERSION, A.ALERT_INAPPROPRIATE_FALLBACK);
    if (!chosen && suite12_allowed(p, id) && (!ecdhe(id) || group != 0)) chosen = id;
  }
  if (!chosen) return fail12(p, A.R_NO_SHARED_CIPHER, A.ALERT_HANDSHAKE_FAILURE);
  // RFC 7627 §5.3: we require the extended master secret (no session to fall back on either).
  if (!x.t12Ems) return fail12(p, A.R_NO_EXTENDED_MASTER_SECRET, A.ALERT_HANDSHAKE_FAILURE);
  if (x.t12Ri) s.flags12 |= G_RI;
  if (ecdhe(chosen)) s.group = group;

  s.version = TLS12_VERSION;
  s.suite = chosen;
  s.kxChosen = ecdhe(chosen) ? KX_PSK_DHE_KE : KX_PSK_KE;
  s.hashAlg = suite_hash(chosen);
  memory.copy(p + O_CLIENT_RANDOM, random, 32);
  s.sessionIdLen = 0; // no session cache: an empty session_id (RFC 5246 §7.4.1.3)
  if (sniLen && sniLen <= MAX_SNI) {
    memory.copy(p + O_SNI, sni, sniLen);
    s.sniLen = <u32>sniLen;
  }
  limits_from_client(p);
  if (!select_alpn(p)) return false;
  th_init(p);
  th_update(p, msg, len);
  return send_server_flight(p);
}

/** Record-size limits the client asked for; record_size_limit wins over max_fragment_length (RFC 8449 §5). */
function limits_from_client(p: usize): void {
  const s = slot_at(p);
  const x = scratch();
  if (x.clientRsl) {
    peer_rsl12(p, x.clientRsl);
    s.mflCode = 0;
  } else if (x.clientMfl) {
    mfl12(p, x.clientMfl);
  } else {
    s.mflCode = 0;
  }
}

/** ServerHello [ServerKeyExchange] ServerHelloDone. */
function send_server_flight(p: usize): bool {
  const s = slot_at(p);
  const dh = ecdhe(s.suite);
  random_fill(p + O_SERVER_RANDOM, 32);
  // RFC 8446 §4.1.3: a server that speaks TLS 1.3 says so when it negotiates 1.2.
  if (s.maxVersion >= TLS13_VERSION) memory.copy(p + O_SERVER_RANDOM + 24, DOWNGRADE_SENTINEL, 8);
  msg_begin(p, HT_SERVER_HELLO);
  wr_u16(TLS12_VERSION);
  wr_bytes(p + O_SERVER_RANDOM, 32);
  wr_u8(0);
  wr_u16(s.suite);
  wr_u8(0);
  const exts = wr_take(2);
  let e: usize;
  if (s.flags12 & G_RI) {
    e = wr_ext_begin(EXT_RENEGOTIATION_INFO);
    wr_u8(0);
    wr_close(e, 2);
  }
  e = wr_ext_begin(EXT_EXTENDED_MASTER_SECRET);
  wr_close(e, 2);
  if (dh && (s.flags12 & G_EC_FORMATS)) {
    e = wr_ext_begin(EXT_EC_POINT_FORMATS);
    wr_u8(1);
    wr_u8(0); // uncompressed
    wr_close(e, 2);
  }
  wr_ext_alpn_mfl(p);
  if (s.peerRsl) {
    // Our limit is what our receive buffer holds; TLS 1.2 counts content only, at most 2^14 (RFC 8449 §4).
    let ours = s.ourRsl ? s.ourRsl : s.recvLimit;
    if (ours > MAX_CONTENT12) ours = MAX_CONTENT12;
    s.recvLimit = ours;
    e = wr_ext_begin(EXT_RECORD_SIZE_LIMIT);
    wr_u16(ours);
    wr_close(e, 2);
  }
  wr_close(exts, 2);
  msg_end(p);
  if (dh || s.hintLen) {
    msg_begin(p, HT_SERVER_KEY_EXCHANGE);
    wr_u16(s.hintLen);
    wr_bytes(p + O_HINT, s.hintLen);
    if (dh) {
      const shareLen = group_share_len(s.group);
      group_new_private(s.group, p + O_KX_PRIV);
      wr_u8(3); // named_curve
      wr_u16(s.group);
      wr_u8(<u32>shareLen);
      const pub = wr_take(shareLen);
      if (pub) group_public(s.group, p + O_KX_PRIV, pub);
    }
    msg_end(p);
  }
  msg_begin(p, HT_SERVER_HELLO_DONE);
  msg_end(p);
  if (!flight_emit(p)) return false;
  s.hs = S12_WAIT_CKE;
  return true;
}

/** A handshake message for a server that negotiated TLS 1.2. */
export function t12_server_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.hs == S12_WAIT_CKE && type == HT_CLIENT_KEY_EXCHANGE) return on_client_key_exchange(p, msg, len);
  if (s.hs == S12_WAIT_FIN && type == HT_FINISHED) return on_finished(p, msg, len);
  // A Certificate or CertificateVerify: we asked for neither.
  return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
}

/** ClientKeyExchange: psk_identity [, ECPoint]; then the key, from the config or the host. */
function on_client_key_exchange(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  rd_begin(msg + 4, len - 4);
  const idLen = rd_u16();
  const id = rd_take(idLen);
  if (ecdhe(s.suite)) {
    const pointLen = rd_u8();
    const point = rd_take(pointLen);
    if (rd_ok() && <usize>pointLen != group_share_len(s.group)) return fail12(p, A.R_BAD_KEY_SHARE, A.ALERT_ILLEGAL_PARAMETER);
    if (rd_ok()) memory.copy(p + O_PEER_SHARE, point, pointLen);
  }
  if (!rd_ok() || rd_left() != 0) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  th_update(p, msg, len);
  // An identity we cannot hold cannot be one we know.
  if (idLen == 0 || <usize>idLen > MAX_IDENTITY) return fail12(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
  if (s.flags & F_PSK_KNOWN) {
    // A single static PSK: the identity must be its own.
    if (idLen != s.identityLen || memory.compare(id, p + O_IDENTITY, idLen) != 0) {
      return fail12(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
    }
    return derive(p);
  }
  memory.copy(p + O_IDENTITY, id, idLen);
  s.identityLen = idLen;
  wr_begin(EVBUF, EVBUF_CAP);
  wr_u8(CH_IDENTITY); wr_u16(idLen); wr_bytes(p + O_IDENTITY, idLen);
  if (s.sniLen) { wr_u8(CH_SERVER_NAME); wr_u16(s.sniLen); wr_bytes(p + O_SNI, s.sniLen); }
  if (!wr_ok() || !ev_push(p, EV_CLIENT_HELLO, 0, EVBUF, wr_pos() - EVBUF)) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  wipe(EVBUF, EVBUF_CAP);
  s.flags |= F_WAIT_HOST;
  s.hs = S12_WAIT_HOST;
  return true;
}

/** The host's answer for the ClientKeyExchange identity: HR_PSK_KEY, or HR_ABORT (HR_ALPN is too late in TLS 1.2: ignored). */
export function t12_server_reply(p: usize, r: usize, len: usize): bool {
  const s = slot_at(p);
  s.flags &= ~F_WAIT_HOST;
  const end = r + len;
  for (let at = r; at < end; ) {
    const next = tlv_next(at, end);
    if (!next) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    const tag = tlv_tag(at);
    const v = tlv_val(at);
    const n = next - v;
    at = next;
    if (tag == HR_PSK_KEY) {
      if (!take_psk_key(p, v, n)) return fail12(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
      s.flags |= F_PSK_KNOWN;
    } else if (tag == HR_ABORT) {
      const alert = n == 1 ? load<u8>(v) : A.ALERT_HANDSHAKE_FAILURE;
      return fail12(p, alert == A.ALERT_UNRECOGNIZED_NAME ? A.R_UNRECOGNIZED_NAME : A.R_USER_CANCELED, alert);
    }
  }
  // OpenSSL's answer to an identity its callback does not know (SSL_R_PSK_IDENTITY_NOT_FOUND).
  if (!(s.flags & F_PSK_KNOWN)) return fail12(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
  return derive(p);
}

/** The master secret from the PSK (and the (EC)DHE secret); the client's ChangeCipherSpec comes next. */
function derive(p: usize): bool {
  const s = slot_at(p);
  if (!t12_master_from_exchange(p, ecdhe(s.suite))) return false;
  s.hs = S12_WAIT_CCS;
  return true;
}

/** The client's ChangeCipherSpec: its keys apply from the next record. */
export function t12_server_ccs(p: usize): bool {
  const s = slot_at(p);
  if (s.hs != S12_WAIT_CCS) return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  t12_install(p, false);
  s.hs = S12_WAIT_FIN;
  return true;
}

/** The client's Finished, then our ChangeCipherSpec and Finished. */
function on_finished(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (len != 4 + VERIFY_LEN) return fail12(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  t12_finished(p, true, p + O_C_FINISHED);
  if (ct_equal(p + O_C_FINISHED, msg + 4, VERIFY_LEN) != 1) return fail12(p, A.R_FINISHED_MISMATCH, A.ALERT_DECRYPT_ERROR);
  th_update(p, msg, len);
  if (!conn_send_ccs(p)) return fail12(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  t12_install(p, true);
  t12_finished(p, false, p + O_S_FINISHED);
  msg_begin(p, HT_FINISHED);
  wr_bytes(p + O_S_FINISHED, VERIFY_LEN);
  msg_end(p);
  if (!flight_emit(p)) return false;
  s.state = ST_OPEN;
  s.hs = 0;
  ev_push(p, EV_HANDSHAKE_DONE, 0, 0, 0);
  return true;
}
