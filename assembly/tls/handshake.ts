// Where a complete handshake message goes: during the handshake to the
// role's state machine (handshake_client.ts / handshake_server.ts), after it
// to post_handshake.ts. The deframer (deframe.ts) calls hs_message for every
// message it has assembled.
import { slot_at, ROLE_CLIENT, ST_OPEN } from "./slot";
import { hs_trace } from "./handshake_msg";
import { post_handshake_message } from "./post_handshake";
import { client_message } from "./handshake_client";
import { server_message } from "./handshake_server";
import { HAS_CLIENT, HAS_SERVER } from "../features";

/** Hands one complete handshake message (header included) on; false when it failed the connection. */
export function hs_message(p: usize, type: u8, msg: usize, len: usize): bool {
  const s = slot_at(p);
  hs_trace(p, false, type, len);
  if (s.state == ST_OPEN) return post_handshake_message(p, type, msg, len);
  // A board module holds one role's state machine or both (assembly/features.ts).
  if (HAS_CLIENT && (!HAS_SERVER || s.role == ROLE_CLIENT)) return client_message(p, type, msg, len);
  return HAS_SERVER ? server_message(p, type, msg, len) : false;
}
