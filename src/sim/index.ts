// `import { Board, runFleet } from 'tlsrt/sim'`: simulated boards, links and
// fleets for building device firmware and testing servers before the
// hardware exists (src/sim/README.md).
export { Board, BudgetError, seededRandom, type BoardOptions, type BoardTls } from './board.ts';
export { SimClock, type RunOptions } from './clock.ts';
export { Link, LinkEndpoint, type LinkOptions, type DirStats } from './link.ts';
export { Prng } from './prng.ts';
export { runFleet, distribution, type FleetOptions, type FleetReport, type DeviceReport, type HostCost, type RemoteServer } from './fleet.ts';
export { echoDevice, type EchoDeviceOptions, type EchoOutcome } from './echo-device.ts';
export { CORES, costForBoard } from './cost-model.ts';
export { InstancePool } from './instance-pool.ts';
