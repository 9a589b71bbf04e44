// Artillery loads the engine named `tlsrt` in config.engines as the module
// `artillery-engine-tlsrt`: this package is that name; the engine itself is
// tlsrt's (src/sim/artillery/engine.ts, exported as `tlsrt/artillery`).
export { default } from 'tlsrt/artillery';
