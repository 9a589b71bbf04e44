// Which cost model a simulated board's clock uses: the one for the runtime
// its profile names (boards/<name>.json `runtime`), or the one asked for.
import type { Board as BoardProfile, Runtime } from '../bundle/board.ts';
import { costForArch, type CoreCost } from './cost-model.ts';
import { aotCostForArch } from './aot-model.ts';

export function costForRuntime(b: Pick<BoardProfile, 'arch' | 'runtime'>, runtime: Runtime = b.runtime): CoreCost {
  return runtime === 'aot' ? aotCostForArch(b.arch) : costForArch(b.arch);
}
