#!/usr/bin/env node
// Writes the engine's cipher-suite and key-exchange-group tables, from their
// one source abi/tables.json, for everything that names a suite or a group:
//
//   assembly/built.ts          HAS_SUITE_* / HAS_AEAD_* / HAS_HASH_* / HAS_GROUP_*:
//                              what a build contains (asc --use TLSRT_* on a board)
//   assembly/tls/tables.ts     the descriptors the engine reads (suites.ts, groups.ts)
//   src/engine/tables.ts       the Node host's names, ids, OpenSSL names and flags
//   boards/wasm3/tlsrt_tables.h  the C host's suite and group ids
//
// Like tools/gen-abi.mjs: the outputs are committed, tools/build.mjs runs this
// before asc, and test/tables.test.ts fails when a committed output is stale.
//
//   node tools/gen-tables.mjs       rewrite the generated files
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SPEC = 'abi/tables.json';
export const OUTPUTS = { built: 'assembly/built.ts', as: 'assembly/tls/tables.ts', ts: 'src/engine/tables.ts', c: 'boards/wasm3/tlsrt_tables.h' };

/** TLS 1.2 key exchange of a suite (TLS 1.3 suites leave it to psk_key_exchange_modes). */
const SUITE_KX = { tls13: 0, psk: 1, ecdhe_psk: 2 };
const VERSIONS = { '0x0303': 'TLSv1.2', '0x0304': 'TLSv1.3' };

const num = (s) => (typeof s === 'number' ? s : Number.parseInt(s, 16));
const hex4 = (n) => `0x${n.toString(16).padStart(4, '0')}`;
const upper = (s) => s.toUpperCase();

/** A suite's build flag: its name without "TLS_" (boards/<name>.json names suites as IANA does). */
export const suiteFeature = (name) => `SUITE_${upper(name.replace(/^TLS_/, ''))}`;
export const groupFeature = (name) => `GROUP_${upper(name)}`;
export const aeadFeature = (name) => `AEAD_${upper(name)}`;

/** Checks the spec's shape: unique ids and names, known AEADs and hashes, sizes that fit the descriptors. */
export function checkTables(spec) {
  const aeads = new Set(spec.aeads.map((a) => a.name));
  const hashes = new Set(spec.hashes.map((h) => h.name));
  const ids = new Set();
  const names = new Set();
  for (const s of spec.suites) {
    const id = num(s.id);
    const where = `tables suite ${s.name}`;
    if (!/^TLS_[A-Z0-9_]+$/.test(s.name) || typeof s.openssl !== 'string') throw new Error(`${where}: needs an IANA name (TLS_...) and an OpenSSL name`);
    if (!(id > 0 && id <= 0xffff) || ids.has(id) || names.has(s.name)) throw new Error(`${where}: duplicate or bad id/name`);
    if (!VERSIONS[s.version]) throw new Error(`${where}: version must be 0x0303 or 0x0304`);
    if (!aeads.has(s.aead) || !hashes.has(s.hash)) throw new Error(`${where}: unknown aead ${s.aead} or hash ${s.hash}`);
    for (const k of ['keyLen', 'ivLen', 'tagLen']) if (!Number.isInteger(s[k]) || s[k] <= 0 || s[k] > 64) throw new Error(`${where}: ${k} must be 1..64`);
    if (s.recordIvLen !== undefined && !(Number.isInteger(s.recordIvLen) && s.recordIvLen >= 0 && s.recordIvLen <= 16)) throw new Error(`${where}: recordIvLen must be 0..16`);
    const kx = s.kx ?? 'tls13';
    if (!(kx in SUITE_KX) || (kx === 'tls13') !== (s.version === '0x0304')) throw new Error(`${where}: kx must be tls13 for TLS 1.3 suites, psk or ecdhe_psk for TLS 1.2`);
    ids.add(id);
    names.add(s.name);
  }
  const gids = new Set();
  for (const g of spec.groups) {
    const where = `tables group ${g.name}`;
    if (!/^[a-z0-9]+$/.test(g.name) || !/^[a-z0-9_]+$/.test(g.primitive)) throw new Error(`${where}: needs a lower-case name and primitive`);
    if (gids.has(num(g.id))) throw new Error(`${where}: duplicate id`);
    for (const k of ['shareLen', 'privLen', 'secretLen']) if (!Number.isInteger(g[k]) || g[k] <= 0 || g[k] > 255) throw new Error(`${where}: ${k} must be 1..255`);
    gids.add(num(g.id));
  }
  return spec;
}

const banner = (lead) => `${lead} Generated from ${SPEC} by tools/gen-tables.mjs; do not edit (edit the table, then npm run build).\n`;
const byteList = (bytes) => bytes.join(', ');
const u16le = (v) => [`<u8>(${v} & 0xff)`, `<u8>(${v} >> 8)`];

function renderBuilt(spec) {
  let out = banner('//');
  out += '// What this build contains, one flag per table entry: a Node profile has\n';
  out += '// everything; a board module (TLSRT_BOARD) only what boards/<name>.json\'s\n';
  out += '// "engine" section names (src/bundle/engine-features.ts turns each name into\n';
  out += '// asc --use TLSRT_<FLAG>=1). Constants: asc folds every `if (HAS_X && ...)`.\n';
  out += 'import { BOARD, HAS_PSK_DHE_KE, HAS_TLS12 } from "./features";\n\n';
  out += '// A group is used by (EC)DHE only: psk_dhe_ke, and TLS 1.2 ECDHE-PSK suites.\n';
  for (const g of spec.groups) {
    out += `// @ts-ignore: set by asc --use\nexport const HAS_${groupFeature(g.name)}: bool = HAS_PSK_DHE_KE && (BOARD ? isDefined(TLSRT_${groupFeature(g.name)}) : true);\n`;
  }
  const anyGroup = spec.groups.map((g) => `HAS_${groupFeature(g.name)}`).join(' || ') || 'false';
  out += '\n// TLS 1.2 suites need the TLS 1.2 engine (HAS_TLS12, boards/<name>.json engine.versions); ECDHE-PSK a group.\n';
  for (const s of spec.suites) {
    const pick = `(BOARD ? isDefined(TLSRT_${suiteFeature(s.name)}) : true)`;
    const gate = s.version === '0x0303' ? `HAS_TLS12 && ${s.kx === 'ecdhe_psk' ? `(${anyGroup}) && ` : ''}${pick}` : pick.slice(1, -1);
    out += `// @ts-ignore: set by asc --use\nexport const HAS_${suiteFeature(s.name)}: bool = ${gate};\n`;
  }
  out += '\n// An AEAD or a hash is in the module when a suite that uses it is.\n';
  for (const a of spec.aeads) {
    const users = spec.suites.filter((s) => s.aead === a.name).map((s) => `HAS_${suiteFeature(s.name)}`);
    out += `export const HAS_${aeadFeature(a.name)}: bool = ${users.length ? users.join(' || ') : 'false'};\n`;
  }
  for (const h of spec.hashes) {
    const users = spec.suites.filter((s) => s.hash === h.name).map((s) => `HAS_${suiteFeature(s.name)}`);
    out += `export const HAS_HASH_${upper(h.name)}: bool = ${users.length ? users.join(' || ') : 'false'};\n`;
  }
  return out;
}

/** A chain of constant ternaries asc folds: the largest of `terms` (each `flag ? size : 0`). */
function maxOf(prefix, terms) {
  let out = '';
  terms.forEach((t, i) => { out += `const ${prefix}_${i}: usize = ${t.flag} ? <usize>${t.size} : 0;\n`; });
  let acc = terms.length ? `${prefix}_0` : '0';
  for (let i = 1; i < terms.length; i++) {
    out += `const ${prefix}_UP_${i}: usize = ${acc} > ${prefix}_${i} ? ${acc} : ${prefix}_${i};\n`;
    acc = `${prefix}_UP_${i}`;
  }
  return { decls: out, value: acc };
}

function renderAs(spec) {
  let out = banner('//');
  out += '// The cipher-suite and key-exchange-group descriptors, as static data the\n';
  out += '// engine reads through assembly/tls/suites.ts and assembly/tls/groups.ts\n';
  out += '// (field offsets there). Sizes of per-slot regions are the largest among\n';
  out += '// the entries this build contains, so a board pays only for its own.\n';
  const builtNames = [...spec.suites.map((s) => `HAS_${suiteFeature(s.name)}`), ...spec.aeads.map((a) => `HAS_${aeadFeature(a.name)}`), ...spec.groups.map((g) => `HAS_${groupFeature(g.name)}`)];
  out += `import { ${builtNames.join(', ')} } from "../built";\n`;
  out += `import { ${spec.hashes.map((h) => h.as).join(', ')} } from "../crypto/hash";\n`;
  const froms = new Map();
  for (const a of spec.aeads) if (a.from) froms.set(a.from, [...(froms.get(a.from) ?? []), a.ctx]);
  for (const [from, names] of froms) out += `import { ${names.join(', ')} } from "${from.replace(/^\.\//, '../')}";\n`;

  out += '\n// AEAD families (the dispatch in aead.ts).\n';
  spec.aeads.forEach((a, i) => { out += `export const ${aeadFeature(a.name)}: u8 = ${i + 1}; // ${a.doc}\n`; });
  out += '\n// Cipher suites (IANA ids).\n';
  for (const s of spec.suites) out += `export const ${s.name}: u16 = ${hex4(num(s.id))};\n`;
  out += '\n// Key-exchange groups (IANA NamedGroup ids) and their primitives (the dispatch in groups.ts).\n';
  for (const g of spec.groups) out += `export const GROUP_${upper(g.name)}: u16 = ${hex4(num(g.id))};\n`;
  const prims = [...new Set(spec.groups.map((g) => g.primitive))];
  prims.forEach((p, i) => { out += `export const GK_${upper(p)}: u8 = ${i + 1};\n`; });
  out += '/** SUITE_KX_*: how a TLS 1.2 suite exchanges keys (TLS 1.3 suites: psk_key_exchange_modes). */\n';
  for (const [k, v] of Object.entries(SUITE_KX)) out += `export const SUITE_KX_${upper(k)}: u8 = ${v};\n`;

  out += `\nexport const SUITE_COUNT: i32 = ${spec.suites.length};\n`;
  out += '/** Bytes per suite descriptor: id u16, version u16, ctx u16, built u8, hash u8, aead u8, keyLen u8, ivLen u8, tagLen u8, recordIvLen u8, kx u8, 2 spare. */\n';
  out += 'export const SUITE_DESC_SIZE: usize = 16;\n';
  out += 'export const SUITE_TABLE = memory.data<u8>([\n';
  for (const s of spec.suites) {
    const a = spec.aeads.find((x) => x.name === s.aead);
    const id = num(s.id);
    const ver = num(s.version);
    const bytes = [id & 0xff, id >> 8, ver & 0xff, ver >> 8, ...u16le(a.ctx), `HAS_${suiteFeature(s.name)} ? 1 : 0`,
      `<u8>${spec.hashes.find((h) => h.name === s.hash).as}`, aeadFeature(s.aead), s.keyLen, s.ivLen, s.tagLen, s.recordIvLen ?? 0, `SUITE_KX_${upper(s.kx ?? 'tls13')}`, 0, 0];
    out += `  ${byteList(bytes)}, // ${s.name}\n`;
  }
  out += '  0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, // no such suite: what suite_desc() returns for an id not above (hash 0xff: none)\n';
  out += ']);\n';

  const ctx = maxOf('CTX', spec.aeads.map((a) => ({ flag: `HAS_${aeadFeature(a.name)}`, size: a.ctx })));
  out += '\n// The largest AEAD context among the suites this build contains (the slot reserves it per direction).\n';
  out += ctx.decls + `export const AEAD_CTX_MAX: usize = ${ctx.value};\n`;

  out += `\nexport const GROUP_COUNT: i32 = ${spec.groups.length};\n`;
  out += '/** Bytes per group descriptor: id u16, built u8, primitive u8, shareLen u8, privLen u8, secretLen u8, 1 spare. */\n';
  out += 'export const GROUP_DESC_SIZE: usize = 8;\n';
  out += 'export const GROUP_TABLE = memory.data<u8>([\n';
  for (const g of spec.groups) {
    const id = num(g.id);
    out += `  ${byteList([id & 0xff, id >> 8, `HAS_${groupFeature(g.name)} ? 1 : 0`, `GK_${upper(g.primitive)}`, g.shareLen, g.privLen, g.secretLen, 0])}, // ${g.name}\n`;
  }
  out += '  0, 0, 0, 0, 0, 0, 0, 0, // no such group: what group_desc() returns for an id not above or not built\n';
  out += ']);\n';
  out += '/** How many groups this build contains: with fewer than two, no HelloRetryRequest can ask for another one. */\n';
  out += `export const GROUPS_BUILT: i32 = ${spec.groups.map((g) => `(HAS_${groupFeature(g.name)} ? 1 : 0)`).join(' + ')};\n`;
  out += '\n// The largest key share, private key and shared secret among the groups this build contains.\n';
  for (const [k, field] of [['SHARE', 'shareLen'], ['PRIV', 'privLen'], ['SECRET', 'secretLen']]) {
    const m = maxOf(`KX_${k}`, spec.groups.map((g) => ({ flag: `HAS_${groupFeature(g.name)}`, size: g[field] })));
    out += m.decls + `export const KX_${k}_MAX: usize = ${m.value};\n`;
  }
  return out;
}

function renderTs(spec) {
  let out = banner('//');
  out += '// The cipher suites and key-exchange groups, for the Node host (src/engine, src/tls,\n';
  out += '// the CLI) and the board tooling (src/bundle): ids, IANA and OpenSSL names, and the\n';
  out += '// build flag a board selects them by (assembly/built.ts).\n\n';
  out += 'export interface SuiteDescriptor {\n  readonly id: number;\n  /** IANA name, as node:tls and boards/<name>.json spell it. */\n  readonly name: string;\n  readonly openssl: string;\n';
  out += "  /** Protocol version the suite belongs to: 0x0303 TLS 1.2, 0x0304 TLS 1.3. */\n  readonly version: number;\n  readonly versionName: 'TLSv1.2' | 'TLSv1.3';\n";
  out += "  readonly hash: string;\n  readonly hashLen: number;\n  readonly aead: string;\n  readonly keyLen: number;\n  readonly ivLen: number;\n  readonly tagLen: number;\n  readonly recordIvLen: number;\n  readonly kx: string;\n";
  out += '  /** asc --use TLSRT_<feature>=1 puts it in a board module. */\n  readonly feature: string;\n}\n\n';
  out += 'export interface GroupDescriptor {\n  readonly id: number;\n  readonly name: string;\n  readonly openssl: string;\n  readonly shareLen: number;\n  readonly feature: string;\n}\n\n';
  out += 'export const SUITE_TABLE: readonly SuiteDescriptor[] = [\n';
  for (const s of spec.suites) {
    const h = spec.hashes.find((x) => x.name === s.hash);
    out += `  { id: ${hex4(num(s.id))}, name: '${s.name}', openssl: '${s.openssl}', version: ${hex4(num(s.version))}, versionName: '${VERSIONS[s.version]}', hash: '${s.hash}', hashLen: ${h.len}, aead: '${s.aead}', keyLen: ${s.keyLen}, ivLen: ${s.ivLen}, tagLen: ${s.tagLen}, recordIvLen: ${s.recordIvLen ?? 0}, kx: '${s.kx ?? 'tls13'}', feature: '${suiteFeature(s.name)}' },\n`;
  }
  out += '];\n\nexport const GROUP_TABLE: readonly GroupDescriptor[] = [\n';
  for (const g of spec.groups) out += `  { id: ${hex4(num(g.id))}, name: '${g.name}', openssl: '${g.openssl}', shareLen: ${g.shareLen}, feature: '${groupFeature(g.name)}' },\n`;
  out += '];\n';
  return out;
}

function renderC(spec) {
  let out = banner('/*').replace(/\n$/, ' */\n');
  out += '/* Cipher suite and named group ids for C hosts (tlsrt_config.suites, CFG_GROUPS). */\n';
  out += '#ifndef TLSRT_TABLES_H\n#define TLSRT_TABLES_H\n\n';
  for (const s of spec.suites) out += `#define TLSRT_CS_${s.name.replace(/^TLS_/, '')} ${hex4(num(s.id))} /* ${VERSIONS[s.version]} */\n`;
  out += '\n';
  for (const g of spec.groups) out += `#define TLSRT_NAMED_GROUP_${upper(g.name)} ${hex4(num(g.id))}\n`;
  return out + '\n#endif /* TLSRT_TABLES_H */\n';
}

/** The generated files' text for `spec`, by path relative to the repository. */
export function renderTables(spec) {
  checkTables(spec);
  return { [OUTPUTS.built]: renderBuilt(spec), [OUTPUTS.as]: renderAs(spec), [OUTPUTS.ts]: renderTs(spec), [OUTPUTS.c]: renderC(spec) };
}

export function loadTables() {
  return JSON.parse(readFileSync(join(ROOT, SPEC), 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of Object.entries(renderTables(loadTables()))) {
    const file = join(ROOT, path);
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* first run */ }
    if (old !== text) {
      writeFileSync(file, text);
      console.log(`gen-tables: wrote ${path}`);
    }
  }
}
