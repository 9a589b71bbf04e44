// Drives engine connections in tests: two Conns wired back to back in
// memory, or one Conn over a real TCP socket to node:tls / openssl.
import net from 'node:net';
import { Conn, type EngineEvent } from '../../src/engine/engine.ts';

export interface Side {
  conn: Conn;
  events: EngineEvent[];
  app: Buffer[];
  /** Answers a server's clientHello event; default: none (the test answers). */
  onHello?: (ev: EngineEvent & { kind: 'clientHello' }) => { psk?: Uint8Array | null; alpn?: string; abort?: number };
}

export function side(conn: Conn, onHello?: Side['onHello']): Side {
  return { conn, events: [], app: [], onHello };
}

/** Delivers everything each side has for the other until nothing moves. */
export function shuttle(a: Side, b: Side, maxRounds = 10000): void {
  const pending = new Map<Side, Buffer>([[a, Buffer.alloc(0)], [b, Buffer.alloc(0)]]);
  for (let round = 0; round < maxRounds; round++) {
    let moved = false;
    for (const [from, to] of [[a, b], [b, a]] as const) {
      moved = drain(from) || moved;
      const out = from.conn.takeOutput();
      if (out) {
        pending.set(to, Buffer.concat([pending.get(to)!, out]));
        moved = true;
      }
      const inbox = pending.get(to)!;
      if (inbox.length && !to.conn.isClosed) {
        const n = to.conn.feed(inbox);
        if (n) {
          pending.set(to, inbox.subarray(n));
          moved = true;
        }
      }
    }
    if (!moved) return;
  }
  throw new Error('shuttle: no quiescence');
}

/** Takes events and plaintext out of one side; answers hello events. */
export function drain(s: Side): boolean {
  let moved = false;
  if (s.conn.isClosed) return false;
  for (const ev of s.conn.events()) {
    s.events.push(ev);
    moved = true;
    if (ev.kind === 'clientHello' && s.onHello) s.conn.helloReply(s.onHello(ev));
  }
  let d;
  while ((d = s.conn.readApp())) {
    s.app.push(Buffer.from(d));
    moved = true;
  }
  return moved;
}

/** Writes all of `data` through a pair, shuttling as the send buffer fills. */
export function sendAll(from: Side, to: Side, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    const n = from.conn.writeApp(data.subarray(off));
    off += n;
    shuttle(from, to);
    if (n === 0 && from.conn.state !== 'open') throw new Error(`sendAll: connection ${from.conn.state}`);
  }
}

export const kinds = (s: Side): string[] => s.events.map((e) => e.kind);

/**
 * Runs a Conn over a TCP socket until `done` resolves true, the socket
 * closes, or the timeout passes. Calls `onEvent` for every engine event and
 * `onData` for plaintext.
 */
export function overSocket(
  conn: Conn,
  socket: net.Socket,
  hooks: {
    onEvent?: (ev: EngineEvent, conn: Conn) => void;
    onData?: (d: Buffer, conn: Conn) => void;
    timeoutMs?: number;
  } = {},
): { kick: () => void; closed: Promise<void> } {
  let inbox = Buffer.alloc(0);
  const kick = () => {
    for (let guard = 0; guard < 100000 && !conn.isClosed; guard++) {
      let moved = false;
      const out = conn.takeOutput();
      if (out) {
        if (!socket.destroyed) socket.write(out);
        moved = true;
      }
      for (const ev of conn.events()) {
        moved = true;
        hooks.onEvent?.(ev, conn);
      }
      let d;
      while ((d = conn.readApp())) {
        moved = true;
        hooks.onData?.(Buffer.from(d), conn);
      }
      if (inbox.length && !conn.isClosed) {
        const n = conn.feed(inbox);
        if (n) {
          inbox = inbox.subarray(n);
          moved = true;
        }
      }
      if (!moved) break;
    }
  };
  socket.on('data', (d: Buffer) => {
    inbox = inbox.length ? Buffer.concat([inbox, d]) : d;
    kick();
  });
  socket.on('connect', kick);
  const closed = new Promise<void>((resolve) => {
    const t = setTimeout(() => socket.destroy(), hooks.timeoutMs ?? 10000);
    socket.on('close', () => {
      clearTimeout(t);
      resolve();
    });
    socket.on('error', () => {});
  });
  return { kick, closed };
}
