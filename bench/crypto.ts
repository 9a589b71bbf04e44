// `npm run bench`: one process measures tlsrt's WASM crypto against @noble/*
// and node:crypto on the same inputs, then prints the module sizes.
// Each bench/crypto-<group>.ts contributes rows; this file only gathers them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printRows, type Row } from './harness.ts';
import { wasmPath, type Profile } from '../src/engine/wasm-module.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2]; // optional group filter, e.g. `aes`

const sections = readdirSync(here)
  .filter((f) => /^crypto-[a-z0-9]+\.ts$/.test(f))
  .filter((f) => !only || f === `crypto-${only}.ts`)
  .sort();

console.log(`tlsrt crypto benchmark — node ${process.version}, ${process.arch}`);
console.log('tlsrt = build/test.wasm (the psk engine plus its primitives as exports) on V8, inputs already in linear memory; noble = @noble/* 2.x; node = node:crypto (OpenSSL)\n');
const rows: Row[] = [];
for (const f of sections) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  rows.push(...(mod.rows() as Row[]));
}
printRows(rows);

console.log('\nmodule sizes (after wasm-opt)');
for (const p of ['psk', 'test'] as Profile[]) {
  const file = wasmPath(p);
  const bytes = statSync(file).size;
  console.log(`  ${p.padEnd(5)} ${String(bytes).padStart(7)} bytes  (${gzipSync(readFileSync(file)).length} gzipped)`);
}
