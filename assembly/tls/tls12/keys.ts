// The TLS 1.2 key schedule for PSK suites, stateless steps over the slot:
//
//   premaster  plain PSK (RFC 4279 §2):   u16 N || N zeros || u16 N || psk
//              ECDHE-PSK (RFC 5489 §2):   u16 len(Z) || Z || u16 N || psk
//   master     PRF(premaster, "extended master secret", session_hash)[0..48]   (RFC 7627 §4)
//              session_hash = Hash(handshake messages up to ClientKeyExchange)
//   key block  PRF(master, "key expansion", server_random || client_random)
//              = client_write_key || server_write_key || client_write_IV || server_write_IV
//   Finished   PRF(master, "client finished" | "server finished", Hash(messages))[0..12]
//   exporter   PRF(master, label, client_random || server_random [|| u16 len || context])  (RFC 5705)
//
// The master secret lives in O_SECRET (48 bytes) for the connection's life
// (the exporter needs it); the key block is derived again for each direction
// when it switches (the peer's ChangeCipherSpec comes later than our keys)
// and wiped at once.
import { slot_at, O_SECRET, O_PSK, O_CLIENT_RANDOM, O_SERVER_RANDOM, O_READ, O_WRITE, ROLE_CLIENT, F_KEYLOG } from "../slot";
import { th_current } from "../transcript";
import { suite_key_len, suite_iv_len } from "../suites";
import { ev_push, EV_KEYLOG } from "../events";
import { tls12_prf } from "./prf";
import { rec12_set_keys } from "./record";
import { L12_EXTENDED_MASTER_SECRET, L12_EXTENDED_MASTER_SECRET_LEN, L12_KEY_EXPANSION, L12_KEY_EXPANSION_LEN,
  L12_CLIENT_FINISHED, L12_CLIENT_FINISHED_LEN, L12_SERVER_FINISHED, L12_SERVER_FINISHED_LEN,
  L12_MASTER_SECRET, L12_MASTER_SECRET_LEN } from "./labels";
import { wipe } from "../../crypto/ct";
import { hash_len } from "../../crypto/hash";
import { KL_CLIENT_RANDOM } from "../../abi";
import { group_shared, group_secret_len, group_bad_share_reason, KX_PRIV_MAX, KX_SHARE_MAX, KX_SECRET_MAX } from "../groups";
import { O_KX_PRIV, O_PEER_SHARE } from "../slot";
import { fail12 } from "./common";
import * as A from "../alerts";

export const MASTER_LEN: usize = 48;
export const VERIFY_LEN: usize = 12;

// Premaster: u16 + other_secret (X25519 Z, 32 bytes, or N <= 128 zeros) + u16 + the PSK (<= 128).
const PMS_CAP: usize = 2 + 128 + 2 + 128;
// @ts-ignore: decorator
@lazy const PMS = memory.data(<i32>PMS_CAP, 8);
// @ts-ignore: decorator
@lazy const HASHBUF = memory.data(48, 8);
// 2 x 32 keys + 2 x 12 IVs.
// @ts-ignore: decorator
@lazy const KEYBLOCK = memory.data(88, 8);
// @ts-ignore: decorator
@lazy const LOGBUF = memory.data(32 + 48, 8);
// The (EC)DHE shared secret, between group_shared and the premaster.
// @ts-ignore: decorator
@lazy const Z = memory.data(<i32>(KX_SECRET_MAX > 0 ? KX_SECRET_MAX : 1), 8);

/**
 * Either side's master secret once the ClientKeyExchange is in the
 * transcript: for ECDHE-PSK (`dh`) first the shared secret of our O_KX_PRIV
 * and the peer's O_PEER_SHARE (both wiped here). False, with the slot failed,
 * when the peer's share gives none.
 */
export function t12_master_from_exchange(p: usize, dh: bool): bool {
  if (!dh) {
    t12_derive_master(p, 0, 0);
    return true;
  }
  const s = slot_at(p);
  const ok = group_shared(s.group, p + O_KX_PRIV, p + O_PEER_SHARE, Z);
  wipe(p + O_KX_PRIV, KX_PRIV_MAX);
  wipe(p + O_PEER_SHARE, KX_SHARE_MAX);
  if (!ok) {
    // Not a point of the group (P-256, R_BAD_POINT), or X25519's all-zero secret (R_BAD_KEY_SHARE).
    wipe(Z, KX_SECRET_MAX);
    return fail12(p, group_bad_share_reason(s.group), A.ALERT_ILLEGAL_PARAMETER);
  }
  t12_derive_master(p, Z, group_secret_len(s.group));
  wipe(Z, KX_SECRET_MAX);
  return true;
}

/**
 * The master secret from the PSK and, for ECDHE-PSK, the shared secret `z`
 * (`zLen` bytes; 0 for plain PSK), over the transcript so far (which must end
 * with the ClientKeyExchange). Emits the CLIENT_RANDOM key-log line.
 */
export function t12_derive_master(p: usize, z: usize, zLen: usize): void {
  const s = slot_at(p);
  const n = <usize>s.pskLen;
  let at: usize = 0;
  // other_secret: Z for ECDHE-PSK, N zero bytes for plain PSK.
  const otherLen = zLen ? zLen : n;
  store<u16>(PMS, bswap<u16>(<u16>otherLen));
  if (zLen) memory.copy(PMS + 2, z, zLen);
  else memory.fill(PMS + 2, 0, n);
  at = 2 + otherLen;
  store<u16>(PMS + at, bswap<u16>(<u16>n));
  memory.copy(PMS + at + 2, p + O_PSK, n);
  const pmsLen = at + 2 + n;
  th_current(p, HASHBUF);
  const hl = hash_len(s.hashAlg);
  tls12_prf(s.hashAlg, PMS, pmsLen, L12_EXTENDED_MASTER_SECRET, L12_EXTENDED_MASTER_SECRET_LEN, HASHBUF, hl, 0, 0, 0, 0,
    p + O_SECRET, MASTER_LEN);
  wipe(PMS, PMS_CAP);
  wipe(HASHBUF, 48);
  if (s.flags & F_KEYLOG) {
    memory.copy(LOGBUF, p + O_CLIENT_RANDOM, 32);
    memory.copy(LOGBUF + 32, p + O_SECRET, MASTER_LEN);
    ev_push(p, EV_KEYLOG, KL_CLIENT_RANDOM, LOGBUF, 32 + MASTER_LEN);
    wipe(LOGBUF, 32 + 48);
  }
}

/** Installs the key block's keys for our writing (`write`) or the peer's (reading) direction. */
export function t12_install(p: usize, write: bool): void {
  const s = slot_at(p);
  const kl = suite_key_len(s.suite);
  const il = suite_iv_len(s.suite);
  // seed = server_random || client_random (the randoms are adjacent in the slot, client first).
  tls12_prf(s.hashAlg, p + O_SECRET, MASTER_LEN, L12_KEY_EXPANSION, L12_KEY_EXPANSION_LEN,
    p + O_SERVER_RANDOM, 32, p + O_CLIENT_RANDOM, 32, 0, 0, KEYBLOCK, 2 * (kl + il));
  const clientSide = (s.role == ROLE_CLIENT) == write;
  const key = KEYBLOCK + (clientSide ? 0 : kl);
  const iv = KEYBLOCK + 2 * kl + (clientSide ? 0 : il);
  rec12_set_keys(p + (write ? O_WRITE : O_READ), s.suite, key, iv);
  wipe(KEYBLOCK, 88);
}

/** verify_data of the client's or the server's Finished over the transcript so far, into `out` (12 bytes). */
export function t12_finished(p: usize, client: bool, out: usize): void {
  const s = slot_at(p);
  th_current(p, HASHBUF);
  const hl = hash_len(s.hashAlg);
  tls12_prf(s.hashAlg, p + O_SECRET, MASTER_LEN, client ? L12_CLIENT_FINISHED : L12_SERVER_FINISHED,
    client ? L12_CLIENT_FINISHED_LEN : L12_SERVER_FINISHED_LEN, HASHBUF, hl, 0, 0, 0, 0, out, VERIFY_LEN);
  wipe(HASHBUF, 48);
}

function starts_with(label: usize, labelLen: usize, what: usize, whatLen: usize): bool {
  return labelLen >= whatLen && memory.compare(label, what, whatLen) == 0;
}

/**
 * RFC 5705 exporter: `outLen` bytes into `out`. `ctxLen` < 0 means no
 * context (which, unlike TLS 1.3, differs from an empty one). Labels that
 * begin with one of the PRF's own labels are refused (returns false), as
 * OpenSSL refuses them (RFC 5705 §4).
 */
export function t12_exporter(p: usize, label: usize, labelLen: usize, ctx: usize, ctxLen: i32, out: usize, outLen: usize): bool {
  if (starts_with(label, labelLen, L12_CLIENT_FINISHED, L12_CLIENT_FINISHED_LEN) ||
      starts_with(label, labelLen, L12_SERVER_FINISHED, L12_SERVER_FINISHED_LEN) ||
      starts_with(label, labelLen, L12_MASTER_SECRET, L12_MASTER_SECRET_LEN) ||
      starts_with(label, labelLen, L12_EXTENDED_MASTER_SECRET, L12_EXTENDED_MASTER_SECRET_LEN) ||
      starts_with(label, labelLen, L12_KEY_EXPANSION, L12_KEY_EXPANSION_LEN)) return false;
  const s = slot_at(p);
  if (ctxLen < 0) {
    tls12_prf(s.hashAlg, p + O_SECRET, MASTER_LEN, label, labelLen, p + O_CLIENT_RANDOM, 64, 0, 0, 0, 0, out, outLen);
  } else {
    store<u16>(HASHBUF, bswap<u16>(<u16>ctxLen));
    tls12_prf(s.hashAlg, p + O_SECRET, MASTER_LEN, label, labelLen, p + O_CLIENT_RANDOM, 64, HASHBUF, 2,
      ctx, <usize>ctxLen, out, outLen);
    wipe(HASHBUF, 2);
  }
  return true;
}
