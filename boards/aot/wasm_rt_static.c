/*
 * A board's wasm-rt: the runtime functions wasm2c's generated code calls
 * (declared in wabt's wasm-rt.h), written for a microcontroller — no malloc,
 * no mmap, no signal handlers, no threads.
 *
 *  - Linear memory is one static buffer (tlsrt_aot_memory, sized by the board
 *    header to what the engine touches: static data + the slot pool), not a
 *    64 KiB page. The generated code checks every access in software against
 *    wasm_rt_memory_t.size, which is the buffer's byte length, so an access
 *    past the buffer traps exactly as an access past the end of memory would:
 *    the engine stays sandboxed. memory.size still answers the module's
 *    declared page count (1): the engine sizes its pool from it, and the host
 *    checks the pool fits the buffer before init() (tlsrt_start). memory.grow
 *    always fails (-1): there is nothing to grow into.
 *  - A trap longjmps back to the adapter's call (tlsrt_aot_try), which returns
 *    an error: the firmware gets TLSRT_E_WASM, never a fault or a halt.
 *  - Function types are interned in a small static table (wasm2c compares
 *    them for call_indirect). Tables come from a static pool too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tlsrt_aot_config.h" /* the settings the generated code is built with (tlsrt bundle) */
#include "wasm-rt.h"
#include "wasm_rt_static.h"

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "a board has no guard pages: build the generated code with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0 (software bounds checks)"
#endif

#if WASM_RT_USE_STACK_DEPTH_COUNT
uint32_t wasm_rt_call_stack_depth;
#endif

static bool g_initialized;
static jmp_buf *g_trap_target;
static wasm_rt_trap_t g_last_trap;

/* ---- the static linear memory ---- */

static uint8_t *g_mem;       /* the buffer handed out by wasm_rt_allocate_memory */
static uint32_t g_mem_bytes; /* its usable size for the next instance */
static int g_mem_in_use;

void tlsrt_aot_memory_provide(uint8_t *buf, uint32_t bytes) {
  g_mem = buf;
  g_mem_bytes = bytes;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *m, uint32_t initial_pages, uint32_t max_pages) {
  (void)max_pages;
  /* One memory per module, one instance at a time: a second one, or a
   * module whose declared memory is empty, cannot be served. */
  if (!g_mem || g_mem_in_use || initial_pages == 0) wasm_rt_trap(WASM_RT_TRAP_OOB);
  g_mem_in_use = 1;
  memset(g_mem, 0, g_mem_bytes); /* a fresh instance sees zeroed memory, as the spec says */
  m->data = g_mem;
  m->size = g_mem_bytes;
  m->pages = initial_pages;
  m->max_pages = initial_pages;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *m, uint32_t delta) {
  return delta == 0 ? m->pages : UINT32_MAX;
}

void wasm_rt_free_memory(wasm_rt_memory_t *m) {
  if (m->data) memset(m->data, 0, m->size); /* keys and records never outlive the instance */
  m->data = NULL;
  m->size = 0;
  m->pages = 0;
  g_mem_in_use = 0;
}

/* ---- traps ---- */

int tlsrt_aot_enter(jmp_buf *target) {
  g_trap_target = target;
  return 0;
}

void tlsrt_aot_leave(void) {
  g_trap_target = NULL;
}

wasm_rt_trap_t tlsrt_aot_last_trap(void) {
  return g_last_trap;
}

void wasm_rt_trap(wasm_rt_trap_t code) {
  jmp_buf *t = g_trap_target;
  g_last_trap = code;
#if WASM_RT_USE_STACK_DEPTH_COUNT
  wasm_rt_call_stack_depth = 0; /* the frames that counted themselves are gone */
#endif
  if (!t) {
    /* Generated code runs only under tlsrt_aot_enter; getting here is a bug
     * in the adapter. Stop rather than continue with a broken instance. */
    for (;;) {
    }
  }
  g_trap_target = NULL;
  longjmp(*t, (int)code);
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "no trap";
    case WASM_RT_TRAP_OOB: return "wasm trap: out-of-bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "wasm trap: integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "wasm trap: integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "wasm trap: invalid conversion";
    case WASM_RT_TRAP_UNREACHABLE: return "wasm trap: unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "wasm trap: invalid call_indirect";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "wasm trap: call stack exhausted";
#endif
    default: return "wasm trap";
  }
}

/* ---- runtime life cycle ---- */

void wasm_rt_init(void) {
  g_initialized = true;
}

bool wasm_rt_is_initialized(void) {
  return g_initialized;
}

void wasm_rt_free(void) {
  g_initialized = false;
}

/* ---- function types: equal signatures get equal ids ---- */

#ifndef TLSRT_AOT_MAX_FUNC_TYPES
#define TLSRT_AOT_MAX_FUNC_TYPES 24
#endif
/* A signature packed into 64 bits: 4 bits of parameter count, 4 of result
 * count, then 4 bits per value type (wasm_rt_type_t has 6 values): up to 14
 * values, which covers every engine export and import many times over. */
#define MAX_SIG 14

static uint64_t g_types[TLSRT_AOT_MAX_FUNC_TYPES];
static uint32_t g_type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint64_t sig;
  uint32_t i;
  va_list ap;
  /* A signature that does not fit gets an id no table entry can match:
   * call_indirect through it traps instead of calling the wrong thing. */
  if (params + results > MAX_SIG) return UINT32_MAX;
  sig = (uint64_t)params | ((uint64_t)results << 4);
  va_start(ap, results);
  for (i = 0; i < params + results; i++) sig |= (uint64_t)((unsigned)va_arg(ap, int) & 15u) << (8 + 4 * i);
  va_end(ap);
  for (i = 0; i < g_type_count; i++) {
    if (g_types[i] == sig) return i + 1;
  }
  if (g_type_count == TLSRT_AOT_MAX_FUNC_TYPES) return UINT32_MAX - 1;
  g_types[g_type_count] = sig;
  return ++g_type_count;
}

/* ---- funcref tables: a static pool (the engine declares none today) ---- */

#ifndef TLSRT_AOT_TABLE_ELEMENTS
#define TLSRT_AOT_TABLE_ELEMENTS 1
#endif
static wasm_rt_funcref_t g_table_pool[TLSRT_AOT_TABLE_ELEMENTS];
static int g_table_in_use;

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *t, uint32_t elements, uint32_t max_elements) {
  (void)max_elements;
  if (g_table_in_use || elements > TLSRT_AOT_TABLE_ELEMENTS) wasm_rt_trap(WASM_RT_TRAP_OOB);
  g_table_in_use = 1;
  memset(g_table_pool, 0, sizeof g_table_pool);
  t->data = g_table_pool;
  t->size = elements;
  t->max_size = elements;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *t) {
  t->data = NULL;
  t->size = 0;
  g_table_in_use = 0;
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t *t, uint32_t delta, wasm_rt_funcref_t init) {
  (void)init;
  return delta == 0 ? t->size : UINT32_MAX;
}
