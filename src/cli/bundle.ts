// `tlsrt bundle --board <name> --out DIR [--profile psk|full]`: a board build's files.
import { bundle } from '../bundle/bundle.ts';
import { boardNames } from '../bundle/board.ts';
import { ramTable } from '../bundle/ram.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './usage.ts';

export function bundleCommand(argv: string[], help: string): number {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--board' || a === '--out' || a === '--profile') && argv[i + 1] !== undefined) opts[a.slice(2)] = argv[++i];
    else {
      console.error(`tlsrt bundle: unexpected argument '${a}'\n\n${help}`);
      return EXIT_USAGE;
    }
  }
  if (!opts.board || !opts.out) {
    console.error(`tlsrt bundle: --board and --out are required (boards: ${boardNames().join(', ')})`);
    return EXIT_USAGE;
  }
  if (opts.profile !== undefined && opts.profile !== 'psk' && opts.profile !== 'full') {
    console.error(`tlsrt bundle: unknown profile '${opts.profile}' (psk or full)`);
    return EXIT_USAGE;
  }
  try {
    const r = bundle({ board: opts.board, out: opts.out, profile: opts.profile as 'psk' | 'full' | undefined });
    console.log(`${r.board.name}: wrote ${r.files.length} files to ${opts.out} (${r.module.file} ${r.module.wasmBytes} bytes)\n`);
    console.log(ramTable(r.board, r.ram));
    return EXIT_OK;
  } catch (e) {
    console.error(`tlsrt bundle: ${(e as Error).message}`);
    return EXIT_FAILURE;
  }
}
