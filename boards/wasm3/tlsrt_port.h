/*
 * What a platform layer gives the device host: exactly one port_*.c is
 * linked into a firmware (port_posix.c, port_espidf.c, port_pico.c).
 * These back the engine's imports env.random_fill, env.now_ms and env.log.
 */
#ifndef TLSRT_PORT_H
#define TLSRT_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fills `len` bytes with cryptographically secure random bytes. Called for
 * every ClientHello/ServerHello random and X25519 key (tens of bytes per
 * handshake). It must not fail: a port that cannot deliver must halt. */
void tlsrt_port_random(uint8_t *buf, size_t len);

/* Milliseconds from a monotonic clock (wraps only after 2^64 ms). */
uint64_t tlsrt_port_now_ms(void);

/* One log line (not NUL-terminated, no trailing newline). */
void tlsrt_port_log(const char *msg, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TLSRT_PORT_H */
