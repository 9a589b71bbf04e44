/*
 * Emulated esp32-c3-class board: RV32IMC code on qemu-system-riscv32's virt
 * machine (machine mode, no firmware: -bios none). Code and constants sit at
 * the bottom of DRAM (0x80000000, the board's flash size), RAM above them,
 * limited by the linker script to the board's engine budget.
 *   UART: NS16550A at 0x10000000 (the bridge's serial port).
 *   Instructions: the minstret CSR, which qemu derives from its instruction
 *                 counter under -icount.
 *   Exit: the SiFive test device at 0x100000.
 */
#include <stdint.h>
#include <string.h>

#include "fw_platform.h"

#define UART ((volatile uint8_t *)0x10000000u)
#define UART_LSR 5
#define TEST_DEVICE (*(volatile uint32_t *)0x100000u)

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint8_t __tdata_load[], __tls_data_bytes[], __tls_bytes[];
int main(void);
void fw_reset(void);

/* The C library keeps errno in thread-local storage: one static block,
 * pointed to by tp. */
static uint8_t fw_tls[256] __attribute__((aligned(16)));

__asm__(
    ".section .text.start, \"ax\"\n"
    ".global _start\n"
    "_start:\n"
    "  la sp, __stack_top\n"
    "  la tp, fw_tls\n"
    "  call fw_reset\n"
    "1: j 1b\n"
    ".previous\n");

void fw_uart_put(uint8_t b) {
  while (!(UART[UART_LSR] & 0x20u)) {
  }
  UART[0] = b;
}

int fw_uart_get(void) {
  if (!(UART[UART_LSR] & 0x01u)) return -1;
  return UART[0];
}

uint32_t fw_insns(void) {
  uint32_t n;
  /* minstret is a CSR: Zicsr, which every RV32 core with machine mode has (the C3 included) */
  __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, minstret\n.option pop" : "=r"(n));
  return n;
}

void fw_count_loop(uint32_t n) {
  __asm__ volatile("1: addi %0, %0, -1\n bnez %0, 1b" : "+r"(n));
}

uintptr_t fw_stack_pointer(void) {
  uintptr_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  return sp;
}

void fw_halt(int code) {
  TEST_DEVICE = code == 0 ? 0x5555u : (((uint32_t)code << 16) | 0x3333u);
  for (;;) {
  }
}

void fw_reset(void) {
  uint32_t *s = __data_load, *d = __data_start;
  while (d < __data_end) *d++ = *s++;
  for (d = __bss_start; d < __bss_end; d++) *d = 0;
  if ((uintptr_t)__tls_bytes > sizeof fw_tls) fw_halt(3);
  memcpy(fw_tls, __tdata_load, (size_t)(uintptr_t)__tls_data_bytes);
  fw_halt(main());
}
