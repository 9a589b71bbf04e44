/* Compile-only stub (pico-sdk src/rp2040/hardware_structs/include/hardware/structs/rosc.h). */
#pragma once
#include <stdint.h>
typedef struct {
  volatile uint32_t ctrl, freqa, freqb, dormant, div, phase, status, randombit, count;
} rosc_hw_t;
extern rosc_hw_t rosc_stub_hw;
#define rosc_hw (&rosc_stub_hw)
