#!/usr/bin/env node
// Builds every asconfig profile, shrinks each with binaryen's wasm-opt,
// compiles the TypeScript host to dist/, and prints bytes per module.
// Each profile also gets a sim-only twin, build/<profile>.sim.wasm: the same
// optimised module with tools/instrument.mjs's executed-instruction counters
// (src/sim/cost-model.ts, the simulated board clock). Boards never get it.
//
//   node tools/build.mjs            all of it
//   node tools/build.mjs --wasm     only the WebAssembly modules
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { instrumentWasm } from './instrument.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

const asconfig = JSON.parse(readFileSync('asconfig.json', 'utf8'));
const profiles = Object.keys(asconfig.targets);
mkdirSync('build', { recursive: true });

// Features wasm3 implements (../shared/notes/wasm3.md) and asc emits by default.
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
for (const p of profiles) {
  const out = asconfig.targets[p].outFile;
  const raw = out.replace(/\.wasm$/, '.raw.wasm');
  // --debug keeps function names so wasm-opt can tell engine functions apart; --strip-debug drops them after.
  run(bin('asc'), [`assembly/profiles/${p}.ts`, '--config', 'asconfig.json', '--target', p, '--debug', '--outFile', raw]);
  run(bin('wasm-opt'), [raw, ...WASM3_FEATURES, ...KEEP_SEPARATE, '-O3', '--converge', '--strip-debug', '-o', out]);
  const bytes = statSync(out).size;
  rows.push({ profile: p, file: out, bytes, gzip: gzipSync(readFileSync(out)).length, asc: statSync(raw).size });
  const sim = out.replace(/\.wasm$/, '.sim.wasm');
  const inst = instrumentWasm(readFileSync(out));
  writeFileSync(sim, inst.bytes);
  simRows.push({ profile: p, file: sim, bytes: inst.bytes.length, regions: inst.regions });
}

if (!process.argv.includes('--wasm')) run(bin('tsc'), ['-p', 'tsconfig.json']);

console.log('\nprofile  module            bytes   (asc out)   gzip');
for (const r of rows) {
  console.log(`${r.profile.padEnd(8)} ${r.file.padEnd(16)} ${String(r.bytes).padStart(7)}   (${String(r.asc).padStart(7)})  ${String(r.gzip).padStart(6)}`);
}
console.log('\nsim-only (instrumented, never flashed)');
for (const r of simRows) {
  console.log(`${r.profile.padEnd(8)} ${r.file.padEnd(20)} ${String(r.bytes).padStart(7)}   (${r.regions} counted regions)`);
}
