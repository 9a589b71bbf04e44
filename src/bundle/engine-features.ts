// A board's "engine" section (boards/<name>.json): what its module contains,
// fixed when tools/build.mjs compiles it. Each item becomes one asc
// `--use TLSRT_<ITEM>=1` constant that assembly/features.ts tests with
// isDefined(), so the names here and there are the JSON strings upper-cased
// (a suite loses its "TLS_" prefix), nothing to keep in step by hand: the
// suite and group flags come from abi/tables.json (src/engine/tables.ts), the
// same table that generates assembly/built.ts's isDefined() names.
import { SUITE_TABLE, GROUP_TABLE } from '../engine/tables.ts';

export type Role = 'client' | 'server';
export type Kx = 'psk_ke' | 'psk_dhe_ke';
export type Group = string;
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
   * Protocol versions (default ["tls13"]). "tls12" adds the TLS 1.2 PSK
   * engine; its suites are the TLS 1.2 ones `suites` names (ECDHE-PSK also
   * needs a group, hence psk_dhe_ke).
   */
  versions?: Version[];
}

export const ROLES: Role[] = ['client', 'server'];
export const KX_MODES: Kx[] = ['psk_ke', 'psk_dhe_ke'];
export const GROUPS: Group[] = GROUP_TABLE.map((g) => g.name);
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
  list('suites', SUITE_TABLE.map((s) => s.name), 1);
  const kx = list('kx', KX_MODES, 1);
  const groups = list('groups', GROUPS, 0);
  if (kx.includes('psk_dhe_ke')) need(groups.length > 0, `groups must name ${GROUPS.join(' or ')} when kx has psk_dhe_ke`);
  else need(groups.length === 0, 'groups must be empty without psk_dhe_ke (nothing would use them)');
  const versions = o.versions === undefined ? ['tls13'] : list('versions', VERSIONS, 1);
  need(versions.includes('tls13'), 'versions must include tls13 (the engine is a TLS 1.3 engine that may add TLS 1.2)');
  const tls12Suites = (Array.isArray(o.suites) ? o.suites : []).filter((n) => SUITE_TABLE.find((d) => d.name === n)?.version === 0x0303);
  need(tls12Suites.length === 0 || versions.includes('tls12'), `suites ${tls12Suites.join(', ')} are TLS 1.2 suites: versions must include tls12`);
  for (const k of Object.keys(o)) need(['roles', 'suites', 'kx', 'groups', 'versions'].includes(k), `${k} is not a known engine selection`);
  return errs;
}

/** The asc flags that compile assembly/profiles/board.ts with exactly this selection. */
export function ascUseFlags(e: BoardEngine): string[] {
  const names = [
    'BOARD',
    ...e.roles.map((r) => `ROLE_${r}`),
    ...e.suites.map((s) => SUITE_TABLE.find((d) => d.name === s)!.feature),
    ...e.kx.map((k) => `KX_${k}`),
    ...e.groups.map((g) => GROUP_TABLE.find((d) => d.name === g)!.feature),
    ...(e.versions ?? []).filter((v) => v !== 'tls13').map((v) => `VERSION_${v}`),
  ];
  return names.flatMap((n) => ['--use', `TLSRT_${n.toUpperCase()}=1`]);
}
