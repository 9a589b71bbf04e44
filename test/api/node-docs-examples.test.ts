// The Node docs' own examples (Node's doc/api/tls.md),
// run with only the import changed: each example below is the docs' code
// with its `import ... from 'node:tls'` turned into `const ... = lib`, so it
// runs once with lib = node:tls and once with lib = tlsrt
// ('../../src/index.ts'), against a node:tls peer and a tlsrt peer.
//
// What else had to change, and only because of what certificates force:
// - the echo server and client use key/cert/ca (and requestCert): tlsrt has
//   no certificates, so those options are replaced by a pskCallback on each
//   side (the docs' "Pre-shared keys" section says both ends need one, and a
//   PSK client needs a custom checkServerIdentity, which the echo client
//   already passes);
// - the docs' fixed port 8000 is port 0 (whatever is free), so tests cannot collide;
// - console.log goes to a log array, and the client's stdin is a PassThrough.
// The "Pre-shared keys" section has no code of its own; its example is
// written from the prose: the client callback gets hint null in TLS 1.3 and
// returns { psk, identity }; the server callback gets (socket, identity)
// with `this === socket` and returns the key or null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import nodeTls from 'node:tls';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as tlsrt from '../../src/index.ts';
import { waitFor } from '../helpers/peers.ts';

type Lib = typeof nodeTls;
const LIBS: Record<string, Lib> = { 'node:tls': nodeTls, tlsrt: tlsrt as unknown as Lib };
const PSK = randomBytes(32);
const IDENTITY = 'Client_identity';

// ---- tls.createServer(): "the simple echo server" ----
function echoServer(lib: Lib, log: string[]): Promise<nodeTls.Server> {
  const { createServer } = lib; // import { createServer } from 'node:tls';

  const options = {
    // key, cert, requestCert, ca -> the PSK that replaces them:
    pskCallback: (_socket: nodeTls.TLSSocket, identity: string) => (identity === IDENTITY ? PSK : null),
  };

  const server = createServer(options, (socket) => {
    log.push(`server connected ${socket.authorized ? 'authorized' : 'unauthorized'}`);
    socket.write('welcome!\n');
    socket.setEncoding('utf8');
    socket.pipe(socket);
  });

  return new Promise((resolve) => {
    server.listen(0, () => {
      log.push('server bound');
      resolve(server);
    });
  });
}

// ---- tls.connect(): "a client for the echo server example" ----
function echoClient(lib: Lib, port: number, stdin: PassThrough, log: string[]): nodeTls.TLSSocket {
  const { connect } = lib; // import { connect } from 'node:tls';

  const options = {
    // key, cert, ca -> the PSK that replaces them:
    pskCallback: () => ({ psk: PSK, identity: IDENTITY }),
    // Necessary only if the server's cert isn't for "localhost".
    checkServerIdentity: () => {
      return null;
    },
  };

  const socket = connect(port, options as unknown as nodeTls.ConnectionOptions, () => {
    log.push(`client connected ${socket.authorized ? 'authorized' : 'unauthorized'}`);
    stdin.pipe(socket);
    stdin.resume();
  });

  socket.setEncoding('utf8');
  socket.on('data', (data) => {
    log.push(String(data));
  });
  socket.on('end', () => {
    log.push('server ends connection');
  });
  return socket;
}

// ---- "Pre-shared keys": both ends with a pskCallback ----
function pskServer(lib: Lib, keys: Map<string, Buffer>, log: string[]): nodeTls.Server {
  const tls = lib; // import tls from 'node:tls';
  return tls.createServer({
    pskCallback(socket, identity) {
      log.push(`server: this is the socket: ${(this as unknown) === socket}`);
      log.push(`server: identity ${identity}`);
      return keys.get(identity) ?? null; // null: unknown_psk_identity (docs)
    },
  }, (socket) => socket.end('hi from the PSK server\n'));
}

function pskClient(lib: Lib, port: number, psk: Buffer, log: string[]): nodeTls.TLSSocket {
  const tls = lib; // import tls from 'node:tls';
  return tls.connect({
    port,
    pskCallback(hint) {
      log.push(`client: hint ${hint}`); // always null with TLS 1.3
      return { psk, identity: IDENTITY };
    },
    checkServerIdentity: () => undefined, // no certificate to check (docs)
  });
}

const PAIRS: [string, string][] = [['node:tls', 'tlsrt'], ['tlsrt', 'node:tls'], ['tlsrt', 'tlsrt']];

/** Runs the echo pair; the transcript of both ends. */
async function runEcho(serverLib: string, clientLib: string): Promise<string[]> {
  const log: string[] = [];
  const server = await echoServer(LIBS[serverLib], log);
  const stdin = new PassThrough();
  try {
    const socket = echoClient(LIBS[clientLib], (server.address() as net.AddressInfo).port, stdin, log);
    let text = '';
    socket.on('data', (d) => (text += d));
    await waitFor(() => text.includes('welcome!\n'), 'the welcome');
    stdin.write('line one\n');
    await waitFor(() => text.includes('line one\n'), 'the echo');
    stdin.end(); // stdin.pipe(socket) ends the socket; the server's pipe ends it back
    await waitFor(() => log.includes('server ends connection'), 'the server to end');
    socket.destroy();
    // Data arrives in chunks as records do; the transcript compares the text.
    // The two ends log independently: their lines are compared as a set.
    return [...log.filter((l) => !l.includes('\n')).sort(), text];
  } finally {
    server.close();
  }
}

test('echo server/client (docs): node:tls/node:tls transcript', async () => {
  assert.deepEqual(await runEcho('node:tls', 'node:tls'), [
    'client connected authorized', 'server bound', 'server connected unauthorized', 'server ends connection', 'welcome!\nline one\n',
  ]);
});

for (const [srv, cli] of PAIRS) {
  test(`echo server/client (docs): ${srv} server, ${cli} client: the same transcript as node:tls/node:tls`, async () => {
    assert.deepEqual(await runEcho(srv, cli), await runEcho('node:tls', 'node:tls'));
  });
}

/** Runs the PSK pair with the client's key; the transcript and the error codes. */
async function runPsk(serverLib: string, clientLib: string, clientPsk: Buffer) {
  const log: string[] = [];
  const server = pskServer(LIBS[serverLib], new Map([[IDENTITY, PSK]]), log);
  const errors: string[] = [];
  server.on('tlsClientError', (e: Error & { code?: string }) => errors.push(`server ${e.code}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const socket = pskClient(LIBS[clientLib], (server.address() as net.AddressInfo).port, clientPsk, log);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (text += d));
    socket.on('error', (e: Error & { code?: string }) => errors.push(`client ${e.code ?? e.message}`));
    await new Promise((r) => socket.on('close', r));
    await waitFor(() => errors.length !== 1, 'both ends to report'); // a failure is reported on both ends
    return { log, text, errors: errors.sort() };
  } finally {
    server.close();
  }
}

for (const [srv, cli] of [['node:tls', 'node:tls'], ...PAIRS]) {
  test(`PSK (docs): ${srv} server, ${cli} client: callbacks called as documented, data flows`, async () => {
    const r = await runPsk(srv, cli, PSK);
    assert.deepEqual(r.log, ['client: hint null', 'server: this is the socket: true', `server: identity ${IDENTITY}`]);
    assert.equal(r.text, 'hi from the PSK server\n');
    assert.deepEqual(r.errors, []);
  });
}

test('PSK (docs): a wrong key fails on both ends with the same server code in every pairing', async () => {
  for (const [srv, cli] of [['node:tls', 'node:tls'], ...PAIRS]) {
    const r = await runPsk(srv, cli, randomBytes(32));
    assert.equal(r.text, '');
    // The client reports the alert it got: OpenSSL's illegal_parameter, or RFC 8446's decrypt_error from tlsrt.
    const alert = srv === 'tlsrt' ? 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR' : 'ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER';
    assert.deepEqual(r.errors, [`client ${alert}`, 'server ERR_SSL_BINDER_DOES_NOT_VERIFY'], `${srv} server, ${cli} client`);
  }
});
