// The engine ABI: the only doorway between a host (Node, or C on a board)
// and the TLS engine. Every export takes a slot id and checks it, and every
// length the host passes is checked against the buffer it refers to; misuse
// returns a negative E_* code and never traps or touches another slot.
//
// Data moves through the slot's own buffers, so nothing is copied twice:
//   network -> recv_ptr/recv_want/recv_commit   plaintext <- app_in_ptr/len/commit
//   network <- send_ptr/send_len/send_commit    plaintext -> app_out_ptr/cap/commit
// Events (handshake done, PSK request, key-log, alerts, errors) queue per
// slot: event_kind/arg/data_ptr/data_len read the oldest, event_pop drops it.
// See docs/architecture.md for the full contract.
//
// Every export that runs the engine starts with scratch_reset(): the
// per-call scratch (tls/scratch.ts) holds nothing from the previous call, so
// all that survives a call is the slots and the pool's geometry.
import { pool_init, pool_bytes, pool_geometry_ok, slot_claim, slot_release, live_slot, slot_ptr, POOL_E_AGAIN } from "./tls/pool";
import { Slot, slot_at, SLOT_STATE_SIZE, ROLE_CLIENT, ROLE_SERVER, ST_HANDSHAKE, ST_OPEN, ST_CLOSED, ST_FAILED,
  O_ALPN_SEL, O_SNI, O_IDENTITY, O_C_FINISHED, O_S_FINISHED, O_CLIENT_RANDOM, O_EXPORTER, O_WRITE, O_HINT, F_WAIT_HOST } from "./tls/slot";
import { config_apply, config_refused_by_build } from "./tls/config";
import { conn_emit, conn_frag_limit, conn_close_notify, conn_fail } from "./tls/record_out";
import { conn_recv_want, conn_recv } from "./tls/deframe";
import { conn_pump } from "./tls/post_handshake";
import { scratch_reset } from "./tls/scratch";
import { client_start } from "./tls/handshake_client";
import { server_start, server_hello_reply, S_WAIT_HOST } from "./tls/handshake_server";
import { ev_peek, ev_drop, ev_data } from "./tls/events";
import { ks_exporter } from "./tls/keyschedule";
import { rec_suite, rec_sealed_len, RECORD_HEADER, CT_APPLICATION_DATA, MAX_PLAINTEXT } from "./tls/record";
import { suite_tag_len } from "./tls/suites";
import { hash_len } from "./crypto/hash";
import * as A from "./tls/alerts";
import { wipe } from "./crypto/ct";
import { HAS_CLIENT, HAS_SERVER, HAS_TLS12 } from "./features";
import { TLS12_VERSION } from "./tls/config";
import { t12_hello_reply, t12_waits_for_host } from "./tls/tls12/dispatch";
import { t12_exporter, VERIFY_LEN } from "./tls/tls12/keys";
import { rec_overhead } from "./tls/record";
import { KX_PSK_DHE_KE, SB_WANT_INPUT, SB_OUTPUT, SB_APP_IN, SB_EVENT, SB_CLOSED, SB_APP_OUT, SB_WAIT_HOST } from "./abi";
import { E_BAD_SLOT, E_BAD_ARG, E_STATE, E_NO_SLOT, E_CONFIG, E_NOT_INIT, E_UNSUPPORTED, I_STATE, I_SUITE, I_KX, I_HASH_LEN, I_FAIL_REASON, I_FAIL_ALERT, I_FAIL_LOCAL, I_PEER_LIMIT, I_RECV_LIMIT, I_MFL, I_ALPN_LEN, I_SNI_LEN, I_IDENTITY_LEN, I_RECORDS_IN, I_RECORDS_OUT, I_CLOSE_RECV, I_CLOSE_SENT, I_ROLE, I_HRR, I_MAX_SEND_FRAG, I_PEER_RSL, I_VERSION, I_GROUP, I_HINT_LEN, IP_ALPN, IP_SNI, IP_IDENTITY, IP_CLIENT_FINISHED, IP_SERVER_FINISHED, IP_CLIENT_RANDOM, IP_IDENTITY_HINT } from "./abi";
// E_*, I_* and IP_* come from abi/engine-abi.json (assembly/abi.ts, generated).
// They are not re-exported: a module exports functions only (the hosts have
// the constants from the same spec), so `export * from "../engine"` is the ABI.

/** Staging area for blobs the host hands over (config, hello reply, exporter label/context and output). */
const IO_CAP: i32 = 2048;
const IO = memory.data(IO_CAP);

export function io_ptr(): usize { return IO; }
export function io_cap(): i32 { return IO_CAP; }

/**
 * First free byte after the module's static data: the arena init() carves
 * starts at align16(heap_base()). The C host sizes a board's linear memory
 * from it (aot: one static buffer of align16(heap_base) + arena_bytes) and
 * the bundler reports it; it never changes for a given module.
 */
export function heap_base(): usize { return __heap_base; }

/** Carves the arena into `slots` slots with the given buffer sizes; once per instance. */
export function init(slots: i32, recvCap: i32, sendCap: i32, hsCap: i32): i32 {
  if (slots <= 0 || recvCap <= 0 || sendCap <= 0 || hsCap <= 0) return E_BAD_ARG;
  const r = pool_init(<u32>slots, <u32>recvCap, <u32>sendCap, <u32>hsCap);
  return r == POOL_E_AGAIN ? E_STATE : r < 0 ? E_BAD_ARG : 0;
}

/** Bytes of linear memory init() would claim for this geometry (for a board's RAM budget). */
export function arena_bytes(slots: i32, recvCap: i32, sendCap: i32, hsCap: i32): i32 {
  // Only geometries init() accepts: their arena is well below 2^31, any other could wrap.
  if (slots <= 0 || recvCap <= 0 || sendCap <= 0 || hsCap <= 0) return E_BAD_ARG;
  if (!pool_geometry_ok(<u32>slots, <u32>recvCap, <u32>sendCap, <u32>hsCap)) return E_BAD_ARG;
  return <i32>pool_bytes(<u32>slots, <u32>recvCap, <u32>sendCap, <u32>hsCap);
}

/** Bytes of one slot's state, without its buffers. */
export function slot_state_bytes(): i32 { return <i32>SLOT_STATE_SIZE; }

/** Opens a connection (role 0 client, 1 server) with the config blob at io_ptr(); returns its slot id. */
export function open(role: i32, cfgLen: i32): i32 {
  scratch_reset();
  if (role != 0 && role != 1) return E_BAD_ARG;
  if ((role == 0 && !HAS_CLIENT) || (role == 1 && !HAS_SERVER)) return E_UNSUPPORTED;
  if (cfgLen < 0 || cfgLen > IO_CAP) return E_BAD_ARG;
  if (!slot_ptr(0)) return E_NOT_INIT;
  const id = slot_claim();
  if (id < 0) return E_NO_SLOT;
  const p = slot_ptr(id);
  const s = slot_at(p);
  s.role = <u8>role;
  s.state = ST_HANDSHAKE;
  s.peerLimit = 16385;
  s.recvLimit = <u32>MAX_PLAINTEXT;
  const ok = config_apply(p, IO, <usize>cfgLen);
  wipe(IO, <usize>cfgLen); // the blob may hold a PSK: it lives only in the slot
  if (!ok) {
    slot_release(id);
    return config_refused_by_build() ? E_UNSUPPORTED : E_CONFIG;
  }
  // An advertised record_size_limit binds the peer only once it answers with its own (RFC 8449 §4).
  if (HAS_CLIENT && role == 0) {
    client_start(p);
  } else if (HAS_SERVER) {
    server_start(p);
  }
  return id;
}

/** Frees the slot at once, wiping every key, secret and buffer it held. */
export function close(slot: i32): i32 {
  if (!live_slot(slot)) return E_BAD_SLOT;
  slot_release(slot);
  // Nothing of the connection outlives it outside the slot either: an
  // exporter's output the host has read by now, the last call's scratch.
  wipe(IO, IO_CAP);
  scratch_reset();
  return 0;
}

/** Sends close_notify (once); reading may go on until the peer's arrives. */
export function shutdown(slot: i32): i32 {
  scratch_reset();
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (s.state == ST_FAILED) return E_STATE;
  if (s.state == ST_HANDSHAKE) {
    // Closing mid-handshake: RFC 8446 §6.1 user_canceled, then close_notify.
    conn_fail(p, A.R_USER_CANCELED, A.ALERT_USER_CANCELED);
    return 0;
  }
  if (s.sendLen != 0) return E_STATE; // flush first: the alert must follow the data
  conn_close_notify(p);
  return 0;
}

/** Queues a KeyUpdate; `requestPeer` 1 asks the peer to update its keys too. */
export function key_update(slot: i32, requestPeer: i32): i32 {
  scratch_reset();
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (s.state != ST_OPEN || s.closeSent || (HAS_TLS12 && s.version == TLS12_VERSION)) return E_STATE; // TLS 1.2 has no KeyUpdate
  s.keyUpdatePending = requestPeer ? 2 : 1;
  conn_pump(p);
  return 0;
}

// ---- network in ----

export function recv_ptr(slot: i32): usize {
  const p = live_slot(slot);
  if (!p) return 0;
  const s = slot_at(p);
  return s.recvBuf + s.recvLen;
}

/** Bytes the engine takes now: the rest of the current record (0 while it waits for the host or output drains). */
export function recv_want(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  if (slot_at(p).flags & F_WAIT_HOST) return 0;
  return <i32>conn_recv_want(p);
}

/** The host wrote `n` bytes at recv_ptr(); the engine processes them. */
export function recv_commit(slot: i32, n: i32): i32 {
  scratch_reset();
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  if (slot_at(p).flags & F_WAIT_HOST) return E_STATE;
  const want = <i32>conn_recv_want(p);
  if (n < 0 || n > want) return E_BAD_ARG;
  if (n == 0) return 0;
  conn_recv(p, <u32>n);
  conn_pump(p);
  return 0;
}

// ---- network out ----

export function send_ptr(slot: i32): usize {
  const p = live_slot(slot);
  if (!p) return 0;
  const s = slot_at(p);
  return s.sendBuf + s.sendOff;
}

export function send_len(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  return <i32>(s.sendLen - s.sendOff);
}

/** The host took `n` bytes from send_ptr() for the wire. */
export function send_commit(slot: i32, n: i32): i32 {
  scratch_reset();
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (n < 0 || <u32>n > s.sendLen - s.sendOff) return E_BAD_ARG;
  s.sendOff += <u32>n;
  if (s.sendOff == s.sendLen) {
    s.sendOff = 0;
    s.sendLen = 0;
    conn_pump(p);
  }
  return 0;
}

// ---- application data ----

export function app_in_ptr(slot: i32): usize {
  const p = live_slot(slot);
  if (!p) return 0;
  const s = slot_at(p);
  return s.recvBuf + s.appInOff;
}

export function app_in_len(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  return <i32>slot_at(p).appInLen;
}

/** The application consumed `n` bytes of plaintext. */
export function app_in_commit(slot: i32, n: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (n < 0 || <u32>n > s.appInLen) return E_BAD_ARG;
  s.appInOff += <u32>n;
  s.appInLen -= <u32>n;
  return 0;
}

/** Where the application writes plaintext to send (inside the send buffer, sealed in place). */
export function app_out_ptr(slot: i32): usize {
  const p = live_slot(slot);
  if (!p) return 0;
  return slot_at(p).sendBuf + RECORD_HEADER;
}

/** Plaintext bytes one app_out_commit takes now: one record's worth, 0 while output is pending. */
export function app_out_cap(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (s.state != ST_OPEN || s.closeSent || s.sendLen != 0 || s.keyUpdatePending) return 0;
  const room = <usize>s.sendCap - rec_overhead(p + O_WRITE);
  const lim = conn_frag_limit(p);
  return <i32>(lim < room ? lim : room);
}

/** Seals the `n` plaintext bytes at app_out_ptr() into a record. */
export function app_out_commit(slot: i32, n: i32): i32 {
  scratch_reset();
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const cap = app_out_cap(slot);
  if (cap <= 0) return E_STATE;
  if (n <= 0 || n > cap) return E_BAD_ARG;
  if (!conn_emit(p, CT_APPLICATION_DATA, <usize>n)) {
    conn_fail(p, A.R_SEQ_EXHAUSTED, A.ALERT_INTERNAL_ERROR);
    return E_STATE;
  }
  return 0;
}

/** setMaxSendFragment: 512..16384, as in Node. */
export function set_max_send_fragment(slot: i32, n: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  if (n < 512 || n > 16384) return E_BAD_ARG;
  slot_at(p).maxSendFrag = <u32>n;
  return 0;
}

// ---- events ----

export function event_kind(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const e = ev_peek(p);
  return e ? <i32>load<u32>(e) : 0;
}

export function event_arg(slot: i32): i32 {
  const p = live_slot(slot);
  const e = p ? ev_peek(p) : 0;
  return e ? <i32>load<u32>(e, 4) : 0;
}

export function event_data_ptr(slot: i32): usize {
  const p = live_slot(slot);
  const e = p ? ev_peek(p) : 0;
  return e ? ev_data(p, e) : 0;
}

export function event_data_len(slot: i32): i32 {
  const p = live_slot(slot);
  const e = p ? ev_peek(p) : 0;
  return e ? <i32>load<u32>(e, 12) : 0;
}

export function event_pop(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  ev_drop(p);
  return 0;
}

/** The host's answer to EV_CLIENT_HELLO, as a TLV blob at io_ptr() (PSK key, ALPN choice, or abort). */
export function hello_reply(slot: i32, len: i32): i32 {
  scratch_reset();
  // Only a server (TLS 1.3/1.2) or a TLS 1.2 client (EV_PSK_HINT) is ever asked.
  if (!HAS_SERVER && !HAS_TLS12) return E_UNSUPPORTED;
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (HAS_TLS12 && s.version == TLS12_VERSION) {
    // TLS 1.2: the client's answer to EV_PSK_HINT, or the server's to the ClientKeyExchange identity.
    if (!(s.flags & F_WAIT_HOST) || !t12_waits_for_host(p)) return E_STATE;
    if (len < 0 || len > IO_CAP) return E_BAD_ARG;
    t12_hello_reply(p, IO, <usize>len);
    wipe(IO, <usize>len);
    conn_pump(p);
    return 0;
  }
  if (!HAS_SERVER) return E_UNSUPPORTED;
  if (s.role != ROLE_SERVER || s.hs != S_WAIT_HOST || !(s.flags & F_WAIT_HOST)) return E_STATE;
  if (len < 0 || len > IO_CAP) return E_BAD_ARG;
  server_hello_reply(p, IO, <usize>len);
  wipe(IO, <usize>len);
  conn_pump(p);
  return 0;
}

// ---- one status word per poll ----

/**
 * What the slot wants now, as SB_* bits: the one call a host's poll loop
 * makes (BearSSL's br_ssl_engine_current_state), instead of recv_want,
 * send_len, app_in_len, app_out_cap, event_kind and info(I_STATE) each.
 */
export function status(slot: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  let st: u32 = 0;
  if (!(s.flags & F_WAIT_HOST) && conn_recv_want(p) > 0) st |= SB_WANT_INPUT;
  if (s.sendLen > s.sendOff) st |= SB_OUTPUT;
  if (s.appInLen > 0) st |= SB_APP_IN;
  if (ev_peek(p)) st |= SB_EVENT;
  if (s.state == ST_CLOSED || s.state == ST_FAILED) st |= SB_CLOSED;
  if (app_out_cap(slot) > 0) st |= SB_APP_OUT;
  if (s.flags & F_WAIT_HOST) st |= SB_WAIT_HOST;
  return <i32>st;
}

// ---- what the host may ask ----

// info(slot, what): the connection's scalars, read through a table of
// (offset, width) pairs into the Slot header rather than a long switch, so
// the function stays small enough for wasm3's per-function stack limit.

// Width 1, 2 or 4 in the low byte, offset above it; I_HASH_LEN's entry (0) is computed.
const INFO_FIELDS = memory.data<u32>([
  (offsetof<Slot>("state") << 8) | 1,
  (offsetof<Slot>("suite") << 8) | 2,
  (offsetof<Slot>("kxChosen") << 8) | 1,
  0,
  (offsetof<Slot>("failReason") << 8) | 1,
  (offsetof<Slot>("failAlert") << 8) | 1,
  (offsetof<Slot>("failLocal") << 8) | 1,
  (offsetof<Slot>("peerLimit") << 8) | 4,
  (offsetof<Slot>("recvLimit") << 8) | 4,
  (offsetof<Slot>("mflCode") << 8) | 1,
  (offsetof<Slot>("alpnSelLen") << 8) | 4,
  (offsetof<Slot>("sniLen") << 8) | 4,
  (offsetof<Slot>("identityLen") << 8) | 4,
  (offsetof<Slot>("recordsIn") << 8) | 4,
  (offsetof<Slot>("recordsOut") << 8) | 4,
  (offsetof<Slot>("closeRecv") << 8) | 1,
  (offsetof<Slot>("closeSent") << 8) | 1,
  (offsetof<Slot>("role") << 8) | 1,
  (offsetof<Slot>("sentHrr") << 8) | 1,
  (offsetof<Slot>("maxSendFrag") << 8) | 4,
  (offsetof<Slot>("peerRsl") << 8) | 4,
]);
const INFO_COUNT: i32 = I_PEER_RSL + 1; // one table entry per I_* selector up to here; the rest are computed

// The selectors after I_PEER_RSL: the version (Slot.version is set for TLS
// 1.2; a TLS 1.3 connection has a suite and no version), the (EC)DHE group,
// and the TLS 1.2 identity hint.
function info_computed(s: Slot, what: i32): i32 {
  // Only TLS 1.2 code sets Slot.version and Slot.hintLen: without it both are 0.
  if (what == I_VERSION) return HAS_TLS12 && s.version ? <i32>s.version : s.suite != 0 ? 0x0304 : 0;
  if (what == I_GROUP) return s.kxChosen == KX_PSK_DHE_KE ? <i32>s.group : 0;
  if (what == I_HINT_LEN) return HAS_TLS12 ? <i32>s.hintLen : 0;
  return E_BAD_ARG;
}

export function info(slot: i32, what: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  if (what < 0) return E_BAD_ARG;
  if (what >= INFO_COUNT) return info_computed(slot_at(p), what);
  // TLS 1.2's Finished is 12 bytes whatever the hash (RFC 5246 §7.4.9).
  if (what == I_HASH_LEN) return HAS_TLS12 && slot_at(p).version == TLS12_VERSION ? <i32>VERIFY_LEN : <i32>hash_len(slot_at(p).hashAlg);
  const f = load<u32>(INFO_FIELDS + (<usize>what << 2));
  const at = p + <usize>(f >> 8);
  const width = f & 0xff;
  return width == 1 ? <i32>load<u8>(at) : width == 2 ? <i32>load<u16>(at) : <i32>load<u32>(at);
}

/** Address of a variable-length field (lengths from info()). */
export function info_ptr(slot: i32, what: i32): usize {
  const p = live_slot(slot);
  if (!p) return 0;
  switch (what) {
    case IP_ALPN: return p + O_ALPN_SEL;
    case IP_SNI: return p + O_SNI;
    case IP_IDENTITY: return p + O_IDENTITY;
    case IP_CLIENT_FINISHED: return p + O_C_FINISHED;
    case IP_SERVER_FINISHED: return p + O_S_FINISHED;
    case IP_CLIENT_RANDOM: return p + O_CLIENT_RANDOM;
    case IP_IDENTITY_HINT: return p + O_HINT;
  }
  return 0;
}

/**
 * exportKeyingMaterial (RFC 8446 §7.5, RFC 5705 for TLS 1.2): label at
 * io_ptr() (labelLen bytes), then the context (ctxLen bytes; ctxLen -1
 * means "no context", which TLS 1.3 hashes as empty and TLS 1.2 leaves out
 * of the PRF seed); writes outLen bytes at io_ptr().
 */
export function exporter(slot: i32, labelLen: i32, ctxLen: i32, outLen: i32): i32 {
  const p = live_slot(slot);
  if (!p) return E_BAD_SLOT;
  const s = slot_at(p);
  if (s.state != ST_OPEN) return E_STATE;
  // -1 for ctxLen means "no context" (RFC 5705 tells it from an empty one in
  // TLS 1.2; TLS 1.3 hashes both as empty). Each length is bounded before they
  // are added, so the sum cannot wrap. The label goes into an HkdfLabel after
  // "tls13 ": at most 249 bytes (RFC 8446 §7.1).
  const noCtx = ctxLen == -1;
  if (noCtx) ctxLen = 0;
  if (labelLen <= 0 || labelLen > 249 || ctxLen < 0 || ctxLen > IO_CAP || outLen <= 0 || outLen > 1024) return E_BAD_ARG;
  if (labelLen + ctxLen + outLen > IO_CAP) return E_BAD_ARG;
  const OUT = IO + <usize>(labelLen + ctxLen);
  if (HAS_TLS12 && s.version == TLS12_VERSION) {
    if (!t12_exporter(p, IO, <usize>labelLen, IO + <usize>labelLen, noCtx ? -1 : ctxLen, OUT, <usize>outLen)) return E_BAD_ARG;
    memory.copy(IO, OUT, <usize>outLen);
    wipe(IO + <usize>outLen, <usize>(labelLen + ctxLen)); // the stale tail of OUT, past the result now at IO
    return 0;
  }
  if (!ks_exporter(s.hashAlg, p + O_EXPORTER, IO, <usize>labelLen, IO + <usize>labelLen, <usize>ctxLen, OUT, <usize>outLen)) return E_BAD_ARG;
  memory.copy(IO, OUT, <usize>outLen);
  // Only the output stays (until the host takes it, or close): not the label,
  // the context, nor the tail of the first copy past outLen.
  wipe(IO + <usize>outLen, <usize>(labelLen + ctxLen));
  return 0;
}
