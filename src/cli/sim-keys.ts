// `tlsrt sim keys`: per-device pre-shared keys for a fleet and the broker it
// talks to, written in mosquitto's psk_file format (src/sim/psk-file.ts) —
// the same file goes into mosquitto.conf's psk_file and `tlsrt sim --psk-file`.
import { writeFileSync } from 'node:fs';
import { formatPskFile, generateKeys } from '../sim/psk-file.ts';
import { EXIT_OK, UsageError, intOption, parseOptions, withUsage } from './usage.ts';

export const SIM_KEYS_HELP = `usage: tlsrt sim keys --devices <N> --out <FILE> [--identity <pattern>] [--key-bytes <B>]

Writes a fresh pre-shared key for each of N devices to FILE in mosquitto's
psk_file format: one identity:hexkey line per device. The keys come from the
platform CSPRNG. Give the file to the broker (mosquitto.conf: psk_file FILE)
and to the fleet (tlsrt sim --psk-file FILE): device i uses line i.

options:
  --devices <N>          how many devices (1..100000); required
  --out <FILE>           where to write (created with mode 0600; '-' for stdout); required
  --identity <pattern>   the identities: "{n}" becomes the device number, 1-based and
                         zero-padded to 4 digits (device-{n} → device-0001, device-0002, ...,
                         device-9999, device-10000); default device-{n}
  --key-bytes <B>        bytes per key (16..64); default 32
  -h, --help             show this help

example:
  tlsrt sim keys --devices 50 --out fleet.psk --identity sensor-{n}
`;

export function simKeysCommand(argv: string[]): Promise<number> {
  return withUsage('sim keys', () => {
    const opts = parseOptions(argv, { devices: 'string', out: 'string', identity: 'string', 'key-bytes': 'string' });
    if (opts.help) {
      process.stdout.write(SIM_KEYS_HELP);
      return EXIT_OK;
    }
    const devices = intOption(opts, 'devices', 1, 100000);
    if (devices === undefined) throw new UsageError('--devices <N> is required');
    const out = opts.out as string | undefined;
    if (out === undefined || out === '') throw new UsageError('--out <FILE> is required');
    let text: string;
    try {
      text = formatPskFile(generateKeys(devices, (opts.identity as string | undefined) ?? 'device-{n}', intOption(opts, 'key-bytes', 16, 64, 32)));
    } catch (e) {
      throw new UsageError(`--identity: ${(e as Error).message}`);
    }
    if (out === '-') process.stdout.write(text);
    else {
      writeFileSync(out, text, { mode: 0o600 });
      process.stderr.write(`wrote ${devices} keys to ${out}\n`);
    }
    return EXIT_OK;
  });
}
