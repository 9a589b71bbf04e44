// The module surface of tlsrt next to node:tls: the three connect() call
// forms, the default export, the DEFAULT_* constants and getCiphers(), and
// the options tlsrt cannot honour, each refused with an error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as named from '../../src/index.ts';
import tlsrt, { type TLSSocket } from '../../src/index.ts';
import { PSK, ID, pskClient } from '../helpers/scenario.ts';

const T = { timeout: 30000 }; // hang guard only

/** A node:tls PSK echo server on `where` (a port on 127.0.0.1, or a path). */
async function echoServer(where: 0 | string): Promise<{ server: nodeTls.Server; port: number }> {
  const server = nodeTls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null) }, (s) => s.pipe(s));
  await new Promise<void>((r) => (where === 0 ? server.listen(0, '127.0.0.1', r) : server.listen(where, r)));
  return { server, port: where === 0 ? (server.address() as net.AddressInfo).port : 0 };
}

/** Echoes a line through `c`, which must call `cb` on secureConnect. */
async function roundTrip(make: (cb: () => void) => TLSSocket): Promise<string> {
  let c!: TLSSocket;
  await new Promise<void>((resolve, reject) => {
    c = make(resolve);
    c.once('error', reject);
  });
  const got = new Promise<string>((r) => c.once('data', (d: Buffer) => r(d.toString())));
  c.write('ping');
  const text = await got;
  c.destroy();
  return text;
}

test('connect(options, cb), connect(port[, host][, options][, cb]), connect(path[, options][, cb])', T, async () => {
  const opts = { pskCallback: pskClient() };
  const { server, port } = await echoServer(0);
  try {
    assert.equal(await roundTrip((cb) => tlsrt.connect({ port, host: '127.0.0.1', ...opts }, cb)), 'ping');
    assert.equal(await roundTrip((cb) => tlsrt.connect(port, '127.0.0.1', opts, cb)), 'ping');
    assert.equal(await roundTrip((cb) => tlsrt.connect(port, { host: '127.0.0.1', ...opts }, cb)), 'ping');
    // The callback is a 'secureConnect' listener, as in node:tls.
    const c = tlsrt.connect(port, '127.0.0.1', opts);
    await new Promise((r) => c.once('secureConnect', r));
    c.destroy();
  } finally {
    server.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-path-'));
  const path = join(dir, 'tls.sock');
  const unix = await echoServer(path);
  try {
    assert.equal(await roundTrip((cb) => tlsrt.connect(path, opts, cb)), 'ping');
    assert.equal(await roundTrip((cb) => tlsrt.connect({ path, ...opts }, cb)), 'ping');
  } finally {
    unix.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the default export holds every named export; what node:tls has and tlsrt does not is this list', () => {
  const def = tlsrt as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(named)) if (k !== 'default') assert.equal(def[k], v, k);
  // Certificate-store and legacy helpers (rootCertificates, createSecurePair,
  // convertALPNProtocols) are not part of tlsrt's PSK API.
  const missing = Object.keys(nodeTls).filter((k) => !(k in def));
  for (const k of missing) assert.ok(['rootCertificates', 'convertALPNProtocols', 'createSecurePair', 'getCACertificates', 'setDefaultCACertificates'].includes(k), k);
  for (const k of ['connect', 'createServer', 'createSecureContext', 'TLSSocket', 'Server', 'SecureContext', 'getCiphers', 'checkServerIdentity']) {
    assert.equal(typeof def[k], 'function', k);
  }
});

test('DEFAULT_* constants and getCiphers(): node\'s values, every name one node:tls lists too', () => {
  assert.equal(tlsrt.DEFAULT_MIN_VERSION, nodeTls.DEFAULT_MIN_VERSION);
  assert.equal(tlsrt.DEFAULT_MAX_VERSION, nodeTls.DEFAULT_MAX_VERSION);
  assert.equal(tlsrt.DEFAULT_ECDH_CURVE, nodeTls.DEFAULT_ECDH_CURVE);
  assert.equal(tlsrt.CLIENT_RENEG_LIMIT, nodeTls.CLIENT_RENEG_LIMIT);
  assert.equal(tlsrt.CLIENT_RENEG_WINDOW, nodeTls.CLIENT_RENEG_WINDOW);
  // node:tls's default list starts with the same three TLS 1.3 suites.
  assert.ok(nodeTls.DEFAULT_CIPHERS.startsWith(tlsrt.DEFAULT_CIPHERS), nodeTls.DEFAULT_CIPHERS);
  const ciphers = tlsrt.getCiphers();
  assert.deepEqual(ciphers, [...ciphers].sort());
  // Exactly the names node lists of the suites tlsrt implements (node lists no CCM TLS 1.2 suite).
  const implemented = ['tls_aes_128_ccm_8_sha256', 'tls_aes_128_ccm_sha256', 'tls_aes_128_gcm_sha256', 'tls_aes_256_gcm_sha384', 'tls_chacha20_poly1305_sha256',
    'psk-aes128-gcm-sha256', 'psk-aes256-gcm-sha384', 'psk-chacha20-poly1305', 'ecdhe-psk-chacha20-poly1305', 'psk-aes128-ccm', 'psk-aes128-ccm8'];
  assert.deepEqual(ciphers, nodeTls.getCiphers().filter((c) => implemented.includes(c)));
  assert.ok(ciphers.includes('psk-aes128-gcm-sha256') && ciphers.includes('tls_aes_128_ccm_8_sha256'), ciphers.join());
});

const UNSUPPORTED: [string, Record<string, unknown>][] = [
  ['key', { key: 'x' }],
  ['cert', { cert: 'x' }],
  ['pfx', { pfx: Buffer.alloc(1) }],
  ['ca', { ca: ['x'] }],
  ['requestCert', { requestCert: true }],
  ['session', { session: Buffer.alloc(1) }],
  ['ticketKeys', { ticketKeys: Buffer.alloc(48) }],
  ['dhparam', { dhparam: 'x' }],
  ['ecdhCurve', { ecdhCurve: 'P-384' }],
];

test('unsupported options throw an error that names the option, on connect(), createServer() and createSecureContext()', () => {
  for (const [name, opt] of UNSUPPORTED) {
    const named = new RegExp(`'${name}'`);
    assert.throws(() => tlsrt.connect({ port: 1, pskCallback: pskClient(), ...opt }), named, `connect ${name}`);
    assert.throws(() => tlsrt.createServer(opt), named, `createServer ${name}`);
    assert.throws(() => tlsrt.createSecureContext(opt), named, `createSecureContext ${name}`);
  }
  // False or absent values of those options are fine, as are ones with no effect on a PSK connection.
  tlsrt.createServer({ requestCert: false, rejectUnauthorized: true, ecdhCurve: 'X25519:P-256' });
  const server = tlsrt.createServer();
  assert.throws(() => server.addContext('a', {}), /'addContext'/);
  assert.throws(() => server.getTicketKeys(), /'getTicketKeys'/);
});

test('a client without a pskCallback fails with an error that says so', T, async () => {
  const { server, port } = await echoServer(0);
  try {
    const c = tlsrt.connect({ port, host: '127.0.0.1' });
    const err = await new Promise<Error & { code?: string }>((r) => c.once('error', r));
    assert.match(err.message, /pskCallback/);
  } finally {
    server.close();
  }
});
