// TLS 1.2 PSK handshakes per second, the tlsrt engine against node:tls, in
// one process over loopback (`node --import tsx bench/handshake-tls12.ts`):
//   client: tlsrt engine client vs node:tls client, against the same node:tls server
//   server: tlsrt engine server vs node:tls server, with the same node:tls client
// for PSK-AES128-GCM-SHA256 (plain PSK) and ECDHE-PSK-CHACHA20-POLY1305
// (X25519). The node:tls-shaped host does not speak TLS 1.2 yet, so tlsrt
// runs here as the bare engine (src/engine) behind a minimal socket pump
// that has the surface bench/handshake-loop.ts measures; the loop, the
// alternating rounds and the CPU accounting are bench/handshake.ts's. The
// pump does less per connection than the host's actor and stream would, so
// this row is the engine's share, not yet the host's.
import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import { Engine, type Conn } from '../src/engine/engine.ts';
import { ServerSide, compareRates, handshake, type Pairing, type Rate, type TlsServerLike, type TlsSocketLike } from './handshake-loop.ts';

const PSK = Buffer.alloc(32, 7);
const ID = 'bench-device';
const MS = Number(process.env.BENCH_MS ?? 3000);
const engine = new Engine({ slots: 16 });

/** One engine connection over a net.Socket, with the TlsSocketLike surface. */
class EngineSocket extends EventEmitter implements TlsSocketLike {
  destroyed = false;
  closed = false;
  private inbox: Buffer = Buffer.alloc(0);
  constructor(readonly conn: Conn, readonly socket: net.Socket, private readonly onOpen: (s: EngineSocket) => void) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.inbox = this.inbox.length ? Buffer.concat([this.inbox, d]) : d;
      this.pump();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.conn.close();
      this.closed = true;
      this.emit('close');
    });
  }
  pump(): void {
    for (let moved = true; moved && !this.conn.isClosed; ) {
      moved = false;
      for (const ev of this.conn.events()) {
        moved = true;
        if (ev.kind === 'clientHello') this.conn.helloReply({ psk: ev.identity.toString() === ID ? PSK : null });
        else if (ev.kind === 'handshake') this.onOpen(this);
        else if (ev.kind === 'error') this.emit('error', new Error(ev.reason));
      }
      const out = this.conn.takeOutput();
      if (out) {
        this.socket.write(out);
        moved = true;
      }
      if (this.inbox.length) {
        const n = this.conn.feed(this.inbox);
        if (n) {
          this.inbox = this.inbox.subarray(n);
          moved = true;
        }
      }
    }
  }
  destroy(): void {
    this.destroyed = true;
    this.socket.destroy();
  }
  getEphemeralKeyInfo(): object | null {
    return this.conn.kx === 'psk_dhe_ke' ? { name: 'X25519' } : {};
  }
  getCipher() {
    const name = this.conn.suite ?? '?';
    return { name, standardName: name };
  }
}

const v12 = (suite: string) => ({ suites: [suite], minVersion: 'TLSv1.2' as const, maxVersion: 'TLSv1.2' as const });

function listenNode(suite: string): Promise<ServerSide> {
  const server = tls.createServer({ ciphers: suite, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', pskCallback: (_s, id) => (id === ID ? PSK : null) });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(new ServerSide(server))));
}

function listenEngine(suite: string): Promise<ServerSide> {
  const emitter = new EventEmitter() as EventEmitter & TlsServerLike;
  const server = net.createServer((sock) => {
    const es = new EngineSocket(engine.open('server', v12(suite)), sock, (s) => emitter.emit('secureConnection', s));
    es.pump();
  });
  emitter.address = () => server.address();
  emitter.close = (cb?: () => void) => server.close(cb);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(new ServerSide(emitter))));
}

const nodeClient = (suite: string) => (port: number): TlsSocketLike => tls.connect({
  port, host: '127.0.0.1', ciphers: suite, maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined,
  pskCallback: () => ({ psk: PSK, identity: ID }),
}) as unknown as TlsSocketLike;

const engineClient = (suite: string) => (port: number): TlsSocketLike => {
  const sock = net.connect(port, '127.0.0.1');
  const es = new EngineSocket(engine.open('client', { ...v12(suite), pskIdentity: Buffer.from(ID), psk: PSK }), sock, (s) => s.emit('secureConnect'));
  sock.on('connect', () => es.pump());
  return es;
};

/** node:tls reports the IANA name as standardName; the engine socket above the OpenSSL name. */
const IANA: Record<string, string> = {
  'PSK-AES128-GCM-SHA256': 'TLS_PSK_WITH_AES_128_GCM_SHA256',
  'ECDHE-PSK-CHACHA20-POLY1305': 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256',
};

/** Checks that a pairing negotiates `suite`: the row measures what it says. */
async function check(p: Pairing, suite: string, what: string): Promise<Pairing> {
  const got = await handshake(p.server, p.connect);
  if (got.suite !== suite && got.suite !== IANA[suite]) throw new Error(`${what}: negotiated ${got.suite}, not ${suite}`);
  return p;
}

interface Row { name: string; tlsrt: Rate; node: Rate }
const out: Row[] = [];
for (const suite of ['PSK-AES128-GCM-SHA256', 'ECDHE-PSK-CHACHA20-POLY1305']) {
  const node = await listenNode(suite);
  const rt = await listenEngine(suite);
  try {
    const nodeToNode = await check({ server: node, connect: nodeClient(suite) }, suite, 'node -> node');
    const rtToNode = await check({ server: node, connect: engineClient(suite) }, suite, 'tlsrt -> node');
    const nodeToRt = await check({ server: rt, connect: nodeClient(suite) }, suite, 'node -> tlsrt');
    const [c1, c2] = await compareRates(rtToNode, nodeToNode, MS);
    out.push({ name: `client, ${suite}`, tlsrt: c1, node: c2 });
    const [s1, s2] = await compareRates(nodeToRt, nodeToNode, MS);
    out.push({ name: `server, ${suite}`, tlsrt: s1, node: s2 });
  } finally {
    node.server.close();
    rt.server.close();
  }
}

console.log(`\ntlsrt TLS 1.2 PSK handshake benchmark (engine level) — node ${process.version}, ${process.arch}`);
console.log(`sequential handshakes over loopback, each complete on both ends then closed; ${MS} ms per implementation and row, 10 alternating rounds after 200 warm-up handshakes each`);
const f = (x: number) => x.toFixed(0).padStart(9);
console.log(`${'handshakes/s'.padEnd(40)} ${'tlsrt'.padStart(9)} ${'node:tls'.padStart(9)}  tlsrt/node   CPU µs/hs: ${'tlsrt'.padStart(6)} ${'node'.padStart(6)}`);
for (const r of out) {
  const us = (x: number) => x.toFixed(0).padStart(6);
  console.log(`${r.name.padEnd(40)} ${f(r.tlsrt.perSec)} ${f(r.node.perSec)}  ${(r.tlsrt.perSec / r.node.perSec).toFixed(2).padStart(9)}x              ${us(r.tlsrt.cpuUsPerHandshake)} ${us(r.node.cpuUsPerHandshake)}`);
}
process.exit(0);
