// Writing handshake messages (RFC 8446 §4): each message is framed (type,
// u24 length) at the send position after those already pending, added to
// the transcript, and a flight's messages are sealed into records together
// by flight_emit. Both roles' state machines write through here.
import { slot_at, F_TRACE, O_ALPN_SEL } from "./slot";
import { wr_begin, wr_ok, wr_u8, wr_u16, wr_u24, wr_pos, wr_take, wr_bytes, wr_close } from "./codec";
import { conn_out_ptr, conn_out_room, conn_emit, conn_fail } from "./record_out";
import { th_update } from "./transcript";
import { CT_HANDSHAKE } from "./record";
import { ev_push, EV_TRACE } from "./events";
import { scratch } from "./scratch";
import { ext_sent, EXT_ALPN, EXT_MAX_FRAGMENT_LENGTH } from "./extensions";
import * as A from "./alerts";

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

export const TLS13: u16 = 0x0304;

/** SHA-256("HelloRetryRequest"): the ServerHello.random that marks an HRR (RFC 8446 §4.1.3). */
export const HRR_RANDOM = memory.data<u8>([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** Starts a handshake message after those pending; the writer is positioned on its body. */
export function msg_begin(p: usize, type: u8): void {
  const x = scratch();
  x.msgSlot = p;
  x.msgStart = conn_out_ptr(p) + x.msgPending;
  const room = conn_out_room(p);
  wr_begin(x.msgStart, room > x.msgPending ? room - x.msgPending : 0);
  wr_u8(type);
  wr_u24(0);
}

/** Fixes the length of the message being written without hashing it (ClientHello needs its binder first). */
export function msg_close(): usize {
  if (!wr_ok()) return 0;
  const x = scratch();
  const start = x.msgStart;
  const n = wr_pos() - start;
  const bodyLen = <u32>(n - 4);
  store<u8>(start + 1, <u8>(bodyLen >> 16));
  store<u8>(start + 2, <u8>(bodyLen >> 8));
  store<u8>(start + 3, <u8>bodyLen);
  x.msgPending += n;
  hs_trace(x.msgSlot, true, load<u8>(start), n);
  return n;
}

/** Reports a handshake message sent or received to a host that asked for a trace (enableTrace). */
export function hs_trace(p: usize, sent: bool, type: u8, len: usize): void {
  if (!(slot_at(p).flags & F_TRACE)) return;
  ev_push(p, EV_TRACE, (sent ? <u32>1 << 31 : 0) | (<u32>type << 24) | (<u32>len & 0xffffff), 0, 0);
}

/** Where the message being written starts. */
export function msg_start(): usize {
  return scratch().msgStart;
}

/** Fixes the message length and adds it to the transcript; returns its total length or 0 if it overflowed. */
export function msg_end(p: usize): usize {
  const n = msg_close();
  if (n) th_update(p, scratch().msgStart, n);
  return n;
}

/** Seals the pending handshake messages into records; fails the connection when they did not fit. */
export function flight_emit(p: usize): bool {
  const x = scratch();
  const len = x.msgPending;
  x.msgPending = 0;
  if (len == 0 || !wr_ok() || !conn_emit(p, CT_HANDSHAKE, len)) {
    conn_fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
    return false;
  }
  return true;
}

/** Opens an extension of `type` in the message being written; close it with wr_close(e, 2). */
export function wr_ext_begin(type: u16): usize {
  const x = scratch();
  // A ClientHello's extensions are the answers the client may accept (extensions.ts).
  if (load<u8>(x.msgStart) == HT_CLIENT_HELLO) ext_sent(x.msgSlot, type);
  wr_u16(type);
  return wr_take(2);
}

/**
 * A server's answers to the client's ALPN and max_fragment_length, where it
 * chose them: the same two extensions in the TLS 1.3 EncryptedExtensions and
 * the TLS 1.2 ServerHello (RFC 7301 §3.1, RFC 6066 §4).
 */
export function wr_ext_alpn_mfl(p: usize): void {
  const s = slot_at(p);
  let e: usize;
  if (s.alpnSelLen) {
    e = wr_ext_begin(EXT_ALPN);
    wr_u16(s.alpnSelLen + 1);
    wr_u8(s.alpnSelLen);
    wr_bytes(p + O_ALPN_SEL, s.alpnSelLen);
    wr_close(e, 2);
  }
  if (s.mflCode) {
    e = wr_ext_begin(EXT_MAX_FRAGMENT_LENGTH);
    wr_u8(s.mflCode);
    wr_close(e, 2);
  }
}
