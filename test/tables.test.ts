// The cipher-suite and group tables' one source, abi/tables.json: the files
// generated from it (tools/gen-tables.mjs) are the ones committed, the
// generator refuses a malformed table, and the engine module behaves as the
// table says — every suite and group it lists is accepted by open(), ids it
// does not list are refused, and a handshake on each group reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { renderTables, checkTables, loadTables, ROOT } from '../tools/gen-tables.mjs';
import { Engine, EngineError } from '../src/engine/engine.ts';
import * as ABI from '../src/engine/abi.ts';
import { side, shuttle } from './helpers/engine.ts';

interface Suite { id: string; name: string; version: string; hash: string; aead: string; keyLen: number; ivLen: number; tagLen: number }
interface Group { id: string; name: string; shareLen: number }
const spec = loadTables() as { suites: Suite[]; groups: Group[]; aeads: { name: string }[] };

test('the generated table files are what tools/gen-tables.mjs makes of abi/tables.json (run npm run build if not)', () => {
  const files = renderTables(spec) as Record<string, string>;
  assert.deepEqual(Object.keys(files).sort(), ['assembly/built.ts', 'assembly/tls/tables.ts', 'boards/wasm3/tlsrt_tables.h', 'src/engine/tables.ts']);
  for (const [path, text] of Object.entries(files)) {
    const onDisk = readFileSync(join(ROOT, path), 'utf8');
    assert.ok(onDisk === text, `${path} is stale: regenerate it with node tools/gen-tables.mjs (or npm run build)`);
    assert.match(onDisk.split('\n')[0], /Generated from abi\/tables\.json by tools\/gen-tables\.mjs; do not edit/);
    for (const s of spec.suites) assert.ok(onDisk.includes(s.name.replace(/^TLS_/, '')), `${path} names ${s.name}`);
  }
});

test('the generator refuses a duplicate suite id, an unknown AEAD, a TLS 1.3 suite with a TLS 1.2 key exchange', () => {
  const copy = () => JSON.parse(JSON.stringify(spec));
  const dup = copy();
  dup.suites[1].id = dup.suites[0].id;
  assert.throws(() => checkTables(dup), /duplicate/);
  const aead = copy();
  aead.suites[0].aead = 'rot13';
  assert.throws(() => checkTables(aead), /unknown aead/);
  const kx = copy();
  kx.suites[0].kx = 'psk';
  assert.throws(() => checkTables(kx), /kx must be tls13/);
  const group = copy();
  group.groups.push({ ...group.groups[0] });
  assert.throws(() => checkTables(group), /duplicate id/);
});

const PSK = randomBytes(32);
const ID = Buffer.from('tables-test');

test('every suite in the table opens in the Node module; an id outside the table is a config error', () => {
  const engine = new Engine({ slots: 2 });
  for (const s of spec.suites) {
    // A TLS 1.2 suite alone is offered only when the versions allow TLS 1.2 (else the client has nothing to offer).
    const v12 = s.version === '0x0303' ? { minVersion: 'TLSv1.2' as const } : {};
    const c = engine.open('client', { suites: [s.name], pskIdentity: ID, psk: PSK, pskHash: s.hash === 'sha384' ? 'sha384' : 'sha256', ...v12 });
    c.close();
  }
  // Raw config: CFG_SUITES naming 0x1306, which no table entry has.
  const x = engine as unknown as { x: Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory } };
  const ids = new Set(spec.suites.map((s) => Number.parseInt(s.id, 16)));
  let unknown = 0x1306;
  while (ids.has(unknown)) unknown++;
  const blob = [ABI.CFG_SUITES, 0, 2, unknown >> 8, unknown & 0xff, ABI.CFG_PSK_IDENTITY, 0, ID.length, ...ID, ABI.CFG_PSK_KEY, 0, PSK.length, ...PSK];
  new Uint8Array(x.x.memory.buffer).set(blob, x.x.io_ptr());
  assert.equal(x.x.open(ABI.ROLE_CLIENT, blob.length), ABI.E_CONFIG);
});

for (const g of spec.groups) {
  test(`group ${g.name} (${g.id}): named in CFG_GROUPS, a psk_dhe_ke handshake uses it and both sides report it`, () => {
    const engine = new Engine({ slots: 2 });
    const client = side(engine.open('client', { groups: [g.name], kxModes: ['psk_dhe_ke'], pskIdentity: ID, psk: PSK }));
    const server = side(engine.open('server', { groups: [g.name], kxModes: ['psk_dhe_ke'] }), (ev) => ({ psk: ev.identity.equals(ID) ? PSK : null }));
    shuttle(client, server);
    for (const c of [client.conn, server.conn]) {
      assert.equal(c.state, 'open');
      assert.equal(c.kx, 'psk_dhe_ke');
      assert.equal(c.group, g.name);
    }
    assert.ok(client.conn.clientFinished.equals(server.conn.clientFinished));
    client.conn.close();
    server.conn.close();
  });
}

test('CFG_GROUPS: a group id outside the table, or more groups than the table has, is a config error', () => {
  const engine = new Engine({ slots: 1 });
  assert.throws(() => engine.open('server', { groups: ['x448'] }), /unknown key-exchange group x448/);
  const tooMany = [...spec.groups.map((g) => g.name), spec.groups[0].name];
  assert.throws(() => engine.open('server', { groups: tooMany }), (e: unknown) => e instanceof EngineError && e.code === ABI.E_CONFIG);
});
