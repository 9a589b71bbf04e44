// Checks every built .wasm the way a board would meet it: only the WebAssembly
// features wasm3 implements, only imports a board host provides, and a boot
// selftest that passes under a second, non-V8 interpreter (wabt's wasm-interp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { wasmPath, type Profile } from '../src/engine/wasm-module.ts';

// psk is the production module; test is psk plus the raw primitives (test/crypto/*).
const PROFILES: Profile[] = ['psk', 'test'];
// What boards/wasm3 links; anything else would fail to instantiate on a device.
const BOARD_IMPORTS = new Set(['env.random_fill', 'env.now_ms', 'env.log']);

for (const profile of PROFILES) {
  const file = wasmPath(profile);

  test(`${profile}: validates with only the features wasm3 implements`, () => {
    // wabt 1.0.32 enables SIMD by default; wasm3 has none. Threads, exceptions,
    // memory64, multi-memory, tail calls and GC are off by default in wabt.
    execFileSync('wasm-validate', ['--disable-simd', file], { stdio: 'pipe' });
    const mod = new WebAssembly.Module(readFileSync(file));
    for (const imp of WebAssembly.Module.imports(mod)) {
      assert.ok(BOARD_IMPORTS.has(`${imp.module}.${imp.name}`), `unexpected import ${imp.module}.${imp.name}`);
      assert.equal(imp.kind, 'function', 'a board host cannot supply imported memory, tables or globals');
    }
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    assert.ok(exports.includes('selftest') && exports.includes('memory'));
  });

  test(`${profile}: selftest passes under wabt wasm-interp (non-V8)`, () => {
    // wasm-interp exits 0 even when an export traps, so read what it printed.
    const out = execFileSync(
      'wasm-interp',
      [file, '--run-all-exports', '--dummy-import-func'],
      { encoding: 'utf8' },
    );
    assert.match(out, /^selftest\(\) => i32:1$/m, out);
  });
}
