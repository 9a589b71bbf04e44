// AEAD_CHACHA20_POLY1305 known answers from RFC 8439: §2.6.2 and A.4
// (Poly1305 key generation), §2.8.2 (seal), A.5 (open); plus in-place and
// unaligned operation, and rejection with a zeroed output.
import { chacha20poly1305_seal, chacha20poly1305_open } from "../crypto/chacha20poly1305";
import { chacha20_block } from "../crypto/chacha20";

function aeHex(p: usize, n: usize): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

function aeBytes(hex: string, misalign: usize = 0): usize {
  const n = hex.length >> 1;
  const buf = new StaticArray<u8>(n + 32);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  const p = ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>I32.parseInt(hex.substr(2 * i, 2), 16));
  return p;
}

function aeAlloc(n: usize, misalign: usize = 0): usize {
  const buf = new StaticArray<u8>(<i32>n + 16);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  return ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
}

function aeIsZero(p: usize, n: usize): bool {
  let acc: u32 = 0;
  for (let i: usize = 0; i < n; i++) acc |= load<u8>(p + i);
  return acc == 0;
}

const KEY_80_9F = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
const OTK_262 = "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646";
const A4_1_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A4_1_NONCE = "000000000000000000000000";
const A4_1_OTK = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7";
const A4_2_KEY = "0000000000000000000000000000000000000000000000000000000000000001";
const A4_2_NONCE = "000000000000000000000002";
const A4_2_OTK = "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739";
const A4_3_KEY = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
const A4_3_NONCE = "000000000000000000000002";
const A4_3_OTK = "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae";
const SUNSCREEN_PT =
  "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492063" +
  "6f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" +
  "637265656e20776f756c642062652069742e";
const AAD_282 = "50515253c0c1c2c3c4c5c6c7";
const NONCE_282 = "070000004041424344454647";
const CT_282 =
  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" +
  "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
  "3ff4def08e4b7a9de576d26586cec64b6116";
const TAG_282 = "1ae10b594f09e26a7e902ecbd0600691";
const A5_KEY = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
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
    const out = aeAlloc(64, 2);
    chacha20_block(aeBytes(KEY_80_9F), 0, aeBytes("000000000001020304050607"), out);
    expect(aeHex(out, 32)).toBe(OTK_262);
    chacha20_block(aeBytes(A4_1_KEY), 0, aeBytes(A4_1_NONCE), out);
    expect(aeHex(out, 32)).toBe(A4_1_OTK, "A.4 #1");
    chacha20_block(aeBytes(A4_2_KEY), 0, aeBytes(A4_2_NONCE), out);
    expect(aeHex(out, 32)).toBe(A4_2_OTK, "A.4 #2");
    chacha20_block(aeBytes(A4_3_KEY), 0, aeBytes(A4_3_NONCE), out);
    expect(aeHex(out, 32)).toBe(A4_3_OTK, "A.4 #3");
  });
});

describe("AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8)", () => {
  it("§2.8.2 seal, every alignment, separate output and in place with the tag behind the ciphertext", () => {
    const n: usize = SUNSCREEN_PT.length >> 1;
    for (let m: usize = 0; m < 8; m++) {
      const key = aeBytes(KEY_80_9F, m), nonce = aeBytes(NONCE_282, (m + 1) & 7), aad = aeBytes(AAD_282, (m + 2) & 7);
      const pt = aeBytes(SUNSCREEN_PT, m);
      const out = aeAlloc(n + 16, (m + 3) & 7);
      expect(chacha20poly1305_seal(key, nonce, aad, 12, pt, n, out, out + n)).toBe(1);
      expect(aeHex(out, n)).toBe(CT_282);
      expect(aeHex(out + n, 16)).toBe(TAG_282);
      expect(aeHex(pt, n)).toBe(SUNSCREEN_PT); // input untouched
      expect(chacha20poly1305_seal(key, nonce, aad, 12, pt, n, pt, pt + n)).toBe(1);
      expect(aeHex(pt, n)).toBe(CT_282);
      expect(aeHex(pt + n, 16)).toBe(TAG_282);
    }
  });
  it("§2.8.2 open round-trips in place", () => {
    const n: usize = CT_282.length >> 1;
    const buf = aeBytes(CT_282 + TAG_282, 5);
    expect(chacha20poly1305_open(aeBytes(KEY_80_9F), aeBytes(NONCE_282), aeBytes(AAD_282), 12, buf, n, buf, buf + n)).toBe(1);
    expect(aeHex(buf, n)).toBe(SUNSCREEN_PT);
  });
  it("A.5 open: tag verifies, plaintext recovered (separate and in place)", () => {
    const n: usize = A5_CT.length >> 1;
    const key = aeBytes(A5_KEY), nonce = aeBytes(A5_NONCE, 3), aad = aeBytes(A5_AAD, 1), tag = aeBytes(A5_TAG, 6);
    const ct = aeBytes(A5_CT, 7);
    const out = aeAlloc(n, 2);
    expect(chacha20poly1305_open(key, nonce, aad, 12, ct, n, out, tag)).toBe(1);
    expect(aeHex(out, n)).toBe(A5_PT);
    expect(chacha20poly1305_open(key, nonce, aad, 12, ct, n, ct, tag)).toBe(1);
    expect(aeHex(ct, n)).toBe(A5_PT);
  });
  it("A.5 seal reproduces the ciphertext and tag", () => {
    const n: usize = A5_PT.length >> 1;
    const out = aeAlloc(n + 16, 1);
    expect(chacha20poly1305_seal(aeBytes(A5_KEY), aeBytes(A5_NONCE), aeBytes(A5_AAD), 12, aeBytes(A5_PT), n, out, out + n)).toBe(1);
    expect(aeHex(out, n)).toBe(A5_CT);
    expect(aeHex(out + n, 16)).toBe(A5_TAG);
  });
  it("A.5 with a flipped bit in the tag, the ciphertext or the aad: rejected, output zeroed", () => {
    const n: usize = A5_CT.length >> 1;
    const key = aeBytes(A5_KEY), nonce = aeBytes(A5_NONCE);
    const positions: usize[] = [0, 1, 63, 64, 200, n - 1];
    for (let k = 0; k < positions.length; k++) {
      const ct = aeBytes(A5_CT);
      store<u8>(ct + positions[k], load<u8>(ct + positions[k]) ^ 0x01);
      const out = aeAlloc(n);
      memory.fill(out, 0xa5, n);
      expect(chacha20poly1305_open(key, nonce, aeBytes(A5_AAD), 12, ct, n, out, aeBytes(A5_TAG))).toBe(0);
      expect(aeIsZero(out, n)).toBe(true);
    }
    for (let i: usize = 0; i < 16; i++) {
      const tag = aeBytes(A5_TAG);
      store<u8>(tag + i, load<u8>(tag + i) ^ <u8>(1 << <u8>(i & 7)));
      const ct = aeBytes(A5_CT);
      expect(chacha20poly1305_open(key, nonce, aeBytes(A5_AAD), 12, ct, n, ct, tag)).toBe(0);
      expect(aeIsZero(ct, n)).toBe(true); // in place: the ciphertext itself is wiped
    }
    const aad = aeBytes(A5_AAD);
    store<u8>(aad + 11, load<u8>(aad + 11) ^ 0x80);
    const out = aeAlloc(n);
    expect(chacha20poly1305_open(key, nonce, aad, 12, aeBytes(A5_CT), n, out, aeBytes(A5_TAG))).toBe(0);
    expect(aeIsZero(out, n)).toBe(true);
  });
  it("empty plaintext and empty aad", () => {
    const tag = aeAlloc(16);
    const key = aeBytes(KEY_80_9F), nonce = aeBytes(NONCE_282);
    expect(chacha20poly1305_seal(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(1);
    expect(chacha20poly1305_open(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(1);
    store<u8>(tag, load<u8>(tag) ^ 1);
    expect(chacha20poly1305_open(key, nonce, 0, 0, 0, 0, 0, tag)).toBe(0);
  });
});
