// Profile `board`: the module a board flashes (build/boards/<name>.wasm).
// tools/build.mjs compiles this one entry once per boards/<name>.json, with
// that board's "engine" selection as compile-time constants
// (assembly/features.ts), so roles, suites and key exchanges it does not
// select are not in its module. It exports the engine ABI and the boot
// self-test only — none of the raw primitives the Node profiles export for
// tests and benchmarks, which would keep every one of them alive.
export { selftest } from "./boot_selftest";

// The TLS engine ABI (init/open/recv/send/app/events): every function of
// assembly/engine.ts, but not its E_*/I_* constants, which `export *` would
// turn into exported globals no host reads (the hosts have them as literals).
// test/boards/board-modules.test.ts checks this list against the psk
// profile's exported functions, so it cannot drift.
export {
  init, arena_bytes, slot_state_bytes, io_ptr, io_cap, open, close, shutdown, key_update,
  recv_ptr, recv_want, recv_commit, send_ptr, send_len, send_commit,
  app_in_ptr, app_in_len, app_in_commit, app_out_ptr, app_out_cap, app_out_commit, set_max_send_fragment,
  event_kind, event_arg, event_data_ptr, event_data_len, event_pop, hello_reply, info, info_ptr, exporter, status,
} from "../engine";

/** First free byte after static data: hosts and tests lay buffers out from here. */
export function heap_base(): usize {
  return __heap_base;
}
