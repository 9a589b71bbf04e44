// Locates and instantiates the engine's WebAssembly modules on V8.
// The same .wasm bytes run under wasm3 on a board; nothing here may depend on
// anything a board host could not provide.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomFillSync } from 'node:crypto';

/**
 * build/<profile>.wasm. `psk` is the production module (the engine ABI only);
 * `test` is psk plus the raw crypto primitives, for tests and benchmarks only.
 */
export type Profile = 'psk' | 'test';

let root: string | undefined;

/** Walks up from this file to the directory holding tlsrt's package.json (once: a fleet asks per board). */
function packageRoot(): string {
  return (root ??= findPackageRoot());
}

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'tlsrt') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('tlsrt: cannot find the package root to load build/*.wasm');
    dir = up;
  }
}

const PROFILES: readonly string[] = ['psk', 'test'];

export function wasmPath(profile: Profile): string {
  // A name that is no profile (any more) must not find a stale build/<name>.wasm.
  if (!PROFILES.includes(profile)) throw new Error(`tlsrt: unknown engine profile '${profile}' (${PROFILES.join(' or ')})`);
  return join(packageRoot(), 'build', `${profile}.wasm`);
}

/**
 * build/boards/<name>.wasm: the size-optimised module tools/build.mjs cuts
 * for one board profile (boards/<name>.json "engine"): what that board flashes.
 */
export function boardWasmPath(board: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(board)) throw new Error(`invalid board name '${board}'`);
  return join(packageRoot(), 'build', 'boards', `${board}.wasm`);
}

const compiled = new Map<Profile, WebAssembly.Module>();

/** Compiles a profile once per process; instances are cheap after that. */
export function compileProfile(profile: Profile): WebAssembly.Module {
  let m = compiled.get(profile);
  if (!m) {
    const p = wasmPath(profile);
    if (!existsSync(p)) throw new Error(`tlsrt: ${p} is missing; run \`npm run build\` first`);
    m = new WebAssembly.Module(readFileSync(p));
    compiled.set(profile, m);
  }
  return m;
}

/**
 * Random bytes for the engine from a pool refilled by randomFillSync: a
 * handshake asks for 32 bytes two or three times, and each randomFillSync
 * call costs more than the bytes (a call into OpenSSL's DRBG). Bytes handed
 * out are zeroed in the pool, so it never holds a secret that is in use.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;

function randomInto(dst: Uint8Array): void {
  if (dst.length > POOL_BYTES / 4) {
    randomFillSync(dst);
    return;
  }
  if (POOL_BYTES - poolAt < dst.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  dst.set(pool.subarray(poolAt, poolAt + dst.length));
  pool.fill(0, poolAt, poolAt + dst.length);
  poolAt += dst.length;
}

/**
 * The imports a module may ask for. Boards supply the same names from C
 * (boards/wasm3): entropy from the TRNG, a monotonic clock, a log line.
 */
export function hostImports(getMemory: () => WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      random_fill(ptr: number, len: number): void {
        randomInto(new Uint8Array(getMemory().buffer, ptr, len));
      },
      now_ms(): number {
        return Date.now();
      },
      log(ptr: number, len: number): void {
        process.stderr.write(Buffer.from(getMemory().buffer, ptr, len).toString('utf8') + '\n');
      },
    },
  };
}

export function instantiateProfile(profile: Profile): WebAssembly.Instance {
  let memory: WebAssembly.Memory | undefined;
  const inst = new WebAssembly.Instance(compileProfile(profile), hostImports(() => memory!));
  memory = inst.exports.memory as WebAssembly.Memory;
  return inst;
}
