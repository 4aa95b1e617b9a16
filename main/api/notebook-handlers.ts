/**
 * Channels of the offline experiment notebook (issue 3): sweeps, re-run-and-verify, exports of a
 * run (JSON, Markdown report) and of the whole notebook, and merging another notebook file in.
 *
 * Sweeps report as one job of kind 'sweep' beside the runner's jobs: this group also answers
 * `jobs.list` (the runner's jobs + the sweeps + the K recommendations, recommend-handlers.ts) and
 * `jobs.cancel` (a sweep's job id cancels all its points; a recommendation's, its sweep), so it
 * must be spread AFTER jobHandlers in services.ts.
 */
import { join } from 'node:path';
import type { JobRunner } from '../jobs/runner';
import { exportNotebook, importNotebook } from '../notebook/exchange';
import { defaultExportDir, reportText, stamp, writeReport } from '../notebook/report';
import { writeRunParquet, writeSweepParquet } from '../notebook/parquet';
import { writePerfetto } from '../notebook/perfetto';
import { runJsonText, writeRunJson } from '../notebook/run-json';
import { SweepManager } from '../notebook/sweeps';
import type { RecommendManager } from '../notebook/recommend-jobs';
import { verifyExperiment } from '../notebook/verify';
import type { Store } from '../store/store';
import type { Handlers } from './dispatch';
import type { RunCache } from './run-cache';

type NotebookChannels =
  | 'sweeps.start'
  | 'sweeps.list'
  | 'sweeps.get'
  | 'experiments.verify'
  | 'experiments.exportJson'
  | 'experiments.exportPerfetto'
  | 'experiments.exportParquet'
  | 'sweeps.exportParquet'
  | 'experiments.exportReport'
  | 'experiments.reportText'
  | 'experiments.jsonText'
  | 'notebook.export'
  | 'notebook.import'
  | 'jobs.list'
  | 'jobs.cancel';

export function notebookHandlers(
  store: Store,
  jobs: JobRunner,
  _runs: RunCache,
  sweeps: SweepManager = new SweepManager(store, jobs),
  recommends?: RecommendManager,
): Pick<Handlers, NotebookChannels> {
  return {
    'sweeps.start': ({ base, grid, title, sameRunsOnce }) => {
      const s = sweeps.start({ base, grid, title, sameRunsOnce });
      return { jobId: s.jobId, groupId: s.groupId, points: s.points };
    },
    'sweeps.list': () => sweeps.groups(),
    'sweeps.get': ({ groupId }) => sweeps.detail(groupId),
    'experiments.verify': ({ id }) => verifyExperiment(store, jobs, id),
    'experiments.exportJson': ({ id, path, encoding }) =>
      writeRunJson(store, id, { path, encoding }),
    'experiments.exportPerfetto': ({ id, path }) => writePerfetto(store, id, { path }),
    'experiments.exportParquet': ({ id, dir }) => writeRunParquet(store, id, { dir }),
    'sweeps.exportParquet': ({ groupId, path }) =>
      writeSweepParquet(sweeps.detail(groupId), store, { path }),
    'experiments.exportReport': ({ id, dir, charts }) => writeReport(store, id, { dir, charts }),
    'experiments.reportText': ({ id, charts }) => reportText(store, id, { charts }),
    'experiments.jsonText': ({ id, encoding }) => runJsonText(store, id, encoding),
    'notebook.export': ({ path }) =>
      exportNotebook(store, path ?? join(defaultExportDir(store), `notebook-${stamp()}.db`)),
    'notebook.import': ({ path }) => importNotebook(store, path),
    'jobs.list': () => [...jobs.list(), ...sweeps.list(), ...(recommends?.list() ?? [])],
    'jobs.cancel': ({ jobId }) => ({
      cancelled: !!recommends?.cancel(jobId) || sweeps.cancel(jobId) || jobs.cancel(jobId),
    }),
  };
}
