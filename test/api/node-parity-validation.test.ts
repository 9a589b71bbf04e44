// Argument and option validation, tlsrt against node:tls. Modelled on the
// validation tests of Node's own suite (test-tls-basic-validations,
// test-tls-set-max-send-fragment-style size checks, test-tls-sni-option
// type checks, test-tls-socket-allow-half-open-option,
// test-tls-connect-allow-half-open-option, test-tls-connect-timeout-option):
// every case runs with node:tls and with tlsrt. Each case states what it
// expects (the code, or the value returned); node:tls must meet it — a case
// node:tls fails is a wrong case — and tlsrt must then give what node:tls
// gave: same outcome, same error class and code, and the same message unless
// the case says why not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { PSK, ID } from '../helpers/scenario.ts';
import tlsrt from '../../src/index.ts';

type Lib = typeof nodeTls | typeof tlsrt;
const LIBS: [string, Lib][] = [['node:tls', nodeTls], ['tlsrt', tlsrt]];

interface Case {
  name: string;
  run: (tls: Lib) => unknown;
  /** The error code expected (null: an error without a code), or `value` for a case that returns. */
  code?: string | null;
  value?: unknown;
  /** Why tlsrt's message differs from node's (the code and class still must not). */
  messageDiffers?: string;
}

const psk = () => ({ psk: PSK, identity: ID });
const noLookup = () => {}; // a lookup that never answers: connect() goes no further than validation

/** Sockets and servers a case made, closed after it so nothing keeps the process alive. */
const made: { destroy?: () => void; close?: () => void; on?: (e: string, f: () => void) => void }[] = [];
function keep<T>(v: T): T {
  made.push(v as (typeof made)[number]);
  return v;
}
function cleanup(): void {
  for (const m of made.splice(0)) {
    m.on?.('error', () => {});
    if (typeof m.destroy === 'function') m.destroy();
    else m.close?.();
  }
}

const sock = (tls: Lib, opts: object = {}) => keep(new tls.TLSSocket(undefined as unknown as net.Socket, opts as never));

const CASES: Case[] = [
  // setMaxSendFragment(size): node validates an int32, then OpenSSL accepts 512..16384.
  ...([NaN, Infinity, 2 ** 31, 1.5] as number[]).map((v): Case => ({ name: `setMaxSendFragment(${v})`, run: (t) => sock(t).setMaxSendFragment(v), code: 'ERR_OUT_OF_RANGE' })),
  ...(['', {}, '1024', null] as unknown[]).map((v): Case => ({ name: `setMaxSendFragment(${JSON.stringify(v)})`, run: (t) => sock(t).setMaxSendFragment(v as number), code: 'ERR_INVALID_ARG_TYPE' })),
  { name: 'setMaxSendFragment()', run: (t) => (sock(t).setMaxSendFragment as () => boolean)(), code: 'ERR_INVALID_ARG_TYPE' },
  ...([-1, 0, 100, 511, 16385, 2 ** 31 - 1]).map((v): Case => ({ name: `setMaxSendFragment(${v}) refused`, run: (t) => sock(t).setMaxSendFragment(v), value: false })),
  ...([512, 4096, 16384]).map((v): Case => ({ name: `setMaxSendFragment(${v}) accepted`, run: (t) => sock(t).setMaxSendFragment(v), value: true })),

  // createServer(options): an object, a listener, or nothing.
  { name: "createServer('string')", run: (t) => keep(t.createServer('string' as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer(5)', run: (t) => keep(t.createServer(5 as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer(null)', run: (t) => keep(t.createServer(null as never)) instanceof t.Server, value: true },
  { name: 'createServer(listener)', run: (t) => keep(t.createServer(() => {})) instanceof t.Server, value: true },
  ...(['fhqwhgads', 42, {}, []] as unknown[]).map((v): Case => ({ name: `createServer SNICallback ${JSON.stringify(v)}`, run: (t) => keep(t.createServer({ SNICallback: v } as never)), code: 'ERR_INVALID_ARG_TYPE' })),
  { name: 'createServer pskCallback string', run: (t) => keep(t.createServer({ pskCallback: 'x' } as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer pskIdentityHint number', run: (t) => keep(t.createServer({ pskCallback: () => PSK, pskIdentityHint: 5 } as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "createServer handshakeTimeout 'abcd'", run: (t) => keep(t.createServer({ handshakeTimeout: 'abcd' } as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer handshakeTimeout -1 (disabled)', run: (t) => keep(t.createServer({ handshakeTimeout: -1 })) instanceof t.Server, value: true },
  { name: 'createServer ecdhCurve 1', run: (t) => keep(t.createServer({ ecdhCurve: 1 } as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer ciphers 1', run: (t) => keep(t.createServer({ ciphers: 1 } as never)), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createServer ALPNCallback with ALPNProtocols', run: (t) => keep(t.createServer({ ALPNCallback: () => 'a', ALPNProtocols: ['a'] })), code: 'ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS' },
  { name: 'server.setSecureContext(5)', run: (t) => keep(t.createServer()).setSecureContext(5 as never), code: 'ERR_INVALID_ARG_TYPE' },

  // createSecureContext(options): type checks come before anything tlsrt cannot honour.
  { name: "createSecureContext('abc')", run: (t) => t.createSecureContext('abc' as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSecureContext(5)', run: (t) => t.createSecureContext(5 as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSecureContext(null)', run: (t) => typeof t.createSecureContext(null as never), value: 'object' },
  { name: 'createSecureContext ecdhCurve 1', run: (t) => t.createSecureContext({ ecdhCurve: 1 } as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "createSecureContext ecdhCurve 'bogus'", run: (t) => t.createSecureContext({ ecdhCurve: 'bogus' }), code: 'ERR_CRYPTO_OPERATION_FAILED' },
  { name: 'createSecureContext minVersion 1', run: (t) => t.createSecureContext({ minVersion: 1 } as never), code: 'ERR_TLS_INVALID_PROTOCOL_VERSION' },
  { name: "createSecureContext minVersion 'x'", run: (t) => t.createSecureContext({ minVersion: 'x' } as never), code: 'ERR_TLS_INVALID_PROTOCOL_VERSION' },
  { name: "createSecureContext maxVersion 'TLSv9'", run: (t) => t.createSecureContext({ maxVersion: 'TLSv9' } as never), code: 'ERR_TLS_INVALID_PROTOCOL_VERSION' },
  // TLS versions and secureProtocol (node's toV() and SecureContext::Init method table).
  { name: "createSecureContext maxVersion 'tlsv1.2'", run: (t) => t.createSecureContext({ maxVersion: 'tlsv1.2' } as never), code: 'ERR_TLS_INVALID_PROTOCOL_VERSION' },
  ...(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].flatMap((v) => [
    { name: `createSecureContext minVersion '${v}'`, run: (t: Lib) => !!t.createSecureContext({ minVersion: v } as never), value: true },
    { name: `createSecureContext maxVersion '${v}'`, run: (t: Lib) => !!t.createSecureContext({ maxVersion: v } as never), value: true },
  ])),
  ...(['TLSv1_2_method', 'TLSv1_2_server_method', 'TLS_method', 'TLS_client_method', 'SSLv23_method', 'TLSv1_method', 'TLSv1_1_method'].map((m): Case => ({
    name: `createSecureContext secureProtocol '${m}'`, run: (t) => !!t.createSecureContext({ secureProtocol: m }), value: true,
  }))),
  ...(['TLSv1_3_method', 'foo', '', 'DTLS_method', 'SSLv3_method', 'SSLv2_method', 'SSLv3_client_method'].map((m): Case => ({
    name: `createSecureContext secureProtocol '${m}'`, run: (t) => t.createSecureContext({ secureProtocol: m }), code: 'ERR_TLS_INVALID_PROTOCOL_METHOD',
  }))),
  { name: 'secureProtocol with minVersion', run: (t) => t.createSecureContext({ secureProtocol: 'TLSv1_2_method', minVersion: 'TLSv1.2' }), code: 'ERR_TLS_PROTOCOL_VERSION_CONFLICT' },
  { name: 'secureProtocol with maxVersion', run: (t) => t.createSecureContext({ secureProtocol: 'TLS_method', maxVersion: 'TLSv1.3' }), code: 'ERR_TLS_PROTOCOL_VERSION_CONFLICT' },
  { name: 'connect secureProtocol with maxVersion', run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, secureProtocol: 'TLSv1_2_method', maxVersion: 'TLSv1.2' } as never)), code: 'ERR_TLS_PROTOCOL_VERSION_CONFLICT' },
  // Cipher strings: OpenSSL's verdict on the syntax and names, through node.
  ...(['PSK', 'PSK+HIGH', 'kPSK:!CHACHA20', 'PSK-AES128-GCM-SHA256:PSK-AES128-CCM8', 'FOO:PSK', 'DEFAULT:PSK', 'PSK,AESGCM', 'TLS_AES_128_GCM_SHA256:PSK', 'TLS_AES_128_GCM_SHA256:TLS_FOO', ''].map((c): Case => ({
    name: `createSecureContext ciphers '${c}'`, run: (t) => !!t.createSecureContext({ ciphers: c }), value: true,
  }))),
  ...(['ECDHEPSK', 'ECDHE-PSK', 'psk', 'TLS_FOO', 'TLS_AES_128_GCM_SHA256,PSK', 'tls_aes_128_gcm_sha256'].map((c): Case => ({
    name: `createSecureContext ciphers '${c}'`, run: (t) => t.createSecureContext({ ciphers: c }), code: 'ERR_SSL_NO_CIPHER_MATCH',
  }))),
  { name: "createSecureContext ciphers ':'", run: (t) => t.createSecureContext({ ciphers: ':' }), code: 'ERR_INVALID_ARG_VALUE' },
  { name: "createSecureContext secureOptions 'a'", run: (t) => t.createSecureContext({ secureOptions: 'a' } as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'createSecureContext secureOptions 1.5', run: (t) => t.createSecureContext({ secureOptions: 1.5 }), code: 'ERR_OUT_OF_RANGE' },
  { name: 'createSecureContext sessionIdContext 5', run: (t) => t.createSecureContext({ sessionIdContext: 5 } as never), code: 'ERR_INVALID_ARG_TYPE' },

  // new TLSSocket(socket, options)
  { name: 'new TLSSocket(new EventEmitter())', run: (t) => keep(new t.TLSSocket(new EventEmitter() as never)), code: null },
  { name: 'new TLSSocket({})', run: (t) => keep(new t.TLSSocket({} as never)), code: null },
  { name: "new TLSSocket(undefined, 'abc') ignores a non-object", run: (t) => sock(t, 'abc' as never).encrypted, value: true },
  ...(['fhqwhgads', 42, {}, []] as unknown[]).map((v): Case => ({
    name: `new TLSSocket(net.Socket, { isServer, SNICallback: ${JSON.stringify(v)} })`,
    run: (t) => keep(new t.TLSSocket(new net.Socket(), { isServer: true, SNICallback: v } as never)),
    code: 'ERR_INVALID_ARG_TYPE',
  })),
  { name: 'new TLSSocket server ALPNCallback string', run: (t) => sock(t, { isServer: true, ALPNCallback: 'x' }), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'new TLSSocket pskCallback string', run: (t) => sock(t, { pskCallback: 'x' }), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'new TLSSocket pskIdentityHint 5', run: (t) => sock(t, { pskCallback: () => PSK, pskIdentityHint: 5 }), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "new TLSSocket enableTrace 'yes'", run: (t) => sock(t, { enableTrace: 'yes' }), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'new TLSSocket secureContext {}', run: (t) => sock(t, { secureContext: {} }), code: 'ERR_TLS_INVALID_CONTEXT' },
  { name: 'new TLSSocket ALPNProtocols 5', run: (t) => sock(t, { ALPNProtocols: 5 }), code: null },
  { name: 'new TLSSocket ALPNProtocols with a 256-byte name', run: (t) => sock(t, { ALPNProtocols: ['x'.repeat(256)] }), code: 'ERR_OUT_OF_RANGE' },
  { name: 'new TLSSocket(net.Socket, { allowHalfOpen: true }): the socket\'s setting wins', run: (t) => keep(new t.TLSSocket(new net.Socket(), { allowHalfOpen: true })).allowHalfOpen, value: false },
  {
    name: 'new TLSSocket(Duplex { allowHalfOpen: false }, { allowHalfOpen: true })',
    run: (t) => keep(new t.TLSSocket(new Duplex({ allowHalfOpen: false, read() {}, write(_c, _e, cb) { cb(); } }) as never, { allowHalfOpen: true })).allowHalfOpen,
    value: false,
  },
  {
    name: 'new TLSSocket(Duplex { allowHalfOpen: true }, { allowHalfOpen: false })',
    run: (t) => keep(new t.TLSSocket(new Duplex({ allowHalfOpen: true, read() {}, write(_c, _e, cb) { cb(); } }) as never, { allowHalfOpen: false })).allowHalfOpen,
    value: true,
  },
  { name: 'a new TLSSocket has no timeout', run: (t) => sock(t).timeout, value: undefined },
  { name: 'socket.setTimeout(100) sets socket.timeout', run: (t) => sock(t).setTimeout(100).timeout, value: 100 },
  { name: "socket.setTimeout('x')", run: (t) => sock(t).setTimeout('x' as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'socket.setTimeout(10, 5)', run: (t) => sock(t).setTimeout(10, 5 as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "exportKeyingMaterial('a', 'b')", run: (t) => sock(t).exportKeyingMaterial('a' as never, 'b'), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'exportKeyingMaterial(0, ...)', run: (t) => sock(t).exportKeyingMaterial(0, 'b'), code: 'ERR_OUT_OF_RANGE' },
  { name: 'exportKeyingMaterial(10, 5)', run: (t) => sock(t).exportKeyingMaterial(10, 5 as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "exportKeyingMaterial(10, 'x', 'ctx')", run: (t) => sock(t).exportKeyingMaterial(10, 'x', 'ctx' as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'exportKeyingMaterial before the handshake', run: (t) => sock(t).exportKeyingMaterial(10, 'x'), code: 'ERR_TLS_INVALID_STATE' },
  { name: 'renegotiate(5)', run: (t) => sock(t).renegotiate(5 as never, () => {}), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'renegotiate({}, 5)', run: (t) => sock(t).renegotiate({}, 5 as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setServername(5)', run: (t) => sock(t).setServername(5 as never), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'setServername on a server socket', run: (t) => sock(t, { isServer: true }).setServername('a'), code: 'ERR_TLS_SNI_FROM_SERVER' },

  // tls.connect(): node:tls's argument forms and net's validation of the net options.
  { name: 'connect()', run: (t) => keep((t.connect as () => unknown)()), code: 'ERR_MISSING_ARGS' },
  { name: "connect({ port: 'abc' })", run: (t) => keep(t.connect({ port: 'abc' as never, pskCallback: psk })), code: 'ERR_SOCKET_BAD_PORT' },
  { name: 'connect({ port: 70000 })', run: (t) => keep(t.connect({ port: 70000, pskCallback: psk })), code: 'ERR_SOCKET_BAD_PORT' },
  { name: "connect({ lookup: 'x' })", run: (t) => keep(t.connect({ port: 1, lookup: 'x' as never, pskCallback: psk })), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "connect({ family: 'x' })", run: (t) => keep(t.connect({ port: 1, host: 'localhost', family: 'x' as never, pskCallback: psk })), code: 'ERR_INVALID_ARG_VALUE' },
  { name: "connect({ timeout: 'x' })", run: (t) => keep(t.connect({ port: 1, timeout: 'x' as never, lookup: noLookup, pskCallback: psk })), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'connect({ timeout: 1234 }) sets socket.timeout', run: (t) => keep(t.connect({ port: 1, timeout: 1234, lookup: noLookup, pskCallback: psk })).timeout, value: 1234 },
  { name: 'connect({ socket }) leaves the timeout to the socket', run: (t) => keep(t.connect({ socket: new net.Socket(), timeout: 1234, pskCallback: psk })).timeout, value: undefined },
  { name: 'connect() is not half-open by default', run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk })).allowHalfOpen, value: false },
  { name: 'connect({ allowHalfOpen: true })', run: (t) => keep(t.connect({ port: 1, allowHalfOpen: true, lookup: noLookup, pskCallback: psk })).allowHalfOpen, value: true },
  { name: 'connect({ servername: 5 })', run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, servername: 5 as never })), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "connect({ signal: 'x' })", run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, signal: 'x' as never })), code: 'ERR_INVALID_ARG_TYPE' },
  { name: "connect({ pskCallback: 'x' })", run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: 'x' as never })), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'connect ALPNProtocols with a 300-byte name', run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, ALPNProtocols: ['x'.repeat(300)] })), code: 'ERR_OUT_OF_RANGE' },
  {
    name: "connect({ checkServerIdentity: 'x' })",
    run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, checkServerIdentity: 'x' as never })),
    code: 'ERR_INTERNAL_ASSERTION',
    messageDiffers: 'node:tls fails an internal assert() whose message asks to report a Node.js bug; tlsrt names the option',
  },
  {
    name: 'connect({ minDHSize: 0 })',
    run: (t) => keep(t.connect({ port: 1, lookup: noLookup, pskCallback: psk, minDHSize: 0 })),
    code: 'ERR_INTERNAL_ASSERTION',
    messageDiffers: 'node:tls appends its "bug in Node.js" note to the assertion message',
  },

  // tls.convertALPNProtocols(protocols, out)
  ...([
    ['an array', ['h2', 'http/1.1']],
    ['a Buffer', Buffer.from('0268320361', 'hex')],
    ['a Uint16Array', new Uint16Array([0x6802, 0x0032])],
    ['a DataView', new DataView(Uint8Array.from([2, 0x68, 0x32]).buffer)],
    ['an empty array', []],
  ] as [string, unknown][]).map(([what, v]): Case => ({
    name: `convertALPNProtocols(${what})`,
    run: (t) => {
      const out: { ALPNProtocols?: Buffer } = {};
      t.convertALPNProtocols(v as never, out);
      return [Buffer.isBuffer(out.ALPNProtocols), out.ALPNProtocols?.toString('hex')];
    },
    value: undefined, // compared with node:tls's
  })),
  { name: "convertALPNProtocols('abc') leaves out alone", run: (t) => { const out = {}; t.convertALPNProtocols('abc' as never, out); return Object.keys(out); }, value: [] },
  { name: 'convertALPNProtocols([Buffer])', run: (t) => t.convertALPNProtocols([Buffer.from('ab')] as never, {}), code: 'ERR_INVALID_ARG_TYPE' },
  { name: 'convertALPNProtocols([256-byte name])', run: (t) => t.convertALPNProtocols(['y'.repeat(256)], {}), code: 'ERR_OUT_OF_RANGE' },
];

type Outcome = { threw: false; value: unknown } | { threw: true; name: string; code: string | null; message: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { threw: false, value: run() };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { threw: true, name: err.name, code: err.code ?? null, message: err.message };
  } finally {
    cleanup();
  }
}

for (const c of CASES) {
  test(c.name, () => {
    const got = LIBS.map(([, lib]) => outcome(() => c.run(lib)));
    const [node, ours] = got;
    // The case must hold for node:tls first.
    if (c.code !== undefined) {
      assert.equal(node.threw, true, `node:tls did not throw for ${c.name}`);
      assert.equal(node.threw && node.code, c.code, 'node:tls code');
    } else {
      assert.equal(node.threw, false, `node:tls threw: ${node.threw && node.message}`);
      if (c.value !== undefined || !c.name.startsWith('convertALPNProtocols(')) assert.deepEqual(!node.threw && node.value, c.value, 'node:tls value');
    }
    if (node.threw && ours.threw && c.messageDiffers) {
      assert.deepEqual({ name: ours.name, code: ours.code }, { name: node.name, code: node.code });
    } else {
      assert.deepEqual(ours, node);
    }
  });
}
