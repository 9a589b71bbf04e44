// Encodes a connection's options as the engine's TLV config blob
// (assembly/tls/config.ts): tag u8, length u16 big-endian, value.
import * as ABI from './abi.ts';
import { SUITE_TABLE, GROUP_TABLE } from './tables.ts';

/** Suite ids by IANA name, every suite of abi/tables.json. */
export const SUITES: Record<string, number> = Object.fromEntries(SUITE_TABLE.map((s) => [s.name, s.id]));
export const SUITE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(SUITES).map(([k, v]) => [v, k]));
/** TLS 1.2 suite ids by OpenSSL name ('PSK-AES128-GCM-SHA256', ...); `suites` takes these names too. */
export const SUITES12: Record<string, number> = Object.fromEntries(SUITE_TABLE.filter((s) => s.version === 0x0303).map((s) => [s.openssl, s.id]));

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';
const VERSION_CODES: Record<TlsVersion, number> = { 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };

export type KxMode = 'psk_ke' | 'psk_dhe_ke';

export interface EngineConfig {
  /** Suite names in preference order (default: all five, filtered by the PSK hash). */
  suites?: string[];
  pskIdentity?: Uint8Array;
  psk?: Uint8Array;
  pskHash?: 'sha256' | 'sha384';
  kxModes?: KxMode[];
  /** ALPN protocol list in wire format (length-prefixed names). */
  alpn?: Uint8Array;
  serverName?: string;
  /** max_fragment_length to request: 512, 1024, 2048 or 4096. */
  maxFragmentLength?: number;
  /** record_size_limit to advertise (64..16385). */
  recordSizeLimit?: number;
  maxSendFragment?: number;
  keylog?: boolean;
  /** (EC)DHE groups in preference order, by name (abi/tables.json: 'x25519', ...); default: the module's, x25519 first. */
  groups?: string[];
  /** Middlebox compatibility mode (client): a session id and a CCS record. */
  compat?: boolean;
  /** Server: always send a HelloRetryRequest (exercises a client's HRR path). */
  forceHrr?: boolean;
  /** Send a KeyUpdate after this many records under one key (default 2^24, RFC 8446 §5.5). */
  keyUpdateAfterRecords?: number;
  /** Emit a trace event per handshake message (tls.TLSSocket#enableTrace). */
  trace?: boolean;
  /** Lowest / highest protocol version (default TLSv1.3 both; TLS 1.2 also needs a TLS 1.2 suite in `suites`). */
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** Server, TLS 1.2: the PSK identity hint sent in ServerKeyExchange. */
  identityHint?: Uint8Array;
  /** Client, TLS 1.2: ask for identity and key with a 'pskHint' event (answered by Conn#pskReply). */
  askPsk?: boolean;
}

const MFL_CODES: Record<number, number> = { 512: 1, 1024: 2, 2048: 3, 4096: 4 };

/** Blobs of frozen configs: a server opens every connection with the same (frozen) config object. */
const encoded = new WeakMap<EngineConfig, Uint8Array>();

/** The config blob of `c`; a frozen config is encoded once. */
export function encodeConfig(c: EngineConfig): Uint8Array {
  if (!Object.isFrozen(c)) return encode(c);
  let blob = encoded.get(c);
  if (!blob) {
    blob = encode(c);
    encoded.set(c, blob);
  }
  return blob;
}

function encode(c: EngineConfig): Uint8Array {
  const parts: number[] = [];
  const put = (tag: number, v: Uint8Array | number[]) => {
    parts.push(tag, v.length >> 8, v.length & 0xff, ...v);
  };
  const u16 = (n: number) => [n >> 8, n & 0xff];
  if (c.suites) {
    const ids = c.suites.map((n) => {
      const id = SUITES[n] ?? SUITES12[n];
      if (!id) throw new Error(`unknown TLS 1.3 cipher suite ${n}`);
      return id;
    });
    put(ABI.CFG_SUITES, ids.flatMap(u16));
  }
  if (c.groups) {
    put(ABI.CFG_GROUPS, c.groups.flatMap((n) => {
      const g = GROUP_TABLE.find((d) => d.name === n);
      if (!g) throw new Error(`unknown key-exchange group ${n}`);
      return u16(g.id);
    }));
  }
  if (c.pskIdentity) put(ABI.CFG_PSK_IDENTITY, c.pskIdentity);
  if (c.psk) put(ABI.CFG_PSK_KEY, c.psk);
  if (c.pskHash) put(ABI.CFG_PSK_HASH, [c.pskHash === 'sha384' ? 1 : 0]);
  if (c.kxModes) put(ABI.CFG_KX_MODES, [c.kxModes.reduce((m, k) => m | (k === 'psk_ke' ? ABI.KX_PSK_KE : ABI.KX_PSK_DHE_KE), 0)]);
  if (c.alpn) put(ABI.CFG_ALPN, c.alpn);
  if (c.serverName) put(ABI.CFG_SERVER_NAME, Buffer.from(c.serverName, 'utf8'));
  if (c.maxFragmentLength !== undefined) {
    const code = MFL_CODES[c.maxFragmentLength];
    if (!code) throw new RangeError(`maxFragmentLength must be 512, 1024, 2048 or 4096, not ${c.maxFragmentLength}`);
    put(ABI.CFG_MAX_FRAGMENT, [code]);
  }
  if (c.recordSizeLimit !== undefined) put(ABI.CFG_RECORD_LIMIT, u16(c.recordSizeLimit));
  if (c.maxSendFragment !== undefined) put(ABI.CFG_MAX_SEND_FRAG, u16(c.maxSendFragment));
  if (c.keyUpdateAfterRecords !== undefined) {
    const r = c.keyUpdateAfterRecords;
    put(ABI.CFG_REKEY_AFTER, [(r >>> 24) & 0xff, (r >>> 16) & 0xff, (r >>> 8) & 0xff, r & 0xff]);
  }
  if (c.minVersion) put(ABI.CFG_MIN_VERSION, u16(VERSION_CODES[c.minVersion]));
  if (c.maxVersion) put(ABI.CFG_MAX_VERSION, u16(VERSION_CODES[c.maxVersion]));
  if (c.identityHint) put(ABI.CFG_IDENTITY_HINT, c.identityHint);
  const flags = (c.keylog ? ABI.CF_KEYLOG : 0) | (c.compat ? ABI.CF_COMPAT : 0) | (c.forceHrr ? ABI.CF_FORCE_HRR : 0) | (c.trace ? ABI.CF_TRACE : 0) |
    (c.askPsk ? ABI.CF_ASK_PSK : 0);
  if (flags) put(ABI.CFG_FLAGS, [flags]);
  return Uint8Array.from(parts);
}

/** ALPN names to the wire format the engine and TLS use. */
export function alpnWire(names: string[]): Uint8Array {
  const body = names.flatMap((n) => {
    const b = Buffer.from(n, 'utf8');
    if (b.length === 0 || b.length > 255) throw new RangeError(`invalid ALPN protocol name '${n}'`);
    return [b.length, ...b];
  });
  return Uint8Array.from([body.length >> 8, body.length & 0xff, ...body]);
}
