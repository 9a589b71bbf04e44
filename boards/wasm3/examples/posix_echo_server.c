/*
 * posix_echo_server: the device host as a TLS 1.3 PSK server on a PC.
 *
 *   posix_echo_server PORT IDENTITY PSK_HEX [CONNECTIONS]
 *
 * Accepts up to TLSRT_SLOTS connections at a time on 127.0.0.1:PORT and
 * echoes what each one sends, until CONNECTIONS (default 1) have closed.
 * The PSK lookup is asynchronous on purpose: the CLIENT_HELLO callback only
 * records the request, and the main loop answers it on a later pass (as a
 * firmware would after asking a secure element or a server), while other
 * connections carry on. Prints "LISTENING" once ready, and a last line
 * "RESULT ok=1 served=N ..." or "RESULT ok=0 error=...".
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tlsrt_host.h"
#include "tlsrt_net.h"
#include "tlsrt_port.h"
#include "tlsrt_board.h"

#define ECHO_BUF 2048
#define TIMEOUT_MS 120000u

typedef struct peer {
  int conn;               /* tlsrt connection id, -1 when unused */
  tlsrt_socket_t sock;
  int hello_pending;      /* CLIENT_HELLO received, not answered yet */
  uint8_t identity[128];
  size_t identity_len;
  int done;               /* peer closed, failed or the transport ended */
  uint8_t buf[ECHO_BUF];  /* plaintext read and not yet written back */
  size_t have, off;
  size_t echoed;
} peer_t;

static peer_t g_peers[TLSRT_SLOTS];
static const char *g_identity;
static uint8_t g_psk[64];
static size_t g_psk_len;
static int g_failures;

static void on_event(int conn, const tlsrt_event_t *ev, void *user) {
  peer_t *p = (peer_t *)user;
  (void)conn;
  switch (ev->kind) {
    case TLSRT_EV_CLIENT_HELLO:
      /* Do not answer here: remember the identity and answer later. */
      p->identity_len = ev->identity_len < sizeof p->identity ? ev->identity_len : sizeof p->identity;
      memcpy(p->identity, ev->identity, p->identity_len);
      p->hello_pending = 1;
      break;
    case TLSRT_EV_ERROR:
      fprintf(stderr, "conn %d failed: reason %u alert %u\n", conn, ev->arg >> 8, ev->arg & 0xff);
      g_failures++;
      p->done = 1;
      break;
    case TLSRT_EV_PEER_CLOSED:
    case TLSRT_EV_CLOSED:
      p->done = 1;
      break;
    default:
      break;
  }
}

/* The "lookup": one identity, one key. Unknown identities get no PSK. */
static void answer_hello(peer_t *p) {
  int known = p->identity_len == strlen(g_identity) && memcmp(p->identity, g_identity, p->identity_len) == 0;
  p->hello_pending = 0;
  if (tlsrt_hello_reply(p->conn, known ? g_psk : NULL, known ? g_psk_len : 0, NULL) != TLSRT_OK) p->done = 1;
}

/* Moves plaintext back out; returns 1 if anything moved. */
static int echo(peer_t *p) {
  int moved = 0;
  for (;;) {
    if (p->off < p->have) {
      int n = tlsrt_write(p->conn, p->buf + p->off, p->have - p->off);
      if (n <= 0) break;
      p->off += (size_t)n;
      p->echoed += (size_t)n;
      moved = 1;
      continue;
    }
    p->off = p->have = 0;
    {
      int n = tlsrt_read(p->conn, p->buf, sizeof p->buf);
      if (n <= 0) break;
      p->have = (size_t)n;
      moved = 1;
    }
  }
  return moved;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(int argc, char **argv) {
  int lfd, served = 0, want, i, rc;
  size_t total = 0, n;
  uint64_t deadline;
  tlsrt_conn_config_t cfg;
  if (argc < 4) {
    fprintf(stderr, "usage: %s PORT IDENTITY PSK_HEX [CONNECTIONS]\n", argv[0]);
    return 2;
  }
  g_identity = argv[2];
  n = strlen(argv[3]);
  if (n == 0 || n % 2 || n / 2 > sizeof g_psk) return 2;
  for (i = 0; (size_t)i < n / 2; i++) {
    int hi = hexval(argv[3][2 * i]), lo = hexval(argv[3][2 * i + 1]);
    if (hi < 0 || lo < 0) return 2;
    g_psk[i] = (uint8_t)(hi << 4 | lo);
  }
  g_psk_len = n / 2;
  want = argc > 4 ? atoi(argv[4]) : 1;

  rc = tlsrt_start();
  if (rc != TLSRT_OK) {
    printf("RESULT ok=0 error=start(%d:%s)\n", rc, tlsrt_last_error());
    return 1;
  }
  lfd = tlsrt_net_listen((uint16_t)atoi(argv[1]));
  if (lfd < 0) {
    printf("RESULT ok=0 error=listen\n");
    return 1;
  }
  for (i = 0; i < TLSRT_SLOTS; i++) g_peers[i].conn = -1;
  printf("LISTENING\n");
  fflush(stdout);

  memset(&cfg, 0, sizeof cfg); /* no static PSK: the server asks through CLIENT_HELLO */
  cfg.on_event = on_event;
  deadline = tlsrt_port_now_ms() + TIMEOUT_MS;
  while (served < want && tlsrt_port_now_ms() < deadline) {
    int busy = 0;
    for (i = 0; i < TLSRT_SLOTS; i++) {
      peer_t *p = &g_peers[i];
      if (p->conn < 0) {
        if (tlsrt_net_accept(lfd, &p->sock) == 1) {
          tlsrt_io_t io;
          tlsrt_net_io(&p->sock, &io);
          memset(p->buf, 0, sizeof p->buf);
          p->have = p->off = p->echoed = p->identity_len = 0;
          p->hello_pending = p->done = 0;
          cfg.user = p;
          p->conn = tlsrt_open_server(&cfg, &io);
          if (p->conn < 0) tlsrt_net_close(&p->sock);
          busy = 1;
        }
        continue;
      }
      if (p->hello_pending) {
        answer_hello(p); /* a pass later than the callback: the asynchronous path */
        busy = 1;
      }
      busy |= echo(p);
      if (p->done && p->have == p->off) {
        tlsrt_shutdown(p->conn);
        tlsrt_poll();
        total += p->echoed;
        tlsrt_close(p->conn);
        tlsrt_net_close(&p->sock);
        p->conn = -1;
        served++;
      }
    }
    busy |= tlsrt_poll() > 0;
    if (!busy) usleep(200);
  }
  printf("RESULT ok=%d served=%d echoed=%zu failures=%d board=%s\n", served == want && g_failures == 0, served, total,
         g_failures, TLSRT_BOARD);
  return served == want && g_failures == 0 ? 0 : 1;
}
