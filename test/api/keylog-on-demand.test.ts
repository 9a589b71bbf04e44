// Key-log secrets only on demand, as node:tls (which turns OpenSSL's key-log
// callback on when a 'keylog' listener is added): a tlsrt connection asks the
// engine for EV_KEYLOG events (CF_KEYLOG) only when its socket, or the
// tls.Server that relays its sockets' lines, has a 'keylog' listener when the
// connection starts. Seen from below the host: the config every slot was
// opened with and every event its Conn handed up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import tls from '../../src/index.ts';
import { Engine, Conn, type EngineEvent } from '../../src/engine/engine.ts';
import type { EngineConfig } from '../../src/engine/config.ts';

const PSK = randomBytes(32);
const ID = 'keylog-on-demand';

/** Every slot the process opens, with its config and the kinds of the events it raised. */
const opened: { role: string; keylog: boolean; kinds: string[] }[] = [];
const origOpen = Engine.prototype.open;
Engine.prototype.open = function (this: Engine, role: 'client' | 'server', cfg: EngineConfig): Conn {
  const conn = origOpen.call(this, role, cfg);
  const rec = { role, keylog: !!cfg.keylog, kinds: [] as string[] };
  opened.push(rec);
  const events = conn.events.bind(conn);
  conn.events = (): EngineEvent[] => {
    const evs = events();
    rec.kinds.push(...evs.map((e) => e.kind));
    return evs;
  };
  return conn;
};

async function exchange(listen: { server: boolean; client: boolean }): Promise<{ server: string[]; client: string[] }> {
  opened.length = 0;
  const lines = { server: [] as string[], client: [] as string[] };
  const server = tls.createServer({ pskCallback: () => PSK, ciphers: 'TLS_AES_128_GCM_SHA256' }, (s) => {
    s.end('pong');
  });
  if (listen.server) server.on('keylog', (line: Buffer) => lines.server.push(line.toString('latin1')));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const client = tls.connect({
      port: (server.address() as AddressInfo).port, host: '127.0.0.1',
      pskCallback: () => ({ psk: PSK, identity: ID }), ciphers: 'TLS_AES_128_GCM_SHA256', checkServerIdentity: () => undefined,
    });
    if (listen.client) client.on('keylog', (line: Buffer) => lines.client.push(line.toString('latin1')));
    const got: Buffer[] = [];
    client.on('data', (d: Buffer) => got.push(d));
    const closed = once(client, 'close');
    await once(client, 'end');
    assert.equal(Buffer.concat(got).toString(), 'pong');
    client.destroy();
    await closed;
  } finally {
    server.close();
    await once(server, 'close');
  }
  return lines;
}

test('no listener anywhere: no slot is opened with CF_KEYLOG and no EV_KEYLOG reaches the host', async () => {
  await exchange({ server: false, client: false });
  assert.deepEqual(opened.map((o) => o.role).sort(), ['client', 'server']);
  for (const o of opened) {
    assert.equal(o.keylog, false, `${o.role} slot asked for key-log events`);
    assert.ok(o.kinds.includes('handshake'), `${o.role}: the connection completed (${o.kinds})`);
    assert.ok(!o.kinds.includes('keylog'), `${o.role}: no keylog events (${o.kinds})`);
  }
});

test("a 'keylog' listener on the client only: the client's slot logs its five secrets, the server's none", async () => {
  const lines = await exchange({ server: false, client: true });
  assert.equal(lines.client.length, 5);
  assert.equal(lines.server.length, 0);
  const byRole = Object.fromEntries(opened.map((o) => [o.role, o]));
  assert.equal(byRole.client.keylog, true);
  assert.equal(byRole.client.kinds.filter((k) => k === 'keylog').length, 5);
  assert.equal(byRole.server.keylog, false);
  assert.ok(!byRole.server.kinds.includes('keylog'));
});

test("a 'keylog' listener on the server only: its sockets log, the client does not; both sides' lines agree when both listen", async () => {
  const serverOnly = await exchange({ server: true, client: false });
  assert.equal(serverOnly.server.length, 5);
  assert.equal(serverOnly.client.length, 0);
  assert.deepEqual(opened.map((o) => `${o.role}:${o.keylog}`).sort(), ['client:false', 'server:true']);
  const both = await exchange({ server: true, client: true });
  assert.deepEqual([...both.client].sort(), [...both.server].sort(), 'the same five NSS lines on both sides');
  const labels = both.client.map((l) => /^([A-Z_0]+) [0-9a-f]{64} [0-9a-f]{64}\n$/.exec(l)?.[1]).sort();
  assert.deepEqual(labels, ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']);
});
