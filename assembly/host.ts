// What the engine imports from its host. A board's C host (boards/wasm3)
// and the Node host (src/engine/wasm-module.ts) supply the same three names.

/** Fills `len` bytes at `ptr` with cryptographically secure random bytes. */
// @ts-ignore: decorator
@external("env", "random_fill")
export declare function random_fill(ptr: usize, len: usize): void;
