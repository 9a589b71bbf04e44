// The C preprocessor settings one board's build uses, shared by every SDK's
// glue: wasm3's configuration (applied to wasm3's sources and to the host,
// which checks they agree) and nothing else.
import type { Board } from './board.ts';

/** wasm3's sources, by file name (the embedding needs no WASI/libc API files). */
export const WASM3_SOURCES = [
  'm3_bind.c', 'm3_code.c', 'm3_compile.c', 'm3_core.c', 'm3_env.c', 'm3_exec.c',
  'm3_function.c', 'm3_info.c', 'm3_module.c', 'm3_parse.c', 'm3_validate.c',
];

/** The tlsrt host's sources in the bundle's tlsrt/ directory, per SDK. */
export const HOST_SOURCES = {
  'esp-idf': ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_net.c', 'port_espidf.c', 'tlsrt_module.c'],
  'pico-sdk': ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_net.c', 'port_pico.c', 'tlsrt_module.c'],
  posix: ['tlsrt_host.c', 'tlsrt_runtime_wasm3.c', 'tlsrt_net.c', 'port_posix.c', 'tlsrt_module.c'],
} as const;

export function wasm3Defines(b: Board): [string, number][] {
  const w = b.wasm3;
  const d: [string, number][] = [
    // Every engine function compiles at this height (checked by test:device).
    ['d_m3MaxFunctionStackHeight', w.maxFunctionStackHeight],
    // The native-stack guard: wasm3's MCU default is 0 (no guard at all).
    ['d_m3MaxNativeStack', w.maxNativeStack],
    // Compiled code is allocated in pages of this size (wasm3's MCU default; 32 KiB on a PC).
    ['d_m3CodePageAlignSize', w.codePageAlignSize],
    // Short error strings, no cascaded dispatch table: wasm3's own MCU defaults (flash).
    ['d_m3VerboseErrorMessages', 0],
    ['d_m3CascadedOpcodes', 0],
  ];
  if (!w.hasFloat) d.push(['d_m3HasFloat', 0]);
  return d;
}
