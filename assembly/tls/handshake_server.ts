// The server side of a TLS 1.3 PSK handshake (RFC 8446 §2, §4):
//
//   <- ClientHello
//   [HelloRetryRequest (+cookie) ->  <- ClientHello2]      when no usable share
//   [the host looks the PSK identity up: EV_CLIENT_HELLO ... hello_reply]
//   ServerHello [CCS] {EncryptedExtensions} {Finished}     ->
//   <- [CCS] {Finished}
//
// The PSK lookup is the one place the engine waits for its host: the slot
// parks in S_WAIT_HOST, input stops, and hello_reply resumes it. A host may
// take as long as it likes (a database, a device registry) while other slots
// carry on.
import { slot_at, ST_OPEN, O_CLIENT_RANDOM, O_SERVER_RANDOM, O_SESSION_ID, O_KX_PRIV, O_C_TRAFFIC,
  O_S_TRAFFIC, O_C_PENDING, O_C_FINISHED, O_S_FINISHED, O_IDENTITY, O_ALPN, O_ALPN_SEL, O_SNI, O_COOKIE, O_SECRET,
  O_PEER_SHARE, O_PSK_OFFERS, O_PEER_BINDERS, O_BINDER_HASH, MAX_PSK_OFFERS, MAX_IDENTITY, MAX_SNI, MAX_ALPN_SEL,
  F_PSK_KNOWN, F_WAIT_HOST, F_EARLY_CCS_OK, F_SERVER_CCS, F_FORCE_HRR } from "./slot";
import { rd_begin, rd_ok, rd_u8, rd_u16, rd_take, rd_left, rd_enter, rd_leave, rd_pos, rd_fail,
  wr_begin, wr_u8, wr_u16, wr_bytes, wr_take, wr_pos, wr_close, wr_ok } from "./codec";
import { conn_send_ccs, fail } from "./record_out";
import { conn_install, conn_keylog, derive_early, derive_handshake, derive_application, hlen, KL_CLIENT_TRAFFIC_0 } from "./keys";
import { th_init, th_update, th_current, th_hash_with, th_restart_with_message_hash } from "./transcript";
import { ks_derive, ks_finished, empty_hash } from "./keyschedule";
import { L_EXT_BINDER, L_EXT_BINDER_LEN } from "./labels";
import { suite_allowed, get_group, offers12, offers13, KX_PSK_KE, KX_PSK_DHE_KE, TLS12_VERSION } from "./config";
import { HAS_TLS12 } from "../features";
import { t12_server_client_hello } from "./tls12/server";
import { group_share_len, group_new_private, group_public, KX_SHARE_MAX, KX_PRIV_MAX } from "./groups";
import { ev_push, EV_HANDSHAKE_DONE, EV_CLIENT_HELLO } from "./events";
import { ct_equal, wipe } from "../crypto/ct";
import { random_fill } from "../host";
import * as A from "./alerts";
import { select_alpn } from "./alpn";
import { HT_SERVER_HELLO, HT_ENCRYPTED_EXTENSIONS, HT_FINISHED, HT_CLIENT_HELLO, TLS13, HRR_RANDOM,
  msg_begin, msg_end, flight_emit, wr_ext_begin, wr_ext_alpn_mfl } from "./handshake_msg";
import { EXT_RECORD_SIZE_LIMIT, EXT_PRE_SHARED_KEY,
  EXT_SUPPORTED_VERSIONS, EXT_COOKIE, EXT_KEY_SHARE, X_SUPPORTED_GROUPS, X_KEY_SHARE, X_PRE_SHARED_KEY,
  IN_CH, EXT_IGNORE, EXT_REFUSED, ext_begin, ext_admit, ext_seen, X_SERVER_NAME, X_MAX_FRAGMENT_LENGTH, X_ALPN,
  X_RECORD_SIZE_LIMIT, X_SUPPORTED_VERSIONS, X_COOKIE, X_PSK_KEY_EXCHANGE_MODES } from "./extensions";
import { scratch, scratch_at, SCAN_MAX, SCRATCH_ID_AT, SCRATCH_ID_LEN, SCRATCH_BINDER_AT, SCRATCH_BINDER_LEN } from "./scratch";
import { HR_PSK_KEY, HR_ALPN, HR_ABORT, HR_PSK_INDEX, CH_IDENTITY, CH_SERVER_NAME, CH_ALPN } from "../abi";
import { tlv_next, tlv_tag, tlv_val, take_psk_key } from "./tlv";
export { HR_PSK_KEY, HR_ALPN, HR_ABORT, HR_PSK_INDEX, CH_IDENTITY, CH_SERVER_NAME, CH_ALPN } from "../abi";

export const S_WAIT_CH: u8 = 0;
export const S_WAIT_HOST: u8 = 1;
export const S_WAIT_CH2: u8 = 2;
export const S_WAIT_FIN: u8 = 3;

// HELLO_REPLY fields the host sends back (TLV like the config).

// EV_CLIENT_HELLO data fields.

// @ts-ignore: decorator
@lazy const TMP = memory.data(2 * 48);
const EVBUF_CAP: usize = 3 * (MAX_PSK_OFFERS + 2) + MAX_IDENTITY + MAX_SNI + 256;
// @ts-ignore: decorator
@lazy const EVBUF = memory.data(<i32>EVBUF_CAP);

// What the ClientHello offered is kept, while it is being answered, in the
// per-call scratch (scratch.ts): pointers into the message, and the client's
// identities and binders (the first SCAN_MAX looked at, the rest counted).
// @ts-ignore: decorator
@inline function id_at(i: u32): usize { return scratch_at(SCRATCH_ID_AT) + <usize>i * 4; }
// @ts-ignore: decorator
@inline function id_len(i: u32): usize { return scratch_at(SCRATCH_ID_LEN) + <usize>i * 4; }
// @ts-ignore: decorator
@inline function binder_at(i: u32): usize { return scratch_at(SCRATCH_BINDER_AT) + <usize>i * 4; }
// @ts-ignore: decorator
@inline function binder_len(i: u32): usize { return scratch_at(SCRATCH_BINDER_LEN) + <usize>i * 4; }

export function server_start(p: usize): void {
  const s = slot_at(p);
  th_init(p);
  s.hs = S_WAIT_CH;
}

export function server_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if ((s.hs == S_WAIT_CH || s.hs == S_WAIT_CH2) && type == HT_CLIENT_HELLO) return on_client_hello(p, msg, len);
  if (s.hs == S_WAIT_FIN && type == HT_FINISHED) return on_finished(p, msg, len);
  return fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
}

function on_client_hello(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  const hl = hlen(p);
  rd_begin(msg + 4, len - 4);
  const legacyVersion = rd_u16();
  const random = rd_take(32);
  const sidLen = rd_u8();
  const sid = rd_take(sidLen);
  const suitesLen = rd_u16();
  const suites = rd_take(suitesLen);
  const compLen = rd_u8();
  const comp = rd_take(compLen);
  if (!rd_ok() || sidLen > 32 || (suitesLen & 1) || suitesLen == 0 || compLen == 0) {
    return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  }
  if (compLen != 1 || load<u8>(comp) != 0) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  if (s.hs == S_WAIT_CH2) {
    // ClientHello2 must repeat what HelloRetryRequest did not change.
    if (ct_equal(random, p + O_CLIENT_RANDOM, 32) != 1 || sidLen != s.sessionIdLen) {
      return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    }
  }
  memory.copy(p + O_CLIENT_RANDOM, random, 32);
  memory.copy(p + O_SESSION_ID, sid, sidLen);
  s.sessionIdLen = sidLen;

  // Our preference among the client's suites is the client's order (as OpenSSL's default).
  let chosen: u16 = 0;
  for (let i: usize = 0; i < suitesLen && !chosen; i += 2) {
    const id = bswap<u16>(load<u16>(suites + i));
    if (suite_allowed(p, id)) chosen = id;
  }

  // A ClientHello2 is parsed afresh: what the first one offered is forgotten.
  const x = scratch();
  x.offeredModes = 0; x.listedGroup = 0; x.shareGroup = 0; x.clientMfl = 0; x.clientRsl = 0;
  x.clientAlpn = 0; x.clientAlpnLen = 0; x.offerCount = 0; x.binderCount = 0; x.cookieEcho = 0; x.cookieEchoLen = 0;
  x.version13 = false; x.versionsSeen = false; x.pskSeen = false; x.bindersAt = 0;
  x.sni = 0; x.sniLen = 0;
  if (rd_left() == 0) {
    // No extensions: not TLS 1.3, and a TLS 1.2 client without the extended master secret.
    if (HAS_TLS12 && offers12(p) && legacyVersion >= TLS12_VERSION && s.hs == S_WAIT_CH) {
      return fail(p, A.R_NO_EXTENDED_MASTER_SECRET, A.ALERT_HANDSHAKE_FAILURE);
    }
    return fail(p, A.R_PROTOCOL_VERSION, A.ALERT_PROTOCOL_VERSION);
  }
  const outer = rd_enter(rd_u16());
  ext_begin();
  while (rd_ok() && rd_left() > 0) {
    if (x.pskSeen) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER); // pre_shared_key must be last
    const et = rd_u16();
    const o = rd_enter(rd_u16());
    const i = ext_admit(p, et, IN_CH);
    if (i == EXT_REFUSED) return false;
    if (i == EXT_IGNORE) rd_take(rd_left()); // extensions we do not implement are ignored (RFC 8446 §4.2)
    else if (!ch_extension(p, i)) return false;
    rd_leave(o);
  }
  rd_leave(outer);
  if (!rd_ok() || rd_left() != 0) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  // Version negotiation (RFC 8446 §4.2.1): TLS 1.3 when both speak it, else
  // TLS 1.2 when both speak that (tls12/server.ts; its ServerHello carries
  // the downgrade sentinel when we speak 1.3).
  const client13 = x.versionsSeen && x.version13;
  const client12 = x.versionsSeen ? x.t12Offered : legacyVersion >= TLS12_VERSION;
  if (HAS_TLS12 && !(client13 && offers13(p)) && client12 && offers12(p)) {
    if (s.hs != S_WAIT_CH) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER); // after our HRR
    return t12_server_client_hello(p, msg, len);
  }
  if (!client13 || !offers13(p) || legacyVersion != 0x0303) return fail(p, A.R_PROTOCOL_VERSION, A.ALERT_PROTOCOL_VERSION);
  // RFC 8446 §9.2: supported_groups and key_share come together (an empty
  // client_shares is fine); one without the other is missing_extension, not
  // a reason for a HelloRetryRequest.
  if (ext_seen(X_SUPPORTED_GROUPS) != ext_seen(X_KEY_SHARE)) {
    return fail(p, A.R_MISSING_EXTENSION, A.ALERT_MISSING_EXTENSION);
  }
  if (!chosen) return fail(p, A.R_NO_SHARED_CIPHER, A.ALERT_HANDSHAKE_FAILURE);
  if (s.hs == S_WAIT_CH2 && chosen != s.suite) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  s.suite = chosen;
  // tlsrt has no certificates: without a PSK there is nothing to agree on.
  if (!x.pskSeen) return fail(p, A.R_NO_PSK, A.ALERT_HANDSHAKE_FAILURE);
  if (!x.offeredModes) return fail(p, A.R_MISSING_EXTENSION, A.ALERT_MISSING_EXTENSION);

  const needHrr = choose_key_exchange(p);
  if (needHrr < 0) return false;

  if (needHrr) {
    th_update(p, msg, len);
    // Ask for a share only when the client sent none we can use (else the HRR is for the cookie).
    return send_hello_retry(p, s.kxChosen == KX_PSK_DHE_KE && s.group != x.shareGroup ? s.group : 0);
  }
  // Binder input: the transcript so far plus the ClientHello up to its binders.
  th_hash_with(p, msg, x.bindersAt - msg, p + O_BINDER_HASH);
  th_update(p, msg, len);
  return after_client_hello(p);
}

/** Offer table (O_PSK_OFFERS): [0] count, [1] the chosen offer, then per offer {wire index u16, identity offset u8, length u8}. */
// @ts-ignore: decorator
@inline function offer_at(p: usize, k: u32): usize {
  return p + O_PSK_OFFERS + 4 + <usize>k * 4;
}

/** Records offer k: the client's identity number `wire`, its binder, and where its identity is kept. */
function keep_offer(p: usize, k: u32, wire: u32, off: u32, len: u32): void {
  const o = offer_at(p, k);
  store<u16>(o, <u16>wire);
  store<u8>(o, <u8>off, 2);
  store<u8>(o, <u8>len, 3);
  memory.copy(p + O_PEER_BINDERS + <usize>k * 48, <usize>load<u32>(binder_at(wire)), hlen(p));
}

/**
 * The identities we can consider (RFC 8446 §4.2.11: the server picks one of
 * the client's, in any order; we take them in the client's order, as
 * OpenSSL does): at most MAX_PSK_OFFERS, each with a binder as long as our
 * hash and an identity that fits, all of them together in O_IDENTITY (the
 * ClientHello does not outlive this call, the host may answer later).
 * With a static PSK only the configured identity is kept. Returns the count.
 */
function collect_offers(p: usize): u32 {
  const s = slot_at(p);
  const hl = <u32>hlen(p);
  const offerCount = scratch().offerCount;
  const scan = offerCount < SCAN_MAX ? offerCount : SCAN_MAX;
  const staticPsk = (s.flags & F_PSK_KNOWN) != 0;
  let n: u32 = 0;
  let used: u32 = 0;
  for (let i: u32 = 0; i < scan && n < <u32>MAX_PSK_OFFERS; i++) {
    const at = <usize>load<u32>(id_at(i));
    const il = load<u32>(id_len(i));
    if (load<u32>(binder_len(i)) != hl) continue;
    if (staticPsk) {
      if (il != s.identityLen || memory.compare(at, p + O_IDENTITY, il) != 0) continue;
      keep_offer(p, 0, i, 0, il);
      n = 1;
      break;
    }
    if (used + il > <u32>MAX_IDENTITY) continue;
    memory.copy(p + O_IDENTITY + used, at, il);
    keep_offer(p, n++, i, used, il);
    used += il;
  }
  store<u8>(p + O_PSK_OFFERS, <u8>n);
  store<u8>(p + O_PSK_OFFERS + 1, 0);
  return n;
}

/** Why no offered identity could be used: a binder of the wrong length says the PSK's hash is not ours. */
function no_offer(p: usize): bool {
  const offerCount = scratch().offerCount;
  const scan = offerCount < SCAN_MAX ? offerCount : SCAN_MAX;
  for (let i: u32 = 0; i < scan; i++) {
    if (load<u32>(binder_len(i)) != <u32>hlen(p)) return fail(p, A.R_BINDER_MISMATCH, A.ALERT_DECRYPT_ERROR);
  }
  return fail(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
}

/** Keeps what the host's reply needs, then answers at once (static PSK) or asks the host. */
function after_client_hello(p: usize): bool {
  const s = slot_at(p);
  const x = scratch();

  // Keep what the reply needs; the ClientHello bytes will not outlive this call.
  if (x.sniLen && x.sniLen <= MAX_SNI) {
    memory.copy(p + O_SNI, x.sni, x.sniLen);
    s.sniLen = <u32>x.sniLen;
  }
  limits_from_client(p);
  if (!select_alpn(p)) return false;
  const n = collect_offers(p);
  if (n == 0) return no_offer(p);
  // A single static PSK in the config: no need to ask the host.
  if (s.flags & F_PSK_KNOWN) return answer(p);
  s.identityLen = <u32>load<u8>(offer_at(p, 0) + 3);
  // Ask the host: the identities (in the client's order), server name and the client's ALPN list.
  wr_begin(EVBUF, EVBUF_CAP);
  for (let k: u32 = 0; k < n; k++) {
    const o = offer_at(p, k);
    const il = <u32>load<u8>(o + 3);
    wr_u8(CH_IDENTITY); wr_u16(il); wr_bytes(p + O_IDENTITY + <usize>load<u8>(o + 2), il);
  }
  if (s.sniLen) { wr_u8(CH_SERVER_NAME); wr_u16(s.sniLen); wr_bytes(p + O_SNI, s.sniLen); }
  if (x.clientAlpnLen && x.clientAlpnLen <= 256) { wr_u8(CH_ALPN); wr_u16(<u32>x.clientAlpnLen); wr_bytes(x.clientAlpn, x.clientAlpnLen); }
  const pushed = wr_ok() && ev_push(p, EV_CLIENT_HELLO, 0, EVBUF, wr_pos() - EVBUF);
  wipe(EVBUF, EVBUF_CAP); // the identities live on in the slot's event only
  if (!pushed) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  s.flags |= F_WAIT_HOST;
  s.hs = S_WAIT_HOST;
  return true;
}

/**
 * Key exchange: psk_dhe_ke when both sides allow it and a share can be had.
 * Returns 1 when a HelloRetryRequest must ask for a share on our group (or a
 * cookie), 0 to go on, -1 when the connection failed.
 */
function choose_key_exchange(p: usize): i32 {
  const s = slot_at(p);
  const x = scratch();
  const modes = x.offeredModes & s.kxModes;
  let mode: u8 = 0;
  let needHrr = false;
  // ClientHello2 must carry a share on the group our HelloRetryRequest named (RFC 8446 §4.1.4).
  const shareOk = x.shareGroup != 0 && (s.hs == S_WAIT_CH || s.group == 0 || x.shareGroup == s.group);
  if ((modes & KX_PSK_DHE_KE) && shareOk) mode = KX_PSK_DHE_KE;
  let askGroup: u16 = 0;
  if (!mode && (modes & KX_PSK_DHE_KE) && x.listedGroup && s.hs == S_WAIT_CH) { mode = KX_PSK_DHE_KE; needHrr = true; askGroup = x.listedGroup; }
  if (!mode && (modes & KX_PSK_KE)) mode = KX_PSK_KE;
  if (!mode) {
    if (modes & KX_PSK_DHE_KE) fail(p, A.R_NO_SHARED_GROUP, A.ALERT_HANDSHAKE_FAILURE);
    else fail(p, A.R_NO_PSK, A.ALERT_HANDSHAKE_FAILURE);
    return -1;
  }
  if ((s.flags & F_FORCE_HRR) && s.hs == S_WAIT_CH) needHrr = true;
  if (s.hs == S_WAIT_CH2) {
    if (x.cookieEchoLen != s.cookieLen || ct_equal(x.cookieEcho, p + O_COOKIE, x.cookieEchoLen) != 1) {
      fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      return -1;
    }
  }
  s.kxChosen = mode;
  s.group = mode == KX_PSK_DHE_KE ? (askGroup ? askGroup : x.shareGroup) : 0;
  return needHrr ? 1 : 0;
}

// ClientHello extensions: each codec reads its body (the reader is narrowed
// to it) into scratch(); ch_extension dispatches on the table entry.

function ch_supported_versions(p: usize): bool {
  const x = scratch();
  x.versionsSeen = true;
  const o2 = rd_enter(rd_u8());
  while (rd_ok() && rd_left() >= 2) {
    const v = rd_u16();
    if (v == TLS13) x.version13 = true;
    else if (v == TLS12_VERSION) x.t12Offered = true;
  }
  rd_leave(o2);
  return true;
}

function ch_server_name(p: usize): bool {
  const x = scratch();
  const o2 = rd_enter(rd_u16());
  while (rd_ok() && rd_left() > 0) {
    const nt = rd_u8();
    const nl = rd_u16();
    const nm = rd_take(nl);
    if (nt == 0 && !x.sni) { x.sni = nm; x.sniLen = nl; }
  }
  rd_leave(o2);
  return true;
}

/** Rank of `g` in the slot's group preference (0 best), or -1 when it is not one of ours. */
function group_rank(p: usize, g: u16): i32 {
  const s = slot_at(p);
  for (let i: u8 = 0; i < s.groupCount; i++) if (get_group(p, i) == g) return <i32>i;
  return -1;
}

function ch_supported_groups(p: usize): bool {
  const x = scratch();
  const o2 = rd_enter(rd_u16());
  while (rd_ok() && rd_left() >= 2) {
    const g = <u16>rd_u16();
    const r = group_rank(p, g);
    if (r >= 0 && (x.listedGroup == 0 || r < group_rank(p, x.listedGroup))) x.listedGroup = g;
  }
  rd_leave(o2);
  return true;
}

function ch_key_share(p: usize): bool {
  const x = scratch();
  const o2 = rd_enter(rd_u16());
  while (rd_ok() && rd_left() > 0) {
    const g = <u16>rd_u16();
    const kl = rd_u16();
    const k = rd_take(kl);
    const r = group_rank(p, g);
    if (r >= 0 && rd_ok()) {
      if (<usize>kl != group_share_len(g)) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
      if (x.shareGroup == 0 || r < group_rank(p, x.shareGroup)) {
        memory.copy(p + O_PEER_SHARE, k, kl);
        x.shareGroup = g;
      }
    }
  }
  rd_leave(o2);
  return true;
}

function ch_psk_key_exchange_modes(p: usize): bool {
  const x = scratch();
  const o2 = rd_enter(rd_u8());
  while (rd_ok() && rd_left() > 0) {
    const m = rd_u8();
    if (m == 0) x.offeredModes |= KX_PSK_KE;
    else if (m == 1) x.offeredModes |= KX_PSK_DHE_KE;
  }
  rd_leave(o2);
  return true;
}

function ch_alpn(p: usize): bool {
  const x = scratch();
  x.clientAlpnLen = rd_left();
  x.clientAlpn = rd_take(x.clientAlpnLen);
  return true;
}

function ch_max_fragment_length(p: usize): bool {
  const x = scratch();
  x.clientMfl = rd_u8();
  if (x.clientMfl < 1 || x.clientMfl > 4) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  return true;
}

function ch_record_size_limit(p: usize): bool {
  const x = scratch();
  x.clientRsl = rd_u16();
  if (x.clientRsl < 64) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  return true;
}

function ch_cookie(p: usize): bool {
  const x = scratch();
  x.cookieEchoLen = rd_u16();
  x.cookieEcho = rd_take(x.cookieEchoLen);
  return true;
}

function ch_pre_shared_key(p: usize): bool {
  const x = scratch();
  x.pskSeen = true;
  const ids = rd_enter(rd_u16());
  while (rd_ok() && rd_left() > 0) {
    const il = rd_u16();
    const id = rd_take(il);
    rd_take(4); // obfuscated_ticket_age
    if (il == 0) rd_fail();
    if (x.offerCount < SCAN_MAX) {
      store<u32>(id_at(x.offerCount), <u32>id);
      store<u32>(id_len(x.offerCount), il);
    }
    x.offerCount++;
  }
  rd_leave(ids);
  x.bindersAt = rd_pos();
  const bs = rd_enter(rd_u16());
  while (rd_ok() && rd_left() > 0) {
    const bl = rd_u8();
    const b = rd_take(bl);
    if (bl < 32) rd_fail();
    if (x.binderCount < SCAN_MAX) {
      store<u32>(binder_at(x.binderCount), <u32>b);
      store<u32>(binder_len(x.binderCount), bl);
    }
    x.binderCount++;
  }
  rd_leave(bs);
  if (rd_ok() && (x.offerCount == 0 || x.offerCount != x.binderCount)) return fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
  return true;
}

function ch_ignore(p: usize): bool {
  rd_take(rd_left()); // signature_algorithms, early_data: nothing for a PSK-only server without 0-RTT
  return true;
}

/** The ClientHello codec of extension entry `i`. */
function ch_extension(p: usize, i: i32): bool {
  if (i == X_SUPPORTED_VERSIONS) return ch_supported_versions(p);
  if (i == X_SERVER_NAME) return ch_server_name(p);
  if (i == X_SUPPORTED_GROUPS) return ch_supported_groups(p);
  if (i == X_KEY_SHARE) return ch_key_share(p);
  if (i == X_PSK_KEY_EXCHANGE_MODES) return ch_psk_key_exchange_modes(p);
  if (i == X_ALPN) return ch_alpn(p);
  if (i == X_MAX_FRAGMENT_LENGTH) return ch_max_fragment_length(p);
  if (i == X_RECORD_SIZE_LIMIT) return ch_record_size_limit(p);
  if (i == X_COOKIE) return ch_cookie(p);
  if (i == X_PRE_SHARED_KEY) return ch_pre_shared_key(p);
  return ch_ignore(p);
}

/** Record-size limits the client asked for (RFC 6066 max_fragment_length, RFC 8449 record_size_limit). */
function limits_from_client(p: usize): void {
  const s = slot_at(p);
  const x = scratch();
  const clientRsl = x.clientRsl;
  const clientMfl = x.clientMfl;
  // RFC 8449 §5: record_size_limit takes precedence over max_fragment_length.
  if (clientRsl) {
    s.peerRsl = clientRsl;
    s.peerLimit = clientRsl > 16385 ? 16385 : clientRsl;
    s.mflCode = 0;
  } else if (clientMfl) {
    s.mflCode = <u8>clientMfl;
    s.peerLimit = (1 << (8 + clientMfl)) + 1;
    // The client is bound by the same limit (RFC 6066 §4).
    if (s.recvLimit > (1 << (8 + clientMfl))) s.recvLimit = 1 << (8 + clientMfl);
  } else {
    // Only the client asks (RFC 6066 §4); a server that sent max_fragment_length
    // unasked would be refused with unsupported_extension (OpenSSL does).
    s.mflCode = 0;
  }
}

/**
 * The part a ServerHello and a HelloRetryRequest share (RFC 8446 §4.1.3):
 * version, random, the echoed session id, suite, compression, and the
 * supported_versions extension. Returns the open extensions block.
 */
function server_hello_head(p: usize, random: usize): usize {
  const s = slot_at(p);
  msg_begin(p, HT_SERVER_HELLO);
  wr_u16(0x0303);
  wr_bytes(random, 32);
  wr_u8(s.sessionIdLen);
  wr_bytes(p + O_SESSION_ID, s.sessionIdLen);
  wr_u16(s.suite);
  wr_u8(0);
  const exts = wr_take(2);
  const e = wr_ext_begin(EXT_SUPPORTED_VERSIONS);
  wr_u16(TLS13);
  wr_close(e, 2);
  return exts;
}

function send_hello_retry(p: usize, group: u16): bool {
  const s = slot_at(p);
  th_restart_with_message_hash(p);
  random_fill(p + O_COOKIE, 32);
  s.cookieLen = 32;
  const exts = server_hello_head(p, HRR_RANDOM);
  let e: usize;
  if (group) {
    e = wr_ext_begin(EXT_KEY_SHARE);
    wr_u16(group);
    wr_close(e, 2);
  }
  e = wr_ext_begin(EXT_COOKIE);
  wr_u16(32);
  wr_bytes(p + O_COOKIE, 32);
  wr_close(e, 2);
  wr_close(exts, 2);
  if (!msg_end(p) || !flight_emit(p)) return false;
  if (s.sessionIdLen && !(s.flags & F_SERVER_CCS)) {
    s.flags |= F_SERVER_CCS;
    if (!conn_send_ccs(p)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  }
  s.sentHrr = 1;
  s.flags |= F_EARLY_CCS_OK;
  s.hs = S_WAIT_CH2;
  return true;
}

/** The host's answer to EV_CLIENT_HELLO: a TLV of HR_* fields at `r`. */
export function server_hello_reply(p: usize, r: usize, len: usize): bool {
  const s = slot_at(p);
  s.flags &= ~F_WAIT_HOST;
  const end = r + len;
  for (let at = r; at < end; ) {
    const next = tlv_next(at, end);
    if (!next) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    const tag = tlv_tag(at);
    const v = tlv_val(at);
    const n = next - v;
    at = next;
    if (tag == HR_PSK_KEY) {
      if (!take_psk_key(p, v, n)) return fail(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
      s.flags |= F_PSK_KNOWN;
    } else if (tag == HR_PSK_INDEX) {
      if (n != 1 || <u32>load<u8>(v) >= <u32>load<u8>(p + O_PSK_OFFERS)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
      store<u8>(p + O_PSK_OFFERS + 1, load<u8>(v));
    } else if (tag == HR_ALPN) {
      if (n == 0 || n > MAX_ALPN_SEL) return fail(p, A.R_NO_ALPN, A.ALERT_NO_APPLICATION_PROTOCOL);
      memory.copy(p + O_ALPN_SEL, v, n);
      s.alpnSelLen = <u32>n;
    } else if (tag == HR_ABORT) {
      const alert = n == 1 ? load<u8>(v) : A.ALERT_HANDSHAKE_FAILURE;
      const reason = alert == A.ALERT_NO_APPLICATION_PROTOCOL ? A.R_NO_ALPN
        : alert == A.ALERT_UNRECOGNIZED_NAME ? A.R_UNRECOGNIZED_NAME : A.R_USER_CANCELED;
      return fail(p, reason, alert);
    }
  }
  if (!(s.flags & F_PSK_KNOWN)) return fail(p, A.R_PSK_UNKNOWN_IDENTITY, A.ALERT_UNKNOWN_PSK_IDENTITY);
  // The chosen identity becomes the connection's (info IDENTITY); the others are forgotten.
  const o = offer_at(p, <u32>load<u8>(p + O_PSK_OFFERS + 1));
  const il = <usize>load<u8>(o + 3);
  memory.copy(p + O_IDENTITY, p + O_IDENTITY + <usize>load<u8>(o + 2), il);
  wipe(p + O_IDENTITY + il, MAX_IDENTITY - il);
  s.identityLen = <u32>il;
  return answer(p);
}

/** Verifies the binder with the PSK and sends ServerHello .. Finished. */
function answer(p: usize): bool {
  const s = slot_at(p);
  const hl = hlen(p);
  derive_early(p);
  const binderKey = TMP;
  const expect = TMP + 48;
  empty_hash(s.hashAlg, expect);
  ks_derive(s.hashAlg, p + O_SECRET, L_EXT_BINDER, L_EXT_BINDER_LEN, expect, binderKey);
  ks_finished(s.hashAlg, binderKey, p + O_BINDER_HASH, expect);
  const chosen = <u32>load<u8>(p + O_PSK_OFFERS + 1);
  const good = ct_equal(expect, p + O_PEER_BINDERS + <usize>chosen * 48, hl);
  const selected = <u32>load<u16>(offer_at(p, chosen)); // selected_identity: its place in the client's list
  wipe(TMP, 96);
  wipe(p + O_PEER_BINDERS, MAX_PSK_OFFERS * 48);
  wipe(p + O_PSK_OFFERS, 48);
  wipe(p + O_BINDER_HASH, 48);
  if (good != 1) return fail(p, A.R_BINDER_MISMATCH, A.ALERT_DECRYPT_ERROR);

  const dhe = s.kxChosen == KX_PSK_DHE_KE;
  random_fill(p + O_SERVER_RANDOM, 32);
  if (dhe) group_new_private(s.group, p + O_KX_PRIV);
  const exts = server_hello_head(p, p + O_SERVER_RANDOM);
  let e: usize;
  if (dhe) {
    const shareLen = group_share_len(s.group);
    e = wr_ext_begin(EXT_KEY_SHARE);
    wr_u16(s.group);
    wr_u16(<u32>shareLen);
    const pub = wr_take(shareLen);
    if (pub) group_public(s.group, p + O_KX_PRIV, pub);
    wr_close(e, 2);
  }
  e = wr_ext_begin(EXT_PRE_SHARED_KEY);
  wr_u16(selected);
  wr_close(e, 2);
  wr_close(exts, 2);
  if (!msg_end(p) || !flight_emit(p)) return false;
  // Middlebox compatibility: a CCS after our first message when the client sent a session id.
  if (s.sessionIdLen && !(s.flags & F_SERVER_CCS)) {
    s.flags |= F_SERVER_CCS;
    if (!conn_send_ccs(p)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  }
  if (!derive_handshake(p, dhe ? p + O_PEER_SHARE : 0)) return false;
  wipe(p + O_PEER_SHARE, KX_SHARE_MAX);
  conn_install(p, true, p + O_S_TRAFFIC);
  conn_install(p, false, p + O_C_TRAFFIC);

  msg_begin(p, HT_ENCRYPTED_EXTENSIONS);
  const eexts = wr_take(2);
  wr_ext_alpn_mfl(p);
  if (s.peerRsl) {
    // Answer with our own limit: what our receive buffer holds (RFC 8449 §4).
    let ours = s.ourRsl ? s.ourRsl : s.recvLimit + 1;
    if (ours > 16385) ours = 16385;
    s.recvLimit = ours - 1;
    e = wr_ext_begin(EXT_RECORD_SIZE_LIMIT);
    wr_u16(ours);
    wr_close(e, 2);
  }
  wr_close(eexts, 2);
  if (!msg_end(p)) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
  th_current(p, TMP);
  ks_finished(s.hashAlg, p + O_S_TRAFFIC, TMP, p + O_S_FINISHED);
  msg_begin(p, HT_FINISHED);
  wr_bytes(p + O_S_FINISHED, hl);
  if (!msg_end(p) || !flight_emit(p)) return false;
  derive_application(p);
  conn_install(p, true, p + O_S_TRAFFIC);
  wipe(TMP, 96);
  s.flags |= F_EARLY_CCS_OK;
  s.hs = S_WAIT_FIN;
  return true;
}

function on_finished(p: usize, msg: usize, len: usize): bool {
  const s = slot_at(p);
  const hl = hlen(p);
  if (len != 4 + hl) return fail(p, A.R_DECODE, A.ALERT_DECODE_ERROR);
  th_current(p, TMP);
  ks_finished(s.hashAlg, p + O_C_TRAFFIC, TMP, p + O_C_FINISHED);
  const good = ct_equal(p + O_C_FINISHED, msg + 4, hl);
  wipe(TMP, 96);
  if (good != 1) return fail(p, A.R_FINISHED_MISMATCH, A.ALERT_DECRYPT_ERROR);
  th_update(p, msg, len);
  memory.copy(p + O_C_TRAFFIC, p + O_C_PENDING, 48);
  wipe(p + O_C_PENDING, 48);
  conn_keylog(p, KL_CLIENT_TRAFFIC_0, p + O_C_TRAFFIC);
  conn_install(p, false, p + O_C_TRAFFIC);
  s.state = ST_OPEN;
  s.hs = 0;
  s.flags &= ~F_EARLY_CCS_OK;
  ev_push(p, EV_HANDSHAKE_DONE, 0, 0, 0);
  return true;
}
