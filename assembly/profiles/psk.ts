// Profile `psk`: PSK-only TLS 1.3 (no certificates) with every AEAD and X25519,
// speed-optimised for Node (build/psk.wasm). A production module: it exports
// the engine ABI (assembly/engine.ts, listed in abi/engine-abi.json "exports")
// and the thorough boot self-test, nothing else — test/abi-exports.test.ts
// reads its export section against that list.
export * from "../engine";
export { selftest } from "./selftest";
