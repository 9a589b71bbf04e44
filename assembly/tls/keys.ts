// The key schedule of one connection (RFC 8446 §7): the steps both roles
// take at the same points of the handshake, over the slot's secret regions,
// and the installation of traffic keys into the record layer. The HKDF
// arithmetic itself is keyschedule.ts (stateless, over caller buffers).
import { slot_at, is_client, O_READ, O_WRITE, O_CLIENT_RANDOM, O_SECRET, O_C_TRAFFIC, O_S_TRAFFIC, O_C_PENDING,
  O_EXPORTER, O_PSK, O_KX_PRIV, F_KEYLOG } from "./slot";
import { rec_set_keys } from "./record";
import { ks_early, ks_next_stage, ks_key, ks_derive_keyed, ks_unkey, ks_traffic_keys, ks_update } from "./keyschedule";
import { L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN, L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN,
  L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, L_EXP_MASTER, L_EXP_MASTER_LEN } from "./labels";
import { th_current } from "./transcript";
import { suite_key_len, suite_iv_len } from "./suites";
import { group_shared, group_secret_len, group_bad_share_reason, KX_PRIV_MAX, KX_SECRET_MAX } from "./groups";
import { conn_fail } from "./record_out";
import { ev_push, EV_KEYLOG } from "./events";
import { hash_len } from "../crypto/hash";
import { wipe } from "../crypto/ct";
import * as A from "./alerts";
import { KL_CLIENT_HANDSHAKE, KL_SERVER_HANDSHAKE, KL_CLIENT_TRAFFIC_0, KL_SERVER_TRAFFIC_0, KL_EXPORTER } from "../abi";
export { KL_CLIENT_HANDSHAKE, KL_SERVER_HANDSHAKE, KL_CLIENT_TRAFFIC_0, KL_SERVER_TRAFFIC_0, KL_EXPORTER } from "../abi";

// Per-call scratch, wiped before each function returns.
const KEYBUF = memory.data(64 + 16);
const LOGBUF = memory.data(32 + 48);
const TH = memory.data(48);
const DHE = memory.data(<i32>(KX_SECRET_MAX > 0 ? KX_SECRET_MAX : 1));

/** Installs the key and IV derived from `secret` for reading or writing. */
export function conn_install(p: usize, write: bool, secret: usize): void {
  const s = slot_at(p);
  ks_traffic_keys(s.hashAlg, secret, suite_key_len(s.suite), KEYBUF, KEYBUF + 64, suite_iv_len(s.suite));
  rec_set_keys(p + (write ? O_WRITE : O_READ), s.suite, KEYBUF, KEYBUF + 64);
  wipe(KEYBUF, 64 + 16);
}

/** Emits an NSS key-log line's worth (label id, client_random, secret) if the host asked for them. */
export function conn_keylog(p: usize, label: u32, secret: usize): void {
  const s = slot_at(p);
  if (!(s.flags & F_KEYLOG)) return;
  const hl = <usize>hash_len(s.hashAlg);
  memory.copy(LOGBUF, p + O_CLIENT_RANDOM, 32);
  memory.copy(LOGBUF + 32, secret, hl);
  ev_push(p, EV_KEYLOG, label, LOGBUF, 32 + hl);
  wipe(LOGBUF, 32 + 48);
}

/** Our own or the peer's current application traffic secret. */
function traffic_secret(p: usize, write: bool): usize {
  const s = slot_at(p);
  const clientSide = is_client(s.role) == write;
  return p + (clientSide ? O_C_TRAFFIC : O_S_TRAFFIC);
}

/** application_traffic_secret_N+1 for one direction (RFC 8446 §7.2), installed at once. */
export function keys_update(p: usize, write: bool): void {
  const secret = traffic_secret(p, write);
  ks_update(slot_at(p).hashAlg, secret);
  conn_install(p, write, secret);
}

/** early_secret from the slot's PSK into O_SECRET. */
export function derive_early(p: usize): void {
  const s = slot_at(p);
  ks_early(s.hashAlg, p + O_PSK, s.pskLen, p + O_SECRET);
}

/**
 * After ServerHello: handshake_secret from the (EC)DHE share (`peerShare`
 * on the slot's group, or none for psk_ke), then both handshake traffic
 * secrets. Returns false (and fails the connection) when the group says the
 * peer's share is invalid.
 */
export function derive_handshake(p: usize, peerShare: usize): bool {
  const s = slot_at(p);
  const alg = s.hashAlg;
  if (KX_SECRET_MAX > 0 && peerShare) {
    const ok = group_shared(s.group, p + O_KX_PRIV, peerShare, DHE);
    wipe(p + O_KX_PRIV, KX_PRIV_MAX);
    if (!ok) {
      wipe(DHE, KX_SECRET_MAX);
      conn_fail(p, group_bad_share_reason(s.group), A.ALERT_ILLEGAL_PARAMETER);
      return false;
    }
    ks_next_stage(alg, p + O_SECRET, DHE, group_secret_len(s.group), p + O_SECRET);
    wipe(DHE, KX_SECRET_MAX);
  } else {
    ks_next_stage(alg, p + O_SECRET, 0, 0, p + O_SECRET);
  }
  th_current(p, TH);
  ks_key(alg, p + O_SECRET);
  ks_derive_keyed(alg, L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, TH, p + O_C_TRAFFIC);
  ks_derive_keyed(alg, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN, TH, p + O_S_TRAFFIC);
  ks_unkey();
  wipe(TH, 48);
  conn_keylog(p, KL_CLIENT_HANDSHAKE, p + O_C_TRAFFIC);
  conn_keylog(p, KL_SERVER_HANDSHAKE, p + O_S_TRAFFIC);
  return true;
}

/**
 * After the server Finished is in the transcript: master secret, then the
 * application traffic secrets and the exporter secret. The server's replaces
 * its handshake secret (its Finished is already sealed); the client's waits
 * in O_C_PENDING because the client handshake secret is still needed for
 * the client Finished.
 */
export function derive_application(p: usize): void {
  const cOut = p + O_C_PENDING;
  const sOut = p + O_S_TRAFFIC;
  const s = slot_at(p);
  const alg = s.hashAlg;
  ks_next_stage(alg, p + O_SECRET, 0, 0, p + O_SECRET);
  th_current(p, TH);
  ks_key(alg, p + O_SECRET);
  ks_derive_keyed(alg, L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN, TH, cOut);
  ks_derive_keyed(alg, L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, TH, sOut);
  ks_derive_keyed(alg, L_EXP_MASTER, L_EXP_MASTER_LEN, TH, p + O_EXPORTER);
  ks_unkey();
  wipe(TH, 48);
  wipe(p + O_SECRET, 48);
  // A server logs the client's application secret when it starts using it,
  // after the client Finished (handshake_server.ts), as OpenSSL does.
  if (is_client(s.role)) conn_keylog(p, KL_CLIENT_TRAFFIC_0, cOut);
  conn_keylog(p, KL_SERVER_TRAFFIC_0, sOut);
  conn_keylog(p, KL_EXPORTER, p + O_EXPORTER);
}

/** Bytes of the current hash. */
export function hlen(p: usize): usize {
  return <usize>hash_len(slot_at(p).hashAlg);
}
