// Event parity with node:tls. Each scenario script runs with node:tls and with
// tlsrt as the server library x the client library; node/node, run in the
// same test, is the expectation, so the test stays true on other Node
// versions. The comment on each scenario writes down what node/node yields on
// Node 20 (OpenSSL 3). tlsrt must yield the same events in the same order on
// both ends, and the same err.code, except where noted in DIFFERENCES.
//
// Not compared: 'session'. A node:tls server sends NewSessionTicket after the
// handshake and a node:tls client emits 'session' for each; tlsrt issues no
// tickets, so the recorder does not listen for 'session' at all.
//
// Client events: connect, secureConnect, keylog, data, end, close,
// error:<code>. Server events: connection, keylog, secureConnection,
// tlsClientError:<code>, then the server TLSSocket's data, end, close,
// error:<code>. Consecutive 'data' events are merged (record boundaries are
// not part of the API). A raw script stands in for a TLS client (or server)
// where a scenario needs a peer that misbehaves; its socket's events are
// recorded in the same list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { runScenario, ID, type Scenario, type LibName, type Run } from '../helpers/scenario.ts';

const COMBOS: [LibName, LibName][] = [['node', 'tlsrt'], ['tlsrt', 'node'], ['tlsrt', 'tlsrt']];

/**
 * Where tlsrt deliberately differs, the err.code each combination yields
 * instead of node/node's, keyed 'server/client'. Everything else about the
 * event lists must still be equal.
 */
interface Difference {
  client?: string;
  server?: string;
}

interface Case extends Scenario {
  /** Differences by 'serverLib/clientLib'. */
  differences?: Record<string, Difference>;
}

const CASES: Case[] = [
  {
    // node/node: C connect keylog x5 secureConnect data end close
    //            S connection keylog x5 secureConnection data end close
    name: 'success: PSK echo',
    send: 'hello, parity',
  },
  {
    // node/node: C connect error:ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER close
    //            S connection tlsClientError:ERR_SSL_BINDER_DOES_NOT_VERIFY
    // OpenSSL answers a binder that does not verify with illegal_parameter;
    // RFC 8446 §4.2.11 says decrypt_error, which tlsrt's server sends. A
    // client of either library reports the alert it got, so the client code
    // follows the server library. The server code is the same everywhere.
    name: 'wrong PSK',
    client: { pskCallback: () => ({ psk: randomBytes(32), identity: ID }) },
    differences: {
      'tlsrt/node': { client: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR' },
      'tlsrt/tlsrt': { client: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR' },
    },
  },
  {
    // node/node: C connect error:ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE close
    //            S connection tlsClientError:ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM
    // Contrary to its docs ("sends unknown_psk_identity"), OpenSSL 3 in
    // TLS 1.3 falls back to certificate authentication when the pskCallback
    // returns null, and fails for want of a certificate. tlsrt's server has
    // no certificates: it does what the Node docs describe and aborts with
    // unknown_psk_identity (OpenSSL's reason: "psk identity not found").
    // A tlsrt client offers no signature_algorithms (it cannot check a
    // certificate), so node's server fails earlier, on that missing extension.
    name: 'unknown identity (server pskCallback returns null)',
    server: { pskCallback: () => null },
    differences: {
      'node/tlsrt': { client: 'ERR_SSL_TLSV13_ALERT_MISSING_EXTENSION', server: 'ERR_SSL_MISSING_SIGALGS_EXTENSION' },
      'tlsrt/node': { client: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY', server: 'ERR_SSL_PSK_IDENTITY_NOT_FOUND' },
      'tlsrt/tlsrt': { client: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY', server: 'ERR_SSL_PSK_IDENTITY_NOT_FOUND' },
    },
  },
  {
    // node/node: C connect error:ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE close
    //            S connection tlsClientError:ERR_SSL_NO_SHARED_CIPHER
    name: 'no shared cipher',
    client: { ciphers: 'TLS_AES_128_CCM_8_SHA256' },
  },
  {
    // node/node: C(raw) end close   S connection tlsClientError:ERR_TLS_HANDSHAKE_TIMEOUT
    // Node 20 emits tlsClientError on the timeout but, despite its docs
    // ("the socket is destroyed"), leaves the connection open; the recorder's
    // tlsClientError listener destroys it, as applications do. tlsrt's
    // server destroys it itself (the documented behaviour), so with or
    // without that listener the raw client sees end, close.
    name: 'handshake timeout (raw client never speaks)',
    server: { handshakeTimeout: 150 },
    raw: () => {},
  },
  {
    // node/node: C(raw) end close   S connection tlsClientError:ECONNRESET
    name: 'client closes mid-handshake (partial ClientHello, then FIN)',
    raw: (s) => s.end(Buffer.from([22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3])),
  },
  {
    // node/node: C connect end error:ECONNRESET close   S(raw) connection end close
    // node:tls fails a client from its own 'end' listener, so 'end' comes first.
    name: 'server closes mid-handshake (partial ServerHello, then FIN)',
    rawServer: (s) => s.once('data', () => s.end(Buffer.from([22, 3, 3, 0, 90, 2, 0, 0, 86, 3, 3]))),
  },
  {
    // node/node: C connect error:ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL close
    //            S connection tlsClientError:ERR_SSL_NO_APPLICATION_PROTOCOL
    name: 'ALPN mismatch',
    server: { ALPNProtocols: ['a'] },
    client: { ALPNProtocols: ['b'] },
  },
];

/** node/node's events with one combination's documented err.code differences applied. */
function expected(ref: Run, diff: Difference | undefined): { client: string[]; server: string[] } {
  const swap = (list: string[], prefix: string, code?: string) => list.map((e) => (code && e.startsWith(prefix + ':') ? `${prefix}:${code}` : e));
  return {
    client: swap(ref.client, 'error', diff?.client),
    server: swap(ref.server, 'tlsClientError', diff?.server),
  };
}

for (const c of CASES) {
  test(`parity: ${c.name}`, async () => {
    const ref = await runScenario(c, 'node', 'node');
    assert.ok(ref.client.length && ref.server.length, 'node/node recorded events on both ends');
    for (const [srv, cli] of COMBOS) {
      // A raw peer is neither library: only the other side's library varies.
      if (c.raw && cli === 'tlsrt') continue;
      if (c.rawServer && srv === 'tlsrt') continue;
      const key = `${srv}/${cli}`;
      const got = await runScenario(c, srv, cli);
      const want = expected(ref, c.differences?.[key]);
      assert.deepEqual(got.client, want.client, `${key}: client events`);
      assert.deepEqual(got.server, want.server, `${key}: server events`);
      assert.equal(got.echoed, ref.echoed, `${key}: echoed data`);
    }
    if (c.differences) {
      // Every documented difference is a real one (node/node yields something else).
      for (const d of Object.values(c.differences)) {
        if (d.client) assert.ok(!ref.client.includes(`error:${d.client}`));
        if (d.server) assert.ok(!ref.server.includes(`tlsClientError:${d.server}`));
      }
    }
  });
}

test('parity: a successful run really echoed, with five key-log lines on each end', async () => {
  const run = await runScenario(CASES[0], 'tlsrt', 'tlsrt');
  assert.equal(run.echoed, 'hello, parity');
  assert.equal(run.client.filter((e) => e === 'keylog').length, 5);
  assert.equal(run.server.filter((e) => e === 'keylog').length, 5);
});

test('parity (documented difference): a tlsrt server drops a timed-out handshake without a tlsClientError listener', async () => {
  const tlsrt = await import('../../src/index.ts');
  const net = await import('node:net');
  const srv = tlsrt.createServer({ pskCallback: () => null, handshakeTimeout: 100 });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const raw = net.connect((srv.address() as { port: number }).port, '127.0.0.1');
    raw.on('error', () => {});
    await new Promise((r) => raw.once('close', r)); // node:tls 20 would leave it open
  } finally {
    srv.close();
  }
});
