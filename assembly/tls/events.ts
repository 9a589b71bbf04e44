// The slot's outbox of events for the host (handshake done, PSK request,
// key-log lines, alerts, errors). A small fixed queue per slot: the host
// drains it after every call into the engine, so it never holds more than
// one call's worth of events.
import { Slot, slot_at, O_EV, O_EV_DATA, EV_MAX, EV_DATA } from "./slot";
import { wipe } from "../crypto/ct";
export { EV_NONE, EV_HANDSHAKE_DONE, EV_CLIENT_HELLO, EV_KEYLOG, EV_ALERT, EV_ERROR, EV_PEER_CLOSED, EV_KEY_UPDATE, EV_TRACE } from "../abi";

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

/** Drops the oldest event and wipes its data: a key-log secret or an identity lives only until the host has read it. */
export function ev_drop(p: usize): void {
  const s = slot_at(p);
  if (!s.evCount) return;
  const e = p + O_EV + <usize>s.evHead * 16;
  wipe(p + O_EV_DATA + load<u32>(e, 8), <usize>load<u32>(e, 12));
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
