import { basename } from 'node:path';
import { policyLabel } from '../../shared/policy-knobs';
import type { RunResult } from '../../shared/results';
import { ENGINE_VERSION, presets } from '../engine';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/store';
import { OP_SERIES_NAMES, opsFromSeries, opsToSeries, type TraceImport } from '../trace';
import { requireRegularFile } from '../trace/regular-file';
import type { Handlers } from './dispatch';
import type { RunCache } from './run-cache';

type JobChannels =
  'presets.list' | 'sim.start' | 'jobs.list' | 'jobs.cancel' | 'trace.import' | 'trace.replay';

export function jobHandlers(
  store: Store,
  jobs: JobRunner,
  _runs: RunCache,
): Pick<Handlers, JobChannels> {
  return {
    'presets.list': () => presets(),
    'sim.start': ({ title, params, experimentId }) => {
      const name =
        title ??
        `${params.preset ?? 'custom'} · ${policyLabel(params.policy, params.workload.hotplug.length > 0)} · seed ${params.seed}`;
      const { jobId } = jobs.start<RunResult>({
        kind: 'simulation',
        title: name,
        task: 'simulate',
        input: { params },
        save: (result) =>
          store.saveRun({
            kind: 'simulation',
            into: experimentId,
            title: name,
            params,
            seed: params.seed,
            result,
            engineVersion: ENGINE_VERSION,
          }),
      });
      return { jobId };
    },
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'trace.import': ({ path, cpuHz, piDomains, title, experimentId }) => {
      requireRegularFile(path); // refused here, before a job (and a thread) exists
      const name = title ?? basename(path);
      const { jobId } = jobs.start<TraceImport>({
        kind: 'trace-import',
        title: `import ${name}`,
        task: 'import-trace',
        input: { path, cpuHz: cpuHz ?? null, piDomains: piDomains ?? null },
        save: (imp) =>
          store.saveRun({
            kind: 'trace',
            into: experimentId,
            title: name,
            params: {
              file: imp.file,
              clock: imp.clock,
              cpuHz: imp.clock.cpuHz,
              piDomains: piDomains ?? null,
              assumptions: imp.assumptions,
              provenance: imp.provenance,
              piRecords: imp.piRecords,
              crossCheck: imp.crossCheck,
              domainsSeen: imp.domains,
              stats: imp.stats,
              errors: imp.errors,
            },
            seed: null,
            result: imp.result,
            extraSeries: opsToSeries(imp.ops),
            engineVersion: ENGINE_VERSION,
          }),
      });
      return { jobId };
    },
    'trace.replay': ({ experimentId, policy, title }) => {
      const parent = store.getExperiment(experimentId);
      const ops = opsFromSeries(store.loadSeries(experimentId, [...OP_SERIES_NAMES]));
      if (!ops) {
        throw Object.assign(
          new Error(`experiment ${experimentId} holds no reconstructed operations to replay`),
          { name: 'BadInputError' },
        );
      }
      const name = title ?? `${parent.title} · replay ${policyLabel(policy)}`;
      const { jobId } = jobs.start<RunResult>({
        kind: 'replay',
        title: name,
        task: 'replay',
        input: { ops, policy },
        save: (result) =>
          store.saveRun({
            kind: 'trace',
            title: name,
            params: { replayOf: experimentId, policy, source: parent.params },
            seed: null,
            result,
            parentId: experimentId,
            engineVersion: ENGINE_VERSION,
          }),
      });
      return { jobId };
    },
  };
}
