// What every `tlsrt` subcommand shares: a usage error (exit code 2) and the
// option parsing behind it. Options are parsed strictly — an unknown option,
// a missing value or a stray argument is a usage error that names it.
import { parseArgs } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line: the command prints it with a hint and exits 2. */
export class UsageError extends Error {}

export type OptionKinds = Record<string, 'string' | 'boolean'>;
export type ParsedOptions = Record<string, string | boolean | undefined>;

/**
 * `--name value`, `--name=value` and `--flag`; `-h`/`--help` is always known.
 * As in openssl, a known option may also be written with one dash
 * (`-groups P-256`).
 */
export function parseOptions(argv: string[], kinds: OptionKinds): ParsedOptions {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, type] of Object.entries(kinds)) options[name] = { type };
  const args = argv.map((a) => (/^-[a-z]/.test(a) && a.length > 2 && a.slice(1).split('=')[0] in kinds ? `-${a}` : a));
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as ParsedOptions;
  } catch (e) {
    // node:util's messages name the option ("Unknown option '--x'"); drop its advice about '--' and positionals.
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\. Use .*$/s, ''));
  }
}

/** Runs a command body, turning a UsageError into its message, the help hint and exit code 2. */
export async function withUsage(command: string, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tlsrt ${command}: ${e.message}\nRun 'tlsrt ${command} --help' for the options and examples.\n`);
    return EXIT_USAGE;
  }
}

/** An integer option within [min, max], or the default when absent. */
export function intOption(opts: ParsedOptions, name: string, min: number, max: number, dflt?: number): number | undefined {
  const v = opts[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not '${String(v)}'`);
  return n;
}
