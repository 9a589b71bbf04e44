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
export const BOARD: bool = isDefined(TLSRT_BOARD);

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
export const HAS_PSK_KE: bool = BOARD ? isDefined(TLSRT_KX_PSK_KE) : true;
// @ts-ignore: set by asc --use
export const HAS_PSK_DHE_KE: bool = BOARD ? isDefined(TLSRT_KX_PSK_DHE_KE) : true;

// Suites, their AEADs and hashes, and the key-exchange groups: one flag per
// entry of abi/tables.json, generated into assembly/built.ts.

/**
 * TLS 1.2 PSK (assembly/tls/tls12/): a board module has it when its
 * "engine" section lists "tls12" in versions (TLSRT_VERSION_TLS12); its
 * TLS 1.2 suites are then the ones engine.suites names (assembly/built.ts).
 */
// @ts-ignore: set by asc --use
export const HAS_TLS12: bool = BOARD ? isDefined(TLSRT_VERSION_TLS12) : !isDefined(TLSRT_NO_TLS12); // TLSRT_NO_TLS12: measuring a Node profile without it
