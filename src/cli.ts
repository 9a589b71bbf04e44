#!/usr/bin/env node
// The `tlsrt` command line. Subcommands grow with the project; each one
// prints what it did and exits non-zero when something failed.
import { selftest } from './index.ts';

const HELP = `tlsrt — an embedded TLS 1.3 runtime (WASM engine for microcontrollers)

usage: tlsrt <command>

commands:
  selftest [psk|full]   run the engine module's boot self-test (known-answer
                        tests of every primitive) on this machine's V8
  help                  show this text

exit codes: 0 success, 1 a self-test failed, 2 usage error`;

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
