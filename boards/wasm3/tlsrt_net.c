/*
 * Non-blocking TCP transport over BSD sockets (POSIX) or lwIP sockets
 * (ESP-IDF, Pico SDK with TLSRT_NET_LWIP=1). See tlsrt_net.h.
 */
#if !defined(TLSRT_NET_LWIP) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* getaddrinfo under -std=c99 */
#endif

#include "tlsrt_net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(TLSRT_NET_LWIP) && TLSRT_NET_LWIP
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#define NET_SOCKET lwip_socket
#define NET_CONNECT lwip_connect
#define NET_BIND lwip_bind
#define NET_LISTEN lwip_listen
#define NET_ACCEPT lwip_accept
#define NET_SEND lwip_send
#define NET_RECV lwip_recv
#define NET_CLOSE lwip_close
#define NET_FCNTL lwip_fcntl
#define NET_SETSOCKOPT lwip_setsockopt
#define NET_GETADDRINFO lwip_getaddrinfo
#define NET_FREEADDRINFO lwip_freeaddrinfo
#else
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#define NET_SOCKET socket
#define NET_CONNECT connect
#define NET_BIND bind
#define NET_LISTEN listen
#define NET_ACCEPT accept
#define NET_SEND send
#define NET_RECV recv
#define NET_CLOSE close
#define NET_FCNTL fcntl
#define NET_SETSOCKOPT setsockopt
#define NET_GETADDRINFO getaddrinfo
#define NET_FREEADDRINFO freeaddrinfo
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static void no_delay(int fd) {
  int one = 1;
  /* Records are whole messages: send them at once (no Nagle delay). */
  (void)NET_SETSOCKOPT(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int tlsrt_net_connect(tlsrt_socket_t *s, const char *host, uint16_t port) {
  struct addrinfo hints, *res = NULL, *ai;
  char service[8];
  s->fd = -1;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  snprintf(service, sizeof service, "%u", (unsigned)port);
  if (NET_GETADDRINFO(host, service, &hints, &res) != 0 || !res) return -1;
  for (ai = res; ai; ai = ai->ai_next) {
    int fd = NET_SOCKET(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    if (NET_CONNECT(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      no_delay(fd);
      s->fd = fd;
      break;
    }
    NET_CLOSE(fd);
  }
  NET_FREEADDRINFO(res);
  return s->fd >= 0 ? 0 : -1;
}

int tlsrt_net_listen(uint16_t port) {
  struct sockaddr_in a;
  int one = 1;
  int fd = NET_SOCKET(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  (void)NET_SETSOCKOPT(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  if (NET_BIND(fd, (struct sockaddr *)&a, sizeof a) != 0 || NET_LISTEN(fd, 4) != 0 ||
      NET_FCNTL(fd, F_SETFL, O_NONBLOCK) != 0) {
    NET_CLOSE(fd);
    return -1;
  }
  return fd;
}

int tlsrt_net_accept(int listen_fd, tlsrt_socket_t *s) {
  int fd = NET_ACCEPT(listen_fd, NULL, NULL);
  s->fd = -1;
  if (fd < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
  NET_FCNTL(fd, F_SETFL, 0); /* back to blocking: send/recv pass MSG_DONTWAIT */
  no_delay(fd);
  s->fd = fd;
  return 1;
}

static int net_send(void *ctx, const uint8_t *buf, size_t len) {
  tlsrt_socket_t *s = (tlsrt_socket_t *)ctx;
  long n = (long)NET_SEND(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) return (int)n;
  return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : TLSRT_IO_ERROR;
}

static int net_recv(void *ctx, uint8_t *buf, size_t len) {
  tlsrt_socket_t *s = (tlsrt_socket_t *)ctx;
  long n = (long)NET_RECV(s->fd, buf, len, MSG_DONTWAIT);
  if (n > 0) return (int)n;
  if (n == 0) return TLSRT_IO_EOF;
  return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : TLSRT_IO_ERROR;
}

void tlsrt_net_io(tlsrt_socket_t *s, tlsrt_io_t *io) {
  io->ctx = s;
  io->send = net_send;
  io->recv = net_recv;
}

void tlsrt_net_close(tlsrt_socket_t *s) {
  if (s->fd >= 0) NET_CLOSE(s->fd);
  s->fd = -1;
}
