// `tlsrt bundle --board <name> --out DIR`: everything a board build needs in
// one directory — the engine module as a C array and as a raw file, the
// generated board header, the device host's C sources, and the build glue
// for the board's SDK plus a POSIX Makefile that builds the same
// configuration on a PC.
//
//   DIR/<board>.wasm             the board's own module (build/boards/<board>.wasm), raw;
//                                DIR/psk.wasm with --profile psk (the Node module, everything in)
//   DIR/tlsrt/tlsrt_module.c     the module as a const C array (flash)
//   DIR/tlsrt/tlsrt_board.h      pool geometry, memory figures, import signatures, wasm3 settings
//   DIR/tlsrt/*.c, *.h           the device host (copied from boards/wasm3)
//   DIR/esp-idf/... | pico-sdk/tlsrt.cmake
//   DIR/posix/Makefile
//   DIR/bundle.json, DIR/README.md   what was generated and the RAM arithmetic
import { mkdirSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { loadBoard, boardsDir, type Board, type Runtime } from './board.ts';
import { inspectModule, inspectBoardModule, type ModuleFacts } from './module.ts';
import { wasm2c } from './wasm2c.ts';
import { aotGlue } from './glue-aot.ts';
import { cArray } from './c-array.ts';
import { boardHeader } from './header.ts';
import { espIdfGlue } from './glue-espidf.ts';
import { picoGlue } from './glue-pico.ts';
import { posixGlue } from './glue-posix.ts';
import { wasm3Defines } from './defines.ts';
import { ramArithmetic, ramTable, type RamArithmetic } from './ram.ts';

export interface BundleOptions {
  board: string;
  out: string;
  /** Ships the Node production module (build/psk.wasm: everything in, -O3) instead of the board's own module. */
  profile?: Board['profile'];
  /** Overrides the board's default runtime (boards/<name>.json "runtime"). */
  runtime?: Runtime;
  /** Overrides the module file (default: the board's own build/boards/<name>.wasm), e.g. a variant to measure. */
  module?: string;
}

export interface BundleResult {
  board: Board;
  runtime: Runtime;
  module: Omit<ModuleFacts, 'bytes'> & { wasmBytes: number };
  ram: RamArithmetic;
  files: string[];
}

/** The device host's own sources (boards/wasm3: the runtime-neutral host and
 * the wasm3 adapter; boards/aot: the aot adapter and wasm-rt), as
 * bundle-relative paths under tlsrt/. Each bundle carries one adapter. */
function hostFiles(runtime: Runtime): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string, rel: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p, `${rel}${f}/`);
      else if (/\.(c|h)$/.test(f) && !(runtime === 'aot' && f === 'tlsrt_runtime_wasm3.c')) out[`tlsrt/${rel}${f}`] = readFileSync(p);
    }
  };
  walk(join(boardsDir(), 'wasm3'), '');
  if (runtime === 'aot') walk(join(boardsDir(), 'aot'), '');
  return out;
}

export function bundle(opts: BundleOptions): BundleResult {
  const board = loadBoard(opts.board);
  const profile = opts.profile ?? board.profile;
  const runtime = opts.runtime ?? board.runtime;
  const m = opts.profile && !opts.module ? inspectModule(opts.profile, board.pool) : inspectBoardModule(board.name, profile, board.pool, opts.module);
  const ram = ramArithmetic(board, m);
  const header = boardHeader(board, m, runtime);
  const files: Record<string, string | Uint8Array> = { [m.file.replace(/^.*\//, '')]: m.bytes, 'tlsrt/tlsrt_board.h': header, ...hostFiles(runtime) };
  let generator: string | undefined;
  if (runtime === 'aot') {
    const c = wasm2c(m.bytes);
    generator = c.version;
    Object.assign(files, {
      'tlsrt/tlsrt_engine.c': c.source,
      'tlsrt/tlsrt_engine.h': c.header,
      'tlsrt/tlsrt_aot_config.h': c.config,
      // wabt's runtime interface (Apache-2.0), the header the generated code is written against.
      'tlsrt/wasm-rt.h': c.wasmRtHeader,
      ...aotGlue(board),
    });
  } else {
    Object.assign(files, {
      'tlsrt/tlsrt_module.c': cArray('tlsrt_wasm', m.bytes, `${m.file} for board ${board.name}`),
      ...(board.sdk === 'esp-idf' ? espIdfGlue(board) : picoGlue(board)),
      ...posixGlue(board),
    });
  }
  const { bytes: _bytes, ...facts } = m;
  const manifest = {
    board: board.name,
    sdk: board.sdk,
    runtime,
    profile,
    pool: board.pool,
    module: { ...facts, wasmBytes: m.bytes.length },
    ...(runtime === 'aot' ? { wasm2c: generator } : { wasm3Defines: Object.fromEntries(wasm3Defines(board)), wasm3: board.wasm3, ram }),
    files: [...Object.keys(files), 'bundle.json', 'README.md'].sort(),
  };
  files['bundle.json'] = JSON.stringify(manifest, null, 2) + '\n';
  files['README.md'] = runtime === 'aot' ? aotReadme(board, m) : bundleReadme(board, m, ram);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(opts.out, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return { board, runtime, module: manifest.module, ram, files: manifest.files };
}

function aotReadme(b: Board, m: ModuleFacts): string {
  const sdk =
    b.sdk === 'esp-idf'
      ? ['In your project\'s top-level CMakeLists.txt, before `project()`:', '`list(APPEND EXTRA_COMPONENT_DIRS <this dir>/esp-idf/components)`, add', '`REQUIRES tlsrt` to your main component, `idf.py build`.']
      : ['In your CMakeLists.txt, after `pico_sdk_init()`:', '`include(<this dir>/pico-sdk/tlsrt.cmake)` and `target_link_libraries(your_app tlsrt)`,', 'with `TLSRT_LWIP_TARGET` naming your lwIP-with-sockets target.'];
  return [
    `# tlsrt bundle for ${b.name} (ahead-of-time runtime)`,
    '',
    `${b.description}: ${b.cpu} @ ${b.clockMHz} MHz, ${b.sramBytes / 1024} KiB SRAM, ${b.flashBytes / 1048576} MiB flash.`,
    `Engine profile \`${m.profile}\` (${m.bytes.length} bytes of wasm) compiled to C by wasm2c: \`tlsrt/tlsrt_engine.c\`.`,
    `Pool ${b.pool.slots} slot(s) x (recv ${b.pool.recvCap}, send ${b.pool.sendCap}, handshake ${b.pool.hsCap}).`,
    '',
    '## Build',
    '',
    ...sdk,
    '',
    'No heap: linear memory is one static buffer of',
    `${m.linearMemoryBytes} bytes (static data ${m.heapBase} + arena ${m.arenaBytes}), bounds-checked in software;`,
    'a trap in the engine is an error return (TLSRT_E_WASM). On a PC: `make -C posix`.',
    'The firmware API is tlsrt/tlsrt_host.h, the same as with wasm3.',
    '',
    'Generated by `tlsrt bundle`; regenerate rather than edit.',
    '',
  ].join('\n');
}

function bundleReadme(b: Board, m: ModuleFacts, ram: RamArithmetic): string {
  const sdk =
    b.sdk === 'esp-idf'
      ? [
          'In your project\'s top-level CMakeLists.txt, before `project()`:',
          '`list(APPEND EXTRA_COMPONENT_DIRS <this dir>/esp-idf/components)` (the',
          'components refer to `../../../tlsrt`, so leave the bundle in one piece);',
          'merge `esp-idf/sdkconfig.defaults`, set `WASM3_DIR` to your wasm3',
          'checkout, add `REQUIRES tlsrt` to your main component, `idf.py build`.',
        ]
      : [
          'In your CMakeLists.txt, after `pico_sdk_init()`:',
          '`include(<this dir>/pico-sdk/tlsrt.cmake)` and',
          '`target_link_libraries(your_app tlsrt)`, with `WASM3_DIR` set to your',
          'wasm3 checkout and `TLSRT_LWIP_TARGET` naming your lwIP-with-sockets target.',
        ];
  return [
    `# tlsrt bundle for ${b.name}`,
    '',
    `${b.description}: ${b.cpu} @ ${b.clockMHz} MHz, ${b.sramBytes / 1024} KiB SRAM, ${b.flashBytes / 1048576} MiB flash.`,
    `Engine profile \`${m.profile}\` (${m.bytes.length} bytes of wasm), pool ${b.pool.slots} slot(s) x`,
    `(recv ${b.pool.recvCap}, send ${b.pool.sendCap}, handshake ${b.pool.hsCap}).`,
    '',
    '## Build',
    '',
    ...sdk,
    '',
    'On a PC, the same configuration: `make -C posix WASM3_DIR=...` builds',
    '`posix/build/posix_echo_client` (see boards/wasm3/README.md in tlsrt).',
    '',
    '## wasm3 settings',
    '',
    ...wasm3Defines(b).map(([k, v]) => `- \`${k}=${v}\``),
    `- value stack ${b.wasm3.valueStackBytes} bytes, linear memory capped at ${m.linearMemoryBytes} bytes (runtime->memoryLimit)`,
    `- task stack ${b.wasm3.taskStackBytes} bytes`,
    '',
    '## RAM',
    '',
    ramTable(b, ram),
    '',
    'Generated by `tlsrt bundle`; regenerate rather than edit.',
    '',
  ].join('\n');
}
