/*
 * Calibration host: runs one workload of a module under wasm3 so that an
 * instruction counter (valgrind's callgrind on x86, a qemu-arm exec trace for
 * a Cortex-M0+ build) can measure the machine instructions wasm3 spends per
 * call. tools/wasm3-calibrate.mjs builds and drives it; it is never part of a
 * device build.
 *
 *   calibrate_host <module.wasm> <workload> <repeat>
 *
 * workloads: fib32, fib64 (export fib(24) of the fib fixture),
 *            selftest (engine selftest()),
 *            x25519   (x25519(out, scalar, point), one scalar multiplication),
 *            chacha   (chacha20poly1305_seal over 16 KiB),
 *            sha256   (sha256(data, 16 KiB, out)),
 *            gcm      (gcm_init with a 128-bit key + gcm_seal over 16 KiB),
 *            loop_i32add, loop_i64add, loop_i64mul (export run() of a
 *            generated loop module; returns 1: prices one i64 op).
 *
 * The workload runs once as a warm-up (wasm3 compiles functions lazily, on
 * their first call), then `repeat` more times. Running with repeat = R and
 * repeat = 0 and subtracting leaves R calls of pure execution: no parsing, no
 * compiling, no setup.
 *
 * Without a file system (the bare-metal Thumb-1 build run under qemu-arm),
 * define CALIB_EMBEDDED: the module comes from calib_module[] /
 * calib_module_len (a generated C file) and the workload and repeat count
 * from CALIB_WORKLOAD (a string) and CALIB_REPEAT.
 *
 * Inputs are fixed byte patterns, so every call does the same work and the
 * counts repeat exactly. random_fill is deterministic for the same reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm3.h"

#define BULK 16384u /* bytes sealed / hashed per call */

static int fail(const char *what, M3Result r) {
  printf("ERROR %s: %s\n", what, r ? r : "failed");
  return 1;
}

/* ---- imports: deterministic stand-ins (raw wasm3 functions) ---- */

static uint32_t arg32(const uint64_t *sp, int i) {
  uint32_t v;
  memcpy(&v, sp + i, sizeof v); /* the low word of a 64-bit slot (little-endian) */
  return v;
}

static uint32_t g_rand_state = 0x9e3779b9u;

static const void *imp_random_fill(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  uint32_t ptr = arg32(sp, 0), len = arg32(sp, 1), i;
  uint32_t size = m3_GetMemorySize(rt);
  (void)ctx;
  if (ptr > size || len > size - ptr) return m3Err_trapOutOfBoundsMemoryAccess;
  for (i = 0; i < len; i++) {
    g_rand_state = g_rand_state * 1664525u + 1013904223u;
    ((uint8_t *)mem)[ptr + i] = (uint8_t)(g_rand_state >> 24);
  }
  return m3Err_none;
}

static const void *imp_now_ms(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  int64_t zero = 0;
  (void)rt; (void)ctx; (void)mem;
  memcpy(sp, &zero, sizeof zero);
  return m3Err_none;
}

static const void *imp_ignore(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  (void)rt; (void)ctx; (void)sp; (void)mem;
  return m3Err_none;
}

static const void *imp_abort(IM3Runtime rt, IM3ImportContext ctx, uint64_t *sp, void *mem) {
  (void)rt; (void)ctx; (void)sp; (void)mem;
  return m3Err_trapUnreachable;
}

static M3Result link_optional(IM3Module m, const char *name, const char *sig, M3RawCall fn) {
  M3Result r = m3_LinkRawFunction(m, "env", name, sig, fn);
  return r == m3Err_functionLookupFailed ? m3Err_none : r; /* the module does not import it */
}

/* ---- the workload ---- */

typedef struct {
  IM3Runtime rt;
  IM3Function fn[2]; /* gcm: init, seal; others: fn[0] */
  int kind;
  uint32_t base; /* first free byte of linear memory (aligned heap_base) */
  uint32_t ctx_size;
} work_t;

enum { W_FIB32, W_FIB64, W_SELFTEST, W_X25519, W_CHACHA, W_SHA256, W_GCM, W_LOOP_I32ADD, W_LOOP_I64ADD, W_LOOP_I64MUL };
static const char *const k_work[] = { "fib32", "fib64", "selftest", "x25519", "chacha", "sha256", "gcm",
                                      "loop_i32add", "loop_i64add", "loop_i64mul" };

static M3Result find(IM3Runtime rt, IM3Function *f, const char *name) {
  M3Result r = m3_FindFunction(f, rt, name);
  if (r) printf("ERROR export %s: %s\n", name, r);
  return r;
}

static M3Result call_u32(IM3Function f, uint32_t *out) {
  M3Result r = m3_CallV(f);
  if (!r) r = m3_GetResultsV(f, out);
  return r;
}

static uint8_t *mem_at(IM3Runtime rt, uint32_t off, uint32_t len) {
  uint32_t size = 0;
  uint8_t *m = m3_GetMemory(rt, &size, 0);
  if (!m || off > size || len > size - off) return NULL;
  return m + off;
}

static M3Result setup(work_t *w) {
  M3Result r;
  uint32_t hb = 0, need = 0, i;
  uint8_t *p;
  if (w->kind == W_FIB32 || w->kind == W_FIB64) return find(w->rt, &w->fn[0], "fib");
  if (w->kind == W_SELFTEST) return find(w->rt, &w->fn[0], "selftest");
  if (w->kind >= W_LOOP_I32ADD) return find(w->rt, &w->fn[0], "run");
  {
    IM3Function f;
    if ((r = find(w->rt, &f, "heap_base"))) return r;
    if ((r = call_u32(f, &hb))) return r;
    w->base = (hb + 15u) & ~15u;
  }
  switch (w->kind) {
    case W_X25519: need = 96; r = find(w->rt, &w->fn[0], "x25519"); break;
    case W_CHACHA: need = 64 + 2 * BULK + 16; r = find(w->rt, &w->fn[0], "chacha20poly1305_seal"); break;
    case W_SHA256: need = BULK + 32; r = find(w->rt, &w->fn[0], "sha256"); break;
    default: {
      IM3Function f;
      if ((r = find(w->rt, &f, "GCM_CTX_SIZE"))) return r;
      if ((r = call_u32(f, &w->ctx_size))) return r;
      w->ctx_size = (w->ctx_size + 15u) & ~15u;
      need = w->ctx_size + 64 + 2 * BULK + 16;
      if ((r = find(w->rt, &w->fn[0], "gcm_init"))) return r;
      r = find(w->rt, &w->fn[1], "gcm_seal");
    }
  }
  if (r) return r;
  p = mem_at(w->rt, w->base, need);
  if (!p) {
    printf("ERROR linear memory too small: need %u bytes above heap_base %u\n", (unsigned)need, (unsigned)hb);
    return "memory";
  }
  for (i = 0; i < need; i++) p[i] = (uint8_t)(i * 7u + 3u);
  if (w->kind == W_X25519) {
    memset(p + 64, 0, 32);
    p[64] = 9; /* the base point u = 9 */
  }
  return m3Err_none;
}

/* One measured call. Returns its result in *res (for a sanity line). */
static M3Result run_once(work_t *w, uint64_t *res) {
  M3Result r;
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  uint32_t b = w->base;
  switch (w->kind) {
    case W_FIB32:
      r = m3_CallV(w->fn[0], (uint32_t)24);
      if (!r) r = m3_GetResultsV(w->fn[0], &v32);
      *res = v32;
      return r;
    case W_FIB64:
      r = m3_CallV(w->fn[0], (uint64_t)24);
      if (!r) r = m3_GetResultsV(w->fn[0], &v64);
      *res = v64;
      return r;
    case W_SELFTEST:
    case W_LOOP_I32ADD:
    case W_LOOP_I64ADD:
    case W_LOOP_I64MUL:
      r = call_u32(w->fn[0], &v32);
      break;
    case W_X25519: /* out, scalar, point */
      r = m3_CallV(w->fn[0], b, b + 32, b + 64);
      if (!r) r = m3_GetResultsV(w->fn[0], &v32);
      break;
    case W_CHACHA: { /* key 32, nonce 12 (at +32), no aad, in, len, out, tag */
      uint32_t in = b + 64, out = in + BULK, tag = out + BULK;
      r = m3_CallV(w->fn[0], b, b + 32, b + 48, (uint32_t)0, in, BULK, out, tag);
      if (!r) r = m3_GetResultsV(w->fn[0], &v32);
      break;
    }
    case W_SHA256: /* data, len, out */
      r = m3_CallV(w->fn[0], b, BULK, b + BULK);
      v32 = 1;
      break;
    default: { /* gcm_init(ctx, key, 16); gcm_seal(ctx, nonce, 12, aad, 0, src, len, dst, tag) */
      uint32_t ctx = b, key = b + w->ctx_size, nonce = key + 16, in = key + 64, out = in + BULK, tag = out + BULK;
      r = m3_CallV(w->fn[0], ctx, key, (uint32_t)16);
      if (!r) r = m3_GetResultsV(w->fn[0], &v32);
      if (!r && v32 != 1) return "gcm_init returned 0";
      if (!r) r = m3_CallV(w->fn[1], ctx, nonce, (uint32_t)12, nonce, (uint32_t)0, in, BULK, out, tag);
      if (!r) r = m3_GetResultsV(w->fn[1], &v32);
    }
  }
  *res = v32;
  return r;
}

static int run(const uint8_t *wasm, uint32_t wasm_len, const char *workload, long repeat) {
  IM3Environment env;
  IM3Module mod;
  M3Result r;
  work_t w;
  uint64_t res = 0, first = 0;
  long i;
  unsigned k;

  memset(&w, 0, sizeof w);
  w.kind = -1;
  for (k = 0; k < sizeof k_work / sizeof k_work[0]; k++)
    if (strcmp(workload, k_work[k]) == 0) w.kind = (int)k;
  if (w.kind < 0) {
    printf("ERROR unknown workload %s (fib32 fib64 selftest x25519 chacha sha256 gcm loop_i32add loop_i64add loop_i64mul)\n", workload);
    return 2;
  }
  env = m3_NewEnvironment();
  if (!env) return fail("m3_NewEnvironment", NULL);
  w.rt = m3_NewRuntime(env, 64 * 1024, NULL);
  if (!w.rt) return fail("m3_NewRuntime", NULL);
  if ((r = m3_ParseModule(env, &mod, wasm, wasm_len))) return fail("m3_ParseModule", r);
  if ((r = m3_LoadModule(w.rt, mod))) return fail("m3_LoadModule", r);
  if ((r = link_optional(mod, "random_fill", "v(ii)", imp_random_fill))) return fail("link random_fill", r);
  if ((r = link_optional(mod, "now_ms", "I()", imp_now_ms))) return fail("link now_ms", r);
  if ((r = link_optional(mod, "log", "v(ii)", imp_ignore))) return fail("link log", r);
  if ((r = link_optional(mod, "abort", "v(iiii)", imp_abort))) return fail("link abort", r);
  if (setup(&w)) return 1;

  if ((r = run_once(&w, &first))) return fail("warm-up call", r); /* compiles what it reaches */
  for (i = 0; i < repeat; i++) {
    if ((r = run_once(&w, &res))) return fail("measured call", r);
    if (res != first) {
      printf("ERROR call %ld returned %llu, the warm-up %llu\n", i, (unsigned long long)res, (unsigned long long)first);
      return 1;
    }
  }
  printf("RESULT workload=%s repeat=%ld result=%llu\n", workload, repeat, (unsigned long long)first);
  if ((w.kind == W_FIB32 || w.kind == W_FIB64) && first != 46368) return fail("fib(24) != 46368", NULL);
  if (w.kind != W_FIB32 && w.kind != W_FIB64 && w.kind != W_SHA256 && first != 1) return fail("workload did not return 1", NULL);
  m3_FreeRuntime(w.rt);
  m3_FreeEnvironment(env);
  return 0;
}

#ifdef CALIB_EMBEDDED
extern const uint8_t calib_module[];
extern const uint32_t calib_module_len;
int main(void) {
  return run(calib_module, calib_module_len, CALIB_WORKLOAD, CALIB_REPEAT);
}
#else
int main(int argc, char **argv) {
  FILE *f;
  long n;
  uint8_t *wasm;
  if (argc != 4) {
    fprintf(stderr, "usage: %s <module.wasm> <workload> <repeat>\n", argv[0]);
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm = (uint8_t *)malloc((size_t)n);
  if (!wasm || fread(wasm, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "%s: read failed\n", argv[1]);
    return 2;
  }
  fclose(f);
  return run(wasm, (uint32_t)n, argv[2], atol(argv[3]));
}
#endif
