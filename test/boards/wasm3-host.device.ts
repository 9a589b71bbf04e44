// `npm run test:device`: the device host against a real wasm3 build.
// Needs WASM3_DIR (a wasm3 checkout: $WASM3_DIR/source/wasm3.h) and a C
// compiler; fails at once without them. For every board profile it
//   - bundles the board and builds its POSIX configuration (same geometry,
//     same wasm3 settings, same module) with -Wall -Wextra -Werror, as a
//     32-bit program where the compiler can (-m32: a board's pointer size),
//   - completes a psk_dhe_ke handshake with a node:tls server on loopback
//     and echoes 64 KiB, checked byte for byte,
//   - measures wasm3's heap (counting allocator) and the native stack, and
//     checks them against the numbers the board profile's RAM arithmetic uses;
// and, where Debian's gcc-arm-none-eabi is installed, compiles the host and
// wasm3 for a Cortex-M0+ (warning-free for the host) and reports flash bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, execFile, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { bundle } from '../../src/bundle/bundle.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { WASM3_SOURCES } from '../../src/bundle/defines.ts';

const WASM3_DIR = process.env.WASM3_DIR;
if (!WASM3_DIR || !existsSync(join(WASM3_DIR, 'source', 'wasm3.h'))) {
  throw new Error(
    'npm run test:device needs WASM3_DIR: a wasm3 checkout such that $WASM3_DIR/source/wasm3.h exists\n' +
      '  git clone https://github.com/wasm3/wasm3 /tmp/wasm3 && WASM3_DIR=/tmp/wasm3 npm run test:device',
  );
}
const CC = process.env.CC ?? 'cc';
if (spawnSync(CC, ['--version']).status !== 0) throw new Error(`npm run test:device needs a C compiler (${CC})`);

const run = promisify(execFile);
const BOARDS = ['esp32', 'esp32-c3', 'rp2040'];
const ID = 'device-0001';
const PSK = randomBytes(32);
const BYTES = 65536;
const work = mkdtempSync(join(tmpdir(), 'tlsrt-device-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Can this compiler build and link a 32-bit program (gcc-multilib)? */
function has32(): boolean {
  const src = join(work, 'm32.c');
  writeFileSync(src, 'int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n');
  const r = spawnSync(CC, ['-m32', src, '-o', join(work, 'm32')]);
  return r.status === 0 && spawnSync(join(work, 'm32')).status === 0;
}
const M32 = has32();

function echoServer(): Promise<{ port: number; close: () => void; errors: Error[] }> {
  const errors: Error[] = [];
  const server = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null) }, (s) => {
    s.on('error', (e) => errors.push(e));
    s.pipe(s);
  });
  server.on('tlsClientError', (e) => errors.push(e));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, close: () => server.close(), errors })),
  );
}

const results: Record<string, Record<string, string>> = {};

for (const name of BOARDS) {
  test(`${name}: POSIX build of the board configuration, psk_dhe_ke handshake with node:tls, 64 KiB echo`, async () => {
    const out = join(work, name);
    bundle({ board: name, out, runtime: 'wasm3' });
    const b = loadBoard(name);
    execFileSync('make', ['-C', join(out, 'posix'), `WASM3_DIR=${WASM3_DIR}`, `CC=${CC}`, `CFLAGS_EXTRA=${M32 ? '-m32' : ''}`, '-j2'], { stdio: 'pipe' });
    const srv = await echoServer();
    try {
      const { stdout } = await run(
        join(out, 'posix/build/posix_echo_client'),
        ['127.0.0.1', String(srv.port), ID, PSK.toString('hex'), String(BYTES), 'psk_dhe_ke'],
        { timeout: 120000 },
      );
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      assert.ok(line, stdout);
      const r = Object.fromEntries(line.slice(7).split(' ').map((kv) => kv.split('=') as [string, string]));
      results[name] = r;
      assert.equal(r.ok, '1', line);
      assert.equal(r.bytes, String(BYTES));
      assert.equal(r.kx, '2', 'psk_dhe_ke');
      assert.equal(r.mfl, String([0, 512, 1024, 2048, 4096].indexOf(b.maxFragmentLength)), 'max_fragment_length agreed');
      assert.equal(Number(r.linear_memory), Number(r.heap_base) + (16 - (Number(r.heap_base) % 16)) % 16 + Number(r.arena), 'memory capped at the pool');
      assert.deepEqual(srv.errors, []);
      if (M32) {
        // The board profile's RAM arithmetic must not be an underestimate.
        const runtime = Number(r.heap_serving_peak) - Number(r.linear_memory) - 16 - Number(r.value_stack);
        assert.ok(runtime <= b.wasm3.runtimeHeapBytes, `${name}: measured wasm3 runtime+code ${runtime} > boards/${name}.json runtimeHeapBytes ${b.wasm3.runtimeHeapBytes}`);
        assert.ok(Number(r.heap_selftest_peak) <= b.wasm3.selftestHeapBytes, `${name}: self-test heap ${r.heap_selftest_peak} > selftestHeapBytes ${b.wasm3.selftestHeapBytes}`);
        assert.ok(Number(r.native_stack) <= b.wasm3.maxNativeStack, `${name}: native stack ${r.native_stack} > maxNativeStack ${b.wasm3.maxNativeStack}`);
      }
    } finally {
      srv.close();
    }
  });
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs the board's posix_echo_server for one connection and a node:tls client against it. */
async function serverRun(name: string, identity: string): Promise<{ result: string; client: { echoed?: boolean; error?: string } }> {
  const port = await freePort();
  const child = spawn(join(work, name, 'posix/build/posix_echo_server'), [String(port), ID, PSK.toString('hex'), '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const kill = setTimeout(() => child.kill(), 60000);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('LISTENING')) resolve();
      });
      child.on('exit', () => reject(new Error(`server exited early: ${out}`)));
    });
    const data = randomBytes(BYTES);
    const client = await new Promise<{ echoed?: boolean; error?: string }>((resolve) => {
      const got: Buffer[] = [];
      let n = 0;
      const s = tls.connect(
        { host: '127.0.0.1', port, pskCallback: () => ({ psk: PSK, identity }), ciphers: 'TLS_CHACHA20_POLY1305_SHA256', checkServerIdentity: () => undefined },
        () => {
          s.setMaxSendFragment(512); // the board's record_size_limit, which OpenSSL 3.0 does not implement
          s.write(data);
        },
      );
      s.on('data', (d: Buffer) => {
        got.push(d);
        n += d.length;
        if (n >= data.length) {
          s.end();
          resolve({ echoed: Buffer.concat(got).equals(data) });
        }
      });
      s.on('error', (e) => resolve({ error: e.message }));
      s.on('close', () => resolve({ error: 'closed early' }));
    });
    await exited;
    return { result: out.split('\n').find((l) => l.startsWith('RESULT ')) ?? out, client };
  } finally {
    clearTimeout(kill);
    child.kill();
  }
}

/** A board whose module has no server role (boards/<name>.json engine.roles) cannot serve: the reason its server tests skip. */
const noServer = (name: string) => (loadBoard(name).engine.roles.includes('server') ? false : `the ${name} module has no server role (boards/${name}.json engine.roles)`);

for (const name of BOARDS) {
  test(`${name}: device host as a server (asynchronous PSK lookup), node:tls client, 64 KiB echo`, { skip: noServer(name) }, async () => {
    assert.ok(existsSync(join(work, name, 'posix/build/posix_echo_server')), 'built by the client test above');
    const r = await serverRun(name, ID);
    assert.deepEqual(r.client, { echoed: true });
    assert.match(r.result, /^RESULT ok=1 served=1 echoed=65536 failures=0/);
  });
}

test('every engine function compiles under the boards\' wasm3 settings (m3_CompileModule)', () => {
  for (const name of BOARDS) {
    const out = execFileSync(join(work, name, 'posix/build/posix_compile_check'), { encoding: 'utf8' });
    const m = /^RESULT ok=1 fn_compiled=(\d+)\/(\d+) .*code_bytes=(\d+) .*heap=(\d+)/m.exec(out);
    assert.ok(m, out);
    assert.equal(m[1], m[2], 'all functions compiled');
    results[`${name} compile-all`] = { functions: m[2], code_bytes: m[3], heap: m[4] };
  }
});

// The smallest board with a server role.
test('esp32-c3: an unknown PSK identity fails the handshake on both sides', async () => {
  const r = await serverRun('esp32-c3', 'someone-else');
  assert.ok(r.client.error, 'node:tls client fails');
  assert.match(r.result, /^RESULT ok=0 served=1 echoed=0 failures=1/);
});

test('heap figures were measured on a 32-bit build (the board profiles\' RAM arithmetic depends on them)', () => {
  assert.ok(M32, `${CC} -m32 does not work here: install gcc-multilib so the device test measures a board's 32-bit layout`);
});

const ARM = 'arm-none-eabi-gcc';
const HAS_ARM = spawnSync(ARM, ['--version']).status === 0;
const noArm = HAS_ARM ? false : 'arm-none-eabi-gcc not installed: no Cortex-M0+ build (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)';
const noQemu = noArm || (spawnSync('qemu-arm', ['-version']).status === 0 ? false : 'qemu-arm not installed: no emulated Cortex-M0+/M3 run (apt-get install qemu-user)');
test('Cortex-M0+ (arm-none-eabi-gcc): host warning-free, wasm3 builds with the rp2040 settings; flash bytes', { skip: noArm }, () => {
  const out = join(work, 'arm');
  bundle({ board: 'rp2040', out, runtime: 'wasm3' });
  const t = join(out, 'tlsrt');
  const defs = Object.entries(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')).wasm3Defines).map(([k, v]) => `-D${k}=${v}`);
  const base = ['-mcpu=cortex-m0plus', '-mthumb', '-Os', '-ffunction-sections', '-fdata-sections', ...defs];
  const objs: string[] = [];
  for (const f of ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_module.c']) {
    const o = join(out, `${f}.o`);
    execFileSync(ARM, [...base, '-std=c99', '-Wall', '-Wextra', '-Werror', `-I${t}`, '-isystem', join(WASM3_DIR, 'source'), '-c', join(t, f), '-o', o], { stdio: 'pipe' });
    objs.push(o);
  }
  for (const f of WASM3_SOURCES) {
    const o = join(out, `${f}.o`);
    execFileSync(ARM, [...base, '-std=gnu99', '-w', `-I${join(WASM3_DIR, 'source')}`, '-c', join(WASM3_DIR, 'source', f), '-o', o], { stdio: 'pipe' });
    objs.push(o);
  }
  // Link what the host reaches (gc-sections) to count flash honestly.
  const elf = join(out, 'tlsrt.elf');
  const main = join(out, 'main.c');
  writeFileSync(main, [
    '#include "tlsrt_host.h"',
    '#include "tlsrt_port.h"',
    'void tlsrt_port_random(uint8_t *b, size_t n) { while (n--) *b++ = 0; }',
    'uint64_t tlsrt_port_now_ms(void) { return 0; }',
    'void tlsrt_port_log(const char *m, size_t n) { (void)m; (void)n; }',
    'int main(void) { return tlsrt_start() + tlsrt_poll(); }',
    '',
  ].join('\n'));
  execFileSync(ARM, [...base, '-std=c99', '-Wall', '-Wextra', '-Werror', `-I${t}`, main, ...objs, '--specs=nosys.specs', '-Wl,--gc-sections', '-o', elf], { stdio: 'pipe' });
  const size = execFileSync('arm-none-eabi-size', ['-A', elf], { encoding: 'utf8' });
  const sec = (n: string) => Number(new RegExp(`^\\${n}\\s+(\\d+)`, 'm').exec(size)?.[1] ?? 0);
  results.arm = { text: String(sec('.text')), rodata: String(sec('.rodata')), data: String(sec('.data')), bss: String(sec('.bss')) };
  assert.ok(sec('.text') > 0);
});
// One engine, a client and a server slot over RAM pipes (memory_loopback.c),
// built for the instruction set of an RP2040 (Thumb-1) and of a Thumb-2
// core, run under qemu-arm's user-mode emulation with the native-stack
// guard off and the stack painted: what does wasm3 really use there?
const emu = (cpu: string) => {
  const out = join(work, `emu-${cpu}`);
  bundle({ board: 'esp32-c3', out, runtime: 'wasm3' }); // 2 slots: a client and a server
  const t = join(out, 'tlsrt');
  const header = join(t, 'tlsrt_board.h');
  writeFileSync(header, readFileSync(header, 'utf8').replace(/#define TLSRT_M3_MAX_NATIVE_STACK \d+/, '#define TLSRT_M3_MAX_NATIVE_STACK 0'));
  const defs = Object.entries(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')).wasm3Defines)
    .map(([k, v]) => `-D${k}=${k === 'd_m3MaxNativeStack' ? 0 : v}`);
  const base = [`-mcpu=${cpu}`, '-mthumb', '-O2', ...defs];
  const emuDir = join(import.meta.dirname, 'emu');
  const objs: string[] = [];
  const cc = (src: string, extra: string[]) => {
    const o = join(out, `${objs.length}.o`);
    execFileSync(ARM, [...base, ...extra, '-c', src, '-o', o], { stdio: 'pipe' });
    objs.push(o);
  };
  const strict = ['-std=c99', '-Wall', '-Wextra', '-Werror', `-I${t}`, `-I${join(t, 'examples')}`, '-isystem', join(WASM3_DIR, 'source')];
  for (const f of WASM3_SOURCES) cc(join(WASM3_DIR, 'source', f), ['-std=gnu99', '-w', `-I${join(WASM3_DIR, 'source')}`]);
  for (const f of ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_module.c', 'examples/heap_count.c']) cc(join(t, f), strict);
  cc(join(t, 'examples/memory_loopback.c'), [...strict, '-DSTACK_PAINT=262144']);
  cc(join(emuDir, 'port_emulator.c'), [...strict, '-DTLSRT_INSECURE_TEST_PORT']);
  cc(join(emuDir, 'linux_syscalls.c'), strict);
  const elf = join(out, 'loopback.elf');
  execFileSync(ARM, [...base, '-nostartfiles', '-Wl,-e,_start', ...objs, '-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free', '-lc', '-lm', '-lgcc', '-o', elf], { stdio: 'pipe' });
  const stdout = execFileSync('qemu-arm', ['-cpu', 'max', elf], { encoding: 'utf8', timeout: 600000 });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))!;
  assert.ok(line, stdout);
  return Object.fromEntries(line.slice(7).split(' ').map((kv) => kv.split('=') as [string, string]));
};
test('Cortex-M0+ under qemu-arm: handshake + echo between two slots; native stack against the rp2040 guard', { skip: noQemu }, () => {
  const r = emu('cortex-m0plus');
  results['cortex-m0plus (qemu)'] = r;
  assert.equal(r.ok, '1');
  assert.equal(r.ptr_bytes, '4');
  const rp = loadBoard('rp2040');
  // GCC emits no tail calls for Thumb-1, so each interpreted op nests a C frame.
  assert.ok(Number(r.native_stack) + 4096 <= rp.wasm3.maxNativeStack, `measured ${r.native_stack} B of native stack; rp2040 maxNativeStack is ${rp.wasm3.maxNativeStack}`);
});
test('Cortex-M3 (Thumb-2) under qemu-arm: the same, with tail calls', { skip: noQemu }, () => {
  const r = emu('cortex-m3');
  results['cortex-m3 (qemu)'] = r;
  assert.equal(r.ok, '1');
  assert.ok(Number(r.native_stack) < 16384, r.native_stack);
});

// Does the compiler turn wasm3's op-to-op dispatch into tail calls? Where it
// does not, every interpreted instruction nests a C frame and the native
// stack the board needs grows by an order of magnitude (rp2040, esp32).
const TCO: { cc: string; flags: string[]; name: string; tail: boolean; objdump: string }[] = [
  { cc: ARM, objdump: 'arm-none-eabi-objdump', flags: ['-mcpu=cortex-m0plus', '-mthumb'], name: 'Cortex-M0+ (Thumb-1, rp2040)', tail: false },
  { cc: ARM, objdump: 'arm-none-eabi-objdump', flags: ['-mcpu=cortex-m3', '-mthumb'], name: 'Cortex-M3 (Thumb-2)', tail: true },
  { cc: 'riscv64-unknown-elf-gcc', objdump: 'riscv64-unknown-elf-objdump', flags: ['--specs=picolibc.specs', '-march=rv32imac', '-mabi=ilp32'], name: 'RV32IMAC (esp32-c3)', tail: true },
];
for (const t of TCO) {
  const skip = spawnSync(t.cc, ['--version']).status === 0 ? false : `${t.cc} not installed: no tail-call check for ${t.name}`;
  test(`wasm3's interpreter ${t.tail ? 'tail-calls' : 'does NOT tail-call'} between ops on ${t.name} (GCC -O2)`, { skip }, () => {
    const o = join(work, `tco-${t.name.replace(/\W+/g, '_')}.o`);
    execFileSync(t.cc, [...t.flags, '-O2', '-Dd_m3HasFloat=0', '-std=gnu99', '-w', `-I${join(WASM3_DIR, 'source')}`, '-c', join(WASM3_DIR, 'source', 'm3_compile.c'), '-o', o], { stdio: 'pipe' });
    const dis = execFileSync(t.objdump, ['-d', o], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const body = /<op_i32_Add_rs>:\n([\s\S]*?)\n\n/.exec(dis)?.[1] ?? '';
    assert.ok(body, 'op_i32_Add_rs found');
    const calls = /\b(blx|bl|jalr|call)\b/.test(body);
    results[`tail calls ${t.name}`] = { tail: String(!calls) };
    assert.equal(!calls, t.tail, body);
  });
}

test.after(() => {
  console.log(`# measured (${M32 ? '32-bit' : '64-bit'} POSIX build):`);
  for (const [k, v] of Object.entries(results)) console.log(`#   ${k}: ${Object.entries(v).map(([a, b]) => `${a}=${b}`).join(' ')}`);
});
