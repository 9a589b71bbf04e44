// SHA-256 known answers: FIPS 180-4 / NIST CSVS examples ("", "abc", the
// 448-bit and 896-bit messages, one million 'a'), plus incremental updates at
// every split and unaligned buffers, which must agree with the one-shot form.
import { sha256, sha256_init, sha256_update, sha256_final, SHA256_CTX_SIZE } from "../crypto/sha256";
import { toHex, hexOf, ptr, utf8, filled, orBytes } from "./util/bytes";
import { digestOf, digestInPieces, digestSplit } from "./util/hash";

function s256Of(msg: string): string {
  return digestOf(sha256, 32, msg);
}

const M448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

describe("SHA-256 FIPS 180-4 examples", () => {
  it("empty message", () => {
    expect(s256Of("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("abc", () => {
    expect(s256Of("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("448-bit message (padding spills into a second block)", () => {
    expect(s256Of(M448)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
  it("896-bit message", () => {
    expect(s256Of(M896)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  });
  it("one million 'a', one-shot and in uneven pieces", () => {
    const n = 1000000;
    const msg = filled(n, 0x61);
    const out = new StaticArray<u8>(32);
    const po = ptr(out);
    sha256(ptr(msg), n, po);
    expect(toHex(po, 32)).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    const ctx = new StaticArray<u8>(<i32>SHA256_CTX_SIZE);
    digestInPieces(sha256_init, sha256_update, sha256_final, ptr(ctx), ptr(msg), n, po);
    expect(toHex(po, 32)).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
});

describe("SHA-256 incremental and unaligned", () => {
  it("update split at every offset of a 200-byte message equals the one-shot digest", () => {
    const msg = new StaticArray<u8>(200);
    const pm = ptr(msg);
    for (let i = 0; i < 200; i++) store<u8>(pm + i, <u8>(i * 37 + 11));
    const ref = new StaticArray<u8>(32);
    sha256(pm, 200, ptr(ref));
    const refHex = hexOf(ref);
    const ctx = new StaticArray<u8>(<i32>SHA256_CTX_SIZE);
    const out = new StaticArray<u8>(32);
    for (let cut: usize = 0; cut <= 200; cut++) {
      digestSplit(sha256_init, sha256_update, sha256_final, ptr(ctx), pm, 200, cut, ptr(out));
      expect(hexOf(out)).toBe(refHex);
    }
  });
  it("unaligned input, output and context give the same digest", () => {
    const big = new StaticArray<u8>(512);
    const base = ptr(big);
    const msg = utf8(M896);
    for (let off: usize = 1; off < 4; off++) {
      memory.copy(base + off, ptr(msg), 112);
      sha256(base + off, 112, base + 200 + off);
      expect(toHex(base + 200 + off, 32)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
      sha256_init(base + 300 + off);
      sha256_update(base + 300 + off, base + off, 112);
      sha256_final(base + 300 + off, base + 250 + off);
      expect(toHex(base + 250 + off, 32)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    }
  });
  it("the output may overwrite the input", () => {
    const buf = new StaticArray<u8>(64);
    const p = ptr(buf);
    store<u8>(p, 0x61); store<u8>(p, 0x62, 1); store<u8>(p, 0x63, 2);
    sha256(p, 3, p);
    expect(toHex(p, 32)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("final wipes the context", () => {
    const ctx = new StaticArray<u8>(<i32>SHA256_CTX_SIZE);
    const pc = ptr(ctx);
    const out = new StaticArray<u8>(32);
    const abc = utf8("abc");
    sha256_init(pc);
    sha256_update(pc, ptr(abc), 3);
    sha256_final(pc, ptr(out));
    expect(orBytes(pc, SHA256_CTX_SIZE)).toBe(0);
  });
});
