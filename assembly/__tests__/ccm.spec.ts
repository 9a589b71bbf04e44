// AES-CCM known answers: NIST SP 800-38C appendix C examples 1-3 (tags of
// 4, 6, 8 bytes, nonces of 7, 8, 12 bytes) and RFC 3610 packet vectors #1 and
// #2 (13-byte nonce, 8-byte tag). Each is sealed, opened in place, and a
// flipped tag bit must make open fail and zero the output.
import { ccm_init, ccm_seal, ccm_open, CCM_CTX_SIZE } from "../crypto/ccm";
import { rangeHex } from "./util/bytes";
import { AeadBench } from "./util/aead";

const C = new AeadBench(5, ccm_init, ccm_seal, ccm_open);

/** Seals and returns ct||tag as hex; also checks open (in place) and tamper rejection (tag bit 0x01 of byte 0). */
function ccmCase(key: string, nonce: string, aad: string, pt: string, tagLen: usize): string {
  return C.kat(key, nonce, aad, pt, tagLen, 0, 1);
}

const K38C = "404142434445464748494a4b4c4d4e4f";
const K3610 = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";

describe("AES-CCM SP 800-38C appendix C", () => {
  it("context size", () => {
    expect(CCM_CTX_SIZE()).toBe(968);
  });
  it("example 1 (7-byte nonce, 4-byte tag)", () => {
    expect(ccmCase(K38C, "10111213141516", rangeHex(0, 8), rangeHex(0x20, 0x24), 4)).toBe("7162015b4dac255d");
  });
  it("example 2 (8-byte nonce, 6-byte tag)", () => {
    expect(ccmCase(K38C, "1011121314151617", rangeHex(0, 16), rangeHex(0x20, 0x30), 6)).toBe("d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd");
  });
  it("example 3 (12-byte nonce, 8-byte tag)", () => {
    expect(ccmCase(K38C, "101112131415161718191a1b", rangeHex(0, 20), rangeHex(0x20, 0x38), 8))
      .toBe("e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951");
  });
});

describe("AES-CCM RFC 3610 packet vectors", () => {
  it("packet vector #1", () => {
    expect(ccmCase(K3610, "00000003020100a0a1a2a3a4a5", rangeHex(0, 8), rangeHex(8, 0x1f), 8))
      .toBe("588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0");
  });
  it("packet vector #2", () => {
    expect(ccmCase(K3610, "00000004030201a0a1a2a3a4a5", rangeHex(0, 8), rangeHex(8, 0x20), 8))
      .toBe("72c91a36e135f8cf291ca894085c87e3cc15c439c9e43a3ba091d56e10400916");
  });
  it("refuses bad nonce and tag sizes", () => {
    ccm_init(C.ctx, C.key, 16);
    expect(ccm_seal(C.ctx, C.nonce, 6, C.aad, 0, C.pt, 16, C.out, C.tag, 8)).toBe(0);
    expect(ccm_seal(C.ctx, C.nonce, 14, C.aad, 0, C.pt, 16, C.out, C.tag, 8)).toBe(0);
    expect(ccm_seal(C.ctx, C.nonce, 12, C.aad, 0, C.pt, 16, C.out, C.tag, 5)).toBe(0);
    expect(ccm_seal(C.ctx, C.nonce, 12, C.aad, 0, C.pt, 16, C.out, C.tag, 18)).toBe(0);
    expect(ccm_seal(C.ctx, C.nonce, 12, C.aad, 0, C.pt, 16, C.out, C.tag, 2)).toBe(0);
  });
});
