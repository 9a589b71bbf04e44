// Issue 12 §2: all per-connection state lives in the slot; per-call scratch
// is reset in one place; nothing mutable at module level survives an ABI
// call except the pool. Read from the engine's source:
//   - a module-level `let`/`var` in assembly/** is allowed only in pool.ts
//     (the pool's geometry, set once by init) and codec.ts (the wire cursors)
//   - every codec.ts cursor is cleared by codec_reset(), which scratch_reset()
//     calls, and every engine export that runs the engine (the ones that can
//     parse or write a message) calls scratch_reset() before anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === '__tests__' ? [] : files(p);
    return n.endsWith('.ts') ? [p] : [];
  });
}

/** Source without comments and string/char literals, so braces and keywords in them do not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '').replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/g, '""');
}

/** Names declared with let/var at brace depth 0. */
export function moduleLets(text: string): string[] {
  const src = code(text);
  const out: string[] = [];
  let depth = 0;
  const re = /[{}]|\b(let|var)\s+([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[0] === '{') depth++;
    else if (m[0] === '}') depth--;
    else if (depth === 0) out.push(m[2]);
  }
  return out;
}

/** The body of `function name(...) { ... }` in `text`. */
function body(text: string, name: string): string {
  const src = code(text);
  const at = src.search(new RegExp(`function ${name}\\s*\\(`));
  assert.ok(at >= 0, `function ${name} exists`);
  let i = src.indexOf('{', at);
  const start = i;
  let depth = 0;
  for (; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) break;
  }
  return src.slice(start + 1, i);
}

test('the finder sees module-level lets and not those inside functions (so the check below can fail)', () => {
  assert.deepEqual(moduleLets('let a = 1;\n// let b\nfunction f() { let c = 2; }\n@lazy let d: u8 = 0;\nconst s = "let e";\nexport var g = 0;'), ['a', 'd', 'g']);
});

test('module-level mutable state in assembly/**: only the pool (pool.ts) and the codec cursors (codec.ts)', () => {
  const allowed = new Set(['assembly/tls/pool.ts', 'assembly/tls/codec.ts']);
  const found: string[] = [];
  for (const f of files(join(ROOT, 'assembly'))) {
    const rel = relative(ROOT, f);
    for (const name of moduleLets(readFileSync(f, 'utf8'))) if (!allowed.has(rel)) found.push(`${rel}: let ${name}`);
  }
  assert.deepEqual(found, [], 'per-connection state belongs in the slot (tls/slot.ts), per-call state in tls/scratch.ts');
});

test('the codec cursors are per-call: codec_reset clears each, scratch_reset calls it', () => {
  const codec = readFileSync(join(ROOT, 'assembly/tls/codec.ts'), 'utf8');
  const lets = moduleLets(codec);
  assert.ok(lets.length >= 6, 'the reader and writer cursors');
  const reset = body(codec, 'codec_reset');
  for (const name of lets) assert.match(reset, new RegExp(`\\b${name}\\s*=`), `codec_reset clears ${name}`);
  assert.match(body(readFileSync(join(ROOT, 'assembly/tls/scratch.ts'), 'utf8'), 'scratch_reset'), /codec_reset\(\)/);
});

test('every engine export that runs the engine resets the per-call scratch first', () => {
  const engine = readFileSync(join(ROOT, 'assembly/engine.ts'), 'utf8');
  // The exports that reach a parser, a message writer or the key schedule.
  for (const name of ['open', 'shutdown', 'key_update', 'recv_commit', 'send_commit', 'app_out_commit', 'hello_reply']) {
    assert.match(body(engine, name), /^\s*scratch_reset\(\);/, `${name}() starts with scratch_reset()`);
  }
});

test('the built modules\' mutable globals are the pool\'s and the codec cursors only (named asc output)', () => {
  // asc's named output keeps each global's source name; wasm-opt only renumbers them.
  const raws = ['build/psk.raw.wasm', ...readdirSync(join(ROOT, 'build/boards')).filter((n) => n.endsWith('.raw.wasm')).map((n) => `build/boards/${n}`)];
  assert.ok(raws.length >= 2, 'the Node profile and the board modules were built (npm run build)');
  for (const f of raws) {
    const out = execFileSync('wasm-objdump', ['-x', '-j', 'Global', join(ROOT, f)], { encoding: 'utf8' });
    const mutable = [...out.matchAll(/mutable=1 <([^>]+)>/g)].map((m) => m[1]);
    assert.ok(mutable.length > 0, `${f}: the global section was read`);
    const others = mutable.filter((n) => !/^assembly\/tls\/(pool|codec)\//.test(n));
    assert.deepEqual(others, [], `${f}: mutable globals besides the pool and the codec cursors`);
  }
});
