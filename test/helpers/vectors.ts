// The published test vectors the tests read, vendored in test/vectors/ (where
// each file came from and under which licence: test/vectors/SOURCE.md). They
// are part of the repository so a clone on its own keeps its known-answer
// tests; a missing file fails the run: a vector test must never skip.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

export function readVector(...parts: string[]): string {
  return readFileSync(join(VECTORS_DIR, ...parts), 'utf8');
}

export function loadJson<T = any>(...parts: string[]): T {
  return JSON.parse(readVector(...parts)) as T;
}

/** A Wycheproof file's groups, typed loosely: each test has tcId, result, flags. */
export function wycheproof(name: string): { algorithm: string; testGroups: any[] } {
  return loadJson('wycheproof', name);
}
