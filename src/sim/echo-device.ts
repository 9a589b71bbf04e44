// The device application the simulator runs: connect with a pre-shared key,
// send a message, read it back from an echo server, close. It is written
// against the node:tls API only — `tlsApi` is `import tls from 'tlsrt'` on a
// device, `board.tls` on a simulated board, or even `node:tls` itself — which
// is the point: the same application code runs simulated and real.
import type { Duplex } from 'node:stream';

/** What the application needs of a TLS module: node:tls's connect. */
export interface TlsApi {
  connect(options: Record<string, unknown>): Duplex & {
    getCipher(): { name: string } | undefined;
    getEphemeralKeyInfo(): { name?: string } | null;
    setTimeout(ms: number, cb?: () => void): unknown;
  };
}

export interface EchoDeviceOptions {
  identity: string;
  psk: Uint8Array;
  message: Buffer;
  /** Give up (ETIMEDOUT) after this long without network activity, as device firmware would; 0: never. */
  idleTimeoutMs?: number;
  /** Called the moment the handshake completes ('secureConnect'). */
  onSecure?: () => void;
  /** Called once the whole echo is back, just before the device closes (to read connection facts). */
  beforeEnd?: (socket: ReturnType<TlsApi['connect']>) => void;
  /** Called when the socket has closed, however it ended. */
  onClose?: (socket: ReturnType<TlsApi['connect']>) => void;
}

export interface EchoOutcome {
  ok: boolean;
  /** The echo came back byte for byte. */
  intact: boolean;
  echoedBytes: number;
  suite?: string;
  /** 'X25519' for psk_dhe_ke, absent for psk_ke. */
  group?: string;
  /** The first error the socket raised; `alert` is the TLS alert it sent or received, if any. */
  error?: { code?: string; message: string; alert?: number };
}

/** Runs one echo exchange; resolves (never rejects) when the socket has closed. */
export function echoDevice(tlsApi: TlsApi, connectOptions: Record<string, unknown>, o: EchoDeviceOptions): Promise<EchoOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    let suite: string | undefined;
    let group: string | undefined;
    let failure: EchoOutcome['error'];
    let settled = false;
    const socket = tlsApi.connect({
      ...connectOptions,
      pskCallback: () => ({ psk: o.psk, identity: o.identity }),
      checkServerIdentity: () => undefined,
    });
    const finish = () => {
      if (settled) return;
      settled = true;
      const echoed = Buffer.concat(chunks);
      const intact = echoed.equals(o.message);
      resolve({ ok: !failure && intact, intact, echoedBytes: echoed.length, suite, group, error: failure });
    };
    if (o.idleTimeoutMs) {
      socket.setTimeout(o.idleTimeoutMs, () => {
        socket.destroy(Object.assign(new Error(`no network activity for ${o.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
    }
    socket.on('secureConnect', () => {
      o.onSecure?.();
      suite = socket.getCipher()?.name;
      group = socket.getEphemeralKeyInfo()?.name;
      socket.write(o.message);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= o.message.length && !socket.writableEnded) {
        o.beforeEnd?.(socket);
        socket.end();
      }
    });
    socket.on('error', (err: Error & { code?: string; alert?: number }) => {
      failure ??= { code: err.code, message: err.message, alert: err.alert };
    });
    socket.on('close', () => {
      o.onClose?.(socket);
      finish();
    });
  });
}
