/**
 * The app's K recommendations as background jobs (`recommend.start`; docs/notebook.md
 * "Recommend"). One job of kind 'recommend' per request: it runs (or reuses) the K x policy x
 * seed sweep through the app's SweepManager, follows the sweep's progress, and once the sweep is
 * done computes the answer and saves it as a notebook entry (answerFor); the job's
 * `experimentId` is that entry, so the app opens it when done.
 *
 * The sweep is a part of the job (its JobInfo names the job as `parentJobId`): the status line
 * shows one row, and cancelling the job cancels the sweep (its finished points stay saved in
 * the group, as a cancelled sweep's do; no answer is saved). A failed or cancelled sweep ends the
 * job in the same state. Like SweepManager, the jobs report on the runner's own events, so every
 * host forwards them as it forwards any job's.
 */
import type { JobInfo } from '../../shared/model';
import type { Target } from '../../shared/recommend';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/store';
import { expandFittedGrid, expandSimGrid, GridError, gridSize, MAX_SWEEP_POINTS } from './grid';
import { baseName, isFittedBase } from './sweeps';
import { answerFor, recommendGrid, runOrReuseSweep, type RecommendSweepSpec } from './recommend';
import type { SweepManager } from './sweeps';

interface Active {
  info: JobInfo;
  cancelled: boolean;
  /** Cancels the sweep once it is queued (null while reused or not yet started). */
  cancelSweep: (() => void) | null;
}

export interface StartedRecommendation {
  jobId: string;
  /** Settles with the job's final JobInfo (its `experimentId` the saved answer when done). */
  finished: Promise<JobInfo>;
}

export class RecommendManager {
  private active = new Map<string, Active>();
  /** Finished jobs' last JobInfo (kept for `jobs.list`, like the runner's). */
  private done = new Map<string, JobInfo>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly jobs: JobRunner,
    private readonly sweeps: SweepManager,
  ) {
    jobs.on('progress', (j) => this.onSweepProgress(j));
  }

  /**
   * Checks the grid (size, every point a valid SimParams) before anything is saved, then starts
   * the job. Bad input throws GridError (a `bad-input` API error) and changes nothing.
   */
  start(spec: RecommendSweepSpec, targets: Target[]): StartedRecommendation {
    const grid = recommendGrid(spec);
    const n = gridSize(grid);
    if (n > MAX_SWEEP_POINTS)
      throw new GridError(
        `${spec.Ks.length} K x ${spec.policies.length} policies x ${spec.seeds.length} seeds = ${n} runs; at most ${MAX_SWEEP_POINTS}`,
      );
    if (isFittedBase(spec.base)) expandFittedGrid(spec.base, grid);
    else expandSimGrid(spec.base, grid);

    const jobId = `recommend-${Date.now().toString(36)}-${++this.seq}`;
    const info: JobInfo = {
      jobId,
      kind: 'recommend',
      title: `Recommend K · ${baseName(spec.base)} · ${targets.map((t) => t.text).join(', ')}`,
      state: 'running',
      fraction: 0,
      detail: `${n} runs (K × policy × seed)`,
      etaMs: null,
      startedAt: new Date().toISOString(),
      experimentId: null,
      error: null,
      parentJobId: null,
    };
    const a: Active = { info, cancelled: false, cancelSweep: null };
    this.active.set(jobId, a);
    this.jobs.emit('progress', { ...info });

    const finished = this.run(a, spec, targets);
    return { jobId, finished };
  }

  private async run(a: Active, spec: RecommendSweepSpec, targets: Target[]): Promise<JobInfo> {
    try {
      const sweep = await runOrReuseSweep(this.store, this.jobs, spec, {
        sweeps: this.sweeps,
        parentJobId: a.info.jobId,
        onStart: (_sweepJobId, cancel) => (a.cancelSweep = cancel),
      });
      // Cancelled while a reused sweep was being read: no answer is saved.
      if (a.cancelled) return this.end(a, { state: 'cancelled', detail: 'cancelled' });
      if (sweep.state !== 'done')
        return this.end(a, {
          state: sweep.state,
          detail: `sweep group ${sweep.groupId} ${sweep.state}; its finished runs are kept`,
          error:
            sweep.state === 'failed'
              ? `sweep group ${sweep.groupId} failed${sweep.error ? `: ${sweep.error}` : ''}`
              : null,
        });
      const answer = answerFor(this.store, spec, sweep, targets, { save: true });
      const c = answer.chosen;
      return this.end(a, {
        state: 'done',
        fraction: 1,
        etaMs: 0,
        experimentId: answer.experimentId ?? null,
        detail:
          (c ? `K = ${c.K} (${c.policy})` : 'no K meets the targets') +
          (sweep.reused ? ' · runs reused from the notebook' : ''),
      });
    } catch (e) {
      return this.end(a, { state: 'failed', error: (e as Error).message });
    }
  }

  /** The jobs (running and finished), for `jobs.list`. */
  list(): JobInfo[] {
    return [...[...this.active.values()].map((a) => ({ ...a.info })), ...this.done.values()];
  }

  /** Cancels a running recommendation (and its sweep); false if `jobId` is none. */
  cancel(jobId: string): boolean {
    const a = this.active.get(jobId);
    if (!a || a.cancelled) return false;
    a.cancelled = true;
    a.info.detail = 'cancelling';
    a.cancelSweep?.();
    return true;
  }

  /** The sweep's progress is the job's (a reused sweep has none: the job ends at once). */
  private onSweepProgress(j: JobInfo): void {
    const a = j.parentJobId ? this.active.get(j.parentJobId) : undefined;
    if (!a || j.kind !== 'sweep' || j.state !== 'running' || a.cancelled) return;
    Object.assign(a.info, { fraction: j.fraction, etaMs: j.etaMs, detail: `sweep: ${j.detail}` });
    this.jobs.emit('progress', { ...a.info });
  }

  private end(a: Active, patch: Partial<JobInfo>): JobInfo {
    // etaMs null unless the patch says otherwise (0 when done).
    Object.assign(a.info, { etaMs: null }, patch);
    this.active.delete(a.info.jobId);
    this.done.set(a.info.jobId, { ...a.info });
    this.jobs.emit('done', { ...a.info });
    return { ...a.info };
  }
}
