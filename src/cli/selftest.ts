// `tlsrt selftest [psk]`: the engine module's boot self-test on this machine's V8.
import { selftest } from '../index.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './usage.ts';

export function selftestCommand(argv: string[]): number {
  const profiles = argv.length ? argv : ['psk'];
  let ok = true;
  for (const p of profiles) {
    if (p !== 'psk') {
      console.error(`tlsrt selftest: unknown profile '${p}' (psk)`);
      return EXIT_USAGE;
    }
    const pass = selftest(p);
    console.log(`${p}: selftest ${pass ? 'passed' : 'FAILED'}`);
    ok &&= pass;
  }
  return ok ? EXIT_OK : EXIT_FAILURE;
}
