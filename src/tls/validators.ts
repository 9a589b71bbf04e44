// Argument validation with node:tls's error classes, codes and messages.
// Node validates its options with internal helpers (lib/internal/validators.js)
// whose errors applications and test suites match on — code, class, and often
// the message. These build the same errors from the same inputs, so a wrong
// argument to tlsrt reads exactly as it would from node:tls.
import { inspect } from 'node:util';
import { nodeError, type TlsError } from './errors.ts';

/** How node describes a received value ("type number (5)", "an instance of Object", ...). */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      if (Object.is(value, -0)) return 'type number (-0)';
      return `type number (${String(value)})`;
    case 'boolean':
      return `type boolean (${value})`;
    case 'symbol':
      return `type symbol (${String(value)})`;
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: string } }).constructor;
      if (ctor && 'name' in ctor) return `an instance of ${ctor.name}`;
      return inspect(value, { depth: -1 });
    }
    case 'string': {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
    default:
      return String(value);
  }
}

/** 'The "options.x" property' for dotted names, 'The "x" argument' otherwise. */
function subject(name: string): string {
  return `The "${name}" ${name.includes('.') ? 'property' : 'argument'}`;
}

/** ERR_INVALID_ARG_TYPE; `expected` is the phrase after "must be" ("of type string", "an instance of Buffer, ..."). */
export function invalidArgType(name: string, expected: string, actual: unknown): TlsError {
  return nodeError('ERR_INVALID_ARG_TYPE', `${subject(name)} must be ${expected}. Received ${describeReceived(actual)}`, TypeError);
}

/** ERR_INVALID_ARG_VALUE: "The property 'options.x' is invalid. Received ...". */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): TlsError {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return nodeError('ERR_INVALID_ARG_VALUE', `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${shown}`, TypeError);
}

/** ERR_OUT_OF_RANGE as node words it; `whole` replaces the 'The value of "name" is out of range.' lead. */
export function outOfRange(name: string, range: string, input: unknown, whole = false): TlsError {
  const lead = whole ? name : `The value of "${name}" is out of range.`;
  const shown = Number.isInteger(input) && Math.abs(input as number) > 2 ** 32
    ? String(input).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
    : inspect(input);
  return nodeError('ERR_OUT_OF_RANGE', `${lead} It must be ${range}. Received ${shown}`, RangeError);
}

export const BUFFER_TYPES = 'an instance of Buffer, TypedArray, or DataView';

export function validateFunction(value: unknown, name: string): asserts value is (...a: unknown[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}

export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value);
}

export function validateNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
}

/** node's validateObject with its defaults: no null, no array, no function. */
export function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'of type object', value);
}

export function validateBuffer(value: unknown, name: string): asserts value is ArrayBufferView {
  if (!ArrayBuffer.isView(value)) throw invalidArgType(name, BUFFER_TYPES, value);
}

/** An integer number (node's validateInteger / validateInt32). */
export function validateInteger(value: unknown, name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export function validateInt32(value: unknown, name: string, min = -2147483648, max = 2147483647): asserts value is number {
  validateInteger(value, name, min, max);
}
