/**
 * `recommend` in the notebook (issue 14 item 2): the K x policy x seed sweep behind a
 * recommendation, run through the sweep machinery or reused when the notebook already holds it
 * complete (same sweep key, every point saved by this engine version), the runs read back for
 * shared/recommend.ts, and the answer saved as a notebook entry that names its sweep group.
 */
import type { JobInfo } from '../../shared/model';
import type { GridAxis } from '../../shared/notebook';
import type { PolicyName, SimParams } from '../../shared/params';
import {
  baseLabel,
  recommend,
  type RecommendAnswer,
  type RecommendBase,
  type SeedRun,
  type Target,
} from '../../shared/recommend';
import type { TraceSimParams } from '../../shared/fitted-workload';
import type { RunSummary } from '../../shared/results';
import { ENGINE_VERSION } from '../engine';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/store';
import { gridSize } from './grid';
import { formatRecommendation } from './recommend-format';
import { sweepKey } from './shards';
import { baseName, isFittedBase, SweepManager } from './sweeps';

export interface RecommendSweepSpec {
  /**
   * The base every point starts from: a preset or config (workload flags applied), or a workload
   * fitted from a dump scaled to N domains on P pCPUs.
   */
  base: SimParams | TraceSimParams;
  Ks: number[];
  policies: PolicyName[];
  seeds: number[];
  title?: string;
}

/** K slowest, then policy, then seed: the grid `sweep` would be given for the same question. */
export function recommendGrid(spec: RecommendSweepSpec): GridAxis[] {
  return [
    { path: 'policy.K', values: spec.Ks },
    { path: 'policy.policy', values: spec.policies },
    { path: 'seed', values: spec.seeds },
  ];
}

/**
 * A finished group of the same sweep (same key) holding every point, each saved by this engine
 * version: its runs answer the question as a new sweep would. The newest such group, or null.
 */
export function reusableGroup(
  store: Store,
  base: SimParams | TraceSimParams,
  grid: GridAxis[],
): number | null {
  const rows = store.db
    .prepare(
      `SELECT g.id,
         (SELECT COUNT(*) FROM experiments e JOIN results r ON r.experiment_id = e.id
           WHERE e.group_id = g.id AND e.engine_version = ?) AS current
       FROM groups g WHERE g.sweep_key = ? AND g.state = 'done' AND g.shard IS NULL
       ORDER BY g.id DESC`,
    )
    .all(ENGINE_VERSION, sweepKey(base, grid)) as { id: number; current: number }[];
  const want = gridSize(grid);
  return rows.find((r) => r.current === want)?.id ?? null;
}

export interface RecommendSweep {
  groupId: number;
  reused: boolean;
  /** The sweep's final state ('done' when reused). */
  state: JobInfo['state'];
  error: string | null;
}

export interface RecommendSweepHooks {
  /** Called once the sweep is queued (not when reused), with its job id and how to cancel it. */
  onStart?: (jobId: string, cancel: () => void) => void;
  /**
   * The manager to run the sweep with: the app's own (its jobs are in `jobs.list` and
   * `jobs.cancel`); default, a new one (the CLI's single sweep).
   */
  sweeps?: SweepManager;
  /** The job the sweep is part of (the app's recommendation job), copied into its JobInfo. */
  parentJobId?: string;
}

/** Reuses a complete sweep, else runs one (every point saved in its group, as `sweep` does). */
export async function runOrReuseSweep(
  store: Store,
  jobs: JobRunner,
  spec: RecommendSweepSpec,
  hooks: RecommendSweepHooks = {},
): Promise<RecommendSweep> {
  const grid = recommendGrid(spec);
  const reuse = reusableGroup(store, spec.base, grid);
  if (reuse !== null) return { groupId: reuse, reused: true, state: 'done', error: null };
  const sweeps = hooks.sweeps ?? new SweepManager(store, jobs);
  const started = sweeps.start({
    base: spec.base,
    grid,
    title: spec.title ?? `recommend ${baseName(spec.base)} · K × policy × seed`,
    ...(hooks.parentJobId !== undefined && { parentJobId: hooks.parentJobId }),
  });
  hooks.onStart?.(started.jobId, () => sweeps.cancel(started.jobId));
  const info = await started.finished;
  return { groupId: started.groupId, reused: false, state: info.state, error: info.error };
}

/** The group's saved runs with their K, policy and seed, as shared/recommend.ts takes them. */
export function loadSeedRuns(store: Store, groupId: number): SeedRun[] {
  const rows = store.db
    .prepare(
      `SELECT e.id, e.params_json, r.summary_json FROM experiments e
       JOIN results r ON r.experiment_id = e.id WHERE e.group_id = ? ORDER BY e.id`,
    )
    .all(groupId) as { id: number; params_json: string; summary_json: string }[];
  return rows.map((r) => {
    const p = JSON.parse(r.params_json) as SimParams;
    return {
      K: p.policy.K,
      policy: p.policy.policy,
      seed: p.seed,
      experimentId: r.id,
      summary: JSON.parse(r.summary_json) as RunSummary,
    };
  });
}

/**
 * Saves the answer as a notebook entry (kind simulation, no result, tag `recommendation`): its
 * params are `{recommendation: answer}`, its notes the human answer and the sweep group it came
 * from. The entry is not put in the group (a group's experiments are its points).
 */
export function saveRecommendation(store: Store, answer: RecommendAnswer, text: string): number {
  const c = answer.chosen;
  const title = `Recommendation: ${c ? `K = ${c.K} (${c.policy})` : 'no K meets the targets'} · ${baseLabel(
    answer.base,
  )}`;
  const notes = `${text}\n\nFrom sweep group ${answer.groupId} (\`#/sweep/${answer.groupId}\`)${
    answer.reused ? ', reused' : ''
  }; targets: ${answer.targets.map((t) => `\`${t}\``).join(', ')}.\n`;
  return store.createExperiment({
    kind: 'simulation',
    title: title.slice(0, 200),
    params: { recommendation: answer },
    notes,
    tags: ['recommendation'],
  }).id;
}

/** What the answer says of its base (RecommendAnswer.base). */
export function baseSummary(base: RecommendSweepSpec['base']): RecommendBase {
  if (!isFittedBase(base))
    return {
      preset: base.preset,
      pcpus: base.workload.pcpus,
      domains: base.workload.domains,
      vcpusPerDomain: base.workload.vcpusPerDomain,
    };
  const w = base.traceWorkload;
  return {
    preset: null,
    pcpus: w.pcpus,
    domains: w.domains,
    vcpusPerDomain: null,
    traceWorkload: {
      file: w.fit.source.file,
      sha256: w.fit.source.sha256,
      experimentId: w.fit.source.experimentId,
      placement: w.placement,
      sampling: w.sampling,
    },
  };
}

/**
 * The answer to a finished sweep (`sweep.state` 'done'): the recommendation over its saved runs,
 * with the group, whether it was reused, the base and the grid (the `--json` object); with
 * `save`, also written into the notebook (saveRecommendation, its notes the human answer) and
 * its entry's id set as `experimentId`. The CLI and the app's `recommend.start` both answer here.
 */
export function answerFor(
  store: Store,
  spec: RecommendSweepSpec,
  sweep: RecommendSweep,
  targets: Target[],
  opts: { save?: boolean } = {},
): RecommendAnswer {
  const answer: RecommendAnswer = {
    ...recommend(loadSeedRuns(store, sweep.groupId), targets, spec.policies),
    groupId: sweep.groupId,
    reused: sweep.reused,
    base: baseSummary(spec.base),
    Ks: spec.Ks,
    policies: spec.policies,
    seeds: spec.seeds,
  };
  if (opts.save)
    answer.experimentId = saveRecommendation(store, answer, formatRecommendation(answer));
  return answer;
}
