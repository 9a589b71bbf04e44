// Emulated boards: which CPU, toolchain and qemu machine stand in for each
// board profile (by its arch), and what each needs installed (Debian
// packages, listed in .ci/run). A board whose arch has no entry (esp32:
// Xtensa, no Debian toolchain or qemu machine) cannot be emulated here.
import { spawnSync } from 'node:child_process';
import type { Board } from '../bundle/board.ts';

export interface EmulatedTarget {
  /** What the emulator is, in one line (for reports). */
  machine: string;
  cc: string;
  size: string;
  nm: string;
  /** Compiler flags for the board's instruction set (and its C library's headers). */
  cpuFlags: string[];
  /** Link flags: the C library. */
  libFlags: string[];
  /** The platform file (boards/emulated/) and its linker-script template. */
  platform: string;
  linkerScript: string;
  /** Where RAM starts, given the board's flash size (the template's @RAM_ORIGIN@). */
  ramOrigin: (flashBytes: number) => number;
  qemu: string;
  qemuArgs: (elf: string, uartPort: number) => string[];
  /** Debian packages providing the above. */
  packages: string[];
}

const ICOUNT = ['-icount', 'shift=0,align=off,sleep=off'];

const TARGETS: Record<string, EmulatedTarget> = {
  'armv6-m': {
    machine: 'qemu-system-arm mps2-an385 running Cortex-M0+ (Thumb-1) code',
    cc: 'arm-none-eabi-gcc',
    size: 'arm-none-eabi-size',
    nm: 'arm-none-eabi-nm',
    cpuFlags: ['-mcpu=cortex-m0plus', '-mthumb'],
    libFlags: ['--specs=nano.specs'],
    platform: 'fw_mps2_an385.c',
    linkerScript: 'fw_mps2_an385.ld.in',
    ramOrigin: () => 0x20000000,
    qemu: 'qemu-system-arm',
    qemuArgs: (elf, port) => [
      '-M', 'mps2-an385', '-nographic', '-monitor', 'none', ...ICOUNT,
      '-semihosting-config', 'enable=on,target=native',
      '-chardev', `socket,id=uart,host=127.0.0.1,port=${port}`, '-serial', 'chardev:uart',
      '-kernel', elf,
    ],
    packages: ['qemu-system-arm', 'gcc-arm-none-eabi', 'libnewlib-arm-none-eabi'],
  },
  riscv32: {
    machine: 'qemu-system-riscv32 virt running RV32IMC code',
    cc: 'riscv64-unknown-elf-gcc',
    size: 'riscv64-unknown-elf-size',
    nm: 'riscv64-unknown-elf-nm',
    cpuFlags: ['-march=rv32imc', '-mabi=ilp32', '-mcmodel=medany', '--specs=picolibc.specs'],
    libFlags: [],
    platform: 'fw_riscv_virt.c',
    linkerScript: 'fw_riscv_virt.ld.in',
    ramOrigin: (flash) => 0x80000000 + flash, // flash and RAM are both in the virt machine's DRAM
    qemu: 'qemu-system-riscv32',
    qemuArgs: (elf, port) => [
      '-M', 'virt', '-cpu', 'rv32,c=on,m=on,a=off,f=off,d=off', '-bios', 'none', '-nographic', '-monitor', 'none', ...ICOUNT,
      '-chardev', `socket,id=uart,host=127.0.0.1,port=${port}`, '-serial', 'chardev:uart',
      '-kernel', elf,
    ],
    packages: ['qemu-system-misc', 'gcc-riscv64-unknown-elf', 'picolibc-riscv64-unknown-elf'],
  },
};

export function emulatedTarget(b: Board): EmulatedTarget {
  const t = TARGETS[b.arch];
  if (!t) throw new Error(`board ${b.name} (${b.arch}) cannot be emulated here: no Debian toolchain and qemu machine for ${b.cpu}`);
  return t;
}

/** Why this target cannot run on this machine, or undefined if it can. */
export function missingTools(t: EmulatedTarget): string | undefined {
  const missing = [t.cc, t.qemu, 'wasm2c'].filter((c) => {
    const r = spawnSync(c, ['--version'], { stdio: 'ignore' });
    return r.error !== undefined || r.status !== 0;
  });
  return missing.length ? `not installed: ${missing.join(', ')} (Debian packages ${t.packages.join(' ')} wabt)` : undefined;
}
