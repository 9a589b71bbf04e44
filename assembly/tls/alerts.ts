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

// Why a connection failed (ERROR event argument, high byte; alert in the low byte).
export const R_NONE: u32 = 0;
export const R_PEER_ALERT: u32 = 1;          // the peer sent a fatal alert
export const R_BAD_RECORD: u32 = 2;          // malformed record header or length
export const R_RECORD_OVERFLOW: u32 = 3;     // a record larger than we allow
export const R_BAD_RECORD_MAC: u32 = 4;      // AEAD tag did not verify
export const R_DECODE: u32 = 5;              // a handshake message did not parse
export const R_UNEXPECTED_MESSAGE: u32 = 6;  // right syntax, wrong moment
export const R_NO_SHARED_CIPHER: u32 = 7;
export const R_NO_SHARED_GROUP: u32 = 8;
export const R_PSK_UNKNOWN_IDENTITY: u32 = 9;
export const R_BINDER_MISMATCH: u32 = 10;    // wrong PSK (server side)
export const R_FINISHED_MISMATCH: u32 = 11;  // wrong PSK (client side) or tampering
export const R_PROTOCOL_VERSION: u32 = 12;
export const R_MISSING_EXTENSION: u32 = 13;
export const R_ILLEGAL_PARAMETER: u32 = 14;
export const R_NO_PSK: u32 = 15;             // the peer offered no PSK or no usable mode
export const R_NO_ALPN: u32 = 16;
export const R_INTERNAL: u32 = 17;
export const R_HANDSHAKE_TOO_LARGE: u32 = 18; // a handshake message larger than the slot holds
export const R_SEQ_EXHAUSTED: u32 = 19;
export const R_UNRECOGNIZED_NAME: u32 = 20;
export const R_CERTIFICATE_REQUIRED: u32 = 21; // the peer wants certificates; tlsrt is PSK-only
export const R_BAD_KEY_SHARE: u32 = 22;        // an X25519 share that yields zero
export const R_USER_CANCELED: u32 = 23;
export const R_TOO_MANY_EMPTY_RECORDS: u32 = 24; // more consecutive empty records than MAX_EMPTY_RECORDS
export const R_TOO_MANY_KEY_UPDATES: u32 = 25;   // more KeyUpdates without application data than MAX_KEY_UPDATES
