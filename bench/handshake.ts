// `npm run bench` (second part): TLS 1.3 PSK handshakes per second, tlsrt
// against node:tls, in one process over loopback, both key-exchange modes:
//   client: tlsrt client vs node:tls client, against the same node:tls server
//   server: tlsrt server vs node:tls server, with the same node:tls client
// Each handshake is sequential and complete on both ends (bench/handshake-loop.ts).
//
// psk_dhe_ke is measured in both groups: X25519 (every side's default) and
// P-256 (ecdhCurve 'P-256' on every side, no HelloRetryRequest).
//
// Making node:tls do psk_ke: an OpenSSL client with SSL_OP_ALLOW_NO_DHE_KEX
// offers psk_ke *and* psk_dhe_ke with a key share, and an OpenSSL server (like
// tlsrt's) then prefers psk_dhe_ke. So in the psk_ke rows the node client's
// only group is P-256 and every server's only group is X25519: no common
// group, psk_ke allowed, so the server settles on psk_ke without a
// HelloRetryRequest. The node client still generates that P-256 key share
// (OpenSSL 3.0 cannot offer psk_ke alone), which the client psk_ke row
// charges to node; the tlsrt client simply offers psk_ke alone. Every
// pairing checks what it negotiates before it is timed.
import tls from 'node:tls';
import { constants } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ServerSide, compareRates, handshake, type Pairing, type Rate, type TlsServerLike, type TlsSocketLike } from './handshake-loop.ts';

// tlsrt as a user gets it: the compiled dist/ (`npm run build`, which `npm run
// bench` runs first), not the TypeScript sources through tsx's loader, whose
// transpiled output and source maps would be charged to tlsrt against node:tls's
// compiled JavaScript. BENCH_SRC=1 measures the sources instead.
const distEntry = new URL('../dist/src/index.js', import.meta.url);
const fromSrc = process.env.BENCH_SRC === '1' || !existsSync(distEntry);
const tlsrt = (fromSrc ? await import('../src/index.ts') : await import(distEntry.href)).default as typeof import('../src/index.ts').default;

const PSK = Buffer.alloc(32, 7);
const ID = 'bench-device';
const SUITE = 'TLS_AES_128_GCM_SHA256';
const MS = Number(process.env.BENCH_MS ?? 3000); // per implementation and row
type Mode = 'psk_dhe_ke' | 'psk_ke';
/** A row's key exchange: the mode, and for psk_dhe_ke the group ('X25519' or 'P-256', as ecdhCurve names it). */
interface Kx { mode: Mode; curve?: 'X25519' | 'P-256' }
const KXS: Kx[] = [{ mode: 'psk_dhe_ke', curve: 'X25519' }, { mode: 'psk_dhe_ke', curve: 'P-256' }, { mode: 'psk_ke' }];
/** getEphemeralKeyInfo()'s name for the curve. */
const KEY_NAME: Record<string, string> = { X25519: 'X25519', 'P-256': 'prime256v1' };
const label = (k: Kx) => (k.curve ? `${k.mode} ${k.curve}` : k.mode);
const NO_DHE = constants.SSL_OP_ALLOW_NO_DHE_KEX;

function listen(server: TlsServerLike & { listen(port: number, host: string, cb: () => void): unknown }): Promise<ServerSide> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(new ServerSide(server))));
}

function nodeServer(k: Kx): Promise<ServerSide> {
  return listen(tls.createServer({
    ciphers: SUITE,
    pskCallback: (_s, id) => (id === ID ? PSK : null),
    ...(k.mode === 'psk_ke' ? { secureOptions: NO_DHE, ecdhCurve: 'X25519' } : { ecdhCurve: k.curve }),
  }));
}

function tlsrtServer(k: Kx): Promise<ServerSide> {
  return listen(tlsrt.createServer({
    ciphers: SUITE,
    pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null),
    pskKeyExchangeModes: k.mode === 'psk_ke' ? ['psk_dhe_ke', 'psk_ke'] : ['psk_dhe_ke'],
    ecdhCurve: k.mode === 'psk_ke' ? 'X25519' : k.curve,
  }) as unknown as TlsServerLike & { listen(port: number, host: string, cb: () => void): unknown });
}

const nodeClient = (k: Kx) => (port: number): TlsSocketLike => tls.connect({
  port, host: '127.0.0.1', ciphers: SUITE, checkServerIdentity: () => undefined,
  pskCallback: () => ({ psk: PSK, identity: ID }),
  ...(k.mode === 'psk_ke' ? { secureOptions: NO_DHE, ecdhCurve: 'P-256' } : { ecdhCurve: k.curve }),
}) as unknown as TlsSocketLike;

const tlsrtClient = (k: Kx) => (port: number): TlsSocketLike => tlsrt.connect({
  port, host: '127.0.0.1', ciphers: SUITE,
  pskCallback: () => ({ psk: PSK, identity: ID }),
  pskKeyExchangeModes: [k.mode],
  ...(k.curve ? { ecdhCurve: k.curve } : {}),
}) as unknown as TlsSocketLike;

interface Row { name: string; tlsrt: Rate; node: Rate }

/** Checks that a pairing negotiates SUITE with the row's key exchange: the row measures what it says. */
async function check(p: Pairing, k: Kx, what: string): Promise<Pairing> {
  const got = await handshake(p.server, p.connect);
  const group = k.curve ? KEY_NAME[k.curve] : undefined;
  if (got.kx !== k.mode || got.suite !== SUITE || got.group !== group) {
    throw new Error(`${what}: negotiated ${got.suite} ${got.kx} ${got.group ?? ''}, not ${SUITE} ${label(k)}`);
  }
  return p;
}

async function rows(): Promise<Row[]> {
  const out: Row[] = [];
  for (const k of KXS) {
    const node = await nodeServer(k);
    const rt = await tlsrtServer(k);
    try {
      const nodeToNode = await check({ server: node, connect: nodeClient(k) }, k, 'node client -> node server');
      const rtToNode = await check({ server: node, connect: tlsrtClient(k) }, k, 'tlsrt client -> node server');
      const nodeToRt = await check({ server: rt, connect: nodeClient(k) }, k, 'node client -> tlsrt server');
      const [c1, c2] = await compareRates(rtToNode, nodeToNode, MS);
      out.push({ name: `client, ${label(k)} (server: node:tls)`, tlsrt: c1, node: c2 });
      const [s1, s2] = await compareRates(nodeToRt, nodeToNode, MS);
      out.push({ name: `server, ${label(k)} (client: node:tls)`, tlsrt: s1, node: s2 });
    } finally {
      node.server.close();
      rt.server.close();
    }
  }
  return out;
}

// TLS 1.2 PSK rows: the same loop, both ends restricted to TLS 1.2 and one
// suite (plain PSK and ECDHE-PSK on X25519), through the public API.
const SUITES12 = [
  { name: 'PSK-AES128-GCM-SHA256', standard: 'TLS_PSK_WITH_AES_128_GCM_SHA256', kx: 'psk_ke' },
  { name: 'ECDHE-PSK-CHACHA20-POLY1305', standard: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', kx: 'psk_dhe_ke' },
] as const;
const V12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;

async function rows12(): Promise<Row[]> {
  const out: Row[] = [];
  for (const suite of SUITES12) {
    const opts = { ciphers: suite.name, ...V12, ecdhCurve: 'X25519' };
    const node = await listen(tls.createServer({ ...opts, pskCallback: (_s, id) => (id === ID ? PSK : null) }));
    const rt = await listen(tlsrt.createServer({ ...opts, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) }) as unknown as TlsServerLike & { listen(port: number, host: string, cb: () => void): unknown });
    const nodeC = (port: number) => tls.connect({ port, host: '127.0.0.1', ...opts, checkServerIdentity: () => undefined, pskCallback: () => ({ psk: PSK, identity: ID }) }) as unknown as TlsSocketLike;
    const rtC = (port: number) => tlsrt.connect({ port, host: '127.0.0.1', ...opts, checkServerIdentity: () => undefined, pskCallback: () => ({ psk: PSK, identity: ID }) }) as unknown as TlsSocketLike;
    const check12 = async (p: Pairing, what: string) => {
      const got = await handshake(p.server, p.connect);
      if (got.suite !== suite.standard || got.kx !== suite.kx) throw new Error(`${what}: negotiated ${got.suite} ${got.kx}, not ${suite.standard} ${suite.kx}`);
      return p;
    };
    try {
      const nodeToNode = await check12({ server: node, connect: nodeC }, 'node client -> node server');
      const rtToNode = await check12({ server: node, connect: rtC }, 'tlsrt client -> node server');
      const nodeToRt = await check12({ server: rt, connect: nodeC }, 'node client -> tlsrt server');
      const [c1, c2] = await compareRates(rtToNode, nodeToNode, MS);
      out.push({ name: `client, TLS 1.2 ${suite.name}`, tlsrt: c1, node: c2 });
      const [s1, s2] = await compareRates(nodeToRt, nodeToNode, MS);
      out.push({ name: `server, TLS 1.2 ${suite.name}`, tlsrt: s1, node: s2 });
    } finally {
      node.server.close();
      rt.server.close();
    }
  }
  return out;
}

console.log(`\ntlsrt handshake benchmark (TLS 1.3 PSK; then TLS 1.2 PSK) — node ${process.version}, ${process.arch}`);
console.log(`tlsrt from ${fromSrc ? 'src/ through tsx (no dist/ built, or BENCH_SRC=1)' : 'dist/ (compiled JavaScript)'}`);
console.log(`sequential TLS 1.3 PSK handshakes over loopback, ${SUITE}, each complete on both ends then closed;\n${MS} ms per implementation and row, in 10 alternating rounds after 200 warm-up handshakes each.\nThe CPU columns are the whole process's CPU time per handshake (both ends, client and server), which a busy\nmachine distorts less than the wall-clock rate; the rate ratio is the benchmark's result.\n`);
const f = (x: number) => x.toFixed(0).padStart(9);
console.log(`${'handshakes/s'.padEnd(46)} ${'tlsrt'.padStart(9)} ${'node:tls'.padStart(9)}  tlsrt/node   CPU µs/hs: ${'tlsrt'.padStart(6)} ${'node'.padStart(6)}`);
for (const r of [...(await rows()), ...(await rows12())]) {
  const ratio = r.tlsrt.perSec / r.node.perSec;
  const us = (x: number) => x.toFixed(0).padStart(6);
  console.log(`${r.name.padEnd(46)} ${f(r.tlsrt.perSec)} ${f(r.node.perSec)}  ${ratio.toFixed(2).padStart(9)}x              ${us(r.tlsrt.cpuUsPerHandshake)} ${us(r.node.cpuUsPerHandshake)}`);
}
console.log('(psk_ke rows: the node:tls client still computes a P-256 key share it cannot avoid offering; see bench/handshake.ts)');
