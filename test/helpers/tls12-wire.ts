// TLS 1.2 wire helpers for engine tests: a ClientHello builder (to offer what
// the engine refuses: no extended_master_secret, a non-empty
// renegotiation_info, ...), a ServerHello extension stripper, and a record
// splitter for men in the middle.

export const EXT = { SNI: 0, MFL: 1, GROUPS: 10, EC_POINT_FORMATS: 11, EMS: 23, RSL: 28, SUPPORTED_VERSIONS: 43, RI: 0xff01 } as const;
export const SUITE12 = {
  'PSK-AES128-GCM-SHA256': 0x00a8, 'PSK-AES256-GCM-SHA384': 0x00a9, 'PSK-CHACHA20-POLY1305': 0xccab,
  'ECDHE-PSK-CHACHA20-POLY1305': 0xccac, 'PSK-AES128-CCM': 0xc0a4, 'PSK-AES128-CCM8': 0xc0a8,
} as const;

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);

export function ext(type: number, body: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([u16(type), u16(body.length), body]);
}

/** A TLS 1.2 ClientHello record (legacy_version 0x0303) with the given suites and extensions. */
export function clientHello12(suites: number[], exts: Buffer[], random = Buffer.alloc(32, 0x42)): Buffer {
  const e = Buffer.concat(exts);
  const body = Buffer.concat([
    u16(0x0303), random, Buffer.from([0]), u16(suites.length * 2), ...suites.map(u16), Buffer.from([1, 0]), u16(e.length), e,
  ]);
  const msg = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([22, 3, 3]), u16(msg.length), msg]);
}

/** Whole records in `buf` (header included). */
export function records(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + 5 <= buf.length; ) {
    const n = 5 + buf.readUInt16BE(i + 3);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

/**
 * The first record of a server's flight with the ServerHello's extension
 * `type` removed (lengths fixed up): the messages after it in the record are kept.
 */
export function stripServerHelloExtension(rec: Buffer, type: number): Buffer {
  const hs = rec.subarray(5);
  const shLen = hs.readUIntBE(1, 3);
  const sh = hs.subarray(4, 4 + shLen);
  let i = 2 + 32;
  i += 1 + sh[i];
  i += 3;
  const extStart = i + 2;
  const extEnd = extStart + sh.readUInt16BE(i);
  const kept: Buffer[] = [];
  for (let j = extStart; j < extEnd; ) {
    const t = sh.readUInt16BE(j);
    const n = 4 + sh.readUInt16BE(j + 2);
    if (t !== type) kept.push(sh.subarray(j, j + n));
    j += n;
  }
  const exts = Buffer.concat(kept);
  const newSh = Buffer.concat([sh.subarray(0, i), u16(exts.length), exts]);
  const msg = Buffer.concat([Buffer.from([2, newSh.length >> 16, (newSh.length >> 8) & 0xff, newSh.length & 0xff]), newSh]);
  const rest = hs.subarray(4 + shLen);
  const body = Buffer.concat([msg, rest]);
  return Buffer.concat([rec.subarray(0, 3), u16(body.length), body]);
}

/** ServerHello.random of a server's first record. */
export function serverRandom(rec: Buffer): Buffer {
  return rec.subarray(5 + 4 + 2, 5 + 4 + 2 + 32);
}

export const DOWNGRD_12 = Buffer.from('444f574e47524401', 'hex');
