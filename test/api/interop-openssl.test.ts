// tlsrt's node:tls-shaped API (not the raw engine) against the openssl CLI,
// both directions: every suite OpenSSL negotiates with `-psk` (the PSK is
// bound to SHA-256 there, so the four SHA-256 suites; see
// test/engine/interop-openssl.test.ts for why) x both PSK key-exchange modes
// (psk_ke needs `-allow_no_dhe_kex` on the OpenSSL side and pskKeyExchangeModes
// ['psk_ke'] on ours), each with a data
// round trip. Every child is killed in `finally`; waits are hang guards only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes, constants } from 'node:crypto';
import tls, { type TLSSocket } from '../../src/index.ts';
import { connectRetry, freePort, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const ID = 'device-0001';
const PSK = randomBytes(32);
const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
const MODES = ['psk_dhe_ke', 'psk_ke'] as const;
const DATA = 64 * 1024;
const pskArgs = ['-psk', PSK.toString('hex'), '-psk_identity', ID];

/**
 * tlsrt options for a mode. psk_ke needs pskKeyExchangeModes ['psk_ke']:
 * SSL_OP_ALLOW_NO_DHE_KEX only *allows* psk_ke, and an OpenSSL 3.0 peer
 * still picks psk_dhe_ke whenever both are on offer (last test below).
 */
function modeOptions(mode: (typeof MODES)[number]): Record<string, unknown> {
  return mode === 'psk_ke' ? { pskKeyExchangeModes: ['psk_ke'] } : {};
}

/** Resolves once the TLS socket got `n` bytes; the data, concatenated. */
function collect(s: net.Socket | TLSSocket, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= n) resolve(Buffer.concat(chunks));
    });
    s.once('error', reject);
  });
}

for (const suite of SUITES) {
  for (const mode of MODES) {
    test(`tlsrt connect() -> openssl s_server, ${suite} ${mode}: data both ways`, async () => {
      const port = await freePort();
      const peer = spawnPeer('openssl', [
        's_server', '-brief', '-nocert', '-accept', `127.0.0.1:${port}`, '-ciphersuites', suite, ...pskArgs,
        ...(mode === 'psk_ke' ? ['-allow_no_dhe_kex'] : []),
      ]);
      let socket: TLSSocket | undefined;
      try {
        // The `socket` option: a net.Socket connected once s_server listens.
        socket = tls.connect({
          socket: await connectRetry(port), ciphers: suite, pskCallback: () => ({ psk: PSK, identity: ID }), ...modeOptions(mode),
        });
        const s = socket;
        await new Promise<void>((resolve, reject) => {
          s.once('secureConnect', resolve);
          s.once('error', reject);
        });
        assert.equal(s.getCipher()?.standardName, suite);
        assert.equal(s.getProtocol(), 'TLSv1.3');
        assert.deepEqual(s.getEphemeralKeyInfo(), mode === 'psk_dhe_ke' ? { type: 'ECDH', name: 'X25519', size: 253 } : {});
        await waitFor(() => peer.stderr().includes(`Ciphersuite: ${suite}\n`), `s_server to report ${suite}`);
        const up = randomBytes(DATA);
        const down = randomBytes(DATA);
        const got = collect(s, down.length);
        s.write(up);
        peer.proc.stdin!.write(down);
        await waitFor(() => peer.stdout().includes(up), 's_server to print what tlsrt sent');
        assert.ok((await got).equals(down), 'tlsrt received exactly what s_server read from stdin');
      } finally {
        socket?.destroy();
        await peer.kill();
      }
    });

    test(`openssl s_client -> tlsrt createServer(), ${suite} ${mode}: echo`, async () => {
      const server = tls.createServer({
        ciphers: suite, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null), ...modeOptions(mode),
      }, (s) => s.pipe(s));
      const secure: TLSSocket[] = [];
      server.on('secureConnection', (s) => secure.push(s));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      let peer: Peer | undefined;
      try {
        peer = spawnPeer('openssl', [
          's_client', '-brief', '-nocommands', '-connect', `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
          '-ciphersuites', suite, ...pskArgs, ...(mode === 'psk_ke' ? ['-allow_no_dhe_kex'] : []),
        ]);
        const p = peer;
        await waitFor(() => p.stderr().includes(`Ciphersuite: ${suite}\n`), `s_client to report ${suite}`);
        await waitFor(() => secure.length === 1, 'secureConnection');
        assert.equal(secure[0].getCipher()?.standardName, suite);
        assert.equal(secure[0].getEphemeralKeyInfo(), null, 'null on the server, as node:tls');
        const data = randomBytes(DATA);
        p.proc.stdin!.write(data);
        await waitFor(() => p.stdout().length >= data.length, 'the echo');
        assert.ok(p.stdout().equals(data), 'the echo matches byte for byte');
        // s_client names the server's ephemeral key exactly when there is one.
        if (mode === 'psk_dhe_ke') await waitFor(() => p.stderr().includes('Server Temp Key: X25519'), 'the temp key line');
        await p.kill();
        assert.equal(p.stderr().includes('Server Temp Key'), mode === 'psk_dhe_ke');
      } finally {
        for (const s of secure) s.destroy();
        await peer?.kill();
        server.close();
      }
    });
  }
}

test('openssl s_client with a wrong PSK -> tlsrt server: tlsClientError, decrypt_error on the wire', async () => {
  const server = tls.createServer({ pskCallback: () => PSK });
  const errors: string[] = [];
  server.on('tlsClientError', (e: Error & { code?: string }) => errors.push(e.code!));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-nocommands', '-connect', `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    '-psk', randomBytes(32).toString('hex'), '-psk_identity', ID,
  ]);
  try {
    await waitFor(() => errors.length === 1, 'tlsClientError');
    assert.deepEqual(errors, ['ERR_SSL_BINDER_DOES_NOT_VERIFY']);
    await peer.exited;
    assert.match(peer.stderr(), /alert decrypt error/);
  } finally {
    await peer.kill();
    server.close();
  }
});

test('openssl s_client -allow_no_dhe_kex -> tlsrt server with SSL_OP_ALLOW_NO_DHE_KEX: psk_dhe_ke still wins, as in OpenSSL', async () => {
  const server = tls.createServer({ pskCallback: () => PSK, secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer = spawnPeer('openssl', [
    's_client', '-brief', '-nocommands', '-connect', `127.0.0.1:${(server.address() as net.AddressInfo).port}`, ...pskArgs, '-allow_no_dhe_kex',
  ]);
  try {
    await waitFor(() => peer.stderr().includes('Server Temp Key: X25519'), 'an X25519 key exchange');
  } finally {
    await peer.kill();
    server.close();
  }
});
