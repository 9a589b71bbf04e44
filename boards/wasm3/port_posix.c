/*
 * Platform layer for a PC (Linux, macOS, BSDs): getrandom(2) (getentropy
 * where there is no getrandom), CLOCK_MONOTONIC, stderr. For testing the
 * device host and a board's exact engine configuration off the board.
 */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* getentropy/getrandom and clock_gettime under -std=c99 */
#endif

#include "tlsrt_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__linux__)
#include <sys/random.h>
#else
#include <unistd.h>
#endif

void tlsrt_port_random(uint8_t *buf, size_t len) {
  while (len > 0) {
    size_t chunk = len < 256 ? len : 256;
#if defined(__linux__)
    ssize_t n = getrandom(buf, chunk, 0);
    if (n <= 0) {
      perror("tlsrt: getrandom");
      abort(); /* never hand the engine predictable bytes */
    }
    chunk = (size_t)n;
#else
    if (getentropy(buf, chunk) != 0) {
      perror("tlsrt: getentropy");
      abort();
    }
#endif
    buf += chunk;
    len -= chunk;
  }
}

uint64_t tlsrt_port_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

void tlsrt_port_log(const char *msg, size_t len) {
  fprintf(stderr, "tlsrt: %.*s\n", (int)len, msg);
}
