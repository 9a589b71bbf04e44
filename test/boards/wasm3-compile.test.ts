// Every function of every board module compiles under wasm3 built with that
// board's settings (d_m3MaxFunctionStackHeight 128 and the rest of
// src/bundle/defines.ts): a function too tall for the MCU stack height would
// fail on the device the first time it is called. Needs a wasm3 checkout
// (WASM3_DIR, as `npm run test:device`) and a C compiler; without them the
// test is reported as skipped, with the reason.
//   git clone https://github.com/wasm3/wasm3 /tmp/wasm3 && WASM3_DIR=/tmp/wasm3 node --import tsx --test test/boards/wasm3-compile.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { boardNames, loadBoard } from '../../src/bundle/board.ts';
import { wasm3Defines, WASM3_SOURCES } from '../../src/bundle/defines.ts';
import { boardWasmPath } from '../../src/engine/wasm-module.ts';

const WASM3_DIR = process.env.WASM3_DIR;
const CC = process.env.CC ?? 'cc';
const skip = !WASM3_DIR
  ? 'WASM3_DIR is not set (a wasm3 checkout with source/wasm3.h is needed to compile the board modules under wasm3)'
  : !existsSync(join(WASM3_DIR, 'source', 'wasm3.h'))
    ? `WASM3_DIR=${WASM3_DIR} has no source/wasm3.h`
    : spawnSync(CC, ['--version']).status !== 0
      ? `no C compiler (${CC})`
      : false;

const work = skip ? '' : mkdtempSync(join(tmpdir(), 'tlsrt-wasm3-compile-'));
test.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const name of boardNames()) {
  test(`${name}: every function of build/boards/${name}.wasm compiles under wasm3 with the board's settings`, { skip }, () => {
    const b = loadBoard(name);
    assert.equal(b.wasm3.maxFunctionStackHeight, 128);
    const defs = wasm3Defines(b).map(([k, v]) => `-D${k}=${v}`);
    const exe = join(work, `compile_all_${name}`);
    const src = join(WASM3_DIR!, 'source');
    // -O0: this checks wasm3's compiler limits, which do not depend on how wasm3 itself is optimised.
    execFileSync(CC, ['-O0', '-w', '-std=gnu99', ...defs, `-I${src}`, join(import.meta.dirname, 'wasm3', 'compile_all.c'),
      ...WASM3_SOURCES.map((f) => join(src, f)), '-lm', '-o', exe], { stdio: 'pipe' });
    const r = spawnSync(exe, [boardWasmPath(name)], { encoding: 'utf8' });
    const m = /^RESULT ok=(\d) functions=(\d+)\/(\d+)(.*)$/m.exec(r.stdout);
    assert.ok(m, r.stdout + r.stderr);
    assert.equal(m[1], '1', `${name}: ${m[0]}`);
    assert.equal(m[2], m[3]);
    assert.ok(Number(m[3]) > 50, 'the module has its functions');
    assert.equal(r.status, 0);
  });
}
