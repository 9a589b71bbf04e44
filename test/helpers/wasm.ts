// Test harness over build/test.wasm, the psk module plus the raw crypto
// primitives as exports (production modules export the engine ABI only):
// lays inputs out in linear memory above __heap_base with a bump pointer
// (optionally at an unaligned offset), calls exports with raw pointers and
// reads results back.
import { instantiateProfile, type Profile } from '../../src/engine/wasm-module.ts';

export type Exports = Record<string, any> & { memory: WebAssembly.Memory; heap_base(): number };

export class Harness {
  readonly x: Exports;
  private base: number;
  private top: number;

  constructor(profile: Profile = 'test') {
    this.x = instantiateProfile(profile).exports as Exports;
    this.base = this.x.heap_base();
    this.top = this.base;
  }

  get mem(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer);
  }

  /** Forget every buffer laid out so far. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `n` bytes starting `misalign` bytes past a 16-byte boundary. */
  alloc(n: number, misalign = 0): number {
    const p = ((this.top + 15) & ~15) + misalign;
    this.top = p + n + 16;
    const need = this.top - this.x.memory.buffer.byteLength;
    if (need > 0) this.x.memory.grow(Math.ceil(need / 65536));
    this.mem.fill(0xa5, p, p + n); // poison: a primitive must not read what it did not write
    return p;
  }

  put(bytes: Uint8Array, misalign = 0): number {
    const p = this.alloc(bytes.length, misalign);
    this.mem.set(bytes, p);
    return p;
  }

  read(p: number, n: number): Uint8Array {
    return this.mem.slice(p, p + n);
  }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** Lengths every differential test covers, around block and record boundaries. */
export const EDGE_LENGTHS = [0, 1, 15, 16, 17, 63, 64, 65, 4095, 16384, 16640];
