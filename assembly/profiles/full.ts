// Profile `full`: every primitive tlsrt has (later also the certificate path).
// The exports here are the module's ABI; see docs/architecture.md.
export * from "./common";
export { selftest } from "./selftest";

// The TLS engine ABI (init/open/recv/send/app/events): see assembly/engine.ts.
export * from "../engine";
