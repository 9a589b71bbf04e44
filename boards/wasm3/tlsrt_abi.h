/* Generated from abi/engine-abi.json by tools/gen-abi.mjs; do not edit (edit the spec, then npm run build). */
/* The engine ABI constants for C hosts: what the engine's exports take and
 * return. Prefixed TLSRT_ABI_ so they never meet tlsrt_host.h's own TLSRT_* codes. */
#ifndef TLSRT_ABI_H
#define TLSRT_ABI_H

/* Negative results of an engine call */
#define TLSRT_ABI_E_BAD_SLOT (-1) /* not a slot, or not open */
#define TLSRT_ABI_E_BAD_ARG (-2) /* a length or value outside what the call allows */
#define TLSRT_ABI_E_STATE (-3) /* not possible in the connection's current state */
#define TLSRT_ABI_E_NO_SLOT (-4) /* every slot is in use */
#define TLSRT_ABI_E_CONFIG (-5) /* the config blob is malformed or out of range */
#define TLSRT_ABI_E_NOT_INIT (-6) /* init() has not run */
#define TLSRT_ABI_E_UNSUPPORTED (-7) /* the module was built without the role, suite, key exchange, group, protocol version or PSK hash asked for */

/* open()'s role argument and info(I_ROLE) */
#define TLSRT_ABI_ROLE_CLIENT 0 /* the connection sends the ClientHello */
#define TLSRT_ABI_ROLE_SERVER 1 /* the connection answers a ClientHello */

/* Connection states, info(I_STATE) */
#define TLSRT_ABI_ST_FREE 0 /* the slot holds no connection */
#define TLSRT_ABI_ST_HANDSHAKE 1 /* handshake in progress */
#define TLSRT_ABI_ST_OPEN 2 /* application data flows */
#define TLSRT_ABI_ST_CLOSED 3 /* close_notify seen or sent both ways: no more data */
#define TLSRT_ABI_ST_FAILED 4 /* a fatal alert was sent or received */

/* info(slot, what) selectors: the connection's scalars */
#define TLSRT_ABI_I_STATE 0 /* ST_* state */
#define TLSRT_ABI_I_SUITE 1 /* negotiated cipher suite (TLS 1.3 0x1301..0x1305, or a TLS 1.2 PSK suite id), 0 before ServerHello */
#define TLSRT_ABI_I_KX 2 /* negotiated key-exchange mode, KX_* (TLS 1.2: PSK suites report KX_PSK_KE, ECDHE-PSK suites KX_PSK_DHE_KE) */
#define TLSRT_ABI_I_HASH_LEN 3 /* bytes of the suite's hash (the Finished length); TLS 1.2: 12, the verify_data length */
#define TLSRT_ABI_I_FAIL_REASON 4 /* R_* reason the connection failed */
#define TLSRT_ABI_I_FAIL_ALERT 5 /* alert sent or received on failure */
#define TLSRT_ABI_I_FAIL_LOCAL 6 /* 1 when we detected the failure, 0 when the peer sent the alert */
#define TLSRT_ABI_I_PEER_LIMIT 7 /* largest plaintext the peer accepts per record */
#define TLSRT_ABI_I_RECV_LIMIT 8 /* largest plaintext we accept per record */
#define TLSRT_ABI_I_MFL 9 /* negotiated max_fragment_length code, 0 for none */
#define TLSRT_ABI_I_ALPN_LEN 10 /* bytes of the selected ALPN protocol (info_ptr IP_ALPN) */
#define TLSRT_ABI_I_SNI_LEN 11 /* bytes of the server name (info_ptr IP_SNI) */
#define TLSRT_ABI_I_IDENTITY_LEN 12 /* bytes of the PSK identity in use (info_ptr IP_IDENTITY) */
#define TLSRT_ABI_I_RECORDS_IN 13 /* records received under the current key */
#define TLSRT_ABI_I_RECORDS_OUT 14 /* records sent under the current key */
#define TLSRT_ABI_I_CLOSE_RECV 15 /* 1 once close_notify was received */
#define TLSRT_ABI_I_CLOSE_SENT 16 /* 1 once close_notify was sent */
#define TLSRT_ABI_I_ROLE 17 /* ROLE_* of the connection */
#define TLSRT_ABI_I_HRR 18 /* 1 when a HelloRetryRequest was part of the handshake */
#define TLSRT_ABI_I_MAX_SEND_FRAG 19 /* largest plaintext we put in one record */
#define TLSRT_ABI_I_PEER_RSL 20 /* the peer's record_size_limit, 0 when it sent none */
#define TLSRT_ABI_I_VERSION 21 /* negotiated protocol version (0x0303 TLS 1.2, 0x0304 TLS 1.3), 0 before ServerHello */
#define TLSRT_ABI_I_GROUP 22 /* named group of the (EC)DHE exchange (0x001d x25519, 0x0017 secp256r1), 0 when none */
#define TLSRT_ABI_I_HINT_LEN 23 /* client, TLS 1.2: bytes of the server's PSK identity hint (info_ptr IP_IDENTITY_HINT); 0 when it sent none */

/* info_ptr(slot, what) selectors: addresses of variable-length fields */
#define TLSRT_ABI_IP_ALPN 0 /* the selected ALPN protocol (I_ALPN_LEN bytes) */
#define TLSRT_ABI_IP_SNI 1 /* the server name (I_SNI_LEN bytes) */
#define TLSRT_ABI_IP_IDENTITY 2 /* the PSK identity in use (I_IDENTITY_LEN bytes) */
#define TLSRT_ABI_IP_CLIENT_FINISHED 3 /* the client's Finished verify_data (I_HASH_LEN bytes) */
#define TLSRT_ABI_IP_SERVER_FINISHED 4 /* the server's Finished verify_data (I_HASH_LEN bytes) */
#define TLSRT_ABI_IP_CLIENT_RANDOM 5 /* the ClientHello random (32 bytes) */
#define TLSRT_ABI_IP_IDENTITY_HINT 6 /* client, TLS 1.2: the server's PSK identity hint (I_HINT_LEN bytes) */

/* Event kinds, event_kind(slot) */
#define TLSRT_ABI_EV_NONE 0 /* the queue is empty */
#define TLSRT_ABI_EV_HANDSHAKE_DONE 1 /* the connection is open */
#define TLSRT_ABI_EV_CLIENT_HELLO 2 /* server: data = CH_* TLV of identities / server_name / ALPN list; answer with hello_reply. TLS 1.2: raised at the ClientKeyExchange, where a TLS 1.2 server first sees the identity (one CH_IDENTITY, the server_name); HR_ALPN is ignored there, ALPN was settled in the ServerHello */
#define TLSRT_ABI_EV_KEYLOG 3 /* arg = KL_* label; data = client_random(32) || secret (only with CF_KEYLOG) */
#define TLSRT_ABI_EV_ALERT 4 /* reserved, never sent: a received alert arrives as EV_ERROR (R_PEER_ALERT) or EV_PEER_CLOSED */
#define TLSRT_ABI_EV_ERROR 5 /* arg = reason << 8 | alert; the connection has failed */
#define TLSRT_ABI_EV_PEER_CLOSED 6 /* close_notify received: no more data from the peer */
#define TLSRT_ABI_EV_KEY_UPDATE 7 /* arg 0 = we rekeyed our sending side, 1 = the peer rekeyed */
#define TLSRT_ABI_EV_TRACE 8 /* arg = sent << 31 | message type << 24 | length (only with CF_TRACE) */
#define TLSRT_ABI_EV_PSK_HINT 9 /* client, TLS 1.2, only with CF_ASK_PSK: data = the server's identity hint (arg 1 when it sent one, 0 when none); answer with hello_reply HR_IDENTITY + HR_PSK_KEY (or HR_ABORT) */

/* EV_KEYLOG labels (the NSS key-log line's first word) */
#define TLSRT_ABI_KL_CLIENT_HANDSHAKE 0 /* client handshake traffic secret */
#define TLSRT_ABI_KL_SERVER_HANDSHAKE 1 /* server handshake traffic secret */
#define TLSRT_ABI_KL_CLIENT_TRAFFIC_0 2 /* first client application traffic secret */
#define TLSRT_ABI_KL_SERVER_TRAFFIC_0 3 /* first server application traffic secret */
#define TLSRT_ABI_KL_EXPORTER 4 /* exporter master secret */
#define TLSRT_ABI_KL_CLIENT_RANDOM 5 /* TLS 1.2 master secret (NSS line: CLIENT_RANDOM <client_random> <master_secret>) */

/* Why a connection failed (EV_ERROR arg high byte, info(I_FAIL_REASON)) */
#define TLSRT_ABI_R_NONE 0 /* no failure */
#define TLSRT_ABI_R_PEER_ALERT 1 /* the peer sent a fatal alert */
#define TLSRT_ABI_R_BAD_RECORD 2 /* malformed record header or length */
#define TLSRT_ABI_R_RECORD_OVERFLOW 3 /* a record larger than we allow */
#define TLSRT_ABI_R_BAD_RECORD_MAC 4 /* AEAD tag did not verify */
#define TLSRT_ABI_R_DECODE 5 /* a handshake message did not parse */
#define TLSRT_ABI_R_UNEXPECTED_MESSAGE 6 /* right syntax, wrong moment */
#define TLSRT_ABI_R_NO_SHARED_CIPHER 7 /* no cipher suite both sides accept */
#define TLSRT_ABI_R_NO_SHARED_GROUP 8 /* no key-exchange group both sides accept */
#define TLSRT_ABI_R_PSK_UNKNOWN_IDENTITY 9 /* no offered PSK identity is known */
#define TLSRT_ABI_R_BINDER_MISMATCH 10 /* wrong PSK (server side) */
#define TLSRT_ABI_R_FINISHED_MISMATCH 11 /* wrong PSK (client side) or tampering */
#define TLSRT_ABI_R_PROTOCOL_VERSION 12 /* the peer does not speak TLS 1.3 */
#define TLSRT_ABI_R_MISSING_EXTENSION 13 /* a required extension is absent */
#define TLSRT_ABI_R_ILLEGAL_PARAMETER 14 /* a field holds a value the protocol forbids here */
#define TLSRT_ABI_R_NO_PSK 15 /* the peer offered no PSK or no usable mode */
#define TLSRT_ABI_R_NO_ALPN 16 /* no ALPN protocol both sides accept */
#define TLSRT_ABI_R_INTERNAL 17 /* the engine could not go on (a bug or an exhausted buffer) */
#define TLSRT_ABI_R_HANDSHAKE_TOO_LARGE 18 /* a handshake message larger than the slot holds */
#define TLSRT_ABI_R_SEQ_EXHAUSTED 19 /* the record sequence number would wrap */
#define TLSRT_ABI_R_UNRECOGNIZED_NAME 20 /* the server does not serve the name asked for */
#define TLSRT_ABI_R_CERTIFICATE_REQUIRED 21 /* the peer wants certificates; tlsrt is PSK-only */
#define TLSRT_ABI_R_BAD_KEY_SHARE 22 /* an X25519 share that yields zero */
#define TLSRT_ABI_R_USER_CANCELED 23 /* the host aborted the handshake */
#define TLSRT_ABI_R_TOO_MANY_EMPTY_RECORDS 24 /* more consecutive empty records than the engine allows */
#define TLSRT_ABI_R_TOO_MANY_KEY_UPDATES 25 /* more KeyUpdates without application data than the engine allows */
#define TLSRT_ABI_R_DOWNGRADE 26 /* TLS 1.3 client: the ServerHello random carries the RFC 8446 4.1.3 downgrade sentinel */
#define TLSRT_ABI_R_NO_EXTENDED_MASTER_SECRET 27 /* TLS 1.2 peer without the extended_master_secret extension (RFC 7627, required) */
#define TLSRT_ABI_R_RENEGOTIATION 28 /* TLS 1.2 peer asked to renegotiate (refused, RFC 5746) */
#define TLSRT_ABI_R_BAD_POINT 29 /* an elliptic-curve share that is not a valid point on the group's curve */

/* open()'s config TLV tags (tag u8, length u16 big-endian, value) */
#define TLSRT_ABI_CFG_SUITES 1 /* u16 list of cipher suites, preference order */
#define TLSRT_ABI_CFG_PSK_IDENTITY 2 /* the PSK identity */
#define TLSRT_ABI_CFG_PSK_KEY 3 /* client: the key; server: a single static PSK (else ask the host) */
#define TLSRT_ABI_CFG_PSK_HASH 4 /* u8: 0 SHA-256 (default), 1 SHA-384 */
#define TLSRT_ABI_CFG_KX_MODES 5 /* u8 bits KX_* */
#define TLSRT_ABI_CFG_ALPN 6 /* ALPN protocol list in wire format */
#define TLSRT_ABI_CFG_SERVER_NAME 7 /* client: SNI host name */
#define TLSRT_ABI_CFG_MAX_FRAGMENT 8 /* u8 max_fragment_length code 1..4 (2^9..2^12) to request */
#define TLSRT_ABI_CFG_RECORD_LIMIT 9 /* u16 record_size_limit to advertise (64..16385) */
#define TLSRT_ABI_CFG_MAX_SEND_FRAG 10 /* u16 largest plaintext per record sent, 512..16384 */
#define TLSRT_ABI_CFG_FLAGS 11 /* u8 bits CF_* */
#define TLSRT_ABI_CFG_REKEY_AFTER 12 /* u32: KeyUpdate after this many records (1..2^24; default 2^24) */
#define TLSRT_ABI_CFG_MIN_VERSION 13 /* u16 lowest protocol version to speak: 0x0303 TLS 1.2 or 0x0304 TLS 1.3 (default 0x0304) */
#define TLSRT_ABI_CFG_MAX_VERSION 14 /* u16 highest protocol version to speak (default 0x0304); TLS 1.2 is offered only if CFG_SUITES also names a TLS 1.2 suite */
#define TLSRT_ABI_CFG_IDENTITY_HINT 15 /* server, TLS 1.2: the PSK identity hint sent in ServerKeyExchange (absent: none sent) */
#define TLSRT_ABI_CFG_GROUPS 16 /* u16 list of named groups for (EC)DHE, preference order (0x001d x25519, 0x0017 secp256r1); default: the module's groups, x25519 first */

/* CFG_FLAGS bits */
#define TLSRT_ABI_CF_KEYLOG 1 /* emit EV_KEYLOG events */
#define TLSRT_ABI_CF_COMPAT 2 /* client: middlebox compatibility mode (session id + CCS) */
#define TLSRT_ABI_CF_FORCE_HRR 4 /* server: always send a HelloRetryRequest */
#define TLSRT_ABI_CF_TRACE 8 /* emit an EV_TRACE event per handshake message */
#define TLSRT_ABI_CF_ASK_PSK 16 /* client, TLS 1.2: ask the host for identity and key with EV_PSK_HINT instead of using CFG_PSK_IDENTITY/CFG_PSK_KEY */

/* Key-exchange modes (CFG_KX_MODES bits, info(I_KX)) */
#define TLSRT_ABI_KX_PSK_KE 1 /* PSK only: no forward secrecy */
#define TLSRT_ABI_KX_PSK_DHE_KE 2 /* PSK with (EC)DHE on a named group (CFG_GROUPS) */

/* hello_reply TLV tags (the server host's answer to EV_CLIENT_HELLO) */
#define TLSRT_ABI_HR_PSK_KEY 1 /* the PSK for the chosen identity */
#define TLSRT_ABI_HR_ALPN 2 /* the protocol the host chose */
#define TLSRT_ABI_HR_ABORT 3 /* u8 alert: refuse the connection */
#define TLSRT_ABI_HR_PSK_INDEX 4 /* u8: which CH_IDENTITY HR_PSK_KEY is for (default 0, the first) */
#define TLSRT_ABI_HR_IDENTITY 5 /* client, answer to EV_PSK_HINT: the PSK identity to send in ClientKeyExchange */

/* EV_CLIENT_HELLO data TLV tags */
#define TLSRT_ABI_CH_IDENTITY 1 /* repeated: the identities offered, in the client's order */
#define TLSRT_ABI_CH_SERVER_NAME 2 /* the server_name the client asked for */
#define TLSRT_ABI_CH_ALPN 3 /* the client's ALPN list in wire format */

/* status(slot) bits: what the slot wants now, one call per poll (as BearSSL's br_ssl_engine_current_state) instead of recv_want, send_len, app_in_len, app_out_cap, event_kind and info(I_STATE) */
#define TLSRT_ABI_SB_WANT_INPUT 1 /* recv_want() > 0: the engine takes network bytes now */
#define TLSRT_ABI_SB_OUTPUT 2 /* send_len() > 0: records wait for the network */
#define TLSRT_ABI_SB_APP_IN 4 /* app_in_len() > 0: decrypted application data waits for the application */
#define TLSRT_ABI_SB_EVENT 8 /* an event waits (event_kind() > 0) */
#define TLSRT_ABI_SB_CLOSED 16 /* the connection is closed or failed (ST_CLOSED / ST_FAILED): no more input; drain output and events, then close() */
#define TLSRT_ABI_SB_APP_OUT 32 /* app_out_cap() > 0: the application may write a record now */
#define TLSRT_ABI_SB_WAIT_HOST 64 /* the handshake waits for the host's hello_reply (server, after EV_CLIENT_HELLO) */

#endif /* TLSRT_ABI_H */
