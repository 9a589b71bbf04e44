// What the TLS 1.2 client and server share: message and extension numbers,
// the downgrade sentinel, the record-size limits as TLS 1.2 counts them, and
// failing with a reason.
import { slot_at } from "../slot";
import { conn_fail } from "../record_out";

// Handshake messages TLS 1.2 adds (RFC 5246 §7.4).
export const HT_HELLO_REQUEST: u8 = 0;
export const HT_SERVER_KEY_EXCHANGE: u8 = 12;
export const HT_SERVER_HELLO_DONE: u8 = 14;
export const HT_CLIENT_KEY_EXCHANGE: u8 = 16;

// Extensions TLS 1.2 adds.
export const EXT_EC_POINT_FORMATS: u16 = 11;          // RFC 8422 §5.1.2
export const EXT_EXTENDED_MASTER_SECRET: u16 = 23;    // RFC 7627
export const EXT_SESSION_TICKET: u16 = 35;            // RFC 5077 (never offered)
export const EXT_RENEGOTIATION_INFO: u16 = 0xff01;    // RFC 5746

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3): a signal in the suite list, not a suite. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00ff;

/** TLS_FALLBACK_SCSV (RFC 7507): the client retried with a lower version than it has. */
export const TLS_FALLBACK_SCSV: u16 = 0x5600;

// Handshake steps (Slot.hs), apart from TLS 1.3's.
export const C12_WAIT_SKE: u8 = 16;   // ServerKeyExchange or ServerHelloDone
export const C12_WAIT_SHD: u8 = 17;
export const C12_WAIT_HOST: u8 = 18;  // EV_PSK_HINT raised, waiting for hello_reply
export const C12_WAIT_CCS: u8 = 19;
export const C12_WAIT_FIN: u8 = 20;
export const S12_WAIT_CKE: u8 = 24;
export const S12_WAIT_HOST: u8 = 25;  // EV_CLIENT_HELLO (the ClientKeyExchange identity) raised
export const S12_WAIT_CCS: u8 = 26;
export const S12_WAIT_FIN: u8 = 27;

/**
 * RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random of a TLS 1.3
 * server that negotiates TLS 1.2: "DOWNGRD" then 0x01 (0x00 for TLS 1.1 and below).
 */
export const DOWNGRADE_SENTINEL = memory.data<u8>([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]);

/** Largest TLS 1.2 record content (RFC 8449 §4: TLS 1.2's limit has no inner content type). */
export const MAX_CONTENT12: u32 = 16384;

export function fail12(p: usize, reason: u32, alert: u8): bool {
  conn_fail(p, reason, alert);
  return false;
}

/** The peer's record_size_limit `l` (>= 64) binds what we send. */
export function peer_rsl12(p: usize, l: u32): void {
  const s = slot_at(p);
  s.peerRsl = l;
  s.peerLimit = l > MAX_CONTENT12 ? MAX_CONTENT12 : l;
}

/** max_fragment_length `code` (1..4) agreed: it binds both directions (RFC 6066 §4). */
export function mfl12(p: usize, code: u32): void {
  const s = slot_at(p);
  const mfl: u32 = 1 << (8 + code);
  s.mflCode = <u8>code;
  if (!s.peerRsl) s.peerLimit = mfl;
  if (s.recvLimit > mfl) s.recvLimit = mfl;
}
