/**
 * Sweeps: a grid over a base simulation, a workload fitted from a dump (`TraceSimParams`) or a
 * trace replay, run in the background as one group.
 *
 * Each grid point is its own JobRunner job (a worker thread; the runner keeps at most one per
 * core and queues the rest) whose JobInfo names the sweep's job id as `parentJobId`, saved with the sweep's `groupId` as soon as it finishes. The sweep
 * itself is reported as one job of kind 'sweep' whose progress aggregates its points' (points
 * done + the running points' fractions, over the number of points); its events go out on the
 * runner's own `progress` / `done` events, so every host forwards them like any job's.
 *
 * Cancel cancels every point: queued points never start, running ones are terminated (a
 * cancelled job never saves). **Points that had already finished stay saved in the group**, and
 * the group is marked 'cancelled' with `saved < points`: they are real, reproducible runs, and
 * the table shows which points are missing. A point that fails does not stop the others; the
 * sweep ends 'failed' with the first error. Sweeps still 'running' when their process stopped
 * (the group records its pid) are marked 'interrupted' the next time a manager opens the notebook.
 */
import type { JobInfo } from '../../shared/model';
import { ignoredPaths, sameRunGroups, sameRunNote } from '../../shared/sweep-dedupe';
import type {
  GridAxis,
  GridValue,
  SweepDetail,
  SweepGroup,
  SweepPoint,
} from '../../shared/notebook';
import type { PolicyConfig, SimParams } from '../../shared/params';
import type { TraceSimParams } from '../../shared/fitted-workload';
import type { RunSummary } from '../../shared/results';
import { EtaEstimator } from '../jobs/eta';
import type { JobRunner } from '../jobs/runner';
import { NotFoundError, type Store } from '../store/store';
import { OP_SERIES_NAMES, opsFromSeries, type OpColumns } from '../trace/op-columns';
import {
  expandFittedGrid,
  expandReplayGrid,
  expandSimGrid,
  getPath,
  GridError,
  pointLabel,
  type GridPoint,
} from './grid';
import { shardLabel, shardOfPoint, sweepKey, type ShardSpec } from './shards';
import { sweepPointJob, type SweepPointContext } from './sweep-point-jobs';

/** Names under which a trace experiment keeps its reconstructed operations (job-handlers.ts). */

/** A trace replay's base: the trace experiment whose operations every point replays. */
export interface ReplayBase {
  traceExperimentId: number;
  policy?: PolicyConfig;
}

/**
 * What a sweep varies around: stochastic-generator params, a workload fitted from a dump (the
 * fit is in the params, so every point is reproducible from its own saved params), or a replay.
 */
export type SweepBase = SimParams | TraceSimParams | ReplayBase;

export interface SweepSpec {
  base: SweepBase;
  grid: GridAxis[];
  title?: string;
  /**
   * Run grid points that are the same run (they differ only in knobs their policy does not
   * read, shared/sweep-dedupe.ts) once, titled with the values they stand for. Default false:
   * every point is run and saved.
   */
  sameRunsOnce?: boolean;
  /** Run only this shard of the grid (simulation sweeps; see shards.ts). */
  shard?: ShardSpec;
  /**
   * The job this sweep is part of (the app's K recommendation), copied into the sweep's JobInfo:
   * the status line then shows that job's row, not the sweep's.
   */
  parentJobId?: string;
}

export interface StartedSweep {
  jobId: string;
  groupId: number;
  points: number;
  /** Settles with the sweep's final JobInfo once every point has finished or been cancelled. */
  finished: Promise<JobInfo>;
}

interface GroupRow {
  id: number;
  kind: 'sweep';
  title: string;
  base_json: string;
  grid_json: string;
  points: number;
  state: SweepGroup['state'];
  created_at: string;
  saved: number;
  sweep_key: string | null;
  shard: string | null;
}

interface Active {
  info: JobInfo;
  groupId: number;
  pointJobs: string[];
  fractions: Map<string, number>;
  finishedPoints: number;
  cancelled: boolean;
  started: number;
  lastEmit: number;
  eta: EtaEstimator;
}

/** The grid paths a kept point's policy does not read (left out of its label). */
function sameRunIgnored(values: Record<string, GridValue>, spec: SweepSpec): string[] {
  const base = isTraceBase(spec.base)
    ? { policy: spec.base.policy ?? { policy: 'series' } }
    : spec.base;
  return ignoredPaths(values, base);
}

function isTraceBase(b: SweepBase): b is ReplayBase {
  return typeof (b as { traceExperimentId?: unknown }).traceExperimentId === 'number';
}

/** A base whose points are runs of a workload fitted from a dump. */
export function isFittedBase(b: unknown): b is TraceSimParams {
  return b !== null && typeof b === 'object' && 'traceWorkload' in b;
}

/** How a sweep's title names its base: the preset, or the dump a fitted workload came from. */
export function baseName(b: SimParams | TraceSimParams): string {
  return isFittedBase(b)
    ? `fit of ${b.traceWorkload.fit.source.file} × ${b.traceWorkload.domains} domains on ${b.traceWorkload.pcpus} pCPUs`
    : (b.preset ?? 'custom');
}

/** The metrics of a sweep point (table columns and parallel-coordinates axes). */
export function sweepMetrics(s: RunSummary): SweepPoint['metrics'] {
  return {
    maxListLength: s.maxListLength,
    p99Walk: s.walkStats?.p99 ?? 0,
    maxWalk: s.walkStats?.max ?? 0,
    p99WalkNs: s.walkTimeNsStats?.p99 ?? 0,
    remotePlacements: s.remotePlacements,
    overBoundInsertions: s.overBoundInsertions,
    wakeupInterrupts: s.wakeupInterrupts,
    fixupMoves: s.fixupMoves,
  };
}

export class SweepManager {
  private active = new Map<string, Active>();
  /** Finished sweeps' last JobInfo (like the runner, kept for `jobs.list`). */
  private done = new Map<string, JobInfo>();
  private byPointJob = new Map<string, Active>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly jobs: JobRunner,
  ) {
    this.markInterrupted();
    jobs.on('progress', (j) => this.onPointProgress(j));
  }

  /**
   * Sweeps left 'running' by a process that is gone (the app quit or crashed mid-sweep) will not
   * finish: mark them 'interrupted'. Sweeps of a live process sharing the notebook are left be.
   */
  private markInterrupted(): void {
    const rows = this.store.db
      .prepare("SELECT id, owner_pid FROM groups WHERE state = 'running'")
      .all() as { id: number; owner_pid: number | null }[];
    const mark = this.store.db.prepare("UPDATE groups SET state = 'interrupted' WHERE id = ?");
    for (const r of rows) if (r.owner_pid === null || !processAlive(r.owner_pid)) mark.run(r.id);
  }

  /** Validates and expands the grid, creates the group, queues every point. */
  start(spec: SweepSpec): StartedSweep {
    const trace = isTraceBase(spec.base);
    if (spec.shard && trace)
      throw new GridError(
        'a trace replay sweep cannot be sharded (the trace is local to one notebook)',
      );
    const fitted = isFittedBase(spec.base);
    let points:
      GridPoint<SimParams>[] | GridPoint<TraceSimParams>[] | GridPoint<{ policy: PolicyConfig }>[];
    let traceOps: OpColumns | null = null;
    let parentTitle = '';
    let parentParams: unknown = null;
    if (isTraceBase(spec.base)) {
      const parent = this.store.getExperiment(spec.base.traceExperimentId);
      if (parent.kind !== 'trace')
        throw new GridError(`experiment ${parent.id} is not a trace; sweep its parameters instead`);
      points = expandReplayGrid(spec.base.policy ?? { policy: 'series' }, spec.grid);
      traceOps = opsFromSeries(this.store.loadSeries(parent.id, [...OP_SERIES_NAMES]));
      if (!traceOps)
        throw new GridError(`experiment ${parent.id} holds no reconstructed operations to replay`);
      parentTitle = parent.title;
      parentParams = parent.params;
    } else if (fitted) {
      points = expandFittedGrid(spec.base, spec.grid);
    } else {
      points = expandSimGrid(spec.base, spec.grid);
    }
    // The group counts the whole grid's points; a shard saves only its own (saved < points).
    const gridPointCount = points.length;
    const key = trace ? null : sweepKey(spec.base as SimParams | TraceSimParams, spec.grid);
    if (spec.shard) {
      const { index, count } = spec.shard;
      points = (points as GridPoint<unknown>[]).filter(
        (_, i) => shardOfPoint(i, count) === index,
      ) as typeof points;
    }
    /** Index of a kept point -> what it stands for (" · K = 0, 32: one run (…)"). */
    const notes = new Map<number, string>();
    if (spec.sameRunsOnce) {
      const groups = sameRunGroups(
        points.map((p) => p.values),
        trace ? { policy: spec.base.policy ?? { policy: 'series' } } : spec.base,
      );
      const all = points;
      points = groups.map((g, i) => {
        const note = sameRunNote(g);
        if (note) notes.set(i, note);
        return all[g.indices[0]];
      }) as typeof points;
    }
    const named = trace ? parentTitle : baseName(spec.base as SimParams | TraceSimParams);
    const title =
      spec.title ?? `sweep ${named} · ${spec.grid.map((a) => a.path.split('.').pop()).join(' × ')}`;
    const groupId = Number(
      this.store.db
        .prepare(
          `INSERT INTO groups (kind, title, base_json, grid_json, points, state, owner_pid, created_at,
             sweep_key, shard)
           VALUES ('sweep', ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
        )
        .run(
          title,
          JSON.stringify(spec.base),
          JSON.stringify(spec.grid),
          // Unsharded: the points this sweep runs (after same-run dedupe); a shard: the whole grid's.
          spec.shard ? gridPointCount : points.length,
          process.pid,
          new Date().toISOString(),
          key,
          spec.shard ? shardLabel(spec.shard) : null,
        ).lastInsertRowid,
    );

    // The group id is part of the job id (`sweep-g<groupId>-...`), so a view reopened on a
    // running sweep finds its job in `jobs.list`.
    const jobId = `sweep-g${groupId}-${Date.now().toString(36)}-${++this.seq}`;
    const info: JobInfo = {
      jobId,
      kind: 'sweep',
      title,
      state: 'running',
      fraction: 0,
      detail: `0 / ${points.length} points`,
      etaMs: null,
      startedAt: new Date().toISOString(),
      experimentId: null,
      error: null,
      ...(spec.parentJobId !== undefined && { parentJobId: spec.parentJobId }),
    };
    const a: Active = {
      info,
      groupId,
      pointJobs: [],
      fractions: new Map(),
      finishedPoints: 0,
      cancelled: false,
      started: Date.now(),
      lastEmit: 0,
      eta: new EtaEstimator(),
    };
    this.active.set(jobId, a);
    this.jobs.emit('progress', { ...info });

    const pointCtx: SweepPointContext = {
      store: this.store,
      sweepJobId: jobId,
      groupId,
      base: trace
        ? {
            kind: 'replay',
            ops: traceOps!,
            traceId: (spec.base as ReplayBase).traceExperimentId,
            traceParams: parentParams,
          }
        : { kind: fitted ? 'fitted' : 'simulation' },
    };
    const n = points.length;
    const finishedPoints: Promise<JobInfo>[] = [];
    let firstError: string | null = null;
    points.forEach((pt, i) => {
      const note = notes.get(i);
      const label = note
        ? `${pointLabel(pt.values, sameRunIgnored(pt.values, spec))} (${note})`
        : pointLabel(pt.values);
      // The point's own values first: sidebar titles are cut at the end, where they differed.
      const name = `${label} · ${title}`;
      const jobTitle = `${title} · ${i + 1}/${n} · ${label}`;
      const started = this.jobs.start(sweepPointJob(pointCtx, pt.params, name, jobTitle));
      a.pointJobs.push(started.jobId);
      a.fractions.set(started.jobId, 0);
      this.byPointJob.set(started.jobId, a);
      finishedPoints.push(
        started.finished.then((j) => {
          a.finishedPoints++;
          a.fractions.delete(started.jobId);
          this.byPointJob.delete(started.jobId);
          if (j.state === 'failed' && !firstError) firstError = `${label}: ${j.error}`;
          this.emitProgress(a, true);
          return j;
        }),
      );
    });

    const finished = Promise.all(finishedPoints).then((results) => {
      const saved = results.filter((j) => j.state === 'done').length;
      const failed = results.filter((j) => j.state === 'failed').length;
      const state: JobInfo['state'] = a.cancelled ? 'cancelled' : failed ? 'failed' : 'done';
      // The notebook may have been closed meanwhile (shutdown cancels every job first).
      if (this.store.db.open)
        this.store.db.prepare('UPDATE groups SET state = ? WHERE id = ?').run(state, groupId);
      Object.assign(info, {
        state,
        fraction: state === 'done' ? 1 : info.fraction,
        etaMs: state === 'done' ? 0 : null,
        detail:
          `${saved} / ${n} points saved` +
          (failed ? `, ${failed} failed` : '') +
          (a.cancelled ? ' (cancelled; finished points kept)' : ''),
        error: failed ? `${failed} of ${n} points failed; first: ${firstError}` : null,
      });
      this.active.delete(jobId);
      this.done.set(jobId, { ...info });
      this.jobs.emit('done', { ...info });
      return { ...info };
    });
    return { jobId, groupId, points: n, finished };
  }

  /** The sweeps' JobInfos (running and finished), for `jobs.list`. */
  list(): JobInfo[] {
    return [...[...this.active.values()].map((a) => ({ ...a.info })), ...this.done.values()];
  }

  get(jobId: string): JobInfo | undefined {
    const a = this.active.get(jobId);
    return a ? { ...a.info } : this.done.get(jobId);
  }

  /** Cancels every point of a running sweep; false if `jobId` is no running sweep. */
  cancel(jobId: string): boolean {
    const a = this.active.get(jobId);
    if (!a || a.cancelled) return false;
    a.cancelled = true;
    a.info.detail = 'cancelling';
    for (const id of a.pointJobs) this.jobs.cancel(id);
    return true;
  }

  groups(): SweepGroup[] {
    return (
      this.store.db
        .prepare(
          `SELECT g.*, (SELECT COUNT(*) FROM experiments e WHERE e.group_id = g.id) AS saved
           FROM groups g ORDER BY g.created_at DESC, g.id DESC`,
        )
        .all() as GroupRow[]
    ).map(toGroup);
  }

  group(groupId: number): SweepGroup {
    const row = this.store.db
      .prepare(
        `SELECT g.*, (SELECT COUNT(*) FROM experiments e WHERE e.group_id = g.id) AS saved
         FROM groups g WHERE g.id = ?`,
      )
      .get(groupId) as GroupRow | undefined;
    if (!row) throw new NotFoundError(`sweep ${groupId}`);
    return toGroup(row);
  }

  /** The group and its saved points: grid coordinates read from each run's params, metrics. */
  detail(groupId: number): SweepDetail {
    const group = this.group(groupId);
    const rows = this.store.db
      .prepare(
        `SELECT e.id, e.title, e.params_json, r.summary_json FROM experiments e
         LEFT JOIN results r ON r.experiment_id = e.id WHERE e.group_id = ? ORDER BY e.id`,
      )
      .all(groupId) as {
      id: number;
      title: string;
      params_json: string;
      summary_json: string | null;
    }[];
    const points: SweepPoint[] = rows.map((r) => {
      const params = JSON.parse(r.params_json) as unknown;
      const values: Record<string, GridValue> = {};
      for (const axis of group.grid) {
        const v = getPath(params, axis.path);
        values[axis.path] = v === undefined ? null : (v as GridValue);
      }
      const summary = r.summary_json ? (JSON.parse(r.summary_json) as RunSummary) : null;
      return {
        experimentId: r.id,
        title: r.title,
        values,
        metrics: summary ? sweepMetrics(summary) : null,
      };
    });
    // Grid order (the first axis varying slowest), whatever order the points finished in.
    const rank = (pt: SweepPoint) =>
      group.grid.map((axis) => {
        const i = axis.values.findIndex(
          (v) => JSON.stringify(v) === JSON.stringify(pt.values[axis.path]),
        );
        return i < 0 ? axis.values.length : i;
      });
    const ranked = points.map((pt) => ({ pt, r: rank(pt) }));
    ranked.sort((a, b) => {
      for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i] - b.r[i];
      return a.pt.experimentId - b.pt.experimentId;
    });
    return { group, points: ranked.map((x) => x.pt) };
  }

  private onPointProgress(j: JobInfo): void {
    const a = this.byPointJob.get(j.jobId);
    if (!a || j.state !== 'running') return;
    a.fractions.set(j.jobId, j.fraction);
    this.emitProgress(a, false);
  }

  private emitProgress(a: Active, force: boolean): void {
    if (a.info.state !== 'running') return;
    const n = a.pointJobs.length || 1;
    let f = a.finishedPoints;
    for (const v of a.fractions.values()) f += v;
    const fraction = Math.min(1, f / n);
    const now = Date.now();
    if (!force && now - a.lastEmit < 100) return;
    a.lastEmit = now;
    const running = [...a.fractions.values()].filter((v) => v > 0).length;
    Object.assign(a.info, {
      fraction,
      etaMs: a.eta.update(now, fraction),
      detail: a.cancelled
        ? 'cancelling'
        : `${a.finishedPoints} / ${n} points${running ? `, ${running} running` : ''}`,
    });
    this.jobs.emit('progress', { ...a.info });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toGroup(r: GroupRow): SweepGroup {
  const base = JSON.parse(r.base_json) as unknown;
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    baseKind:
      base && typeof base === 'object' && 'traceExperimentId' in base ? 'trace' : 'simulation',
    base,
    grid: JSON.parse(r.grid_json) as GridAxis[],
    points: r.points,
    saved: r.saved,
    state: r.state,
    createdAt: r.created_at,
    sweepKey: r.sweep_key ?? null,
    shard: r.shard ?? null,
  };
}
