// SHA-384 / SHA-512 known answers (FIPS 180-4 / NIST CSVS examples: "",
// "abc", the 448-bit and 896-bit messages, one million 'a'), incremental
// updates at every split, unaligned buffers, and the hash.ts dispatch.
import {
  sha384, sha384_init, sha384_update, sha384_final,
  sha512, sha512_init, sha512_update, sha512_final, SHA512_CTX_SIZE,
} from "../crypto/sha512";
import {
  HASH_SHA256, HASH_SHA384, hash_len, hash_block_len, hash_ctx_size,
  hash_init, hash_update, hash_final, hash_digest,
} from "../crypto/hash";
import { toHex, hexOf, ptr, utf8, filled, countNot } from "./util/bytes";
import { digestOf, digestInPieces, digestSplit } from "./util/hash";

function s384Of(msg: string): string {
  return digestOf(sha384, 48, msg);
}

function s512Of(msg: string): string {
  return digestOf(sha512, 64, msg);
}

const M448b = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896b = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

describe("SHA-384 FIPS 180-4 examples", () => {
  it("empty message", () => {
    expect(s384Of("")).toBe("38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b");
  });
  it("abc", () => {
    expect(s384Of("abc")).toBe("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  });
  it("448-bit message", () => {
    expect(s384Of(M448b)).toBe("3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b");
  });
  it("896-bit message (padding spills into a second block)", () => {
    expect(s384Of(M896b)).toBe("09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
  });
  it("one million 'a'", () => {
    const n = 1000000;
    const msg = filled(n, 0x61);
    const out = new StaticArray<u8>(48);
    sha384(ptr(msg), n, ptr(out));
    expect(hexOf(out)).toBe("9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985");
  });
});

describe("SHA-512 FIPS 180-4 examples", () => {
  it("empty message", () => {
    expect(s512Of("")).toBe("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  });
  it("abc", () => {
    expect(s512Of("abc")).toBe("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  });
  it("448-bit message", () => {
    expect(s512Of(M448b)).toBe("204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
  });
  it("896-bit message", () => {
    expect(s512Of(M896b)).toBe("8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  });
  it("one million 'a' in uneven pieces", () => {
    const n = 1000000;
    const msg = filled(n, 0x61);
    const ctx = new StaticArray<u8>(<i32>SHA512_CTX_SIZE);
    const out = new StaticArray<u8>(64);
    digestInPieces(sha512_init, sha512_update, sha512_final, ptr(ctx), ptr(msg), n, ptr(out));
    expect(hexOf(out)).toBe("e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
  });
});

describe("SHA-384/512 incremental and unaligned", () => {
  it("update split at every offset of a 300-byte message equals the one-shot digest", () => {
    const msg = new StaticArray<u8>(300);
    const pm = ptr(msg);
    for (let i = 0; i < 300; i++) store<u8>(pm + i, <u8>(i * 37 + 11));
    const ref = new StaticArray<u8>(64);
    const out = new StaticArray<u8>(64);
    const ctx = new StaticArray<u8>(<i32>SHA512_CTX_SIZE);
    const pc = ptr(ctx);
    sha384(pm, 300, ptr(ref));
    const ref384 = toHex(ptr(ref), 48);
    sha512(pm, 300, ptr(ref));
    const ref512 = toHex(ptr(ref), 64);
    for (let cut: usize = 0; cut <= 300; cut++) {
      digestSplit(sha384_init, sha384_update, sha384_final, pc, pm, 300, cut, ptr(out));
      expect(toHex(ptr(out), 48)).toBe(ref384);
      digestSplit(sha512_init, sha512_update, sha512_final, pc, pm, 300, cut, ptr(out));
      expect(hexOf(out)).toBe(ref512);
    }
  });
  it("unaligned input, output and context", () => {
    const big = new StaticArray<u8>(1024);
    const base = ptr(big);
    const msg = utf8(M896b);
    for (let off: usize = 1; off < 8; off += 3) {
      memory.copy(base + off, ptr(msg), 112);
      sha512(base + off, 112, base + 200 + off);
      expect(toHex(base + 200 + off, 64)).toBe("8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
      sha384_init(base + 400 + off);
      sha384_update(base + 400 + off, base + off, 112);
      sha384_final(base + 400 + off, base + 300 + off);
      expect(toHex(base + 300 + off, 48)).toBe("09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
    }
  });
});

describe("hash.ts dispatch", () => {
  it("sizes per algorithm id, 0 for an unknown id", () => {
    expect(hash_len(HASH_SHA256)).toBe(32);
    expect(hash_len(HASH_SHA384)).toBe(48);
    expect(hash_block_len(HASH_SHA256)).toBe(64);
    expect(hash_block_len(HASH_SHA384)).toBe(128);
    expect(hash_ctx_size(HASH_SHA256)).toBe(104);
    expect(hash_ctx_size(HASH_SHA384)).toBe(200);
    expect(hash_len(7)).toBe(0);
    expect(hash_block_len(-1)).toBe(0);
    expect(hash_ctx_size(2)).toBe(0);
  });
  it("streaming and one-shot through the dispatch match the known answers", () => {
    const abc = utf8("abc");
    const ctx = new StaticArray<u8>(200);
    const out = new StaticArray<u8>(48);
    const pc = ptr(ctx);
    const po = ptr(out);
    hash_init(HASH_SHA256, pc);
    hash_update(HASH_SHA256, pc, ptr(abc), 1);
    hash_update(HASH_SHA256, pc, ptr(abc) + 1, 2);
    hash_final(HASH_SHA256, pc, po);
    expect(toHex(po, 32)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash_init(HASH_SHA384, pc);
    hash_update(HASH_SHA384, pc, ptr(abc), 3);
    hash_final(HASH_SHA384, pc, po);
    expect(toHex(po, 48)).toBe("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    hash_digest(HASH_SHA256, ptr(abc), 3, po);
    expect(toHex(po, 32)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash_digest(HASH_SHA384, ptr(abc), 3, po);
    expect(toHex(po, 48)).toBe("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  });
  it("an unknown id writes nothing", () => {
    const out = new StaticArray<u8>(48);
    const po = ptr(out);
    memory.fill(po, 0xee, 48);
    const abc = utf8("abc");
    hash_digest(5, ptr(abc), 3, po);
    expect(countNot(po, 48, 0xee)).toBe(0);
  });
});
