// The aot runtime's sandbox, on its own: a small module compiled by wasm2c
// and linked with boards/aot/wasm_rt_static.c over a 1 KiB linear memory
// (smaller than a 64 KiB page), built with this machine's C compiler. An
// access past the buffer — even one inside the declared page — traps (an
// error return, no write past the buffer: a canary behind it stays intact),
// memory.size answers the declared page, memory.grow fails, memory.fill is
// bounds-checked too, and the instance keeps working after a trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasm2c, wasm2cAvailable } from '../../src/bundle/wasm2c.ts';
import { boardsDir } from '../../src/bundle/board.ts';

const WAT = `(module
  (memory (export "memory") 1)
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 7) (local.get 1)))
  (func (export "boom") (unreachable)))`;

const MAIN = `#include "tlsrt_aot_config.h"
#include <stdio.h>
#include <string.h>
#include "wasm_rt_static.h"
#include "tlsrt_engine.h"

static struct { uint8_t mem[1024]; uint8_t canary[64]; } g;
static Z_tlsrt_instance_t I;

/* Runs one call under a trap target: prints "name=value" or "name=trap:<reason>". */
#define TRY(name, expr) do { jmp_buf jb; if (setjmp(jb) == 0) { tlsrt_aot_enter(&jb); { long v = (long)(expr); tlsrt_aot_leave(); printf("%s=%ld\\n", name, v); } } \\
  else printf("%s=trap:%d\\n", name, (int)tlsrt_aot_last_trap()); } while (0)

int main(void) {
  jmp_buf jb;
  memset(g.canary, 0x5a, sizeof g.canary);
  wasm_rt_init();
  Z_tlsrt_init_module();
  tlsrt_aot_memory_provide(g.mem, sizeof g.mem);
  if (setjmp(jb) != 0) { puts("instantiate=trap"); return 1; }
  tlsrt_aot_enter(&jb);
  Z_tlsrt_instantiate(&I); /* the module imports nothing */
  tlsrt_aot_leave();
  TRY("store_last", (Z_tlsrtZ_store(&I, 1020, 42), 0));
  TRY("load_last", Z_tlsrtZ_load(&I, 1020));
  TRY("store_straddle", (Z_tlsrtZ_store(&I, 1021, 1), 0));
  TRY("store_in_page", (Z_tlsrtZ_store(&I, 60000, 1), 0));
  TRY("load_in_page", Z_tlsrtZ_load(&I, 1024));
  TRY("fill_over", (Z_tlsrtZ_fill(&I, 1000, 100), 0));
  TRY("fill_in", (Z_tlsrtZ_fill(&I, 1000, 24), 0));
  TRY("size", Z_tlsrtZ_size(&I));
  TRY("grow", (int)Z_tlsrtZ_grow(&I, 1));
  TRY("unreachable", (Z_tlsrtZ_boom(&I), 0));
  TRY("after_trap", Z_tlsrtZ_load(&I, 1020));
  {
    size_t i;
    int intact = 1;
    for (i = 0; i < sizeof g.canary; i++) intact &= g.canary[i] == 0x5a;
    printf("canary=%d\\n", intact);
  }
  Z_tlsrt_free(&I);
  printf("wiped=%d\\n", g.mem[1020] == 0 && g.mem[1000] == 0);
  return 0;
}
`;

const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0);
const skip = wasm2cAvailable() ?? (spawnSync('wat2wasm', ['--version']).status !== 0 ? 'wat2wasm not found (Debian wabt)' : undefined) ?? (cc ? undefined : 'no C compiler');

test('aot runtime: linear memory smaller than a page stays bounds-checked; traps are error returns', { skip: skip ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-aot-rt-'));
  try {
    writeFileSync(join(dir, 'm.wat'), WAT);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    const c = wasm2c(readFileSync(join(dir, 'm.wasm')));
    writeFileSync(join(dir, 'tlsrt_engine.c'), c.source);
    writeFileSync(join(dir, 'tlsrt_engine.h'), c.header);
    writeFileSync(join(dir, 'tlsrt_aot_config.h'), c.config);
    writeFileSync(join(dir, 'wasm-rt.h'), c.wasmRtHeader);
    writeFileSync(join(dir, 'main.c'), MAIN);
    for (const f of ['wasm_rt_static.c', 'wasm_rt_static.h']) copyFileSync(join(boardsDir(), 'aot', f), join(dir, f));
    const exe = join(dir, 'rt');
    execFileSync(cc!, ['-std=gnu99', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter', `-I${dir}`, join(dir, 'wasm_rt_static.c'), '-c', '-o', join(dir, 'rt.o')], { stdio: 'pipe' });
    execFileSync(cc!, ['-std=gnu99', '-O2', '-w', `-I${dir}`, join(dir, 'main.c'), join(dir, 'tlsrt_engine.c'), join(dir, 'rt.o'), '-lm', '-o', exe], { stdio: 'pipe' });
    const out = Object.fromEntries(execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=') as [string, string]));
    const OOB = 'trap:1'; // WASM_RT_TRAP_OOB
    assert.equal(out.store_last, '0', 'the last 4 bytes of the buffer are usable');
    assert.equal(out.load_last, '42');
    assert.equal(out.store_straddle, OOB, 'a store crossing the end traps');
    assert.equal(out.store_in_page, OOB, 'inside the declared page but past the buffer: traps');
    assert.equal(out.load_in_page, OOB);
    assert.equal(out.fill_over, OOB, 'memory.fill past the end traps');
    assert.equal(out.fill_in, '0');
    assert.equal(out.size, '1', 'memory.size answers the declared page');
    assert.equal(out.grow, '-1', 'memory.grow fails');
    assert.equal(out.unreachable, 'trap:5', 'unreachable traps (WASM_RT_TRAP_UNREACHABLE)');
    assert.equal(out.after_trap, '117901063', 'the instance works after a trap (the fill left 0x07070707)');
    assert.equal(out.canary, '1', 'nothing was written past the buffer');
    assert.equal(out.wiped, '1', 'freeing the instance wipes its memory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
