// `tlsrt bundle` for every board: the files a board build needs are there
// and agree with each other — the C array holds exactly build/boards/<board>.wasm,
// the header's geometry and memory limits come from the board profile and
// the engine's own arena_bytes(), the SDK glue names wasm3 as a dependency
// and passes it the board's settings. Where a C compiler exists, the parts
// of the host that need no wasm3 headers compile warning-free; the full
// build against wasm3 is `npm run test:device` (needs WASM3_DIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { bundle } from '../../src/bundle/bundle.ts';
import { loadBoard } from '../../src/bundle/board.ts';
import { boardWasmPath } from '../../src/engine/wasm-module.ts';
import { SUITES } from '../../src/engine/config.ts';
import { wasm2cAvailable } from '../../src/bundle/wasm2c.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import tls from 'node:tls';
import { constants, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const run = promisify(execFile);

const BOARDS = ['esp32', 'esp32-c3', 'rp2040'];
const work = mkdtempSync(join(tmpdir(), 'tlsrt-bundle-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** #define NAME value from a header. */
function defines(h: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of h.split('\n')) {
    const r = /^#define (\w+) (.+?)(?: \/\*.*\*\/)?$/.exec(line);
    if (r) m.set(r[1], r[2]);
  }
  return m;
}

/** The bytes of `const uint8_t NAME[N] = { ... };`. */
function cArrayBytes(src: string): { declared: number; len: number; bytes: Buffer } {
  const decl = /const uint8_t tlsrt_wasm\[(\d+)\][^=]*= \{([\s\S]*?)\};/.exec(src);
  const len = /const uint32_t tlsrt_wasm_len = (\d+)u;/.exec(src);
  assert.ok(decl && len, 'tlsrt_module.c declares tlsrt_wasm and tlsrt_wasm_len');
  const bytes = Buffer.from(decl[2].split(',').map((s) => s.trim()).filter(Boolean).map((s) => Number.parseInt(s, 16)));
  return { declared: Number(decl[1]), len: Number(len[1]), bytes };
}

for (const name of BOARDS) {
  test(`bundle ${name}: module, header and glue are well-formed`, () => {
    const out = join(work, name);
    const r = bundle({ board: name, out, runtime: 'wasm3' });
    const b = loadBoard(name);
    const wasm = readFileSync(boardWasmPath(name)); // the board's own module, what it flashes
    for (const f of r.files) assert.ok(existsSync(join(out, f)), `${f} listed and written`);

    // the module, raw and as a C array
    assert.deepEqual(readFileSync(join(out, `${name}.wasm`)), wasm);
    const arr = cArrayBytes(readFileSync(join(out, 'tlsrt/tlsrt_module.c'), 'utf8'));
    assert.equal(arr.declared, wasm.length);
    assert.equal(arr.len, wasm.length);
    assert.deepEqual(arr.bytes, wasm);

    // the header: geometry from the profile, memory figures from the engine
    const h = readFileSync(join(out, 'tlsrt/tlsrt_board.h'), 'utf8');
    assert.match(h, /#ifndef TLSRT_BOARD_H[\s\S]*#endif/);
    const d = defines(h);
    assert.equal(d.get('TLSRT_SLOTS'), String(b.pool.slots));
    assert.equal(d.get('TLSRT_RECV_CAP'), String(b.pool.recvCap));
    assert.equal(d.get('TLSRT_SEND_CAP'), String(b.pool.sendCap));
    assert.equal(d.get('TLSRT_HS_CAP'), String(b.pool.hsCap));
    assert.equal(d.get('TLSRT_MFL_REQUEST'), String(b.maxFragmentLength));
    assert.equal(d.get('TLSRT_DEFAULT_SUITES'), `{ ${b.suites.map((s) => `0x${SUITES[s].toString(16)}`).join(', ')} }`);
    assert.equal(d.get('TLSRT_ARENA_BYTES'), `${r.module.arenaBytes}u`);
    assert.equal(d.get('TLSRT_HEAP_BASE'), `${r.module.heapBase}u`);
    const limit = Number.parseInt(d.get('TLSRT_LINEAR_MEMORY_LIMIT')!, 10);
    assert.equal(limit, Math.ceil(r.module.heapBase / 16) * 16 + r.module.arenaBytes, 'memory limit = aligned heap base + arena');
    assert.ok(limit <= r.module.initialMemory + Math.ceil(r.module.arenaBytes / 65536) * 65536, 'within what init() grows to');
    assert.equal(d.get('TLSRT_VALUE_STACK_BYTES'), String(b.wasm3.valueStackBytes));
    assert.equal(d.get('TLSRT_M3_MAX_NATIVE_STACK'), String(b.wasm3.maxNativeStack));
    assert.equal(d.get('TLSRT_M3_MAX_FUNCTION_STACK_HEIGHT'), String(b.wasm3.maxFunctionStackHeight));
    assert.equal(d.get('TLSRT_SIG_RANDOM_FILL'), '"v(ii)"');
    assert.equal(d.get('TLSRT_IMPORTS_RANDOM_FILL'), '1');
    assert.match(h, /extern const uint8_t tlsrt_wasm\[\];/);

    // the device host's sources travel with the bundle
    for (const f of ['tlsrt_host.c', 'tlsrt_host.h', 'tlsrt_port.h', 'tlsrt_net.c', 'tlsrt_net.h', 'port_posix.c', 'port_espidf.c', 'port_pico.c', 'examples/posix_echo_client.c']) {
      assert.ok(existsSync(join(out, 'tlsrt', f)), `tlsrt/${f}`);
    }

    // the SDK glue
    const m3defs = [`d_m3MaxFunctionStackHeight=${b.wasm3.maxFunctionStackHeight}`, `d_m3MaxNativeStack=${b.wasm3.maxNativeStack}`, `d_m3CodePageAlignSize=${b.wasm3.codePageAlignSize}`];
    if (b.sdk === 'esp-idf') {
      const yml = readFileSync(join(out, 'esp-idf/components/tlsrt/idf_component.yml'), 'utf8');
      assert.match(yml, /^dependencies:\n(?:  .*\n)*  wasm3:\n    path: "\.\.\/wasm3"/m, 'idf_component.yml names wasm3');
      assert.match(yml, new RegExp(`targets:\\n  - ${b.idfTarget}\\n`));
      const tl = readFileSync(join(out, 'esp-idf/components/tlsrt/CMakeLists.txt'), 'utf8');
      assert.match(tl, /idf_component_register\([\s\S]*REQUIRES wasm3/);
      assert.match(tl, /port_espidf\.c/);
      const w = readFileSync(join(out, 'esp-idf/components/wasm3/CMakeLists.txt'), 'utf8');
      assert.match(w, /WASM3_DIR/);
      for (const x of m3defs) assert.ok(w.includes(x), `wasm3 component gets ${x}`);
      assert.match(readFileSync(join(out, 'esp-idf/sdkconfig.defaults'), 'utf8'), new RegExp(`CONFIG_ESP_MAIN_TASK_STACK_SIZE=${b.wasm3.taskStackBytes}`));
      assert.ok(!existsSync(join(out, 'pico-sdk')));
    } else {
      const c = readFileSync(join(out, 'pico-sdk/tlsrt.cmake'), 'utf8');
      assert.match(c, /add_library\(tlsrt_wasm3 STATIC/);
      assert.match(c, /add_library\(tlsrt STATIC[^)]*port_pico\.c/);
      for (const x of m3defs) assert.ok(c.includes(x), `wasm3 library gets ${x}`);
      assert.ok(!existsSync(join(out, 'esp-idf')));
    }
    const mk = readFileSync(join(out, 'posix/Makefile'), 'utf8');
    for (const x of m3defs) assert.ok(mk.includes(`-D${x}`), `POSIX build gets ${x}`);
    assert.match(mk, /-Wall -Wextra -Werror/);

    // the manifest and the RAM arithmetic
    const man = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    assert.equal(man.board, name);
    assert.equal(man.module.wasmBytes, wasm.length);
    assert.equal(man.ram.peak, Math.max(man.ram.servingTotal, man.ram.selftestTotal));
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /\*\*peak\*\*/);
    // no wasm3 source in the bundle, ever
    assert.ok(!r.files.some((f) => /(^|\/)m3_|wasm3\.h$/.test(f)), 'wasm3 is never copied into a bundle');
  });
}

test('tlsrt bundle (CLI): usage errors and a bundle', () => {
  const cli = ['--import', 'tsx', 'src/cli.ts', 'bundle'];
  const missing = spawnSync(process.execPath, cli, { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--board and --out are required/);
  const unknown = spawnSync(process.execPath, [...cli, '--board', 'nope', '--out', join(work, 'x')], { encoding: 'utf8' });
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown board 'nope'/);
  const badRuntime = spawnSync(process.execPath, [...cli, '--board', 'rp2040', '--out', join(work, 'x'), '--runtime', 'jit'], { encoding: 'utf8' });
  assert.equal(badRuntime.status, 2);
  assert.match(badRuntime.stderr, /unknown runtime 'jit'/);
  const ok = spawnSync(process.execPath, [...cli, '--board', 'rp2040', '--out', join(work, 'cli'), '--runtime', 'wasm3'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /rp2040: wrote \d+ files to .* \(wasm3 runtime/);
  assert.match(ok.stdout, /\*\*peak\*\*/);
  assert.ok(existsSync(join(work, 'cli/tlsrt/tlsrt_module.c')));
  if (wasm2cAvailable() === undefined) {
    // no --runtime: the board profile's default (rp2040: aot)
    const dflt = spawnSync(process.execPath, [...cli, '--board', 'rp2040', '--out', join(work, 'cli-default')], { encoding: 'utf8' });
    assert.equal(dflt.status, 0, dflt.stderr);
    assert.match(dflt.stdout, /\(aot runtime/);
    assert.ok(existsSync(join(work, 'cli-default/tlsrt/tlsrt_engine.c')));
  }
});

// The ahead-of-time bundle: the engine compiled to C by wasm2c, the static
// wasm-rt and the aot adapter, SDK glue without wasm3; on a PC its POSIX
// build completes a handshake and an echo with node:tls.
const noWasm2c = wasm2cAvailable();
for (const name of BOARDS) {
  test(`bundle ${name} --runtime aot: generated engine, runtime glue and SDK glue, no wasm3`, { skip: noWasm2c ?? false }, () => {
    const out = join(work, `${name}-aot`);
    const r = bundle({ board: name, out, runtime: 'aot' });
    const b = loadBoard(name);
    assert.equal(r.runtime, 'aot');
    for (const f of r.files) assert.ok(existsSync(join(out, f)), `${f} listed and written`);
    for (const f of ['tlsrt_engine.c', 'tlsrt_engine.h', 'tlsrt_aot_config.h', 'wasm-rt.h', 'wasm_rt_static.c', 'tlsrt_runtime_aot.c', 'tlsrt_host.c', 'tlsrt_runtime.h']) {
      assert.ok(r.files.includes(`tlsrt/${f}`), `tlsrt/${f}`);
    }
    assert.ok(!r.files.includes('tlsrt/tlsrt_runtime_wasm3.c') && !r.files.includes('tlsrt/tlsrt_module.c'), 'one runtime per bundle');
    assert.ok(!r.files.some((f) => /(^|\/)m3_|wasm3\.h$/.test(f)), 'no wasm3 source');
    const h = readFileSync(join(out, 'tlsrt/tlsrt_engine.h'), 'utf8');
    for (const x of ['init', 'open', 'recv_commit', 'selftest', 'heap_base']) assert.match(h, new RegExp(`Z_tlsrtZ_${x}\\(`), `export ${x}`);
    const d = defines(readFileSync(join(out, 'tlsrt/tlsrt_board.h'), 'utf8'));
    assert.equal(d.get('TLSRT_RUNTIME_AOT'), '1');
    assert.equal(Number.parseInt(d.get('TLSRT_LINEAR_MEMORY_LIMIT')!, 10), Math.ceil(r.module.heapBase / 16) * 16 + r.module.arenaBytes);
    const cfg = readFileSync(join(out, 'tlsrt/tlsrt_aot_config.h'), 'utf8');
    assert.match(cfg, /#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0/, 'software bounds checks');
    const glue = b.sdk === 'esp-idf' ? 'esp-idf/components/tlsrt/CMakeLists.txt' : 'pico-sdk/tlsrt.cmake';
    const g = readFileSync(join(out, glue), 'utf8');
    for (const f of ['tlsrt_engine.c', 'wasm_rt_static.c', 'tlsrt_runtime_aot.c', 'tlsrt_host.c']) assert.ok(g.includes(f), `${glue} builds ${f}`);
    assert.ok(!/wasm3|WASM3_DIR/i.test(g), `${glue} needs no wasm3`);
    assert.equal(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')).runtime, 'aot');
  });
}

// The host files that need no wasm3 headers, compiled warning-free with this
// machine's C compiler (reported as skipped, with the reason, where there is
// none; the whole host, with wasm3, is compiled by `npm run test:device`).
// A compiler counts only if it can compile against the C library's headers.
const probe = (c: string) =>
  spawnSync(c, ['-std=c99', '-fsyntax-only', '-x', 'c', '-'], { input: '#include <stdio.h>\n#include <sys/socket.h>\nint main(void) { return 0; }\n' }).status === 0;
const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0 && probe(c));
const noCc = 'no C compiler here that compiles against the C library\'s headers (tried cc, gcc, clang): apt-get install gcc';
test(`bundle: transport, POSIX port and module array compile with ${cc ?? 'cc'} -Wall -Wextra -Werror`, { skip: cc ? false : noCc }, () => {
  const t = join(work, 'rp2040', 'tlsrt');
  for (const f of ['tlsrt_net.c', 'port_posix.c', 'tlsrt_module.c']) {
    execFileSync(cc!, ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', `-I${t}`, '-c', join(t, f), '-o', join(work, `${f}.o`)], { stdio: 'pipe' });
  }
});

{
  test(`bundle rp2040 --runtime aot: the POSIX build (${cc ?? 'cc'}, -Werror on the host and glue) does psk_dhe_ke and psk_ke with node:tls and echoes 16 KiB`, { skip: cc ? (noWasm2c ?? false) : noCc }, async () => {
    const out = join(work, 'rp2040-aot-posix');
    bundle({ board: 'rp2040', out, runtime: 'aot' });
    execFileSync('make', ['-C', join(out, 'posix'), `CC=${cc!}`, '-j2'], { stdio: 'pipe' });
    const psk = randomBytes(32);
    const server = tls.createServer({ pskCallback: (_s, id) => (id === 'device-0001' ? psk : null), secureOptions: constants.SSL_OP_ALLOW_NO_DHE_KEX }, (s) => s.pipe(s));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    try {
      const port = String((server.address() as AddressInfo).port);
      for (const kx of ['psk_dhe_ke', 'psk_ke']) {
        const { stdout } = await run(join(out, 'posix/build/posix_echo_client'), ['127.0.0.1', port, 'device-0001', psk.toString('hex'), '16384', kx], { timeout: 60000 });
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))!;
        assert.match(line, / ok=1 /, line);
        assert.match(line, / kx=\d /);
        assert.equal(/ kx=(\d) /.exec(line)![1], kx === 'psk_ke' ? '1' : '2');
        assert.match(line, / heap_serving_peak=0 /, 'no heap');
      }
    } finally {
      server.close();
    }
  });
}
