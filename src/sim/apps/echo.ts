// The echo app: connect with a pre-shared key, send a message, read it back
// from an echo server, close. Written against the node:tls API only — the
// socket is `import tls from 'tlsrt'`'s on a device, `board.tls`'s on a
// simulated board, or node:tls's itself — which is the point: the same
// application code runs simulated and real.
//
// `echoDevice` is the whole device (connect included: src/sim/main-job.ts
// uses it against a live node:tls server); the default export is the same
// exchange as a fleet app (src/sim/app.ts), whose in-process peer echoes.
import type { Duplex } from 'node:stream';
import { numberOpt, onlyKnown, type AppOptions, type AppSocket, type DeviceApp } from '../app.ts';

/** What the application needs of a TLS module: node:tls's connect. */
export interface TlsApi {
  connect(options: Record<string, unknown>): AppSocket;
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
  beforeEnd?: (socket: AppSocket) => void;
  /** Called when the socket has closed, however it ended. */
  onClose?: (socket: AppSocket) => void;
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

/** Connects and runs one echo exchange; resolves (never rejects) when the socket has closed. */
export function echoDevice(tlsApi: TlsApi, connectOptions: Record<string, unknown>, o: EchoDeviceOptions): Promise<EchoOutcome> {
  const socket = tlsApi.connect({
    ...connectOptions,
    pskCallback: () => ({ psk: o.psk, identity: o.identity }),
    checkServerIdentity: () => undefined,
  });
  if (o.idleTimeoutMs) {
    socket.setTimeout(o.idleTimeoutMs, () => {
      socket.destroy(Object.assign(new Error(`no network activity for ${o.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
  }
  return echoOn(socket, o.message, o);
}

/** The exchange on a socket whose handshake is under way: write on secureConnect, end once it is all back. */
export function echoOn(socket: AppSocket, message: Buffer, o: Pick<EchoDeviceOptions, 'onSecure' | 'beforeEnd' | 'onClose'> = {}): Promise<EchoOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    let suite: string | undefined;
    let group: string | undefined;
    let failure: EchoOutcome['error'];
    socket.on('secureConnect', () => {
      o.onSecure?.();
      suite = socket.getCipher()?.name;
      group = socket.getEphemeralKeyInfo()?.name;
      socket.write(message);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= message.length && !socket.writableEnded) {
        o.beforeEnd?.(socket);
        socket.end();
      }
    });
    socket.on('error', (err: Error & { code?: string; alert?: number }) => {
      failure ??= { code: err.code, message: err.message, alert: err.alert };
    });
    socket.on('close', () => {
      o.onClose?.(socket);
      const echoed = Buffer.concat(chunks);
      const intact = echoed.equals(message);
      resolve({ ok: !failure && intact, intact, echoedBytes: echoed.length, suite, group, error: failure });
    });
  });
}

export interface EchoAppOptions {
  /** Bytes each device sends and expects back (default 1024). */
  bytes: number;
  /**
   * How the in-process server echoes: 'stream' writes back each chunk as it
   * arrives (its records as small as the board's); 'whole' waits for the
   * whole message and writes it back at once, in full-size records unless
   * the board negotiated smaller ones — a download, as a firmware update is.
   */
  mode: 'stream' | 'whole';
}

const echoApp: DeviceApp<EchoAppOptions> = {
  name: 'echo',
  describe: (o) => `echo of ${o.bytes} bytes intact`,
  configure(raw: AppOptions): EchoAppOptions {
    onlyKnown(raw, 'echo', ['bytes', 'mode']);
    const mode = raw.mode ?? 'stream';
    if (mode !== 'stream' && mode !== 'whole') throw new TypeError(`echo app: option mode must be stream or whole, not '${String(mode)}'`);
    return { bytes: numberOpt(raw, 'echo', 'bytes', 1024, 1, 16 * 1024 * 1024), mode };
  },
  async run(ctx) {
    const message = ctx.random(ctx.options.bytes);
    let sentAt: number | undefined;
    ctx.socket.once('secureConnect', () => (sentAt = ctx.clock.now()));
    let backAt = 0;
    ctx.socket.on('data', () => (backAt = ctx.clock.now()));
    const out = await echoOn(ctx.socket, message);
    return {
      ok: out.intact,
      reason: out.intact ? undefined : `echo incomplete: ${out.echoedBytes} of ${message.length} bytes`,
      metrics: { sent: sentAt === undefined ? 0 : 1, acknowledged: 0, received: out.intact ? 1 : 0, latencyMs: out.intact ? [backAt - sentAt!] : [] },
    };
  },
  peer: (o) => ({
    onConnection(s: Duplex) {
      s.on('error', () => {}); // a device's failure is reported on the device side
      if (o.mode === 'stream') {
        s.pipe(s);
        return;
      }
      const got: Buffer[] = [];
      let n = 0;
      s.on('data', (d: Buffer) => {
        got.push(d);
        n += d.length;
        if (n === o.bytes) s.write(Buffer.concat(got));
      });
      s.on('end', () => s.end());
    },
    close() {},
  }),
};

export default echoApp;
