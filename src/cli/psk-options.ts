// The options `tlsrt client` and `tlsrt server` share, turned into tlsrt
// (node:tls) options: the PSK and its identity, suites, key-exchange modes,
// ALPN, record sizes, key log and trace. Every value is checked here so a
// mistake is a usage error (exit 2) before any connection is made.
import { createSecureContext } from '../index.ts';
import { intOption, UsageError, type OptionKinds, type ParsedOptions } from './usage.ts';

/** s_client/s_server's default identity, so `tlsrt` and `openssl` agree without -psk_identity. */
export const DEFAULT_IDENTITY = 'Client_identity';
export const DEFAULT_PORT = 4433;
export const DEFAULT_HOST = '127.0.0.1';

export const SHARED_OPTIONS: OptionKinds = {
  host: 'string',
  port: 'string',
  'psk-identity': 'string',
  psk: 'string',
  ciphers: 'string',
  'psk-ke': 'boolean',
  groups: 'string',
  alpn: 'string',
  'max-send-fragment': 'string',
  keylog: 'string',
  trace: 'boolean',
};

/** The help lines of SHARED_OPTIONS whose wording is the same for both commands. */
export const SHARED_HELP = `  --psk <hex>              the pre-shared key in hex (required), e.g. 32 random
                           bytes: openssl rand -hex 32
  --psk-identity <name>    the PSK identity (default: ${DEFAULT_IDENTITY}, as openssl)
  --ciphers <list>         TLS 1.3 suites to offer/accept, colon-separated, in
                           preference order (default: TLS_CHACHA20_POLY1305_SHA256:
                           TLS_AES_128_GCM_SHA256). Also: TLS_AES_128_CCM_SHA256,
                           TLS_AES_128_CCM_8_SHA256. The key is used with SHA-256
                           (as openssl -psk), so TLS_AES_256_GCM_SHA384 cannot be used
  --groups <list>          (EC)DHE groups for psk_dhe_ke, colon-separated, in
                           preference order, as openssl -groups: X25519, P-256
                           (default: X25519:P-256; the client sends a key share
                           for the first, the server asks for its first with a
                           HelloRetryRequest when the client has not sent it)
  --alpn <list>            ALPN protocols, comma-separated, e.g. h2,http/1.1
  --max-send-fragment <n>  largest plaintext per record this side sends (512..16384)
  --keylog <file>          append the session secrets to <file> in NSS key log format
                           (SSLKEYLOGFILE) so Wireshark/tshark can decrypt a capture
  --trace                  print every record and handshake message to stderr`;

export interface PskSettings {
  identity: string;
  psk: Buffer;
  /** node:tls options for tls.connect / tls.createServer (pskCallback not included). */
  tlsOptions: Record<string, unknown>;
  keylog?: string;
}

function hexKey(v: string | boolean | undefined): Buffer {
  if (typeof v !== 'string' || v === '') throw new UsageError('--psk <hex> is required (tlsrt authenticates with a pre-shared key)');
  const hex = v.replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`--psk must be an even number of hex digits, not '${v}'`);
  return Buffer.from(hex, 'hex');
}

/** Checks the shared options and returns the PSK and the tlsrt options they mean. */
export function pskSettings(opts: ParsedOptions, pskKeModes: string[]): PskSettings {
  const psk = hexKey(opts.psk);
  const identity = (opts['psk-identity'] as string | undefined) ?? DEFAULT_IDENTITY;
  if (identity === '' || Buffer.byteLength(identity) > 255) throw new UsageError('--psk-identity must be 1 to 255 bytes');
  const tlsOptions: Record<string, unknown> = {};
  if (opts.ciphers !== undefined) tlsOptions.ciphers = opts.ciphers;
  if (opts.groups !== undefined) tlsOptions.ecdhCurve = opts.groups; // node:tls's name for the groups list
  if (opts.alpn !== undefined) {
    const list = (opts.alpn as string).split(',').map((s) => s.trim());
    if (list.some((p) => p === '' || Buffer.byteLength(p) > 255)) throw new UsageError(`--alpn must be a comma-separated list of protocol names, not '${opts.alpn}'`);
    tlsOptions.ALPNProtocols = list;
  }
  tlsOptions.pskKeyExchangeModes = opts['psk-ke'] ? pskKeModes : ['psk_dhe_ke'];
  const msf = intOption(opts, 'max-send-fragment', 512, 16384);
  if (msf !== undefined) tlsOptions.maxSendFragment = msf;
  if (opts.trace) tlsOptions.enableTrace = true;
  if (opts.keylog === '') throw new UsageError('--keylog needs a file name');
  return { identity, psk, tlsOptions, keylog: opts.keylog as string | undefined };
}

/** Lets tlsrt judge the options as it will at connect time (unknown cipher names ...), as a usage error. */
export function checkWithTlsrt(tlsOptions: Record<string, unknown>): void {
  try {
    createSecureContext(tlsOptions);
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new UsageError(`${err.message}${err.code ? ` (${err.code})` : ''}`);
  }
  // tlsrt's pskCallback keys are SHA-256 keys (as node:tls and openssl -psk): a list of only
  // SHA-384 suites leaves nothing to negotiate, which tlsrt would report only at connect time.
  const named = String(tlsOptions.ciphers ?? '').split(/[:, ]+/).filter((c) => c.startsWith('TLS_'));
  if (named.length && named.every((c) => c.endsWith('_SHA384'))) {
    throw new UsageError(`--ciphers ${tlsOptions.ciphers}: a PSK is used with SHA-256, so it needs a SHA-256 suite (e.g. TLS_AES_128_GCM_SHA256)`);
  }
}

export function portOption(opts: ParsedOptions, min: number): number {
  return intOption(opts, 'port', min, 65535, DEFAULT_PORT)!;
}
