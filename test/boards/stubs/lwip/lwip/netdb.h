/* Compile-only stub (lwIP src/include/lwip/netdb.h). */
#pragma once
#include <netdb.h>
#define lwip_getaddrinfo getaddrinfo
#define lwip_freeaddrinfo freeaddrinfo
