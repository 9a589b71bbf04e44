// Where a complete handshake message goes: during the handshake to the
// role's state machine (handshake_client.ts / handshake_server.ts), after it
// to post_handshake.ts. The deframer (deframe.ts) calls hs_message for every
// message it has assembled.
import { slot_at, ROLE_CLIENT, ST_OPEN } from "./slot";
import { hs_trace } from "./handshake_msg";
import { post_handshake_message } from "./post_handshake";
import { client_message } from "./handshake_client";
import { server_message } from "./handshake_server";
import { HAS_CLIENT, HAS_SERVER, HAS_TLS12 } from "../features";
import { t12_message, t12_post_handshake } from "./tls12/dispatch";
import { TLS12_VERSION } from "./config";

/** Hands one complete handshake message (header included) on; false when it failed the connection. */
export function hs_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  hs_trace(p, false, type, len);
  if (HAS_TLS12 && s.version == TLS12_VERSION) {
    return s.state == ST_OPEN ? t12_post_handshake(p, type) : t12_message(p, type, msg, len);
  }
  if (s.state == ST_OPEN) return post_handshake_message(p, type, msg, len);
  // A board module holds one role's state machine or both (assembly/features.ts).
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return client_message(p, type, msg, len);
  return HAS_SERVER ? server_message(p, type, msg, len) : false;
}
