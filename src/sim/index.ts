// `import { Board, runFleet } from 'tlsrt/sim'`: simulated boards, links and
// fleets for building device firmware and testing servers before the
// hardware exists (src/sim/README.md).
export { Board, BudgetError, seededRandom, type BoardOptions, type BoardTls } from './board.ts';
export { SimClock, type RunOptions } from './clock.ts';
export { Link, LinkEndpoint, type LinkOptions, type DirStats } from './link.ts';
export { Prng } from './prng.ts';
export { runFleet, distribution, type FleetOptions, type FleetReport, type DeviceReport, type HostCost, type RemoteServer, type InProcessServer, type Entropy } from './fleet.ts';
// Device apps (src/sim/app.ts). The built-in mqtt app is not imported here: it
// needs the `mqtt` package, so it loads only through loadApp('mqtt').
export { loadApp, parseAppOptions, BUILT_IN_APPS, type DeviceApp, type AppContext, type AppOutcome, type AppMetrics, type AppOptions, type AppPeer, type AppSocket, type AppClock } from './app.ts';
export { default as echoApp, echoDevice, type EchoDeviceOptions, type EchoOutcome, type EchoAppOptions } from './apps/echo.ts';
export { parsePskFile, formatPskFile, generateKeys, identityFor, type DeviceKey } from './psk-file.ts';
export { CORES, costForBoard } from './cost-model.ts';
export { AOT_CORES, aotCostForArch, CYCLES_PER_INSTRUCTION } from './aot-model.ts';
export { costForRuntime } from './runtime-cost.ts';
export { InstancePool } from './instance-pool.ts';
