// The slot's outbox of events for the host (handshake done, PSK request,
// key-log lines, alerts, errors). A small fixed queue per slot: the host
// drains it after every call into the engine, so it never holds more than
// one call's worth of events.
import { Slot, slot_at, O_EV, O_EV_DATA, EV_MAX, EV_DATA } from "./slot";

export const EV_NONE: u32 = 0;
export const EV_HANDSHAKE_DONE: u32 = 1;
export const EV_CLIENT_HELLO: u32 = 2;   // server: data = TLV of identity / server_name / ALPN list; answer with hello_reply
export const EV_KEYLOG: u32 = 3;         // arg = label id; data = client_random(32) || secret
export const EV_ALERT: u32 = 4;          // arg = level << 8 | description (a received alert)
export const EV_ERROR: u32 = 5;          // arg = reason << 8 | alert; the connection has failed
export const EV_PEER_CLOSED: u32 = 6;    // close_notify received: no more data from the peer
export const EV_KEY_UPDATE: u32 = 7;     // arg 0 = we rekeyed our sending side, 1 = the peer rekeyed
export const EV_TRACE: u32 = 8;          // arg = sent << 31 | message type << 24 | length (F_TRACE only)

/** Queues an event; false when the queue is full (the caller fails the connection). */
export function ev_push(p: usize, kind: u32, arg: u32, data: usize, len: usize): bool {
  const s = slot_at(p);
  if (s.evCount >= EV_MAX || <usize>s.evDataLen + len > EV_DATA) return false;
  const i = (s.evHead + s.evCount) % EV_MAX;
  const e = p + O_EV + <usize>i * 16;
  store<u32>(e, kind);
  store<u32>(e, arg, 4);
  store<u32>(e, s.evDataLen, 8);
  store<u32>(e, <u32>len, 12);
  if (len) memory.copy(p + O_EV_DATA + s.evDataLen, data, len);
  s.evDataLen += <u32>len;
  s.evCount++;
  return true;
}

/** Address of the oldest event's record ({kind, arg, off, len}), or 0. */
export function ev_peek(p: usize): usize {
  const s = slot_at(p);
  return s.evCount ? p + O_EV + <usize>s.evHead * 16 : 0;
}

export function ev_drop(p: usize): void {
  const s = slot_at(p);
  if (!s.evCount) return;
  s.evHead = (s.evHead + 1) % EV_MAX;
  s.evCount--;
  if (!s.evCount) {
    s.evHead = 0;
    s.evDataLen = 0;
  }
}

export function ev_data(p: usize, e: usize): usize {
  return p + O_EV_DATA + load<u32>(e, 8);
}
