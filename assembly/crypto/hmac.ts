// HMAC (RFC 2104, FIPS 198-1) over the hashes of hash.ts, for HKDF and the
// TLS 1.3 Finished / PSK binder MACs.
//
// Why it is built this way
// - hmac_init derives K0 (the key, or its digest when longer than the block,
//   zero-padded to the block), and absorbs K0^ipad into the inner context and
//   K0^opad into the outer context at once. The context therefore never holds
//   the key itself, only the two keyed chaining states, and can be copied to
//   MAC many messages under one key (HKDF-Expand does exactly that).
// - K0 lives in a static scratch block that is wiped before hmac_init returns;
//   the inner digest is wiped in hmac_final, which also wipes the context.
// - The only branches are on the public algorithm id and key/data lengths.
//
// Context (HMAC_CTX_SIZE = 408 bytes, any alignment):
//   [0, 4)      algorithm id (HASH_SHA256 / HASH_SHA384)
//   [8, 208)    inner hash context (K0 ^ ipad || message ...)
//   [208, 408)  outer hash context (K0 ^ opad)
import { ct_equal } from "./ct";
import {
  HASH_SHA256, HASH_SHA384, HASH_MAX_CTX_SIZE, HASH_MAX_LEN,
  hash_len, hash_block_len, hash_init, hash_update, hash_final, hash_digest,
} from "./hash";

export const HMAC_CTX_SIZE: usize = 408;

// @ts-ignore: decorator
@inline const INNER: usize = 8;
// @ts-ignore: decorator
@inline const OUTER: usize = 8 + HASH_MAX_CTX_SIZE;

// K0 (one block), then the inner digest in hmac_final. Wiped after each use.
// @ts-ignore: decorator
@lazy const HMAC_PAD = memory.data(128, 8);
// Context of the one-shot hmac(); hmac_final leaves it zeroed.
// @ts-ignore: decorator
@lazy const HMAC_SCRATCH = memory.data(408, 8);

/** Bytes to reserve for an HMAC context (same for every hash). */
export function hmac_ctx_size(): usize {
  return HMAC_CTX_SIZE;
}

/** Keys the context at `ctx` with `keyLen` bytes at `key` for hash `alg`. */
export function hmac_init(ctx: usize, alg: i32, key: usize, keyLen: usize): void {
  let blockLen = hash_block_len(alg);
  store<u32>(ctx, <u32>alg);
  memory.fill(HMAC_PAD, 0, 128);
  if (keyLen > blockLen) hash_digest(alg, key, keyLen, HMAC_PAD);
  else memory.copy(HMAC_PAD, key, keyLen);
  for (let i: usize = 0; i < blockLen; i += 4) store<u32>(HMAC_PAD + i, load<u32>(HMAC_PAD + i) ^ 0x36363636);
  hash_init(alg, ctx + INNER);
  hash_update(alg, ctx + INNER, HMAC_PAD, blockLen);
  for (let i: usize = 0; i < blockLen; i += 4) store<u32>(HMAC_PAD + i, load<u32>(HMAC_PAD + i) ^ (0x36363636 ^ 0x5c5c5c5c));
  hash_init(alg, ctx + OUTER);
  hash_update(alg, ctx + OUTER, HMAC_PAD, blockLen);
  memory.fill(HMAC_PAD, 0, 128);
}

/** Absorbs `n` bytes at `p`. */
export function hmac_update(ctx: usize, p: usize, n: usize): void {
  hash_update(<i32>load<u32>(ctx), ctx + INNER, p, n);
}

/** Writes the hash_len(alg)-byte tag to `out` (may alias the message or key) and wipes the context. */
export function hmac_final(ctx: usize, out: usize): void {
  let alg = <i32>load<u32>(ctx);
  hash_final(alg, ctx + INNER, HMAC_PAD);
  hash_update(alg, ctx + OUTER, HMAC_PAD, hash_len(alg));
  hash_final(alg, ctx + OUTER, out);
  memory.fill(HMAC_PAD, 0, HASH_MAX_LEN);
  memory.fill(ctx, 0, HMAC_CTX_SIZE);
}

/** One-shot HMAC of `dataLen` bytes at `data` under `keyLen` bytes at `key`; hash_len(alg) bytes to `out`. */
export function hmac(alg: i32, key: usize, keyLen: usize, data: usize, dataLen: usize, out: usize): void {
  hmac_init(HMAC_SCRATCH, alg, key, keyLen);
  hmac_update(HMAC_SCRATCH, data, dataLen);
  hmac_final(HMAC_SCRATCH, out);
}

// Boot known answers: RFC 4231 test case 2 (key "Jefe") for SHA-256 and SHA-384.
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([0x4a, 0x65, 0x66, 0x65]);
// @ts-ignore: decorator
@lazy const ST_DATA = memory.data<u8>([0x77, 0x68, 0x61, 0x74, 0x20, 0x64, 0x6f, 0x20, 0x79, 0x61, 0x20, 0x77, 0x61, 0x6e, 0x74, 0x20, 0x66, 0x6f, 0x72, 0x20, 0x6e, 0x6f, 0x74, 0x68, 0x69, 0x6e, 0x67, 0x3f]);
// @ts-ignore: decorator
@lazy const ST_TAG256 = memory.data<u8>([0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43]);
// @ts-ignore: decorator
@lazy const ST_TAG384 = memory.data<u8>([0xaf, 0x45, 0xd2, 0xe3, 0x76, 0x48, 0x40, 0x31, 0x61, 0x7f, 0x78, 0xd2, 0xb5, 0x8a, 0x6b, 0x1b, 0x9c, 0x7e, 0xf4, 0x64, 0xf5, 0xa0, 0x1b, 0x47, 0xe4, 0x2e, 0xc3, 0x73, 0x63, 0x22, 0x44, 0x5e, 0x8e, 0x22, 0x40, 0xca, 0x5e, 0x69, 0xe2, 0xc7, 0x8b, 0x32, 0x39, 0xec, 0xfa, 0xb2, 0x16, 0x49]);
// @ts-ignore: decorator
@lazy const ST_OUT = memory.data(48, 8);

/** Known-answer test run at boot. */
export function hmac_selftest(): bool {
  hmac(HASH_SHA256, ST_KEY, 4, ST_DATA, 28, ST_OUT);
  let ok = ct_equal(ST_OUT, ST_TAG256, 32);
  hmac(HASH_SHA384, ST_KEY, 4, ST_DATA, 28, ST_OUT);
  ok &= ct_equal(ST_OUT, ST_TAG384, 48);
  return ok == 1;
}
