// Boot self-test: known answers for every primitive in the module.
// A board runs it once at start-up and refuses to serve TLS if it fails.
import { ct_equal } from "../crypto/ct";

const CT_A = memory.data<u8>([1, 2, 3, 4, 5]);
const CT_B = memory.data<u8>([1, 2, 3, 4, 6]);

function ct_selftest(): bool {
  return ct_equal(CT_A, CT_A, 5) == 1 && ct_equal(CT_A, CT_B, 5) == 0 && ct_equal(CT_A, CT_B, 4) == 1;
}

export function selftest(): i32 {
  let ok = ct_selftest();
  return ok ? 1 : 0;
}
