// The production modules and the functions they may export, both from their
// one source: abi/engine-abi.json "exports" (the list) and boards/*.json (the
// board modules tools/build.mjs cuts). Used by test/abi-exports.test.ts and
// test/abi-hostile.test.ts.
import { loadSpec } from '../../tools/gen-abi.mjs';
import { boardNames } from '../../src/bundle/board.ts';
import { wasmPath, boardWasmPath } from '../../src/engine/wasm-module.ts';

export type Misuse = 'E' | 'zero' | 'none';
export interface AbiFunction { name: string; params: string[]; misuse: Misuse; doc: string }

const spec = loadSpec() as { exports: { memory: string; functions: AbiFunction[] } };

export const ABI: readonly AbiFunction[] = spec.exports.functions;
export const ABI_FUNCTIONS: readonly string[] = ABI.map((f) => f.name);

/** build/psk.wasm and build/boards/<name>.wasm for every board profile. */
export const PRODUCTION_MODULES: readonly { name: string; file: string; board?: string }[] = [
  { name: 'psk', file: wasmPath('psk') },
  ...boardNames().map((b) => ({ name: `boards/${b}`, file: boardWasmPath(b), board: b })),
];
