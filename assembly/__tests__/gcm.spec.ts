// AES-GCM known answers: McGrew & Viega, "The Galois/Counter Mode of
// Operation", test cases 1-6 (AES-128, including the 8-byte and 60-byte IVs)
// and 13-16 (AES-256). Each is sealed, then opened in place, and a flipped
// tag bit must make open fail and zero the output.
import { gcm_init, gcm_seal, gcm_open, GCM_CTX_SIZE } from "../crypto/gcm";
import { AeadBench } from "./util/aead";

// gcm_seal always writes a 16-byte tag.
function gcmSeal(ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize, tagLen: usize): i32 {
  return gcm_seal(ctx, nonce, nonceLen, aad, aadLen, src, len, dst, tag);
}

const G = new AeadBench(3, gcm_init, gcmSeal, gcm_open);

/** Seals and returns ct||tag as hex; also checks open (in place) and tamper rejection (tag bit 0x80 of byte 15). */
function gcmCase(key: string, iv: string, aad: string, pt: string): string {
  return G.kat(key, iv, aad, pt, 16, 15, 0x80);
}

const K1 = "feffe9928665731c6d6a8f9467308308";
const P64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const P60 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
const A20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

describe("AES-128-GCM McGrew-Viega test cases", () => {
  it("context size", () => {
    expect(GCM_CTX_SIZE()).toBe(1016);
  });
  it("test case 1 (empty)", () => {
    expect(gcmCase("00000000000000000000000000000000", "000000000000000000000000", "", "")).toBe("58e2fccefa7e3061367f1d57a4e7455a");
  });
  it("test case 2 (one zero block)", () => {
    expect(gcmCase("00000000000000000000000000000000", "000000000000000000000000", "", "00000000000000000000000000000000"))
      .toBe("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
  });
  it("test case 3 (64 bytes)", () => {
    expect(gcmCase(K1, "cafebabefacedbaddecaf888", "", P64))
      .toBe("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985" + "4d5c2af327cd64a62cf35abd2ba6fab4");
  });
  it("test case 4 (60 bytes, 20-byte AAD)", () => {
    expect(gcmCase(K1, "cafebabefacedbaddecaf888", A20, P60))
      .toBe("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47");
  });
  it("test case 5 (8-byte IV)", () => {
    expect(gcmCase(K1, "cafebabefacedbad", A20, P60))
      .toBe("61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598" + "3612d2e79e3b0785561be14aaca2fccb");
  });
  it("test case 6 (60-byte IV)", () => {
    expect(gcmCase(K1, "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b", A20, P60))
      .toBe("8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5" + "619cc5aefffe0bfa462af43c1699d050");
  });
});

describe("AES-256-GCM McGrew-Viega test cases", () => {
  it("test case 13 (empty)", () => {
    expect(gcmCase("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "")).toBe("530f8afbc74536b9a963b4f1c4cb738b");
  });
  it("test case 14 (one zero block)", () => {
    expect(gcmCase("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "00000000000000000000000000000000"))
      .toBe("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
  });
  it("test case 15 (64 bytes)", () => {
    expect(gcmCase(K1 + K1, "cafebabefacedbaddecaf888", "", P64))
      .toBe("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad" + "b094dac5d93471bdec1a502270e3cc6c");
  });
  it("test case 16 (60 bytes, 20-byte AAD)", () => {
    expect(gcmCase(K1 + K1, "cafebabefacedbaddecaf888", A20, P60))
      .toBe("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
  });
  it("rejects AES-192 keys and empty nonces", () => {
    expect(gcm_init(G.ctx, G.key, 24)).toBe(0);
    gcm_init(G.ctx, G.key, 16);
    expect(gcm_seal(G.ctx, G.nonce, 0, G.aad, 0, G.pt, 16, G.out, G.tag)).toBe(0);
  });
});
