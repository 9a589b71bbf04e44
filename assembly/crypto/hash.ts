// Hash dispatch by algorithm id: the TLS engine, HMAC and HKDF name a
// cipher suite's hash with a small integer and call through here, so one code
// path serves TLS_AES_128_GCM_SHA256 / TLS_CHACHA20_POLY1305_SHA256
// (HASH_SHA256) and TLS_AES_256_GCM_SHA384 (HASH_SHA384).
//
// A plain switch on a public id (no function tables: no indirect calls, and
// binaryen can inline the direct calls). Contexts are laid out by the
// primitives themselves (sha256.ts, sha512.ts); HASH_MAX_CTX_SIZE bytes hold
// either. An unknown id gives length 0 from the size queries and makes the
// other functions do nothing, so callers check hash_len(alg) != 0 once.
import { sha256_init, sha256_update, sha256_final, sha256, SHA256_CTX_SIZE } from "./sha256";
import { sha384_init, sha512_update, sha384_final, sha384, SHA384_CTX_SIZE } from "./sha512";

import { HAS_HASH_SHA384 as HAS_SHA384 } from "../built";

export const HASH_SHA256: i32 = 0;
export const HASH_SHA384: i32 = 1;

/** Largest digest, block and context over every supported id (for fixed-size buffers). */
export const HASH_MAX_LEN: usize = 48;
export const HASH_MAX_BLOCK_LEN: usize = 128;
export const HASH_MAX_CTX_SIZE: usize = 200;

/** Digest length in bytes (32 or 48), 0 for an unknown id. */
export function hash_len(alg: i32): usize {
  if (alg == HASH_SHA256) return 32;
  if (HAS_SHA384 && alg == HASH_SHA384) return 48;
  return 0;
}

/** Block length in bytes (64 or 128), 0 for an unknown id. */
export function hash_block_len(alg: i32): usize {
  if (alg == HASH_SHA256) return 64;
  if (HAS_SHA384 && alg == HASH_SHA384) return 128;
  return 0;
}

/** Bytes the caller must provide for a context of this hash, 0 for an unknown id. */
export function hash_ctx_size(alg: i32): usize {
  if (alg == HASH_SHA256) return SHA256_CTX_SIZE;
  if (HAS_SHA384 && alg == HASH_SHA384) return SHA384_CTX_SIZE;
  return 0;
}

export function hash_init(alg: i32, ctx: usize): void {
  if (alg == HASH_SHA256) sha256_init(ctx);
  else if (HAS_SHA384 && alg == HASH_SHA384) sha384_init(ctx);
}

export function hash_update(alg: i32, ctx: usize, p: usize, n: usize): void {
  if (alg == HASH_SHA256) sha256_update(ctx, p, n);
  else if (HAS_SHA384 && alg == HASH_SHA384) sha512_update(ctx, p, n);
}

/** Writes hash_len(alg) bytes to `out` and wipes the context (copy it first to fork a transcript). */
export function hash_final(alg: i32, ctx: usize, out: usize): void {
  if (alg == HASH_SHA256) sha256_final(ctx, out);
  else if (HAS_SHA384 && alg == HASH_SHA384) sha384_final(ctx, out);
}

/** One-shot digest of `n` bytes at `p` into hash_len(alg) bytes at `out`. */
export function hash_digest(alg: i32, p: usize, n: usize, out: usize): void {
  if (alg == HASH_SHA256) sha256(p, n, out);
  else if (HAS_SHA384 && alg == HASH_SHA384) sha384(p, n, out);
}
