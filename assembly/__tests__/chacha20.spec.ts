// ChaCha20 known answers from RFC 8439: §2.3.2 (block function), §2.4.2
// (encryption, "sunscreen"), Appendix A.1 (block function #1-#5) and A.2
// (encryption #1-#3); plus in-place, unaligned and split-call consistency.
import { chacha20_xor, chacha20_block } from "../crypto/chacha20";
import { toHex, pinnedHex, pinnedAlloc } from "./util/bytes";
import {
  ZERO_KEY, ZERO_NONCE, KEY_ONE, NONCE_TWO, KEY_1C92, ZERO_KEYSTREAM_0, SUNSCREEN, IETF_SUBMISSION, JABBERWOCKY,
  BlockVector, CipherVector,
} from "./util/rfc8439";

/** ChaCha20 of `ptHex` under key/nonce/counter, at the given alignment, optionally in place. */
function ccEncrypt(keyHex: string, nonceHex: string, counter: u32, ptHex: string, misalign: usize, inPlace: bool): string {
  const n = <usize>(ptHex.length >> 1);
  const pin = pinnedHex(ptHex, misalign);
  const pout = inPlace ? pin : pinnedAlloc(n, (misalign + 3) & 7);
  chacha20_xor(pinnedHex(keyHex, misalign), counter, pinnedHex(nonceHex, (misalign + 1) & 7), pin, pout, n);
  return toHex(pout, n);
}

const KEY_00_1F = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const BLOCK_232 =
  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2" +
  "b5129cd1de164eb9cbd083e8a2503c4e";
const SUNSCREEN_CT =
  "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357" +
  "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736" +
  "5af90bbf74a35be6b40b8eedf2785e42874d";

/** Appendix A.1, block function test vectors #1-#5. */
const A1: BlockVector[] = [
  new BlockVector(ZERO_KEY, ZERO_NONCE, 0, ZERO_KEYSTREAM_0),
  new BlockVector(ZERO_KEY, ZERO_NONCE, 1,
    "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed29b721769ce64e43d57133b074d839d5" +
    "31ed1f28510afb45ace10a1f4b794d6f"),
  new BlockVector(KEY_ONE, ZERO_NONCE, 1,
    "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a8eca00bbb4a73bdad192b5c42f73f2fd" +
    "4e273644c8b36125a64addeb006c13a0"),
  new BlockVector("00ff" + "00".repeat(30), ZERO_NONCE, 2,
    "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca13b25aa26cb4a648cb9b9d1be65b2c09" +
    "24a66c54d545ec1b7374f4872e99f096"),
  new BlockVector(ZERO_KEY, NONCE_TWO, 0,
    "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c78a970e0e955c14f3a88e741b97c286f7" +
    "5f8fc299e8148362fa198a39531bed6d"),
];

/** Appendix A.2, encryption test vectors #1-#3. */
const A2: CipherVector[] = [
  new CipherVector(ZERO_KEY, ZERO_NONCE, 0, "00".repeat(64), ZERO_KEYSTREAM_0),
  new CipherVector(KEY_ONE, NONCE_TWO, 1, IETF_SUBMISSION,
    "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec2a97948bd3722915c8f3d337f7d37005" +
    "0e9e96d647b7c39f56e031ca5eb6250d4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950" +
    "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85ad00f8449ed8f72d0d662ab052691ca66" +
    "424bc86d2df80ea41f43abf937d3259dc4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b" +
    "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6ccc3aaf9f3979c92b3720fc88dc95ed84" +
    "a1be059c6499b9fda236e7e818b04b0bc39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f" +
    "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e698ced759c3ff9b6477338f3da4f9cd85" +
    "14ea9982ccafb341b2384dd902f3d1ab7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221"),
  new CipherVector(KEY_1C92, NONCE_TWO, 42, JABBERWOCKY,
    "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf166d3df2d721caf9b21e5fb14c616871" +
    "fd84c54f9d65b283196c7fe4f60553ebf39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77" +
    "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1"),
];

describe("ChaCha20 block function (RFC 8439)", () => {
  it("§2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1", () => {
    const out = pinnedAlloc(64);
    chacha20_block(pinnedHex(KEY_00_1F), 1, pinnedHex("000000090000004a00000000"), out);
    expect(toHex(out, 64)).toBe(BLOCK_232);
  });
  it("A.1 test vectors #1-#5", () => {
    const out = pinnedAlloc(64, 1);
    for (let i = 0; i < A1.length; i++) {
      const v = A1[i];
      chacha20_block(pinnedHex(v.key), v.counter, pinnedHex(v.nonce), out);
      expect(toHex(out, 64)).toBe(v.out, "A.1 #" + (i + 1).toString());
    }
  });
  it("chacha20_block works when key, nonce and output are the same buffer", () => {
    const p = pinnedAlloc(64); // all-zero key; its first 12 bytes double as the zero nonce
    memory.fill(p, 0, 64);
    expect(A1[1].key + A1[1].nonce).toBe("0".repeat(88)); // A.1 #2 is that zero key and nonce
    chacha20_block(p, A1[1].counter, p, p);
    expect(toHex(p, 64)).toBe(A1[1].out);
  });
});

describe("ChaCha20 encryption (RFC 8439)", () => {
  it("§2.4.2 sunscreen, every alignment, separate and in place", () => {
    for (let m: usize = 0; m < 8; m++) {
      expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN, m, false)).toBe(SUNSCREEN_CT);
      expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN, m, true)).toBe(SUNSCREEN_CT);
    }
  });
  it("decryption is the same operation", () => {
    expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN_CT, 3, true)).toBe(SUNSCREEN);
  });
  it("A.2 test vectors #1-#3", () => {
    for (let i = 0; i < A2.length; i++) {
      const v = A2[i], name = "A.2 #" + (i + 1).toString();
      expect(ccEncrypt(v.key, v.nonce, v.counter, v.pt, <usize>i, false)).toBe(v.ct, name);
      expect(ccEncrypt(v.key, v.nonce, v.counter, v.pt, <usize>i + 3, true)).toBe(v.ct, name + " in place");
    }
  });
  it("A.2 #2 in 64-byte-aligned pieces with the counter advanced equals one call", () => {
    const v = A2[1];
    const n: usize = v.pt.length >> 1;
    const key = pinnedHex(v.key), nonce = pinnedHex(v.nonce);
    const p = pinnedHex(v.pt, 5);
    let done: usize = 0;
    let counter = v.counter;
    while (done < n) {
      const step: usize = n - done < 128 ? n - done : 128;
      chacha20_xor(key, counter, nonce, p + done, p + done, step);
      done += step;
      counter += 2;
    }
    expect(toHex(p, n)).toBe(v.ct);
  });
  it("every length 0..130 is a prefix of the 130-byte keystream", () => {
    const key = pinnedHex(A2[2].key), nonce = pinnedHex(A2[2].nonce);
    const full = pinnedAlloc(130);
    memory.fill(full, 0, 130);
    chacha20_xor(key, 7, nonce, full, full, 130);
    const buf = pinnedAlloc(140, 1);
    for (let len: usize = 0; len <= 130; len++) {
      memory.fill(buf, 0, len);
      store<u8>(buf + len, 0x5a); // the byte after the end must stay untouched
      chacha20_xor(key, 7, nonce, buf, buf, len);
      expect(toHex(buf, len)).toBe(toHex(full, len));
      expect(load<u8>(buf + len)).toBe(0x5a);
    }
  });
});
