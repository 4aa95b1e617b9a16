/**
 * The job behind one point of a sweep, by kind of base: what task runs it and how its run is
 * saved into the sweep's group (sweeps.ts queues them). A simulation point stores its params; a
 * fitted-workload point stores them with what names the dump, as `simulate --trace-workload
 * --save` does; a replay point stores its policy and the trace it replays.
 */
import type { PolicyConfig, SimParams } from '../../shared/params';
import type { TraceSimParams } from '../../shared/fitted-workload';
import type { RunResult } from '../../shared/results';
import { ENGINE_VERSION } from '../engine';
import type { JobSpec } from '../jobs/runner';
import type { Store } from '../store/store';
import { traceWorkloadProvenance } from '../trace/fit-source';
import type { OpColumns } from '../trace/op-columns';

/** What every point of one sweep shares. */
export interface SweepPointContext {
  store: Store;
  /** The sweep's job id (each point job's `parentJobId`). */
  sweepJobId: string;
  groupId: number;
  /** How the base's points run. */
  base:
    | { kind: 'simulation' }
    | { kind: 'fitted' }
    | { kind: 'replay'; ops: OpColumns; traceId: number; traceParams: unknown };
}

/**
 * The job of one point: `params` as the grid expanded it, `name` the saved run's title,
 * `jobTitle` the job's.
 */
export function sweepPointJob(
  ctx: SweepPointContext,
  params: unknown,
  name: string,
  jobTitle: string,
): JobSpec<RunResult> {
  const { store, groupId, base } = ctx;
  const common = { title: jobTitle, parentJobId: ctx.sweepJobId };
  const saved = { title: name, groupId, engineVersion: ENGINE_VERSION };
  if (base.kind === 'replay') {
    const policy = (params as { policy: PolicyConfig }).policy;
    return {
      ...common,
      kind: 'replay',
      task: 'replay',
      input: { ops: base.ops, policy },
      save: (result) =>
        store.saveRun({
          ...saved,
          kind: 'trace',
          params: { replayOf: base.traceId, policy, source: base.traceParams },
          seed: null,
          result,
          parentId: base.traceId,
        }),
    };
  }
  // A fitted point is stored as `simulate --trace-workload --save` stores it: with its dump named.
  const fitted = base.kind === 'fitted';
  const p = params as SimParams | TraceSimParams;
  const stored = fitted
    ? { ...p, provenance: traceWorkloadProvenance((p as TraceSimParams).traceWorkload.fit) }
    : p;
  return {
    ...common,
    kind: 'simulation',
    task: fitted ? 'simulate-fitted' : 'simulate',
    input: { params: p },
    save: (result) =>
      store.saveRun({ ...saved, kind: 'simulation', params: stored, seed: p.seed, result }),
  };
}
