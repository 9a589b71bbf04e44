// AES-CCM (RFC 3610, NIST SP 800-38C) with AES-128 or AES-256.
// Nonce 7..13 bytes (L = 15 - nonceLen length-field bytes), tag 4, 6, ..., 16
// bytes. TLS 1.3 uses a 12-byte nonce with a 16-byte tag (AES_128_CCM) or an
// 8-byte tag (AES_128_CCM_8).
//
// CCM = CBC-MAC over B0 || encoded AAD || payload, then CTR encryption with
// counter blocks A_i = flags || nonce || i (A_0 masks the tag). The AES is
// the bitsliced, table-free one from aes.ts, which always encrypts four
// blocks per pass. CBC-MAC is inherently sequential (one block per pass), so
// the CTR keystream (and S_0) are computed in the idle slots of those same
// passes instead of in separate 4-block CTR passes: one pass per payload
// block in total. The counter is handled as a 32-bit big-endian value in the
// block's last four bytes; since the counter field is L >= 2 bytes and a
// message never needs 2^(8L) blocks, that never carries into the nonce.
//
// open() decrypts, recomputes the MAC over the recovered plaintext, compares
// tags in constant time and zeroes the output on failure.
//
// Context (CCM_CTX_SIZE = 968 bytes): the AES key schedule.
import { ct_equal, wipe } from "./ct";
import { AES_KS_BYTES, aes_key_schedule, aes_encrypt4 } from "./aes";

export const CCM_CTX_BYTES: usize = AES_KS_BYTES;

/** Bytes a CCM context occupies. */
export function CCM_CTX_SIZE(): usize {
  return CCM_CTX_BYTES;
}

// Scratch, wiped after each call. Every bitsliced pass encrypts four blocks:
//   slot 0 (PASS_IN +0)  CBC-MAC input X ^ B_i      -> new chaining value X
//   slot 1 (PASS_IN +16) counter block A_{j+1}      -> keystream for payload block j
//   slot 2 (PASS_IN +32) A_0 (first pass only)      -> S_0, the tag mask
//   slot 3               zero
// so the CTR keystream rides along in the otherwise idle slots of the
// sequential CBC-MAC passes: a payload block costs one pass, not 1.25.
// @ts-ignore: decorator
@lazy const PASS_IN = memory.data(64, 16);
// @ts-ignore: decorator
@lazy const PASS_OUT = memory.data(64, 16);
// @ts-ignore: decorator
@lazy const S0 = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const TMP = memory.data(16, 16);

/** Keys the context with a 16- or 32-byte AES key. Returns 1, or 0 for a bad key length. */
export function ccm_init(ctx: usize, key: usize, keyLen: usize): i32 {
  return aes_key_schedule(ctx, key, keyLen);
}

// 1 if (nonceLen, tagLen, len) are valid CCM parameters.
function params_ok(nonceLen: usize, tagLen: usize, len: usize): bool {
  if (nonceLen < 7 || nonceLen > 13) return false;
  if (tagLen < 4 || tagLen > 16 || (tagLen & 1) != 0) return false;
  const L: usize = 15 - nonceLen;
  if (L < 4 && (<u64>len >> (<u64>L << 3)) != 0) return false; // len must fit in L bytes
  return true;
}

// One pass: slot 0 <- E(X ^ block at p), where X is the previous slot-0 output.
// @ts-ignore: decorator
@inline function mac_absorb(ctx: usize, p: usize): void {
  store<u64>(PASS_IN, load<u64>(PASS_OUT, 0) ^ load<u64>(p, 0), 0);
  store<u64>(PASS_IN, load<u64>(PASS_OUT, 8) ^ load<u64>(p, 8), 8);
  aes_encrypt4(ctx, PASS_IN, PASS_OUT);
}

// B0 and the encoded AAD through the CBC-MAC; also yields S_0 (into S0) and
// the keystream block for payload block 0 (PASS_OUT slot 1). Returns the
// big-endian 32-bit value of A_0's last four bytes (the counter base).
function ccm_header(ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
                    len: usize, tagLen: usize): u32 {
  const L: usize = 15 - nonceLen;
  memory.fill(PASS_IN, 0, 64);
  // slot 2: A_0 = (L-1) || nonce || 0
  store<u8>(PASS_IN + 32, <u8>(L - 1));
  memory.copy(PASS_IN + 33, nonce, nonceLen);
  const base = bswap<u32>(load<u32>(PASS_IN + 44));
  // slot 1: A_1
  memory.copy(PASS_IN + 16, PASS_IN + 32, 12);
  store<u32>(PASS_IN + 28, bswap<u32>(base + 1));
  // slot 0: B0 = flags || nonce || len (big-endian in L bytes)
  let flags = <u32>(((tagLen - 2) >> 1) << 3) | <u32>(L - 1);
  if (aadLen > 0) flags |= 0x40;
  store<u8>(PASS_IN, <u8>flags);
  memory.copy(PASS_IN + 1, nonce, nonceLen);
  let v = <u64>len;
  for (let i: usize = 15; i > nonceLen; i--) {
    store<u8>(PASS_IN + i, <u8>v);
    v >>= 8;
  }
  aes_encrypt4(ctx, PASS_IN, PASS_OUT);
  memory.copy(S0, PASS_OUT + 32, 16);
  memory.fill(PASS_IN + 32, 0, 16);
  if (aadLen > 0) {
    // First AAD block: 2-byte length if < 2^16 - 2^8, else 0xff 0xfe + 4 bytes.
    memory.fill(TMP, 0, 16);
    let pos: usize;
    if (aadLen < 0xff00) {
      store<u8>(TMP, <u8>(aadLen >> 8));
      store<u8>(TMP + 1, <u8>aadLen);
      pos = 2;
    } else {
      store<u8>(TMP, 0xff);
      store<u8>(TMP + 1, 0xfe);
      store<u32>(TMP + 2, bswap<u32>(<u32>aadLen));
      pos = 6;
    }
    let first: usize = 16 - pos;
    if (first > aadLen) first = aadLen;
    memory.copy(TMP + pos, aad, first);
    mac_absorb(ctx, TMP);
    let p = aad + first, rest = aadLen - first;
    while (rest >= 16) {
      mac_absorb(ctx, p);
      p += 16;
      rest -= 16;
    }
    if (rest > 0) {
      memory.fill(TMP, 0, 16);
      memory.copy(TMP, p, rest);
      mac_absorb(ctx, TMP);
    }
  }
  return base;
}

// Payload: per block one pass that MACs the plaintext block and makes the
// next keystream block. decrypt = 0: src is plaintext; 1: src is ciphertext.
function ccm_payload(ctx: usize, src: usize, dst: usize, len: usize, base: u32, decrypt: bool): void {
  let ctr = base + 2; // A_{j+2} is made while block j is processed
  while (len >= 16) {
    const k0 = load<u64>(PASS_OUT, 16), k1 = load<u64>(PASS_OUT, 24);
    let p0 = load<u64>(src, 0), p1 = load<u64>(src, 8);
    if (decrypt) {
      p0 ^= k0;
      p1 ^= k1;
      store<u64>(dst, p0, 0);
      store<u64>(dst, p1, 8);
    } else {
      store<u64>(dst, p0 ^ k0, 0);
      store<u64>(dst, p1 ^ k1, 8);
    }
    store<u64>(PASS_IN, load<u64>(PASS_OUT, 0) ^ p0, 0);
    store<u64>(PASS_IN, load<u64>(PASS_OUT, 8) ^ p1, 8);
    store<u32>(PASS_IN + 28, bswap<u32>(ctr));
    aes_encrypt4(ctx, PASS_IN, PASS_OUT);
    ctr++;
    src += 16;
    dst += 16;
    len -= 16;
  }
  if (len > 0) {
    // Final partial block: the MAC sees the plaintext zero-padded.
    memory.fill(TMP, 0, 16);
    for (let i: usize = 0; i < len; i++) {
      const x = load<u8>(src + i), k = load<u8>(PASS_OUT + 16 + i);
      if (decrypt) {
        store<u8>(TMP + i, x ^ k);
        store<u8>(dst + i, x ^ k);
      } else {
        store<u8>(TMP + i, x);
        store<u8>(dst + i, x ^ k);
      }
    }
    mac_absorb(ctx, TMP);
  }
}

function wipe_scratch(): void {
  wipe(PASS_IN, 64);
  wipe(PASS_OUT, 64);
  wipe(S0, 16);
  wipe(TMP, 16);
}

/**
 * Encrypts `len` bytes `in` -> `out` (in place allowed) and writes a
 * `tagLen`-byte tag to `tag`. Returns 1, or 0 for invalid parameters
 * (nothing written then).
 */
export function ccm_seal(
  ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize, tagLen: usize,
): i32 {
  if (!params_ok(nonceLen, tagLen, len)) return 0;
  const base = ccm_header(ctx, nonce, nonceLen, aad, aadLen, len, tagLen);
  ccm_payload(ctx, src, dst, len, base, false);
  for (let i: usize = 0; i < tagLen; i++) store<u8>(tag + i, load<u8>(PASS_OUT + i) ^ load<u8>(S0 + i));
  wipe_scratch();
  return 1;
}

/**
 * Decrypts `len` bytes `in` -> `out` (in place allowed) and checks the
 * `tagLen`-byte tag. Returns 1 on success; on failure or invalid parameters
 * zeroes `out` (len bytes) and returns 0.
 */
export function ccm_open(
  ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize, tagLen: usize,
): i32 {
  if (!params_ok(nonceLen, tagLen, len)) {
    memory.fill(dst, 0, len);
    return 0;
  }
  const base = ccm_header(ctx, nonce, nonceLen, aad, aadLen, len, tagLen);
  ccm_payload(ctx, src, dst, len, base, true);
  // Expected tag = X ^ S0, compared in constant time against `tag`.
  store<u64>(TMP, load<u64>(PASS_OUT, 0) ^ load<u64>(S0, 0), 0);
  store<u64>(TMP, load<u64>(PASS_OUT, 8) ^ load<u64>(S0, 8), 8);
  const ok = ct_equal(TMP, tag, tagLen);
  if (ok != 1) memory.fill(dst, 0, len);
  wipe_scratch();
  return ok;
}

// --- boot self-test: RFC 3610 packet vector #1 (AES-128, 13-byte nonce, 8-byte tag)
// @ts-ignore: decorator
@lazy const ST_KEY = memory.data<u8>([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
]);
// @ts-ignore: decorator
@lazy const ST_NONCE = memory.data<u8>([0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);
// @ts-ignore: decorator
@lazy const ST_AAD = memory.data<u8>([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
// @ts-ignore: decorator
@lazy const ST_PT = memory.data<u8>([
  0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
  0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
]);
// @ts-ignore: decorator
@lazy const ST_CT = memory.data<u8>([
  0x58, 0x8c, 0x97, 0x9a, 0x61, 0xc6, 0x63, 0xd2, 0xf0, 0x66, 0xd0, 0xc2, 0xc0, 0xf9, 0x89, 0x80,
  0x6d, 0x5f, 0x6b, 0x61, 0xda, 0xc3, 0x84, 0x17, 0xe8, 0xd1, 0x2c, 0xfd, 0xf9, 0x26, 0xe0,
]);
// @ts-ignore: decorator
@lazy const ST_CTX = memory.data(968, 16);
// @ts-ignore: decorator
@lazy const ST_BUF = memory.data(32, 16);

/** Known-answer test: seal and open of RFC 3610 packet vector #1. */
export function ccm_selftest(): bool {
  let ok = ccm_init(ST_CTX, ST_KEY, 16) == 1;
  ok = ok && ccm_seal(ST_CTX, ST_NONCE, 13, ST_AAD, 8, ST_PT, 23, ST_BUF, ST_BUF + 23, 8) == 1;
  ok = ok && memory.compare(ST_BUF, ST_CT, 31) == 0;
  ok = ok && ccm_open(ST_CTX, ST_NONCE, 13, ST_AAD, 8, ST_BUF, 23, ST_BUF, ST_CT + 23, 8) == 1;
  ok = ok && memory.compare(ST_BUF, ST_PT, 23) == 0;
  wipe(ST_CTX, 968);
  wipe(ST_BUF, 32);
  return ok;
}
