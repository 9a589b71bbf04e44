// node:tls's `ecdhCurve` option as the engine's (EC)DHE groups (CFG_GROUPS).
//
// node passes the string to OpenSSL's SSL_CTX_set1_groups_list: a
// colon-separated list of group names in preference order, or 'auto' for
// OpenSSL's default. tlsrt has two groups, X25519 and P-256 (secp256r1);
// a list keeps those two in its order and must name at least one of them
// (the others it names, e.g. P-384, are ones tlsrt cannot offer and are
// passed over, as OpenSSL passes over a group a peer does not have).
// The string's syntax and names are judged by node:tls itself first, so a
// name OpenSSL does not know fails exactly as it does there
// (ERR_CRYPTO_OPERATION_FAILED).
import tls from 'node:tls';
import { unsupportedOption } from './errors.ts';

export type GroupName = 'x25519' | 'secp256r1';

/** OpenSSL's names for the groups tlsrt has (matched without regard to case, as OpenSSL does). */
const NAMES: Record<string, GroupName> = {
  x25519: 'x25519',
  'p-256': 'secp256r1',
  prime256v1: 'secp256r1',
  secp256r1: 'secp256r1',
};

/** node:tls's reading of a group: what getEphemeralKeyInfo() reports for it. */
export const EPHEMERAL_KEY_INFO: Record<GroupName, { type: 'ECDH'; name: string; size: number }> = {
  x25519: { type: 'ECDH', name: 'X25519', size: 253 },
  secp256r1: { type: 'ECDH', name: 'prime256v1', size: 256 },
};

const checked = new Set<string>();

/**
 * The groups of an ecdhCurve value in preference order, or undefined for
 * the engine's default (undefined or 'auto': X25519, then P-256).
 */
export function groupsFromEcdhCurve(curve: string | undefined): GroupName[] | undefined {
  if (curve === undefined || curve === 'auto') return undefined;
  if (!checked.has(curve)) {
    tls.createSecureContext({ ecdhCurve: curve }); // throws node's own error for a name OpenSSL lacks
    checked.add(curve);
  }
  const groups = [...new Set(curve.split(':').map((c) => NAMES[c.trim().toLowerCase()]).filter((g): g is GroupName => !!g))];
  if (!groups.length) throw unsupportedOption('ecdhCurve', `tlsrt implements X25519 and P-256 only, not '${curve}'`);
  return groups;
}
