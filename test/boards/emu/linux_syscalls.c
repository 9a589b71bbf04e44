/*
 * TEST-ONLY: the few newlib system calls memory_loopback needs, done as
 * Linux system calls (`svc 0`, number in r7), so a Cortex-M0+ (ARMv6-M,
 * Thumb-1) build runs under qemu-arm's user-mode emulation. The heap is a
 * static array (the counting allocator measures what wasm3 takes from it).
 * Built with -nostartfiles: _start calls main and exits.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

int main(void);
void _start(void);
void _exit(int code);
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _lseek(int fd, int off, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _getpid(void);
int _kill(int pid, int sig);
void *_sbrk(ptrdiff_t incr);

static long linux_syscall3(long nr, long a, long b, long c) {
  register long r0 __asm__("r0") = a;
  register long r1 __asm__("r1") = b;
  register long r2 __asm__("r2") = c;
  register long r7 __asm__("r7") = nr;
  __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

void _exit(int code) {
  for (;;) linux_syscall3(1 /* exit */, code, 0, 0);
}

int _write(int fd, const char *buf, int len) {
  return (int)linux_syscall3(4 /* write */, fd, (long)buf, len);
}

int _read(int fd, char *buf, int len) {
  (void)fd;
  (void)buf;
  (void)len;
  return 0;
}

int _close(int fd) {
  (void)fd;
  return -1;
}

int _lseek(int fd, int off, int whence) {
  (void)fd;
  (void)off;
  (void)whence;
  return 0;
}

int _fstat(int fd, struct stat *st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int fd) {
  (void)fd;
  return 1;
}

int _getpid(void) {
  return 1;
}

int _kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  errno = EINVAL;
  return -1;
}

static uint8_t g_heap[1024 * 1024] __attribute__((aligned(8)));
static size_t g_brk;

void *_sbrk(ptrdiff_t incr) {
  void *p;
  if (incr < 0 || g_brk + (size_t)incr > sizeof g_heap) {
    errno = ENOMEM;
    return (void *)-1;
  }
  p = g_heap + g_brk;
  g_brk += (size_t)incr;
  return p;
}

void _start(void) {
  _exit(main());
}
