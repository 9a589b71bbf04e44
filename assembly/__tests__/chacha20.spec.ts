// ChaCha20 known answers from RFC 8439: §2.3.2 (block function), §2.4.2
// (encryption, "sunscreen"), Appendix A.1 (block function #1-#5) and A.2
// (encryption #1-#3); plus in-place, unaligned and split-call consistency.
import { chacha20_xor, chacha20_block } from "../crypto/chacha20";

function ccHex(p: usize, n: usize): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

/** Copies the bytes of `hex` into a fresh buffer at `misalign` bytes past an 8-byte boundary. */
function ccBytes(hex: string, misalign: usize = 0): usize {
  const n = hex.length >> 1;
  const buf = new StaticArray<u8>(n + 16);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  const p = ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>I32.parseInt(hex.substr(2 * i, 2), 16));
  return p;
}

function ccAlloc(n: usize, misalign: usize = 0): usize {
  const buf = new StaticArray<u8>(<i32>n + 16);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  return ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
}

/** ChaCha20 of `ptHex` under key/nonce/counter, at the given alignment, optionally in place. */
function ccEncrypt(keyHex: string, nonceHex: string, counter: u32, ptHex: string, misalign: usize, inPlace: bool): string {
  const n = <usize>(ptHex.length >> 1);
  const pin = ccBytes(ptHex, misalign);
  const pout = inPlace ? pin : ccAlloc(n, (misalign + 3) & 7);
  chacha20_xor(ccBytes(keyHex, misalign), counter, ccBytes(nonceHex, (misalign + 1) & 7), pin, pout, n);
  return ccHex(pout, n);
}

const KEY_00_1F = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const BLOCK_232 =
  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2" +
  "b5129cd1de164eb9cbd083e8a2503c4e";
const SUNSCREEN_PT =
  "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492063" +
  "6f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" +
  "637265656e20776f756c642062652069742e";
const SUNSCREEN_CT =
  "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357" +
  "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736" +
  "5af90bbf74a35be6b40b8eedf2785e42874d";
const A1_1_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A1_1_NONCE = "000000000000000000000000";
const A1_1_COUNTER: u32 = 0;
const A1_1_KEYSTREAM =
  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a37" +
  "6a43b8f41518a11cc387b669b2ee6586";
const A1_2_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A1_2_NONCE = "000000000000000000000000";
const A1_2_COUNTER: u32 = 1;
const A1_2_KEYSTREAM =
  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed29b721769ce64e43d57133b074d839d5" +
  "31ed1f28510afb45ace10a1f4b794d6f";
const A1_3_KEY = "0000000000000000000000000000000000000000000000000000000000000001";
const A1_3_NONCE = "000000000000000000000000";
const A1_3_COUNTER: u32 = 1;
const A1_3_KEYSTREAM =
  "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a8eca00bbb4a73bdad192b5c42f73f2fd" +
  "4e273644c8b36125a64addeb006c13a0";
const A1_4_KEY = "00ff000000000000000000000000000000000000000000000000000000000000";
const A1_4_NONCE = "000000000000000000000000";
const A1_4_COUNTER: u32 = 2;
const A1_4_KEYSTREAM =
  "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca13b25aa26cb4a648cb9b9d1be65b2c09" +
  "24a66c54d545ec1b7374f4872e99f096";
const A1_5_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A1_5_NONCE = "000000000000000000000002";
const A1_5_COUNTER: u32 = 0;
const A1_5_KEYSTREAM =
  "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c78a970e0e955c14f3a88e741b97c286f7" +
  "5f8fc299e8148362fa198a39531bed6d";
const A2_1_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A2_1_NONCE = "000000000000000000000000";
const A2_1_COUNTER: u32 = 0;
const A2_1_PT =
  "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
  "00000000000000000000000000000000";
const A2_1_CT =
  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a37" +
  "6a43b8f41518a11cc387b669b2ee6586";
const A2_2_KEY = "0000000000000000000000000000000000000000000000000000000000000001";
const A2_2_NONCE = "000000000000000000000002";
const A2_2_COUNTER: u32 = 1;
const A2_2_PT =
  "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472" +
  "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446" +
  "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769" +
  "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572" +
  "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75" +
  "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320" +
  "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e" +
  "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f";
const A2_2_CT =
  "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec2a97948bd3722915c8f3d337f7d37005" +
  "0e9e96d647b7c39f56e031ca5eb6250d4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950" +
  "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85ad00f8449ed8f72d0d662ab052691ca66" +
  "424bc86d2df80ea41f43abf937d3259dc4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b" +
  "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6ccc3aaf9f3979c92b3720fc88dc95ed84" +
  "a1be059c6499b9fda236e7e818b04b0bc39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f" +
  "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e698ced759c3ff9b6477338f3da4f9cd85" +
  "14ea9982ccafb341b2384dd902f3d1ab7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221";
const A2_3_KEY = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
const A2_3_NONCE = "000000000000000000000002";
const A2_3_COUNTER: u32 = 42;
const A2_3_PT =
  "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64" +
  "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665" +
  "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e";
const A2_3_CT =
  "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf166d3df2d721caf9b21e5fb14c616871" +
  "fd84c54f9d65b283196c7fe4f60553ebf39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77" +
  "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1";

describe("ChaCha20 block function (RFC 8439)", () => {
  it("§2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1", () => {
    const out = ccAlloc(64);
    chacha20_block(ccBytes(KEY_00_1F), 1, ccBytes("000000090000004a00000000"), out);
    expect(ccHex(out, 64)).toBe(BLOCK_232);
  });
  it("A.1 test vectors #1-#5", () => {
    const out = ccAlloc(64, 1);
    chacha20_block(ccBytes(A1_1_KEY), A1_1_COUNTER, ccBytes(A1_1_NONCE), out);
    expect(ccHex(out, 64)).toBe(A1_1_KEYSTREAM, "A.1 #1");
    chacha20_block(ccBytes(A1_2_KEY), A1_2_COUNTER, ccBytes(A1_2_NONCE), out);
    expect(ccHex(out, 64)).toBe(A1_2_KEYSTREAM, "A.1 #2");
    chacha20_block(ccBytes(A1_3_KEY), A1_3_COUNTER, ccBytes(A1_3_NONCE), out);
    expect(ccHex(out, 64)).toBe(A1_3_KEYSTREAM, "A.1 #3");
    chacha20_block(ccBytes(A1_4_KEY), A1_4_COUNTER, ccBytes(A1_4_NONCE), out);
    expect(ccHex(out, 64)).toBe(A1_4_KEYSTREAM, "A.1 #4");
    chacha20_block(ccBytes(A1_5_KEY), A1_5_COUNTER, ccBytes(A1_5_NONCE), out);
    expect(ccHex(out, 64)).toBe(A1_5_KEYSTREAM, "A.1 #5");
  });
  it("chacha20_block works when key, nonce and output are the same buffer", () => {
    const p = ccAlloc(64); // all-zero key; its first 12 bytes double as the zero nonce
    memory.fill(p, 0, 64);
    expect(A1_2_KEY + A1_2_NONCE).toBe("0".repeat(88)); // A.1 #2 is that zero key and nonce
    chacha20_block(p, A1_2_COUNTER, p, p);
    expect(ccHex(p, 64)).toBe(A1_2_KEYSTREAM);
  });
});

describe("ChaCha20 encryption (RFC 8439)", () => {
  it("§2.4.2 sunscreen, every alignment, separate and in place", () => {
    for (let m: usize = 0; m < 8; m++) {
      expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN_PT, m, false)).toBe(SUNSCREEN_CT);
      expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN_PT, m, true)).toBe(SUNSCREEN_CT);
    }
  });
  it("decryption is the same operation", () => {
    expect(ccEncrypt(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN_CT, 3, true)).toBe(SUNSCREEN_PT);
  });
  it("A.2 test vectors #1-#3", () => {
    expect(ccEncrypt(A2_1_KEY, A2_1_NONCE, A2_1_COUNTER, A2_1_PT, 0, false)).toBe(A2_1_CT, "A.2 #1");
    expect(ccEncrypt(A2_1_KEY, A2_1_NONCE, A2_1_COUNTER, A2_1_PT, 3, true)).toBe(A2_1_CT, "A.2 #1 in place");
    expect(ccEncrypt(A2_2_KEY, A2_2_NONCE, A2_2_COUNTER, A2_2_PT, 1, false)).toBe(A2_2_CT, "A.2 #2");
    expect(ccEncrypt(A2_2_KEY, A2_2_NONCE, A2_2_COUNTER, A2_2_PT, 4, true)).toBe(A2_2_CT, "A.2 #2 in place");
    expect(ccEncrypt(A2_3_KEY, A2_3_NONCE, A2_3_COUNTER, A2_3_PT, 2, false)).toBe(A2_3_CT, "A.2 #3");
    expect(ccEncrypt(A2_3_KEY, A2_3_NONCE, A2_3_COUNTER, A2_3_PT, 5, true)).toBe(A2_3_CT, "A.2 #3 in place");
  });
  it("A.2 #2 in 64-byte-aligned pieces with the counter advanced equals one call", () => {
    const n: usize = A2_2_PT.length >> 1;
    const key = ccBytes(A2_2_KEY), nonce = ccBytes(A2_2_NONCE);
    const p = ccBytes(A2_2_PT, 5);
    let done: usize = 0;
    let counter = A2_2_COUNTER;
    while (done < n) {
      const step: usize = n - done < 128 ? n - done : 128;
      chacha20_xor(key, counter, nonce, p + done, p + done, step);
      done += step;
      counter += 2;
    }
    expect(ccHex(p, n)).toBe(A2_2_CT);
  });
  it("every length 0..130 is a prefix of the 130-byte keystream", () => {
    const key = ccBytes(A2_3_KEY), nonce = ccBytes(A2_3_NONCE);
    const full = ccAlloc(130);
    memory.fill(full, 0, 130);
    chacha20_xor(key, 7, nonce, full, full, 130);
    const buf = ccAlloc(140, 1);
    for (let len: usize = 0; len <= 130; len++) {
      memory.fill(buf, 0, len);
      store<u8>(buf + len, 0x5a); // the byte after the end must stay untouched
      chacha20_xor(key, 7, nonce, buf, buf, len);
      expect(ccHex(buf, len)).toBe(ccHex(full, len));
      expect(load<u8>(buf + len)).toBe(0x5a);
    }
  });
});
