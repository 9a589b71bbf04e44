// The engine ABI's one source, abi/engine-abi.json: the files generated from
// it (tools/gen-abi.mjs) are the ones committed, and the engine module behaves
// as the spec says wherever the values can be seen from outside — its error
// codes and a whole handshake driven through the raw exports with config and
// hello-reply blobs encoded from the spec alone (not through src/engine,
// which itself uses the generated constants). What the module exports is
// test/abi-exports.test.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAbi, checkSpec, loadSpec, ROOT } from '../tools/gen-abi.mjs';
import { instantiateProfile } from '../src/engine/wasm-module.ts';

interface Constant { name: string; value: number; doc: string; label?: string }
interface Group { prefix: string; type: string; about: string; constants: Constant[] }
const spec = loadSpec() as { groups: Group[] };
/** Spec value of e.g. 'E_BAD_SLOT', read from the JSON itself. */
const V: Record<string, number> = {};
for (const g of spec.groups) for (const c of g.constants) V[g.prefix + c.name] = c.value;

test('the generated ABI files are what tools/gen-abi.mjs makes of abi/engine-abi.json (run npm run build if not)', () => {
  const files = renderAbi(spec) as Record<string, string>;
  assert.deepEqual(Object.keys(files).sort(), ['assembly/abi.ts', 'boards/wasm3/tlsrt_abi.h', 'src/engine/abi.ts']);
  for (const [path, text] of Object.entries(files)) {
    const onDisk = readFileSync(join(ROOT, path), 'utf8');
    assert.ok(onDisk === text, `${path} is stale: regenerate it with node tools/gen-abi.mjs (or npm run build)`);
    assert.match(onDisk.split('\n')[0], /Generated from abi\/engine-abi\.json by tools\/gen-abi\.mjs; do not edit/);
    for (const name of Object.keys(V)) assert.ok(onDisk.includes(name), `${path} defines ${name}`);
  }
});

test('the generator refuses a spec with a duplicate value, a missing doc line or an out-of-range value', () => {
  const copy = () => JSON.parse(JSON.stringify(spec)) as { groups: Group[] };
  const dup = copy();
  dup.groups[0].constants[1].value = dup.groups[0].constants[0].value;
  assert.throws(() => checkSpec(dup), /duplicate/);
  const undocumented = copy();
  undocumented.groups[0].constants[0].doc = '';
  assert.throws(() => checkSpec(undocumented), /doc line/);
  const wide = copy();
  wide.groups.find((g) => g.type === 'u8')!.constants[0].value = 256;
  assert.throws(() => checkSpec(wide), /not a u8/);
});

type X = Record<string, any> & { memory: WebAssembly.Memory };
const engine = (): X => instantiateProfile('psk').exports as unknown as X;

test('error codes: E_NOT_INIT, E_BAD_ARG, E_BAD_SLOT, E_CONFIG, E_NO_SLOT as the spec numbers them', () => {
  const x = engine();
  assert.equal(x.open(V.ROLE_CLIENT, 0), V.E_NOT_INIT);
  assert.equal(x.init(0, 1024, 1024, 1024), V.E_BAD_ARG);
  assert.equal(x.init(2, 5 + 16384 + 256, 5 + 16384 + 256, 2048), 0);
  assert.equal(x.info(999, V.I_STATE), V.E_BAD_SLOT);
  assert.equal(x.event_kind(-1), V.E_BAD_SLOT);
  assert.equal(x.open(2, 0), V.E_BAD_ARG, 'a role that is neither ROLE_CLIENT nor ROLE_SERVER');
  const mem = () => new Uint8Array(x.memory.buffer);
  // A TLV whose length runs past the blob, then a CFG_PSK_HASH that names no hash.
  mem().set([V.CFG_PSK_IDENTITY, 0x00, 0x10, 1, 2], x.io_ptr());
  assert.equal(x.open(V.ROLE_CLIENT, 5), V.E_CONFIG);
  mem().set([V.CFG_PSK_HASH, 0x00, 0x01, 7], x.io_ptr());
  assert.equal(x.open(V.ROLE_CLIENT, 4), V.E_CONFIG);
  assert.equal(x.open(V.ROLE_CLIENT, 0), V.E_CONFIG, 'a client config without a PSK');
  const a = x.open(V.ROLE_SERVER, 0);
  const b = x.open(V.ROLE_SERVER, 0);
  assert.ok(a >= 0 && b >= 0);
  assert.equal(x.open(V.ROLE_SERVER, 0), V.E_NO_SLOT);
  assert.equal(x.info(a, V.I_STATE), V.ST_HANDSHAKE);
  assert.equal(x.info(b, V.I_ROLE), V.ROLE_SERVER);
  assert.equal(x.exporter(a, 4, 0, 16), V.E_STATE, 'no exporter before the handshake');
  assert.equal(x.close(a), 0);
  assert.equal(x.info(a, V.I_STATE), V.E_BAD_SLOT, 'a closed slot');
  assert.equal(x.info(b, 999), V.E_BAD_ARG);
});

test('a handshake through the raw exports with spec-encoded blobs: tags, flags, events, key-log labels and info selectors agree', () => {
  const x = engine();
  assert.equal(x.init(2, 5 + 16384 + 256, 5 + 16384 + 256, 2048), 0);
  const mem = () => new Uint8Array(x.memory.buffer);
  const tlv = (tag: number, v: number[] | Uint8Array) => [tag, v.length >> 8, v.length & 0xff, ...v];
  const put = (blob: number[]) => {
    assert.ok(blob.length <= x.io_cap());
    mem().set(blob, x.io_ptr());
    return blob.length;
  };
  const identity = [...Buffer.from('abi-client')];
  const key = [...Buffer.alloc(48, 0x5a)];
  const sni = [...Buffer.from('abi.example')];
  const client = x.open(V.ROLE_CLIENT, put([
    ...tlv(V.CFG_SUITES, [0x13, 0x02]), ...tlv(V.CFG_PSK_IDENTITY, identity), ...tlv(V.CFG_PSK_KEY, key),
    ...tlv(V.CFG_PSK_HASH, [1]), ...tlv(V.CFG_KX_MODES, [V.KX_PSK_KE]), ...tlv(V.CFG_SERVER_NAME, sni),
    ...tlv(V.CFG_FLAGS, [V.CF_KEYLOG]),
  ]));
  // No PSK in the server's config: it asks the host through EV_CLIENT_HELLO.
  const server = x.open(V.ROLE_SERVER, put([...tlv(V.CFG_PSK_HASH, [1]), ...tlv(V.CFG_KX_MODES, [V.KX_PSK_KE | V.KX_PSK_DHE_KE])]));
  assert.ok(client >= 0 && server >= 0, `open: ${client} ${server}`);

  const events: Record<number, { kind: number; arg: number; data: Buffer }[]> = { [client]: [], [server]: [] };
  const drainEvents = (s: number) => {
    for (let k = x.event_kind(s); k > 0; k = x.event_kind(s)) {
      const data = Buffer.from(mem().subarray(x.event_data_ptr(s), x.event_data_ptr(s) + x.event_data_len(s)));
      events[s].push({ kind: k, arg: x.event_arg(s) >>> 0, data });
      assert.equal(x.event_pop(s), 0);
      if (s === server && k === V.EV_CLIENT_HELLO) {
        // Reply with the key for the identity the CH_IDENTITY field names.
        let off = 0;
        const fields: Record<number, Buffer[]> = {};
        while (off + 3 <= data.length) {
          const len = (data[off + 1] << 8) | data[off + 2];
          (fields[data[off]] ??= []).push(data.subarray(off + 3, off + 3 + len));
          off += 3 + len;
        }
        assert.equal(off, data.length, 'CLIENT_HELLO data is whole TLVs');
        assert.deepEqual(fields[V.CH_IDENTITY], [Buffer.from(identity)]);
        assert.deepEqual(fields[V.CH_SERVER_NAME], [Buffer.from(sni)]);
        assert.equal(x.hello_reply(server, put([...tlv(V.HR_PSK_INDEX, [0]), ...tlv(V.HR_PSK_KEY, key)])), 0);
      }
    }
  };
  const move = (from: number, to: number) => {
    let moved = false;
    for (;;) {
      const n = Math.min(x.send_len(from), x.recv_want(to));
      if (n <= 0) return moved;
      mem().copyWithin(x.recv_ptr(to), x.send_ptr(from), x.send_ptr(from) + n);
      assert.equal(x.send_commit(from, n), 0);
      assert.equal(x.recv_commit(to, n), 0);
      moved = true;
    }
  };
  for (let round = 0, moved = true; moved; round++) {
    assert.ok(round < 100, 'the handshake settles');
    drainEvents(client);
    drainEvents(server);
    moved = move(client, server);
    moved = move(server, client) || moved;
  }
  drainEvents(client);
  drainEvents(server);

  for (const s of [client, server]) {
    assert.equal(x.info(s, V.I_STATE), V.ST_OPEN);
    assert.equal(x.info(s, V.I_SUITE), 0x1302);
    assert.equal(x.info(s, V.I_KX), V.KX_PSK_KE);
    assert.equal(x.info(s, V.I_HASH_LEN), 48);
    assert.equal(x.info(s, V.I_VERSION), 0x0304);
    assert.equal(x.info(s, V.I_GROUP), 0, 'psk_ke: no (EC)DHE group');
    assert.equal(x.info(s, V.I_FAIL_REASON), V.R_NONE);
    assert.ok(events[s].some((e) => e.kind === V.EV_HANDSHAKE_DONE), `slot ${s}: EV_HANDSHAKE_DONE`);
    assert.ok(!events[s].some((e) => e.kind === V.EV_ERROR), `slot ${s}: no EV_ERROR`);
  }
  assert.equal(x.info(server, V.I_SNI_LEN), sni.length);
  assert.deepEqual([...mem().subarray(x.info_ptr(server, V.IP_SNI), x.info_ptr(server, V.IP_SNI) + sni.length)], sni);
  assert.equal(x.info(server, V.I_IDENTITY_LEN), identity.length);
  assert.deepEqual([...mem().subarray(x.info_ptr(server, V.IP_IDENTITY), x.info_ptr(server, V.IP_IDENTITY) + identity.length)], identity);
  const cf = Buffer.from(mem().subarray(x.info_ptr(client, V.IP_CLIENT_FINISHED), x.info_ptr(client, V.IP_CLIENT_FINISHED) + 48));
  const sf = Buffer.from(mem().subarray(x.info_ptr(server, V.IP_CLIENT_FINISHED), x.info_ptr(server, V.IP_CLIENT_FINISHED) + 48));
  assert.ok(cf.equals(sf) && cf.some((b) => b !== 0), 'both sides point IP_CLIENT_FINISHED at the same verify_data');
  // CF_KEYLOG on the client only: one event per KL_* label, data = client_random(32) || secret(48).
  const random = Buffer.from(mem().subarray(x.info_ptr(client, V.IP_CLIENT_RANDOM), x.info_ptr(client, V.IP_CLIENT_RANDOM) + 32));
  // Every TLS 1.3 label: KL_CLIENT_RANDOM is the TLS 1.2 master secret's line.
  const kl = spec.groups.find((g) => g.prefix === 'KL_')!.constants.filter((c) => c.label !== 'CLIENT_RANDOM').map((c) => c.value);
  const logged = events[client].filter((e) => e.kind === V.EV_KEYLOG);
  assert.deepEqual(logged.map((e) => e.arg).sort(), [...kl].sort());
  for (const e of logged) assert.ok(e.data.length === 80 && e.data.subarray(0, 32).equals(random));
  assert.ok(!events[server].some((e) => e.kind === V.EV_KEYLOG), 'no key-log events without CF_KEYLOG');
  assert.ok(events[server].some((e) => e.kind === V.EV_CLIENT_HELLO));

  // A fatal alert from the host's hello-reply path is covered elsewhere; here the
  // close path: shutdown on one side yields EV_PEER_CLOSED and I_CLOSE_RECV on the other.
  assert.equal(x.shutdown(client), 0);
  move(client, server);
  drainEvents(server);
  assert.ok(events[server].some((e) => e.kind === V.EV_PEER_CLOSED));
  assert.equal(x.info(server, V.I_CLOSE_RECV), 1);
  assert.equal(x.info(client, V.I_CLOSE_SENT), 1);
  for (const s of [client, server]) for (const e of events[s]) assert.notEqual(e.kind, V.EV_ALERT, 'EV_ALERT is reserved, never sent');
});
