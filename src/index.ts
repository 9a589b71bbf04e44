// tlsrt's public entry point: the node:tls API, served by the WASM engine.
// `import tls from 'tlsrt'` in place of `import tls from 'node:tls'`.
import nodeTls from 'node:tls';
import { instantiateProfile, type Profile } from './engine/wasm-module.ts';
import { TLSSocket } from './tls/tls-socket.ts';
import { Server, createServer } from './tls/server.ts';
import { connect } from './tls/connect.ts';
import { createSecureContext, SecureContext } from './tls/secure-context.ts';
import { convertALPNProtocols } from './tls/options.ts';
import { tlsDefaults } from './tls/defaults.ts';
import {
  DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, DEFAULT_CIPHERS, DEFAULT_ECDH_CURVE, CLIENT_RENEG_LIMIT, CLIENT_RENEG_WINDOW,
  getCiphers,
} from './tls/constants.ts';

export type { Profile } from './engine/wasm-module.ts';

/** Runs a profile module's boot selftest (known answers of every primitive). */
export function selftest(profile: Profile = 'psk'): boolean {
  const x = instantiateProfile(profile).exports as { selftest(): number };
  return x.selftest() === 1;
}

/**
 * Certificate/host-name check, unchanged from node:tls (PSK connections have
 * no certificate and never call it; exported for API parity).
 */
export const checkServerIdentity = nodeTls.checkServerIdentity;

export {
  TLSSocket, Server, SecureContext, connect, createServer, createSecureContext, getCiphers, convertALPNProtocols,
  DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, DEFAULT_CIPHERS, DEFAULT_ECDH_CURVE, CLIENT_RENEG_LIMIT, CLIENT_RENEG_WINDOW,
};

const api = {
  TLSSocket, Server, SecureContext, connect, createServer, createSecureContext, getCiphers, checkServerIdentity, convertALPNProtocols,
  DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION, DEFAULT_CIPHERS, DEFAULT_ECDH_CURVE, CLIENT_RENEG_LIMIT, CLIENT_RENEG_WINDOW,
  selftest,
};
// As node:tls, `tls.DEFAULT_MIN_VERSION = 'TLSv1.3'` (and MAX_VERSION, CIPHERS)
// changes what contexts made afterwards use; a bad value is reported there, as in node.
for (const [prop, key] of [['DEFAULT_MIN_VERSION', 'minVersion'], ['DEFAULT_MAX_VERSION', 'maxVersion'], ['DEFAULT_CIPHERS', 'ciphers']] as const) {
  Object.defineProperty(api, prop, {
    enumerable: true,
    get: () => tlsDefaults[key],
    set: (v: unknown) => {
      tlsDefaults[key] = v;
    },
  });
}
export default api;
