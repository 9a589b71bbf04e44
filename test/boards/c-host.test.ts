// The whole wasm3 C host compiles warning-free (-Wall -Wextra -Werror) for
// every board: the runtime-neutral host (tlsrt_host.c, including the
// generated tlsrt_abi.h), the wasm3 adapter, the socket transport, the POSIX
// port and examples, and the board SDK's port (ESP-IDF or Pico), each against
// the board's own bundle (its tlsrt_board.h and module) and compile-only stub
// headers for wasm3, the SDKs and lwIP (test/boards/stubs/). Nothing is
// linked: this catches a host that no longer compiles, or one that drifted
// from the ABI header, without a wasm3 checkout or an SDK. The aot adapter is
// compiled and run by emulated.test.ts and bundle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bundle } from '../../src/bundle/bundle.ts';
import { boardNames, loadBoard } from '../../src/bundle/board.ts';
import { wasm3Defines } from '../../src/bundle/defines.ts';

const CC = process.env.CC ?? 'cc';
const skip = spawnSync(CC, ['--version']).status !== 0 ? `no C compiler (${CC}): set CC or install gcc/clang` : false;
const STUBS = join(import.meta.dirname, 'stubs');
const WARN = ['-std=c99', '-Wall', '-Wextra', '-Werror'];

const work = skip ? '' : mkdtempSync(join(tmpdir(), 'tlsrt-c-host-'));
test.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Compiles one file (-c); fails the test with the compiler's output. */
function compile(dir: string, file: string, flags: string[]): void {
  const r = spawnSync(CC, [...WARN, ...flags, `-I${dir}`, '-c', join(dir, file), '-o', join(work, `${file.replace(/\W/g, '_')}.o`)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${CC} ${file}:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /warning/, `${file}: no warnings`);
}

for (const name of boardNames()) {
  test(`${name}: the wasm3 host, adapter, transport and ports compile with -Wall -Wextra -Werror`, { skip }, () => {
    const b = loadBoard(name);
    const out = join(work, name);
    bundle({ board: name, out, runtime: 'wasm3' });
    const dir = join(out, 'tlsrt');
    const m3 = [`-I${join(STUBS, 'wasm3')}`, ...wasm3Defines(b).map(([k, v]) => `-D${k}=${v}`)];
    for (const f of ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_module.c']) compile(dir, f, m3);
    // The POSIX build: BSD sockets, port_posix.c and the examples that use them.
    compile(dir, 'tlsrt_net.c', []);
    compile(dir, 'port_posix.c', []);
    const examples = readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.c'));
    assert.ok(examples.includes('posix_echo_client.c') && examples.includes('posix_echo_server.c'), examples.join(' '));
    // memory_loopback.c runs a client and a server in one pool: it refuses (#error) a one-slot board.
    for (const f of examples.filter((f) => f !== 'memory_loopback.c' || b.pool.slots >= 2)) compile(dir, join('examples', f), ['-D_POSIX_C_SOURCE=200809L', ...m3]);
    // The board's SDK: its port and the lwIP transport.
    // The lwIP stub maps lwip_* onto this machine's BSD declarations, which -std=c99 hides without _POSIX_C_SOURCE.
    const lwip = ['-DTLSRT_NET_LWIP=1', '-D_POSIX_C_SOURCE=200809L', `-I${join(STUBS, 'lwip')}`];
    if (b.sdk === 'esp-idf') {
      compile(dir, 'port_espidf.c', [`-I${join(STUBS, 'esp-idf')}`]);
    } else {
      assert.equal(b.sdk, 'pico-sdk');
      compile(dir, 'port_pico.c', [`-I${join(STUBS, 'pico')}`]);
    }
    compile(dir, 'tlsrt_net.c', lwip);
  });
}
