// A TCP relay on 127.0.0.1 that counts what crosses it: bytes in each
// direction and, since every byte of a TLS connection is framed in records,
// the records too (header by header, however TCP splits them). Put between a
// client and a server it measures "bytes on the wire" the same way for any
// TLS stack, node:tls included (whose sockets write below JavaScript).
import net from 'node:net';

/** Bytes and TLS records one direction of a relayed connection carried. */
export class DirectionCount {
  bytes = 0;
  records = 0;
  /** Bytes still to skip before the next record header, or header bytes seen so far. */
  private body = 0;
  private header: number[] = [];

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (this.body > 0) {
        const n = Math.min(this.body, chunk.length - i);
        this.body -= n;
        i += n;
        continue;
      }
      this.header.push(chunk[i++]);
      if (this.header.length === 5) {
        this.records++;
        this.body = (this.header[3] << 8) | this.header[4];
        this.header = [];
      }
    }
  }
}

export interface Relay {
  port: number;
  /** Client → server and server → client, summed over every connection relayed. */
  up: DirectionCount;
  down: DirectionCount;
  close(): Promise<void>;
}

/** Relays every connection to 127.0.0.1:`target`, counting both directions. */
export async function countingRelay(target: number): Promise<Relay> {
  const up = new DirectionCount();
  const down = new DirectionCount();
  const pairs = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect({ port: target, host: '127.0.0.1' });
    for (const s of [inbound, outbound]) {
      s.setNoDelay(true); // the relay itself must not add Nagle delays
      pairs.add(s);
      s.on('close', () => pairs.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.on('data', (d: Buffer) => {
      up.add(d);
      outbound.write(d);
    });
    outbound.on('data', (d: Buffer) => {
      down.add(d);
      inbound.write(d);
    });
    inbound.on('end', () => outbound.end());
    outbound.on('end', () => inbound.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    up,
    down,
    close: () =>
      new Promise<void>((r) => {
        for (const s of pairs) s.destroy();
        server.close(() => r());
      }),
  };
}
