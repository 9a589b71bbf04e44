// Where the published test vectors live: ../shared/vectors beside the
// checkout (as on every developer machine and in CI), or $TLSRT_VECTORS.
// A missing directory fails the test run: a vector test must never skip.
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function vectorsDir(): string {
  const dir = process.env.TLSRT_VECTORS ?? join(repoRoot, '..', 'shared', 'vectors');
  if (!existsSync(dir)) throw new Error(`test vectors not found at ${dir}; set TLSRT_VECTORS`);
  return dir;
}

export function loadJson<T = any>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(vectorsDir(), ...parts), 'utf8')) as T;
}

/** A Wycheproof file's groups, typed loosely: each test has tcId, result, flags. */
export function wycheproof(name: string): { algorithm: string; testGroups: any[] } {
  return loadJson('wycheproof', name);
}
