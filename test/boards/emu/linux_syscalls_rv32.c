/*
 * TEST-ONLY: the little runtime a bare-metal RV32 (RV32IMC, ilp32) build
 * linked against picolibc needs to run under qemu-riscv32's user-mode
 * emulation: Linux system calls (`ecall`, number in a7, arguments in a0..a2),
 * stdout as a picolibc stream that writes through write(2), sbrk over a
 * static heap, and a _start that sets up gp/tp, calls main and exits.
 * Built with -nostartfiles -nostdlib and the default (Linux-style) linker
 * script, so qemu loads it like any static executable. The riscv counterpart
 * of linux_syscalls.c (Thumb-1, `svc 0`); used by tools/wasm3-calibrate.mjs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(void);
void _exit(int code);
void *sbrk(ptrdiff_t incr);

enum { NR_WRITE = 64, NR_EXIT_GROUP = 94 }; /* the asm-generic numbers riscv uses */

static long linux_syscall3(long nr, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = nr;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

void _exit(int code) {
  for (;;) linux_syscall3(NR_EXIT_GROUP, code, 0, 0);
}

/* abort() -> raise() -> kill(getpid()): just exit. */
int getpid(void);
int kill(int pid, int sig);
int getpid(void) {
  return 1;
}
int kill(int pid, int sig) {
  (void)pid;
  _exit(128 + sig);
}

/* picolibc's tinystdio: stdout/stderr are user-supplied streams. */
static int put_char(char c, FILE *f) {
  (void)f;
  linux_syscall3(NR_WRITE, 1, (long)&c, 1);
  return (unsigned char)c;
}
static FILE g_out = FDEV_SETUP_STREAM(put_char, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &g_out;
FILE *const stderr = &g_out;
FILE *const stdin = &g_out;

/* malloc's heap: a static array (errno is thread-local in picolibc; not touched here). */
static uint8_t g_heap[1024 * 1024] __attribute__((aligned(16)));
static size_t g_brk;

void *sbrk(ptrdiff_t incr) {
  void *p;
  if (incr < 0 || g_brk + (size_t)incr > sizeof g_heap) return (void *)-1;
  p = g_heap + g_brk;
  g_brk += (size_t)incr;
  return p;
}

/* Thread pointer target: picolibc keeps errno in TLS (local-exec, tp-relative);
 * its initial values are all zero, so a zeroed block stands in for the TLS image. */
static uint8_t g_tls[4096] __attribute__((aligned(16), used));

void _start_c(void) {
  _exit(main());
}

__asm__(
    ".section .text._start,\"ax\",@progbits\n"
    ".globl _start\n"
    "_start:\n"
    ".option push\n"
    ".option norelax\n"
    "  la gp, __global_pointer$\n"
    ".option pop\n"
    "  la tp, g_tls\n"
    "  andi sp, sp, -16\n"
    "  call _start_c\n"
    "1: j 1b\n");
