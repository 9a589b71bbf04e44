/*
 * wasm3 adapter of the device host (tlsrt_runtime.h): loads the engine
 * module into wasm3 (interpreted; functions are compiled into RAM on first
 * call), links its imports to the platform layer (tlsrt_port.h) and calls
 * its exports. wasm3 allocates its environment, runtime, the module's
 * linear memory (capped at TLSRT_LINEAR_MEMORY_LIMIT) and compiled code.
 */
#include "tlsrt_runtime.h"
#include "tlsrt_port.h"
#include "tlsrt_board.h"

#include <string.h>

#include "wasm3.h"
#include "m3_env.h" /* internal: runtime->memoryLimit and the code-page lists (no public API for either) */

/* The wasm3 build settings the board profile asked for must be the ones the
 * wasm3 sources were compiled with: the build glue passes the same -D flags
 * to both, and this catches a firmware that forgot them. */
#if defined(TLSRT_M3_MAX_FUNCTION_STACK_HEIGHT) && (d_m3MaxFunctionStackHeight != TLSRT_M3_MAX_FUNCTION_STACK_HEIGHT)
#error "wasm3 is built with a different d_m3MaxFunctionStackHeight than the board profile (pass the build glue's definitions to wasm3 too)"
#endif
#if defined(TLSRT_M3_MAX_NATIVE_STACK) && (d_m3MaxNativeStack != TLSRT_M3_MAX_NATIVE_STACK)
#error "wasm3 is built with a different d_m3MaxNativeStack than the board profile"
#endif

/* ---- the engine's exports, resolved once ---- */
static const char *const k_export_names[F_COUNT] = {
  "init", "arena_bytes", "heap_base", "io_ptr", "io_cap", "open", "close", "shutdown",
  "recv_ptr", "recv_want", "recv_commit", "send_ptr", "send_len", "send_commit",
  "app_in_ptr", "app_in_len", "app_in_commit", "app_out_ptr", "app_out_cap", "app_out_commit",
  "event_kind", "event_arg", "event_data_ptr", "event_data_len", "event_pop",
  "hello_reply", "info", "set_max_send_fragment", "status",
};

static struct {
  IM3Environment env;
  IM3Runtime rt;
  IM3Function fn[F_COUNT];
} W;

/* ---- imports (raw wasm3 functions; arguments are 64-bit stack slots) ---- */

static uint32_t arg_u32(const uint64_t *sp, int i) {
  uint32_t v;
  memcpy(&v, sp + i, sizeof v); /* the low word of the slot, as wasm3's m3ApiGetArg reads it (little-endian targets) */
  return v;
}

static int mem_range_ok(IM3Runtime rt, uint32_t ptr, uint32_t len) {
  uint32_t size = m3_GetMemorySize(rt);
  return ptr <= size && len <= size - ptr;
}

static const void *imp_random_fill(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  uint32_t ptr = arg_u32(sp, 0);
  uint32_t len = arg_u32(sp, 1);
  (void)ctx;
  if (!mem_range_ok(rt, ptr, len)) return m3Err_trapOutOfBoundsMemoryAccess;
  tlsrt_port_random((uint8_t *)mem + ptr, len);
  return m3Err_none;
}

static const void *imp_now_ms(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  int64_t now = (int64_t)tlsrt_port_now_ms();
  (void)rt;
  (void)ctx;
  (void)mem;
  memcpy(sp, &now, sizeof now);
  return m3Err_none;
}

static const void *imp_log(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  uint32_t ptr = arg_u32(sp, 0);
  uint32_t len = arg_u32(sp, 1);
  (void)ctx;
  if (!mem_range_ok(rt, ptr, len)) return m3Err_trapOutOfBoundsMemoryAccess;
  tlsrt_port_log((const char *)mem + ptr, len);
  return m3Err_none;
}

/* Links every import the module declares. random_fill is required; now_ms
 * and log are linked only if imported (wasm3 answers "function lookup
 * failed" for a name the module does not import: that is not an error). */
static M3Result link_imports(IM3Module mod) {
  M3Result r = m3_LinkRawFunction(mod, "env", "random_fill", "v(ii)", imp_random_fill);
  if (r) return r;
  r = m3_LinkRawFunction(mod, "env", "now_ms", "I()", imp_now_ms);
  if (r && r != m3Err_functionLookupFailed) return r;
  r = m3_LinkRawFunction(mod, "env", "log", "v(ii)", imp_log);
  if (r && r != m3Err_functionLookupFailed) return r;
  return m3Err_none;
}

/* A fresh environment + runtime with the module loaded, its linear memory
 * capped at `memory_limit` bytes. */
static M3Result load_engine(IM3Environment *env_out, IM3Runtime *rt_out, uint32_t memory_limit) {
  IM3Module mod = NULL;
  M3Result r;
  IM3Environment env = m3_NewEnvironment();
  IM3Runtime rt = NULL;
  *env_out = NULL;
  *rt_out = NULL;
  if (!env) return m3Err_mallocFailed;
  rt = m3_NewRuntime(env, TLSRT_VALUE_STACK_BYTES, NULL);
  if (!rt) {
    m3_FreeEnvironment(env);
    return m3Err_mallocFailed;
  }
  /* Set before LoadModule: the module's initial pages are allocated there. */
  rt->memoryLimit = memory_limit;
  /* The module bytes are referenced, not copied: they stay in flash. */
  r = m3_ParseModule(env, &mod, tlsrt_wasm, tlsrt_wasm_len);
  if (!r) {
    r = m3_LoadModule(rt, mod);
    if (r) m3_FreeModule(mod);
  }
  if (!r) r = link_imports(mod);
  if (r) {
    m3_FreeRuntime(rt);
    m3_FreeEnvironment(env);
    return r;
  }
  *env_out = env;
  *rt_out = rt;
  return m3Err_none;
}

static void unload_engine(IM3Environment *env, IM3Runtime *rt) {
  if (*rt) m3_FreeRuntime(*rt);
  if (*env) m3_FreeEnvironment(*env);
  *rt = NULL;
  *env = NULL;
}

int tlsrt_rt_call(int f, int32_t a, int32_t b, int32_t c, int32_t d, int32_t *ret, const char **error) {
  /* wasm3 reads only as many arguments as the function takes. */
  M3Result r = m3_CallV(W.fn[f], a, b, c, d);
  *ret = 0;
  if (!r) r = m3_GetResultsV(W.fn[f], ret);
  if (r) {
    *error = r;
    return 1;
  }
  return 0;
}

uint8_t *tlsrt_rt_memory(uint32_t *size) {
  *size = 0;
  if (!W.rt) return NULL;
  return m3_GetMemory(W.rt, size, 0);
}

int tlsrt_rt_selftest(const char **error) {
  /* A throwaway runtime: the self-test exercises every primitive, so wasm3
   * compiles nearly the whole module for it. Freeing the environment
   * afterwards returns that code to the heap; the serving runtime then
   * compiles only what handshakes and records use. Linear memory is capped
   * at the static data: the self-test uses no arena. */
  IM3Environment env;
  IM3Runtime rt;
  IM3Function fn;
  int32_t ok = 0;
  M3Result r = load_engine(&env, &rt, TLSRT_SELFTEST_MEMORY_LIMIT);
  if (r) {
    *error = r;
    return TLSRT_E_WASM;
  }
  r = m3_FindFunction(&fn, rt, "selftest");
  if (!r) r = m3_CallV(fn);
  if (!r) r = m3_GetResultsV(fn, &ok);
  unload_engine(&env, &rt);
  if (r) {
    *error = r;
    return TLSRT_E_WASM;
  }
  return ok == 1 ? 1 : 0;
}


int tlsrt_rt_load(const char **error) {
  int i;
  M3Result r = load_engine(&W.env, &W.rt, TLSRT_LINEAR_MEMORY_LIMIT);
  for (i = 0; !r && i < F_COUNT; i++) r = m3_FindFunction(&W.fn[i], W.rt, k_export_names[i]);
  if (r) {
    *error = r;
    unload_engine(&W.env, &W.rt);
    return TLSRT_E_WASM;
  }
  return TLSRT_OK;
}

void tlsrt_rt_unload(void) {
  unload_engine(&W.env, &W.rt);
  memset(&W, 0, sizeof W);
}

int tlsrt_rt_compile_all(const char **error) {
  M3Result r;
  if (!W.rt || !W.rt->modules) return TLSRT_E_STATE;
  r = m3_CompileModule(W.rt->modules);
  if (r) {
    *error = r;
    return TLSRT_E_WASM;
  }
  return TLSRT_OK;
}

static void count_pages(IM3CodePage page, uint32_t *pages, uint32_t *bytes, uint32_t *used) {
  while (page) {
    *pages += 1;
    *bytes += (uint32_t)(sizeof(M3CodePageHeader) + sizeof(code_t) * page->info.numLines);
    *used += (uint32_t)(sizeof(code_t) * page->info.lineIndex);
    page = page->info.next;
  }
}

void tlsrt_rt_mem_stats(tlsrt_mem_stats_t *out) {
  if (!W.rt) return;
  out->linear_memory_bytes = m3_GetMemorySize(W.rt);
  count_pages(W.rt->pagesOpen, &out->code_pages, &out->code_page_bytes, &out->code_used_bytes);
  count_pages(W.rt->pagesFull, &out->code_pages, &out->code_page_bytes, &out->code_used_bytes);
  if (W.rt->modules) {
    IM3Module mod = W.rt->modules;
    uint32_t i;
    for (i = 0; i < mod->numFunctions; i++) {
      IM3Function f = &mod->functions[i];
      if (f->import.moduleUtf8) continue;
      out->functions_total += 1;
      if (!f->compiled) continue;
      out->functions_compiled += 1;
      out->wasm_bytes_compiled += (uint32_t)(f->wasmEnd - f->wasm);
    }
  }
}
