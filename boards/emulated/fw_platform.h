/*
 * What an emulated board gives the firmware harness (fw_main.c): one UART,
 * an instruction counter, and the stack region from its linker script.
 * One fw_<machine>.c implements it per emulator machine.
 */
#ifndef FW_PLATFORM_H
#define FW_PLATFORM_H

#include <stdint.h>

/* Blocking transmit of one byte. */
void fw_uart_put(uint8_t b);
/* A received byte (0..255), or -1 if none is waiting. Never blocks. */
int fw_uart_get(void);

/* Instructions executed so far (wraps; differences are what count). Under
 * qemu -icount shift=0 virtual time advances 1 ns per instruction, so the
 * machine's timer, read as nanoseconds, counts instructions; the harness
 * checks that on a loop of known length (fw_count_loop). */
uint32_t fw_insns(void);

/* A loop of exactly `n` iterations of two instructions each (assembly). */
void fw_count_loop(uint32_t n);

/* The current stack pointer. */
uintptr_t fw_stack_pointer(void);

/* Ends the emulation (or spins if the machine cannot). */
void fw_halt(int code);

/* The stack region (linker script): [fw_stack_bottom, fw_stack_top). */
extern uint32_t __stack_bottom[], __stack_top[];

#endif /* FW_PLATFORM_H */
