// The framing that lets one emulated UART carry logs, results and a TCP
// connection's bytes (boards/emulated/fw_main.c has the firmware side):
// type (1 byte), payload length (u16 little endian), payload.
export interface Frame {
  type: string;
  payload: Buffer;
}

export function frame(type: string, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  if (payload.length > 0xffff) throw new RangeError('UART frame payload over 65535 bytes');
  const h = Buffer.from([type.charCodeAt(0), payload.length & 0xff, payload.length >> 8]);
  return Buffer.concat([h, payload]);
}

/** Splits a byte stream into frames, however it is chunked. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 3) {
      const len = this.buf[1] | (this.buf[2] << 8);
      if (this.buf.length < 3 + len) break;
      out.push({ type: String.fromCharCode(this.buf[0]), payload: this.buf.subarray(3, 3 + len) });
      this.buf = this.buf.subarray(3 + len);
    }
    return out;
  }

  /** Bytes of an incomplete frame still waiting. */
  get pending(): number {
    return this.buf.length;
  }
}
