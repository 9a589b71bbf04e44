// Two in-process stream ends wired back to back, with backpressure as a TCP
// connection has it but small and exact: what one end writes waits in the
// other end's readable buffer (up to its highWaterMark), and a write whose
// bytes the reader has not made room for is not acknowledged — so a reader
// that never reads makes the writer's writableLength grow, exactly as a
// socket whose peer stopped reading (with no kernel buffers in between).
import { Duplex } from 'node:stream';

class PairEnd extends Duplex {
  peer!: PairEnd;
  private held: (() => void) | null = null;

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.peer.push(chunk)) cb();
    else this.peer.held = cb; // acknowledged once the peer reads
  }

  override _read(): void {
    const cb = this.held;
    this.held = null;
    cb?.();
  }

  override _final(cb: () => void): void {
    this.peer.push(null);
    cb();
  }
}

export function duplexPair(highWaterMark = 16384): [Duplex, Duplex] {
  const a = new PairEnd({ highWaterMark, allowHalfOpen: true });
  const b = new PairEnd({ highWaterMark, allowHalfOpen: true });
  a.peer = b;
  b.peer = a;
  return [a, b];
}
