// A production module (build/psk.wasm, every build/boards/<name>.wasm) exports
// the engine ABI and nothing else: the functions listed once in
// abi/engine-abi.json "exports", plus its memory. The raw-pointer crypto
// primitives are only in build/test.wasm. Read three ways: wabt's
// wasm-objdump (what `wasm-objdump -x build/psk.wasm` shows), V8's view of
// the export section, and the engine source the list describes; the C hosts
// look up no name outside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, ROOT } from '../tools/gen-abi.mjs';
import { wasmPath } from '../src/engine/wasm-module.ts';
import { PRODUCTION_MODULES, ABI_FUNCTIONS } from './helpers/abi-exports.ts';

const spec = loadSpec() as { exports: { memory: string; functions: { name: string; params: string[] }[] } };

test('the spec lists each function once, and assembly/engine.ts plus a self-test is exactly that list', () => {
  assert.equal(new Set(ABI_FUNCTIONS).size, ABI_FUNCTIONS.length, 'no function listed twice');
  const src = readFileSync(join(ROOT, 'assembly/engine.ts'), 'utf8');
  const engineFns = [...src.matchAll(/^export function (\w+)\(([^)]*)\)/gm)];
  assert.deepEqual([...engineFns.map((m) => m[1]), 'selftest'].sort(), [...ABI_FUNCTIONS].sort());
  // Parameter counts as the spec documents them.
  for (const m of engineFns) {
    const params = m[2].trim() ? m[2].split(',').length : 0;
    assert.equal(params, spec.exports.functions.find((f) => f.name === m[1])!.params.length, `${m[1]} parameters`);
  }
  // engine.ts exports no constants (they would become exported globals).
  assert.doesNotMatch(src, /^export (const|let|var|\{|\*)/m);
});

for (const { name, file } of PRODUCTION_MODULES) {
  test(`${name}: wasm-objdump -x shows exactly the ABI's functions and memory`, () => {
    const out = execFileSync('wasm-objdump', ['-x', '-j', 'Export', file], { encoding: 'utf8' });
    const count = Number(/Export\[(\d+)\]/.exec(out)?.[1]);
    const rows = [...out.matchAll(/^ - (func|memory|global|table)\[\d+\].* -> "([^"]+)"$/gm)].map((m) => ({ kind: m[1], name: m[2] }));
    assert.equal(rows.length, count, 'every export row read');
    assert.deepEqual(rows.filter((r) => r.kind === 'func').map((r) => r.name).sort(), [...ABI_FUNCTIONS].sort());
    assert.deepEqual(rows.filter((r) => r.kind !== 'func'), [{ kind: 'memory', name: spec.exports.memory }]);
  });

  test(`${name}: V8 sees the same export section (functions with the documented arity)`, () => {
    const mod = new WebAssembly.Module(readFileSync(file));
    const x = new WebAssembly.Instance(mod, { env: { random_fill() {}, now_ms: () => 0n, log() {} } }).exports;
    const names = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    assert.deepEqual(names, [...ABI_FUNCTIONS, spec.exports.memory].sort());
    for (const f of spec.exports.functions) assert.equal((x[f.name] as Function).length, f.params.length, `${f.name} arity`);
  });
}

test('build/test.wasm is psk.wasm plus the primitives: every ABI function and e.g. sha256, x25519, gcm_seal', () => {
  const names = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmPath('test')))).map((e) => e.name);
  for (const f of ABI_FUNCTIONS) assert.ok(names.includes(f), f);
  for (const f of ['sha256', 'hkdf_expand_label', 'x25519', 'gcm_seal', 'chacha20poly1305_open', 'wipe']) assert.ok(names.includes(f), f);
});

test('the C hosts (wasm3 and aot) call no export outside the ABI', () => {
  const wasm3 = readFileSync(join(ROOT, 'boards/wasm3/tlsrt_runtime_wasm3.c'), 'utf8');
  const list = /k_export_names\[F_COUNT\] = \{([\s\S]*?)\};/.exec(wasm3)?.[1] ?? '';
  const found = [...list.matchAll(/"(\w+)"/g), ...wasm3.matchAll(/m3_FindFunction\([^,]+,[^,]+,\s*"(\w+)"\)/g)].map((m) => m[1]);
  const aot = readFileSync(join(ROOT, 'boards/aot/tlsrt_runtime_aot.c'), 'utf8');
  found.push(...[...aot.matchAll(/Z_tlsrtZ_(\w+)\(/g)].map((m) => m[1]));
  assert.ok(found.length >= 20 && found.includes('heap_base') && found.includes('selftest'), `read the hosts' names: ${found}`);
  for (const n of found) assert.ok(ABI_FUNCTIONS.includes(n), `${n} is used by a C host but is not in abi/engine-abi.json "exports"`);
});
