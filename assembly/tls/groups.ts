// The (EC)DHE groups of the TLS 1.3 key_share (RFC 8446 §4.2.7, §4.2.8):
// for each group its wire id, share length, key-pair generation and shared
// secret, so the handshakes handle "the group" without knowing which it is.
// A group the module was built without (assembly/features.ts) is unknown
// here: group_built() says no and its primitive is never reached.
import { x25519, x25519_base } from "../crypto/x25519";
import { p256_keygen, p256_shared, p256_private_ok, P256_POINT_BYTES } from "../crypto/p256";
import { HAS_X25519, HAS_GROUP_SECP256R1, group_built } from "../features";
import { random_fill } from "../host";
import { R_BAD_KEY_SHARE, R_BAD_POINT } from "./alerts";

export const GROUP_X25519: u16 = 0x001d;
export const GROUP_SECP256R1: u16 = 0x0017;
/** The most groups a config can name (every group tlsrt has). */
export const MAX_GROUPS: u32 = 2;
/** The longest share: an uncompressed P-256 point. */
export const MAX_SHARE: usize = P256_POINT_BYTES;

export { group_built };

/** Bytes of a key_share entry's key_exchange for `g` (0 for a group we do not have). */
export function group_share_len(g: u16): usize {
  if (HAS_X25519 && g == GROUP_X25519) return 32;
  if (HAS_GROUP_SECP256R1 && g == GROUP_SECP256R1) return P256_POINT_BYTES;
  return 0;
}

/**
 * Draws a fresh private key for `g` into priv32 (32 bytes). P-256 needs one
 * in [1, n-1]: draw again while it is not (a rejection loop on random bytes;
 * a second draw happens with probability < 2^-32, and a rejected draw is
 * discarded, so the loop count tells nothing about the key kept).
 */
export function group_new_private(g: u16, priv32: usize): void {
  random_fill(priv32, 32);
  if (HAS_GROUP_SECP256R1 && g == GROUP_SECP256R1) {
    while (p256_private_ok(priv32) != 1) random_fill(priv32, 32);
  }
}

/** Writes the public share of priv32 for `g` (group_share_len(g) bytes) at out. */
export function group_public(g: u16, out: usize, priv32: usize): void {
  if (HAS_X25519 && g == GROUP_X25519) x25519_base(out, priv32);
  else if (HAS_GROUP_SECP256R1 && g == GROUP_SECP256R1) p256_keygen(out, priv32);
}

/**
 * out32 = the (EC)DHE shared secret of priv32 with the peer's share
 * (peerLen bytes at peer). Returns 0 on success, else the R_* reason to
 * fail with (illegal_parameter, RFC 8446 §4.2.8.2 / §7.4.2): a P-256 share
 * that is not a valid point (R_BAD_POINT), an X25519 result of zero or a
 * share of the wrong length (R_BAD_KEY_SHARE).
 */
export function group_shared(g: u16, out32: usize, priv32: usize, peer: usize, peerLen: usize): u32 {
  if (HAS_X25519 && g == GROUP_X25519) {
    if (peerLen != 32) return R_BAD_KEY_SHARE;
    return x25519(out32, priv32, peer) ? 0 : R_BAD_KEY_SHARE;
  }
  if (HAS_GROUP_SECP256R1 && g == GROUP_SECP256R1) {
    return p256_shared(out32, priv32, peer, peerLen) ? 0 : R_BAD_POINT;
  }
  return R_BAD_KEY_SHARE;
}
