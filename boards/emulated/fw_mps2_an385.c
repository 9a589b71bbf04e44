/*
 * Emulated rp2040-class board: Cortex-M0+ code (Thumb-1, built with
 * -mcpu=cortex-m0plus) on qemu-system-arm's mps2-an385 machine, whose
 * Cortex-M3 executes the ARMv6-M subset unchanged. Code and constants live
 * at 0x00000000 (the board's flash), RAM at 0x20000000, limited by the
 * linker script to the board's engine budget.
 *   UART0: CMSDK APB UART at 0x40004000 (the bridge's serial port).
 *   TIMER0: CMSDK APB timer at 0x40000000, counting down at the 25 MHz
 *           APB clock: 40 ns per tick, i.e. 40 instructions under -icount shift=0.
 *   Exit: semihosting SYS_EXIT (qemu -semihosting-config enable=on).
 */
#include <stdint.h>
#include <string.h>

#include "fw_platform.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define UART_DATA REG(0x40004000u)
#define UART_STATE REG(0x40004004u)
#define UART_CTRL REG(0x40004008u)
#define UART_BAUDDIV REG(0x40004010u)
#define TIMER_CTRL REG(0x40000000u)
#define TIMER_VALUE REG(0x40000004u)
#define TIMER_RELOAD REG(0x40000008u)
#define FW_INSNS_PER_TICK 40u

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
int main(void);

void fw_uart_put(uint8_t b) {
  while (UART_STATE & 1u) {
  }
  UART_DATA = b;
}

int fw_uart_get(void) {
  if (!(UART_STATE & 2u)) return -1;
  return (int)(UART_DATA & 0xffu);
}

uint32_t fw_insns(void) {
  return (0xffffffffu - TIMER_VALUE) * FW_INSNS_PER_TICK;
}

void fw_count_loop(uint32_t n) {
  __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n bne 1b" : "+l"(n) : : "cc");
}

uintptr_t fw_stack_pointer(void) {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

void fw_halt(int code) {
  /* semihosting SYS_EXIT_EXTENDED-free form: ADP_Stopped_ApplicationExit (0x20026) */
  register uint32_t r0 __asm__("r0") = 0x18u;
  register uint32_t r1 __asm__("r1") = code == 0 ? 0x20026u : 0x20024u; /* ApplicationExit / RunTimeErrorUnknown */
  __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
  for (;;) {
  }
}

/* A fault: report where (the stacked PC and LR) and stop. */
void fw_fault_report(const uint32_t *frame);
void fw_fault_report(const uint32_t *frame) {
  static const char hex[] = "0123456789abcdef";
  char msg[40] = "fault pc=00000000 lr=00000000";
  int i;
  for (i = 0; i < 8; i++) {
    msg[9 + i] = hex[(frame[6] >> (28 - 4 * i)) & 15u];
    msg[21 + i] = hex[(frame[5] >> (28 - 4 * i)) & 15u];
  }
  fw_uart_put('E');
  fw_uart_put(29);
  fw_uart_put(0);
  for (i = 0; i < 29; i++) fw_uart_put((uint8_t)msg[i]);
  fw_halt(1);
}

__attribute__((naked)) static void fw_fault(void) {
  __asm__ volatile("mrs r0, msp\n b fw_fault_report");
}

void fw_reset(void) {
  uint32_t *s = __data_load, *d = __data_start;
  while (d < __data_end) *d++ = *s++;
  for (d = __bss_start; d < __bss_end; d++) *d = 0;
  UART_BAUDDIV = 16u;
  UART_CTRL = 3u; /* TX and RX enabled */
  TIMER_CTRL = 0u;
  TIMER_RELOAD = 0xffffffffu;
  TIMER_VALUE = 0xffffffffu;
  TIMER_CTRL = 1u;
  fw_halt(main());
}

__attribute__((section(".vectors"), used)) static void (*const fw_vectors[16])(void) = {
  (void (*)(void))(uintptr_t)__stack_top, fw_reset, fw_fault, fw_fault, fw_fault, fw_fault, fw_fault,
};
