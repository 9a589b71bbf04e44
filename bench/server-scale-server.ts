// The server half of bench/server-scale.ts, run in its own process so its
// memory is the server's alone: a tlsrt or node:tls PSK server on 127.0.0.1
// that counts connections and, when asked over IPC, reports its memory
// after a full garbage collection and the bytes it has read. Started with
// --expose-gc. Its secure connections only read (and drop) what they get.
import tls from 'node:tls';
import type net from 'node:net';
import tlsrt from '../src/index.ts';
import { poolStats } from '../src/tls/engine-pool.ts';

const impl = process.argv[2] as 'tlsrt' | 'node:tls';
const PSK = Buffer.alloc(32, 7);
const opts = {
  ciphers: 'TLS_AES_128_GCM_SHA256',
  pskCallback: (_s: unknown, id: string) => (id === 'bench' ? PSK : null),
  handshakeTimeout: 600_000, // the bench ends every connection itself
};
const server = (impl === 'tlsrt' ? tlsrt.createServer(opts as never) : tls.createServer(opts)) as unknown as net.Server;
const sockets = new Set<net.Socket>();
let open = 0;
let accepted = 0;
let waitAccepted = -1;
let waitClosed = false;
const send = (m: object) => process.send!(m);
server.on('connection', (s: net.Socket) => {
  sockets.add(s);
  open++;
  accepted++;
  if (accepted === waitAccepted) {
    waitAccepted = -1;
    send({ type: 'accepted', n: accepted });
  }
  s.once('close', () => {
    sockets.delete(s);
    open--;
    if (open === 0 && waitClosed) {
      waitClosed = false;
      send({ type: 'closed' });
    }
  });
});
server.on('tlsClientError', () => {});
server.on('secureConnection', (s: net.Socket) => {
  s.on('data', () => {});
  s.on('error', () => {});
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => send({ type: 'listening', port: (server.address() as net.AddressInfo).port }));

const gc = (globalThis as { gc?: () => void }).gc!;
process.on('message', (m: { cmd: string; n?: number }) => {
  if (m.cmd === 'mem') {
    // Two rounds let finalizers run and what they free be collected too.
    gc();
    setImmediate(() => {
      gc();
      const u = process.memoryUsage();
      send({ type: 'mem', rss: u.rss, heap: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers, engines: impl === 'tlsrt' ? poolStats().engines : 0 });
    });
  } else if (m.cmd === 'expectAccepted') {
    if (accepted >= m.n!) send({ type: 'accepted', n: accepted });
    else waitAccepted = m.n!;
  } else if (m.cmd === 'expectClosed') {
    if (open === 0) send({ type: 'closed' });
    else waitClosed = true;
  } else if (m.cmd === 'bytesRead') {
    let n = 0;
    for (const s of sockets) n += s.bytesRead;
    send({ type: 'bytesRead', n });
  } else if (m.cmd === 'exit') {
    process.exit(0);
  }
});
