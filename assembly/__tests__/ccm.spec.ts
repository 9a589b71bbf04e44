// AES-CCM known answers: NIST SP 800-38C appendix C examples 1-3 (tags of
// 4, 6, 8 bytes, nonces of 7, 8, 12 bytes) and RFC 3610 packet vectors #1 and
// #2 (13-byte nonce, 8-byte tag). Each is sealed, opened in place, and a
// flipped tag bit must make open fail and zero the output.
import { ccm_init, ccm_seal, ccm_open, CCM_CTX_SIZE } from "../crypto/ccm";

function ccmHex(p: usize, n: usize): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

function ccmUnhex(s: string, dst: usize): usize {
  const n = s.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(dst + i, <u8>I32.parseInt(s.substr(i * 2, 2), 16));
  return <usize>n;
}

function ccmSeq(a: i32, b: i32): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = a; i < b; i++) s += digits.charAt(i >> 4) + digits.charAt(i & 15);
  return s;
}

const ccmMem = new StaticArray<u8>(4096);
const CM = changetype<usize>(ccmMem);
const C_CTX = CM + 5;        // deliberately unaligned
const C_KEY = CM + 1100;
const C_N = CM + 1200;
const C_AAD = CM + 1300;
const C_PT = CM + 1400;
const C_OUT = CM + 1601;     // unaligned
const C_TAG = CM + 1800;

function ccmCase(key: string, nonce: string, aad: string, pt: string, tagLen: usize): string {
  const kl = ccmUnhex(key, C_KEY);
  const nl = ccmUnhex(nonce, C_N);
  const al = ccmUnhex(aad, C_AAD);
  const pl = ccmUnhex(pt, C_PT);
  expect(ccm_init(C_CTX, C_KEY, kl)).toBe(1);
  expect(ccm_seal(C_CTX, C_N, nl, C_AAD, al, C_PT, pl, C_OUT, C_TAG, tagLen)).toBe(1);
  const res = ccmHex(C_OUT, pl) + ccmHex(C_TAG, tagLen);
  expect(ccm_open(C_CTX, C_N, nl, C_AAD, al, C_OUT, pl, C_OUT, C_TAG, tagLen)).toBe(1);
  expect(memory.compare(C_OUT, C_PT, pl)).toBe(0);
  ccm_seal(C_CTX, C_N, nl, C_AAD, al, C_PT, pl, C_OUT, C_TAG, tagLen);
  store<u8>(C_TAG, load<u8>(C_TAG) ^ 1);
  expect(ccm_open(C_CTX, C_N, nl, C_AAD, al, C_OUT, pl, C_OUT, C_TAG, tagLen)).toBe(0);
  let nz: u32 = 0;
  for (let i: usize = 0; i < pl; i++) nz |= load<u8>(C_OUT + i);
  expect(nz).toBe(0);
  return res;
}

const K38C = "404142434445464748494a4b4c4d4e4f";
const K3610 = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";

describe("AES-CCM SP 800-38C appendix C", () => {
  it("context size", () => {
    expect(CCM_CTX_SIZE()).toBe(968);
  });
  it("example 1 (7-byte nonce, 4-byte tag)", () => {
    expect(ccmCase(K38C, "10111213141516", ccmSeq(0, 8), ccmSeq(0x20, 0x24), 4)).toBe("7162015b4dac255d");
  });
  it("example 2 (8-byte nonce, 6-byte tag)", () => {
    expect(ccmCase(K38C, "1011121314151617", ccmSeq(0, 16), ccmSeq(0x20, 0x30), 6)).toBe("d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd");
  });
  it("example 3 (12-byte nonce, 8-byte tag)", () => {
    expect(ccmCase(K38C, "101112131415161718191a1b", ccmSeq(0, 20), ccmSeq(0x20, 0x38), 8))
      .toBe("e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951");
  });
});

describe("AES-CCM RFC 3610 packet vectors", () => {
  it("packet vector #1", () => {
    expect(ccmCase(K3610, "00000003020100a0a1a2a3a4a5", ccmSeq(0, 8), ccmSeq(8, 0x1f), 8))
      .toBe("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0");
  });
  it("packet vector #2", () => {
    expect(ccmCase(K3610, "00000004030201a0a1a2a3a4a5", ccmSeq(0, 8), ccmSeq(8, 0x20), 8))
      .toBe("72c91a36e135f8cf291ca894085c87e3cc15c439c9e43a3ba091d56e10400916");
  });
  it("refuses bad nonce and tag sizes", () => {
    ccm_init(C_CTX, C_KEY, 16);
    expect(ccm_seal(C_CTX, C_N, 6, C_AAD, 0, C_PT, 16, C_OUT, C_TAG, 8)).toBe(0);
    expect(ccm_seal(C_CTX, C_N, 14, C_AAD, 0, C_PT, 16, C_OUT, C_TAG, 8)).toBe(0);
    expect(ccm_seal(C_CTX, C_N, 12, C_AAD, 0, C_PT, 16, C_OUT, C_TAG, 5)).toBe(0);
    expect(ccm_seal(C_CTX, C_N, 12, C_AAD, 0, C_PT, 16, C_OUT, C_TAG, 18)).toBe(0);
    expect(ccm_seal(C_CTX, C_N, 12, C_AAD, 0, C_PT, 16, C_OUT, C_TAG, 2)).toBe(0);
  });
});
