// tlsrt's public entry point. Today it exposes the engine modules' boot
// selftest; the node:tls-shaped API (connect, createServer, ...) arrives with
// the engine and host-API work and will be exported from here.
import { instantiateProfile, type Profile } from './engine/wasm-module.ts';

export type { Profile } from './engine/wasm-module.ts';

/** Runs a profile module's boot selftest (known answers of every primitive). */
export function selftest(profile: Profile = 'psk'): boolean {
  const x = instantiateProfile(profile).exports as { selftest(): number };
  return x.selftest() === 1;
}
