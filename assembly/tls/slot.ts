// A connection slot: the whole state of one connection actor, at a fixed
// place in the arena carved by pool_init. Scalars live in the `Slot` header;
// fixed-size byte regions (secrets, names, the transcript hash) follow it at
// the offsets below; the three buffers (records in, records out, handshake
// reassembly) are separate areas whose sizes come from the board profile.
// Nothing here is ever allocated after init; closing a slot wipes it whole.
import { DIR_STATE_SIZE } from "./record";
import { HAS_TLS12, HAS_CLIENT, HAS_SERVER } from "../features";
import { SUITE_COUNT, GROUP_COUNT, KX_SHARE_MAX, KX_PRIV_MAX } from "./tables";
import { ROLE_CLIENT, ROLE_SERVER, ST_FREE, ST_HANDSHAKE, ST_OPEN, ST_CLOSED, ST_FAILED } from "../abi";
export { ROLE_CLIENT, ROLE_SERVER, ST_FREE, ST_HANDSHAKE, ST_OPEN, ST_CLOSED, ST_FAILED } from "../abi";

// ROLE_* and the connection states ST_* (Slot.state) are ABI: see abi/engine-abi.json.

/** The slot is a client's: a constant in a module built with one role (open() refuses the other). */
// @ts-ignore: decorator
@inline export function is_client(role: u8): bool {
  return HAS_CLIENT && (!HAS_SERVER || role == ROLE_CLIENT);
}

@unmanaged
export class Slot {
  state: u8;
  role: u8;
  hs: u8;              // handshake step (handshake_client.ts / handshake_server.ts)
  flags: u8;           // F_* below
  suite: u16;          // negotiated suite, 0 until known
  hashAlg: i32;        // the PSK's hash: fixes the transcript hash from the first message
  kxModes: u8;         // offered/accepted psk_key_exchange_modes (bit 0 psk_ke, bit 1 psk_dhe_ke)
  kxChosen: u8;        // 0 none yet, 1 psk_ke, 2 psk_dhe_ke
  mflCode: u8;         // max_fragment_length code requested (client) / accepted (both), 0 none
  sentHrr: u8;         // a HelloRetryRequest was sent (server) or received (client)
  closeSent: u8;
  closeRecv: u8;
  keyUpdatePending: u8; // 1 send a KeyUpdate, 2 send one with update_requested
  failReason: u8;
  failAlert: u8;
  failLocal: u8;       // 1 we sent the alert, 0 the peer did
  // Suites and groups the host allows, in preference order (ids in O_SUITES / O_GROUPS).
  suiteCount: u8;
  groupCount: u8;
  group: u16;          // the group of our key share (client: sent; server: chosen), 0 none
  // Record sizes: what we may send, what we accept.
  maxSendFrag: u32;    // host's setMaxSendFragment (512..16384)
  peerLimit: u32;      // largest TLSInnerPlaintext the peer accepts (RSL/MFL), 16384+1 default
  recvLimit: u32;      // largest TLSInnerPlaintext we accept (from our buffer / our RSL)
  ourRsl: u32;         // record_size_limit we advertise (0 = do not send)
  peerRsl: u32;        // the peer's record_size_limit (0 = none)
  // Buffers.
  recvBuf: usize; recvCap: u32; recvLen: u32; recvNeed: u32;
  appInOff: u32; appInLen: u32;       // decrypted application data waiting in recvBuf
  sendBuf: usize; sendCap: u32; sendLen: u32; sendOff: u32;
  hsBuf: usize; hsCap: u32; hsLen: u32;
  hsSkip: u32;          // bytes of an oversized post-handshake message still to discard
  // Lengths of variable fields in the regions below.
  identityLen: u32; pskLen: u32; alpnLen: u32; alpnSelLen: u32; sniLen: u32;
  cookieLen: u32; sessionIdLen: u32;
  // Events waiting for the host.
  evCount: u32; evHead: u32; evDataLen: u32;
  // Records sent/received, for the host's statistics.
  recordsIn: u32; recordsOut: u32;
  /** Send a KeyUpdate after this many records under one key (0: the default, 2^24). */
  rekeyAfter: u32;
  // Hostile-peer limits (conn.ts): records that carry no data but cost work.
  emptyRecordsIn: u32;  // empty application-data records since the last non-empty one
  keyUpdatesIn: u32;    // KeyUpdates received since the last application data
  /** Client: the extensions its ClientHello carried (bit = extensions.ts entry), the answers it may get. */
  extSent: u32;
  // Protocol versions (CFG_MIN_VERSION/CFG_MAX_VERSION) and what TLS 1.2 (tls12/) keeps.
  version: u16;         // 0x0303 once TLS 1.2 is negotiated; 0 otherwise (a TLS 1.3 connection has a suite)
  minVersion: u16;
  maxVersion: u16;
  flags12: u8;          // G_* below
  hintLen: u32;         // PSK identity hint: ours (server) or the server's (client), at O_HINT
}

export const F_KEYLOG: u8 = 1;        // emit KEYLOG events
export const F_COMPAT: u8 = 2;        // client: middlebox compatibility (session id + CCS)
export const F_PSK_KNOWN: u8 = 4;     // the PSK key is in the slot (client, or server after PSK_REPLY)
export const F_WAIT_HOST: u8 = 8;     // the handshake waits for the host's HELLO_REPLY
export const F_SERVER_CCS: u8 = 16;   // server: answer the client's compat session id with a CCS
export const F_EARLY_CCS_OK: u8 = 32; // a change_cipher_spec record is tolerated now
export const F_FORCE_HRR: u8 = 64;    // server: always send a HelloRetryRequest (tests a client's HRR path)
export const F_TRACE: u8 = 128;       // emit a TRACE event per handshake message sent or received

// Slot.flags12 (TLS 1.2).
export const G_ASK_PSK: u8 = 1;       // client: ask the host for identity and key (EV_PSK_HINT)
export const G_ALT_TH: u8 = 2;        // client: O_ALT_TRANSCRIPT holds the ClientHello under the other hash
export const G_RI: u8 = 4;            // server: the client signalled renegotiation_info (extension or SCSV)
export const G_EC_FORMATS: u8 = 8;    // server: the client sent ec_point_formats

// Byte regions after the header, in order. Sizes are limits a host config is checked against.
export const MAX_IDENTITY: usize = 128;
export const MAX_PSK: usize = 128;
export const MAX_ALPN_LIST: usize = 128;
export const MAX_ALPN_SEL: usize = 64;
export const MAX_SNI: usize = 128;
export const MAX_COOKIE: usize = 64;
/** TLS 1.2 PSK identity hint (RFC 4279 allows 2^16-1; hints in use are short names). */
export const MAX_HINT: usize = HAS_TLS12 ? 128 : 0;
/** A config may name each suite and group of the table once (abi/tables.json). */
export const MAX_SUITES: usize = <usize>SUITE_COUNT;
export const MAX_GROUPS: usize = <usize>GROUP_COUNT;
// One call into the engine can queue a handshake's worth: 5 key-log lines, a
// trace event per message, the CLIENT_HELLO (identity, name, ALPN list).
export const EV_MAX: u32 = 16;
export const EV_DATA: usize = 768;
const TRANSCRIPT_CTX: usize = 256;

// Each region starts 8-aligned after the previous one: ((prev + size + 7) & ~7),
// written out (not through an @inline helper, which asc does not evaluate in
// a global's initializer) so every offset is a compile-time constant that
// folds into the loads' offsets: no globals, no start function.
export const O_HEADER: usize = 0;
export const O_CLIENT_RANDOM: usize = ((0 + offsetof<Slot>() + 7) & ~7);
export const O_SERVER_RANDOM: usize = ((O_CLIENT_RANDOM + 32 + 7) & ~7);
export const O_SESSION_ID: usize = ((O_SERVER_RANDOM + 32 + 7) & ~7);
export const O_KX_PRIV: usize = ((O_SESSION_ID + 32 + 7) & ~7);     // our (EC)DHE private key (groups.ts sizes)
export const O_SECRET: usize = ((O_KX_PRIV + KX_PRIV_MAX + 7) & ~7);       // current stage secret (early/handshake/master)
export const O_C_TRAFFIC: usize = ((O_SECRET + 48 + 7) & ~7);          // client traffic secret (hs, then ap_N)
export const O_S_TRAFFIC: usize = ((O_C_TRAFFIC + 48 + 7) & ~7);       // server traffic secret
export const O_C_PENDING: usize = ((O_S_TRAFFIC + 48 + 7) & ~7);       // client_application_traffic_secret_0 until the client Finished
export const O_EXPORTER: usize = ((O_C_PENDING + 48 + 7) & ~7);        // exporter_master_secret
export const O_C_FINISHED: usize = ((O_EXPORTER + 48 + 7) & ~7);       // client verify_data
export const O_S_FINISHED: usize = ((O_C_FINISHED + 48 + 7) & ~7);     // server verify_data
export const O_TRANSCRIPT: usize = ((O_S_FINISHED + 48 + 7) & ~7);     // running transcript hash context
export const O_IDENTITY: usize = ((O_TRANSCRIPT + TRANSCRIPT_CTX + 7) & ~7);
export const O_PSK: usize = ((O_IDENTITY + MAX_IDENTITY + 7) & ~7);
export const O_ALPN: usize = ((O_PSK + MAX_PSK + 7) & ~7);             // our ALPN list, wire format
export const O_ALPN_SEL: usize = ((O_ALPN + MAX_ALPN_LIST + 7) & ~7);  // the negotiated protocol
export const O_SNI: usize = ((O_ALPN_SEL + MAX_ALPN_SEL + 7) & ~7);    // server_name (ours or the client's)
export const O_COOKIE: usize = ((O_SNI + MAX_SNI + 7) & ~7);
export const O_PEER_SHARE: usize = ((O_COOKIE + MAX_COOKIE + 7) & ~7);  // the peer's key share (server side)
export const O_SUITES: usize = ((O_PEER_SHARE + KX_SHARE_MAX + 7) & ~7); // u16 suite ids, suiteCount of them
export const O_GROUPS: usize = ((O_SUITES + MAX_SUITES * 2 + 7) & ~7);  // u16 group ids, groupCount of them
export const O_EV: usize = ((O_GROUPS + MAX_GROUPS * 2 + 7) & ~7);       // EV_MAX x {kind u32, arg u32, off u32, len u32}
export const O_EV_DATA: usize = ((O_EV + EV_MAX * 16 + 7) & ~7);
export const O_READ: usize = ((O_EV_DATA + EV_DATA + 7) & ~7);         // record protection, inbound
export const O_WRITE: usize = ((O_READ + DIR_STATE_SIZE + 7) & ~7);    // record protection, outbound
export const O_HINT: usize = ((O_WRITE + DIR_STATE_SIZE + 7) & ~7);   // TLS 1.2 identity hint (MAX_HINT is 0 without TLS 1.2)
export const SLOT_STATE_SIZE: usize = ((O_HINT + MAX_HINT + 7) & ~7);

export const TRANSCRIPT_CTX_SIZE = TRANSCRIPT_CTX;

// Until the server has derived any secret (it may wait for the host's PSK),
// the regions of the traffic secrets and Finished values hold what the
// client's pre_shared_key offered: up to MAX_PSK_OFFERS binders (48 bytes
// apart, in the four contiguous regions O_C_TRAFFIC..O_EXPORTER), the table
// of offers (handshake_server.ts) and the transcript hash the binders cover.
// The offered identities themselves wait in O_IDENTITY.
export const MAX_PSK_OFFERS: usize = 4;
export const O_PEER_BINDERS: usize = O_C_TRAFFIC;
export const O_PSK_OFFERS: usize = O_C_FINISHED;
export const O_BINDER_HASH: usize = O_S_FINISHED;

// A client that offers TLS 1.2 suites of both hashes cannot know which
// transcript hash applies until the ServerHello: it hashes its ClientHello
// under the other one too, here (200 bytes of the regions O_C_TRAFFIC..
// O_S_FINISHED, unused until the ServerHello; tls12/client.ts).
export const O_ALT_TRANSCRIPT: usize = O_C_TRAFFIC;

// @ts-ignore: decorator
@inline export function slot_at(p: usize): Slot {
  return changetype<Slot>(p);
}
