// AES known answers: FIPS-197 appendix C.1 (AES-128) and C.3 (AES-256),
// plus the CTR path (4 blocks per pass) agreeing with block-by-block
// encryption of the counter blocks, including the 32-bit counter wrap.
import { aes_key_schedule, aes_encrypt_block, aes_ctr32_xor, AES_KS_SIZE } from "../crypto/aes";
import { toHex, hexInto } from "./util/bytes";

const aesKs = new StaticArray<u8>(1024);
const aesBuf = new StaticArray<u8>(512);
const KS = changetype<usize>(aesKs);
const BUF = changetype<usize>(aesBuf);

function fipsCase(key: string, pt: string): string {
  const kl = hexInto(key, BUF);
  expect(aes_key_schedule(KS, BUF, kl)).toBe(1);
  hexInto(pt, BUF + 64);
  aes_encrypt_block(KS, BUF + 64, BUF + 97); // unaligned output
  return toHex(BUF + 97, 16);
}

describe("AES FIPS-197 appendix C", () => {
  it("schedule size fits the documented 968 bytes", () => {
    expect(AES_KS_SIZE()).toBe(968);
  });
  it("C.1 AES-128", () => {
    expect(fipsCase("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff")).toBe("69c4e0d86a7b0430d8cdb78070b4c55a");
  });
  it("C.3 AES-256", () => {
    expect(fipsCase("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff")).toBe("8ea2b7ca516745bfeafc49904b496089");
  });
  it("FIPS-197 appendix A.1 key (2b7e1516...) with the SP 800-38A ECB block", () => {
    expect(fipsCase("2b7e151628aed2a6abf7158809cf4f3c", "6bc1bee22e409f96e93d7e117393172a")).toBe("3ad77bb40d7a3660a89ecaf32466ef97");
  });
  it("rejects 24-byte (AES-192) and other key lengths", () => {
    expect(aes_key_schedule(KS, BUF, 24)).toBe(0);
    expect(aes_key_schedule(KS, BUF, 0)).toBe(0);
    expect(aes_key_schedule(KS, BUF, 17)).toBe(0);
  });
});

describe("AES CTR (4 blocks per pass)", () => {
  it("SP 800-38A F.5.1 CTR-AES128 (4 blocks)", () => {
    hexInto("2b7e151628aed2a6abf7158809cf4f3c", BUF);
    aes_key_schedule(KS, BUF, 16);
    hexInto("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", BUF + 16);
    const n = hexInto("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", BUF + 33);
    aes_ctr32_xor(KS, BUF + 16, BUF + 33, BUF + 33, n);
    expect(toHex(BUF + 33, n)).toBe("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
    expect(toHex(BUF + 16, 16)).toBe("f0f1f2f3f4f5f6f7f8f9fafbfcfdff03");
  });
  it("agrees with aes_encrypt_block on counter blocks across the 2^32 wrap, odd length", () => {
    hexInto("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", BUF);
    aes_key_schedule(KS, BUF, 32);
    hexInto("00112233445566778899aabbfffffffd", BUF + 32); // counter block
    memory.fill(BUF + 64, 0, 100);
    aes_ctr32_xor(KS, BUF + 32, BUF + 64, BUF + 64, 100); // 7 blocks, last partial
    hexInto("00112233445566778899aabbfffffffd", BUF + 200);
    let ok = true;
    for (let i: u32 = 0; i < 7; i++) {
      store<u32>(BUF + 212, bswap<u32>(0xfffffffd + i));
      aes_encrypt_block(KS, BUF + 200, BUF + 240);
      const n: usize = i == 6 ? 4 : 16;
      if (memory.compare(BUF + 240, BUF + 64 + (<usize>i << 4), n) != 0) ok = false;
    }
    expect(ok).toBe(true);
    expect(toHex(BUF + 32, 16)).toBe("00112233445566778899aabb00000004");
  });
});
