// Protocol versions as node:tls works them out: minVersion/maxVersion
// (node's toV(), with tls.DEFAULT_MIN_VERSION/DEFAULT_MAX_VERSION), or the
// legacy secureProtocol method name (node's SecureContext::Init table), then
// secureOptions' SSL_OP_NO_TLSv1_2/3 and the cipher string (a string with no
// TLS 1.2 part raises the minimum to TLS 1.3, as node's configSecureContext).
// tlsrt speaks TLS 1.2 and TLS 1.3; a range holding neither fails each
// handshake with the error node:tls gives when its range holds no usable
// version (ERR_SSL_NO_PROTOCOLS_AVAILABLE), never silently.
import { nodeError } from './errors.ts';
import { tlsDefaults } from './defaults.ts';

export const TLS1 = 0x0301;
export const TLS1_1 = 0x0302;
export const TLS1_2 = 0x0303;
export const TLS1_3 = 0x0304;

const NAMES: Record<string, number> = { TLSv1: TLS1, 'TLSv1.1': TLS1_1, 'TLSv1.2': TLS1_2, 'TLSv1.3': TLS1_3 };
const SSL_OP_NO_TLSv1_2 = 0x08000000;
const SSL_OP_NO_TLSv1_3 = 0x20000000;

/** node's toV(): null/undefined mean the default; anything else must be a version name. */
function toV(which: 'minimum' | 'maximum', v: unknown, def: unknown): number {
  const x = v === undefined || v === null ? def : v;
  if (typeof x === 'string' && x in NAMES) return NAMES[x];
  throw nodeError('ERR_TLS_INVALID_PROTOCOL_VERSION', `${JSON.stringify(x) ?? String(x)} is not a valid ${which} TLS protocol version`, TypeError);
}

/** secureProtocol method names node:tls knows, with the range each sets (null: keep that bound) and the role it is for. */
const METHODS: Record<string, { min: number | null; max: number | null; role?: 'client' | 'server' }> = {};
for (const [base, min, max] of [
  ['SSLv23', null, TLS1_2], ['TLS', 0, TLS1_3], ['TLSv1', TLS1, TLS1], ['TLSv1_1', TLS1_1, TLS1_1], ['TLSv1_2', TLS1_2, TLS1_2],
] as const) {
  METHODS[`${base}_method`] = { min, max };
  METHODS[`${base}_server_method`] = { min, max, role: 'server' };
  METHODS[`${base}_client_method`] = { min, max, role: 'client' };
}

export interface VersionRange {
  /** Wire versions tlsrt will speak: 0x0303..0x0304, or null when the range holds neither. */
  min: number | null;
  max: number | null;
  /** What the range was, for the error when it holds nothing tlsrt speaks. */
  asked: string;
  /** secureProtocol made for the other role (OpenSSL: "called a function you should not call"). */
  methodRole?: 'client' | 'server';
}

/** The checks node:tls makes when it builds a context (they throw). */
export function resolveVersions(options: Record<string, unknown>, tls12Cleared: boolean): VersionRange {
  const { secureProtocol, minVersion, maxVersion } = options;
  if (secureProtocol) {
    for (const v of [minVersion, maxVersion]) {
      if (v !== undefined && v !== null) {
        throw nodeError('ERR_TLS_PROTOCOL_VERSION_CONFLICT', `TLS protocol version ${JSON.stringify(v)} conflicts with secureProtocol ${JSON.stringify(secureProtocol)}`, TypeError);
      }
    }
  }
  let min = toV('minimum', minVersion, tlsDefaults.minVersion);
  let max = toV('maximum', maxVersion, tlsDefaults.maxVersion);
  let methodRole: 'client' | 'server' | undefined;
  if (typeof secureProtocol === 'string') {
    if (/^SSLv[23]_(server_|client_)?method$/.test(secureProtocol)) {
      throw nodeError('ERR_TLS_INVALID_PROTOCOL_METHOD', `${secureProtocol.slice(0, 5)} methods disabled`, TypeError);
    }
    const m = METHODS[secureProtocol];
    if (!m) throw nodeError('ERR_TLS_INVALID_PROTOCOL_METHOD', `Unknown method: ${secureProtocol}`, TypeError);
    if (m.min !== null) min = m.min;
    if (m.max !== null) max = m.max;
    methodRole = m.role;
  }
  const asked = `${nameOf(min)}..${nameOf(max)}`;
  const secureOptions = typeof options.secureOptions === 'number' ? options.secureOptions : 0;
  // As node's configSecureContext: no TLS 1.2 part in `ciphers` means TLS 1.3 only.
  if (tls12Cleared && min < TLS1_3 && max > TLS1_2) min = TLS1_3;
  const speaks = [TLS1_2, TLS1_3].filter((v) =>
    v >= min && v <= max && !(v === TLS1_2 && secureOptions & SSL_OP_NO_TLSv1_2) && !(v === TLS1_3 && secureOptions & SSL_OP_NO_TLSv1_3));
  return { min: speaks.length ? speaks[0] : null, max: speaks.length ? speaks[speaks.length - 1] : null, asked, methodRole };
}

export function nameOf(v: number): string {
  return Object.keys(NAMES).find((k) => NAMES[k] === v) ?? (v === 0 ? 'TLSv1' : `0x${v.toString(16)}`);
}
