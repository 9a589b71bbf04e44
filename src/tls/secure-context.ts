// tls.createSecureContext(): in node:tls a wrapper around an OpenSSL SSL_CTX;
// in tlsrt the validated, normalised options a connection's engine slot is
// configured from. Unsupported options throw here, as early as node:tls would.
import { normalize, type NormalizedOptions } from './options.ts';
import { validateObject } from './validators.ts';

export const kTlsrtOptions = Symbol('tlsrt.secureContextOptions');

export class SecureContext {
  /** node:tls exposes the native context here; tlsrt has none. */
  readonly context: null = null;
  readonly [kTlsrtOptions]: NormalizedOptions;

  constructor(options?: Record<string, unknown> | null) {
    // As node:tls: a falsy argument means no options; any other non-object is ERR_INVALID_ARG_TYPE.
    const o = options || {};
    validateObject(o, 'options');
    this[kTlsrtOptions] = normalize(o);
  }
}

export function createSecureContext(options?: Record<string, unknown> | null): SecureContext {
  return new SecureContext(options);
}
