// What the bundler learns from the engine module itself: its imports, its
// static data end (heap_base) and the arena its init() would carve for a
// geometry (arena_bytes) — the engine's own numbers, never a copy of its formula.
import { readFileSync, existsSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { wasmPath, boardWasmPath, type Profile } from '../engine/wasm-module.ts';

export interface Geometry {
  slots: number;
  recvCap: number;
  sendCap: number;
  hsCap: number;
}

export interface ModuleFacts {
  profile: Profile;
  /** The module, relative to the package root: build/<profile>.wasm or build/boards/<board>.wasm. */
  file: string;
  bytes: Uint8Array;
  imports: string[];
  /** Initial linear memory (bytes) the module declares. */
  initialMemory: number;
  heapBase: number;
  arenaBytes: number;
  slotStateBytes: number;
  /** align16(heap_base) + arena: the linear memory init() touches. */
  linearMemoryBytes: number;
}

export const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** A Node profile's module (build/<profile>.wasm). */
export function inspectModule(profile: Profile, g: Geometry): ModuleFacts {
  return inspectBytes(readFileSync(wasmPath(profile)), profile, `build/${profile}.wasm`, g);
}

/** A board's own module (build/boards/<board>.wasm), cut from `profile` by its engine section; `path` overrides the file (e.g. a variant to measure). */
export function inspectBoardModule(board: string, profile: Profile, g: Geometry, path?: string): ModuleFacts {
  if (path) return inspectBytes(readFileSync(path), profile, path, g);
  const file = boardWasmPath(board);
  if (!existsSync(file)) throw new Error(`${file} is missing; run \`npm run build\` (tools/build.mjs makes the board modules)`);
  return inspectBytes(readFileSync(file), profile, `build/boards/${board}.wasm`, g);
}

function inspectBytes(bytes: Buffer<ArrayBuffer>, profile: Profile, file: string, g: Geometry): ModuleFacts {
  const mod = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`);
  let memory: WebAssembly.Memory | undefined;
  const env = {
    random_fill: (p: number, n: number) => randomFillSync(new Uint8Array(memory!.buffer, p, n)),
    now_ms: () => Date.now(),
    log: () => undefined,
  };
  const inst = new WebAssembly.Instance(mod, { env });
  const x = inst.exports as Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
  memory = x.memory;
  const initialMemory = memory.buffer.byteLength;
  const heapBase = x.heap_base();
  const arenaBytes = x.arena_bytes(g.slots, g.recvCap, g.sendCap, g.hsCap);
  if (arenaBytes < 0) throw new Error(`${file} rejects geometry ${JSON.stringify(g)} (arena_bytes ${arenaBytes})`);
  // The engine validates the geometry itself: init() must accept it.
  const rc = x.init(g.slots, g.recvCap, g.sendCap, g.hsCap);
  if (rc !== 0) throw new Error(`${file}: init() rejects geometry ${JSON.stringify(g)} (${rc})`);
  return {
    profile,
    file,
    bytes,
    imports,
    initialMemory,
    heapBase,
    arenaBytes,
    slotStateBytes: x.slot_state_bytes(),
    linearMemoryBytes: align(heapBase, 16) + arenaBytes,
  };
}
