// TLS 1.2 in a board module: boards/<name>.json may add "versions": ["tls13",
// "tls12"] and name TLS 1.2 suites; the module is cut at compile time like
// the rest (assembly/features.ts HAS_TLS12, assembly/built.ts). The test
// builds the esp32's selection plus TLS 1.2 and three TLS 1.2 suites the way
// tools/build.mjs builds a board (asc -Oz with the board's --use flags,
// wasm-opt -Oz with the wasm3 feature set), then: its TLS 1.2 suites
// handshake with the Node module (plain PSK, ECDHE-PSK on secp256r1), a
// suite it did not select is E_UNSUPPORTED, and the board modules built
// without TLS 1.2 contain none of assembly/tls/tls12/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, EngineError } from '../../src/engine/engine.ts';
import { hostImports } from '../../src/engine/wasm-module.ts';
import { ascUseFlags } from '../../src/bundle/engine-features.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { side, shuttle } from '../helpers/engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'tlsrt-board12-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const FEATURES = ['--mvp-features', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals', '--enable-nontrapping-float-to-int'];

/** Function names of an asc output built with --debug. */
function functionNames(raw: string): string[] {
  return execFileSync('wasm-objdump', ['-x', raw], { encoding: 'utf8' }).split('\n').flatMap((l) => {
    const m = /^ - func\[\d+\].*<(.+)>/.exec(l);
    return m ? [m[1]] : [];
  });
}

test('a board module with engine.versions tls12: its TLS 1.2 suites work, others are refused; boards without it hold no TLS 1.2 code', () => {
  const esp32 = loadBoard('esp32').engine;
  const engine = { ...esp32, versions: ['tls13', 'tls12'] as ('tls13' | 'tls12')[],
    suites: [...esp32.suites, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', 'TLS_PSK_WITH_AES_128_GCM_SHA256'] };
  const raw = join(dir, 'esp32-tls12.raw.wasm');
  const out = join(dir, 'esp32-tls12.wasm');
  execFileSync('node_modules/.bin/asc', ['assembly/profiles/board.ts', '--config', 'asconfig.json', '--target', 'psk', '-Oz', ...ascUseFlags(engine), '--debug', '--outFile', raw]);
  execFileSync('node_modules/.bin/wasm-opt', [raw, ...FEATURES, '--no-inline=assembly/tls/*', '-Oz', '--strip-debug', '-o', out], { stdio: 'ignore' });
  assert.ok(functionNames(raw).some((n) => n.startsWith('assembly/tls/tls12/')), 'the tls12 module holds the TLS 1.2 machines');
  for (const b of ['esp32', 'rp2040']) {
    const r = `build/boards/${b}.raw.wasm`;
    assert.ok(existsSync(r), `${r} (npm run build)`);
    assert.deepEqual(functionNames(r).filter((n) => n.startsWith('assembly/tls/tls12/')), [], `${b}: no TLS 1.2 code`);
  }

  let mem: WebAssembly.Memory | undefined;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), hostImports(() => mem!));
  mem = inst.exports.memory as WebAssembly.Memory;
  const x = inst.exports as Record<string, (...a: number[]) => number>;
  assert.equal(x.selftest(), 1);
  // The board module behind the same binding the Node module has.
  const board = Object.create(Engine.prototype) as Engine;
  Object.assign(board, { x: inst.exports, geometry: { slots: 2, recvCap: 16645, sendCap: 16645, hsCap: 2048 } });
  assert.equal(x.init(2, 16645, 16645, 2048), 0);
  const node = new Engine({ slots: 2 });
  const PSK = Buffer.alloc(32, 0x5c);
  for (const [suite, groups] of [['PSK-CHACHA20-POLY1305', undefined], ['ECDHE-PSK-CHACHA20-POLY1305', ['secp256r1']], ['PSK-AES128-GCM-SHA256', undefined]] as const) {
    for (const boardRole of ['client', 'server'] as const) {
      const cfgC = { suites: [suite], minVersion: 'TLSv1.2' as const, pskIdentity: Buffer.from('board'), psk: PSK, groups: groups ? [...groups] : undefined };
      const cfgS = { suites: [suite], minVersion: 'TLSv1.2' as const, groups: groups ? [...groups] : undefined };
      const c = side((boardRole === 'client' ? board : node).open('client', cfgC));
      const s = side((boardRole === 'server' ? board : node).open('server', cfgS), () => ({ psk: PSK }));
      shuttle(c, s);
      assert.equal(c.conn.state, 'open', `${suite}, board as ${boardRole}: ${JSON.stringify(c.conn.failure ?? s.conn.failure)}`);
      assert.equal(c.conn.version, 'TLSv1.2');
      assert.ok(c.conn.exportKeyingMaterial(16, 'x').equals(s.conn.exportKeyingMaterial(16, 'x')));
      if (groups) assert.equal(board.x.info((boardRole === 'client' ? c : s).conn.id, 22 /* I_GROUP */), 0x0017);
      c.conn.close();
      s.conn.close();
    }
  }
  assert.throws(() => board.open('client', { suites: ['PSK-AES128-CCM'], minVersion: 'TLSv1.2', pskIdentity: Buffer.from('b'), psk: PSK }),
    (e: unknown) => e instanceof EngineError && e.code === -7, 'a TLS 1.2 suite the board did not select: E_UNSUPPORTED');
});
