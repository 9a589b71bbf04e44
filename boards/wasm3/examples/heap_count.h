/*
 * Counting allocator for measurements on a PC: link with
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
 * and every allocation made by the objects in the link (wasm3 included)
 * is counted. Used by posix_echo_client to measure wasm3's heap peak.
 */
#ifndef HEAP_COUNT_H
#define HEAP_COUNT_H

#include <stddef.h>

size_t heap_count_current(void);
size_t heap_count_peak(void);
size_t heap_count_allocations(void);
/* Starts a new peak from the current level. */
void heap_count_reset_peak(void);

#endif
