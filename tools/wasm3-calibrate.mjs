#!/usr/bin/env node
// Measures how many machine instructions wasm3 executes per counted wasm
// instruction, for the fib(24) the cost model is calibrated on
// (src/sim/cost-model.ts) and for the engine's real workloads — the check on
// the model's one-constant-per-core assumption.
//
//   WASM3_DIR=/path/to/wasm3 node tools/wasm3-calibrate.mjs
//
// For every workload (fib32, fib64, selftest, x25519, chacha, sha256, gcm,
// and three 100,000-iteration loops that differ only in one op —
// loop_i32add, loop_i64add, loop_i64mul — which price an emulated i64 op;
// see boards/wasm3/examples/calibrate_host.c):
//  - counted ops: the module instrumented by tools/instrument.mjs (exactly as
//    build/<profile>.sim.wasm is made) runs the call once in V8 after a
//    warm-up; the difference of __sim_ops / __sim_i64alu / __sim_i64mul / __sim_calls;
//  - x86-32 and x86-64: wasm3 and calibrate_host.c built with gcc (-O2) and
//    the rp2040's wasm3 settings, run under valgrind's callgrind with the call
//    repeated R times and 0 times after a warm-up (wasm3 compiles lazily):
//    (Ir(R) - Ir(0)) / R machine instructions per call;
//  - Thumb-1 (Cortex-M0+, the RP2040's instruction set; GCC emits no tail
//    calls there): built with arm-none-eabi-gcc -mcpu=cortex-m0plus, run
//    under qemu-arm's user-mode emulation with `-d in_asm,exec,nochain`; a
//    small counter sums each executed translation block's instruction count
//    (R = 1 vs 0). Skipped when arm-none-eabi-gcc or qemu-arm is missing, or
//    with CALIB_THUMB=0.
//  - RV32IMC (the ESP32-C3's instruction set; GCC makes wasm3's handlers tail
//    calls there): built with riscv64-unknown-elf-gcc -march=rv32imc
//    -mabi=ilp32 -O2 against picolibc (the toolchain's multilib for rv32imc
//    is rv32im/ilp32: libc itself is uncompressed) with
//    test/boards/emu/linux_syscalls_rv32.c, run under qemu-riscv32 with the
//    same exec trace and counter scheme (R = 1 vs 0), plus an estimate of
//    ESP32-C3 cycles (the weights at RV_TBCOUNT_C). Skipped when the
//    toolchain, picolibc or qemu-riscv32 is missing, or with CALIB_RV32=0.
//
// Environment:
//   WASM3_DIR        a wasm3 checkout (its source/ directory is compiled); required
//   CALIB_WORKLOADS  comma-separated subset (default: all)
//   CALIB_REPEAT     R for the x86 runs (default 2)
//   CALIB_THUMB      0 to skip the Thumb-1 runs
//   CALIB_RV32       0 to skip the RV32IMC runs
//   CALIB_MODULE     the engine module (default build/test.wasm: psk.wasm plus the raw
//                    primitives the x25519/chacha/sha256/gcm workloads call)
//   CALIB_OUT        build directory (default: a fresh temp dir, removed after)
//   CALIB_JSON       write the results as JSON to this file too
//
// Everything is built outside the repository; nothing of wasm3 enters it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instrumentWasm } from './instrument.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOST_C = join(ROOT, 'boards/wasm3/examples/calibrate_host.c');
const FIB_FIXTURE = join(ROOT, 'test/sim/fixtures/fib.ts');
const LINUX_SYSCALLS_C = join(ROOT, 'test/boards/emu/linux_syscalls.c');
const LINUX_SYSCALLS_RV32_C = join(ROOT, 'test/boards/emu/linux_syscalls_rv32.c');
const WASM3_SOURCES = ['m3_bind.c', 'm3_code.c', 'm3_compile.c', 'm3_core.c', 'm3_env.c', 'm3_exec.c',
  'm3_function.c', 'm3_info.c', 'm3_module.c', 'm3_parse.c', 'm3_validate.c'];
// The rp2040's wasm3 settings (src/bundle/defines.ts for boards/rp2040.json);
// the only ones that change the interpreter's code paths are CascadedOpcodes
// and the native-stack guard (a compare at calls).
const WASM3_DEFINES = {
  d_m3MaxFunctionStackHeight: 128,
  d_m3MaxNativeStack: 73728,
  d_m3CodePageAlignSize: 1024,
  d_m3VerboseErrorMessages: 0,
  d_m3CascadedOpcodes: 0,
  d_m3HasFloat: 0,
};
const DEFS = Object.entries(WASM3_DEFINES).map(([k, v]) => `-D${k}=${v}`);
const X86_FLAGS = ['-O2', '-std=gnu99'];
const THUMB_FLAGS = ['-mcpu=cortex-m0plus', '-mthumb', '-O2'];
const RV32_FLAGS = ['-march=rv32imc', '-mabi=ilp32', '-O2'];
const RV32_CC = 'riscv64-unknown-elf-gcc';
const ALL = ['fib32', 'fib64', 'selftest', 'x25519', 'chacha', 'sha256', 'gcm', 'loop_i32add', 'loop_i64add', 'loop_i64mul'];
const LOOP_ITERS = 100000;
// x = x OP x, 100,000 times: 9 counted ops per iteration whichever OP.
const loopWat = (t, op) => `(module
  (func (export "run") (result i32) (local $n i32) (local $x ${t})
    ${t}.const 3
    local.set $x
    i32.const ${LOOP_ITERS}
    local.set $n
    loop $l
      local.get $x
      local.get $x
      ${t}.${op}
      local.set $x
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $l
    end
    local.get $x
    ${t === 'i64' ? 'i64.const 0 i64.ne' : 'i32.const 0 i32.ne'}
    drop
    i32.const 1))`;
const BULK = 16384;

function die(msg) {
  console.error(`wasm3-calibrate: ${msg}`);
  process.exit(1);
}
const has = (cmd, args = ['--version']) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

// ---- preconditions, with errors that say what to do ----
const WASM3_DIR = process.env.WASM3_DIR;
if (!WASM3_DIR) die('set WASM3_DIR to a wasm3 checkout (the directory holding source/wasm3.h), e.g. git clone https://github.com/wasm3/wasm3');
const W3SRC = join(resolve(WASM3_DIR), 'source');
if (!existsSync(join(W3SRC, 'wasm3.h'))) die(`WASM3_DIR=${WASM3_DIR}: no source/wasm3.h there`);
for (const f of WASM3_SOURCES) if (!existsSync(join(W3SRC, f))) die(`WASM3_DIR=${WASM3_DIR}: source/${f} is missing (this tool expects wasm3 0.9.x)`);
if (!has('gcc')) die('gcc not found (apt-get install gcc gcc-multilib)');
if (!has('valgrind')) die('valgrind not found (apt-get install valgrind)');
if (!has('wat2wasm')) die('wat2wasm not found (apt-get install wabt)');
const m32ok = (() => {
  const d = mkdtempSync(join(tmpdir(), 'calib-m32-'));
  try {
    writeFileSync(join(d, 'a.c'), '#include <stdio.h>\nint main(void){return 0;}\n');
    return spawnSync('gcc', ['-m32', join(d, 'a.c'), '-o', join(d, 'a')], { stdio: 'ignore' }).status === 0;
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
})();
if (!m32ok) console.error('wasm3-calibrate: gcc -m32 cannot link (apt-get install gcc-multilib): x86-32 column skipped');
const thumb = process.env.CALIB_THUMB !== '0' && has('arm-none-eabi-gcc') && has('qemu-arm', ['-version']) && existsSync(LINUX_SYSCALLS_C);
if (process.env.CALIB_THUMB !== '0' && !thumb) console.error('wasm3-calibrate: arm-none-eabi-gcc, qemu-arm or test/boards/emu/linux_syscalls.c missing: Thumb-1 column skipped');
// picolibc (the riscv64-unknown-elf toolchain's C library on Debian/Ubuntu:
// apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf):
// its prefix read from the picolibc.specs the compiler finds.
const picolibc = (() => {
  if (process.env.CALIB_RV32 === '0' || !has(RV32_CC)) return null;
  const r = spawnSync(RV32_CC, ['-print-file-name=picolibc.specs'], { encoding: 'utf8' });
  const specs = (r.stdout || '').trim();
  if (!specs || !existsSync(specs)) return null;
  // The spec's default include path (the alternative after ':'; the others are %-substitutions).
  const prefix = [...readFileSync(specs, 'utf8').matchAll(/(?<=[:\s])(\/[^\s:;{}%*]*\/picolibc\/riscv64-unknown-elf)\/include/g)]
    .map((m) => m[1]).find((p) => existsSync(join(p, 'include', 'stdio.h')));
  if (!prefix) return null;
  const md = spawnSync(RV32_CC, [...RV32_FLAGS, '-print-multi-directory'], { encoding: 'utf8' }).stdout.trim();
  const lib = join(prefix, 'lib', md);
  return existsSync(join(lib, 'libc.a')) ? { inc: join(prefix, 'include'), lib, multi: md } : null;
})();
const rv32 = process.env.CALIB_RV32 !== '0' && !!picolibc && has('qemu-riscv32', ['-version']) && existsSync(LINUX_SYSCALLS_RV32_C);
if (process.env.CALIB_RV32 !== '0' && !rv32) console.error(`wasm3-calibrate: ${RV32_CC}, picolibc for it, qemu-riscv32 or test/boards/emu/linux_syscalls_rv32.c missing: RV32IMC column skipped`);

const workloads = (process.env.CALIB_WORKLOADS ?? ALL.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const w of workloads) if (!ALL.includes(w)) die(`unknown workload '${w}' (known: ${ALL.join(', ')})`);
const R = Number(process.env.CALIB_REPEAT ?? 2);
if (!Number.isInteger(R) || R < 1) die('CALIB_REPEAT must be an integer >= 1');

const modulePath = resolve(ROOT, process.env.CALIB_MODULE ?? 'build/test.wasm');
if (!existsSync(modulePath)) {
  if (process.env.CALIB_MODULE) die(`${modulePath} not found`);
  console.error('wasm3-calibrate: build/test.wasm missing: node tools/build.mjs --wasm');
  execFileSync(process.execPath, ['tools/build.mjs', '--wasm'], { cwd: ROOT, stdio: 'inherit' });
}

const keep = !!process.env.CALIB_OUT;
const OUT = keep ? resolve(process.env.CALIB_OUT) : mkdtempSync(join(tmpdir(), 'tlsrt-calib-'));
if (OUT === ROOT || OUT.startsWith(ROOT + '/')) die('CALIB_OUT must be outside the repository');
mkdirSync(OUT, { recursive: true });

// ---- the modules: a private copy of the engine (others may rebuild build/), fib from the fixture ----
const files = {};
files.engine = join(OUT, 'engine.wasm');
copyFileSync(modulePath, files.engine);
{
  const src = readFileSync(FIB_FIXTURE, 'utf8');
  const m = /return `([\s\S]*?)`;/.exec(src);
  if (!m || !m[1].includes('${t}')) die(`${FIB_FIXTURE}: cannot find the fib WAT template`);
  for (const t of ['i32', 'i64']) {
    const wat = join(OUT, `fib${t.slice(1)}.wat`);
    writeFileSync(wat, m[1].replaceAll('${t}', t));
    files[`fib${t.slice(1)}`] = join(OUT, `fib${t.slice(1)}.wasm`);
    execFileSync('wat2wasm', [wat, '-o', files[`fib${t.slice(1)}`]]);
  }
}
for (const [w, t, op] of [['loop_i32add', 'i32', 'add'], ['loop_i64add', 'i64', 'add'], ['loop_i64mul', 'i64', 'mul']]) {
  writeFileSync(join(OUT, `${w}.wat`), loopWat(t, op));
  files[w] = join(OUT, `${w}.wasm`);
  execFileSync('wat2wasm', [join(OUT, `${w}.wat`), '-o', files[w]]);
}
const moduleOf = (w) => (w === 'fib32' || w === 'fib64' || w.startsWith('loop_') ? w : 'engine');

// ---- counted wasm instructions (V8, the instrumented twin) ----
function counted(w) {
  const bytes = readFileSync(files[moduleOf(w)]);
  const inst = { memory: null };
  let rs = 0x9e3779b9;
  const env = {
    random_fill: (ptr, len) => {
      const m = new Uint8Array(inst.memory.buffer, ptr, len);
      for (let i = 0; i < len; i++) {
        rs = (Math.imul(rs, 1664525) + 1013904223) >>> 0;
        m[i] = rs >>> 24;
      }
    },
    now_ms: () => 0n,
    log: () => {},
    abort: () => {
      throw new Error('abort');
    },
  };
  const mod = new WebAssembly.Module(instrumentWasm(new Uint8Array(bytes)).bytes);
  const needed = WebAssembly.Module.imports(mod);
  const imports = { env: {} };
  for (const i of needed) {
    if (i.module !== 'env' || !(i.name in env)) die(`${files[moduleOf(w)]}: unknown import ${i.module}.${i.name}`);
    imports.env[i.name] = env[i.name];
  }
  const x = new WebAssembly.Instance(mod, imports).exports;
  inst.memory = x.memory;
  let call;
  let expect = 1;
  if (w === 'fib32' || w === 'fib64') {
    call = () => Number(x.fib(w === 'fib32' ? 24 : 24n));
    expect = 46368;
  } else if (w === 'selftest') {
    call = () => x.selftest();
  } else if (w.startsWith('loop_')) {
    call = () => x.run();
  } else {
    const b = (x.heap_base() + 15) & ~15;
    const ctxSize = w === 'gcm' ? (x.GCM_CTX_SIZE() + 15) & ~15 : 0;
    const need = { x25519: 96, chacha: 64 + 2 * BULK + 16, sha256: BULK + 32, gcm: ctxSize + 64 + 2 * BULK + 16 }[w];
    const m = new Uint8Array(x.memory.buffer, b, need);
    for (let i = 0; i < need; i++) m[i] = (i * 7 + 3) & 0xff;
    if (w === 'x25519') {
      m.fill(0, 64, 96);
      m[64] = 9;
    }
    if (w === 'x25519') call = () => x.x25519(b, b + 32, b + 64);
    else if (w === 'chacha') call = () => x.chacha20poly1305_seal(b, b + 32, b + 48, 0, b + 64, BULK, b + 64 + BULK, b + 64 + 2 * BULK);
    else if (w === 'sha256') {
      call = () => (x.sha256(b, BULK, b + BULK), 1);
    } else {
      const key = b + ctxSize, nonce = key + 16, src = key + 64, dst = src + BULK, tag = dst + BULK;
      call = () => (x.gcm_init(b, key, 16) === 1 ? x.gcm_seal(b, nonce, 12, nonce, 0, src, BULK, dst, tag) : 0);
    }
  }
  const read = () => [x.__sim_ops.value, x.__sim_i64alu.value, x.__sim_i64mul.value, x.__sim_calls.value].map(Number);
  const r0 = call(); // warm-up, as in the wasm3 runs
  if (r0 !== expect) die(`${w} in V8 returned ${r0}, expected ${expect}`);
  const a = read();
  call();
  const b2 = read();
  call();
  const c = read();
  const d1 = b2.map((v, i) => v - a[i]);
  const d2 = c.map((v, i) => v - b2[i]);
  if (d1.join() !== d2.join()) die(`${w}: counted work differs between calls (${d1} vs ${d2}): inputs not fixed?`);
  return { ops: d1[0], i64alu: d1[1], i64mul: d1[2], calls: d1[3] };
}

// ---- process plumbing ----
function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => resolvePromise({ code, out, err }));
  });
}
async function pool(jobs, n) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}
const CPUS = Math.max(1, cpus().length);

// ---- x86 builds and callgrind runs ----
function buildX86(bits) {
  const exe = join(OUT, `host-x86-${bits}`);
  const srcs = WASM3_SOURCES.map((f) => join(W3SRC, f));
  execFileSync('gcc', [`-m${bits}`, ...X86_FLAGS, '-w', ...DEFS, `-I${W3SRC}`, ...srcs, HOST_C, '-o', exe, '-lm'], { stdio: 'pipe' });
  return exe;
}
async function callgrind(exe, w, repeat) {
  const r = await run('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', exe, files[moduleOf(w)], w, String(repeat)]);
  const m = /Collected\s*:\s*(\d+)/.exec(r.err);
  if (r.code !== 0 || !m || !r.out.includes('RESULT ')) throw new Error(`${exe} ${w} ${repeat} failed (${r.code}):\n${r.out}\n${r.err.slice(-2000)}`);
  return Number(m[1]);
}

// ---- Thumb-1 build and qemu-arm runs ----
// Sums, over a qemu `-d in_asm,exec,nochain` log, the instruction count of
// every translation block executed (taken from its in_asm listing), and an
// estimate of Cortex-M0+ cycles for the same stream: the ARM Cortex-M0+ TRM's
// instruction timings with zero wait states (data processing and MULS 1, loads
// and stores 2, LDM/STM/PUSH 1+N, POP with PC 3+N, B 2, BL 3, BX/BLX 2, a
// conditional branch 2 taken / 1 not: taken = the next executed block does not
// start right after it).
const TBCOUNT_C = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#define CAP (1u << 20)
typedef struct { uint32_t pc, n, cyc, fall; uint8_t used, cond; } tb_t;
static tb_t tab[CAP];
static tb_t *slot(uint32_t pc) {
  uint32_t h = (pc * 2654435761u) & (CAP - 1);
  while (tab[h].used && tab[h].pc != pc) h = (h + 1) & (CAP - 1);
  if (!tab[h].used) { memset(&tab[h], 0, sizeof tab[h]); tab[h].used = 1; tab[h].pc = pc; }
  return &tab[h];
}
static int regs(const char *s) {
  const char *b = strchr(s, '{');
  int n = 1;
  if (!b) return 1;
  for (; *b && *b != '}'; b++) if (*b == ',') n++;
  return n;
}
static int is_cond_branch(const char *m) {
  static const char *cc[] = { "eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le" };
  unsigned i;
  if (m[0] != 'b' || strlen(m) != 3) return 0;
  for (i = 0; i < sizeof cc / sizeof cc[0]; i++) if (strcmp(m + 1, cc[i]) == 0) return 1;
  return 0;
}
/* cycles of one instruction (conditional branch counted not taken); *cond set for b<cc> */
static int cycles(const char *line, int *cond) {
  char m[16] = {0};
  const char *ops;
  size_t k = 0;
  *cond = 0;
  if (strlen(line) < 25) return 1;
  ops = line + 24;
  while (ops[k] && ops[k] != ' ' && ops[k] != '\\n' && k < sizeof m - 1) { m[k] = ops[k]; k++; }
  ops += k;
  if (is_cond_branch(m)) { *cond = 1; return 1; }
  if (!strcmp(m, "b") || !strcmp(m, "bx") || !strcmp(m, "blx")) return 2;
  if (!strcmp(m, "bl")) return 3;
  if (!strcmp(m, "push") || !strcmp(m, "ldm") || !strcmp(m, "stm") || !strncmp(m, "ldmia", 5) || !strncmp(m, "stmia", 5)) return 1 + regs(ops);
  if (!strcmp(m, "pop")) return (strstr(ops, "pc") ? 3 : 1) + regs(ops);
  if (!strncmp(m, "ldr", 3) || !strncmp(m, "str", 3)) return 2;
  if ((!strcmp(m, "mov") || !strcmp(m, "add")) && strncmp(ops + strspn(ops, " "), "pc,", 3) == 0) return 2;
  return 1;
}
int main(void) {
  static char line[8192];
  unsigned long long insns = 0, cyc = 0, tbs = 0, unknown = 0;
  uint32_t cur = 0, n = 0, c = 0, fall = 0;
  int in = 0, cond = 0;
  tb_t *prev = NULL;
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "Trace ", 6) == 0) {
      char *b = strchr(line, '[');
      char *s = b ? strchr(b, '/') : NULL;
      uint32_t pc;
      tb_t *t;
      if (!s) continue;
      pc = (uint32_t)strtoul(s + 1, NULL, 16);
      if (prev && prev->cond && pc != prev->fall) cyc++; /* the previous block's branch was taken */
      t = slot(pc);
      if (!t->n) unknown++;
      insns += t->n;
      cyc += t->cyc;
      tbs++;
      prev = t;
    } else if (strncmp(line, "IN:", 3) == 0) {
      in = 1;
      n = c = 0;
    } else if (in && line[0] == '0' && line[1] == 'x') {
      uint32_t pc = (uint32_t)strtoul(line, NULL, 16);
      if (n == 0) cur = pc;
      n++;
      c += cycles(line, &cond);
      fall = pc + (strlen(line) > 18 && line[18] != ' ' ? 4 : 2);
    } else if (in && (line[0] == '\\n' || line[0] == '-')) {
      if (n) { tb_t *t = slot(cur); t->n = n; t->cyc = c; t->cond = (uint8_t)cond; t->fall = fall; }
      in = 0;
    }
  }
  printf("insns=%llu cycles=%llu tbs=%llu unknown=%llu\\n", insns, cyc, tbs, unknown);
  return 0;
}
`;
let thumbObjs = null;
let tbcount = null;
function buildThumbBase() {
  const dir = join(OUT, 'thumb');
  mkdirSync(dir, { recursive: true });
  thumbObjs = [];
  for (const f of WASM3_SOURCES) {
    const o = join(dir, f.replace(/\.c$/, '.o'));
    execFileSync('arm-none-eabi-gcc', [...THUMB_FLAGS, ...DEFS, '-std=gnu99', '-w', `-I${W3SRC}`, '-c', join(W3SRC, f), '-o', o], { stdio: 'pipe' });
    thumbObjs.push(o);
  }
  const so = join(dir, 'linux_syscalls.o');
  execFileSync('arm-none-eabi-gcc', [...THUMB_FLAGS, '-std=c99', '-c', LINUX_SYSCALLS_C, '-o', so], { stdio: 'pipe' });
  thumbObjs.push(so);
  for (const name of new Set(workloads.map(moduleOf))) {
    const bytes = readFileSync(files[name]);
    const c = join(dir, `mod_${name}.c`);
    writeFileSync(c, `#include <stdint.h>\nconst uint32_t calib_module_len = ${bytes.length}u;\nconst uint8_t calib_module[] = {${[...bytes].join(',')}};\n`);
    execFileSync('arm-none-eabi-gcc', [...THUMB_FLAGS, '-c', c, '-o', join(dir, `mod_${name}.o`)], { stdio: 'pipe' });
  }
  tbcount = join(OUT, 'tbcount');
  writeFileSync(tbcount + '.c', TBCOUNT_C);
  execFileSync('gcc', ['-O2', tbcount + '.c', '-o', tbcount], { stdio: 'pipe' });
}
function thumbElf(w, repeat) {
  const dir = join(OUT, 'thumb');
  const o = join(dir, `host_${w}_${repeat}.o`);
  const elf = join(dir, `calib_${w}_${repeat}.elf`);
  execFileSync('arm-none-eabi-gcc', [...THUMB_FLAGS, ...DEFS, '-std=c99', '-isystem', W3SRC, '-DCALIB_EMBEDDED', `-DCALIB_WORKLOAD="${w}"`, `-DCALIB_REPEAT=${repeat}`, '-c', HOST_C, '-o', o], { stdio: 'pipe' });
  execFileSync('arm-none-eabi-gcc', [...THUMB_FLAGS, '-nostartfiles', '-Wl,-e,_start', o, join(dir, `mod_${moduleOf(w)}.o`), ...thumbObjs, '-lc', '-lm', '-lgcc', '-o', elf], { stdio: 'pipe' });
  return elf;
}
/**
 * Runs `elf` under a qemu user-mode emulator with an exec trace piped into
 * `counter` (a generated C program that sums each executed block's
 * instructions) and returns the counter's `key=value` fields as numbers.
 */
function qemuTraceCount(emulator, args, counter, elf) {
  const q = spawn(emulator, [...args, '-d', 'in_asm,exec,nochain', elf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const c = spawn(counter, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  q.stderr.pipe(c.stdin);
  let qout = '';
  let cout = '';
  q.stdout.on('data', (d) => (qout += d));
  c.stdout.on('data', (d) => (cout += d));
  const closed = (p) => new Promise((res, rej) => {
    p.on('error', rej);
    p.on('close', (code) => res(code));
  });
  return Promise.all([closed(q), closed(c)]).then(([qcode, ccode]) => {
    const fields = Object.fromEntries([...cout.matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k, Number(v)]));
    if (qcode !== 0 || ccode !== 0 || fields.insns === undefined || !qout.includes('RESULT ')) {
      throw new Error(`${emulator} ${elf} failed (${qcode}/${ccode}): ${qout} ${cout}`);
    }
    if (fields.unknown !== 0) throw new Error(`${emulator} ${elf}: ${fields.unknown} executed blocks without a listing`);
    return fields;
  });
}
function qemuCount(elf) {
  return qemuTraceCount('qemu-arm', ['-cpu', 'max'], tbcount, elf).then((f) => ({ insns: f.insns, cycles: f.cycles }));
}

// ---- RV32IMC build and qemu-riscv32 runs ----
// The same scheme as Thumb-1: sums, over a qemu `-d in_asm,exec,nochain` log,
// the instruction count of every translation block executed, and an estimate
// of ESP32-C3 cycles for the same stream. The C3's CPU is a single-issue,
// 4-stage in-order RV32IMC core; Espressif publishes no per-instruction
// timings, so these weights are assumptions (zero wait states: no flash/cache
// stalls, as for the M0+ column):
//   ALU, lui/auipc, mul, mulh/mulhu/mulhsu, system     1
//   load (lb/lh/lw/lbu/lhu)                            2 (a load-use stall taken as the typical case)
//   store (sb/sh/sw)                                   1
//   jal/jalr (j, jr, ret, call, tail)                  3 (pipeline refill)
//   conditional branch                                 1 not taken, 3 taken
//   div/divu/rem/remu                                 33 (one bit per cycle)
// Taken = the next executed block does not start right after the branch
// (qemu ends a block at every branch, so a conditional branch is always a
// block's last instruction). Also reported: executed loads, stores, jumps,
// conditional branches (and how many taken), mul, mulh and div.
const RV_WEIGHTS = { alu: 1, load: 2, store: 1, jump: 3, branchNotTaken: 1, branchTaken: 3, mul: 1, mulh: 1, div: 33 };
const RV_TBCOUNT_C = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#define CAP (1u << 20)
enum { K_ALU, K_LOAD, K_STORE, K_JUMP, K_BR, K_MUL, K_MULH, K_DIV, K_N };
static const char *const kname[K_N] = { "alu", "load", "store", "jump", "branch", "mul", "mulh", "div" };
static const unsigned weight[K_N] = { ${RV_WEIGHTS.alu}, ${RV_WEIGHTS.load}, ${RV_WEIGHTS.store}, ${RV_WEIGHTS.jump}, ${RV_WEIGHTS.branchNotTaken}, ${RV_WEIGHTS.mul}, ${RV_WEIGHTS.mulh}, ${RV_WEIGHTS.div} };
#define TAKEN_EXTRA (${RV_WEIGHTS.branchTaken} - ${RV_WEIGHTS.branchNotTaken})
typedef struct { uint32_t pc, n, cyc, fall, k[K_N]; uint8_t used, cond; } tb_t;
static tb_t tab[CAP];
static tb_t *slot(uint32_t pc) {
  uint32_t h = (pc * 2654435761u) & (CAP - 1);
  while (tab[h].used && tab[h].pc != pc) h = (h + 1) & (CAP - 1);
  if (!tab[h].used) { memset(&tab[h], 0, sizeof tab[h]); tab[h].used = 1; tab[h].pc = pc; }
  return &tab[h];
}
static int in(const char *m, const char *const *set) {
  for (; *set; set++) if (!strcmp(m, *set)) return 1;
  return 0;
}
static const char *const LOADS[] = { "lb", "lh", "lw", "lbu", "lhu", "c.lw", "c.lwsp", 0 };
static const char *const STORES[] = { "sb", "sh", "sw", "c.sw", "c.swsp", 0 };
static const char *const BRANCHES[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez", "blez", "bgez", "bltz", "bgtz",
  "bgt", "ble", "bgtu", "bleu", "c.beqz", "c.bnez", 0 };
static const char *const JUMPS[] = { "jal", "jalr", "j", "jr", "ret", "call", "tail", "c.j", "c.jal", "c.jr", "c.jalr", 0 };
static const char *const MULHS[] = { "mulh", "mulhu", "mulhsu", 0 };
static const char *const DIVS[] = { "div", "divu", "rem", "remu", 0 };
static int kind(const char *m) {
  if (in(m, LOADS)) return K_LOAD;
  if (in(m, STORES)) return K_STORE;
  if (in(m, BRANCHES)) return K_BR;
  if (in(m, JUMPS)) return K_JUMP;
  if (!strcmp(m, "mul")) return K_MUL;
  if (in(m, MULHS)) return K_MULH;
  if (in(m, DIVS)) return K_DIV;
  return K_ALU;
}
int main(void) {
  static char line[8192];
  unsigned long long insns = 0, cyc = 0, tbs = 0, unknown = 0, taken = 0, ex[K_N] = {0};
  uint32_t cur = 0, n = 0, c = 0, fall = 0, k[K_N];
  int inb = 0, cond = 0, i;
  tb_t *prev = NULL;
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "Trace ", 6) == 0) {
      char *b = strchr(line, '[');
      char *s = b ? strchr(b, '/') : NULL;
      uint32_t pc;
      tb_t *t;
      if (!s) continue;
      pc = (uint32_t)strtoul(s + 1, NULL, 16);
      if (prev && prev->cond && pc != prev->fall) { cyc += TAKEN_EXTRA; taken++; }
      t = slot(pc);
      if (!t->n) unknown++;
      insns += t->n;
      cyc += t->cyc;
      for (i = 0; i < K_N; i++) ex[i] += t->k[i];
      tbs++;
      prev = t;
    } else if (strncmp(line, "IN:", 3) == 0) {
      inb = 1;
      n = c = 0;
      memset(k, 0, sizeof k);
    } else if (inb && line[0] == '0' && line[1] == 'x') {
      /* 0x0001de30:  0001a197          auipc                   gp,106496 */
      char *p;
      uint32_t pc = (uint32_t)strtoul(line, &p, 16);
      char enc[32] = {0}, m[32] = {0};
      int kd;
      if (*p == ':') p++;
      if (sscanf(p, "%31s %31s", enc, m) < 2) continue;
      if (n == 0) cur = pc;
      n++;
      kd = kind(m);
      k[kd]++;
      c += weight[kd];
      cond = kd == K_BR;
      fall = pc + (strlen(enc) <= 4 ? 2 : 4);
    } else if (inb && (line[0] == '\\n' || line[0] == '-')) {
      if (n) { tb_t *t = slot(cur); t->n = n; t->cyc = c; t->cond = (uint8_t)cond; t->fall = fall; memcpy(t->k, k, sizeof k); }
      inb = 0;
    }
  }
  printf("insns=%llu cycles=%llu tbs=%llu unknown=%llu taken=%llu", insns, cyc, tbs, unknown, taken);
  for (i = 0; i < K_N; i++) printf(" %s=%llu", kname[i], ex[i]);
  printf("\\n");
  return 0;
}
`;
let rvObjs = null;
let rvcount = null;
const RV32_CFLAGS = () => [...RV32_FLAGS, '-isystem', picolibc.inc, '-ftls-model=local-exec'];
function buildRv32Base() {
  const dir = join(OUT, 'rv32');
  mkdirSync(dir, { recursive: true });
  rvObjs = [];
  for (const f of WASM3_SOURCES) {
    const o = join(dir, f.replace(/\.c$/, '.o'));
    execFileSync(RV32_CC, [...RV32_CFLAGS(), ...DEFS, '-std=gnu99', '-w', `-I${W3SRC}`, '-c', join(W3SRC, f), '-o', o], { stdio: 'pipe' });
    rvObjs.push(o);
  }
  const so = join(dir, 'linux_syscalls_rv32.o');
  execFileSync(RV32_CC, [...RV32_CFLAGS(), '-std=c99', '-c', LINUX_SYSCALLS_RV32_C, '-o', so], { stdio: 'pipe' });
  rvObjs.push(so);
  for (const name of new Set(workloads.map(moduleOf))) {
    const bytes = readFileSync(files[name]);
    const c = join(dir, `mod_${name}.c`);
    writeFileSync(c, `#include <stdint.h>\nconst uint32_t calib_module_len = ${bytes.length}u;\nconst uint8_t calib_module[] = {${[...bytes].join(',')}};\n`);
    execFileSync(RV32_CC, [...RV32_CFLAGS(), '-c', c, '-o', join(dir, `mod_${name}.o`)], { stdio: 'pipe' });
  }
  rvcount = join(OUT, 'rvcount');
  writeFileSync(rvcount + '.c', RV_TBCOUNT_C);
  execFileSync('gcc', ['-O2', rvcount + '.c', '-o', rvcount], { stdio: 'pipe' });
}
function rv32Elf(w, repeat) {
  const dir = join(OUT, 'rv32');
  const o = join(dir, `host_${w}_${repeat}.o`);
  const elf = join(dir, `calib_${w}_${repeat}.elf`);
  execFileSync(RV32_CC, [...RV32_CFLAGS(), ...DEFS, '-std=c99', '-isystem', W3SRC, '-DCALIB_EMBEDDED', `-DCALIB_WORKLOAD="${w}"`, `-DCALIB_REPEAT=${repeat}`, '-c', HOST_C, '-o', o], { stdio: 'pipe' });
  // The default (Linux-style) linker script, so qemu-riscv32 loads it as a static executable.
  execFileSync(RV32_CC, [...RV32_FLAGS, '-nostartfiles', '-nostdlib', '-Wl,-e,_start', o, join(dir, `mod_${moduleOf(w)}.o`), ...rvObjs,
    `-L${picolibc.lib}`, '-Wl,--start-group', '-lc', '-lgcc', '-Wl,--end-group', '-o', elf], { stdio: 'pipe' });
  return elf;
}
function qemuRvCount(elf, extra = []) {
  return qemuTraceCount('qemu-riscv32', extra, rvcount, elf).then(({ insns, cycles, tbs, unknown: _u, ...mix }) => ({ insns, cycles, tbs, mix }));
}

// ---- main ----
const t0 = Date.now();
const log = (s) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${s}\n`);
const rows = {};
for (const w of workloads) rows[w] = { workload: w, ...counted(w) };
log(`counted ops: ${workloads.map((w) => `${w} ${rows[w].ops}`).join(', ')}`);

const arches = [...(m32ok ? [32] : []), 64];
const exes = {};
for (const a of arches) exes[a] = buildX86(a);
log(`built x86 hosts in ${OUT}`);
const jobs = [];
let rvCheck = null;
for (const a of arches) {
  for (const w of workloads) {
    jobs.push(async () => {
      const [hi, lo] = [await callgrind(exes[a], w, R), await callgrind(exes[a], w, 0)];
      rows[w][`x86_${a}`] = (hi - lo) / R;
      log(`x86-${a} ${w}: ${rows[w][`x86_${a}`]} instructions per call`);
    });
  }
}
if (thumb) {
  buildThumbBase();
  log('built the Thumb-1 objects');
  for (const w of workloads) {
    jobs.push(async () => {
      const [hi, lo] = [await qemuCount(thumbElf(w, 1)), await qemuCount(thumbElf(w, 0))];
      rows[w].thumb = hi.insns - lo.insns;
      rows[w].m0cyc = hi.cycles - lo.cycles;
      log(`thumb-1 ${w}: ${rows[w].thumb} instructions, ~${rows[w].m0cyc} M0+ cycles per call`);
    });
  }
}
if (rv32) {
  buildRv32Base();
  log(`built the RV32IMC objects (picolibc ${picolibc.lib})`);
  for (const w of workloads) {
    jobs.push(async () => {
      const [hi, lo] = [await qemuRvCount(rv32Elf(w, 1)), await qemuRvCount(rv32Elf(w, 0))];
      rows[w].rv32 = hi.insns - lo.insns;
      rows[w].c3cyc = hi.cycles - lo.cycles;
      rows[w].rv32Mix = Object.fromEntries(Object.keys(hi.mix).map((k) => [k, hi.mix[k] - lo.mix[k]]));
      log(`rv32imc ${w}: ${rows[w].rv32} instructions, ~${rows[w].c3cyc} C3 cycles per call`);
    });
  }
  // CALIB_RV32_CHECK=<workload>: count that workload's R = 1 run again with
  // one instruction per translation block; the totals must be identical.
  const check = process.env.CALIB_RV32_CHECK;
  if (check) {
    if (!workloads.includes(check)) die(`CALIB_RV32_CHECK=${check} is not among the workloads run`);
    const help = spawnSync('qemu-riscv32', ['-h'], { encoding: 'utf8' }).stdout || '';
    const one = help.includes('-one-insn-per-tb') ? '-one-insn-per-tb' : '-singlestep';
    jobs.push(async () => {
      const elf = rv32Elf(check, 1);
      const [tb, ss] = [await qemuRvCount(elf), await qemuRvCount(elf, [one])];
      const same = tb.insns === ss.insns && tb.cycles === ss.cycles && ss.tbs === ss.insns;
      rvCheck = { workload: check, flag: one, blocks: tb, singleStep: ss, identical: same };
      log(`rv32imc check ${check} (R=1 run): blocks ${tb.insns} instructions / ${tb.cycles} cycles; ${one} ${ss.insns} / ${ss.cycles} (${ss.tbs} blocks): ${same ? 'identical' : 'DIFFERENT'}`);
      if (!same) throw new Error(`rv32imc check ${check}: the block counter and ${one} disagree`);
    });
  }
}
try {
  await pool(jobs, CPUS);
} catch (e) {
  if (!keep) rmSync(OUT, { recursive: true, force: true });
  die(e.message);
}

const cols = [...arches.map((a) => [`x86_${a}`, `x86-${a}`]), ...(thumb ? [['thumb', 'Thumb-1'], ['m0cyc', 'M0+ est.']] : []),
  ...(rv32 ? [['rv32', 'RV32'], ['c3cyc', 'C3 est.']] : [])];
const fmt = (v, d = 0) => (v === undefined ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const head = ['workload', 'counted ops', 'i64 alu', 'i64 mul'];
for (const [k, name] of cols) {
  const u = k === 'm0cyc' || k === 'c3cyc' ? 'cycles' : 'instr';
  head.push(`${name} ${u}/call`, `${name} ${u}/op`, `${name} × fib32`);
}
const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
for (const w of workloads) {
  const r = rows[w];
  const cells = [w, fmt(r.ops), fmt(r.i64alu), fmt(r.i64mul)];
  for (const [k] of cols) {
    const per = r[k] / r.ops;
    r[`${k}_perOp`] = per;
    const base = rows.fib32 && rows.fib32[k] / rows.fib32.ops;
    if (base) r[`${k}_vsFib32`] = per / base;
    cells.push(fmt(r[k]), fmt(per, 2), base ? fmt(per / base, 3) : '–');
  }
  lines.push(`| ${cells.join(' | ')} |`);
}
console.log(`wasm3 ${WASM3_DIR} (${Object.entries(WASM3_DEFINES).map(([k, v]) => `${k}=${v}`).join(' ')})`);
console.log(`x86: gcc ${X86_FLAGS.join(' ')}, callgrind Ir, (R=${R} − R=0)/${R}; Thumb-1: arm-none-eabi-gcc ${THUMB_FLAGS.join(' ')}, qemu-arm TB trace, R=1 − R=0`);
if (rv32) console.log(`RV32: ${RV32_CC} ${RV32_FLAGS.join(' ')} (picolibc ${picolibc.multi}), qemu-riscv32 TB trace, R=1 − R=0; C3 est. weights ${JSON.stringify(RV_WEIGHTS)}`);
console.log(`module: ${modulePath} (counted on its tools/instrument.mjs twin)\n`);
console.log(lines.join('\n'));

// One emulated i64 op, priced by the loops: (loop_i64add − loop_i32add) and
// (loop_i64mul − loop_i32add) per iteration = the extra an i64 add / i64.mul
// costs over an i32 add (the model's i64AluExtra / i64MulExtra, in machine
// instructions or estimated M0+ cycles).
if (rows.loop_i32add && (rows.loop_i64add || rows.loop_i64mul)) {
  const out = ['| extra over an i32 op | ' + cols.map(([, n]) => n).join(' | ') + ' |', `|---|${cols.map(() => '---:').join('|')}|`];
  for (const w of ['loop_i64add', 'loop_i64mul']) {
    if (!rows[w]) continue;
    out.push(`| ${w === 'loop_i64add' ? 'i64.add' : 'i64.mul'} | ${cols.map(([k]) => fmt((rows[w][k] - rows.loop_i32add[k]) / LOOP_ITERS, 1)).join(' | ')} |`);
  }
  console.log(`\nOne i64 op's extra cost (per loop iteration, ${LOOP_ITERS.toLocaleString('en-US')} iterations):\n`);
  console.log(out.join('\n'));
}

// What this means for the model: src/sim/cost-model.ts's armv6-m constants
// against the same fib-anchored scale. "scaled" = this workload's measured
// count × (the published fib cycles / fib's measured count), i.e. the board's
// cycles per machine instruction (or per estimated zero-wait cycle) taken to
// be the same as in fib.
const model = (() => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    'import("./src/sim/cost-model.ts").then((m) => console.log(JSON.stringify(m.CORES["armv6-m"], (k, v) => (k === "sources" ? undefined : v))))'],
  { cwd: ROOT, encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout);
  } catch {
    console.error(`wasm3-calibrate: could not load src/sim/cost-model.ts through tsx (${r.stderr.trim().split('\n')[0]}): model comparison skipped`);
    return null;
  }
})();
if (model && rows.fib32) {
  const bases = [...(thumb ? [['m0cyc', 'M0+ est. cycles'], ['thumb', 'Thumb-1 instr']] : []), ...(m32ok ? [['x86_32', 'x86-32 instr']] : [])];
  const h = ['workload', `model cycles (armv6-m: ${model.cyclesPerOp.toFixed(1)}/op + ${model.callExtra.toFixed(0)}/call + ${model.i64AluExtra.toFixed(1)}/i64 alu + ${model.i64MulExtra.toFixed(0)}/i64.mul)`];
  for (const [, n] of bases) h.push(`scaled by ${n}`, `model ÷ scaled`);
  const out = [`| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const w of workloads) {
    const r = rows[w];
    const m = r.ops * model.cyclesPerOp + r.calls * model.callExtra + r.i64alu * model.i64AluExtra + r.i64mul * model.i64MulExtra;
    r.modelCycles = m;
    const cells = [w, fmt(m)];
    for (const [k] of bases) {
      const f = rows.fib32;
      const fibModel = f.ops * model.cyclesPerOp + f.calls * model.callExtra + f.i64alu * model.i64AluExtra + f.i64mul * model.i64MulExtra;
      const scaled = (r[k] * fibModel) / f[k]; // the published fib anchors both
      r[`${k}_scaledCycles`] = scaled;
      cells.push(fmt(scaled), fmt(m / scaled, 2));
    }
    out.push(`| ${cells.join(' | ')} |`);
  }
  console.log(`\nThe cost model (Cortex-M0+) against the measurement, both anchored on the published fib(24):\n`);
  console.log(out.join('\n'));
}
if (rv32) {
  const kinds = ['load', 'store', 'jump', 'branch', 'taken', 'mul', 'mulh', 'div'];
  const out = [`| workload | ${kinds.map((k) => (k === 'taken' ? 'of which taken' : k)).join(' | ')} | per call |`, `|---|${kinds.map(() => '---:').join('|')}|---|`];
  for (const w of workloads) {
    const x = rows[w].rv32Mix;
    if (x) out.push(`| ${w} | ${kinds.map((k) => fmt(x[k])).join(' | ')} | (of ${fmt(rows[w].rv32)}) |`);
  }
  console.log('\nRV32IMC instruction mix per call (the C3 estimate\'s inputs):\n');
  console.log(out.join('\n'));
  if (rvCheck) console.log(`\nCheck: ${rvCheck.workload} (R=1 run) counted from blocks ${fmt(rvCheck.blocks.insns)} instructions / ${fmt(rvCheck.blocks.cycles)} cycles, with ${rvCheck.flag} ${fmt(rvCheck.singleStep.insns)} / ${fmt(rvCheck.singleStep.cycles)}: ${rvCheck.identical ? 'identical' : 'DIFFERENT'}`);
}
if (process.env.CALIB_JSON) {
  writeFileSync(process.env.CALIB_JSON, JSON.stringify({
    defines: WASM3_DEFINES, x86Flags: X86_FLAGS, thumbFlags: THUMB_FLAGS,
    ...(rv32 ? { rv32Flags: RV32_FLAGS, rv32Libc: `picolibc ${picolibc.multi}`, c3Weights: RV_WEIGHTS, rv32Check: rvCheck } : {}),
    repeat: R, rows,
  }, null, 2) + '\n');
}
if (!keep) rmSync(OUT, { recursive: true, force: true });
