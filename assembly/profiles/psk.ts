// Profile `psk`: PSK-only TLS 1.3 (no certificates) with every AEAD and X25519.
export * from "./common";
export { selftest } from "./selftest";
