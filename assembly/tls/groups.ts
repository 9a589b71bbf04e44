// Key-exchange groups as data: each group's sizes are one descriptor in
// tables.ts (generated from abi/tables.json); this file reads them and
// dispatches key generation and the shared secret to the group's primitive.
// Adding a group is its table entry plus one branch in each of the
// functions below that dispatch (its primitive, gated by its HAS_GROUP_* flag).
import { GROUP_TABLE, GROUP_COUNT, GROUP_DESC_SIZE, GK_X25519, GK_P256 } from "./tables";
import { HAS_GROUP_X25519, HAS_GROUP_SECP256R1 } from "../built";
import { x25519, x25519_base } from "../crypto/x25519";
import { p256_keygen, p256_shared, p256_private_ok, P256_POINT_BYTES } from "../crypto/p256";
import { random_fill } from "../host";
import { R_BAD_KEY_SHARE, R_BAD_POINT } from "./alerts";
export { GROUP_X25519, GROUP_SECP256R1, GROUP_COUNT, GROUPS_BUILT, KX_SHARE_MAX, KX_PRIV_MAX, KX_SECRET_MAX } from "./tables";

const GD_ID: usize = 0;
const GD_BUILT: usize = 2;
const GD_KIND: usize = 3;
const GD_SHARE_LEN: usize = 4;
const GD_PRIV_LEN: usize = 5;
const GD_SECRET_LEN: usize = 6;

/** The descriptor of a group this build contains; for any other id the table's all-zero last row. */
export function group_desc(id: u16): usize {
  let d = GROUP_TABLE;
  for (let i: i32 = 0; i < GROUP_COUNT; i++, d += GROUP_DESC_SIZE) if (load<u16>(d, GD_ID) == id && load<u8>(d, GD_BUILT) != 0) return d;
  return d;
}

/** True if `id` is in the table at all (whether or not this build contains it). */
export function group_known(id: u16): bool {
  for (let i: i32 = 0; i < GROUP_COUNT; i++) if (load<u16>(GROUP_TABLE + <usize>i * GROUP_DESC_SIZE, GD_ID) == id) return true;
  return false;
}

/** True if this build contains group `id`. */
export function group_built(id: u16): bool {
  return load<u8>(group_desc(id), GD_BUILT) != 0;
}

/** The i-th descriptor in table order (0 <= i < GROUP_COUNT), and two of its fields. */
// @ts-ignore: decorator
@inline export function group_desc_at(i: i32): usize { return GROUP_TABLE + <usize>i * GROUP_DESC_SIZE; }
// @ts-ignore: decorator
@inline export function gd_id(d: usize): u16 { return load<u16>(d, GD_ID); }
// @ts-ignore: decorator
@inline export function gd_built(d: usize): bool { return load<u8>(d, GD_BUILT) != 0; }

/** Bytes of the group's key share on the wire, 0 for a group this build does not contain. */
export function group_share_len(id: u16): usize {
  return <usize>load<u8>(group_desc(id), GD_SHARE_LEN);
}

export function group_priv_len(id: u16): usize {
  return <usize>load<u8>(group_desc(id), GD_PRIV_LEN);
}

export function group_secret_len(id: u16): usize {
  return <usize>load<u8>(group_desc(id), GD_SECRET_LEN);
}

/**
 * A fresh private key for the group at `priv` (group_priv_len bytes).
 * X25519 takes any 32 random bytes (RFC 7748 clamps them). P-256 needs an
 * integer in [1, n-1]: 32 random bytes, drawn again while they are not (a
 * rejection loop on random input: a second draw has probability < 2^-32,
 * and a rejected draw is discarded, so the loop count says nothing about
 * the key kept).
 */
export function group_new_private(id: u16, priv: usize): void {
  const d = group_desc(id); // a group not built: the all-zero row, 0 bytes drawn
  random_fill(priv, <usize>load<u8>(d, GD_PRIV_LEN));
  if (HAS_GROUP_SECP256R1 && load<u8>(d, GD_KIND) == GK_P256) {
    while (p256_private_ok(priv) != 1) random_fill(priv, 32);
  }
}

/**
 * Our public share for the private key at `priv` (from group_new_private,
 * group_priv_len long), written to `pub` (group_share_len bytes).
 * Returns false for a group this build does not contain.
 */
export function group_public(id: u16, priv: usize, pub: usize): bool {
  const kind = load<u8>(group_desc(id), GD_KIND);
  if (HAS_GROUP_X25519 && kind == GK_X25519) {
    x25519_base(pub, priv);
    return true;
  }
  if (HAS_GROUP_SECP256R1 && kind == GK_P256) return p256_keygen(pub, priv) == 1; // 0x04 || x || y
  return false;
}

/**
 * The shared secret (group_secret_len bytes at `out`) from our private key
 * and the peer's share (group_share_len bytes, its length already checked).
 * False when the peer's share is invalid for the group (X25519: an all-zero
 * result, RFC 8446 §7.4.2; P-256: not a point of the curve, SEC 1
 * §3.2.2.1 as RFC 8446 §4.2.8.2 requires), or the group is not built.
 */
export function group_shared(id: u16, priv: usize, peer: usize, out: usize): bool {
  const kind = load<u8>(group_desc(id), GD_KIND);
  if (HAS_GROUP_X25519 && kind == GK_X25519) return x25519(out, priv, peer) != 0;
  if (HAS_GROUP_SECP256R1 && kind == GK_P256) return p256_shared(out, priv, peer, P256_POINT_BYTES) != 0;
  return false;
}

/** The failure reason when group_shared refused the peer's share (the alert is illegal_parameter either way). */
export function group_bad_share_reason(id: u16): u32 {
  if (HAS_GROUP_SECP256R1 && load<u8>(group_desc(id), GD_KIND) == GK_P256) return R_BAD_POINT;
  return R_BAD_KEY_SHARE;
}
