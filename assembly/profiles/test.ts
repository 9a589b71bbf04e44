// Profile `test` (build/test.wasm): the psk module plus the raw crypto
// primitives, for the known-answer and differential tests (test/crypto/*) and
// the crypto benchmarks. The primitives take raw pointers and trust them, so
// they stay out of every production module; no board or host ever loads this
// one. One line per primitive file; each file keeps its own exports small.
export * from "./psk";
export { ct_equal, wipe } from "../crypto/ct";
export { chacha20_xor, chacha20_block } from "../crypto/chacha20";
export { poly1305_init, poly1305_update, poly1305_final, poly1305, POLY1305_CTX_SIZE } from "../crypto/poly1305";
export { chacha20poly1305_seal, chacha20poly1305_open } from "../crypto/chacha20poly1305";
export { sha256_init, sha256_update, sha256_final, sha256, SHA256_CTX_SIZE } from "../crypto/sha256";
export { sha384_init, sha384_update, sha384_final, sha384, sha512_init, sha512_update, sha512_final, sha512, SHA512_CTX_SIZE } from "../crypto/sha512";
export { HASH_SHA256, HASH_SHA384, hash_len, hash_block_len, hash_ctx_size, hash_init, hash_update, hash_final, hash_digest } from "../crypto/hash";
export { hmac_init, hmac_update, hmac_final, hmac, hmac_ctx_size, HMAC_CTX_SIZE } from "../crypto/hmac";
export { hkdf_extract, hkdf_expand, hkdf_expand_label, derive_secret } from "../crypto/hkdf";
export { tls12_prf } from "../tls/tls12/prf";
export { aes_key_schedule, aes_encrypt_block, aes_encrypt4, aes_ctr32_xor, AES_KS_SIZE } from "../crypto/aes";
export { gcm_init, gcm_seal, gcm_open, GCM_CTX_SIZE } from "../crypto/gcm";
export { ccm_init, ccm_seal, ccm_open, CCM_CTX_SIZE } from "../crypto/ccm";
export { x25519, x25519_base, X25519_BYTES } from "../crypto/x25519";
export { p256_keygen, p256_shared, p256_private_ok, P256_SCALAR_BYTES, P256_POINT_BYTES } from "../crypto/p256";
