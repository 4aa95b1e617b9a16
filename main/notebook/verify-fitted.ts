/**
 * "Re-run and verify" of a run of a workload fitted from a dump: its params hold the fit itself
 * (docs/engine.md, "Workloads fitted from a dump"), so it is recomputed from them alone, without
 * the dump or its trace experiment.
 */
import { TraceSimParamsSchema } from '../../shared/fitted-workload';
import type { ExperimentRecord } from '../../shared/model';
import type { RunResult } from '../../shared/results';
import type { Plan } from './verify';

export function fittedPlan(e: ExperimentRecord, p: Record<string, unknown>): Plan {
  const { provenance: _provenance, ...params } = p;
  const method = 'simulation of a fitted workload';
  const parsed = TraceSimParamsSchema.safeParse(params);
  if (!parsed.success)
    return {
      method,
      notes: [],
      unverifiable: `the stored parameters are not valid fitted-workload parameters: ${parsed.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    };
  return {
    method,
    notes: [],
    spec: {
      kind: 'verify',
      title: `verify #${e.id} ${e.title}`,
      task: 'simulate-fitted',
      input: { params: parsed.data },
    },
    toRun: (out) => out as RunResult,
  };
}
