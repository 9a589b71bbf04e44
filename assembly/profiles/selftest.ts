// Boot self-test: known answers for every primitive in the module.
// A board runs it once at start-up and refuses to serve TLS if it fails.
import { ct_equal } from "../crypto/ct";
import { sha256_selftest } from "../crypto/sha256";
import { sha512_selftest } from "../crypto/sha512";
import { hmac_selftest } from "../crypto/hmac";
import { hkdf_selftest } from "../crypto/hkdf";
import { chacha20_selftest } from "../crypto/chacha20";
import { poly1305_selftest } from "../crypto/poly1305";
import { chacha20poly1305_selftest } from "../crypto/chacha20poly1305";
import { aes_selftest } from "../crypto/aes";
import { gcm_selftest } from "../crypto/gcm";
import { ccm_selftest } from "../crypto/ccm";
import { x25519_selftest } from "../crypto/x25519";
import { p256_selftest } from "../crypto/p256";

const CT_A = memory.data<u8>([1, 2, 3, 4, 5]);
const CT_B = memory.data<u8>([1, 2, 3, 4, 6]);

function ct_selftest(): bool {
  return ct_equal(CT_A, CT_A, 5) == 1 && ct_equal(CT_A, CT_B, 5) == 0 && ct_equal(CT_A, CT_B, 4) == 1;
}

export function selftest(): i32 {
  let ok = ct_selftest();
  ok = sha256_selftest() && ok;
  ok = sha512_selftest() && ok;
  ok = hmac_selftest() && ok;
  ok = hkdf_selftest() && ok;
  ok = chacha20_selftest() && ok;
  ok = poly1305_selftest() && ok;
  ok = chacha20poly1305_selftest() && ok;
  ok = aes_selftest() && ok;
  ok = gcm_selftest() && ok;
  ok = ccm_selftest() && ok;
  ok = x25519_selftest() && ok;
  ok = p256_selftest() && ok;
  return ok ? 1 : 0;
}
