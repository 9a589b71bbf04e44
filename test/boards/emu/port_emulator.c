/*
 * TEST-ONLY platform layer (test/boards/emu, never part of a bundle) for running
 * boards/wasm3/examples/memory_loopback.c as a Cortex-M0+ (Thumb-1) program
 * under qemu-arm's user-mode emulation (see linux_syscalls.c): there is no
 * entropy source there, so random_fill is a fixed xorshift sequence. NEVER link this into
 * firmware: every "random" value, X25519 keys included, is predictable.
 * It refuses to compile unless TLSRT_INSECURE_TEST_PORT is defined.
 */
#ifndef TLSRT_INSECURE_TEST_PORT
#error "port_emulator.c is predictable test scaffolding; define TLSRT_INSECURE_TEST_PORT only for emulator runs"
#endif

#include <stdio.h>

#include "tlsrt_port.h"

static uint32_t g_state = 0x9e3779b9u;

void tlsrt_port_random(uint8_t *buf, size_t len) {
  while (len--) {
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    *buf++ = (uint8_t)g_state;
  }
}

uint64_t tlsrt_port_now_ms(void) {
  return 0;
}

void tlsrt_port_log(const char *msg, size_t len) {
  printf("tlsrt: %.*s\n", (int)len, msg);
}
