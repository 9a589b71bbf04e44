// `tlsrt client`: the PSK counterpart of `openssl s_client`, built on tlsrt's
// node:tls-shaped API. stdin goes to the server, what the server sends goes
// to stdout; connection details and errors go to stderr.
import tls, { type TLSSocket } from '../index.ts';
import { connectionInfo, describeError } from './conn-info.ts';
import { openKeylog } from './keylog.ts';
import { checkWithTlsrt, opensslFlags, pskSettings, portOption, SHARED_HELP, SHARED_OPTIONS, DEFAULT_HOST, DEFAULT_PORT } from './psk-options.ts';
import { EXIT_FAILURE, EXIT_OK, parseOptions, UsageError, withUsage } from './usage.ts';

export const CLIENT_HELP = `usage: tlsrt client --psk <hex> [options]

Connects to a TLS 1.3 or TLS 1.2 server with a pre-shared key (PSK), like
'openssl s_client -psk'. Everything read from stdin is sent to the server and
everything the server sends is written to stdout, so the client works in a
pipe. Connection details (suite, key exchange, ALPN) and errors go to stderr.
When stdin ends, the client sends close_notify and keeps printing until the
server closes its side too.

options:
  --host <name>            server to connect to (default: ${DEFAULT_HOST})
  --port <n>               server port (default: ${DEFAULT_PORT}, as openssl)
${SHARED_HELP}
  --psk-ke                 offer psk_ke only: no ephemeral (EC)DHE key exchange
                           (faster, but no forward secrecy; the server must allow it)
  --servername <name>      send this server name (SNI)
  --max-fragment-length <n>
                           ask the server for records of at most n bytes
                           (512, 1024, 2048 or 4096; RFC 6066)
  -h, --help               show this help

examples:
  # talk to 'tlsrt server' (or 'openssl s_server -nocert -psk ...') on port 4433
  tlsrt client --psk 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d

  # send one line to a server elsewhere and print the answer
  echo hello | tlsrt client --host 192.0.2.7 --port 8443 \\
      --psk-identity device-0001 --psk 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d

  # a TLS 1.2 PSK broker (e.g. mosquitto with tls_version tlsv1.2); the server's
  # identity hint, if it sends one, is printed with the connection details
  tlsrt client -tls1_2 --ciphers PSK-AES128-GCM-SHA256 --psk 1a2b3c4d --port 8883

  # small records for a constrained device, and a key log for Wireshark
  tlsrt client --psk 1a2b3c4d --max-fragment-length 512 --keylog keys.txt

exit codes:
  0  the handshake succeeded and the connection closed cleanly
  1  the connection or the TLS handshake failed (the error and its code,
     e.g. ECONNREFUSED or ERR_SSL_..., are printed to stderr)
  2  usage error (unknown option, missing or malformed value)
`;

const OPTIONS = { ...SHARED_OPTIONS, servername: 'string', 'max-fragment-length': 'string' } as const;

export function clientCommand(argv: string[]): Promise<number> {
  return withUsage('client', () => {
    const opts = parseOptions(opensslFlags(argv), OPTIONS);
    if (opts.help) {
      process.stdout.write(CLIENT_HELP);
      return EXIT_OK;
    }
    const s = pskSettings(opts, ['psk_ke']);
    const port = portOption(opts, 1);
    const host = (opts.host as string | undefined) ?? DEFAULT_HOST;
    const options: Record<string, unknown> = { ...s.tlsOptions };
    if (opts['max-fragment-length'] !== undefined) {
      const n = Number(opts['max-fragment-length']);
      if (![512, 1024, 2048, 4096].includes(n)) throw new UsageError(`--max-fragment-length must be 512, 1024, 2048 or 4096, not '${opts['max-fragment-length']}'`);
      options.maxFragmentLength = n;
    }
    if (opts.servername !== undefined) {
      if (opts.servername === '') throw new UsageError('--servername needs a name');
      options.servername = opts.servername;
    }
    checkWithTlsrt(options);
    return run(host, port, s.identity, s.psk, options, s.keylog);
  });
}

function run(host: string, port: number, identity: string, psk: Buffer, options: Record<string, unknown>, keylogPath?: string): Promise<number> {
  return new Promise((resolve) => {
    const keylog = keylogPath ? openKeylog(keylogPath) : null;
    let failure: Error | null = null;
    let established = false;
    let hint: string | null = null;
    const socket: TLSSocket = tls.connect({
      ...options,
      host,
      port,
      allowHalfOpen: true, // our stdin may end long before the server's answer
      checkServerIdentity: () => undefined, // the PSK authenticates the server (node:tls checks names on TLS 1.2 otherwise)
      pskCallback: (h: string | null) => {
        hint = h ?? hint; // TLS 1.2: the server's identity hint
        return { psk, identity };
      },
    });
    if (keylog) socket.on('keylog', (line: Buffer) => keylog.write(line));
    socket.once('secureConnect', () => {
      established = true;
      process.stderr.write(connectionInfo(socket, identity, 'client', hint));
      process.stdin.pipe(socket); // stdin's end ends our side: close_notify, then FIN
    });
    socket.pipe(process.stdout, { end: false });
    process.stdout.on('error', () => socket.destroy()); // e.g. `tlsrt client ... | head -c 10`: stop reading
    socket.on('end', () => {
      // The server closed its side: we are done, whatever stdin still holds.
      process.stdin.unpipe(socket);
      if (!socket.writableEnded) socket.end();
    });
    socket.on('error', (err: Error) => {
      failure = err;
    });
    socket.on('close', () => {
      keylog?.close();
      process.stdin.unpipe(socket);
      process.stdin.destroy(); // else a terminal's stdin keeps the process alive
      if (failure) {
        process.stderr.write(`tlsrt client: ${describeError(failure)}\n`);
        resolve(EXIT_FAILURE);
      } else if (!established) {
        process.stderr.write('tlsrt client: the connection closed before the handshake completed\n');
        resolve(EXIT_FAILURE);
      } else {
        resolve(EXIT_OK);
      }
    });
  });
}
