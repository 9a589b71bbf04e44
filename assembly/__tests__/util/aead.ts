// The known-answer pattern shared by the AES-GCM and AES-CCM specs: seal a
// vector, open it in place, then flip one tag bit and require that open
// fails and zeroes its output. Both modes share the init/open signatures;
// seal takes the tag length (GCM's spec adapts its fixed 16-byte tag).
import { toHex, hexInto, orBytes } from "./bytes";

export type AeadInit = (ctx: usize, key: usize, keyLen: usize) => i32;
export type AeadCall = (
  ctx: usize, nonce: usize, nonceLen: usize, aad: usize, aadLen: usize,
  src: usize, len: usize, dst: usize, tag: usize, tagLen: usize,
) => i32;

/** Fixed buffers for one mode (held by the instance, so raw pointers into it stay valid). */
export class AeadBench {
  readonly mem: StaticArray<u8> = new StaticArray<u8>(4096);
  readonly ctx: usize;   // `ctxMisalign` past the start: deliberately unaligned
  readonly key: usize;
  readonly nonce: usize;
  readonly aad: usize;
  readonly pt: usize;
  readonly out: usize;   // unaligned
  readonly tag: usize;

  constructor(ctxMisalign: usize, public init: AeadInit, public seal: AeadCall, public open: AeadCall) {
    const m = changetype<usize>(this.mem);
    this.ctx = m + ctxMisalign;
    this.key = m + 1100;
    this.nonce = m + 1200;
    this.aad = m + 1300;
    this.pt = m + 1400;
    this.out = m + 1601;
    this.tag = m + 1800;
  }

  /**
   * Seals and returns ct||tag as hex; also checks open (in place) and that
   * with tag byte `flipAt` xored by `flipMask` open fails and zeroes the output.
   */
  kat(key: string, nonce: string, aad: string, pt: string, tagLen: usize, flipAt: usize, flipMask: u8): string {
    const init = this.init, seal = this.seal, open = this.open;
    const ctx = this.ctx, n = this.nonce, a = this.aad, out = this.out, tag = this.tag;
    const kl = hexInto(key, this.key);
    const nl = hexInto(nonce, n);
    const al = hexInto(aad, a);
    const pl = hexInto(pt, this.pt);
    expect(init(ctx, this.key, kl)).toBe(1);
    expect(seal(ctx, n, nl, a, al, this.pt, pl, out, tag, tagLen)).toBe(1);
    const res = toHex(out, pl) + toHex(tag, tagLen);
    expect(open(ctx, n, nl, a, al, out, pl, out, tag, tagLen)).toBe(1);
    expect(memory.compare(out, this.pt, pl)).toBe(0);
    // re-seal, flip one tag bit: open must fail and zero the output
    seal(ctx, n, nl, a, al, this.pt, pl, out, tag, tagLen);
    store<u8>(tag + flipAt, load<u8>(tag + flipAt) ^ flipMask);
    expect(open(ctx, n, nl, a, al, out, pl, out, tag, tagLen)).toBe(0);
    expect(orBytes(out, pl)).toBe(0);
    return res;
  }
}
