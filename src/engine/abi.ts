// Generated from abi/engine-abi.json by tools/gen-abi.mjs; do not edit (edit the spec, then npm run build).
// The engine ABI constants for the Node host (src/engine/*).

// Negative results of an engine call
export const E_BAD_SLOT = -1; // not a slot, or not open
export const E_BAD_ARG = -2; // a length or value outside what the call allows
export const E_STATE = -3; // not possible in the connection's current state
export const E_NO_SLOT = -4; // every slot is in use
export const E_CONFIG = -5; // the config blob is malformed or out of range
export const E_NOT_INIT = -6; // init() has not run
export const E_UNSUPPORTED = -7; // the module was built without the role, suite, key exchange, group, protocol version or PSK hash asked for

// open()'s role argument and info(I_ROLE)
export const ROLE_CLIENT = 0; // the connection sends the ClientHello
export const ROLE_SERVER = 1; // the connection answers a ClientHello

// Connection states, info(I_STATE)
export const ST_FREE = 0; // the slot holds no connection
export const ST_HANDSHAKE = 1; // handshake in progress
export const ST_OPEN = 2; // application data flows
export const ST_CLOSED = 3; // close_notify seen or sent both ways: no more data
export const ST_FAILED = 4; // a fatal alert was sent or received

// info(slot, what) selectors: the connection's scalars
export const I_STATE = 0; // ST_* state
export const I_SUITE = 1; // negotiated cipher suite (TLS 1.3 0x1301..0x1305, or a TLS 1.2 PSK suite id), 0 before ServerHello
export const I_KX = 2; // negotiated key-exchange mode, KX_* (TLS 1.2: PSK suites report KX_PSK_KE, ECDHE-PSK suites KX_PSK_DHE_KE)
export const I_HASH_LEN = 3; // bytes of the suite's hash (the Finished length); TLS 1.2: 12, the verify_data length
export const I_FAIL_REASON = 4; // R_* reason the connection failed
export const I_FAIL_ALERT = 5; // alert sent or received on failure
export const I_FAIL_LOCAL = 6; // 1 when we detected the failure, 0 when the peer sent the alert
export const I_PEER_LIMIT = 7; // largest plaintext the peer accepts per record
export const I_RECV_LIMIT = 8; // largest plaintext we accept per record
export const I_MFL = 9; // negotiated max_fragment_length code, 0 for none
export const I_ALPN_LEN = 10; // bytes of the selected ALPN protocol (info_ptr IP_ALPN)
export const I_SNI_LEN = 11; // bytes of the server name (info_ptr IP_SNI)
export const I_IDENTITY_LEN = 12; // bytes of the PSK identity in use (info_ptr IP_IDENTITY)
export const I_RECORDS_IN = 13; // records received under the current key
export const I_RECORDS_OUT = 14; // records sent under the current key
export const I_CLOSE_RECV = 15; // 1 once close_notify was received
export const I_CLOSE_SENT = 16; // 1 once close_notify was sent
export const I_ROLE = 17; // ROLE_* of the connection
export const I_HRR = 18; // 1 when a HelloRetryRequest was part of the handshake
export const I_MAX_SEND_FRAG = 19; // largest plaintext we put in one record
export const I_PEER_RSL = 20; // the peer's record_size_limit, 0 when it sent none
export const I_VERSION = 21; // negotiated protocol version (0x0303 TLS 1.2, 0x0304 TLS 1.3), 0 before ServerHello
export const I_GROUP = 22; // named group of the (EC)DHE exchange (0x001d x25519, 0x0017 secp256r1), 0 when none
export const I_HINT_LEN = 23; // client, TLS 1.2: bytes of the server's PSK identity hint (info_ptr IP_IDENTITY_HINT); 0 when it sent none

// info_ptr(slot, what) selectors: addresses of variable-length fields
export const IP_ALPN = 0; // the selected ALPN protocol (I_ALPN_LEN bytes)
export const IP_SNI = 1; // the server name (I_SNI_LEN bytes)
export const IP_IDENTITY = 2; // the PSK identity in use (I_IDENTITY_LEN bytes)
export const IP_CLIENT_FINISHED = 3; // the client's Finished verify_data (I_HASH_LEN bytes)
export const IP_SERVER_FINISHED = 4; // the server's Finished verify_data (I_HASH_LEN bytes)
export const IP_CLIENT_RANDOM = 5; // the ClientHello random (32 bytes)
export const IP_IDENTITY_HINT = 6; // client, TLS 1.2: the server's PSK identity hint (I_HINT_LEN bytes)

// Event kinds, event_kind(slot)
export const EV_NONE = 0; // the queue is empty
export const EV_HANDSHAKE_DONE = 1; // the connection is open
export const EV_CLIENT_HELLO = 2; // server: data = CH_* TLV of identities / server_name / ALPN list; answer with hello_reply. TLS 1.2: raised at the ClientKeyExchange, where a TLS 1.2 server first sees the identity (one CH_IDENTITY, the server_name); HR_ALPN is ignored there, ALPN was settled in the ServerHello
export const EV_KEYLOG = 3; // arg = KL_* label; data = client_random(32) || secret (only with CF_KEYLOG)
export const EV_ALERT = 4; // reserved, never sent: a received alert arrives as EV_ERROR (R_PEER_ALERT) or EV_PEER_CLOSED
export const EV_ERROR = 5; // arg = reason << 8 | alert; the connection has failed
export const EV_PEER_CLOSED = 6; // close_notify received: no more data from the peer
export const EV_KEY_UPDATE = 7; // arg 0 = we rekeyed our sending side, 1 = the peer rekeyed
export const EV_TRACE = 8; // arg = sent << 31 | message type << 24 | length (only with CF_TRACE)
export const EV_PSK_HINT = 9; // client, TLS 1.2, only with CF_ASK_PSK: data = the server's identity hint (arg 1 when it sent one, 0 when none); answer with hello_reply HR_IDENTITY + HR_PSK_KEY (or HR_ABORT)

// EV_KEYLOG labels (the NSS key-log line's first word)
export const KL_CLIENT_HANDSHAKE = 0; // client handshake traffic secret
export const KL_SERVER_HANDSHAKE = 1; // server handshake traffic secret
export const KL_CLIENT_TRAFFIC_0 = 2; // first client application traffic secret
export const KL_SERVER_TRAFFIC_0 = 3; // first server application traffic secret
export const KL_EXPORTER = 4; // exporter master secret
export const KL_CLIENT_RANDOM = 5; // TLS 1.2 master secret (NSS line: CLIENT_RANDOM <client_random> <master_secret>)

// Why a connection failed (EV_ERROR arg high byte, info(I_FAIL_REASON))
export const R_NONE = 0; // no failure
export const R_PEER_ALERT = 1; // the peer sent a fatal alert
export const R_BAD_RECORD = 2; // malformed record header or length
export const R_RECORD_OVERFLOW = 3; // a record larger than we allow
export const R_BAD_RECORD_MAC = 4; // AEAD tag did not verify
export const R_DECODE = 5; // a handshake message did not parse
export const R_UNEXPECTED_MESSAGE = 6; // right syntax, wrong moment
export const R_NO_SHARED_CIPHER = 7; // no cipher suite both sides accept
export const R_NO_SHARED_GROUP = 8; // no key-exchange group both sides accept
export const R_PSK_UNKNOWN_IDENTITY = 9; // no offered PSK identity is known
export const R_BINDER_MISMATCH = 10; // wrong PSK (server side)
export const R_FINISHED_MISMATCH = 11; // wrong PSK (client side) or tampering
export const R_PROTOCOL_VERSION = 12; // the peer does not speak TLS 1.3
export const R_MISSING_EXTENSION = 13; // a required extension is absent
export const R_ILLEGAL_PARAMETER = 14; // a field holds a value the protocol forbids here
export const R_NO_PSK = 15; // the peer offered no PSK or no usable mode
export const R_NO_ALPN = 16; // no ALPN protocol both sides accept
export const R_INTERNAL = 17; // the engine could not go on (a bug or an exhausted buffer)
export const R_HANDSHAKE_TOO_LARGE = 18; // a handshake message larger than the slot holds
export const R_SEQ_EXHAUSTED = 19; // the record sequence number would wrap
export const R_UNRECOGNIZED_NAME = 20; // the server does not serve the name asked for
export const R_CERTIFICATE_REQUIRED = 21; // the peer wants certificates; tlsrt is PSK-only
export const R_BAD_KEY_SHARE = 22; // an X25519 share that yields zero
export const R_USER_CANCELED = 23; // the host aborted the handshake
export const R_TOO_MANY_EMPTY_RECORDS = 24; // more consecutive empty records than the engine allows
export const R_TOO_MANY_KEY_UPDATES = 25; // more KeyUpdates without application data than the engine allows
export const R_DOWNGRADE = 26; // TLS 1.3 client: the ServerHello random carries the RFC 8446 4.1.3 downgrade sentinel
export const R_NO_EXTENDED_MASTER_SECRET = 27; // TLS 1.2 peer without the extended_master_secret extension (RFC 7627, required)
export const R_RENEGOTIATION = 28; // TLS 1.2 peer asked to renegotiate (refused, RFC 5746)
export const R_BAD_POINT = 29; // an elliptic-curve share that is not a valid point on the group's curve

// open()'s config TLV tags (tag u8, length u16 big-endian, value)
export const CFG_SUITES = 1; // u16 list of cipher suites, preference order
export const CFG_PSK_IDENTITY = 2; // the PSK identity
export const CFG_PSK_KEY = 3; // client: the key; server: a single static PSK (else ask the host)
export const CFG_PSK_HASH = 4; // u8: 0 SHA-256 (default), 1 SHA-384
export const CFG_KX_MODES = 5; // u8 bits KX_*
export const CFG_ALPN = 6; // ALPN protocol list in wire format
export const CFG_SERVER_NAME = 7; // client: SNI host name
export const CFG_MAX_FRAGMENT = 8; // u8 max_fragment_length code 1..4 (2^9..2^12) to request
export const CFG_RECORD_LIMIT = 9; // u16 record_size_limit to advertise (64..16385)
export const CFG_MAX_SEND_FRAG = 10; // u16 largest plaintext per record sent, 512..16384
export const CFG_FLAGS = 11; // u8 bits CF_*
export const CFG_REKEY_AFTER = 12; // u32: KeyUpdate after this many records (1..2^24; default 2^24)
export const CFG_MIN_VERSION = 13; // u16 lowest protocol version to speak: 0x0303 TLS 1.2 or 0x0304 TLS 1.3 (default 0x0304)
export const CFG_MAX_VERSION = 14; // u16 highest protocol version to speak (default 0x0304); TLS 1.2 is offered only if CFG_SUITES also names a TLS 1.2 suite
export const CFG_IDENTITY_HINT = 15; // server, TLS 1.2: the PSK identity hint sent in ServerKeyExchange (absent: none sent)
export const CFG_GROUPS = 16; // u16 list of named groups for (EC)DHE, preference order (0x001d x25519, 0x0017 secp256r1); default: the module's groups, x25519 first

// CFG_FLAGS bits
export const CF_KEYLOG = 1; // emit EV_KEYLOG events
export const CF_COMPAT = 2; // client: middlebox compatibility mode (session id + CCS)
export const CF_FORCE_HRR = 4; // server: always send a HelloRetryRequest
export const CF_TRACE = 8; // emit an EV_TRACE event per handshake message
export const CF_ASK_PSK = 16; // client, TLS 1.2: ask the host for identity and key with EV_PSK_HINT instead of using CFG_PSK_IDENTITY/CFG_PSK_KEY

// Key-exchange modes (CFG_KX_MODES bits, info(I_KX))
export const KX_PSK_KE = 1; // PSK only: no forward secrecy
export const KX_PSK_DHE_KE = 2; // PSK with (EC)DHE on a named group (CFG_GROUPS)

// hello_reply TLV tags (the server host's answer to EV_CLIENT_HELLO)
export const HR_PSK_KEY = 1; // the PSK for the chosen identity
export const HR_ALPN = 2; // the protocol the host chose
export const HR_ABORT = 3; // u8 alert: refuse the connection
export const HR_PSK_INDEX = 4; // u8: which CH_IDENTITY HR_PSK_KEY is for (default 0, the first)
export const HR_IDENTITY = 5; // client, answer to EV_PSK_HINT: the PSK identity to send in ClientKeyExchange

// EV_CLIENT_HELLO data TLV tags
export const CH_IDENTITY = 1; // repeated: the identities offered, in the client's order
export const CH_SERVER_NAME = 2; // the server_name the client asked for
export const CH_ALPN = 3; // the client's ALPN list in wire format

// status(slot) bits: what the slot wants now, one call per poll (as BearSSL's br_ssl_engine_current_state) instead of recv_want, send_len, app_in_len, app_out_cap, event_kind and info(I_STATE)
export const SB_WANT_INPUT = 1; // recv_want() > 0: the engine takes network bytes now
export const SB_OUTPUT = 2; // send_len() > 0: records wait for the network
export const SB_APP_IN = 4; // app_in_len() > 0: decrypted application data waits for the application
export const SB_EVENT = 8; // an event waits (event_kind() > 0)
export const SB_CLOSED = 16; // the connection is closed or failed (ST_CLOSED / ST_FAILED): no more input; drain output and events, then close()
export const SB_APP_OUT = 32; // app_out_cap() > 0: the application may write a record now
export const SB_WAIT_HOST = 64; // the handshake waits for the host's hello_reply (server, after EV_CLIENT_HELLO)

/** R_* reasons by value, as lower-case names (R_PEER_ALERT is peer_alert). */
export const REASON_NAMES: Readonly<Record<number, string>> = {
  1: 'peer_alert',
  2: 'bad_record',
  3: 'record_overflow',
  4: 'bad_record_mac',
  5: 'decode',
  6: 'unexpected_message',
  7: 'no_shared_cipher',
  8: 'no_shared_group',
  9: 'psk_unknown_identity',
  10: 'binder_mismatch',
  11: 'finished_mismatch',
  12: 'protocol_version',
  13: 'missing_extension',
  14: 'illegal_parameter',
  15: 'no_psk',
  16: 'no_alpn',
  17: 'internal',
  18: 'handshake_too_large',
  19: 'seq_exhausted',
  20: 'unrecognized_name',
  21: 'certificate_required',
  22: 'bad_key_share',
  23: 'user_canceled',
  24: 'too_many_empty_records',
  25: 'too_many_key_updates',
  26: 'downgrade',
  27: 'no_extended_master_secret',
  28: 'renegotiation',
  29: 'bad_point',
};

/** ST_* states by value, as lower-case names (Conn#state). */
export const STATE_NAMES = ['free', 'handshake', 'open', 'closed', 'failed'] as const;

/** NSS key-log labels by KL_* value. */
export const KEYLOG_LABELS: readonly string[] = [
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EXPORTER_SECRET',
  'CLIENT_RANDOM',
];
