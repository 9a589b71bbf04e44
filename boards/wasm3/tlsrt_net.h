/*
 * A non-blocking TCP transport for tlsrt_io_t over BSD sockets: the POSIX
 * socket API on a PC, lwIP's socket API on ESP-IDF and on the Pico SDK
 * (build with TLSRT_NET_LWIP=1; on a Pico this needs lwIP with sockets,
 * i.e. NO_SYS=0 under FreeRTOS). Connecting and accepting may block; every
 * send/recv afterwards uses MSG_DONTWAIT.
 */
#ifndef TLSRT_NET_H
#define TLSRT_NET_H

#include <stdint.h>

#include "tlsrt_host.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrt_socket {
  int fd;
} tlsrt_socket_t;

/* Connects to host:port (a name or a literal address). 0 or -1. */
int tlsrt_net_connect(tlsrt_socket_t *s, const char *host, uint16_t port);

/* Listens on 0.0.0.0:port; returns the listening fd or -1. */
int tlsrt_net_listen(uint16_t port);

/* Accepts one pending connection without blocking: 1 accepted, 0 none, -1 error. */
int tlsrt_net_accept(int listen_fd, tlsrt_socket_t *s);

/* Fills `io` with the send/recv pair for this socket (ctx = s). */
void tlsrt_net_io(tlsrt_socket_t *s, tlsrt_io_t *io);

void tlsrt_net_close(tlsrt_socket_t *s);

#ifdef __cplusplus
}
#endif

#endif /* TLSRT_NET_H */
