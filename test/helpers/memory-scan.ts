// Looks for secrets in a WebAssembly instance's linear memory: after a slot
// is closed, no window of WINDOW consecutive bytes of any secret may be left
// anywhere in memory (the slot, the shared scratch of assembly/crypto/* and
// assembly/tls/*, the staging area, the free space above the arena).
//
// A Secrets list is built by the caller (what it knows: the PSK, the
// identity, key-log secrets and what it derives from them, e.g.
// test/helpers/tls13-secrets.ts); findSecrets scans a memory once for all of
// them. To add another protocol's secrets (TLS 1.2 master secrets, key
// blocks), derive them in a helper of its own and add() them to the same list.
export const WINDOW = 8;

export interface Secret {
  /** What it is, for the failure message ("client_application_traffic_secret_1 key"). */
  name: string;
  bytes: Uint8Array;
}

export interface Hit {
  name: string;
  /** Offset in the secret of the first window found. */
  secretOffset: number;
  /** Address in linear memory where it was found. */
  address: number;
}

export class Secrets {
  readonly list: Secret[] = [];

  /** Adds a secret; ones shorter than WINDOW, or all zero (nothing to find), are refused loudly. */
  add(name: string, bytes: Uint8Array): Uint8Array {
    if (bytes.length < WINDOW) throw new Error(`secret ${name}: ${bytes.length} bytes is shorter than the ${WINDOW}-byte scan window`);
    if (bytes.every((b) => b === 0)) throw new Error(`secret ${name} is all zeros`);
    this.list.push({ name, bytes: Uint8Array.from(bytes) });
    return bytes;
  }

  get size(): number {
    return this.list.length;
  }
}

/**
 * Every secret with at least one WINDOW-byte window present in `mem`; one
 * hit per secret (the first window found). One pass over memory: windows are
 * indexed by their first four bytes, candidates compared in full.
 */
export function findSecrets(mem: Uint8Array, secrets: Secrets | readonly Secret[]): Hit[] {
  const list = secrets instanceof Secrets ? secrets.list : secrets;
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const byHead = new Map<number, { s: number; off: number }[]>();
  list.forEach((sec, s) => {
    const b = sec.bytes;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let off = 0; off + WINDOW <= b.length; off++) {
      const head = v.getUint32(off, true);
      let l = byHead.get(head);
      if (!l) byHead.set(head, (l = []));
      l.push({ s, off });
    }
  });
  const found = new Map<number, Hit>();
  for (let a = 0; a + WINDOW <= mem.length; a++) {
    const l = byHead.get(dv.getUint32(a, true));
    if (!l) continue;
    for (const { s, off } of l) {
      if (found.has(s)) continue;
      const b = list[s].bytes;
      let same = true;
      for (let i = 4; i < WINDOW && same; i++) same = mem[a + i] === b[off + i];
      if (same) found.set(s, { name: list[s].name, secretOffset: off, address: a });
    }
  }
  return [...found.values()];
}

/** A readable list of hits for an assertion message. */
export function describeHits(hits: Hit[]): string {
  return hits.map((h) => `${h.name} (bytes ${h.secretOffset}.. at 0x${h.address.toString(16)})`).join('; ');
}
