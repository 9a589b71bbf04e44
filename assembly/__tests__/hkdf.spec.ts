// HKDF known answers: RFC 5869 test cases 1-3 (SHA-256), the length limit,
// and the TLS 1.3 key schedule functions against the RFC 8448 §3 trace
// (simple 1-RTT handshake, TLS_AES_128_GCM_SHA256).
import { hkdf_extract, hkdf_expand, hkdf_expand_label, derive_secret } from "../crypto/hkdf";
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
// Only pass pointers of buffers held in a local (see util/bytes.ts): as-pect's
// test runtime has a GC, and a temporary converted to a raw pointer may be
// collected and reused.
import { toHex, hexOf, fromHex, utf8, byteRange, ptr, countNot } from "./util/bytes";

function hkRfc5869(salt: StaticArray<u8>, ikm: StaticArray<u8>, info: StaticArray<u8>, L: i32, prkHex: string, okmHex: string): void {
  const prk = new StaticArray<u8>(32);
  const okm = new StaticArray<u8>(L);
  hkdf_extract(HASH_SHA256, ptr(salt), salt.length, ptr(ikm), ikm.length, ptr(prk));
  expect(hexOf(prk)).toBe(prkHex);
  expect(hkdf_expand(HASH_SHA256, ptr(prk), 32, ptr(info), info.length, ptr(okm), L)).toBe(1);
  expect(hexOf(okm)).toBe(okmHex);
}

describe("HKDF-SHA-256, RFC 5869", () => {
  it("test case 1", () => {
    hkRfc5869(byteRange(0, 13), fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), byteRange(0xf0, 0xfa), 42,
      "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });
  it("test case 2 (80-byte inputs, 82-byte output)", () => {
    hkRfc5869(byteRange(0x60, 0xb0), byteRange(0, 0x50), byteRange(0xb0, 0x100), 82,
      "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
  });
  it("test case 3 (empty salt and info)", () => {
    hkRfc5869(new StaticArray<u8>(0), fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new StaticArray<u8>(0), 42,
      "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  });
});

describe("HKDF-Expand limits", () => {
  it("255 * HashLen bytes is allowed, one more is refused and writes nothing", () => {
    const prk = byteRange(0, 32);
    const out = new StaticArray<u8>(255 * 48 + 1);
    const po = ptr(out);
    expect(hkdf_expand(HASH_SHA256, ptr(prk), 32, 0, 0, po, 255 * 32)).toBe(1);
    memory.fill(po, 0x5a, 255 * 48 + 1);
    expect(hkdf_expand(HASH_SHA256, ptr(prk), 32, 0, 0, po, 255 * 32 + 1)).toBe(0);
    expect(hkdf_expand(HASH_SHA384, ptr(prk), 32, 0, 0, po, 255 * 48 + 1)).toBe(0);
    expect(hkdf_expand(9, ptr(prk), 32, 0, 0, po, 16)).toBe(0);
    expect(countNot(po, 255 * 48 + 1, 0x5a)).toBe(0);
    expect(hkdf_expand(HASH_SHA384, ptr(prk), 32, 0, 0, po, 255 * 48)).toBe(1);
  });
  it("output of a longer expansion starts with the shorter one", () => {
    const prk = byteRange(0, 32);
    const a = new StaticArray<u8>(100);
    const b = new StaticArray<u8>(33);
    expect(hkdf_expand(HASH_SHA256, ptr(prk), 32, ptr(prk), 7, ptr(a), 100)).toBe(1);
    expect(hkdf_expand(HASH_SHA256, ptr(prk), 32, ptr(prk), 7, ptr(b), 33)).toBe(1);
    expect(toHex(ptr(a), 33)).toBe(toHex(ptr(b), 33));
  });
});

describe("TLS 1.3 key schedule, RFC 8448 section 3", () => {
  const early = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
  const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const hsSecret = "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
  const chShHash = "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";

  it("early secret = HKDF-Extract(0, 0^32) with an empty salt", () => {
    const ikm = new StaticArray<u8>(32);
    const out = new StaticArray<u8>(32);
    hkdf_extract(HASH_SHA256, 0, 0, ptr(ikm), 32, ptr(out));
    expect(hexOf(out)).toBe(early);
  });
  it("derived = Derive-Secret(early, \"derived\", \"\")", () => {
    const out = new StaticArray<u8>(32);
    const lab = utf8("derived");
    const secret = fromHex(early);
    const th = fromHex(emptyHash);
    expect(derive_secret(HASH_SHA256, ptr(secret), ptr(lab), lab.length, ptr(th), ptr(out))).toBe(1);
    expect(hexOf(out)).toBe("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
  });
  it("handshake secret = HKDF-Extract(derived, shared secret)", () => {
    const out = new StaticArray<u8>(32);
    const salt = fromHex("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
    const ikm = fromHex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    hkdf_extract(HASH_SHA256, ptr(salt), 32, ptr(ikm), 32, ptr(out));
    expect(hexOf(out)).toBe(hsSecret);
  });
  it("client and server handshake traffic secrets", () => {
    const out = new StaticArray<u8>(32);
    const c = utf8("c hs traffic");
    const s = utf8("s hs traffic");
    const secret = fromHex(hsSecret);
    const th = fromHex(chShHash);
    expect(derive_secret(HASH_SHA256, ptr(secret), ptr(c), c.length, ptr(th), ptr(out))).toBe(1);
    expect(hexOf(out)).toBe("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
    expect(derive_secret(HASH_SHA256, ptr(secret), ptr(s), s.length, ptr(th), ptr(out))).toBe(1);
    expect(hexOf(out)).toBe("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
  });
  it("server handshake write key, iv and finished key (Expand-Label with empty context)", () => {
    const sHs = fromHex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
    const out = new StaticArray<u8>(32);
    const key = utf8("key");
    const iv = utf8("iv");
    const fin = utf8("finished");
    expect(hkdf_expand_label(HASH_SHA256, ptr(sHs), ptr(key), 3, 0, 0, ptr(out), 16)).toBe(1);
    expect(toHex(ptr(out), 16)).toBe("3fce516009c21727d0f2e4e86ee403bc");
    expect(hkdf_expand_label(HASH_SHA256, ptr(sHs), ptr(iv), 2, 0, 0, ptr(out), 12)).toBe(1);
    expect(toHex(ptr(out), 12)).toBe("5d313eb2671276ee13000b30");
    expect(hkdf_expand_label(HASH_SHA256, ptr(sHs), ptr(fin), 8, 0, 0, ptr(out), 32)).toBe(1);
    expect(hexOf(out)).toBe("008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8");
  });
  it("resumption secret: Expand-Label with a 2-byte context (ticket nonce 0000)", () => {
    const res = fromHex("7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
    const lab = utf8("resumption");
    const nonce = fromHex("0000");
    const out = new StaticArray<u8>(32);
    expect(hkdf_expand_label(HASH_SHA256, ptr(res), ptr(lab), lab.length, ptr(nonce), 2, ptr(out), 32)).toBe(1);
    expect(hexOf(out)).toBe("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
  });
  it("refuses a label over 249 bytes, a context over 255 bytes and a length over 65535", () => {
    const secret = byteRange(0, 32);
    const big = new StaticArray<u8>(300);
    const out = new StaticArray<u8>(32);
    expect(hkdf_expand_label(HASH_SHA256, ptr(secret), ptr(big), 250, 0, 0, ptr(out), 16)).toBe(0);
    expect(hkdf_expand_label(HASH_SHA256, ptr(secret), ptr(big), 249, 0, 0, ptr(out), 16)).toBe(1);
    expect(hkdf_expand_label(HASH_SHA256, ptr(secret), ptr(big), 3, ptr(big), 256, ptr(out), 16)).toBe(0);
    expect(hkdf_expand_label(HASH_SHA256, ptr(secret), ptr(big), 3, ptr(big), 255, ptr(out), 16)).toBe(1);
    expect(hkdf_expand_label(HASH_SHA256, ptr(secret), ptr(big), 3, 0, 0, ptr(out), 65536)).toBe(0);
  });
});
