// Where the version-neutral layers hand a TLS 1.2 connection over: its
// handshake messages by role, its ChangeCipherSpec records, messages after
// the handshake (renegotiation, refused), and the host's hello_reply.
import { slot_at, ROLE_CLIENT, ST_HANDSHAKE } from "../slot";
import { conn_warn } from "../record_out";
import { HAS_CLIENT, HAS_SERVER } from "../../features";
import { HT_CLIENT_HELLO } from "../handshake_msg";
import * as A from "../alerts";
import { HT_HELLO_REQUEST, C12_WAIT_HOST, S12_WAIT_HOST, fail12 } from "./common";
import { t12_client_message, t12_client_ccs, t12_client_reply } from "./client";
import { t12_server_message, t12_server_ccs, t12_server_reply } from "./server";

/** A complete handshake message of a TLS 1.2 handshake in progress. */
export function t12_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return t12_client_message(p, type, msg, len);
  return HAS_SERVER ? t12_server_message(p, type, msg, len) : false;
}

/**
 * A ChangeCipherSpec record (RFC 5246 §7.1): one byte 1, only where the
 * handshake expects the peer's keys to start, and never inside a
 * fragmented handshake message.
 */
export function t12_change_cipher_spec(p: usize, body: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.state != ST_HANDSHAKE || s.hsLen != 0 || len != 1 || load<u8>(body) != 1) {
    return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
  }
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return t12_client_ccs(p);
  return HAS_SERVER ? t12_server_ccs(p) : false;
}

/**
 * A handshake message after the handshake. tlsrt never renegotiates
 * (RFC 5746 makes it safe, not required): a ClientHello at the server or a
 * HelloRequest at the client is answered with a no_renegotiation warning
 * and the connection goes on, as OpenSSL does with SSL_OP_NO_RENEGOTIATION;
 * anything else is unexpected_message.
 */
export function t12_post_handshake(p: usize, type: u8): bool {
  const s = slot_at(p);
  if ((s.role == ROLE_CLIENT && type == HT_HELLO_REQUEST) || (s.role != ROLE_CLIENT && type == HT_CLIENT_HELLO)) {
    conn_warn(p, A.ALERT_NO_RENEGOTIATION);
    return true;
  }
  return fail12(p, A.R_UNEXPECTED_MESSAGE, A.ALERT_UNEXPECTED_MESSAGE);
}

/** True while a TLS 1.2 handshake waits for hello_reply. */
export function t12_waits_for_host(p: usize): bool {
  const s = slot_at(p);
  return s.hs == (s.role == ROLE_CLIENT ? C12_WAIT_HOST : S12_WAIT_HOST);
}

/** The host's hello_reply: the client's identity and key for the hint, or the server's key for the identity. */
export function t12_hello_reply(p: usize, r: usize, len: usize): bool {
  const s = slot_at(p);
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return t12_client_reply(p, r, len);
  return HAS_SERVER ? t12_server_reply(p, r, len) : false;
}
