// Known answers for X25519: RFC 7748 §5.2 (two single vectors, the iterated
// vector after 1 and 1,000 rounds) and §6.1 (Alice and Bob), plus the field
// encoding's canonical reduction and the all-zero-result signal.
import { x25519, x25519_base } from "../crypto/x25519";
import { fe_from_bytes, fe_to_bytes, fe_mul, fe_invert, FE_BYTES } from "../crypto/field25519";
import { toHex, hexInto } from "./util/bytes";

const buf = new StaticArray<u8>(384);
const base = changetype<usize>(buf);
const SK = base; //        32
const PK = base + 32; //   32
const OUT = base + 64; //  32 (+ spare)
const FE = base + 128; //  40
const TMP = new StaticArray<u8>(160);

function dh(scalar: string, u: string): string {
  hexInto(scalar, SK);
  hexInto(u, PK);
  expect(x25519(OUT, SK, PK)).toBe(1);
  return toHex(OUT, 32);
}

describe("X25519 RFC 7748 §5.2", () => {
  it("vector 1", () => {
    expect(
      dh(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
      ),
    ).toBe("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  });

  it("vector 2 (u with bit 255 set)", () => {
    expect(
      dh(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
      ),
    ).toBe("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  });

  it("iterated: 1 and 1,000 rounds", () => {
    // k = u = 9; each round: (k, u) = (X25519(k, u), k).
    const k = base + 256, u = base + 288;
    memory.fill(k, 0, 32);
    store<u8>(k, 9);
    memory.fill(u, 0, 32);
    store<u8>(u, 9);
    for (let i = 1; i <= 1000; i++) {
      x25519(OUT, k, u);
      memory.copy(u, k, 32);
      memory.copy(k, OUT, 32);
      if (i == 1) {
        expect(toHex(k, 32)).toBe("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      }
    }
    expect(toHex(k, 32)).toBe("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  });
});

const ALICE_SK = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PK = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB_SK = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PK = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

describe("X25519 RFC 7748 §6.1", () => {
  it("public keys from x25519_base", () => {
    hexInto(ALICE_SK, SK);
    expect(x25519_base(OUT, SK)).toBe(1);
    expect(toHex(OUT, 32)).toBe(ALICE_PK);
    hexInto(BOB_SK, SK);
    expect(x25519_base(OUT, SK)).toBe(1);
    expect(toHex(OUT, 32)).toBe(BOB_PK);
  });

  it("public keys from x25519(k, 9)", () => {
    const nine = "0900000000000000000000000000000000000000000000000000000000000000";
    expect(dh(ALICE_SK, nine)).toBe(ALICE_PK);
    expect(dh(BOB_SK, nine)).toBe(BOB_PK);
  });

  it("shared secret both ways", () => {
    expect(dh(ALICE_SK, BOB_PK)).toBe(SHARED);
    expect(dh(BOB_SK, ALICE_PK)).toBe(SHARED);
  });

  it("works in place (out == point, out == scalar)", () => {
    hexInto(ALICE_SK, SK);
    hexInto(BOB_PK, PK);
    expect(x25519(PK, SK, PK)).toBe(1);
    expect(toHex(PK, 32)).toBe(SHARED);
    hexInto(BOB_PK, PK);
    expect(x25519(SK, SK, PK)).toBe(1);
    expect(toHex(SK, 32)).toBe(SHARED);
    hexInto(ALICE_SK, SK);
    expect(x25519_base(SK, SK)).toBe(1);
    expect(toHex(SK, 32)).toBe(ALICE_PK);
  });
});

describe("X25519 all-zero shared secret", () => {
  it("returns 0 and writes zeros for u = 0 and u = 1 (low order)", () => {
    hexInto(ALICE_SK, SK);
    memory.fill(PK, 0, 32);
    memory.fill(OUT, 0xa5, 32);
    expect(x25519(OUT, SK, PK)).toBe(0);
    expect(toHex(OUT, 32)).toBe("0000000000000000000000000000000000000000000000000000000000000000");
    store<u8>(PK, 1);
    memory.fill(OUT, 0xa5, 32);
    expect(x25519(OUT, SK, PK)).toBe(0);
    expect(toHex(OUT, 32)).toBe("0000000000000000000000000000000000000000000000000000000000000000");
  });

  it("u = p (non-canonical zero) also gives zero", () => {
    hexInto(ALICE_SK, SK);
    hexInto("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", PK);
    expect(x25519(OUT, SK, PK)).toBe(0);
  });
});

function roundtrip(hex: string): string {
  hexInto(hex, PK);
  fe_from_bytes(FE, PK);
  fe_to_bytes(OUT, FE);
  return toHex(OUT, 32);
}

describe("GF(2^255-19) encoding", () => {

  it("reduces values in [p, 2^255) and ignores bit 255", () => {
    // p - 1 stays, p -> 0, p + 1 -> 1, 2^255 - 1 -> 18; bit 255 is masked.
    expect(roundtrip("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    expect(roundtrip("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("0000000000000000000000000000000000000000000000000000000000000000");
    expect(roundtrip("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("0100000000000000000000000000000000000000000000000000000000000000");
    expect(roundtrip("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("1200000000000000000000000000000000000000000000000000000000000000");
    expect(roundtrip("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
      .toBe("1200000000000000000000000000000000000000000000000000000000000000");
    expect(roundtrip("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"))
      .toBe("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  });

  it("(p - 1)^2 = 1 and x * x^-1 = 1", () => {
    hexInto("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", PK);
    fe_from_bytes(FE, PK);
    fe_mul(FE, FE, FE);
    fe_to_bytes(OUT, FE);
    expect(toHex(OUT, 32)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
    hexInto("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", PK);
    fe_from_bytes(FE, PK);
    const inv = base + 320;
    fe_invert(inv, FE, changetype<usize>(TMP));
    fe_mul(FE, FE, inv);
    fe_to_bytes(OUT, FE);
    expect(toHex(OUT, 32)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
    expect(FE_BYTES).toBe(40);
  });
});
