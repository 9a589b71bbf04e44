// `tlsrt bundle --board <name> --out DIR [--profile psk] [--runtime aot|wasm3]`: a board build's files.
import { bundle } from '../bundle/bundle.ts';
import { boardNames, RUNTIMES, type Runtime } from '../bundle/board.ts';
import { ramTable } from '../bundle/ram.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './usage.ts';

export function bundleCommand(argv: string[], help: string): number {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--board' || a === '--out' || a === '--profile' || a === '--runtime') && argv[i + 1] !== undefined) opts[a.slice(2)] = argv[++i];
    else {
      console.error(`tlsrt bundle: unexpected argument '${a}'\n\n${help}`);
      return EXIT_USAGE;
    }
  }
  if (!opts.board || !opts.out) {
    console.error(`tlsrt bundle: --board and --out are required (boards: ${boardNames().join(', ')})`);
    return EXIT_USAGE;
  }
  if (opts.profile !== undefined && opts.profile !== 'psk') {
    console.error(`tlsrt bundle: unknown profile '${opts.profile}' (psk)`);
    return EXIT_USAGE;
  }
  if (opts.runtime !== undefined && !RUNTIMES.includes(opts.runtime as Runtime)) {
    console.error(`tlsrt bundle: unknown runtime '${opts.runtime}' (${RUNTIMES.join(' or ')})`);
    return EXIT_USAGE;
  }
  try {
    const r = bundle({ board: opts.board, out: opts.out, profile: opts.profile as 'psk' | undefined, runtime: opts.runtime as Runtime | undefined });
    console.log(`${r.board.name}: wrote ${r.files.length} files to ${opts.out} (${r.runtime} runtime, ${r.module.file} ${r.module.wasmBytes} bytes)\n`);
    if (r.runtime === 'wasm3') console.log(ramTable(r.board, r.ram));
    else console.log(`linear memory: one static buffer of ${r.module.linearMemoryBytes} bytes; no heap. \`tlsrt board --board ${r.board.name} --json\` measures RAM, flash and instructions on an emulated board.`);
    return EXIT_OK;
  } catch (e) {
    console.error(`tlsrt bundle: ${(e as Error).message}`);
    return EXIT_FAILURE;
  }
}
