// Key-exchange groups as data: each group's sizes are one descriptor in
// tables.ts (generated from abi/tables.json); this file reads them and
// dispatches key generation and the shared secret to the group's primitive.
// Adding a group is its table entry plus one branch in each of the two
// functions below (its primitive, gated by its HAS_GROUP_* flag).
import { GROUP_TABLE, GROUP_COUNT, GROUP_DESC_SIZE, GK_X25519 } from "./tables";
import { HAS_GROUP_X25519 } from "../built";
import { x25519, x25519_base } from "../crypto/x25519";
export { GROUP_X25519, GROUP_COUNT, KX_SHARE_MAX, KX_PRIV_MAX, KX_SECRET_MAX } from "./tables";

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

/** The i-th built group id in table order, 0 past the end (the default CFG_GROUPS order). */
export function group_built_at(i: i32): u16 {
  let d = GROUP_TABLE;
  for (let j: i32 = 0; j < GROUP_COUNT; j++, d += GROUP_DESC_SIZE) {
    if (load<u8>(d, GD_BUILT) != 0 && i-- == 0) return load<u16>(d, GD_ID);
  }
  return 0;
}

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
 * Our public share for the private key at `priv` (random bytes the caller
 * filled, group_priv_len long), written to `pub` (group_share_len bytes).
 * Returns false for a group this build does not contain.
 */
export function group_public(id: u16, priv: usize, pub: usize): bool {
  const kind = load<u8>(group_desc(id), GD_KIND);
  if (HAS_GROUP_X25519 && kind == GK_X25519) {
    x25519_base(pub, priv);
    return true;
  }
  return false;
}

/**
 * The shared secret (group_secret_len bytes at `out`) from our private key
 * and the peer's share (group_share_len bytes, its length already checked).
 * False when the peer's share is invalid for the group (X25519: an all-zero
 * result, RFC 8446 §7.4.2), or the group is not built.
 */
export function group_shared(id: u16, priv: usize, peer: usize, out: usize): bool {
  const kind = load<u8>(group_desc(id), GD_KIND);
  if (HAS_GROUP_X25519 && kind == GK_X25519) return x25519(out, priv, peer) != 0;
  return false;
}
