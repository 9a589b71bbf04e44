// node:tls's `ecdhCurve` on tlsrt: it chooses the TLS 1.3 (EC)DHE groups
// (X25519, P-256) in preference order, both roles, against node:tls peers;
// what the client reports (getEphemeralKeyInfo) is what a node:tls client
// reports for the same handshake; a HelloRetryRequest moves an X25519 share
// to P-256 in both directions; a curve list tlsrt cannot honour is an error
// naming the option, and a handshake without a common group fails with the
// error node:tls gives for the same failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodeTls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { securePair, readBytes, type LibName } from '../helpers/scenario.ts';
import tlsrt from '../../src/index.ts';
import { groupsFromEcdhCurve } from '../../src/tls/ecdh-curve.ts';

const T = { timeout: 30000 };
const P256_INFO = { type: 'ECDH', name: 'prime256v1', size: 256 };

/** A handshake and a 4 KiB echo; returns the client's key info and whether the tlsrt side saw a HelloRetryRequest. */
async function run(srv: LibName, cli: LibName, serverOpts: Record<string, unknown>, clientOpts: Record<string, unknown>) {
  const p = await securePair(srv, cli, serverOpts, clientOpts);
  try {
    p.server.pipe(p.server);
    const data = randomBytes(4096);
    p.client.write(data);
    assert.ok((await readBytes(p.client, data.length)).equals(data), 'the echo');
    const tlsrtSide = (srv === 'tlsrt' ? p.server : p.client) as unknown as { conn?: { helloRetried: boolean; group?: string } };
    return { info: p.client.getEphemeralKeyInfo(), hrr: tlsrtSide.conn?.helloRetried, group: tlsrtSide.conn?.group };
  } finally {
    p.close();
  }
}

test("ecdhCurve 'P-256' both ways with node:tls: P-256, and the client's getEphemeralKeyInfo as node:tls reports it", T, async () => {
  const nodeNode = await run('node', 'node', { ecdhCurve: 'P-256' }, { ecdhCurve: 'P-256' });
  assert.deepEqual(nodeNode.info, P256_INFO, 'node:tls itself');
  const toTlsrt = await run('tlsrt', 'node', {}, { ecdhCurve: 'P-256' });
  assert.deepEqual(toTlsrt.info, nodeNode.info, 'node:tls client -> tlsrt server');
  assert.equal(toTlsrt.group, 'secp256r1');
  assert.equal(toTlsrt.hrr, false);
  const fromTlsrt = await run('node', 'tlsrt', { ecdhCurve: 'P-256' }, { ecdhCurve: 'P-256' });
  assert.deepEqual(fromTlsrt.info, nodeNode.info, 'tlsrt client -> node:tls server');
  assert.equal(fromTlsrt.group, 'secp256r1');
});

test('HelloRetryRequest from an X25519 share to P-256: tlsrt client -> node:tls P-256 server, node:tls client -> tlsrt P-256 server', T, async () => {
  // Both clients default to an X25519 share with P-256 also listed.
  const fromTlsrt = await run('node', 'tlsrt', { ecdhCurve: 'P-256' }, {});
  assert.deepEqual(fromTlsrt.info, P256_INFO);
  assert.equal(fromTlsrt.hrr, true);
  const toTlsrt = await run('tlsrt', 'node', { ecdhCurve: 'prime256v1' }, {});
  assert.deepEqual(toTlsrt.info, P256_INFO);
  assert.equal(toTlsrt.hrr, true);
  // And the defaults stay on X25519 without a round trip.
  const plain = await run('tlsrt', 'tlsrt', {}, {});
  assert.deepEqual(plain.info, { type: 'ECDH', name: 'X25519', size: 253 });
  assert.equal(plain.hrr, false);
});

test('ecdhCurve lists: OpenSSL names in order, auto; a list without X25519 or P-256 names the option; bad names fail as in node:tls', () => {
  assert.equal(groupsFromEcdhCurve(undefined), undefined);
  assert.equal(groupsFromEcdhCurve('auto'), undefined);
  assert.deepEqual(groupsFromEcdhCurve('X25519:P-256'), ['x25519', 'secp256r1']);
  assert.deepEqual(groupsFromEcdhCurve('P-256:X25519'), ['secp256r1', 'x25519']);
  assert.deepEqual(groupsFromEcdhCurve('prime256v1'), ['secp256r1']);
  assert.deepEqual(groupsFromEcdhCurve('P-384:secp256r1'), ['secp256r1'], 'a group tlsrt lacks is passed over');
  assert.throws(() => tlsrt.createSecureContext({ ecdhCurve: 'P-384' }), /'ecdhCurve'.*X25519 and P-256 only/);
  for (const bad of ['bogus', 'P-256:nope']) {
    let nodeCode: string | undefined;
    try {
      nodeTls.createSecureContext({ ecdhCurve: bad });
    } catch (e) {
      nodeCode = (e as { code?: string }).code;
    }
    assert.ok(nodeCode, `node:tls refuses ${bad}`);
    assert.throws(() => tlsrt.createSecureContext({ ecdhCurve: bad }), (e: { code?: string }) => e.code === nodeCode, bad);
  }
});

test('no group in common (client P-256 only, server X25519 only): the node:tls client fails with the same code as against node:tls', T, async () => {
  const codeOf = async (srv: LibName) => {
    try {
      const p = await securePair(srv, 'node', { ecdhCurve: 'X25519' }, { ecdhCurve: 'P-256' });
      p.close();
      return 'connected';
    } catch (e) {
      return (e as { code?: string }).code;
    }
  };
  const want = await codeOf('node');
  assert.match(String(want), /^ERR_SSL_/);
  assert.equal(await codeOf('tlsrt'), want);
});
