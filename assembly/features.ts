// What this build of the engine contains, fixed at compile time.
//
// A Node profile (assembly/profiles/psk.ts, full.ts) is compiled with none of
// the TLSRT_* names defined and gets everything. A board module
// (assembly/profiles/board.ts) is compiled by tools/build.mjs with
// `--use TLSRT_BOARD=1` plus one `--use TLSRT_<ITEM>=1` per item its
// boards/<name>.json "engine" section selects (src/bundle/engine-features.ts
// derives the names from the JSON strings, mechanically). Every HAS_* below
// is a constant: asc folds `if (HAS_X && ...)` at compile time, so a branch a
// board does not select is never compiled and the functions only it reached
// are not in the module at all.
//
// isDefined() of a name nobody declared is false; the `@ts-ignore`s are for
// the TypeScript checker, which does not know --use.

/** True in a board build: only what the board selects is in. */
// @ts-ignore: set by asc --use
const BOARD: bool = isDefined(TLSRT_BOARD);

/**
 * Board modules are size-optimised: where a primitive has a compact variant
 * (sha256.ts's block function), a board build takes it; the Node profiles
 * keep the speed-first code.
 */
export const SIZE_OPTIMISED: bool = BOARD;

// @ts-ignore: set by asc --use
export const HAS_CLIENT: bool = BOARD ? isDefined(TLSRT_ROLE_CLIENT) : true;
// @ts-ignore: set by asc --use
export const HAS_SERVER: bool = BOARD ? isDefined(TLSRT_ROLE_SERVER) : true;

// @ts-ignore: set by asc --use
export const HAS_AES_128_GCM: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_GCM_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_AES_256_GCM: bool = BOARD ? isDefined(TLSRT_SUITE_AES_256_GCM_SHA384) : true;
// @ts-ignore: set by asc --use
export const HAS_CHACHA20_POLY1305: bool = BOARD ? isDefined(TLSRT_SUITE_CHACHA20_POLY1305_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_AES_128_CCM: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_CCM_SHA256) : true;
// @ts-ignore: set by asc --use
export const HAS_AES_128_CCM_8: bool = BOARD ? isDefined(TLSRT_SUITE_AES_128_CCM_8_SHA256) : true;

// @ts-ignore: set by asc --use
export const HAS_PSK_KE: bool = BOARD ? isDefined(TLSRT_KX_PSK_KE) : true;
// @ts-ignore: set by asc --use
export const HAS_PSK_DHE_KE: bool = BOARD ? isDefined(TLSRT_KX_PSK_DHE_KE) : true;
// @ts-ignore: set by asc --use
export const HAS_TLS12: bool = BOARD ? isDefined(TLSRT_VERSION_TLS12) : true;

/** X25519 is the only group tlsrt has; src/bundle/board.ts requires it with psk_dhe_ke. */
// @ts-ignore: set by asc --use
export const HAS_X25519: bool = HAS_PSK_DHE_KE && (BOARD ? isDefined(TLSRT_GROUP_X25519) : true);

// What the suites imply.
export const HAS_GCM: bool = HAS_AES_128_GCM || HAS_AES_256_GCM;
export const HAS_CCM: bool = HAS_AES_128_CCM || HAS_AES_128_CCM_8;
export const HAS_AES: bool = HAS_GCM || HAS_CCM;
/** SHA-384 backs TLS_AES_256_GCM_SHA384 only (and PSKs bound to it; in TLS 1.2, PSK-AES256-GCM-SHA384's PRF). */
export const HAS_SHA384: bool = HAS_AES_256_GCM;

/** 1 if this module implements cipher suite `id` (0x1301..0x1305). */
export function suite_built(id: u16): bool {
  switch (id) {
    case 0x1301: return HAS_AES_128_GCM;
    case 0x1302: return HAS_AES_256_GCM;
    case 0x1303: return HAS_CHACHA20_POLY1305;
    case 0x1304: return HAS_AES_128_CCM;
    case 0x1305: return HAS_AES_128_CCM_8;
  }
  return false;
}

/**
 * 1 if this module implements TLS 1.2 suite `id`. A TLS 1.2 suite comes with
 * the TLS 1.3 suite of the same AEAD (and hash), so a board selects it by
 * selecting that suite plus the "tls12" version; ECDHE-PSK also needs X25519.
 */
export function suite12_built(id: u16): bool {
  if (!HAS_TLS12) return false;
  switch (id) {
    case 0x00a8: return HAS_AES_128_GCM;
    case 0x00a9: return HAS_AES_256_GCM;
    case 0xccab: return HAS_CHACHA20_POLY1305;
    case 0xccac: return HAS_CHACHA20_POLY1305 && HAS_X25519;
    case 0xc0a4: return HAS_AES_128_CCM;
    case 0xc0a8: return HAS_AES_128_CCM_8;
  }
  return false;
}
