/* Compile-only stub (pico-sdk src/common/pico_stdlib, pico_time, hardware_timer). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
uint32_t time_us_32(void);
uint64_t time_us_64(void);
void sleep_ms(uint32_t ms);
void busy_wait_us_32(uint32_t delay_us);
bool stdio_init_all(void);
