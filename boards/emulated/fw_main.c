/*
 * Emulated-board firmware (`tlsrt board`): the device host, linked with one
 * runtime (aot or wasm3), runs on an emulated CPU of the board's instruction
 * set with RAM limited to the board's engine budget. Through its one UART it
 *   1. runs the boot self-test, counting its instructions and stack,
 *   2. for psk_dhe_ke, then psk_ke: opens a TLS 1.3 client connection that
 *      the host-side bridge turns into a TCP connection to a node:tls PSK
 *      server, completes the handshake (instructions counted), echoes
 *      `echo_bytes` of a seeded pattern and checks every byte that comes back,
 *   3. reports its figures (peak stack painted, heap high-water mark).
 *
 * UART framing (both directions): type (1 byte), length (2 bytes, little
 * endian), payload. Firmware -> host: 'L' log text, 'Q' random bytes wanted
 * (u16 count), 'C' connect (u8 kx), 'D' TCP bytes, 'X' close the TCP
 * connection, 'R' result text ("key=value" pairs), 'E' fatal error text.
 * Host -> firmware: 'P' parameters, 'q' random bytes, 'c' connected,
 * 'D' TCP bytes, 'x' the TCP peer closed.
 *
 * Randomness: the emulator has no entropy source, so every random byte the
 * engine asks for comes from the host (node:crypto.randomBytes) in 'q'
 * frames, fetched before each connection — never a constant, never a
 * generator's output. A firmware for real hardware uses its TRNG instead
 * (port_pico.c, port_espidf.c).
 *
 * Instruction counts exclude time spent waiting for or moving UART bytes:
 * the handshake figure is the engine and the host code on top of it.
 *
 * Heap: the high-water mark of sbrk — what the C library's allocator took
 * from the heap region, its own overhead included (the aot runtime takes
 * nothing; wasm3 allocates its runtime and compiled code there).
 *
 * Every symbol of this harness (not of tlsrt) starts with fw_, so the
 * RAM and flash figures can tell the two apart.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tlsrt_host.h"
#include "tlsrt_port.h"
#include "tlsrt_board.h"
#include "fw_platform.h"

#define FW_STACK_PAINT 0xa5a5a5a5u
#define FW_RING 2560u /* holds the largest record any board profile receives (2309 bytes) */
#define FW_POOL 512u
#define FW_CHUNK 256u

/* ---- UART framing ---- */

static void fw_frame(uint8_t type, const void *data, uint32_t len) {
  const uint8_t *p = (const uint8_t *)data;
  uint32_t i;
  fw_uart_put(type);
  fw_uart_put((uint8_t)len);
  fw_uart_put((uint8_t)(len >> 8));
  for (i = 0; i < len; i++) fw_uart_put(p[i]);
}

static void fw_text(uint8_t type, const char *s) {
  fw_frame(type, s, (uint32_t)strlen(s));
}

static void fw_fatal(const char *why) {
  fw_text('E', why);
  fw_halt(1);
}

/* Receive side: one parser; 'D' payload goes to a ring (when it is full the
 * parser stops reading the UART, so the emulator and the bridge hold back
 * the rest: no byte is ever dropped). */
static struct {
  uint8_t hdr[3];
  uint32_t have_hdr, left, pos;
  uint8_t ring[FW_RING];
  uint32_t head, len;
  uint8_t params[128];
  uint32_t params_len;
  uint8_t pool[FW_POOL];
  uint32_t pool_len, pool_pos;
  int connected, peer_eof, got_params, pool_ready;
} fw_rx;

static void fw_byte(uint8_t b) {
  uint8_t type;
  if (fw_rx.have_hdr < 3) {
    fw_rx.hdr[fw_rx.have_hdr++] = b;
    if (fw_rx.have_hdr < 3) return;
    fw_rx.left = (uint32_t)fw_rx.hdr[1] | ((uint32_t)fw_rx.hdr[2] << 8);
    fw_rx.pos = 0;
    type = fw_rx.hdr[0];
    if (type == 'q') fw_rx.pool_len = fw_rx.pool_pos = 0;
    if (fw_rx.left != 0) return;
  } else {
    type = fw_rx.hdr[0];
    if (type == 'D') {
      fw_rx.ring[(fw_rx.head + fw_rx.len) % FW_RING] = b;
      fw_rx.len++;
    } else if (type == 'P' && fw_rx.pos < sizeof fw_rx.params) {
      fw_rx.params[fw_rx.pos] = b;
    } else if (type == 'q' && fw_rx.pos < FW_POOL) {
      fw_rx.pool[fw_rx.pos] = b;
    }
    fw_rx.pos++;
    if (--fw_rx.left != 0) return;
  }
  /* frame complete */
  fw_rx.have_hdr = 0;
  if (type == 'P') {
    fw_rx.params_len = fw_rx.pos < sizeof fw_rx.params ? fw_rx.pos : sizeof fw_rx.params;
    fw_rx.got_params = 1;
  } else if (type == 'q') {
    fw_rx.pool_len = fw_rx.pos < FW_POOL ? fw_rx.pos : FW_POOL;
    fw_rx.pool_pos = 0;
    fw_rx.pool_ready = 1;
  } else if (type == 'c') {
    /* the bridge closes the previous TCP connection before it opens the
     * next: whatever arrived before 'c' belonged to the old one */
    fw_rx.len = fw_rx.head = 0;
    fw_rx.peer_eof = 0;
    fw_rx.connected = 1;
  } else if (type == 'x') {
    fw_rx.peer_eof = 1;
  }
}

static void fw_pump(void) {
  for (;;) {
    int b;
    if (fw_rx.have_hdr == 3 && fw_rx.hdr[0] == 'D' && fw_rx.len == FW_RING) return;
    b = fw_uart_get();
    if (b < 0) return;
    fw_byte((uint8_t)b);
  }
}

/* Waits (pumping the UART) until *flag is set. */
static void fw_wait(volatile int *flag) {
  while (!*flag) fw_pump();
}

/* ---- the platform layer the engine's imports use ---- */

void tlsrt_port_random(uint8_t *buf, size_t len) {
  if (fw_rx.pool_len - fw_rx.pool_pos < len) fw_fatal("random pool exhausted (the host refills it before each connection)");
  memcpy(buf, fw_rx.pool + fw_rx.pool_pos, len);
  memset(fw_rx.pool + fw_rx.pool_pos, 0, len); /* used once */
  fw_rx.pool_pos += (uint32_t)len;
}

uint64_t tlsrt_port_now_ms(void) {
  return (uint64_t)(fw_insns() / 1000000u); /* 1 instruction = 1 ns of virtual time */
}

void tlsrt_port_log(const char *msg, size_t len) {
  fw_frame('L', msg, (uint32_t)len);
}

static void fw_refill_random(void) {
  uint8_t want[2] = { (uint8_t)FW_POOL, (uint8_t)(FW_POOL >> 8) };
  fw_rx.pool_ready = 0;
  fw_frame('Q', want, 2);
  fw_wait(&fw_rx.pool_ready);
}

/* ---- the transport: TCP through the bridge ---- */

static uint32_t fw_io_insns; /* instructions spent moving UART bytes (excluded from the handshake figure) */

static int fw_send(void *ctx, const uint8_t *buf, size_t len) {
  uint32_t t0 = fw_insns();
  size_t n = len < FW_CHUNK ? len : FW_CHUNK;
  (void)ctx;
  fw_frame('D', buf, (uint32_t)n);
  fw_io_insns += fw_insns() - t0;
  return (int)n;
}

static int fw_recv(void *ctx, uint8_t *buf, size_t len) {
  uint32_t t0 = fw_insns();
  size_t n = 0;
  (void)ctx;
  fw_pump();
  /* Part of what the engine asked for is here: wait for the rest, so each
   * poll gets whole pieces (the emulated UART hands bytes over one at a
   * time; without this the count of engine polls, and with it the
   * instruction figure, would depend on the emulator's I/O timing). The
   * wait is I/O time, excluded from the figures. */
  if (fw_rx.len > 0) {
    size_t need = len < FW_RING ? len : FW_RING;
    while (fw_rx.len < need && !fw_rx.peer_eof) fw_pump();
  }
  while (n < len && fw_rx.len > 0) {
    buf[n++] = fw_rx.ring[fw_rx.head];
    fw_rx.head = (fw_rx.head + 1) % FW_RING;
    fw_rx.len--;
  }
  fw_io_insns += fw_insns() - t0;
  if (n == 0 && fw_rx.peer_eof) return TLSRT_IO_EOF;
  return (int)n;
}

/* ---- the heap: [__heap_start, __heap_end) between static data and the stack ---- */

extern uint8_t __heap_start[], __heap_end[];
static uint8_t *fw_brk;
static uint32_t fw_heap_extent; /* sbrk high-water: the heap's real footprint, allocator overhead included */

void *_sbrk(ptrdiff_t inc);
void *sbrk(ptrdiff_t inc);

void *_sbrk(ptrdiff_t inc) {
  uint8_t *old;
  if (!fw_brk) fw_brk = __heap_start;
  if (inc > __heap_end - fw_brk || inc < __heap_start - fw_brk) return (void *)-1;
  old = fw_brk;
  fw_brk += inc;
  if ((uint32_t)(fw_brk - __heap_start) > fw_heap_extent) fw_heap_extent = (uint32_t)(fw_brk - __heap_start);
  return old;
}

void *sbrk(ptrdiff_t inc) {
  return _sbrk(inc);
}

/* ---- stack painting ---- */

/* Paints the free stack below the caller's frames (noinline: its own frame
 * is the only live one below the caller, and it paints under its own sp). */
__attribute__((noinline)) static void fw_paint_stack(void) {
  uint32_t *p = __stack_bottom;
  uint32_t *limit = (uint32_t *)((fw_stack_pointer() - 16u) & ~(uintptr_t)3u);
  while (p < limit) *p++ = FW_STACK_PAINT;
}

static uint32_t fw_stack_peak(void) {
  uint32_t *p = __stack_bottom;
  while (p < __stack_top && *p == FW_STACK_PAINT) p++;
  return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

/* ---- result text ---- */

static char fw_out[768];
static uint32_t fw_out_len;

static void fw_put(const char *s) {
  while (*s && fw_out_len < sizeof fw_out - 1) fw_out[fw_out_len++] = *s++;
}

static void fw_put_u32(const char *key, uint32_t v) {
  char d[11];
  int i = 10;
  d[i] = 0;
  do {
    d[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v && i > 0);
  if (fw_out_len) fw_put(" ");
  fw_put(key);
  fw_put("=");
  fw_put(d + i);
}

static void fw_put_i32(const char *key, int32_t v) {
  uint32_t save;
  if (v >= 0) {
    fw_put_u32(key, (uint32_t)v);
    return;
  }
  fw_put_u32(key, (uint32_t)(-(v + 1)) + 1u);
  /* make "key=N" read "key=-N" */
  save = fw_out_len;
  while (save > 0 && fw_out[save - 1] != '=') save--;
  if (fw_out_len < sizeof fw_out - 1) {
    memmove(fw_out + save + 1, fw_out + save, fw_out_len - save);
    fw_out[save] = '-';
    fw_out_len++;
  }
}

/* ---- one connection ---- */

static struct {
  int done, failed, peer_closed, closed;
  uint32_t fail_arg;
} fw_conn;

static void fw_on_event(int conn, const tlsrt_event_t *ev, void *user) {
  (void)conn;
  (void)user;
  if (ev->kind == TLSRT_EV_HANDSHAKE_DONE) fw_conn.done = 1;
  else if (ev->kind == TLSRT_EV_ERROR) {
    fw_conn.failed = 1;
    fw_conn.fail_arg = ev->arg;
  } else if (ev->kind == TLSRT_EV_PEER_CLOSED) fw_conn.peer_closed = 1;
  else if (ev->kind == TLSRT_EV_CLOSED) fw_conn.closed = 1;
}

static uint32_t fw_xorshift(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* Runs the engine until `*flag` or a failure; returns the instructions the
 * engine and host spent (polls that made progress, minus UART time). */
static uint32_t fw_drive(volatile int *flag) {
  uint32_t spent = 0;
  while (!*flag && !fw_conn.failed && !fw_conn.closed) {
    uint32_t io0 = fw_io_insns, t0 = fw_insns(), dt;
    int busy = tlsrt_poll();
    dt = fw_insns() - t0 - (fw_io_insns - io0);
    if (busy > 0) spent += dt;
    else if (!*flag && busy == 0) {
      /* idle: wait for the next byte from the bridge rather than spin the engine */
      while (fw_rx.len == 0 && !fw_rx.peer_eof) fw_pump();
    }
    if (busy < 0) break;
  }
  return spent;
}

static int fw_connection(uint8_t kx, const uint8_t *id, uint32_t id_len, const uint8_t *psk, uint32_t psk_len,
                         uint32_t echo_bytes, uint32_t seed, const char *tag) {
  tlsrt_conn_config_t cfg;
  tlsrt_io_t io = { NULL, fw_send, fw_recv };
  uint32_t sent = 0, got = 0, tx_state = seed ^ kx, rx_state = seed ^ kx, hs, t0, io0, bad = 0;
  uint8_t buf[FW_CHUNK];
  int c, ok;
  char key[32];

  fw_refill_random();
  memset(&fw_conn, 0, sizeof fw_conn);
  fw_rx.connected = 0;
  fw_frame('C', &kx, 1);
  fw_wait(&fw_rx.connected);

  memset(&cfg, 0, sizeof cfg);
  cfg.psk_identity = id;
  cfg.psk_identity_len = id_len;
  cfg.psk = psk;
  cfg.psk_len = psk_len;
  cfg.kx_modes = kx;
  cfg.on_event = fw_on_event;
  io0 = fw_io_insns;
  t0 = fw_insns();
  c = tlsrt_open_client(&cfg, &io);
  hs = fw_insns() - t0 - (fw_io_insns - io0);
  if (c < 0) fw_fatal("tlsrt_open_client failed");
  hs += fw_drive(&fw_conn.done);
  ok = fw_conn.done && !fw_conn.failed;
  fw_text('L', ok ? "handshake done" : "handshake failed");

  /* the echo: write the pattern, read it back, compare as it comes */
  while (ok && got < echo_bytes && !fw_conn.failed && !fw_conn.closed) {
    int n;
    if (sent < echo_bytes) {
      uint32_t k, m = echo_bytes - sent < FW_CHUNK ? echo_bytes - sent : FW_CHUNK;
      uint32_t st = tx_state;
      for (k = 0; k < m; k++) buf[k] = (uint8_t)fw_xorshift(&st);
      n = tlsrt_write(c, buf, m);
      if (n < 0) break;
      /* advance the generator by what was taken */
      for (k = 0; k < (uint32_t)n; k++) fw_xorshift(&tx_state);
      sent += (uint32_t)n;
    }
    {
      int busy = tlsrt_poll();
      uint32_t before = got;
      for (;;) {
        uint32_t k;
        n = tlsrt_read(c, buf, sizeof buf);
        if (n <= 0) break;
        for (k = 0; k < (uint32_t)n; k++) bad |= buf[k] ^ (uint8_t)fw_xorshift(&rx_state);
        got += (uint32_t)n;
      }
      /* everything sent, nothing moved: wait for the bridge's next bytes */
      if (n == 0 && busy == 0 && got == before && sent == echo_bytes) {
        while (fw_rx.len == 0 && !fw_rx.peer_eof) fw_pump();
      }
    }
    if (n < 0) break;
  }
  ok = ok && got == echo_bytes && bad == 0;
  fw_text('L', ok ? "echo done" : "echo failed");
  if (c >= 0 && fw_conn.done) {
    tlsrt_shutdown(c);
    tlsrt_poll();
  }
  fw_put_u32(strcat(strcpy(key, tag), "_ok"), (uint32_t)ok);
  fw_put_u32(strcat(strcpy(key, tag), "_hs_insns"), hs);
  fw_put_u32(strcat(strcpy(key, tag), "_echo"), got);
  fw_put_u32(strcat(strcpy(key, tag), "_echo_bad"), bad ? 1u : 0u);
  fw_put_u32(strcat(strcpy(key, tag), "_suite"), (uint32_t)(fw_conn.done ? tlsrt_info(c, TLSRT_INFO_SUITE) : 0));
  fw_put_u32(strcat(strcpy(key, tag), "_kx"), (uint32_t)(fw_conn.done ? tlsrt_info(c, TLSRT_INFO_KX) : 0));
  fw_put_u32(strcat(strcpy(key, tag), "_fail"), fw_conn.fail_arg);
  if (c >= 0) tlsrt_close(c);
  /* close the TCP connection and wait for the peer's end: nothing is left
   * in flight on the UART when the firmware stops */
  fw_frame('X', NULL, 0);
  while (!fw_rx.peer_eof) fw_pump();
  return ok;
}

int main(void) {
  uint32_t t0, selftest_insns, calib, stack_selftest, id_len, psk_len, echo_bytes, seed;
  const uint8_t *p;
  int rc, ok;

  fw_paint_stack();
  fw_text('L', "tlsrt emulated board " TLSRT_BOARD " (" TLSRT_RUNTIME "): booted");
  fw_wait(&fw_rx.got_params);
  p = fw_rx.params;
  id_len = p[0];
  psk_len = p[1 + id_len];
  if (2 + id_len + psk_len + 8 > fw_rx.params_len) fw_fatal("bad parameters");
  memcpy(&echo_bytes, p + 2 + id_len + psk_len, 4);
  memcpy(&seed, p + 6 + id_len + psk_len, 4);

  /* the instruction counter, on a loop of known length */
  t0 = fw_insns();
  fw_count_loop(1000000u);
  calib = fw_insns() - t0;
  fw_put_u32("calib_expected", 2000000u);
  fw_put_u32("calib_insns", calib);

  /* boot self-test: its own instance, gone before serving */
  fw_refill_random();
  t0 = fw_insns();
  rc = tlsrt_selftest();
  selftest_insns = fw_insns() - t0;
  stack_selftest = fw_stack_peak();
  fw_put_i32("selftest", rc);
  fw_put_u32("selftest_insns", selftest_insns);
  fw_put_u32("selftest_stack", stack_selftest);
  fw_put_u32("selftest_heap", fw_heap_extent);
  if (rc != 1) {
    fw_put_u32("heap_extent", fw_heap_extent);
    fw_put_u32("heap_room", (uint32_t)(__heap_end - __heap_start));
    fw_put(" error=selftest:");
    fw_put(rc < 0 ? tlsrt_last_error() : "a known answer did not match");
    fw_text('R', fw_out);
    fw_halt(1);
  }
  fw_text('L', "self-test passed");
  fw_paint_stack();
  rc = tlsrt_start();
  fw_put_i32("start", rc);
  if (rc != TLSRT_OK) {
    fw_put_u32("heap_extent", fw_heap_extent);
    fw_put(" error=start:");
    fw_put(tlsrt_last_error());
    fw_text('R', fw_out);
    fw_halt(1);
  }
  fw_text('L', "engine started");
  ok = fw_connection(TLSRT_KX_PSK_DHE_KE, p + 1, id_len, p + 2 + id_len, psk_len, echo_bytes, seed, "dhe");
  ok &= fw_connection(TLSRT_KX_PSK_KE, p + 1, id_len, p + 2 + id_len, psk_len, echo_bytes, seed, "psk");
  fw_put_u32("stack_peak", fw_stack_peak());
  fw_put_u32("heap_extent", fw_heap_extent);
  fw_put_u32("heap_room", (uint32_t)(__heap_end - __heap_start));
  {
    tlsrt_mem_stats_t m;
    tlsrt_mem_stats(&m);
    fw_put_u32("linear_memory", m.linear_memory_bytes);
    fw_put_u32("code_page_bytes", m.code_page_bytes);
  }
  fw_put_u32("ok", (uint32_t)ok);
  memset(fw_rx.params, 0, sizeof fw_rx.params); /* the PSK */
  tlsrt_stop();
  fw_text('R', fw_out);
  fw_halt(ok ? 0 : 1);
  return 0;
}
