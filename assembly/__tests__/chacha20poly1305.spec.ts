// AEAD_CHACHA20_POLY1305 known answers from RFC 8439: §2.6.2 and A.4
// (Poly1305 key generation), §2.8.2 (seal), A.5 (open); plus in-place and
// unaligned operation, and rejection with a zeroed output.
import { chacha20poly1305_seal, chacha20poly1305_open } from "../crypto/chacha20poly1305";
import { chacha20_block } from "../crypto/chacha20";
import { toHex, pinnedHex, pinnedAlloc, orBytes } from "./util/bytes";
import { ZERO_KEY, ZERO_NONCE, KEY_ONE, NONCE_TWO, KEY_1C92, ZERO_KEYSTREAM_0, SUNSCREEN, BlockVector } from "./util/rfc8439";

const KEY_80_9F = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
const OTK_262 = "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646";
/** Appendix A.4, Poly1305 key generation #1-#3: the first 32 bytes of block 0. */
const A4: BlockVector[] = [
  new BlockVector(ZERO_KEY, ZERO_NONCE, 0, ZERO_KEYSTREAM_0.slice(0, 64)),
  new BlockVector(KEY_ONE, NONCE_TWO, 0, "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739"),
  new BlockVector(KEY_1C92, NONCE_TWO, 0, "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae"),
];
const AAD_282 = "50515253c0c1c2c3c4c5c6c7";
const NONCE_282 = "070000004041424344454647";
const CT_282 =
  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" +
  "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
  "3ff4def08e4b7a9de576d26586cec64b6116";
const TAG_282 = "1ae10b594f09e26a7e902ecbd0600691";
const A5_KEY = KEY_1C92;
const A5_NONCE = "000000000102030405060708";
const A5_AAD = "f33388860000000000004e91";
const A5_CT =
  "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0" +
  "bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855" +
  "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9" +
  "9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a" +
  "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130" +
  "305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b";
const A5_TAG = "eead9d67890cbb22392336fea1851f38";
const A5_PT =
  "496e7465726e65742d4472616674732061726520647261667420646f63756d656e74732076616c696420666f72206120" +
  "6d6178696d756d206f6620736978206d6f6e74687320616e64206d617920626520757064617465642c207265706c6163" +
  "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d656e747320617420616e792074696d652e" +
  "20497420697320696e617070726f70726961746520746f2075736520496e7465726e65742d4472616674732061732072" +
  "65666572656e6365206d6174657269616c206f7220746f2063697465207468656d206f74686572207468616e20617320" +
  "2fe2809c776f726b20696e2070726f67726573732e2fe2809d";

describe("Poly1305 key generation (RFC 8439 §2.6)", () => {
  it("§2.6.2 and A.4 #1-#3: first 32 bytes of ChaCha20 block 0", () => {
    const out = pinnedAlloc(64, 2);
    chacha20_block(pinnedHex(KEY_80_9F), 0, pinnedHex("000000000001020304050607"), out);
    expect(toHex(out, 32)).toBe(OTK_262);
    for (let i = 0; i < A4.length; i++) {
      const v = A4[i];
      chacha20_block(pinnedHex(v.key), v.counter, pinnedHex(v.nonce), out);
      expect(toHex(out, 32)).toBe(v.out, "A.4 #" + (i + 1).toString());
    }
  });
});

describe("AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8)", () => {
  it("§2.8.2 seal, every alignment, separate output and in place with the tag behind the ciphertext", () => {
    const n: usize = SUNSCREEN.length >> 1;
    for (let m: usize = 0; m < 8; m++) {
      const key = pinnedHex(KEY_80_9F, m), nonce = pinnedHex(NONCE_282, (m + 1) & 7), aad = pinnedHex(AAD_282, (m + 2) & 7);
      const pt = pinnedHex(SUNSCREEN, m);
      const out = pinnedAlloc(n + 16, (m + 3) & 7);
      expect(chacha20poly1305_seal(key, nonce, aad, 12, pt, n, out, out + n)).toBe(1);
      expect(toHex(out, n)).toBe(CT_282);
      expect(toHex(out + n, 16)).toBe(TAG_282);
      expect(toHex(pt, n)).toBe(SUNSCREEN); // input untouched
      expect(chacha20poly1305_seal(key, nonce, aad, 12, pt, n, pt, pt + n)).toBe(1);
      expect(toHex(pt, n)).toBe(CT_282);
      expect(toHex(pt + n, 16)).toBe(TAG_282);
    }
  });
  it("§2.8.2 open round-trips in place", () => {
    const n: usize = CT_282.length >> 1;
    const buf = pinnedHex(CT_282 + TAG_282, 5);
    expect(chacha20poly1305_open(pinnedHex(KEY_80_9F), pinnedHex(NONCE_282), pinnedHex(AAD_282), 12, buf, n, buf, buf + n)).toBe(1);
    expect(toHex(buf, n)).toBe(SUNSCREEN);
  });
  it("A.5 open: tag verifies, plaintext recovered (separate and in place)", () => {
    const n: usize = A5_CT.length >> 1;
    const key = pinnedHex(A5_KEY), nonce = pinnedHex(A5_NONCE, 3), aad = pinnedHex(A5_AAD, 1), tag = pinnedHex(A5_TAG, 6);
    const ct = pinnedHex(A5_CT, 7);
    const out = pinnedAlloc(n, 2);
    expect(chacha20poly1305_open(key, nonce, aad, 12, ct, n, out, tag)).toBe(1);
    expect(toHex(out, n)).toBe(A5_PT);
    expect(chacha20poly1305_open(key, nonce, aad, 12, ct, n, ct, tag)).toBe(1);
    expect(toHex(ct, n)).toBe(A5_PT);
  });
  it("A.5 seal reproduces the ciphertext and tag", () => {
    const n: usize = A5_PT.length >> 1;
    const out = pinnedAlloc(n + 16, 1);
    expect(chacha20poly1305_seal(pinnedHex(A5_KEY), pinnedHex(A5_NONCE), pinnedHex(A5_AAD), 12, pinnedHex(A5_PT), n, out, out + n)).toBe(1);
    expect(toHex(out, n)).toBe(A5_CT);
    expect(toHex(out + n, 16)).toBe(A5_TAG);
  });
  it("A.5 with a flipped bit in the tag, the ciphertext or the aad: rejected, output zeroed", () => {
    const n: usize = A5_CT.length >> 1;
    const key = pinnedHex(A5_KEY), nonce = pinnedHex(A5_NONCE);
    const positions: usize[] = [0, 1, 63, 64, 200, n - 1];
    for (let k = 0; k < positions.length; k++) {
      const ct = pinnedHex(A5_CT);
      store<u8>(ct + positions[k], load<u8>(ct + positions[k]) ^ 0x01);
      const out = pinnedAlloc(n);
      memory.fill(out, 0xa5, n);
      expect(chacha20poly1305_open(key, nonce, pinnedHex(A5_AAD), 12, ct, n, out, pinnedHex(A5_TAG))).toBe(0);
      expect(orBytes(out, n)).toBe(0);
    }
    for (let i: usize = 0; i < 16; i++) {
      const tag = pinnedHex(A5_TAG);
      store<u8>(tag + i, load<u8>(tag + i) ^ <u8>(1 << <u8>(i & 7)));
      const ct = pinnedHex(A5_CT);
      expect(chacha20poly1305_open(key, nonce, pinnedHex(A5_AAD), 12, ct, n, ct, tag)).toBe(0);
      expect(orBytes(ct, n)).toBe(0); // in place: the ciphertext itself is wiped
    }
    const aad = pinnedHex(A5_AAD);
    store<u8>(aad + 11, load<u8>(aad + 11) ^ 0x80);
    const out = pinnedAlloc(n);
    expect(chacha20poly1305_open(key, nonce, aad, 12, pinnedHex(A5_CT), n, out, pinnedHex(A5_TAG))).toBe(0);
    expect(orBytes(out, n)).toBe(0);
  });
  it("empty plaintext and empty aad", () => {
    const tag = pinnedAlloc(16);
    const key = pinnedHex(KEY_80_9F), nonce = pinnedHex(NONCE_282);
    expect(chacha20poly1305_seal(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(1);
    expect(chacha20poly1305_open(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(1);
    store<u8>(tag, load<u8>(tag) ^ 1);
    expect(chacha20poly1305_open(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(0);
  });
});
