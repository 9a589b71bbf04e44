// Profile `board`: the module a board flashes (build/boards/<name>.wasm).
// tools/build.mjs compiles this one entry once per boards/<name>.json, with
// that board's "engine" selection as compile-time constants
// (assembly/features.ts), so roles, suites and key exchanges it does not
// select are not in its module. Like psk.wasm it exports the engine ABI
// (abi/engine-abi.json "exports") and a boot self-test, nothing else; its
// self-test is the small one a board can afford.
export * from "../engine";
export { selftest } from "./boot_selftest";
