// Reads the hex values out of an RFC's plain text (test/vectors/rfc*/), so a
// test can hold a derived vector file, or an expected value written into a
// spec, against the RFC itself.
import assert from 'node:assert/strict';

export interface RfcField {
  name: string;
  octets: number;
  hex: string;
}

/** The RFC's lines without page furniture (footer, form feed, running header), which can sit inside a hex run. */
function bodyLines(text: string, from?: RegExp, to?: RegExp): string[] {
  let lines = text.split('\n');
  if (from && to) {
    const start = lines.findIndex((l) => from.test(l));
    const end = lines.findIndex((l, i) => i > start && to.test(l));
    assert.ok(start > 0 && end > start, 'section headings found');
    lines = lines.slice(start, end);
  }
  return lines.filter((l) => !/^\S.*\s\[Page \d+\]$/.test(l) && !/^\f?RFC \d+\s.*\s(19|20)\d\d$/.test(l) && l !== '\f');
}

/**
 * RFC 8448's trace fields, `      name (N octets):  hh hh ...` with the run
 * continued on lines indented by 9 (a page break leaves blank lines inside
 * it; a new field starts at indent 6), between two headings or in the whole text.
 */
export function rfc8448Fields(text: string, from?: RegExp, to?: RegExp): RfcField[] {
  const body = bodyLines(text, from, to);
  const out: RfcField[] = [];
  for (let i = 0; i < body.length; i++) {
    const m = /^ {6}(\S.*?) \((\d+) octets\):\s+((?:[0-9a-f]{2} ?)+)$/.exec(body[i]);
    if (!m) continue;
    let hex = m[3];
    for (let j = i + 1; j < body.length; j++) {
      if (/^ {9}(?:[0-9a-f]{2} ?)+$/.test(body[j])) { hex += ' ' + body[j]; i = j; continue; }
      if (body[j].trim() === '') continue;
      break;
    }
    out.push({ name: m[1], octets: Number(m[2]), hex: hex.replace(/\s+/g, '') });
  }
  return out;
}

/** RFC 5869 appendix A's values, `   NAME = 0xhhhh...` continued on lines indented by 10, ending `(N octets)`. */
export function rfc5869Fields(text: string): RfcField[] {
  const body = bodyLines(text);
  const out: RfcField[] = [];
  for (let i = 0; i < body.length; i++) {
    const m = /^ {3}(\w+)\s*= 0x([0-9a-f]+)(?: \((\d+) octets\))?$/.exec(body[i]);
    if (!m) continue;
    let hex = m[2];
    let octets = m[3];
    for (let j = i + 1; octets === undefined && j < body.length; j++) {
      const c = /^ {10}([0-9a-f]+)(?: \((\d+) octets\))?$/.exec(body[j]);
      if (!c) break;
      hex += c[1];
      octets = c[2];
      i = j;
    }
    out.push({ name: m[1], octets: Number(octets ?? hex.length / 2), hex });
  }
  return out;
}
