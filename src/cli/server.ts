// `tlsrt server`: the PSK counterpart of `openssl s_server -nocert -psk`,
// built on tlsrt's node:tls-shaped API. It echoes what each client sends
// (or, with --stdio, works like s_server: client data to stdout, stdin to
// the clients). What happens goes to stderr, one line per event.
import tls, { type TLSSocket } from '../index.ts';
import type { AddressInfo } from 'node:net';
import { connectionInfo, describeError } from './conn-info.ts';
import { openKeylog } from './keylog.ts';
import { checkWithTlsrt, opensslFlags, pskSettings, portOption, SHARED_HELP, SHARED_OPTIONS, DEFAULT_HOST, DEFAULT_PORT } from './psk-options.ts';
import { EXIT_FAILURE, EXIT_OK, parseOptions, UsageError, withUsage } from './usage.ts';

export const SERVER_HELP = `usage: tlsrt server --psk <hex> [options]

Accepts TLS 1.3 (and, with TLS 1.2 suites in --ciphers, TLS 1.2) connections
authenticated with a pre-shared key (PSK), like 'openssl s_server -nocert -psk'. By default every client gets back what it
sends (an echo server). The line 'ACCEPT <host>:<port>' on stderr says the
server is ready; connection details, failures and closes follow, also on
stderr. A client with another identity or key is refused with an alert.

options:
  --host <address>         address to listen on (default: ${DEFAULT_HOST}; 0.0.0.0
                           or :: for every interface)
  --port <n>               port to listen on (default: ${DEFAULT_PORT}; 0 picks a free
                           port, printed in the ACCEPT line)
${SHARED_HELP}
  --psk-ke                 also accept psk_ke (no ephemeral key exchange) from
                           clients that offer only that; psk_dhe_ke stays preferred
  --psk-identity-hint <h>  TLS 1.2: the identity hint sent to clients (ServerKeyExchange),
                           as openssl -psk_hint (TLS 1.3 has none)
  --stdio                  instead of echoing, write what clients send to stdout
                           and send stdin to every connected client (s_server style)
  --once                   exit after the first connection, with its result
  -h, --help               show this help

examples:
  # an echo server for 'tlsrt client' or 'openssl s_client -psk ...'
  tlsrt server --psk 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d

  # a device identity on every interface, port 8443, with ALPN
  tlsrt server --host 0.0.0.0 --port 8443 --psk-identity device-0001 \\
      --psk 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d --alpn mqtt

  # TLS 1.2 only, two PSK suites, with an identity hint
  tlsrt server -tls1_2 --ciphers PSK-AES128-GCM-SHA256:PSK-AES128-CCM8 \
      --psk-identity-hint fleet-7 --psk 1a2b3c4d

  # one connection on a free port, secrets logged for Wireshark
  tlsrt server --port 0 --once --psk 1a2b3c4d --keylog keys.txt

exit codes:
  0  stopped normally (with --once: the connection succeeded and closed cleanly)
  1  the server could not listen (e.g. EADDRINUSE), or with --once the
     connection failed (the error and its code are printed to stderr)
  2  usage error (unknown option, missing or malformed value)
`;

const OPTIONS = { ...SHARED_OPTIONS, stdio: 'boolean', once: 'boolean', 'psk-identity-hint': 'string' } as const;

export function serverCommand(argv: string[]): Promise<number> {
  return withUsage('server', () => {
    const opts = parseOptions(opensslFlags(argv), OPTIONS);
    if (opts.help) {
      process.stdout.write(SERVER_HELP);
      return EXIT_OK;
    }
    const s = pskSettings(opts, ['psk_dhe_ke', 'psk_ke']);
    const hint = opts['psk-identity-hint'];
    if (hint !== undefined) {
      if (hint === '' || Buffer.byteLength(hint as string) > 128) throw new UsageError('--psk-identity-hint must be 1 to 128 bytes');
      s.tlsOptions.pskIdentityHint = hint;
    }
    const port = portOption(opts, 0);
    const host = (opts.host as string | undefined) ?? DEFAULT_HOST;
    checkWithTlsrt(s.tlsOptions);
    return serve({ host, port, ...s, stdio: !!opts.stdio, once: !!opts.once });
  });
}

interface ServeOptions {
  host: string;
  port: number;
  identity: string;
  psk: Buffer;
  tlsOptions: Record<string, unknown>;
  keylog?: string;
  stdio: boolean;
  once: boolean;
}

function serve(o: ServeOptions): Promise<number> {
  return new Promise((resolve) => {
    const keylog = o.keylog ? openKeylog(o.keylog) : null;
    const clients = new Set<TLSSocket>();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      server.close();
      for (const c of clients) c.destroy();
      keylog?.close();
      process.stdin.destroy();
      resolve(code);
    };

    const server = tls.createServer({
      ...o.tlsOptions,
      pskCallback: (_socket: TLSSocket, identity: string) => {
        if (identity === o.identity) return o.psk;
        log(`unknown PSK identity '${identity}'`);
        return null;
      },
    });
    if (keylog) server.on('keylog', (line: Buffer) => keylog.write(line));
    server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      log(`connection from ${socket.remoteAddress ?? '?'} failed: ${describeError(err)}`);
      if (o.once) finish(EXIT_FAILURE);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      clients.add(socket);
      process.stderr.write(connectionInfo(socket, o.identity, 'server'));
      let failure: Error | null = null;
      socket.on('error', (err: Error) => (failure = err));
      socket.on('close', () => {
        clients.delete(socket);
        log(failure ? `connection failed: ${describeError(failure)}` : 'DONE');
        if (o.once) finish(failure ? EXIT_FAILURE : EXIT_OK);
      });
      if (o.stdio) socket.pipe(process.stdout, { end: false });
      else socket.pipe(socket); // echo; the client's close_notify ends our side after the last echo
    });
    if (o.stdio) {
      process.stdin.on('data', (d: Buffer) => {
        for (const c of clients) c.write(d);
      });
      process.stdin.on('end', () => {
        for (const c of clients) c.end();
      });
    }
    server.on('error', (err: Error) => {
      log(`tlsrt server: ${describeError(err)}`);
      finish(EXIT_FAILURE);
    });
    // Ctrl-C or a plain kill: close the listener and the connections, exit 0.
    process.once('SIGINT', () => finish(EXIT_OK));
    process.once('SIGTERM', () => finish(EXIT_OK));
    server.listen(o.port, o.host, () => {
      const a = server.address() as AddressInfo;
      log(`ACCEPT ${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
  });
}
