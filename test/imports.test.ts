// The engine's files import each other without a cycle (issue 12 §3): a
// layer may use those below it, never one above. The test reads every
// import/export-from of assembly/**/*.ts and fails, naming the cycle, when
// following them ever returns to a file already on the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ASSEMBLY = join(ROOT, 'assembly');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === '__tests__' ? [] : files(p);
    return n.endsWith('.ts') && !n.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of one file, resolved to files (`import ... from "./x"`, `export ... from "./x"`). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["'](\.[^"']+)["']/gms;
  for (const m of text.matchAll(re)) out.push(resolve(dirname(file), m[1]) + '.ts');
  return out;
}

/** A cycle in the graph as a list of nodes (first == last), or null. */
export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the path, 2 done
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) return [...path.slice(path.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    path.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of graph.keys()) if (!state.has(n)) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

test('the cycle finder finds a cycle when there is one (so the real check below can fail)', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCycle(g), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['b']], ['b', []]])), null);
  assert.deepEqual(importsOf('/x/a.ts', 'import { y } from "./b";\nexport {\n  z,\n} from "../c";\nconst s = "from \\"./no\\"";'), ['/x/b.ts', '/c.ts']);
});

test('assembly/**/*.ts has no import cycle', () => {
  const graph = new Map<string, string[]>();
  const all = files(ASSEMBLY);
  assert.ok(all.length > 30, 'the engine files were found');
  for (const f of all) {
    const deps = importsOf(f, readFileSync(f, 'utf8'));
    for (const d of deps) assert.ok(all.includes(d), `${relative(ROOT, f)} imports ${relative(ROOT, d)}, which is not a file`);
    graph.set(f, deps);
  }
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.map((f) => relative(ROOT, f)).join(' -> ')}`);
});
