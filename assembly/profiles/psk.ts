// Profile `psk`: PSK-only TLS 1.3 (no certificates) with every AEAD and X25519.
export * from "./common";
export { selftest } from "./selftest";

// The TLS engine ABI (init/open/recv/send/app/events): see assembly/engine.ts.
export * from "../engine";
