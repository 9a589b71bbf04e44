/*
 * The board's wasm-rt (wasm_rt_static.c) as the aot adapter uses it: where
 * linear memory lives, and how a call into generated code catches a trap.
 */
#ifndef WASM_RT_STATIC_H
#define WASM_RT_STATIC_H

#include <setjmp.h>
#include <stdint.h>

#include "tlsrt_aot_config.h"
#include "wasm-rt.h"

/* The buffer the next instance's linear memory is (zeroed at instantiation,
 * wiped when the instance is freed). */
void tlsrt_aot_memory_provide(uint8_t *buf, uint32_t bytes);

/* Arms `target` for traps raised by generated code until tlsrt_aot_leave().
 * Use as: jmp_buf jb; if (setjmp(jb) == 0) { tlsrt_aot_enter(&jb); ...; tlsrt_aot_leave(); } else trapped. */
int tlsrt_aot_enter(jmp_buf *target);
void tlsrt_aot_leave(void);

/* Why the last trap happened. */
wasm_rt_trap_t tlsrt_aot_last_trap(void);

#endif /* WASM_RT_STATIC_H */
