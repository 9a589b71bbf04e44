#!/usr/bin/env node
// Writes the engine ABI's constants, from their one source abi/engine-abi.json,
// in the three languages that speak the ABI: assembly/abi.ts (the engine),
// src/engine/abi.ts (the Node host) and boards/wasm3/tlsrt_abi.h (the C host).
// The outputs are committed, so a clone builds without running this first;
// tools/build.mjs runs it before asc, and test/abi.test.ts fails when a
// committed output differs from what renderAbi() makes of the spec.
//
//   node tools/gen-abi.mjs          rewrite the generated files
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SPEC = 'abi/engine-abi.json';
export const OUTPUTS = { as: 'assembly/abi.ts', ts: 'src/engine/abi.ts', c: 'boards/wasm3/tlsrt_abi.h' };

const TYPES = new Set(['i32', 'u32', 'u8']);

/** Checks the spec's shape and that no two constants of a group share a name or a value. */
export function checkSpec(spec) {
  for (const g of spec.groups) {
    if (!/^[A-Z]+_$/.test(g.prefix) || !TYPES.has(g.type)) throw new Error(`abi group ${g.prefix}: bad prefix or type ${g.type}`);
    const names = new Set();
    const values = new Set();
    for (const c of g.constants) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(c.name) || !Number.isInteger(c.value) || typeof c.doc !== 'string' || !c.doc) {
        throw new Error(`abi ${g.prefix}${c.name}: needs an upper-case name, an integer value and a doc line`);
      }
      if (names.has(c.name) || values.has(c.value)) throw new Error(`abi ${g.prefix}${c.name}: duplicate name or value`);
      if (g.type !== 'i32' && (c.value < 0 || c.value > (g.type === 'u8' ? 0xff : 0xffffffff))) throw new Error(`abi ${g.prefix}${c.name}: ${c.value} is not a ${g.type}`);
      names.add(c.name);
      values.add(c.value);
    }
  }
  return spec;
}

const banner = (lead) => `${lead} Generated from ${SPEC} by tools/gen-abi.mjs; do not edit (edit the spec, then npm run build).\n`;
const oneLine = (s) => s.replace(/\*\//g, '* /').replace(/\s+/g, ' ');

function renderAs(spec) {
  let out = banner('//') + '// The engine ABI constants; engine.ts and assembly/tls/* import them from here.\n';
  for (const g of spec.groups) {
    out += `\n// ${g.about}\n`;
    for (const c of g.constants) out += `export const ${g.prefix}${c.name}: ${g.type} = ${c.value}; // ${oneLine(c.doc)}\n`;
  }
  return out;
}

function renderTs(spec) {
  let out = banner('//') + '// The engine ABI constants for the Node host (src/engine/*).\n';
  for (const g of spec.groups) {
    out += `\n// ${g.about}\n`;
    for (const c of g.constants) out += `export const ${g.prefix}${c.name} = ${c.value}; // ${oneLine(c.doc)}\n`;
  }
  const r = spec.groups.find((g) => g.prefix === 'R_');
  out += '\n/** R_* reasons by value, as lower-case names (R_PEER_ALERT is peer_alert). */\n';
  out += 'export const REASON_NAMES: Readonly<Record<number, string>> = {\n';
  for (const c of r.constants) if (c.value) out += `  ${c.value}: '${c.name.toLowerCase()}',\n`;
  out += '};\n';
  const st = spec.groups.find((g) => g.prefix === 'ST_');
  out += '\n/** ST_* states by value, as lower-case names (Conn#state). */\n';
  out += `export const STATE_NAMES = [${st.constants.map((c, i) => {
    if (c.value !== i) throw new Error('abi ST_ values must be 0, 1, 2, ...');
    return `'${c.name.toLowerCase()}'`;
  }).join(', ')}] as const;\n`;
  const kl = spec.groups.find((g) => g.prefix === 'KL_');
  out += '\n/** NSS key-log labels by KL_* value. */\n';
  out += `export const KEYLOG_LABELS: readonly string[] = [\n${kl.constants.map((c, i) => {
    if (c.value !== i) throw new Error('abi KL_ values must be 0, 1, 2, ...');
    return `  '${c.label}',\n`;
  }).join('')}];\n`;
  return out;
}

function renderC(spec) {
  let out = banner('/*').replace(/\n$/, ' */\n');
  out += '/* The engine ABI constants for C hosts: what the engine\'s exports take and\n * return. Prefixed TLSRT_ABI_ so they never meet tlsrt_host.h\'s own TLSRT_* codes. */\n';
  out += '#ifndef TLSRT_ABI_H\n#define TLSRT_ABI_H\n';
  for (const g of spec.groups) {
    out += `\n/* ${g.about} */\n`;
    for (const c of g.constants) {
      const v = c.value < 0 ? `(${c.value})` : `${c.value}`; // plain int: compares with int32_t results without -Wsign-compare noise
      out += `#define TLSRT_ABI_${g.prefix}${c.name} ${v} /* ${oneLine(c.doc)} */\n`;
    }
  }
  return out + '\n#endif /* TLSRT_ABI_H */\n';
}

/** The generated files' text for `spec`, by path relative to the repository. */
export function renderAbi(spec) {
  checkSpec(spec);
  return { [OUTPUTS.as]: renderAs(spec), [OUTPUTS.ts]: renderTs(spec), [OUTPUTS.c]: renderC(spec) };
}

export function loadSpec() {
  return JSON.parse(readFileSync(join(ROOT, SPEC), 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of Object.entries(renderAbi(loadSpec()))) {
    const file = join(ROOT, path);
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* first run */ }
    if (old !== text) {
      writeFileSync(file, text);
      console.log(`gen-abi: wrote ${path}`);
    }
  }
}
