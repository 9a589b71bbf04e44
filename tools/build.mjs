#!/usr/bin/env node
// Builds every asconfig profile (the Node profiles, speed-optimised: -O3) and
// one size-optimised module per board profile (build/boards/<name>.wasm from
// assembly/profiles/board.ts with the board's "engine" selection as
// compile-time constants, asc and wasm-opt at -Oz), compiles the TypeScript
// host to dist/, and prints bytes per module.
// The production modules (psk and the boards) also get a sim-only twin,
// build/<profile>.sim.wasm: the same optimised module with
// tools/instrument.mjs's executed-instruction counters (src/sim/cost-model.ts,
// the simulated board clock). Boards never flash it. The `test` profile (psk
// plus the raw crypto primitives, for test/crypto and bench/crypto) gets none.
//
//   node tools/build.mjs            all of it
//   node tools/build.mjs --wasm     only the WebAssembly modules
//   node tools/build.mjs --boards   only the board modules
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { instrumentWasm } from './instrument.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

// The ABI constants first: the engine (asc), the host (tsc) and the C host
// include what tools/gen-abi.mjs writes from abi/engine-abi.json.
run(process.execPath, ['tools/gen-abi.mjs']);
run(process.execPath, ['tools/gen-tables.mjs']);

const asconfig = JSON.parse(readFileSync('asconfig.json', 'utf8'));
const profiles = Object.keys(asconfig.targets);
mkdirSync('build/boards', { recursive: true });

// Features wasm3 implements (docs/architecture.md, "Build and profiles") and asc emits by default.
// wasm-opt is told exactly these, so it can neither use nor keep anything else.
const WASM3_FEATURES = [
  '--mvp-features',
  '--enable-bulk-memory',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
];

// The engine's handshake and record functions stay separate functions: inlined
// into the exports they would make single functions too tall for wasm3's
// per-function stack limit on a microcontroller (d_m3MaxFunctionStackHeight).
// The crypto primitives inline freely; they are the hot path.
const KEEP_SEPARATE = ['--no-inline=assembly/tls/*'];

const rows = [];
const simRows = [];
/** asc, then wasm-opt, then the sim twin; `level` is -O3 (Node) or -Oz (boards). */
function buildModule(label, entry, out, ascArgs, level, simTwin = true) {
  const raw = out.replace(/\.wasm$/, '.raw.wasm');
  // --debug keeps function names so wasm-opt can tell engine functions apart; --strip-debug drops them after.
  run(bin('asc'), [entry, '--config', 'asconfig.json', ...ascArgs, '--debug', '--outFile', raw]);
  run(bin('wasm-opt'), [raw, ...WASM3_FEATURES, ...KEEP_SEPARATE, level, '--converge', '--strip-debug', '-o', out]);
  const bytes = statSync(out).size;
  rows.push({ profile: label, file: out, bytes, gzip: gzipSync(readFileSync(out)).length, asc: statSync(raw).size });
  if (!simTwin) return;
  const sim = out.replace(/\.wasm$/, '.sim.wasm');
  const inst = instrumentWasm(readFileSync(out));
  writeFileSync(sim, inst.bytes);
  simRows.push({ profile: label, file: sim, bytes: inst.bytes.length, regions: inst.regions });
}

if (!process.argv.includes('--boards')) {
  for (const p of profiles) buildModule(p, `assembly/profiles/${p}.ts`, asconfig.targets[p].outFile, ['--target', p], '-O3', p !== 'test');
}

// Board modules: boards/<name>.json's "engine" section, validated by
// src/bundle/board.ts, arrives as asc --use constants (tools/board-engines.ts).
// -Oz is asc's optimizeLevel 2 + shrinkLevel 2 (it overrides asconfig's
// speed settings); wasm-opt -Oz likewise, with the same wasm3 feature set.
const boards = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'tools/board-engines.ts'], { encoding: 'utf8' }));
for (const b of boards) {
  buildModule(b.name, 'assembly/profiles/board.ts', `build/boards/${b.name}.wasm`, ['--target', 'psk', '-Oz', ...b.flags], '-Oz');
}

if (!process.argv.includes('--wasm') && !process.argv.includes('--boards')) run(bin('tsc'), ['-p', 'tsconfig.json']);

const fw = Math.max(...rows.map((r) => r.file.length));
const sw = Math.max(...simRows.map((r) => r.file.length));
console.log(`\n${'profile'.padEnd(9)} ${'module'.padEnd(fw)}   bytes   (asc out)   gzip`);
for (const r of rows) {
  console.log(`${r.profile.padEnd(9)} ${r.file.padEnd(fw)} ${String(r.bytes).padStart(7)}   (${String(r.asc).padStart(7)})  ${String(r.gzip).padStart(6)}`);
}
console.log('\nsim-only (instrumented, never flashed)');
for (const r of simRows) {
  console.log(`${r.profile.padEnd(9)} ${r.file.padEnd(sw)} ${String(r.bytes).padStart(7)}   (${r.regions} counted regions)`);
}
