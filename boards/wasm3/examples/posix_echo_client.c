/*
 * posix_echo_client: the device host on a PC, against any TLS 1.3 PSK echo
 * server (the tests use node:tls on loopback).
 *
 *   posix_echo_client HOST PORT IDENTITY PSK_HEX [BYTES [KX [SUITE_HEX]]]
 *
 * Boots the engine (self-test, pool), connects, completes a handshake
 * (KX: "psk_dhe_ke" default, or "psk_ke"), sends BYTES (default 65536)
 * random bytes, reads the echo back, checks it byte for byte, and closes
 * with close_notify. It runs on a thread whose stack it paints, and counts
 * wasm3's heap (heap_count.c), so it prints the numbers a board's RAM
 * budget needs. Last line: "RESULT ok=1 ..." (key=value pairs) or "RESULT ok=0 error=...".
 */
#define _DEFAULT_SOURCE

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tlsrt_host.h"
#include "tlsrt_net.h"
#include "tlsrt_port.h"
#include "tlsrt_board.h"
#include "heap_count.h"

#define MAX_BYTES (1u << 20)
#define STACK_BYTES (512u * 1024u)
#define TIMEOUT_MS 60000u

static uint8_t g_out[MAX_BYTES];
static uint8_t g_in[MAX_BYTES];
static uint8_t g_stack[STACK_BYTES] __attribute__((aligned(64)));

static struct {
  const char *host;
  uint16_t port;
  const char *identity;
  uint8_t psk[64];
  size_t psk_len;
  size_t bytes;
  uint8_t kx;
  uint16_t suite;
  /* results */
  int ok;
  const char *error;
  int handshake_done;
  int failed;
  uint32_t fail_arg;
  double handshake_ms, echo_ms;
  size_t heap_selftest_peak, heap_after_start, heap_serving_peak, heap_final;
  tlsrt_mem_stats_t mem;
  int suite_used, kx_used, mfl;
} G;

static void on_event(int conn, const tlsrt_event_t *ev, void *user) {
  (void)conn;
  (void)user;
  if (ev->kind == TLSRT_EV_HANDSHAKE_DONE) G.handshake_done = 1;
  if (ev->kind == TLSRT_EV_ERROR) {
    G.failed = 1;
    G.fail_arg = ev->arg;
  }
  if (ev->kind == TLSRT_EV_CLOSED) G.failed = G.failed || !G.handshake_done;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *n) {
  size_t len = strlen(s), i;
  if (len % 2 || len / 2 > cap) return -1;
  for (i = 0; i < len / 2; i++) {
    int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  *n = len / 2;
  return 0;
}

static int wait_until(int *flag, uint64_t deadline) {
  while (!*flag && !G.failed) {
    if (tlsrt_poll() == 0) usleep(200);
    if (tlsrt_port_now_ms() > deadline) return -1;
  }
  return *flag ? 0 : -1;
}

static void *run(void *arg) {
  tlsrt_socket_t sock;
  tlsrt_io_t io;
  tlsrt_conn_config_t cfg;
  int c, rc;
  size_t sent = 0, got = 0;
  uint64_t t0, deadline;
  (void)arg;

  /* 1. the boot self-test alone, to see its own heap peak */
  rc = tlsrt_selftest();
  G.heap_selftest_peak = heap_count_peak();
  if (rc != 1) {
    G.error = "selftest";
    return NULL;
  }
  /* 2. start: self-test again, then the serving runtime and the pool */
  rc = tlsrt_start();
  if (rc != TLSRT_OK) {
    fprintf(stderr, "tlsrt_start: %d (%s)\n", rc, tlsrt_last_error());
    G.error = "start";
    return NULL;
  }
  G.heap_after_start = heap_count_current();
  heap_count_reset_peak();

  if (tlsrt_net_connect(&sock, G.host, G.port) != 0) {
    G.error = "connect";
    return NULL;
  }
  tlsrt_net_io(&sock, &io);
  memset(&cfg, 0, sizeof cfg);
  cfg.psk_identity = (const uint8_t *)G.identity;
  cfg.psk_identity_len = strlen(G.identity);
  cfg.psk = G.psk;
  cfg.psk_len = G.psk_len;
  cfg.kx_modes = G.kx;
  if (G.suite) {
    cfg.suites = &G.suite;
    cfg.suites_count = 1;
  }
  cfg.on_event = on_event;
  t0 = tlsrt_port_now_ms();
  c = tlsrt_open_client(&cfg, &io);
  if (c < 0) {
    G.error = "open";
    return NULL;
  }
  deadline = t0 + TIMEOUT_MS;
  if (wait_until(&G.handshake_done, deadline) != 0) {
    G.error = "handshake";
    tlsrt_close(c);
    tlsrt_net_close(&sock);
    return NULL;
  }
  G.handshake_ms = (double)(tlsrt_port_now_ms() - t0);
  G.suite_used = tlsrt_info(c, TLSRT_INFO_SUITE);
  G.kx_used = tlsrt_info(c, TLSRT_INFO_KX);
  G.mfl = tlsrt_info(c, TLSRT_INFO_MFL);

  t0 = tlsrt_port_now_ms();
  while (got < G.bytes && !G.failed && tlsrt_port_now_ms() < deadline + TIMEOUT_MS) {
    int moved = 0;
    if (sent < G.bytes) {
      int n = tlsrt_write(c, g_out + sent, G.bytes - sent);
      if (n < 0) break;
      sent += (size_t)n;
      moved |= n > 0;
    }
    for (;;) {
      int n = tlsrt_read(c, g_in + got, G.bytes - got);
      if (n <= 0) break;
      got += (size_t)n;
      moved = 1;
    }
    moved |= tlsrt_poll() > 0;
    if (!moved) usleep(100);
  }
  G.echo_ms = (double)(tlsrt_port_now_ms() - t0);
  tlsrt_shutdown(c);
  while (tlsrt_pending_output(c) > 0 && tlsrt_poll() > 0) {
  }
  tlsrt_mem_stats(&G.mem);
  G.heap_serving_peak = heap_count_peak();
  tlsrt_close(c);
  tlsrt_net_close(&sock);
  G.heap_final = heap_count_current();
  if (got != G.bytes) {
    G.error = "echo incomplete";
    return NULL;
  }
  if (memcmp(g_out, g_in, G.bytes) != 0) {
    G.error = "echo mismatch";
    return NULL;
  }
  G.ok = 1;
  return NULL;
}

/* Bytes of the painted stack that were written (from the top down). */
static size_t stack_used(void) {
  size_t i = 0;
  while (i < STACK_BYTES && g_stack[i] == 0xA5) i++;
  return STACK_BYTES - i;
}

/* The wasm bytes the runtime reads (wasm3); an aot build carries none. */
#if TLSRT_RUNTIME_AOT
#define MODULE_BYTES 0u
#else
#define MODULE_BYTES tlsrt_wasm_len
#endif

int main(int argc, char **argv) {
  pthread_t th;
  pthread_attr_t attr;
  if (argc < 5) {
    fprintf(stderr, "usage: %s HOST PORT IDENTITY PSK_HEX [BYTES [psk_dhe_ke|psk_ke [SUITE_HEX]]]\n", argv[0]);
    return 2;
  }
  G.host = argv[1];
  G.port = (uint16_t)atoi(argv[2]);
  G.identity = argv[3];
  if (parse_hex(argv[4], G.psk, sizeof G.psk, &G.psk_len) != 0 || G.psk_len == 0) {
    fprintf(stderr, "PSK_HEX must be hex\n");
    return 2;
  }
  G.bytes = argc > 5 ? (size_t)strtoul(argv[5], NULL, 0) : 65536u;
  if (G.bytes == 0 || G.bytes > MAX_BYTES) G.bytes = 65536u;
  G.kx = (argc > 6 && strcmp(argv[6], "psk_ke") == 0) ? TLSRT_KX_PSK_KE : TLSRT_KX_PSK_DHE_KE;
  G.suite = argc > 7 ? (uint16_t)strtoul(argv[7], NULL, 16) : 0;
  tlsrt_port_random(g_out, G.bytes);

  memset(g_stack, 0xA5, sizeof g_stack);
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, g_stack, sizeof g_stack);
  if (pthread_create(&th, &attr, run, NULL) != 0) {
    perror("pthread_create");
    return 1;
  }
  pthread_join(th, NULL);

  printf("RESULT ok=%d board=%s bytes=%zu suite=0x%04x kx=%d mfl=%d handshake_ms=%.0f echo_ms=%.0f "
         "heap_selftest_peak=%zu heap_after_start=%zu heap_serving_peak=%zu heap_final=%zu "
         "linear_memory=%u code_pages=%u code_bytes=%u code_used=%u fn_compiled=%u/%u wasm_compiled=%u value_stack=%u heap_base=%u arena=%u "
         "native_stack=%zu wasm_bytes=%u%s%s\n",
         G.ok, TLSRT_BOARD, G.bytes, (unsigned)G.suite_used, G.kx_used, G.mfl, G.handshake_ms, G.echo_ms,
         G.heap_selftest_peak, G.heap_after_start, G.heap_serving_peak, G.heap_final,
         G.mem.linear_memory_bytes, G.mem.code_pages, G.mem.code_page_bytes, G.mem.code_used_bytes, G.mem.functions_compiled, G.mem.functions_total, G.mem.wasm_bytes_compiled, G.mem.value_stack_bytes,
         G.mem.heap_base, G.mem.arena_bytes, stack_used(), (unsigned)MODULE_BYTES,
         G.error ? " error=" : "", G.error ? G.error : "");
  if (G.failed) fprintf(stderr, "engine error: reason %u alert %u\n", G.fail_arg >> 8, G.fail_arg & 0xff);
  if (!G.ok) fprintf(stderr, "last runtime error: %s\n", tlsrt_last_error());
  return G.ok ? 0 : 1;
}
