// Node-style errors for what the engine reports. node:tls surfaces OpenSSL's
// reason as `err.code` ('ERR_SSL_' + the reason in upper snake case), with
// `library` and `reason` properties; tlsrt produces the same codes for the
// same situations so application code that switches on `err.code` keeps
// working. The alert that goes on the wire is chosen by the engine (RFC 8446).
import { suiteByName } from './suite-names.ts';

/** OpenSSL's reason text for a received alert, by alert number. */
const ALERT_REASONS: Record<number, string> = {
  10: 'sslv3 alert unexpected message',
  20: 'sslv3 alert bad record mac',
  22: 'tlsv1 alert record overflow',
  40: 'sslv3 alert handshake failure',
  47: 'sslv3 alert illegal parameter',
  50: 'tlsv1 alert decode error',
  51: 'tlsv1 alert decrypt error',
  70: 'tlsv1 alert protocol version',
  71: 'tlsv1 alert insufficient security',
  80: 'tlsv1 alert internal error',
  86: 'tlsv1 alert inappropriate fallback',
  90: 'tlsv1 alert user cancelled',
  100: 'tlsv1 alert no renegotiation',
  109: 'tlsv13 alert missing extension',
  110: 'tlsv1 unsupported extension',
  112: 'tlsv1 unrecognized name',
  115: 'tlsv1 alert unknown psk identity',
  116: 'tlsv13 alert certificate required',
  120: 'tlsv1 alert no application protocol',
};

/** OpenSSL's reason for a failure we detected ourselves, by engine reason. */
const LOCAL_REASONS: Record<string, string> = {
  bad_record: 'wrong version number',
  record_overflow: 'packet length too long',
  bad_record_mac: 'decryption failed or bad record mac',
  decode: 'bad extension',
  unexpected_message: 'unexpected message',
  no_shared_cipher: 'no shared cipher',
  no_shared_group: 'no suitable key share',
  psk_unknown_identity: 'psk identity not found',
  binder_mismatch: 'binder does not verify',
  finished_mismatch: 'digest check failed',
  protocol_version: 'unsupported protocol',
  missing_extension: 'missing psk kex modes extension',
  illegal_parameter: 'bad extension',
  no_psk: 'no shared cipher',
  no_alpn: 'no application protocol',
  internal: 'internal error',
  handshake_too_large: 'excessive message size',
  seq_exhausted: 'internal error',
  unrecognized_name: 'callback failed',
  certificate_required: 'peer did not return a certificate',
  bad_key_share: 'bad key share',
  user_canceled: 'tlsv1 alert user cancelled',
  // OpenSSL's reasons for the same limits (MAX_EMPTY_RECORDS, MAX_KEY_UPDATE_MESSAGES).
  too_many_empty_records: 'record too small',
  too_many_key_updates: 'too many key updates',
  // TLS 1.2 (OpenSSL's reasons for the same refusals).
  downgrade: 'inappropriate fallback',
  no_extended_master_secret: 'inconsistent extms',
  renegotiation: 'no renegotiation',
  bad_point: 'bad ecpoint',
};

export interface TlsError extends Error {
  code: string;
  library?: string;
  reason?: string;
  /** The TLS alert number involved (sent or received). */
  alert?: number;
}

function sslCode(reason: string): string {
  return 'ERR_SSL_' + reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * An error shaped as node:tls makes one from OpenSSL's error queue: message
 * 'error:<packed code>:SSL routines::<reason>' (tlsrt has no packed code and
 * says 'tlsrt' there), `library`, `reason`, and `code` from the reason.
 */
export function sslError(reason: string, tail = ''): TlsError {
  const err = new Error(`error:tlsrt:SSL routines::${reason}${tail}`) as TlsError;
  err.library = 'SSL routines';
  err.reason = reason;
  err.code = sslCode(reason);
  return err;
}

/** The error node:tls would raise for an engine failure on a connection of this version and suite. */
export function engineFailureError(f: { reason: string; alert: number; local: boolean }, conn?: { version?: string; suite?: string }): TlsError {
  const aead = conn?.suite ? suiteByName(conn.suite)?.aead : undefined;
  if (f.local && f.reason === 'bad_record_mac' && conn?.version === 'TLSv1.2' && (aead === 'aes_gcm' || aead === 'aes_ccm')) {
    // OpenSSL 3 fails a TLS 1.2 AES-GCM/CCM record in its cipher provider, with this
    // reason and library (measured: a wrong PSK on a node:tls TLS 1.2 server).
    const err = sslError('cipher operation failed');
    err.library = 'Provider routines';
    err.alert = f.alert;
    return err;
  }
  const reason = f.local ? LOCAL_REASONS[f.reason] ?? f.reason.replace(/_/g, ' ') : ALERT_REASONS[f.alert] ?? `tlsv1 alert ${f.alert}`;
  const err = sslError(reason, f.local ? '' : `:SSL alert number ${f.alert}`);
  err.alert = f.alert;
  return err;
}

export function nodeError(code: string, message: string, ctor: ErrorConstructor = Error): TlsError {
  const err = new ctor(message) as TlsError;
  err.code = code;
  return err;
}

/** The option tlsrt cannot honour, named, instead of silently ignoring it. */
export function unsupportedOption(name: string, why: string): TlsError {
  return nodeError('ERR_TLSRT_UNSUPPORTED_OPTION', `tlsrt does not support the '${name}' option: ${why}`);
}
