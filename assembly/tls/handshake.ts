// What the client and server handshakes share: message framing into the
// send buffer, the key-schedule steps both sides take at the same points,
// and the dispatch of complete messages by role.
import { ev_push, EV_TRACE } from "./events";
import { F_TRACE } from "./slot";
import { Slot, slot_at, ROLE_CLIENT, ST_OPEN, O_SECRET, O_C_TRAFFIC, O_S_TRAFFIC, O_C_PENDING, O_EXPORTER,
  O_PSK, O_X25519_PRIV } from "./slot";
import { wr_begin, wr_ok, wr_u8, wr_u16, wr_u24, wr_pos, wr_take } from "./codec";
import { conn_out_ptr, conn_out_room, conn_emit, conn_fail, conn_keylog, conn_peer_key_update } from "./conn";
import { th_update, th_current } from "./transcript";
import { ks_early, ks_next_stage, ks_key, ks_derive_keyed, ks_unkey } from "./keyschedule";
import { L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN, L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN,
  L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, L_EXP_MASTER, L_EXP_MASTER_LEN } from "./labels";
import { CT_HANDSHAKE } from "./record";
import { hash_len } from "../crypto/hash";
import { x25519 } from "../crypto/x25519";
import { HAS_CLIENT, HAS_SERVER, HAS_X25519, HAS_TLS12 } from "../features";
import { t12_message, t12_post_handshake } from "./tls12/dispatch";
import { TLS12_VERSION } from "./config";
import { wipe } from "../crypto/ct";
import * as A from "./alerts";
import { client_message } from "./handshake_client";
import { server_message } from "./handshake_server";
import { KL_CLIENT_HANDSHAKE, KL_SERVER_HANDSHAKE, KL_CLIENT_TRAFFIC_0, KL_SERVER_TRAFFIC_0, KL_EXPORTER } from "../abi";
export { KL_CLIENT_HANDSHAKE, KL_SERVER_HANDSHAKE, KL_CLIENT_TRAFFIC_0, KL_SERVER_TRAFFIC_0, KL_EXPORTER } from "../abi";

// Handshake message types (RFC 8446 §4).
export const HT_CLIENT_HELLO: u8 = 1;
export const HT_SERVER_HELLO: u8 = 2;
export const HT_NEW_SESSION_TICKET: u8 = 4;
export const HT_END_OF_EARLY_DATA: u8 = 5;
export const HT_ENCRYPTED_EXTENSIONS: u8 = 8;
export const HT_CERTIFICATE: u8 = 11;
export const HT_CERTIFICATE_REQUEST: u8 = 13;
export const HT_CERTIFICATE_VERIFY: u8 = 15;
export const HT_FINISHED: u8 = 20;
export const HT_KEY_UPDATE: u8 = 24;

// Extension types.
export const EXT_SERVER_NAME: u16 = 0;
export const EXT_MAX_FRAGMENT_LENGTH: u16 = 1;
export const EXT_SUPPORTED_GROUPS: u16 = 10;
export const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
export const EXT_ALPN: u16 = 16;
export const EXT_RECORD_SIZE_LIMIT: u16 = 28;
export const EXT_PRE_SHARED_KEY: u16 = 41;
export const EXT_EARLY_DATA: u16 = 42;
export const EXT_SUPPORTED_VERSIONS: u16 = 43;
export const EXT_COOKIE: u16 = 44;
export const EXT_PSK_KEY_EXCHANGE_MODES: u16 = 45;
export const EXT_KEY_SHARE: u16 = 51;

export const GROUP_X25519: u16 = 0x001d;
export const TLS13: u16 = 0x0304;

// Key-log labels (NSS SSLKEYLOGFILE), as EV_KEYLOG arguments.

/** SHA-256("HelloRetryRequest"): the ServerHello.random that marks an HRR (RFC 8446 §4.1.3). */
export const HRR_RANDOM = memory.data<u8>([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

const TH = memory.data(48);
const DHE = memory.data(32);

/** Hands one complete handshake message (header included) to the role's state machine. */
export function hs_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  trace(p, false, type, len);
  if (HAS_TLS12 && s.version == TLS12_VERSION) {
    return s.state == ST_OPEN ? t12_post_handshake(p, type) : t12_message(p, type, msg, len);
  }
  if (s.state == ST_OPEN) return post_handshake(p, type, msg, len);
  // A board module holds one role's state machine or both (assembly/features.ts).
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return client_message(p, type, msg, len);
  return HAS_SERVER ? server_message(p, type, msg, len) : false;
}

function post_handshake(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (type == HT_KEY_UPDATE) return conn_peer_key_update(p, msg + 4, len - 4);
  if (type == HT_NEW_SESSION_TICKET && s.role == ROLE_CLIENT) return true; // no resumption: ignore tickets
  conn_fail(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  return false;
}

// ---------- writing messages ----------

let msgStart: usize = 0;
let currentSlot: usize = 0;
/** Bytes of handshake messages written at the send position but not yet sealed into records. */
let pending: usize = 0;

/** Starts a handshake message after those pending; the writer is positioned on its body. */
export function msg_begin(p: usize, type: u8): void {
  currentSlot = p;
  msgStart = conn_out_ptr(p) + pending;
  const room = conn_out_room(p);
  wr_begin(msgStart, room > pending ? room - pending : 0);
  wr_u8(type);
  wr_u24(0);
}

/** Fixes the length of the message being written without hashing it (ClientHello needs its binder first). */
export function msg_close(): usize {
  if (!wr_ok()) return 0;
  const n = wr_pos() - msgStart;
  const bodyLen = <u32>(n - 4);
  store<u8>(msgStart + 1, <u8>(bodyLen >> 16));
  store<u8>(msgStart + 2, <u8>(bodyLen >> 8));
  store<u8>(msgStart + 3, <u8>bodyLen);
  pending += n;
  trace(currentSlot, true, load<u8>(msgStart), n);
  return n;
}

/** Reports a handshake message to a host that asked for a trace (enableTrace). */
function trace(p: usize, sent: bool, type: u8, len: usize): void {
  if (!(slot_at(p).flags & F_TRACE)) return;
  ev_push(p, EV_TRACE, (sent ? <u32>1 << 31 : 0) | (<u32>type << 24) | (<u32>len & 0xffffff), 0, 0);
}

/** Where the message being written starts. */
export function msg_start(): usize {
  return msgStart;
}

/** Fixes the message length and adds it to the transcript; returns its total length or 0 if it overflowed. */
export function msg_end(p: usize): usize {
  const n = msg_close();
  if (n) th_update(p, msgStart, n);
  return n;
}

/** Seals the pending handshake messages into records; fails the connection when they did not fit. */
export function flight_emit(p: usize): bool {
  const len = pending;
  pending = 0;
  if (len == 0 || !wr_ok() || !conn_emit(p, CT_HANDSHAKE, len)) {
    conn_fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    return false;
  }
  return true;
}

/** Forgets unsent messages (after a failure mid-flight). */
export function flight_reset(): void {
  pending = 0;
}

// ---------- key schedule steps both roles take ----------

/** early_secret from the slot's PSK into O_SECRET. */
export function derive_early(p: usize): void {
  const s = slot_at(p);
  ks_early(s.hashAlg, p + O_PSK, s.pskLen, p + O_SECRET);
}

/**
 * After ServerHello: handshake_secret from the (EC)DHE share (`peerShare`,
 * or none for psk_ke), then both handshake traffic secrets. Returns false
 * (and fails the connection) when the X25519 result is all zeros.
 */
export function derive_handshake(p: usize, peerShare: usize): bool {
  const s = slot_at(p);
  const alg = s.hashAlg;
  if (HAS_X25519 && peerShare) {
    const ok = x25519(DHE, p + O_X25519_PRIV, peerShare);
    wipe(p + O_X25519_PRIV, 32);
    if (!ok) {
      wipe(DHE, 32);
      conn_fail(p, A.R_BAD_KEY_SHARE, A.ALERT_ILLEGAL_PARAMETER);
      return false;
    }
    ks_next_stage(alg, p + O_SECRET, DHE, 32, p + O_SECRET);
    wipe(DHE, 32);
  } else {
    ks_next_stage(alg, p + O_SECRET, 0, 0, p + O_SECRET);
  }
  th_current(p, TH);
  ks_key(alg, p + O_SECRET);
  ks_derive_keyed(alg, L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, TH, p + O_C_TRAFFIC);
  ks_derive_keyed(alg, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN, TH, p + O_S_TRAFFIC);
  ks_unkey();
  conn_keylog(p, KL_CLIENT_HANDSHAKE, p + O_C_TRAFFIC);
  conn_keylog(p, KL_SERVER_HANDSHAKE, p + O_S_TRAFFIC);
  return true;
}

/**
 * After the server Finished is in the transcript: master secret, then the
 * application traffic secrets and the exporter secret. The server's replaces
 * its handshake secret (its Finished is already sealed); the client's waits
 * in O_C_PENDING because the client handshake secret is still needed for
 * the client Finished.
 */
export function derive_application(p: usize): void {
  const cOut = p + O_C_PENDING;
  const sOut = p + O_S_TRAFFIC;
  const s = slot_at(p);
  const alg = s.hashAlg;
  ks_next_stage(alg, p + O_SECRET, 0, 0, p + O_SECRET);
  th_current(p, TH);
  ks_key(alg, p + O_SECRET);
  ks_derive_keyed(alg, L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN, TH, cOut);
  ks_derive_keyed(alg, L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, TH, sOut);
  ks_derive_keyed(alg, L_EXP_MASTER, L_EXP_MASTER_LEN, TH, p + O_EXPORTER);
  ks_unkey();
  wipe(p + O_SECRET, 48);
  // A server logs the client's application secret when it starts using it,
  // after the client Finished (handshake_server.ts), as OpenSSL does.
  if (s.role == ROLE_CLIENT) conn_keylog(p, KL_CLIENT_TRAFFIC_0, cOut);
  conn_keylog(p, KL_SERVER_TRAFFIC_0, sOut);
  conn_keylog(p, KL_EXPORTER, p + O_EXPORTER);
}

/** Bytes of the current hash. */
export function hlen(p: usize): usize {
  return <usize>hash_len(slot_at(p).hashAlg);
}

// Writer conveniences used by both roles' hello builders.
export function wr_ext_begin(type: u16): usize {
  wr_u16(type);
  return wr_take(2);
}
