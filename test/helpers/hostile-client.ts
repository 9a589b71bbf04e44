// A TLS 1.3 PSK client that misbehaves on purpose, for the flood tests: a
// tlsrt engine slot over a raw TCP socket does the handshake (so it works
// against tlsrt and node:tls servers alike), then the test writes whatever
// records it likes — the engine's own (KeyUpdates, data), or records sealed
// by hand from the key-log secrets (empty application data) — and decides
// when, or whether, to read what the server sends back.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { Engine, type Conn } from '../../src/engine/engine.ts';
import { RecordKey, splitRecords } from './tamper.ts';

export interface HostileClient {
  conn: Conn;
  socket: net.Socket;
  /** The negotiated suite and the client's application write key (for hand-sealed records). */
  suite: string;
  clientKey: RecordKey;
  serverKey: RecordKey;
  /** Bytes the server sent after the handshake, not given to the engine (the client may never read them). */
  readonly received: Buffer[];
  /** Writes the engine's pending output to the socket; returns its length. */
  flushEngine(): number;
  close(): void;
}

/** `to`: a TCP port on 127.0.0.1, or a stream end already connected to the server. */
export async function hostileClient(to: number | Duplex, psk: Buffer, identity: string, suite = 'TLS_AES_128_GCM_SHA256'): Promise<HostileClient> {
  const engine = new Engine({ slots: 1 });
  const conn = engine.open('client', { pskIdentity: Buffer.from(identity), psk, keylog: true, suites: [suite] });
  const socket = (typeof to === 'number' ? net.connect(to, '127.0.0.1') : to) as net.Socket;
  socket.on('error', () => {});
  const secrets = new Map<string, Buffer>();
  const received: Buffer[] = [];
  let handshaken = false;
  let inbox = Buffer.alloc(0);
  const pump = () => {
    for (let moved = true; moved && !conn.isClosed; ) {
      moved = false;
      const out = conn.takeOutput();
      if (out) {
        socket.write(out);
        moved = true;
      }
      for (const ev of conn.events()) {
        moved = true;
        if (ev.kind === 'keylog') {
          const [label, , secret] = ev.line.trim().split(' ');
          secrets.set(label, Buffer.from(secret, 'hex'));
        } else if (ev.kind === 'handshake') handshaken = true;
        else if (ev.kind === 'error') throw new Error(`hostile client handshake failed: ${ev.reason}`);
      }
      if (handshaken) return;
      if (inbox.length) {
        const n = conn.feed(inbox);
        inbox = inbox.subarray(n);
        if (n) moved = true;
      }
    }
  };
  const done = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (handshaken) {
        received.push(d);
        return;
      }
      inbox = Buffer.concat([inbox, d]);
      try {
        pump();
      } catch (e) {
        reject(e);
        return;
      }
      if (handshaken) {
        // What came in the same segments after the server's Finished is post-handshake traffic.
        if (inbox.length) received.push(inbox);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('hostile client: closed during the handshake')));
  });
  if (typeof to === 'number') await once(socket, 'connect');
  pump();
  await done;
  const negotiated = conn.suite!;
  return {
    conn,
    socket,
    suite: negotiated,
    clientKey: new RecordKey(negotiated, secrets.get('CLIENT_TRAFFIC_SECRET_0')!),
    serverKey: new RecordKey(negotiated, secrets.get('SERVER_TRAFFIC_SECRET_0')!),
    received,
    flushEngine() {
      const out = conn.takeOutput();
      if (!out) return 0;
      socket.write(out);
      return out.length;
    },
    close() {
      conn.close();
      socket.destroy();
    },
  };
}

/** The alerts (level, description) in `bytes`, opened with the server's application key from record `seq` on. */
export function alertsIn(bytes: Buffer, key: RecordKey, seq = 0): { level: number; desc: number }[] {
  const out: { level: number; desc: number }[] = [];
  for (const rec of splitRecords(bytes).records) {
    const inner = key.open(rec, seq++);
    if (!inner) continue;
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (inner[end - 1] === 21) out.push({ level: inner[0], desc: inner[1] });
  }
  return out;
}
