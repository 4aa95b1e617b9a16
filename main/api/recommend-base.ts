/**
 * The base a `recommend.start` request sweeps K over, as the params every point starts from: a
 * preset, or the params of a saved run (of the stochastic generator, or of a workload fitted from
 * a dump: `TraceSimParams`, its `provenance` set aside); then `durationNs`, as `recommend
 * --duration` applies it. One case per member of shared/recommend-request.ts
 * RecommendBaseSchema (a new kind of base is one more case here).
 */
import { SimParamsSchema, type SimParams, type SimParamsInput } from '../../shared/params';
import { TraceSimParamsSchema, type TraceSimParams } from '../../shared/fitted-workload';
import type { RecommendBase } from '../../shared/recommend-request';
import { recommendationOf } from '../../shared/recommend';
import { presetParams, presets } from '../engine';
import type { Store } from '../store/store';

class RecommendBaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** The saved run's params, or why it cannot be a base (a trace, a recommendation, no result). */
function runParams(store: Store, experimentId: number): Record<string, unknown> {
  const e = store.getExperiment(experimentId); // NotFoundError for an unknown id
  const what = `experiment ${experimentId} (${JSON.stringify(e.title)})`;
  if (e.kind !== 'simulation')
    throw new RecommendBaseError(
      `${what} is a ${e.kind}, not a simulation run; recommend K from a preset or a simulation run`,
    );
  if (recommendationOf(e.params))
    throw new RecommendBaseError(`${what} is a recommendation, not a run: recommend from its base`);
  if (!e.hasResult)
    throw new RecommendBaseError(`${what} has no result yet: run it first, or start from a preset`);
  return (e.params ?? {}) as Record<string, unknown>;
}

/** A fitted run's params as a base: the fit and scaling kept, what names the dump set aside. */
function fittedBase(p: Record<string, unknown>, durationNs?: number): TraceSimParams {
  const { provenance: _named, ...params } = p as {
    provenance?: unknown;
    traceWorkload: Record<string, unknown>;
  };
  const parsed = TraceSimParamsSchema.safeParse({
    ...params,
    traceWorkload: {
      ...params.traceWorkload,
      ...(durationNs !== undefined && { durationNs }),
    },
  });
  if (!parsed.success)
    throw new RecommendBaseError(
      `the base is not a fitted workload's parameters: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

export function resolveRecommendBase(
  store: Store,
  base: RecommendBase,
  durationNs?: number,
): SimParams | TraceSimParams {
  let input: SimParamsInput;
  if ('preset' in base) {
    const p = presetParams(base.preset);
    if (!p)
      throw new RecommendBaseError(
        `unknown preset ${JSON.stringify(base.preset)}; one of ${presets()
          .map((x) => x.name)
          .join(', ')}`,
      );
    input = { ...p, preset: p.preset ?? base.preset };
  } else {
    const p = runParams(store, base.experimentId);
    if ('traceWorkload' in p) return fittedBase(p, durationNs);
    input = p as SimParamsInput;
  }
  const parsed = SimParamsSchema.safeParse({
    ...input,
    workload: { ...input.workload, ...(durationNs !== undefined && { durationNs }) },
  });
  if (!parsed.success)
    throw new RecommendBaseError(
      `the base is not a stochastic simulation's parameters: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}
