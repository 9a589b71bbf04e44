/*
 * posix_compile_check: does every function of the engine compile under this
 * build's wasm3 settings (d_m3MaxFunctionStackHeight above all), and how
 * much RAM would compiling all of it take? Boots the engine (self-test,
 * pool), compiles the whole module, prints
 *   "RESULT ok=1 fn_compiled=N/N code_bytes=... heap=..."
 * Linked with heap_count.c (see the POSIX Makefile).
 */
#include <stdio.h>

#include "tlsrt_host.h"
#include "heap_count.h"

int main(void) {
  tlsrt_mem_stats_t m;
  int rc = tlsrt_start();
  if (rc == TLSRT_OK) rc = tlsrt_compile_all();
  tlsrt_mem_stats(&m);
  printf("RESULT ok=%d fn_compiled=%u/%u wasm_compiled=%u code_bytes=%u code_used=%u heap=%zu%s%s\n", rc == TLSRT_OK,
         m.functions_compiled, m.functions_total, m.wasm_bytes_compiled, m.code_page_bytes, m.code_used_bytes,
         heap_count_current(), rc == TLSRT_OK ? "" : " error=", rc == TLSRT_OK ? "" : tlsrt_last_error());
  tlsrt_stop();
  return rc == TLSRT_OK ? 0 : 1;
}
