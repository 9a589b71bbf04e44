// Per-call scratch: everything the engine keeps between two functions of
// one ABI call but never from one call to the next — the handshake message
// being written, what a ClientHello
// or ServerHello offered while it is being answered, what a config blob
// named. One static area, zeroed by scratch_reset() at the start of every
// ABI call that runs the engine (assembly/engine.ts), so nothing of one
// slot's call can leak into another's. Connection state lives in the slot
// (slot.ts); the pool's geometry (pool.ts) is the only other mutable state.

/** How many pre_shared_key identities of a ClientHello are looked at (the rest are only counted). */
export const SCAN_MAX: u32 = 16;

import { codec_reset } from "./codec";
import { HAS_SERVER } from "../features";

@unmanaged
export class Scratch {
  // handshake_msg.ts: the message being written and the flight so far.
  msgSlot: usize; msgStart: usize; msgPending: usize;
  // record.ts: inner content type of the record rec_open last accepted.
  openedType: u8;
  // config.ts.
  suitesSeen: bool; groupsSeen: bool; refusedByBuild: bool;
  // Extensions of the hello being parsed (extensions.ts): bit i = table entry i seen.
  extSeen: u32;
  // handshake_server.ts: what the ClientHello offered.
  offeredModes: u32;
  listedGroup: u16;     // our most preferred group in its supported_groups
  shareGroup: u16;      // our most preferred group it sent a key share for (share in the slot's O_PEER_SHARE)
  clientMfl: u32; clientRsl: u32;
  clientAlpn: usize; clientAlpnLen: usize;
  offerCount: u32; binderCount: u32;  // identities and binders in its pre_shared_key
  cookieEcho: usize; cookieEchoLen: usize;
  version13: bool; versionsSeen: bool; pskSeen: bool;
  bindersAt: usize;
  sni: usize; sniLen: usize;
  // handshake_client.ts: what a ServerHello or HelloRetryRequest said.
  shVersion: u32; shGroup: u32; shShare: usize; shShareLen: usize; shPsk: i32; shCookie: usize; shCookieLen: usize;
  shIsHrr: bool;
  // tls12/: what a TLS 1.2 ClientHello asked for, and where the last TLS 1.2 record's content starts.
  t12Offered: bool;     // its supported_versions lists 0x0303
  t12Ems: bool; t12Ri: bool; t12GroupsSeen: bool;
  t12Group: u16;        // our most preferred group in its supported_groups (ECDHE-PSK)
  t12OpenedOff: u32;
}

const HEADER: usize = (offsetof<Scratch>() + 7) & ~7;
/** handshake_server.ts: the client's identities and binders (pointers into the ClientHello) and their lengths. */
export const SCRATCH_ID_AT: usize = HEADER;
export const SCRATCH_ID_LEN: usize = SCRATCH_ID_AT + <usize>SCAN_MAX * 4;
export const SCRATCH_BINDER_AT: usize = SCRATCH_ID_LEN + <usize>SCAN_MAX * 4;
export const SCRATCH_BINDER_LEN: usize = SCRATCH_BINDER_AT + <usize>SCAN_MAX * 4;
// A module without the server role (assembly/features.ts) has no ClientHello to scan.
const SCRATCH_SIZE: usize = HAS_SERVER ? SCRATCH_BINDER_LEN + <usize>SCAN_MAX * 4 : HEADER;

const AREA = memory.data(<i32>SCRATCH_SIZE, 8);

// @ts-ignore: decorator
@inline export function scratch(): Scratch {
  return changetype<Scratch>(AREA);
}

/** Address of a scratch array (SCRATCH_*). */
// @ts-ignore: decorator
@inline export function scratch_at(off: usize): usize {
  return AREA + off;
}

/** Forgets everything of the previous call, the wire cursors (codec.ts) too. */
export function scratch_reset(): void {
  memory.fill(AREA, 0, SCRATCH_SIZE);
  codec_reset();
}
