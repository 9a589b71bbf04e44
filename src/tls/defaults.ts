// tls.DEFAULT_MIN_VERSION, DEFAULT_MAX_VERSION and DEFAULT_CIPHERS: as in
// node:tls the application may assign them, and every secure context made
// afterwards reads the value then (src/index.ts exposes these as accessors).
// tlsrt's DEFAULT_CIPHERS is node's TLS 1.3 part: node's full default ends
// in '!PSK', so a node:tls PSK connection speaks TLS 1.2 only when `ciphers`
// names PSK suites, and so does tlsrt's.
export const tlsDefaults = {
  minVersion: 'TLSv1.2' as unknown,
  maxVersion: 'TLSv1.3' as unknown,
  ciphers: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256' as unknown,
};
