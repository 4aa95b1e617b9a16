/**
 * Workloads fitted from a trace experiment (docs/engine.md, "Workloads fitted from a dump"): the
 * fit itself (Setup plots it before a run) and a scaled run of it as a background job, saved with
 * the fit in its params and the dump's sha256 in its provenance.
 */
import { policyLabel } from '../../shared/policy-knobs';
import { TraceSimParamsSchema, type FittedWorkload } from '../../shared/fitted-workload';
import type { RunResult } from '../../shared/results';
import { ENGINE_VERSION } from '../engine';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/store';
import { fitStoredTrace, traceWorkloadProvenance } from '../trace/fit-source';
import type { Handlers } from './dispatch';

/** The fit of a stored trace, its problems reported as bad input (not-found passes through). */
function fitOf(store: Store, experimentId: number): FittedWorkload {
  store.getExperiment(experimentId); // NotFoundError for an unknown id
  try {
    return fitStoredTrace(store, experimentId);
  } catch (e) {
    throw Object.assign(new Error((e as Error).message), { name: 'BadInputError' });
  }
}

export function fitHandlers(
  store: Store,
  jobs: JobRunner,
): Pick<Handlers, 'trace.fit' | 'trace.simulateFitted'> {
  return {
    'trace.fit': ({ experimentId }) => fitOf(store, experimentId),
    'trace.simulateFitted': (req) => {
      const fit = fitOf(store, req.experimentId);
      if (fit.domains.length === 0)
        throw Object.assign(
          new Error(
            `${fit.source.file}: no HVM domain to fit (import it again naming its PI domains)`,
          ),
          { name: 'BadInputError' },
        );
      const params = TraceSimParamsSchema.parse({
        traceWorkload: {
          fit,
          domains: req.domains,
          pcpus: req.pcpus,
          ...(req.placement && { placement: req.placement }),
          ...(req.sampling && { sampling: req.sampling }),
          ...(req.durationNs !== undefined && { durationNs: req.durationNs }),
        },
        policy: req.policy,
        ...(req.seed !== undefined && { seed: req.seed }),
      });
      const name =
        req.title ??
        `${fit.source.file} x ${req.domains} on ${req.pcpus} pCPUs · ${policyLabel(params.policy, false)} · seed ${params.seed}`;
      const provenance = traceWorkloadProvenance(fit);
      const { jobId } = jobs.start<RunResult>({
        kind: 'simulation',
        title: name,
        task: 'simulate-fitted',
        input: { params },
        save: (result) =>
          store.saveRun({
            kind: 'simulation',
            title: name,
            params: { ...params, provenance },
            seed: params.seed,
            result,
            engineVersion: ENGINE_VERSION,
          }),
      });
      return { jobId };
    },
  };
}
