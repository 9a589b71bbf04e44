/*
 * Counting allocator (see heap_count.h). Each block carries a 16-byte
 * header with its size; the counts are of requested bytes, not of the C
 * library's own overhead (a device heap adds its own, typically 4-8 bytes a
 * block).
 */
#include "heap_count.h"

#include <stdint.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define HDR 16

static size_t g_current, g_peak, g_allocs;

static void *account(uint8_t *raw, size_t n) {
  if (!raw) return NULL;
  memcpy(raw, &n, sizeof n);
  g_current += n;
  g_allocs += 1;
  if (g_current > g_peak) g_peak = g_current;
  return raw + HDR;
}

static size_t size_of(void *p) {
  size_t n;
  memcpy(&n, (uint8_t *)p - HDR, sizeof n);
  return n;
}

void *__wrap_malloc(size_t n) {
  return account((uint8_t *)__real_malloc(n + HDR), n);
}

void *__wrap_calloc(size_t n, size_t m) {
  size_t total;
  if (m && n > (SIZE_MAX - HDR) / m) return NULL;
  total = n * m;
  return account((uint8_t *)__real_calloc(1, total + HDR), total);
}

void *__wrap_realloc(void *p, size_t n) {
  uint8_t *raw;
  size_t old;
  if (!p) return __wrap_malloc(n);
  old = size_of(p);
  raw = (uint8_t *)__real_realloc((uint8_t *)p - HDR, n + HDR);
  if (!raw) return NULL;
  g_current -= old;
  g_allocs -= 1;
  return account(raw, n);
}

void __wrap_free(void *p) {
  if (!p) return;
  g_current -= size_of(p);
  __real_free((uint8_t *)p - HDR);
}

size_t heap_count_current(void) { return g_current; }
size_t heap_count_peak(void) { return g_peak; }
size_t heap_count_allocations(void) { return g_allocs; }
void heap_count_reset_peak(void) { g_peak = g_current; }
