// Known answers for P-256 ECDH: RFC 5903 §8.1 (both parties' public keys
// and the shared x-coordinate), the base point itself ([1]G = G) and
// [n-1]G = -G, the private-key range check at its edges, and the refusal
// of points that are not on the curve. The Wycheproof file and the
// differential tests against node:crypto and @noble/curves are in
// test/crypto/p256.test.ts.
import { p256_keygen, p256_shared, p256_private_ok, p256_selftest, p256_selftest_group } from "../crypto/p256";
import { fp_mul, fp_sq, fp_from_bytes, fp_to_bytes, fp_invert, fp_add, fp_sub } from "../crypto/p256_field";
import { toHex, hexInto } from "./util/bytes";

const buf = new StaticArray<u8>(512);
const base = changetype<usize>(buf);
const SK = base; //         32
const PK = base + 32; //    65 (+ spare)
const OUT = base + 112; //  65 (+ spare)
const FA = base + 192; //   32
const FB = base + 224; //   32
const TMP = base + 256; //  128

// RFC 5903 §8.1, 256-bit random ECP group.
const I = "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433";
const GI = "04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180" +
  "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3";
const R = "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53";
const GR = "04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63" +
  "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab";
const GIRX = "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de";

// SEC 2 §2.4.2: G and n.
const G = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" +
  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const N_MINUS_1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";
// -G: same x, y' = p - y.
const NEG_G = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" +
  "b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a";
const P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

function keygen(sk: string): string {
  hexInto(sk, SK);
  expect(p256_keygen(OUT, SK)).toBe(1);
  return toHex(OUT, 65);
}

function shared(sk: string, pk: string): string {
  hexInto(sk, SK);
  const n = hexInto(pk, PK);
  expect(p256_shared(OUT, SK, PK, n)).toBe(1);
  return toHex(OUT, 32);
}

function refused(sk: string, pk: string): void {
  hexInto(sk, SK);
  const n = hexInto(pk, PK);
  memory.fill(OUT, 0xa5, 32);
  expect(p256_shared(OUT, SK, PK, n)).toBe(0);
  expect(toHex(OUT, 32)).toBe("00".repeat(32));
}

describe("P-256 ECDH, RFC 5903 §8.1", () => {
  it("public keys g^i and g^r", () => {
    expect(keygen(I)).toBe(GI);
    expect(keygen(R)).toBe(GR);
  });
  it("shared x-coordinate, both directions", () => {
    expect(shared(I, GR)).toBe(GIRX);
    expect(shared(R, GI)).toBe(GIRX);
  });
  it("the boot self-test passes", () => {
    expect(p256_selftest()).toBe(true);
  });
});

describe("P-256 scalar edges", () => {
  it("[1]G = G and [n-1]G = -G", () => {
    expect(keygen("00".repeat(31) + "01")).toBe(G);
    expect(keygen(N_MINUS_1)).toBe(NEG_G);
  });
  it("private keys 0 and n, and above n, are refused", () => {
    for (let i = 0; i < 3; i++) {
      const sk = i == 0 ? "00".repeat(32) : i == 1 ? N : "ff".repeat(32);
      hexInto(sk, SK);
      expect(p256_private_ok(SK)).toBe(0);
      memory.fill(OUT, 0xa5, 65);
      expect(p256_keygen(OUT, SK)).toBe(0);
      expect(toHex(OUT, 65)).toBe("00".repeat(65));
      refused(sk, GR);
    }
    hexInto(N_MINUS_1, SK);
    expect(p256_private_ok(SK)).toBe(1);
  });
});

describe("P-256 peer validation", () => {
  it("refuses a wrong length, a compressed prefix, x or y >= p, and a point off the curve", () => {
    refused(I, GR.substr(0, 128)); // 64 bytes
    refused(I, GR + "00"); // 66 bytes
    refused(I, "03" + GR.substr(2)); // prefix not 04
    refused(I, "04" + P + GR.substr(66)); // x = p
    refused(I, GR.substr(0, 66) + P); // y = p
    refused(I, GR.substr(0, 128) + "ac"); // y + 1: not on the curve
    refused(I, "04" + "00".repeat(64)); // (0, 0), where the identity would be
  });
});

describe("P-256 field", () => {
  it("(p - 1)^2 = 1, (p - 1) + 1 = 0, 0 - 1 = p - 1, 1/(p - 1) = p - 1", () => {
    hexInto("ffffffff00000001000000000000000000000000fffffffffffffffffffffffe", FA);
    expect(fp_from_bytes(FA, FA)).toBe(1);
    fp_sq(FB, FA);
    fp_to_bytes(OUT, FB);
    expect(toHex(OUT, 32)).toBe("00".repeat(31) + "01");
    hexInto("00".repeat(31) + "01", OUT);
    fp_from_bytes(FB, OUT);
    fp_add(TMP, FA, FB);
    fp_to_bytes(OUT, TMP);
    expect(toHex(OUT, 32)).toBe("00".repeat(32));
    hexInto("00".repeat(32), OUT);
    fp_from_bytes(TMP, OUT);
    fp_sub(TMP, TMP, FB);
    fp_to_bytes(OUT, TMP);
    expect(toHex(OUT, 32)).toBe("ffffffff00000001000000000000000000000000fffffffffffffffffffffffe");
    fp_invert(FB, FA, TMP);
    fp_mul(FB, FB, FA);
    fp_to_bytes(OUT, FB);
    expect(toHex(OUT, 32)).toBe("00".repeat(31) + "01");
  });
  it("from_bytes flags p and above as non-canonical", () => {
    hexInto(P, OUT);
    expect(fp_from_bytes(FA, OUT)).toBe(0);
    hexInto("ff".repeat(32), OUT);
    expect(fp_from_bytes(FA, OUT)).toBe(0);
  });
});

describe("P-256 board self-test", () => {
  it("[2]G + G = [3]G", () => {
    expect(p256_selftest_group()).toBe(true);
  });
});
