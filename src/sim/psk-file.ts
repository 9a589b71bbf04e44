// Per-device pre-shared keys in mosquitto's psk_file format — one
// `identity:hexkey` per line (mosquitto.conf(5), psk_file) — so the same file
// provisions a test broker and the simulated fleet that talks to it
// (`tlsrt sim keys` writes one, `tlsrt sim --psk-file` reads one).
//
// Identities come from a pattern in which "{n}" is the device number, 1-based
// and zero-padded to 4 digits (device-{n} → device-0001 ... device-9999,
// then device-10000): the numbering `tlsrt sim --psk-identity` uses too.
import { randomBytes } from 'node:crypto';

export interface DeviceKey {
  identity: string;
  key: Buffer;
}

/** The identity of device `index` (0-based) under `pattern`: "{n}" → index + 1, zero-padded to 4 digits. */
export function identityFor(pattern: string, index: number): string {
  return pattern.replaceAll('{n}', String(index + 1).padStart(4, '0'));
}

/** `devices` identities from `pattern` (which must make them distinct), each with a fresh key from the platform CSPRNG. */
export function generateKeys(devices: number, pattern = 'device-{n}', keyBytes = 32): DeviceKey[] {
  checkIdentityPattern(pattern, devices);
  return Array.from({ length: devices }, (_, i) => ({ identity: identityFor(pattern, i), key: randomBytes(keyBytes) }));
}

export function checkIdentityPattern(pattern: string, devices: number): void {
  if (pattern === '') throw new TypeError('the identity pattern is empty');
  if (pattern.includes(':') || /[\r\n]/.test(pattern)) throw new TypeError(`an identity cannot hold ':' or a line break (psk_file is identity:hexkey per line): '${pattern}'`);
  if (devices > 1 && !pattern.includes('{n}')) throw new TypeError(`the identity pattern '${pattern}' has no {n}: every device would have the same identity`);
}

export function formatPskFile(keys: DeviceKey[]): string {
  return keys.map((k) => `${k.identity}:${k.key.toString('hex')}\n`).join('');
}

/**
 * Parses a psk_file: `identity:hexkey` lines; blank lines and lines starting
 * with '#' are skipped. Errors name the line. Identities must be distinct.
 */
export function parsePskFile(text: string, name = 'psk file'): DeviceKey[] {
  const keys: DeviceKey[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.lastIndexOf(':');
    const identity = line.slice(0, colon);
    const hex = line.slice(colon + 1);
    if (colon <= 0 || !/^([0-9a-fA-F]{2})+$/.test(hex)) throw new TypeError(`${name} line ${i + 1}: expected identity:hexkey (an even number of hex digits)`);
    if (seen.has(identity)) throw new TypeError(`${name} line ${i + 1}: identity '${identity}' appears twice`);
    seen.add(identity);
    keys.push({ identity, key: Buffer.from(hex, 'hex') });
  });
  if (keys.length === 0) throw new TypeError(`${name}: no identity:hexkey lines`);
  return keys;
}
