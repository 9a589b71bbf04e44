// `tlsrt selftest [psk|full]`: the engine module's boot self-test on this machine's V8.
import { selftest } from '../index.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './usage.ts';

export function selftestCommand(argv: string[]): number {
  const profiles = argv.length ? argv : ['psk', 'full'];
  let ok = true;
  for (const p of profiles) {
    if (p !== 'psk' && p !== 'full') {
      console.error(`tlsrt selftest: unknown profile '${p}' (psk or full)`);
      return EXIT_USAGE;
    }
    const pass = selftest(p);
    console.log(`${p}: selftest ${pass ? 'passed' : 'FAILED'}`);
    ok &&= pass;
  }
  return ok ? EXIT_OK : EXIT_FAILURE;
}
