// HMAC-SHA-256 / HMAC-SHA-384 known answers: RFC 4231 test cases 1-7
// (case 5 is the truncated-output case: its published value is the first
// 128 bits), streaming equals one-shot, and contexts are wiped.
import { hmac, hmac_init, hmac_update, hmac_final, HMAC_CTX_SIZE } from "../crypto/hmac";
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
import { toHex, hexOf, ptr, utf8, filled, byteRange, countNot } from "./util/bytes";

function hmTag(alg: i32, key: StaticArray<u8>, data: StaticArray<u8>): string {
  const out = new StaticArray<u8>(48);
  hmac(alg, ptr(key), key.length, ptr(data), data.length, ptr(out));
  return toHex(ptr(out), alg == HASH_SHA384 ? 48 : 32);
}

const HM_TC6 = "Test Using Larger Than Block-Size Key - Hash Key First";
const HM_TC7 = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

describe("HMAC-SHA-256, RFC 4231", () => {
  it("test case 1", () => {
    expect(hmTag(HASH_SHA256, filled(20, 0x0b), utf8("Hi There"))).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  });
  it("test case 2 (key shorter than the digest)", () => {
    expect(hmTag(HASH_SHA256, utf8("Jefe"), utf8("what do ya want for nothing?"))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
  it("test case 3", () => {
    expect(hmTag(HASH_SHA256, filled(20, 0xaa), filled(50, 0xdd))).toBe("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  });
  it("test case 4", () => {
    expect(hmTag(HASH_SHA256, byteRange(1, 26), filled(50, 0xcd))).toBe("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  });
  it("test case 5 (truncated to 128 bits)", () => {
    expect(hmTag(HASH_SHA256, filled(20, 0x0c), utf8("Test With Truncation")).slice(0, 32)).toBe("a3b6167473100ee06e0c796c2955552b");
  });
  it("test case 6 (131-byte key is hashed first)", () => {
    expect(hmTag(HASH_SHA256, filled(131, 0xaa), utf8(HM_TC6))).toBe("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  });
  it("test case 7 (long key and long data)", () => {
    expect(hmTag(HASH_SHA256, filled(131, 0xaa), utf8(HM_TC7))).toBe("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  });
});

describe("HMAC-SHA-384, RFC 4231", () => {
  it("test case 1", () => {
    expect(hmTag(HASH_SHA384, filled(20, 0x0b), utf8("Hi There"))).toBe("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
  });
  it("test case 2", () => {
    expect(hmTag(HASH_SHA384, utf8("Jefe"), utf8("what do ya want for nothing?"))).toBe("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
  });
  it("test case 3", () => {
    expect(hmTag(HASH_SHA384, filled(20, 0xaa), filled(50, 0xdd))).toBe("88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27");
  });
  it("test case 4", () => {
    expect(hmTag(HASH_SHA384, byteRange(1, 26), filled(50, 0xcd))).toBe("3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb");
  });
  it("test case 5 (truncated to 128 bits)", () => {
    expect(hmTag(HASH_SHA384, filled(20, 0x0c), utf8("Test With Truncation")).slice(0, 32)).toBe("3abf34c3503b2a23a46efc619baef897");
  });
  it("test case 6 (131-byte key is longer than the 128-byte block: hashed first)", () => {
    expect(hmTag(HASH_SHA384, filled(131, 0xaa), utf8(HM_TC6))).toBe("4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952");
  });
  it("test case 7", () => {
    expect(hmTag(HASH_SHA384, filled(131, 0xaa), utf8(HM_TC7))).toBe("6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e");
  });
});

describe("HMAC streaming and hygiene", () => {
  it("streaming in pieces (unaligned context) equals the RFC 4231 test case 7 tag", () => {
    const key = filled(131, 0xaa);
    const data = utf8(HM_TC7);
    const ctxBuf = new StaticArray<u8>(<i32>HMAC_CTX_SIZE + 8);
    const ctx = ptr(ctxBuf) + 3;
    const out = new StaticArray<u8>(48);
    const pd = ptr(data);
    const n = <usize>data.length;
    for (let cut: usize = 0; cut <= n; cut += 13) {
      hmac_init(ctx, HASH_SHA384, ptr(key), 131);
      hmac_update(ctx, pd, cut);
      hmac_update(ctx, pd + cut, n - cut);
      hmac_final(ctx, ptr(out));
      expect(toHex(ptr(out), 48)).toBe("6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e");
    }
  });
  it("hmac_final wipes the context", () => {
    const ctxBuf = new StaticArray<u8>(<i32>HMAC_CTX_SIZE);
    const ctx = ptr(ctxBuf);
    const out = new StaticArray<u8>(32);
    const key = utf8("Jefe");
    hmac_init(ctx, HASH_SHA256, ptr(key), 4);
    hmac_update(ctx, ptr(key), 4);
    hmac_final(ctx, ptr(out));
    expect(countNot(ctx, HMAC_CTX_SIZE, 0)).toBe(0);
  });
  it("the tag may overwrite the key and message", () => {
    const buf = new StaticArray<u8>(64);
    const p = ptr(buf);
    const jefe = utf8("Jefe");
    memory.copy(p, ptr(jefe), 4);
    hmac(HASH_SHA256, p, 4, p, 4, p);
    const ref = new StaticArray<u8>(32);
    hmac(HASH_SHA256, ptr(jefe), 4, ptr(jefe), 4, ptr(ref));
    expect(toHex(p, 32)).toBe(hexOf(ref));
  });
});
