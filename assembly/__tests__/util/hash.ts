// Drivers shared by the SHA-256 and SHA-384/512 specs: the one-shot digest of
// a string, and the streaming forms (uneven pieces, one split point) over raw
// pointers. Callers hold the buffers behind the pointers (see bytes.ts).
import { toHex, utf8, ptr } from "./bytes";

export type Digest = (p: usize, len: usize, out: usize) => void;
export type HashInit = (ctx: usize) => void;
export type HashUpdate = (ctx: usize, p: usize, len: usize) => void;
export type HashFinal = (ctx: usize, out: usize) => void;

/** Hex of the `outLen`-byte digest of the UTF-8 bytes of `msg`. */
export function digestOf(digest: Digest, outLen: i32, msg: string): string {
  const buf = utf8(msg);
  const out = new StaticArray<u8>(outLen);
  digest(ptr(buf), <usize>buf.length, ptr(out));
  return toHex(ptr(out), <usize>outLen);
}

/**
 * init, the `n` bytes at `p` in uneven pieces (1, 10, 73, 514, 601, ...:
 * crosses block edges at every phase), final into `out`.
 */
export function digestInPieces(init: HashInit, update: HashUpdate, final: HashFinal, ctx: usize, p: usize, n: usize, out: usize): void {
  init(ctx);
  let done: usize = 0;
  let step: usize = 1;
  while (done < n) {
    let take = step;
    if (take > n - done) take = n - done;
    update(ctx, p + done, take);
    done += take;
    step = (step * 7 + 3) % 1000;
  }
  final(ctx, out);
}

/** init, update(first `cut` bytes), update(the rest), final into `out`. */
export function digestSplit(init: HashInit, update: HashUpdate, final: HashFinal, ctx: usize, p: usize, n: usize, cut: usize, out: usize): void {
  init(ctx);
  update(ctx, p, cut);
  update(ctx, p + cut, n - cut);
  final(ctx, out);
}
