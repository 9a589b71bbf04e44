export { R_NONE, R_PEER_ALERT, R_BAD_RECORD, R_RECORD_OVERFLOW, R_BAD_RECORD_MAC, R_DECODE, R_UNEXPECTED_MESSAGE, R_NO_SHARED_CIPHER, R_NO_SHARED_GROUP, R_PSK_UNKNOWN_IDENTITY, R_BINDER_MISMATCH, R_FINISHED_MISMATCH, R_PROTOCOL_VERSION, R_MISSING_EXTENSION, R_ILLEGAL_PARAMETER, R_NO_PSK, R_NO_ALPN, R_INTERNAL, R_HANDSHAKE_TOO_LARGE, R_SEQ_EXHAUSTED, R_UNRECOGNIZED_NAME, R_CERTIFICATE_REQUIRED, R_BAD_KEY_SHARE, R_USER_CANCELED, R_TOO_MANY_EMPTY_RECORDS, R_TOO_MANY_KEY_UPDATES, R_BAD_POINT } from "../abi";
// TLS alert descriptions (RFC 8446 §6) and the engine's reasons for failing.
// A failure carries both: the alert that goes on the wire and a finer reason
// the host turns into a Node-style error code.

export const ALERT_CLOSE_NOTIFY: u8 = 0;
export const ALERT_UNEXPECTED_MESSAGE: u8 = 10;
export const ALERT_BAD_RECORD_MAC: u8 = 20;
export const ALERT_RECORD_OVERFLOW: u8 = 22;
export const ALERT_HANDSHAKE_FAILURE: u8 = 40;
export const ALERT_ILLEGAL_PARAMETER: u8 = 47;
export const ALERT_DECODE_ERROR: u8 = 50;
export const ALERT_DECRYPT_ERROR: u8 = 51;
export const ALERT_PROTOCOL_VERSION: u8 = 70;
export const ALERT_INTERNAL_ERROR: u8 = 80;
export const ALERT_USER_CANCELED: u8 = 90;
export const ALERT_MISSING_EXTENSION: u8 = 109;
export const ALERT_UNSUPPORTED_EXTENSION: u8 = 110;
export const ALERT_UNRECOGNIZED_NAME: u8 = 112;
export const ALERT_UNKNOWN_PSK_IDENTITY: u8 = 115;
export const ALERT_NO_APPLICATION_PROTOCOL: u8 = 120;

// Why a connection failed: the R_* reasons come from abi/engine-abi.json (re-exported above).
