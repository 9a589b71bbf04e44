// The vendored test vectors (test/vectors/) are what SOURCE.md says they are:
// every file there is listed with its size and SHA-256 as recorded when it
// was taken from upstream, and nothing listed is missing. The one derived
// file, the JSON form of RFC 8448 §3, is checked field by field against the
// unmodified RFC text beside it, so the key-schedule test in
// test/crypto/hkdf.test.ts rests on the RFC itself, not on a parser's output.
// And the AssemblyScript specs that write RFC 8448 / RFC 5869 known answers
// inline hold the RFCs' own values: every hex literal in them is found in
// the RFC text (none can be a copy of our own output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VECTORS_DIR, readVector, loadJson } from './helpers/vectors.ts';
import { rfc8448Fields, rfc5869Fields } from './helpers/rfc-text.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [relative(VECTORS_DIR, p)];
  });
}

test('test/vectors: every file is listed in SOURCE.md with its size and SHA-256, and every listed file is there', () => {
  const source = readVector('SOURCE.md');
  // Rows of the files table: | `path` | bytes | sha256 | ...
  const listed = new Map<string, { bytes: number; sha256: string }>();
  for (const m of source.matchAll(/^\| `([^`]+)` \| (\d+) \| ([0-9a-f]{64}) \|/gm)) listed.set(m[1], { bytes: Number(m[2]), sha256: m[3] });
  assert.ok(listed.size >= 10, `SOURCE.md lists ${listed.size} files`);
  const present = filesUnder(VECTORS_DIR).filter((f) => f !== 'SOURCE.md').sort();
  assert.deepEqual(present, [...listed.keys()].sort(), 'files in test/vectors vs files listed in SOURCE.md');
  for (const [f, want] of listed) {
    const bytes = readFileSync(join(VECTORS_DIR, f));
    assert.equal(bytes.length, want.bytes, `${f}: size`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), want.sha256, `${f}: SHA-256`);
  }
});

test('rfc8448-section3-simple-1rtt.json holds exactly the hex fields of RFC 8448 §3, in order', () => {
  const rfc = rfc8448Fields(readVector('rfc8448', 'rfc8448.txt'), /^3\. {2}Simple 1-RTT Handshake$/, /^4\. {2}Resumed 0-RTT Handshake$/);
  const trace = loadJson<any>('rfc8448', 'rfc8448-section3-simple-1rtt.json');
  assert.equal(trace.section, 3);
  const json = trace.steps.flatMap((s: any) => s.fields.filter((f: any) => f.hex !== undefined).map((f: any) => ({ name: f.name, octets: f.octets, hex: f.hex })));
  assert.ok(rfc.length > 90, `${rfc.length} fields parsed from the RFC text`);
  for (const f of rfc) assert.equal(f.hex.length, 2 * f.octets, `RFC ${f.name}: the octet count matches the hex run`);
  assert.deepEqual(json, rfc);
});

test('the hex literals of the RFC 8448 / RFC 5869 as-pect specs are values printed in those RFCs', () => {
  const fields = [
    ...rfc8448Fields(readVector('rfc8448', 'rfc8448.txt')),
    ...rfc5869Fields(readVector('rfc5869', 'rfc5869.txt')),
  ];
  for (const f of fields) assert.equal(f.hex.length, 2 * f.octets, `${f.name}: the octet count matches the hex run`);
  const specs = ['hkdf.spec.ts', 'keyschedule.spec.ts', 'transcript.spec.ts'];
  let checked = 0;
  for (const spec of specs) {
    const src = readFileSync(new URL(`../assembly/__tests__/${spec}`, import.meta.url), 'utf8');
    // Every hex string of 8 bytes or more: keys, secrets, hashes, messages.
    for (const [, lit] of src.matchAll(/"([0-9a-f]{16,})"/g)) {
      assert.ok(fields.some((f) => f.hex.includes(lit)), `${spec}: ${lit.slice(0, 32)}... is not printed in RFC 8448 or RFC 5869`);
      checked++;
    }
  }
  assert.ok(checked >= 50, `${checked} literals checked`);
});
