/*
 * memory_loopback: one engine, two slots — a client and a server — talking
 * through two byte rings in RAM. No sockets and no OS: it runs on a PC, on
 * a board over a serial console, and under an emulator (the device test runs
 * it as a Cortex-M0+ program under qemu-arm to measure wasm3's heap and the
 * native stack on the instruction set of an RP2040).
 *
 * The server answers CLIENT_HELLO inside the callback (the synchronous
 * path; posix_echo_server shows the asynchronous one). The client sends
 * LOOPBACK_BYTES, the server echoes them, the client checks every byte.
 * Prints "RESULT ok=1 ..." with the heap and stack figures. Needs a board
 * header with TLSRT_SLOTS >= 2. Link with heap_count.c and
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tlsrt_host.h"
#include "tlsrt_port.h"
#include "tlsrt_board.h"
#include "heap_count.h"

#if TLSRT_SLOTS < 2
#error "memory_loopback needs a board with at least 2 slots"
#endif

#ifndef LOOPBACK_BYTES
#define LOOPBACK_BYTES 16384u
#endif
#define RING 4096u
#define WINDOW 1024u
#ifndef STACK_PAINT
#define STACK_PAINT (48u * 1024u)
#endif

typedef struct ring {
  uint8_t b[RING];
  size_t head, len;
} ring_t;

typedef struct end {
  ring_t *tx, *rx;
} end_t;

static ring_t g_c2s, g_s2c;
static end_t g_client_end = { &g_c2s, &g_s2c };
static end_t g_server_end = { &g_s2c, &g_c2s };
static uint8_t g_out[LOOPBACK_BYTES], g_back[LOOPBACK_BYTES], g_echo[1024];
static const uint8_t k_psk[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static int g_done[2], g_failed;

static int ring_send(void *ctx, const uint8_t *buf, size_t len) {
  ring_t *r = ((end_t *)ctx)->tx;
  size_t n = 0;
  while (n < len && r->len < RING) {
    r->b[(r->head + r->len) % RING] = buf[n++];
    r->len++;
  }
  return (int)n;
}

static int ring_recv(void *ctx, uint8_t *buf, size_t len) {
  ring_t *r = ((end_t *)ctx)->rx;
  size_t n = 0;
  while (n < len && r->len > 0) {
    buf[n++] = r->b[r->head];
    r->head = (r->head + 1) % RING;
    r->len--;
  }
  return (int)n;
}

static void on_event(int conn, const tlsrt_event_t *ev, void *user) {
  int role = (int)(size_t)user;
  if (ev->kind == TLSRT_EV_CLIENT_HELLO) {
    int known = ev->identity_len == 11 && memcmp(ev->identity, "device-0001", 11) == 0;
    tlsrt_hello_reply(conn, known ? k_psk : NULL, known ? sizeof k_psk : 0, NULL);
  }
  if (ev->kind == TLSRT_EV_HANDSHAKE_DONE) g_done[role] = 1;
  if (ev->kind == TLSRT_EV_ERROR) {
    printf("role %d failed: reason %u alert %u\n", role, (unsigned)(ev->arg >> 8), (unsigned)(ev->arg & 0xff));
    g_failed = 1;
  }
}

/* Stack high-water mark: paint below the current frame, measure later. */
static volatile uint8_t *g_paint_lo;
static void __attribute__((noinline)) stack_paint(void) {
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  size_t i;
  g_paint_lo = (volatile uint8_t *)(sp - 256u - STACK_PAINT); /* below this frame, never above it */
  for (i = 0; i < STACK_PAINT; i++) g_paint_lo[i] = 0xA5;
}
static size_t stack_used(void) {
  size_t i = 0;
  while (i < STACK_PAINT && g_paint_lo[i] == 0xA5) i++;
  return STACK_PAINT - i;
}

static int run(void) {
  tlsrt_io_t cio = { &g_client_end, ring_send, ring_recv };
  tlsrt_io_t sio = { &g_server_end, ring_send, ring_recv };
  tlsrt_conn_config_t cc, sc;
  int c, s, spins;
  size_t sent = 0, got = 0, i, echo_off = 0, echo_len = 0;
  int rc = tlsrt_start();
  if (rc != TLSRT_OK) {
    printf("start failed: %d %s\n", rc, tlsrt_last_error());
    return 0;
  }
  memset(&sc, 0, sizeof sc);
  sc.on_event = on_event;
  sc.user = (void *)(size_t)1;
  s = tlsrt_open_server(&sc, &sio);
  memset(&cc, 0, sizeof cc);
  cc.psk_identity = (const uint8_t *)"device-0001";
  cc.psk_identity_len = 11;
  cc.psk = k_psk;
  cc.psk_len = sizeof k_psk;
  cc.kx_modes = TLSRT_KX_PSK_DHE_KE;
  cc.on_event = on_event;
  cc.user = (void *)(size_t)0;
  c = tlsrt_open_client(&cc, &cio);
  if (c < 0 || s < 0) {
    printf("open failed: %d %d\n", c, s);
    return 0;
  }
  for (spins = 0; spins < 1000 && !(g_done[0] && g_done[1]) && !g_failed; spins++) tlsrt_poll();
  if (!(g_done[0] && g_done[1])) {
    printf("handshake incomplete: client %d server %d (%s)\n", g_done[0], g_done[1], tlsrt_last_error());
    return 0;
  }
  for (i = 0; i < LOOPBACK_BYTES; i++) g_out[i] = (uint8_t)(i * 131u + (i >> 8));
  for (spins = 0; spins < 200000 && got < LOOPBACK_BYTES && !g_failed; spins++) {
    int n;
    /* At most WINDOW bytes in flight. An engine takes no input while its own
     * output is still pending, so two engines joined by pipes smaller than
     * what both have in flight would wait on each other forever (over TCP
     * the socket buffers absorb it). */
    if (sent < LOOPBACK_BYTES && sent - got < WINDOW) {
      size_t want = LOOPBACK_BYTES - sent < WINDOW - (sent - got) ? LOOPBACK_BYTES - sent : WINDOW - (sent - got);
      n = tlsrt_write(c, g_out + sent, want);
      if (n > 0) sent += (size_t)n;
    }
    /* server: echo what it has, read more only when that is gone */
    if (echo_off < echo_len) {
      n = tlsrt_write(s, g_echo + echo_off, echo_len - echo_off);
      if (n > 0) echo_off += (size_t)n;
    } else {
      n = tlsrt_read(s, g_echo, sizeof g_echo);
      echo_off = 0;
      echo_len = n > 0 ? (size_t)n : 0;
    }
    n = tlsrt_read(c, g_back + got, LOOPBACK_BYTES - got);
    if (n > 0) got += (size_t)n;
    tlsrt_poll();
  }
  if (got != LOOPBACK_BYTES) printf("echo stalled: sent %u, got %u, states %d/%d\n", (unsigned)sent, (unsigned)got, tlsrt_state(c), tlsrt_state(s));
  return got == LOOPBACK_BYTES && memcmp(g_out, g_back, LOOPBACK_BYTES) == 0;
}

int main(void) {
  tlsrt_mem_stats_t m;
  int ok;
  stack_paint();
  ok = run();
  tlsrt_mem_stats(&m);
  printf("RESULT ok=%d board=%s bytes=%u heap_peak=%u heap_now=%u linear_memory=%u code_bytes=%u "
         "fn_compiled=%u/%u value_stack=%u native_stack=%u ptr_bytes=%u\n",
         ok, TLSRT_BOARD, (unsigned)LOOPBACK_BYTES, (unsigned)heap_count_peak(), (unsigned)heap_count_current(),
         (unsigned)m.linear_memory_bytes, (unsigned)m.code_page_bytes, (unsigned)m.functions_compiled,
         (unsigned)m.functions_total, (unsigned)m.value_stack_bytes, (unsigned)stack_used(), (unsigned)sizeof(void *));
  return ok ? 0 : 1;
}
