// The TLS 1.2 pseudorandom function (RFC 5246 §5):
//
//   P_hash(secret, seed) = HMAC(secret, A(1) || seed) || HMAC(secret, A(2) || seed) || ...
//   A(0) = seed, A(i) = HMAC(secret, A(i-1))
//   PRF(secret, label, seed) = P_<hash>(secret, label || seed)
//
// with the suite's hash (SHA-256, or SHA-384 for PSK-AES256-GCM-SHA384).
// The secret is keyed into one HMAC context once; every HMAC of the
// expansion starts from a copy of it. The seed is given in up to three
// parts so callers never concatenate client_random/server_random/context
// into a buffer of their own. Scratch that held secret-derived bytes is
// wiped before returning.
import { hmac_init, hmac_update, hmac_final, HMAC_CTX_SIZE } from "../../crypto/hmac";
import { hash_len, HASH_MAX_LEN } from "../../crypto/hash";
import { wipe } from "../../crypto/ct";

// @ts-ignore: decorator
@lazy const KEYED = memory.data(<i32>HMAC_CTX_SIZE, 8);
// @ts-ignore: decorator
@lazy const WORK = memory.data(<i32>HMAC_CTX_SIZE, 8);
// A(i), then one output block.
// @ts-ignore: decorator
@lazy const A = memory.data(<i32>HASH_MAX_LEN, 8);
// @ts-ignore: decorator
@lazy const BLOCK = memory.data(<i32>HASH_MAX_LEN, 8);

function absorb_seed(ctx: usize, label: usize, labelLen: usize, s1: usize, s1Len: usize, s2: usize, s2Len: usize,
                     s3: usize, s3Len: usize): void {
  hmac_update(ctx, label, labelLen);
  if (s1Len) hmac_update(ctx, s1, s1Len);
  if (s2Len) hmac_update(ctx, s2, s2Len);
  if (s3Len) hmac_update(ctx, s3, s3Len);
}

/**
 * PRF(secret, label, s1 || s2 || s3) into `outLen` bytes at `out` (any
 * length). `out` may not overlap the inputs.
 */
export function tls12_prf(alg: i32, secret: usize, secretLen: usize, label: usize, labelLen: usize,
                          s1: usize, s1Len: usize, s2: usize, s2Len: usize, s3: usize, s3Len: usize,
                          out: usize, outLen: usize): void {
  const hl = hash_len(alg);
  if (!hl) return;
  hmac_init(KEYED, alg, secret, secretLen);
  // A(1) = HMAC(secret, seed)
  memory.copy(WORK, KEYED, HMAC_CTX_SIZE);
  absorb_seed(WORK, label, labelLen, s1, s1Len, s2, s2Len, s3, s3Len);
  hmac_final(WORK, A);
  let done: usize = 0;
  while (done < outLen) {
    memory.copy(WORK, KEYED, HMAC_CTX_SIZE);
    hmac_update(WORK, A, hl);
    absorb_seed(WORK, label, labelLen, s1, s1Len, s2, s2Len, s3, s3Len);
    const n = outLen - done < hl ? outLen - done : hl;
    if (n == hl) {
      hmac_final(WORK, out + done);
    } else {
      hmac_final(WORK, BLOCK);
      memory.copy(out + done, BLOCK, n);
    }
    done += n;
    if (done < outLen) {
      // A(i+1) = HMAC(secret, A(i))
      memory.copy(WORK, KEYED, HMAC_CTX_SIZE);
      hmac_update(WORK, A, hl);
      hmac_final(WORK, A);
    }
  }
  wipe(KEYED, HMAC_CTX_SIZE);
  wipe(A, HASH_MAX_LEN);
  wipe(BLOCK, HASH_MAX_LEN);
}
