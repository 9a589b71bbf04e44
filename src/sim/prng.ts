// A small, fast, deterministic pseudo-random generator for the simulator:
// packet loss, jitter, which board does what when. A fleet run must repeat
// exactly for the same seed, so every random choice in src/sim comes from a
// Prng seeded from a string or number — never from Math.random.
//
// The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting
// generator: 128 bits of state, passes PractRand, four 32-bit adds/xors/
// rotates per output), seeded by SHA-256 so that similar seeds ('board-1',
// 'board-2') give unrelated streams. fork(label) derives an independent
// stream from the seed and a label rather than from the parent's state, so
// adding a new consumer of randomness does not shift the numbers any other
// consumer sees (the loss pattern of link 7 must not change because link 3
// started drawing jitter).
//
// Not cryptographic. Never use it for keys, nonces or anything secret.
import { hash } from 'node:crypto';

export class Prng {
  /** The seed this stream was derived from (forks append `/label`). */
  readonly seed: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    this.seed = String(seed);
    const h = hash('sha256', `tlsrt-prng:${this.seed}`, 'buffer');
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    // sfc32 wants a few rounds to mix a fresh state before its output is good.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in 0..n-1 (n a positive integer). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Prng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** True with probability p (p <= 0: never, p >= 1: always; still draws one number so streams stay aligned). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An independent stream derived from this stream's seed and `label` (not from its current state). */
  fork(label: string): Prng {
    return new Prng(`${this.seed}/${label}`);
  }
}
