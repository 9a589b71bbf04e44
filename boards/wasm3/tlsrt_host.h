/*
 * tlsrt device host: the C API firmware uses to run TLS 1.3 (external PSK)
 * connections on the tlsrt engine (a WebAssembly module) under wasm3.
 *
 * Model: one engine instance per firmware, a fixed pool of connection slots
 * (the board profile's geometry, tlsrt_board.h), everything non-blocking.
 * The firmware calls tlsrt_poll() from its main loop or a task; poll moves
 * bytes between each connection's transport and the engine, and reports
 * events through the connection's callback. Reads and writes never block:
 * they return how much they did (possibly 0) and the firmware tries again
 * after the next poll. See README.md for why this shape.
 *
 * Threading: the API is not reentrant. Call it from one task (or guard it
 * with one mutex). Callbacks run inside tlsrt_poll() and may call the API
 * (tlsrt_hello_reply, tlsrt_write, tlsrt_close, ...).
 *
 * Memory: tlsrt_start() lets wasm3 allocate its runtime, the module's linear
 * memory and (lazily, while the first handshake runs) compiled code. The
 * host itself allocates nothing: its tables are static and sized by
 * TLSRT_SLOTS.
 */
#ifndef TLSRT_HOST_H
#define TLSRT_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "tlsrt_abi.h" /* the engine ABI constants, generated from abi/engine-abi.json */
#include "tlsrt_tables.h" /* cipher suite and group ids (TLSRT_CS_*, TLSRT_NAMED_GROUP_*), generated from abi/tables.json */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- results (negative numbers are errors) ---- */
#define TLSRT_OK 0
#define TLSRT_E_WASM (-100)      /* wasm3 refused the module or trapped; see tlsrt_last_error() */
#define TLSRT_E_SELFTEST (-101)  /* the boot self-test failed: do not serve TLS */
#define TLSRT_E_STATE (-102)     /* not started, already started, or wrong connection state */
#define TLSRT_E_ARG (-103)       /* a NULL, a length out of range, a bad connection id */
#define TLSRT_E_FULL (-104)      /* every connection slot is in use */
#define TLSRT_E_CONFIG (-105)    /* the engine rejected the connection config */
#define TLSRT_E_CLOSED (-106)    /* the connection is closed or has failed */

/* ---- connection states (tlsrt_state) ---- */
#define TLSRT_ST_FREE TLSRT_ABI_ST_FREE
#define TLSRT_ST_HANDSHAKE TLSRT_ABI_ST_HANDSHAKE
#define TLSRT_ST_OPEN TLSRT_ABI_ST_OPEN
#define TLSRT_ST_CLOSED TLSRT_ABI_ST_CLOSED
#define TLSRT_ST_FAILED TLSRT_ABI_ST_FAILED

/* ---- transport ----
 * A connection's byte pipe (a TCP socket, a UART, a test harness). Both
 * functions must not block: return the number of bytes moved, 0 when the
 * operation would block, TLSRT_IO_EOF (recv only) when the peer closed its
 * sending side, or TLSRT_IO_ERROR when the pipe is broken. recv writes
 * straight into the engine's record buffer (no intermediate copy).
 */
#define TLSRT_IO_EOF (-1)
#define TLSRT_IO_ERROR (-2)
typedef struct tlsrt_io {
  void *ctx;
  int (*send)(void *ctx, const uint8_t *buf, size_t len);
  int (*recv)(void *ctx, uint8_t *buf, size_t len);
} tlsrt_io_t;

/* ---- events (delivered from tlsrt_poll through the connection's callback) ---- */
typedef enum tlsrt_event_kind {
  TLSRT_EV_HANDSHAKE_DONE = TLSRT_ABI_EV_HANDSHAKE_DONE, /* the connection is open: tlsrt_write/tlsrt_read work */
  TLSRT_EV_CLIENT_HELLO = TLSRT_ABI_EV_CLIENT_HELLO,   /* server: the client asks for PSK `identity`; answer with tlsrt_hello_reply (now or later) */
  TLSRT_EV_KEYLOG = TLSRT_ABI_EV_KEYLOG,         /* NSS key-log material (only if keylog was requested): label id in arg, data = client_random(32) || secret */
  TLSRT_EV_ERROR = TLSRT_ABI_EV_ERROR,          /* the connection failed: arg = reason << 8 | alert */
  TLSRT_EV_PEER_CLOSED = TLSRT_ABI_EV_PEER_CLOSED,    /* close_notify (or EOF) from the peer: no more data will come */
  TLSRT_EV_KEY_UPDATE = TLSRT_ABI_EV_KEY_UPDATE,     /* a KeyUpdate happened: arg 0 ours, 1 the peer's */
  TLSRT_EV_CLOSED = 100        /* host-side: the transport ended; tlsrt_close() the connection */
} tlsrt_event_kind_t;

typedef struct tlsrt_event {
  tlsrt_event_kind_t kind;
  uint32_t arg;
  /* TLSRT_EV_CLIENT_HELLO: the identity, the server name (may be empty) and
   * the client's ALPN list in wire format (may be empty). Other events:
   * `data` holds the engine's raw event bytes. Pointers are valid only
   * during the callback (they point into the engine's linear memory). */
  const uint8_t *identity;
  size_t identity_len;
  const uint8_t *server_name;
  size_t server_name_len;
  const uint8_t *alpn_list;
  size_t alpn_list_len;
  const uint8_t *data;
  size_t data_len;
} tlsrt_event_t;

typedef void (*tlsrt_event_cb)(int conn, const tlsrt_event_t *ev, void *user);

/* ---- connection options ----
 * Client: identity and key are required. Server: identity/key may be NULL;
 * the server then asks the firmware through TLSRT_EV_CLIENT_HELLO.
 * Zero/NULL fields take the engine's defaults. */
#define TLSRT_KX_PSK_KE TLSRT_ABI_KX_PSK_KE     /* PSK only: fastest on a board, no forward secrecy */
#define TLSRT_KX_PSK_DHE_KE TLSRT_ABI_KX_PSK_DHE_KE /* PSK + X25519 (default, as OpenSSL) */
typedef struct tlsrt_conn_config {
  const uint8_t *psk_identity;
  size_t psk_identity_len;
  const uint8_t *psk;
  size_t psk_len;
  uint8_t kx_modes;            /* TLSRT_KX_* bits; 0 = engine default (psk_dhe_ke) */
  uint8_t psk_sha384;          /* 1: the PSK is bound to SHA-384 (default SHA-256) */
  const uint16_t *suites;      /* cipher suite ids in preference order, e.g. 0x1303; NULL = the board's (TLSRT_DEFAULT_SUITES) */
  size_t suites_count;
  const char *server_name;     /* client: SNI */
  const uint8_t *alpn_wire;    /* ALPN list in wire format (u16 length, then length-prefixed names) */
  size_t alpn_wire_len;
  uint16_t max_fragment_length; /* 0 = the board default (TLSRT_MFL_REQUEST); 512/1024/2048/4096; 0xffff = none */
  uint16_t record_size_limit;   /* 0 = none; 64..16385 */
  uint8_t keylog;               /* 1: emit TLSRT_EV_KEYLOG (debugging only) */
  tlsrt_event_cb on_event;      /* may be NULL */
  void *user;
} tlsrt_conn_config_t;

/* ---- life cycle ---- */

/* Runs the boot self-test in a throwaway wasm3 runtime, then loads the engine
 * for serving and carves the slot pool. Returns TLSRT_OK or a TLSRT_E_*. */
int tlsrt_start(void);

/* Frees the wasm3 runtime (every connection is wiped and dropped). */
void tlsrt_stop(void);

/* Only the boot self-test (tlsrt_start runs it too). 1 pass, 0 fail, <0 error. */
int tlsrt_selftest(void);

/* Diagnostic: compiles every function of the serving module now instead of
 * on first call (m3_CompileModule). Costs ~3.5x the module size in RAM, so
 * it is for checking a wasm3 configuration on a PC (every function must
 * compile at the board's d_m3MaxFunctionStackHeight), not for a board. */
int tlsrt_compile_all(void);

/* Human-readable reason for the last TLSRT_E_WASM. */
const char *tlsrt_last_error(void);

/* ---- connections ---- */

/* Opens a client connection over `io` (the transport must already be
 * connected); returns the connection id (>= 0) or TLSRT_E_*. The handshake
 * starts at once; progress happens in tlsrt_poll(). */
int tlsrt_open_client(const tlsrt_conn_config_t *cfg, const tlsrt_io_t *io);

/* Opens a server connection over an accepted transport. */
int tlsrt_open_server(const tlsrt_conn_config_t *cfg, const tlsrt_io_t *io);

/* Server: answers TLSRT_EV_CLIENT_HELLO. `psk` NULL (or psk_len 0) means
 * "unknown identity" (the engine aborts with unknown_psk_identity); `alpn` is
 * the chosen protocol or NULL. May be called from the callback or any time
 * later (an asynchronous lookup); other connections carry on meanwhile. */
int tlsrt_hello_reply(int conn, const uint8_t *psk, size_t psk_len, const char *alpn);

/* Server: aborts the handshake with `alert` (e.g. 115 unknown_psk_identity). */
int tlsrt_hello_abort(int conn, uint8_t alert);

/* Drives every connection once: network bytes in and out, events out.
 * Returns the number of connections that made progress (0: idle, sleep a
 * little or wait on the sockets). */
int tlsrt_poll(void);

/* Seals up to `len` bytes of plaintext (one record's worth at most) and
 * returns how many were taken: 0 while the previous record is still being
 * sent (poll, then retry), TLSRT_E_CLOSED when the connection cannot send. */
int tlsrt_write(int conn, const void *buf, size_t len);

/* Copies up to `len` bytes of received plaintext; 0 when none is waiting,
 * TLSRT_E_CLOSED when none will come any more (peer closed or failed). */
int tlsrt_read(int conn, void *buf, size_t len);

/* Sends close_notify after pending output; the connection stays readable. */
int tlsrt_shutdown(int conn);

/* Frees the slot at once, wiping every key and buffer it held. */
int tlsrt_close(int conn);

/* TLSRT_ST_* of the connection. */
int tlsrt_state(int conn);

/* Bytes of sealed output still waiting for the transport. */
int tlsrt_pending_output(int conn);

/* Engine info(slot, what) (see assembly/engine.ts I_*): suite, key
 * exchange, failure reason/alert, record limits, ... */
int tlsrt_info(int conn, int what);
#define TLSRT_INFO_SUITE TLSRT_ABI_I_SUITE
#define TLSRT_INFO_KX TLSRT_ABI_I_KX /* TLSRT_KX_* */
#define TLSRT_INFO_FAIL_REASON TLSRT_ABI_I_FAIL_REASON
#define TLSRT_INFO_FAIL_ALERT TLSRT_ABI_I_FAIL_ALERT
#define TLSRT_INFO_PEER_LIMIT TLSRT_ABI_I_PEER_LIMIT
#define TLSRT_INFO_MFL TLSRT_ABI_I_MFL

/* ---- memory figures (for a RAM budget) ---- */
typedef struct tlsrt_mem_stats {
  uint32_t linear_memory_bytes; /* what wasm3 allocated for the module's memory */
  uint32_t code_pages;          /* compiled-code pages wasm3 holds */
  uint32_t code_page_bytes;     /* their size: d_m3CodePageAlignSize each (or larger) */
  uint32_t code_used_bytes;     /* of which holds compiled code (the rest is page tail slack) */
  uint32_t functions_compiled;  /* wasm functions compiled so far (wasm3 compiles on first call) */
  uint32_t functions_total;
  uint32_t wasm_bytes_compiled; /* their wasm body bytes: code_used_bytes / this = wasm3's expansion */
  uint32_t value_stack_bytes;
  uint32_t heap_base;           /* static data end in linear memory */
  uint32_t arena_bytes;         /* the slot pool */
} tlsrt_mem_stats_t;
void tlsrt_mem_stats(tlsrt_mem_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TLSRT_HOST_H */
