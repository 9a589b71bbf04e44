// Poly1305 known answers from RFC 8439: §2.5.2 and Appendix A.3 #1-#11
// (A.3 #5-#11 are the limb/reduction edge cases), plus incremental updates
// split at every offset, unaligned buffers, and context wiping.
import { poly1305, poly1305_init, poly1305_update, poly1305_final, POLY1305_CTX_SIZE } from "../crypto/poly1305";

function pmHex(p: usize, n: usize): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

function pmBytes(hex: string, misalign: usize = 0): usize {
  const n = hex.length >> 1;
  const buf = new StaticArray<u8>(n + 16);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  const p = ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>I32.parseInt(hex.substr(2 * i, 2), 16));
  return p;
}

function pmAlloc(n: usize, misalign: usize = 0): usize {
  const buf = new StaticArray<u8>(<i32>n + 16);
  __pin(changetype<usize>(buf)); // raw pointers escape: keep the GC off this buffer
  return ((changetype<usize>(buf) + 7) & ~(<usize>7)) + misalign;
}

function pmOneShot(keyHex: string, msgHex: string, misalign: usize): string {
  const tag = pmAlloc(16, (misalign + 2) & 7);
  poly1305(pmBytes(keyHex, misalign), pmBytes(msgHex, (misalign + 1) & 7), <usize>(msgHex.length >> 1), tag);
  return pmHex(tag, 16);
}

/** init / update(first `split` bytes) / update(rest) / final. */
function pmSplit(keyHex: string, msgHex: string, split: usize, misalign: usize): string {
  const ctx = pmAlloc(POLY1305_CTX_SIZE, misalign);
  const msg = pmBytes(msgHex, (misalign + 5) & 7);
  const n = <usize>(msgHex.length >> 1);
  const tag = pmAlloc(16);
  poly1305_init(ctx, pmBytes(keyHex));
  poly1305_update(ctx, msg, split);
  poly1305_update(ctx, msg + split, n - split);
  poly1305_final(ctx, tag);
  return pmHex(tag, 16);
}

const KEY_252 = "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b";
const MSG_252 = "43727970746f6772617068696320466f72756d2052657365617263682047726f7570";
const TAG_252 = "a8061dc1305136c6c22b8baf0c0127a9";
const A3_1_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const A3_1_MSG =
  "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
  "00000000000000000000000000000000";
const A3_1_TAG = "00000000000000000000000000000000";
const A3_2_KEY = "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e";
const A3_2_MSG =
  "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472" +
  "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446" +
  "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769" +
  "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572" +
  "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75" +
  "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320" +
  "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e" +
  "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f";
const A3_2_TAG = "36e5f6b5c5e06070f0efca96227a863e";
const A3_3_KEY = "36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000";
const A3_3_MSG =
  "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472" +
  "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446" +
  "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769" +
  "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572" +
  "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75" +
  "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320" +
  "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e" +
  "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f";
const A3_3_TAG = "f3477e7cd95417af89a6b8794c310cf0";
const A3_4_KEY = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
const A3_4_MSG =
  "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64" +
  "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665" +
  "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e";
const A3_4_TAG = "4541669a7eaaee61e708dc7cbcc5eb62";
const A3_5_KEY = "0200000000000000000000000000000000000000000000000000000000000000";
const A3_5_MSG = "ffffffffffffffffffffffffffffffff";
const A3_5_TAG = "03000000000000000000000000000000";
const A3_6_KEY = "02000000000000000000000000000000ffffffffffffffffffffffffffffffff";
const A3_6_MSG = "02000000000000000000000000000000";
const A3_6_TAG = "03000000000000000000000000000000";
const A3_7_KEY = "0100000000000000000000000000000000000000000000000000000000000000";
const A3_7_MSG = "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000";
const A3_7_TAG = "05000000000000000000000000000000";
const A3_8_KEY = "0100000000000000000000000000000000000000000000000000000000000000";
const A3_8_MSG = "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101";
const A3_8_TAG = "00000000000000000000000000000000";
const A3_9_KEY = "0200000000000000000000000000000000000000000000000000000000000000";
const A3_9_MSG = "fdffffffffffffffffffffffffffffff";
const A3_9_TAG = "faffffffffffffffffffffffffffffff";
const A3_10_KEY = "0100000000000000040000000000000000000000000000000000000000000000";
const A3_10_MSG =
  "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000" +
  "01000000000000000000000000000000";
const A3_10_TAG = "14000000000000005500000000000000";
const A3_11_KEY = "0100000000000000040000000000000000000000000000000000000000000000";
const A3_11_MSG = "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000";
const A3_11_TAG = "13000000000000000000000000000000";

describe("Poly1305 (RFC 8439)", () => {
  it("§2.5.2: Cryptographic Forum Research Group", () => {
    for (let m: usize = 0; m < 8; m++) expect(pmOneShot(KEY_252, MSG_252, m)).toBe(TAG_252);
  });
  it("A.3 test vectors #1-#4", () => {
    expect(pmOneShot(A3_1_KEY, A3_1_MSG, 1)).toBe(A3_1_TAG, "A.3 #1");
    expect(pmOneShot(A3_2_KEY, A3_2_MSG, 2)).toBe(A3_2_TAG, "A.3 #2");
    expect(pmOneShot(A3_3_KEY, A3_3_MSG, 3)).toBe(A3_3_TAG, "A.3 #3");
    expect(pmOneShot(A3_4_KEY, A3_4_MSG, 4)).toBe(A3_4_TAG, "A.3 #4");
  });
  it("A.3 test vectors #5-#11 (partial reduction, s overflow, limb carries, h = p, 131-bit intermediates)", () => {
    expect(pmOneShot(A3_5_KEY, A3_5_MSG, 5)).toBe(A3_5_TAG, "A.3 #5");
    expect(pmOneShot(A3_6_KEY, A3_6_MSG, 6)).toBe(A3_6_TAG, "A.3 #6");
    expect(pmOneShot(A3_7_KEY, A3_7_MSG, 7)).toBe(A3_7_TAG, "A.3 #7");
    expect(pmOneShot(A3_8_KEY, A3_8_MSG, 0)).toBe(A3_8_TAG, "A.3 #8");
    expect(pmOneShot(A3_9_KEY, A3_9_MSG, 1)).toBe(A3_9_TAG, "A.3 #9");
    expect(pmOneShot(A3_10_KEY, A3_10_MSG, 2)).toBe(A3_10_TAG, "A.3 #10");
    expect(pmOneShot(A3_11_KEY, A3_11_MSG, 3)).toBe(A3_11_TAG, "A.3 #11");
  });
  it("incremental updates split at every offset agree with the vectors", () => {
    const n: usize = MSG_252.length >> 1;
    for (let i: usize = 0; i <= n; i++) expect(pmSplit(KEY_252, MSG_252, i, i & 7)).toBe(TAG_252);
    const n4: usize = A3_4_MSG.length >> 1;
    for (let i: usize = 0; i <= n4; i++) expect(pmSplit(A3_4_KEY, A3_4_MSG, i, i & 7)).toBe(A3_4_TAG);
    const n10: usize = A3_10_MSG.length >> 1;
    for (let i: usize = 0; i <= n10; i++) expect(pmSplit(A3_10_KEY, A3_10_MSG, i, i & 7)).toBe(A3_10_TAG);
  });
  it("byte-at-a-time updates agree with the one-shot tag", () => {
    const ctx = pmAlloc(POLY1305_CTX_SIZE, 3);
    const msg = pmBytes(A3_2_MSG, 1);
    const tag = pmAlloc(16);
    poly1305_init(ctx, pmBytes(A3_2_KEY));
    const n: usize = A3_2_MSG.length >> 1;
    for (let i: usize = 0; i < n; i++) poly1305_update(ctx, msg + i, 1);
    poly1305_final(ctx, tag);
    expect(pmHex(tag, 16)).toBe(A3_2_TAG);
  });
  it("final wipes the context (key halves, accumulator, buffer)", () => {
    const ctx = pmAlloc(POLY1305_CTX_SIZE);
    poly1305_init(ctx, pmBytes(KEY_252));
    poly1305_update(ctx, pmBytes(MSG_252), 34);
    let before: u32 = 0;
    for (let i: usize = 0; i < POLY1305_CTX_SIZE; i++) before |= load<u8>(ctx + i);
    expect(before).not.toBe(0);
    poly1305_final(ctx, pmAlloc(16));
    let after: u32 = 0;
    for (let i: usize = 0; i < POLY1305_CTX_SIZE; i++) after |= load<u8>(ctx + i);
    expect(after).toBe(0);
  });
});
