// The `ciphers` option, tlsrt against node:tls: for each cipher string, the
// cipher suites a node:tls client and a tlsrt client put in their
// ClientHello (captured by a plain TCP server on 127.0.0.1), restricted to
// the suites tlsrt implements, must be the same list in the same order —
// OpenSSL's reading of aliases, '+' / '-' / '!' rules, separators and
// @STRENGTH, projected onto tlsrt's suites. Names tlsrt cannot honour are an
// error that names them, with the code node:tls gives when nothing matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import tlsrt from '../../src/index.ts';
import { PSK, ID } from '../helpers/scenario.ts';

/** tlsrt's suites by id: the five TLS 1.3 ones and the six TLS 1.2 PSK ones. */
const OURS: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256', 0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0x00a8: 'PSK-AES128-GCM-SHA256', 0x00a9: 'PSK-AES256-GCM-SHA384', 0xccab: 'PSK-CHACHA20-POLY1305',
  0xccac: 'ECDHE-PSK-CHACHA20-POLY1305', 0xc0a4: 'PSK-AES128-CCM', 0xc0a8: 'PSK-AES128-CCM8',
};

/** The cipher_suites of the ClientHello in the first record(s) a client sends. */
function cipherSuites(hello: Buffer): number[] {
  let i = 5 + 4 + 2 + 32; // record header, handshake header, legacy_version, random
  i += 1 + hello[i]; // legacy_session_id
  const n = hello.readUInt16BE(i);
  const ids: number[] = [];
  for (let j = i + 2; j < i + 2 + n; j += 2) ids.push(hello.readUInt16BE(j));
  return ids;
}

/** The suites (tlsrt's only, by name) a client made by `lib` offers with `ciphers`. */
function offered(lib: typeof nodeTls | typeof tlsrt, ciphers: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => {
      let got = Buffer.alloc(0);
      s.on('data', (d) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
          s.destroy();
          server.close();
          resolve(cipherSuites(got).filter((id) => OURS[id]).map((id) => OURS[id]));
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const c = lib.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', ciphers, pskCallback: () => ({ psk: PSK, identity: ID }) } as never);
      c.on('error', () => {}); // the capture server hangs up
      c.on('close', () => setTimeout(() => reject(new Error('no ClientHello')), 1000).unref());
    });
  });
}

const STRINGS = [
  'PSK', 'kPSK', 'aPSK', 'HIGH', 'ALL', 'PSK+HIGH', 'kECDHEPSK', 'AESGCM', 'AESCCM', 'AESCCM8', 'CHACHA20', 'AES128', 'AES256', 'AES', 'FIPS',
  'TLSv1.2', 'COMPLEMENTOFDEFAULT', 'DEFAULT:PSK', 'DEFAULT:PSK-AES128-CCM', 'DEFAULT+PSK',
  'PSK-AES128-GCM-SHA256', 'PSK-AES128-CCM8:PSK-AES256-GCM-SHA384', 'PSK-AES128-GCM-SHA256:PSK-AES128-CCM8:PSK',
  'PSK:!CHACHA20', 'PSK:!CHACHA20:CHACHA20', 'PSK:-CHACHA20:CHACHA20', 'kPSK:+AES128', 'PSK:+CHACHA20:+AESCCM8',
  'CHACHA20:PSK-AES128-CCM:-CHACHA20:PSK', 'PSK:@STRENGTH', 'AES128:PSK:@STRENGTH', 'PSK:@SECLEVEL=2',
  'PSK,AESGCM', 'PSK AESCCM', 'PSK;CHACHA20', 'FOO:PSK', 'PSK:PSK-AES128-CBC-SHA256+HIGH', 'PSK+AES128:!PSK-AES128-CCM8',
  'TLS_AES_128_GCM_SHA256:PSK', 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_8_SHA256:PSK-AES128-CCM8',
  'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_GCM_SHA256:TLS_FOO', 'PSK:TLS_AES_128_CCM_SHA256', 'HIGH:!PSK', 'HIGH:!aPSK:PSK-AES128-GCM-SHA256',
];

test('a tlsrt client offers the suites a node:tls client offers, in its order, for every cipher string', { timeout: 60000 }, async () => {
  for (const s of STRINGS) {
    const node = await offered(nodeTls, s);
    const ours = await offered(tlsrt, s);
    assert.deepEqual(ours, node, `ciphers '${s}'`);
  }
});

test('the default cipher list offers no TLS 1.2 suite, as node:tls\'s (!PSK)', async () => {
  const node = await offered(nodeTls, nodeTls.DEFAULT_CIPHERS);
  assert.ok(node.every((n) => n.startsWith('TLS_')), node.join());
  const ours = await offered(tlsrt, tlsrt.DEFAULT_CIPHERS);
  assert.deepEqual(ours, node);
});

test('a cipher tlsrt does not implement, named explicitly, is ERR_SSL_NO_CIPHER_MATCH naming it; node:tls takes the same string', () => {
  for (const name of ['PSK-AES128-CBC-SHA256', 'DHE-PSK-AES128-GCM-SHA256', 'RSA-PSK-CHACHA20-POLY1305', 'ECDHE-PSK-AES128-CBC-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_PSK_WITH_AES_128_GCM_SHA256']) {
    for (const s of [name, `PSK-AES128-GCM-SHA256:${name}`]) {
      assert.ok(nodeTls.createSecureContext({ ciphers: s }), `node:tls accepts '${s}'`);
      assert.throws(() => tlsrt.createSecureContext({ ciphers: s }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ERR_SSL_NO_CIPHER_MATCH');
        assert.ok(e.message.includes(name), e.message);
        return true;
      }, s);
    }
  }
  // Removing or reordering a cipher tlsrt lacks is no request to use it.
  for (const s of ['PSK:!PSK-AES128-CBC-SHA256', 'PSK:-DHE-PSK-AES128-GCM-SHA256', 'PSK:+RSA-PSK-AES128-GCM-SHA256']) assert.ok(tlsrt.createSecureContext({ ciphers: s }), s);
});

test('tls.DEFAULT_CIPHERS and DEFAULT_MIN/MAX_VERSION are assignable and read by contexts made afterwards, as in node:tls', async () => {
  const saved = [tlsrt.DEFAULT_CIPHERS, tlsrt.DEFAULT_MIN_VERSION, tlsrt.DEFAULT_MAX_VERSION];
  try {
    tlsrt.DEFAULT_CIPHERS = 'PSK-AES128-CCM8';
    tlsrt.DEFAULT_MIN_VERSION = 'TLSv1.2';
    tlsrt.DEFAULT_MAX_VERSION = 'TLSv1.2';
    assert.deepEqual(await offered(tlsrt, ''), ['PSK-AES128-CCM8'], "ciphers '' means the default, as in node");
    tlsrt.DEFAULT_MIN_VERSION = 'TLSv9';
    assert.throws(() => tlsrt.createSecureContext({}), { code: 'ERR_TLS_INVALID_PROTOCOL_VERSION', message: '"TLSv9" is not a valid minimum TLS protocol version' });
  } finally {
    [tlsrt.DEFAULT_CIPHERS, tlsrt.DEFAULT_MIN_VERSION, tlsrt.DEFAULT_MAX_VERSION] = saved;
  }
});
