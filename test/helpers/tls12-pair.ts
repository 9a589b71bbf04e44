// One TLS connection between two libraries (node:tls or tlsrt on each end),
// both on 127.0.0.1, and what each end saw: the handshake's facts (protocol,
// cipher, Finished messages, exported keys, key-log lines, the hint the
// client's pskCallback got) or the error code each end reported. Used by the
// TLS 1.2 interop tests to run the same case with node:tls on both ends and
// with tlsrt on one.
import nodeTls from 'node:tls';
import type net from 'node:net';
import tlsrt from '../../src/index.ts';

export type LibName = 'node' | 'tlsrt';
export const LIB: Record<LibName, typeof nodeTls> = { node: nodeTls, tlsrt: tlsrt as unknown as typeof nodeTls };

export interface EndFacts {
  protocol?: string | null;
  cipher?: { name: string; standardName: string; version: string };
  finished?: string;
  peerFinished?: string;
  exported?: string;
  exportedNoContext?: string;
  reused?: boolean;
  ephemeral?: unknown;
  keylog: string[];
  /** The error code this end reported ('error' / 'tlsClientError'), if any. */
  error?: string;
  errorMessage?: string;
}

export interface PairResult {
  client: EndFacts & { hints: (string | null)[]; echoed: string };
  server: EndFacts & { identities: string[] };
}

export interface PairOptions {
  server: Record<string, unknown>;
  client: Record<string, unknown>;
  serverKey: (identity: string) => Buffer | null;
  clientKey: (hint: string | null) => { psk: Buffer; identity: string } | null;
}

function facts(s: nodeTls.TLSSocket, f: EndFacts): void {
  f.protocol = s.getProtocol();
  f.cipher = s.getCipher() as EndFacts['cipher'];
  f.finished = s.getFinished()?.toString('hex');
  f.peerFinished = s.getPeerFinished()?.toString('hex');
  f.exported = s.exportKeyingMaterial(32, 'EXPERIMENTAL tlsrt', Buffer.from('ctx')).toString('hex');
  f.exportedNoContext = s.exportKeyingMaterial(20, 'EXPERIMENTAL tlsrt').toString('hex');
  f.reused = s.isSessionReused();
  f.ephemeral = s.getEphemeralKeyInfo();
}

/** Runs one connection: the client sends 'ping', the server echoes and ends. Resolves once both ends are closed. */
export function runPair(clientLib: LibName, serverLib: LibName, o: PairOptions): Promise<PairResult> {
  const r: PairResult = { client: { keylog: [], hints: [], echoed: '' }, server: { keylog: [], identities: [] } };
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`${clientLib} -> ${serverLib}: no outcome in 15 s`)), 15000);
    let serverDone = false;
    let clientDone = false;
    const finish = () => {
      if (!serverDone || !clientDone) return;
      clearTimeout(guard);
      server.close();
      resolve(r);
    };
    const server = LIB[serverLib].createServer({
      ...o.server,
      pskCallback: (_s: unknown, identity: string) => {
        r.server.identities.push(identity);
        return o.serverKey(identity);
      },
    } as never, (s: nodeTls.TLSSocket) => {
      facts(s, r.server);
      s.on('data', (d: Buffer) => s.end(d));
      s.on('error', (e: Error & { code?: string }) => (r.server.error ??= e.code));
    });
    // The server's side is over when its TCP connection has closed (after 'tlsClientError', if any).
    server.on('connection', (raw: net.Socket) => raw.on('close', () => setImmediate(() => {
      serverDone = true;
      finish();
    })));
    server.on('keylog', (line: Buffer) => r.server.keylog.push(line.toString('latin1').trim()));
    server.on('tlsClientError', (e: Error & { code?: string }) => {
      r.server.error = e.code;
      r.server.errorMessage = e.message;
    });
    server.listen(0, '127.0.0.1', () => {
      const c = LIB[clientLib].connect({
        ...o.client,
        port: (server.address() as net.AddressInfo).port,
        host: '127.0.0.1',
        checkServerIdentity: () => undefined,
        pskCallback: (hint: string | null) => {
          r.client.hints.push(hint);
          return o.clientKey(hint);
        },
      } as never, () => {
        facts(c, r.client);
        c.write('ping');
      });
      c.on('keylog', (line: Buffer) => r.client.keylog.push(line.toString('latin1').trim()));
      c.on('data', (d: Buffer) => (r.client.echoed += d.toString()));
      c.on('error', (e: Error & { code?: string }) => {
        r.client.error ??= e.code;
        r.client.errorMessage ??= e.message;
      });
      c.on('close', () => {
        clientDone = true;
        finish();
      });
    });
  });
}
