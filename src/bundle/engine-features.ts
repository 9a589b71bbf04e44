// A board's "engine" section (boards/<name>.json): what its module contains,
// fixed when tools/build.mjs compiles it. Each item becomes one asc
// `--use TLSRT_<ITEM>=1` constant that assembly/features.ts tests with
// isDefined(), so the names here and there are the JSON strings upper-cased
// (a suite loses its "TLS_" prefix), nothing to keep in step by hand.
import { SUITES } from '../engine/config.ts';

export type Role = 'client' | 'server';
export type Kx = 'psk_ke' | 'psk_dhe_ke';
export type Group = 'x25519';
export type Version = 'tls13' | 'tls12';

export interface BoardEngine {
  /** Handshake state machines in the module. */
  roles: Role[];
  /** TLS 1.3 cipher suites in the module (their AEAD and hash come with them). */
  suites: string[];
  /** PSK key-exchange modes in the module. */
  kx: Kx[];
  /** (EC)DHE groups; required with psk_dhe_ke, which needs one. */
  groups: Group[];
  /**
   * Protocol versions (default ["tls13"]). "tls12" adds TLS 1.2 PSK: its
   * suites come with the TLS 1.3 suite of the same AEAD (PSK-CHACHA20-POLY1305
   * with TLS_CHACHA20_POLY1305_SHA256, ...), ECDHE-PSK also with x25519.
   */
  versions?: Version[];
}

export const ROLES: Role[] = ['client', 'server'];
export const KX_MODES: Kx[] = ['psk_ke', 'psk_dhe_ke'];
export const GROUPS: Group[] = ['x25519'];
export const VERSIONS: Version[] = ['tls13', 'tls12'];

/** Every problem with an engine section, as sentences; [] when it is well-formed. */
export function validateEngine(e: unknown, file: string): string[] {
  const errs: string[] = [];
  const need = (cond: boolean, msg: string) => {
    if (!cond) errs.push(`${file}: engine.${msg}`);
  };
  if (typeof e !== 'object' || e === null) return [`${file}: engine must be an object ({ roles, suites, kx, groups }): it selects what the board's module contains`];
  const o = e as Record<string, unknown>;
  const list = (k: string, allowed: string[], min: number) => {
    const v = o[k];
    const ok = Array.isArray(v) && v.length >= min && v.every((x) => typeof x === 'string' && allowed.includes(x)) && new Set(v).size === v.length;
    need(ok, `${k} must list ${min ? 'one or more' : 'zero or more'} of ${allowed.join(', ')} (no repeats)`);
    return ok ? (v as string[]) : [];
  };
  list('roles', ROLES, 1);
  list('suites', Object.keys(SUITES), 1);
  const kx = list('kx', KX_MODES, 1);
  const groups = list('groups', GROUPS, 0);
  if (kx.includes('psk_dhe_ke')) need(groups.length > 0, "groups must name x25519 when kx has psk_dhe_ke");
  else need(groups.length === 0, 'groups must be empty without psk_dhe_ke (nothing would use them)');
  if (o.versions !== undefined) {
    const versions = list('versions', VERSIONS, 1);
    need(versions.length === 0 || versions.includes('tls13'), 'versions must include tls13 (the engine is a TLS 1.3 engine that may add TLS 1.2)');
  }
  for (const k of Object.keys(o)) need(['roles', 'suites', 'kx', 'groups', 'versions'].includes(k), `${k} is not a known engine selection`);
  return errs;
}

/** The asc flags that compile assembly/profiles/board.ts with exactly this selection. */
export function ascUseFlags(e: BoardEngine): string[] {
  const names = [
    'BOARD',
    ...e.roles.map((r) => `ROLE_${r}`),
    ...e.suites.map((s) => `SUITE_${s.replace(/^TLS_/, '')}`),
    ...e.kx.map((k) => `KX_${k}`),
    ...e.groups.map((g) => `GROUP_${g}`),
    ...(e.versions ?? []).filter((v) => v !== 'tls13').map((v) => `VERSION_${v}`),
  ];
  return names.flatMap((n) => ['--use', `TLSRT_${n.toUpperCase()}=1`]);
}
