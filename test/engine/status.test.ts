// status(slot), the one word a host polls (ABI SB_* bits), against the
// separate queries it replaces, at every step of real connections: a
// handshake with the host answering the PSK lookup, data both ways, a
// KeyUpdate, close_notify, and a failure. A bit that disagreed with its
// query at any step fails the test, naming the step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Engine, type Conn } from '../../src/engine/engine.ts';
import * as ABI from '../../src/engine/abi.ts';

const PSK = randomBytes(32);
const ID = Buffer.from('status-test');

/** The bits as the separate queries say them. */
function expected(c: Conn): number {
  const x = c.engine.x;
  const id = c.id;
  const state = x.info(id, ABI.I_STATE);
  let st = 0;
  if (x.recv_want(id) > 0) st |= ABI.SB_WANT_INPUT;
  if (x.send_len(id) > 0) st |= ABI.SB_OUTPUT;
  if (x.app_in_len(id) > 0) st |= ABI.SB_APP_IN;
  if (x.event_kind(id) > 0) st |= ABI.SB_EVENT;
  if (state === ABI.ST_CLOSED || state === ABI.ST_FAILED) st |= ABI.SB_CLOSED;
  if (x.app_out_cap(id) > 0) st |= ABI.SB_APP_OUT;
  return st;
}

const seen = new Set<number>();
function check(c: Conn, step: string): number {
  const st = c.engine.x.status(c.id);
  const waitHost = st & ABI.SB_WAIT_HOST;
  assert.equal(st & ~ABI.SB_WAIT_HOST, expected(c), `${step}: status ${st.toString(2)} vs queries ${expected(c).toString(2)}`);
  if (waitHost) assert.equal(st & ABI.SB_WANT_INPUT, 0, `${step}: a slot waiting for the host takes no input`);
  seen.add(st);
  return st;
}

/** Moves everything between a client and a server, checking both words before and after every call. */
function run(client: Conn, server: Conn, onHello: (s: Conn) => void, rounds = 200): void {
  for (let r = 0; r < rounds; r++) {
    let moved = false;
    for (const [from, to] of [[client, server], [server, client]] as const) {
      if (from.isClosed || to.isClosed) continue;
      const st = check(from, `round ${r} ${from === client ? 'client' : 'server'}`);
      if (st & ABI.SB_EVENT) {
        for (const ev of from.events()) if (ev.kind === 'clientHello') {
          assert.ok(check(from, 'after the clientHello event') & ABI.SB_WAIT_HOST, 'waiting for the hello reply');
          onHello(from);
        }
        moved = true;
      }
      while (from.readApp()) moved = true;
      const out = from.takeOutput();
      if (out) {
        check(from, 'output taken');
        assert.equal(to.feed(out), out.length);
        check(to, 'input fed');
        moved = true;
      }
    }
    if (!moved) return;
  }
}

test('status(): every bit agrees with its separate query through handshake, data, KeyUpdate, close_notify', () => {
  const engine = new Engine({ slots: 2 });
  const client = engine.open('client', { pskIdentity: ID, psk: PSK, kxModes: ['psk_dhe_ke'] });
  const server = engine.open('server', {});
  assert.ok(check(client, 'client opened') & ABI.SB_OUTPUT, 'the ClientHello waits');
  run(client, server, (s) => s.helloReply({ psk: PSK }));
  assert.equal(client.state, 'open');
  assert.ok(check(client, 'open') & ABI.SB_APP_OUT);
  assert.ok(client.writeApp(Buffer.from('ping')) > 0);
  assert.ok(check(client, 'written') & ABI.SB_OUTPUT);
  server.feed(client.takeOutput()!);
  assert.ok(check(server, 'data arrived') & ABI.SB_APP_IN);
  run(client, server, () => {});
  client.keyUpdate(true);
  check(client, 'KeyUpdate queued');
  run(client, server, () => {});
  client.shutdown();
  run(client, server, () => {});
  server.shutdown();
  run(client, server, () => {});
  assert.ok(check(client, 'both closed') & ABI.SB_CLOSED);
  for (const bit of [ABI.SB_WANT_INPUT, ABI.SB_OUTPUT, ABI.SB_APP_IN, ABI.SB_EVENT, ABI.SB_CLOSED, ABI.SB_APP_OUT, ABI.SB_WAIT_HOST]) {
    assert.ok([...seen].some((s) => s & bit), `bit ${bit} was seen set at some step`);
  }
  client.close();
  server.close();
});

test('status(): a failed connection says CLOSED (and EVENT for its error), a bad slot E_BAD_SLOT', () => {
  const engine = new Engine({ slots: 2 });
  const client = engine.open('client', { pskIdentity: ID, psk: PSK });
  const server = engine.open('server', {});
  run(client, server, (s) => s.helloReply({ psk: randomBytes(32) })); // the wrong key: the binder fails
  assert.equal(server.state, 'failed');
  assert.ok(engine.x.status(server.id) & ABI.SB_CLOSED);
  assert.equal(engine.x.status(-1), ABI.E_BAD_SLOT);
  assert.equal(engine.x.status(7), ABI.E_BAD_SLOT);
  client.close();
  server.close();
  assert.equal(engine.x.status(client.id), ABI.E_BAD_SLOT, 'a closed slot');
});
