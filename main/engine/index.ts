/**
 * The simulation engine's public API (docs/engine.md): the host model of docs/model.md under a
 * placement policy, its producers (stochastic generator, workload scripts; the xentrace importer
 * feeds `createRun` directly), the presets, and exact list queries on a finished RunResult.
 */
import type { SimParams } from '../../shared/params';
import type { RunResult } from '../../shared/results';
import { HostModel } from './host-model';
import type { EngineConfig, EngineRun, RunHints } from './host-model';
import { WorkloadGenerator } from './workload';

export type { EngineConfig, EngineRun, RunHints } from './host-model';
export { EngineCancelled, EngineInputError, ScriptError } from './errors';
export { parseScript, runScript } from './script';
export { presets, presetParams } from './presets';
export { lengthsAt, listAt, listFrom, stateAt, type ListSource } from './list-index';
export { domainsAt } from './list-domains';
export { formatNs, WorkloadGenerator } from './workload';

/**
 * Bump when results for the same input change (docs/engine.md says why each time).
 * 1.1.0: summaries gain the aboveBound* fields; every 1.0.0 field and series is unchanged.
 */
export const ENGINE_VERSION = '1.1.0';

export function createRun(cfg: EngineConfig, opts?: RunHints): EngineRun {
  return new HostModel(cfg, opts);
}

/** Runs the stochastic generator under params (already validated by SimParamsSchema). */
export function simulate(
  params: SimParams,
  opts: { progress?: (fraction: number, detail: string) => void; cancelled?: () => boolean } = {},
): RunResult {
  const run = createRun(
    { policy: params.policy, costs: params.costs, buckets: params.buckets, seed: params.seed },
    {
      expectedEndNs: params.workload.durationNs,
      expectedVcpus: params.workload.domains * params.workload.vcpusPerDomain,
    },
  );
  new WorkloadGenerator(params.workload, params.seed).run(run, opts);
  return run.finish();
}
