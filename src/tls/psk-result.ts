// What a pskCallback may return, checked as node:tls checks it
// (onPskClientCallback / onPskServerCallback in lib/_tls_wrap.js), with its
// errors. node:tls passes OpenSSL's limits (PSK_MAX_PSK_LEN 512 bytes,
// PSK_MAX_IDENTITY_LEN 256); the engine's own, smaller slot limits
// (assembly/tls/slot.ts) apply after these.
import { invalidArgType, invalidArgValue, validateBuffer, validateObject, validateString } from './validators.ts';

const MAX_PSK_LEN = 512;
const MAX_IDENTITY_LEN = 256;

function checkPskLength(psk: ArrayBufferView): void {
  if (psk.byteLength > MAX_PSK_LEN) throw invalidArgValue('psk', psk, `Pre-shared key exceeds ${MAX_PSK_LEN} bytes`);
}

/** A client pskCallback's result: null/undefined (no PSK) or { psk, identity }; anything else throws node's error. */
export function checkClientPsk(ret: unknown): { psk: ArrayBufferView; identity: string } | null {
  if (ret === null || ret === undefined) return null;
  validateObject(ret, 'ret');
  validateBuffer(ret.psk, 'psk');
  checkPskLength(ret.psk);
  validateString(ret.identity, 'identity');
  if (Buffer.byteLength(ret.identity) > MAX_IDENTITY_LEN) {
    throw invalidArgValue('identity', ret.identity, `PSK identity exceeds ${MAX_IDENTITY_LEN} bytes`);
  }
  return { psk: ret.psk, identity: ret.identity };
}

/** A server pskCallback's result: null/undefined (unknown identity), a key, or { psk }; anything else throws node's error. */
export function checkServerPsk(ret: unknown): ArrayBufferView | null {
  if (ret === null || ret === undefined) return null;
  let psk: unknown;
  if (ArrayBuffer.isView(ret)) {
    psk = ret;
  } else {
    if (typeof ret !== 'object') throw invalidArgType('ret', 'an instance of Buffer, TypedArray, DataView, or Object', ret);
    psk = (ret as { psk?: unknown }).psk;
    validateBuffer(psk, 'psk');
  }
  checkPskLength(psk as ArrayBufferView);
  return psk as ArrayBufferView;
}
