// Extensions as data: one descriptor per extension the engine recognises —
// its type, the messages it may appear in, and those in which it may come
// without our having sent it first — and the one rule every hello parser
// applies before it hands an extension to its codec (RFC 8446 §4.2):
//
//   - a type we do not know: ignored in a ClientHello; in anything sent in
//     answer to us, unsupported_extension (we never ask for what we don't know)
//   - a second one of the same type: illegal_parameter
//   - a known type in a message it may not appear in: illegal_parameter
//   - in an answer (ServerHello, HelloRetryRequest, EncryptedExtensions), one
//     our ClientHello did not carry: unsupported_extension (the client's
//     ClientHello writer records what it sent, handshake_msg.ts)
//
// The codecs are per message: each parser dispatches the entry index
// ext_admit returns to its codec (handshake_server.ts ch_extension for the
// ClientHello; handshake_client.ts sh_extension for ServerHello/HRR,
// ee_extension for EncryptedExtensions), direct calls a board module keeps
// only for its roles (no function table, nothing for wasm3 to call
// indirectly).
import { slot_at } from "./slot";
import { HAS_SERVER } from "../features";
import { fail } from "./record_out";
import { scratch } from "./scratch";
import * as A from "./alerts";

// Extension types (IANA).
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

// Messages an extension may appear in (bits).
export const IN_CH: u16 = 1;    // ClientHello
export const IN_SH: u16 = 2;    // ServerHello (TLS 1.3)
export const IN_HRR: u16 = 4;   // HelloRetryRequest
export const IN_EE: u16 = 8;    // EncryptedExtensions
export const IN_SH12: u16 = 16; // ServerHello of TLS 1.2 (RFC 5246 §7.4.1.4)

// Entry indexes (rows of EXT_TABLE below), what the parsers dispatch on.
export const X_SERVER_NAME: i32 = 0;
export const X_MAX_FRAGMENT_LENGTH: i32 = 1;
export const X_SUPPORTED_GROUPS: i32 = 2;
export const X_SIGNATURE_ALGORITHMS: i32 = 3;
export const X_ALPN: i32 = 4;
export const X_RECORD_SIZE_LIMIT: i32 = 5;
export const X_PRE_SHARED_KEY: i32 = 6;
export const X_EARLY_DATA: i32 = 7;
export const X_SUPPORTED_VERSIONS: i32 = 8;
export const X_COOKIE: i32 = 9;
export const X_PSK_KEY_EXCHANGE_MODES: i32 = 10;
export const X_KEY_SHARE: i32 = 11;
export const EXT_COUNT: i32 = 12;

// One row per entry: type, where it may appear, where it may appear unasked.
const EXT_TABLE = memory.data<u16>([
  EXT_SERVER_NAME, IN_CH | IN_EE | IN_SH12, 0,
  EXT_MAX_FRAGMENT_LENGTH, IN_CH | IN_EE | IN_SH12, 0,
  EXT_SUPPORTED_GROUPS, IN_CH | IN_EE, 0,
  EXT_SIGNATURE_ALGORITHMS, IN_CH, 0,
  EXT_ALPN, IN_CH | IN_EE | IN_SH12, 0,
  EXT_RECORD_SIZE_LIMIT, IN_CH | IN_EE | IN_SH12, 0,
  EXT_PRE_SHARED_KEY, IN_CH | IN_SH, 0,
  EXT_EARLY_DATA, IN_CH | IN_EE, 0,
  EXT_SUPPORTED_VERSIONS, IN_CH | IN_SH | IN_HRR, 0,
  EXT_COOKIE, IN_CH | IN_HRR, IN_HRR,           // RFC 8446 §4.2: the one answer that needs no request
  EXT_PSK_KEY_EXCHANGE_MODES, IN_CH, 0,
  EXT_KEY_SHARE, IN_CH | IN_SH | IN_HRR, 0,
]);
const ROW: usize = 6;

/** The entry of extension `type`, -1 when the engine does not know it. */
export function ext_index(type: u32): i32 {
  for (let i: i32 = 0; i < EXT_COUNT; i++) if (<u32>load<u16>(EXT_TABLE + <usize>i * ROW) == type) return i;
  return -1;
}

/** Result of ext_admit: skip the extension's body. */
export const EXT_IGNORE: i32 = -1;
/** Result of ext_admit: the connection failed. */
export const EXT_REFUSED: i32 = -2;

/** Starts a hello's extension block: nothing seen yet. */
export function ext_begin(): void {
  scratch().extSeen = 0;
}

/**
 * The rule above for one extension of type `type` in message `where`
 * (IN_*): the entry index for the parser's codec table, EXT_IGNORE, or
 * EXT_REFUSED after failing the connection.
 */
export function ext_admit(p: usize, type: u32, where: u16): i32 {
  const i = ext_index(type);
  if (i < 0) {
    if (HAS_SERVER && where == IN_CH) return EXT_IGNORE; // only a server parses a ClientHello
    fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
    return EXT_REFUSED;
  }
  const x = scratch();
  const row = EXT_TABLE + <usize>i * ROW;
  if ((x.extSeen & (<u32>1 << i)) || !(load<u16>(row, 2) & where)) {
    fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_ILLEGAL_PARAMETER);
    return EXT_REFUSED;
  }
  x.extSeen |= <u32>1 << i;
  if ((!HAS_SERVER || where != IN_CH) && !(slot_at(p).extSent & (<u32>1 << i)) && !(load<u16>(row, 4) & where)) {
    fail(p, A.R_ILLEGAL_PARAMETER, A.ALERT_UNSUPPORTED_EXTENSION);
    return EXT_REFUSED;
  }
  return i;
}

/** True when extension entry `i` was seen in the hello being parsed. */
export function ext_seen(i: i32): bool {
  return (scratch().extSeen & (<u32>1 << i)) != 0;
}

/** Records that our ClientHello carries extension `type` (handshake_msg.ts's writer calls it). */
export function ext_sent(p: usize, type: u16): void {
  const i = ext_index(type);
  if (i >= 0) slot_at(p).extSent |= <u32>1 << i;
}
