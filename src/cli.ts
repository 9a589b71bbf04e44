#!/usr/bin/env node
// The `tlsrt` command line. Subcommands grow with the project; each one
// prints what it did and exits non-zero when something failed.
import { selftest } from './index.ts';
import { bundle } from './bundle/bundle.ts';
import { boardNames } from './bundle/board.ts';
import { ramTable } from './bundle/ram.ts';

const HELP = `tlsrt — an embedded TLS 1.3 runtime (WASM engine for microcontrollers)

usage: tlsrt <command>

commands:
  selftest [psk|full]   run the engine module's boot self-test (known-answer
                        tests of every primitive) on this machine's V8
  bundle --board <name> --out DIR [--profile psk|full]
                        prepare a board build: the engine as a C array and a
                        raw .wasm, a board header (pool geometry, memory
                        limits, import signatures, wasm3 settings), the C
                        device host and the build glue for the board's SDK
                        (ESP-IDF component or Pico SDK CMake) plus a POSIX
                        Makefile; prints the board's RAM arithmetic
  help                  show this text

exit codes: 0 success, 1 a self-test or bundle failed, 2 usage error`;

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'selftest': {
      const profiles = rest.length ? rest : ['psk', 'full'];
      let ok = true;
      for (const p of profiles) {
        if (p !== 'psk' && p !== 'full') {
          console.error(`tlsrt selftest: unknown profile '${p}' (psk or full)`);
          return 2;
        }
        const pass = selftest(p);
        console.log(`${p}: selftest ${pass ? 'passed' : 'FAILED'}`);
        ok &&= pass;
      }
      return ok ? 0 : 1;
    }
    case 'bundle': {
      const opts: Record<string, string> = {};
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if ((a === '--board' || a === '--out' || a === '--profile') && rest[i + 1] !== undefined) opts[a.slice(2)] = rest[++i];
        else {
          console.error(`tlsrt bundle: unexpected argument '${a}'\n\n${HELP}`);
          return 2;
        }
      }
      if (!opts.board || !opts.out) {
        console.error(`tlsrt bundle: --board and --out are required (boards: ${boardNames().join(', ')})`);
        return 2;
      }
      if (opts.profile !== undefined && opts.profile !== 'psk' && opts.profile !== 'full') {
        console.error(`tlsrt bundle: unknown profile '${opts.profile}' (psk or full)`);
        return 2;
      }
      try {
        const r = bundle({ board: opts.board, out: opts.out, profile: opts.profile as 'psk' | 'full' | undefined });
        console.log(`${r.board.name}: wrote ${r.files.length} files to ${opts.out} (${r.module.profile}.wasm ${r.module.wasmBytes} bytes)\n`);
        console.log(ramTable(r.board, r.ram));
        return 0;
      } catch (e) {
        console.error(`tlsrt bundle: ${(e as Error).message}`);
        return 1;
      }
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return cmd === undefined ? 2 : 0;
    default:
      console.error(`tlsrt: unknown command '${cmd}'\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
