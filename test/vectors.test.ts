// The vendored test vectors (test/vectors/) are what SOURCE.md says they are:
// every file there is listed with its size and SHA-256 as recorded when it
// was taken from upstream, and nothing listed is missing. The one derived
// file, the JSON form of RFC 8448 §3, is checked field by field against the
// unmodified RFC text beside it, so the key-schedule test in
// test/crypto/hkdf.test.ts rests on the RFC itself, not on a parser's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VECTORS_DIR, readVector, loadJson } from './helpers/vectors.ts';

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

/** The (name, octets, hex) fields RFC 8448's text gives between two section headings, in order. */
function rfcFields(text: string, from: RegExp, to: RegExp): { name: string; octets: number; hex: string }[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => from.test(l));
  const end = lines.findIndex((l, i) => i > start && to.test(l));
  assert.ok(start > 0 && end > start, 'section headings found');
  // Page furniture (footer, form feed, running header) sits inside hex runs.
  const body = lines.slice(start, end).filter((l) => !/^Thomson\s+Informational\s+\[Page \d+\]$/.test(l) && !/^\f?RFC 8448\s+TLS 1\.3 Traces\s+January 2019$/.test(l) && l !== '\f');
  const out: { name: string; octets: number; hex: string }[] = [];
  for (let i = 0; i < body.length; i++) {
    const m = /^ {6}(\S.*?) \((\d+) octets\):\s+((?:[0-9a-f]{2} ?)+)$/.exec(body[i]);
    if (!m) continue;
    let hex = m[3];
    // The hex run continues on the following lines indented by 9; a page
    // break leaves blank lines inside it (a new field starts at indent 6).
    for (let j = i + 1; j < body.length; j++) {
      if (/^ {9}(?:[0-9a-f]{2} ?)+$/.test(body[j])) { hex += ' ' + body[j]; i = j; continue; }
      if (body[j].trim() === '') continue;
      break;
    }
    out.push({ name: m[1], octets: Number(m[2]), hex: hex.replace(/\s+/g, '') });
  }
  return out;
}

test('rfc8448-section3-simple-1rtt.json holds exactly the hex fields of RFC 8448 §3, in order', () => {
  const rfc = rfcFields(readVector('rfc8448', 'rfc8448.txt'), /^3\. {2}Simple 1-RTT Handshake$/, /^4\. {2}Resumed 0-RTT Handshake$/);
  const trace = loadJson<any>('rfc8448', 'rfc8448-section3-simple-1rtt.json');
  assert.equal(trace.section, 3);
  const json = trace.steps.flatMap((s: any) => s.fields.filter((f: any) => f.hex !== undefined).map((f: any) => ({ name: f.name, octets: f.octets, hex: f.hex })));
  assert.ok(rfc.length > 90, `${rfc.length} fields parsed from the RFC text`);
  for (const f of rfc) assert.equal(f.hex.length, 2 * f.octets, `RFC ${f.name}: the octet count matches the hex run`);
  assert.deepEqual(json, rfc);
});
