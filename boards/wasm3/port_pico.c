/*
 * Platform layer for the Raspberry Pi Pico SDK (RP2040): entropy from the
 * ring oscillator, time from the 64-bit microsecond timer, log via stdio.
 * Sockets come from lwIP (tlsrt_net.c, TLSRT_NET_LWIP=1, NO_SYS=0).
 *
 * ENTROPY QUALITY — read before shipping:
 * The RP2040 has no true random number generator. Its ring oscillator
 * (ROSC) exposes one "random" bit (RANDOMBIT) sampled from a free-running
 * oscillator; the datasheet makes no claim of cryptographic quality, the
 * bits are biased and correlated when sampled faster than the oscillator
 * drifts, and the oscillator's frequency (hence the jitter) depends on
 * voltage, temperature and whether the ROSC is the system clock source.
 * This layer:
 *   - samples RANDOMBIT with a few microseconds between samples,
 *   - removes bias with von Neumann's method (a pair 01 -> 0, 10 -> 1,
 *     00/11 discarded),
 *   - XORs 4 debiased bits into each output bit, and mixes the low bits of
 *     the microsecond timer into each byte.
 * That makes the output unbiased but NOT a conditioned, health-tested
 * source (no SP 800-90B estimate, no continuous test). It is good enough to
 * run the examples; for a product use a chip with a real TRNG (the RP2350
 * has one, used by the SDK's pico_rand) or an external secure element
 * (e.g. ATECC608) and replace tlsrt_port_random with it. X25519 keys and
 * the hello randoms come from here: weak entropy weakens psk_dhe_ke's
 * forward secrecy, and with psk_ke it weakens nothing but the randoms.
 */
#include "tlsrt_port.h"

#include <stdio.h>

#include "pico/stdlib.h"
#include "hardware/structs/rosc.h"

static uint32_t rosc_raw_bit(void) {
  busy_wait_us_32(2); /* let the oscillator drift between samples */
  return rosc_hw->randombit & 1u;
}

static uint32_t debiased_bit(void) {
  for (;;) {
    uint32_t a = rosc_raw_bit();
    uint32_t b = rosc_raw_bit();
    if (a != b) return a;
  }
}

void tlsrt_port_random(uint8_t *buf, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    uint32_t byte = 0;
    int bit, k;
    for (bit = 0; bit < 8; bit++) {
      uint32_t v = 0;
      for (k = 0; k < 4; k++) v ^= debiased_bit();
      byte |= v << bit;
    }
    buf[i] = (uint8_t)(byte ^ (uint32_t)time_us_32());
  }
}

uint64_t tlsrt_port_now_ms(void) {
  return time_us_64() / 1000u;
}

void tlsrt_port_log(const char *msg, size_t len) {
  printf("tlsrt: %.*s\n", (int)len, msg);
}
