// Poly1305 known answers from RFC 8439: §2.5.2 and Appendix A.3 #1-#11
// (A.3 #5-#11 are the limb/reduction edge cases), plus incremental updates
// split at every offset, unaligned buffers, and context wiping.
import { poly1305, poly1305_init, poly1305_update, poly1305_final, POLY1305_CTX_SIZE } from "../crypto/poly1305";
import { toHex, pinnedHex, pinnedAlloc, orBytes } from "./util/bytes";
import { ZERO_KEY, KEY_1C92, IETF_SUBMISSION, JABBERWOCKY, MacVector } from "./util/rfc8439";

function pmOneShot(keyHex: string, msgHex: string, misalign: usize): string {
  const tag = pinnedAlloc(16, (misalign + 2) & 7);
  poly1305(pinnedHex(keyHex, misalign), pinnedHex(msgHex, (misalign + 1) & 7), <usize>(msgHex.length >> 1), tag);
  return toHex(tag, 16);
}

/** init / update(first `split` bytes) / update(rest) / final. */
function pmSplit(keyHex: string, msgHex: string, split: usize, misalign: usize): string {
  const ctx = pinnedAlloc(POLY1305_CTX_SIZE, misalign);
  const msg = pinnedHex(msgHex, (misalign + 5) & 7);
  const n = <usize>(msgHex.length >> 1);
  const tag = pinnedAlloc(16);
  poly1305_init(ctx, pinnedHex(keyHex));
  poly1305_update(ctx, msg, split);
  poly1305_update(ctx, msg + split, n - split);
  poly1305_final(ctx, tag);
  return toHex(tag, 16);
}

const KEY_252 = "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b";
const MSG_252 = "43727970746f6772617068696320466f72756d2052657365617263682047726f7570";
const TAG_252 = "a8061dc1305136c6c22b8baf0c0127a9";

/** Appendix A.3, test vectors #1-#11 (A3[n - 1] is #n). */
const A3: MacVector[] = [
  new MacVector(ZERO_KEY, "00".repeat(64), "00000000000000000000000000000000"),
  new MacVector("0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e", IETF_SUBMISSION, "36e5f6b5c5e06070f0efca96227a863e"),
  new MacVector("36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000", IETF_SUBMISSION, "f3477e7cd95417af89a6b8794c310cf0"),
  new MacVector(KEY_1C92, JABBERWOCKY, "4541669a7eaaee61e708dc7cbcc5eb62"),
  new MacVector("0200000000000000000000000000000000000000000000000000000000000000",
    "ffffffffffffffffffffffffffffffff", "03000000000000000000000000000000"),
  new MacVector("02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
    "02000000000000000000000000000000", "03000000000000000000000000000000"),
  new MacVector("0100000000000000000000000000000000000000000000000000000000000000",
    "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000", "05000000000000000000000000000000"),
  new MacVector("0100000000000000000000000000000000000000000000000000000000000000",
    "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101", "00000000000000000000000000000000"),
  new MacVector("0200000000000000000000000000000000000000000000000000000000000000",
    "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff"),
  new MacVector("0100000000000000040000000000000000000000000000000000000000000000",
    "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000" +
    "01000000000000000000000000000000", "14000000000000005500000000000000"),
  new MacVector("0100000000000000040000000000000000000000000000000000000000000000",
    "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000", "13000000000000000000000000000000"),
];

/** A.3 #first..#last, one-shot, vector #n at misalignment n mod 8. */
function expectA3(first: i32, last: i32): void {
  for (let n = first; n <= last; n++) {
    const v = A3[n - 1];
    expect(pmOneShot(v.key, v.msg, <usize>(n & 7))).toBe(v.tag, "A.3 #" + n.toString());
  }
}

/** Every split point of the vector's message, at rotating misalignments. */
function expectSplits(key: string, msg: string, tag: string): void {
  const n: usize = msg.length >> 1;
  for (let i: usize = 0; i <= n; i++) expect(pmSplit(key, msg, i, i & 7)).toBe(tag);
}

describe("Poly1305 (RFC 8439)", () => {
  it("§2.5.2: Cryptographic Forum Research Group", () => {
    for (let m: usize = 0; m < 8; m++) expect(pmOneShot(KEY_252, MSG_252, m)).toBe(TAG_252);
  });
  it("A.3 test vectors #1-#4", () => {
    expectA3(1, 4);
  });
  it("A.3 test vectors #5-#11 (partial reduction, s overflow, limb carries, h = p, 131-bit intermediates)", () => {
    expectA3(5, 11);
  });
  it("incremental updates split at every offset agree with the vectors", () => {
    expectSplits(KEY_252, MSG_252, TAG_252);
    expectSplits(A3[3].key, A3[3].msg, A3[3].tag);
    expectSplits(A3[9].key, A3[9].msg, A3[9].tag);
  });
  it("byte-at-a-time updates agree with the one-shot tag", () => {
    const ctx = pinnedAlloc(POLY1305_CTX_SIZE, 3);
    const v = A3[1];
    const msg = pinnedHex(v.msg, 1);
    const tag = pinnedAlloc(16);
    poly1305_init(ctx, pinnedHex(v.key));
    const n: usize = v.msg.length >> 1;
    for (let i: usize = 0; i < n; i++) poly1305_update(ctx, msg + i, 1);
    poly1305_final(ctx, tag);
    expect(toHex(tag, 16)).toBe(v.tag);
  });
  it("final wipes the context (key halves, accumulator, buffer)", () => {
    const ctx = pinnedAlloc(POLY1305_CTX_SIZE);
    poly1305_init(ctx, pinnedHex(KEY_252));
    poly1305_update(ctx, pinnedHex(MSG_252), 34);
    expect(orBytes(ctx, POLY1305_CTX_SIZE)).not.toBe(0);
    poly1305_final(ctx, pinnedAlloc(16));
    expect(orBytes(ctx, POLY1305_CTX_SIZE)).toBe(0);
  });
});
