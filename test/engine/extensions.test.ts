// The one extension rule (assembly/tls/extensions.ts, RFC 8446 §4.2) at the
// client, which meets it in answers: a real server's ServerHello, rewritten
// in flight to carry one more extension, must be refused with the alert the
// rule names — unsupported_extension for one the ClientHello did not carry,
// illegal_parameter for one that may not appear in a ServerHello or appears
// twice — before anything else of the handshake happens. (The server's side
// of the rule, ClientHellos with unknown, repeated and malformed extensions,
// is in malformed.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../src/engine/engine.ts';
import { Link, type Scenario } from '../helpers/tamper.ts';

const ALERT_NAMES: Record<number, string> = { 47: 'illegal_parameter', 110: 'unsupported_extension', 50: 'decode_error' };
const PSK = randomBytes(32);
const ID = Buffer.from('ext-rule');
const scenario: Scenario = {
  name: 'psk_dhe_ke', client: { pskIdentity: ID, psk: PSK, kxModes: ['psk_dhe_ke'], serverName: 'example.test' },
  server: { kxModes: ['psk_dhe_ke'] }, psk: PSK, identity: ID, suite: 'TLS_AES_128_GCM_SHA256', records: { client: [], server: [] },
};

/** The ServerHello record `rec` with extension (type, body) appended to its extension block. */
function withExtension(rec: Buffer, type: number, body: Buffer): Buffer {
  const sidLen = rec[5 + 4 + 2 + 32];
  const extsAt = 5 + 4 + 2 + 32 + 1 + sidLen + 2 + 1;
  const add = Buffer.concat([Buffer.from([type >> 8, type & 0xff, body.length >> 8, body.length & 0xff]), body]);
  const out = Buffer.concat([rec, add]);
  out.writeUInt16BE(out.readUInt16BE(extsAt) + add.length, extsAt);
  const hsLen = out.readUIntBE(6, 3) + add.length;
  out.writeUIntBE(hsLen, 6, 3);
  out.writeUInt16BE(out.length - 5, 3);
  return out;
}

const cases: [string, number, Buffer, string][] = [
  ['an extension type nobody knows', 0x7a7a, Buffer.alloc(0), 'unsupported_extension'],
  ['server_name, which belongs in EncryptedExtensions', 0, Buffer.alloc(0), 'illegal_parameter'],
  ['application_layer_protocol_negotiation, not a ServerHello extension', 16, Buffer.from([0, 3, 2, 0x68, 0x32]), 'illegal_parameter'],
  ['a cookie, which only a HelloRetryRequest may carry', 44, Buffer.from([0, 1, 9]), 'illegal_parameter'],
  ['supported_versions a second time', 43, Buffer.from([3, 4]), 'illegal_parameter'],
];

for (const [name, type, body, alert] of cases) {
  test(`a ServerHello with ${name}: the client answers ${alert}`, () => {
    const engine = new Engine({ slots: 2 });
    let rewritten = false;
    const link = new Link(engine, scenario, {
      tap: (from, i, rec) => {
        if (from !== 'server' || i !== 0) return rec;
        assert.equal(rec[5], 2, 'the first server record is the ServerHello');
        rewritten = true;
        return withExtension(rec, type, body);
      },
    });
    link.run();
    assert.ok(rewritten);
    const c = link.sides.client.conn;
    assert.equal(c.state, 'failed');
    assert.deepEqual(c.failure && { local: c.failure.local, alert: ALERT_NAMES[c.failure.alert] }, { local: true, alert });
    // The client refused the hello itself: it never derived handshake keys.
    assert.equal(link.secrets.client.has('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), false);
    link.close();
  });
}

test('the same ServerHello untouched completes (the rewriting is what fails the cases above)', () => {
  const engine = new Engine({ slots: 2 });
  const link = new Link(engine, scenario);
  link.run();
  assert.equal(link.sides.client.conn.state, 'open');
  assert.equal(link.sides.server.conn.state, 'open');
  link.close();
});
