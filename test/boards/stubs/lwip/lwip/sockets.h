/* Compile-only stub of lwIP's socket API (src/include/lwip/sockets.h): the
 * lwip_* calls tlsrt_net.c makes, which lwIP declares with the BSD signatures,
 * mapped onto the build machine's BSD declarations. */
#pragma once
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#define lwip_socket socket
#define lwip_connect connect
#define lwip_bind bind
#define lwip_listen listen
#define lwip_accept accept
#define lwip_send send
#define lwip_recv recv
#define lwip_close close
#define lwip_fcntl fcntl
#define lwip_setsockopt setsockopt
