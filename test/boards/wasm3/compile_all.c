/*
 * compile_all: can wasm3, built with a board's settings (above all
 * d_m3MaxFunctionStackHeight, given on the compiler command line), compile
 * every function of a module? Parses and loads the module, links stand-ins
 * for the imports a board host provides, compiles each function in turn and
 * prints one line:
 *   RESULT ok=1 functions=N/N
 *   RESULT ok=0 functions=K/N failed=<index> error=<wasm3's message>
 * Nothing is executed: this checks the compiler's limits only.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wasm3.h"
#include "m3_env.h" /* IM3Module internals: the function table and each function's compiled state */

static m3ApiRawFunction(stand_in) {
  (void)_ctx;
  (void)_mem;
  (void)runtime;
  (void)_sp;
  m3ApiSuccess();
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: compile_all module.wasm\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  static uint8_t wasm[1 << 20];
  size_t n = fread(wasm, 1, sizeof wasm, f);
  fclose(f);

  IM3Environment env = m3_NewEnvironment();
  IM3Runtime rt = m3_NewRuntime(env, 8192, NULL);
  IM3Module mod = NULL;
  M3Result r = m3_ParseModule(env, &mod, wasm, (uint32_t)n);
  if (!r) r = m3_LoadModule(rt, mod);
  if (r) {
    printf("RESULT ok=0 functions=0/0 error=%s\n", r);
    return 1;
  }
  /* The board imports (boards/wasm3/tlsrt_host.c); a module need not use all of them. */
  m3_LinkRawFunction(mod, "env", "random_fill", "v(ii)", stand_in);
  m3_LinkRawFunction(mod, "env", "now_ms", "I()", stand_in);
  m3_LinkRawFunction(mod, "env", "log", "v(ii)", stand_in);

  uint32_t total = 0, done = 0;
  for (uint32_t i = 0; i < mod->numFunctions; i++) {
    IM3Function fn = &mod->functions[i];
    if (!fn->wasm) continue; /* an import */
    total++;
  }
  for (uint32_t i = 0; i < mod->numFunctions; i++) {
    IM3Function fn = &mod->functions[i];
    if (!fn->wasm) continue;
    if (!fn->compiled) {
      r = CompileFunction(fn);
      if (r) {
        printf("RESULT ok=0 functions=%u/%u failed=%u error=%s\n", done, total, i, r);
        return 1;
      }
    }
    done++;
  }
  printf("RESULT ok=1 functions=%u/%u\n", done, total);
  m3_FreeRuntime(rt);
  m3_FreeEnvironment(env);
  return 0;
}
