/*
 * What the device host (tlsrt_host.c) needs from a WebAssembly runtime: the
 * seam between the runtime-neutral host and exactly one runtime adapter —
 * tlsrt_runtime_wasm3.c (interpreter, this directory) or
 * boards/aot/tlsrt_runtime_aot.c (the module compiled to C by wasm2c).
 * Firmware never calls these; it uses tlsrt_host.h, which is the same
 * whichever adapter is linked.
 */
#ifndef TLSRT_RUNTIME_H
#define TLSRT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "tlsrt_host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The engine exports the host calls, in one fixed order. Every one takes at
 * most four i32 arguments and returns an i32. */
enum tlsrt_export {
  F_INIT, F_ARENA_BYTES, F_HEAP_BASE, F_IO_PTR, F_IO_CAP, F_OPEN, F_CLOSE, F_SHUTDOWN,
  F_RECV_PTR, F_RECV_WANT, F_RECV_COMMIT, F_SEND_PTR, F_SEND_LEN, F_SEND_COMMIT,
  F_APP_IN_PTR, F_APP_IN_LEN, F_APP_IN_COMMIT, F_APP_OUT_PTR, F_APP_OUT_CAP, F_APP_OUT_COMMIT,
  F_EVENT_KIND, F_EVENT_ARG, F_EVENT_DATA_PTR, F_EVENT_DATA_LEN, F_EVENT_POP,
  F_HELLO_REPLY, F_INFO, F_SET_MAX_SEND_FRAGMENT, F_STATUS, F_COUNT
};

/* Runs the module's selftest() in an instance that is gone afterwards (or,
 * for a runtime whose instance is only a static block, is reset before
 * serving). 1 pass, 0 fail, TLSRT_E_WASM with *error set. */
int tlsrt_rt_selftest(const char **error);

/* Instantiates the serving engine, its linear memory limited to
 * TLSRT_LINEAR_MEMORY_LIMIT bytes. TLSRT_OK or TLSRT_E_WASM with *error. */
int tlsrt_rt_load(const char **error);

/* Drops the serving instance (its memory is wiped or freed). */
void tlsrt_rt_unload(void);

/* Calls export `f` with up to four i32 arguments (the runtime passes only as
 * many as the export takes). 0 and *ret set, or nonzero with *error set
 * when the call trapped. */
int tlsrt_rt_call(int f, int32_t a, int32_t b, int32_t c, int32_t d, int32_t *ret, const char **error);

/* The serving instance's linear memory and its current size in bytes
 * (re-fetched after each call: a runtime may move it). NULL when not loaded. */
uint8_t *tlsrt_rt_memory(uint32_t *size);

/* Diagnostic: compile every function now (wasm3) — a no-op for ahead-of-time code. */
int tlsrt_rt_compile_all(const char **error);

/* The runtime's share of tlsrt_mem_stats (linear memory, compiled code). */
void tlsrt_rt_mem_stats(tlsrt_mem_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TLSRT_RUNTIME_H */
