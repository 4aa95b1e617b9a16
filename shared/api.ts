/**
 * The typed contract between main and renderer (after Electron Fiddle's typed IPC channels).
 * Every channel takes exactly one argument, validated in main by its zod schema; its response type
 * is in `ApiResponses`. The same table drives the Electron preload (one method per channel), the
 * browser host (HTTP POST /api/<channel>) and the renderer's transport.
 */
import { z } from 'zod';
import { PolicyConfigSchema, SimParamsSchema } from './params';
import { TraceSimParamsSchema, TraceWorkloadSchema, type FittedWorkload } from './fitted-workload';
import { RecommendRequestSchema } from './recommend-request';
import type { RunSummary, Timeline } from './results';
import { PUSH_EVENT_NAMES, type ChannelName } from './channels';
import type {
  DownloadText,
  ExportedFile,
  NotebookImportResult,
  ParquetExport,
  ParquetTableFile,
  PerfettoExport,
  ReportResult,
  SweepDetail,
  SweepGroup,
  VerifyReport,
} from './notebook';
import type {
  ExperimentRecord,
  ExperimentListItem,
  Annotation,
  JobInfo,
  PresetInfo,
} from './model';

const id = z.number().int().positive();
const text = (max: number) => z.string().max(max);
/** A chart rendered by the app for a report: file stem, caption, PNG bytes in base64. */
const ChartPngSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    title: text(200).optional(),
    pngBase64: z.string().max(8 * 1024 * 1024),
  })
  .strict();
const tag = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s,]+$/, 'a tag has no spaces or commas');

export const requestSchemas = {
  'app.info': z.object({}).strict(),

  'experiments.list': z
    .object({ search: text(200).optional(), tag: tag.optional(), groupId: id.optional() })
    .strict(),
  'experiments.get': z.object({ id }).strict(),
  'experiments.create': z
    .object({
      kind: z.enum(['simulation', 'trace']),
      title: text(200).min(1),
      notes: text(1_000_000).optional(),
      tags: z.array(tag).max(64).optional(),
    })
    .strict(),
  'experiments.update': z
    .object({
      id,
      title: text(200).min(1).optional(),
      notes: text(1_000_000).optional(),
      tags: z.array(tag).max(64).optional(),
    })
    .strict(),
  'experiments.delete': z.object({ id }).strict(),

  'annotations.list': z.object({ experimentId: id }).strict(),
  'annotations.add': z
    .object({
      experimentId: id,
      tNs: z.number().min(0),
      pcpu: z.number().int().min(0).nullable().optional(),
      vcpu: z
        .object({ dom: z.number().int().min(0), vcpu: z.number().int().min(0) })
        .strict()
        .nullable()
        .optional(),
      text: text(10_000).min(1),
    })
    .strict(),
  'annotations.delete': z.object({ id }).strict(),

  'presets.list': z.object({}).strict(),
  'sim.start': z
    .object({
      title: text(200).optional(),
      params: SimParamsSchema,
      /** Run into this existing experiment (created in the notebook, no result yet) instead of a new one. */
      experimentId: id.optional(),
    })
    .strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),

  'trace.import': z
    .object({
      /** Path of the dump on the machine running main (Electron dialog, CLI, or an upload). */
      path: text(4096).min(1),
      /** Import into this existing trace experiment (created in the notebook, no result yet). */
      experimentId: id.optional(),
      cpuHz: z.number().positive().max(1e11).nullable().optional(),
      piDomains: z.array(z.number().int().min(0).max(0xffff)).max(65536).nullable().optional(),
      title: text(200).optional(),
    })
    .strict(),
  'trace.replay': z
    .object({ experimentId: id, policy: PolicyConfigSchema, title: text(200).optional() })
    .strict(),
  /** The workload fitted from a trace experiment (docs/engine.md, "Workloads fitted from a dump"). */
  'trace.fit': z.object({ experimentId: id }).strict(),
  /** A run of that fitted workload, scaled to `domains` on `pcpus`, as a background job. */
  'trace.simulateFitted': TraceWorkloadSchema.omit({ fit: true })
    .extend({
      experimentId: id,
      policy: PolicyConfigSchema,
      seed: SimParamsSchema.shape.seed,
      title: text(200).optional(),
    })
    .strict(),

  'run.summary': z.object({ experimentId: id }).strict(),
  /** Series binned to `pixels` columns over [t0Ns, t1Ns] (per-pixel min/max/mean/last). */
  'run.series': z
    .object({
      experimentId: id,
      t0Ns: z.number().min(0).optional(),
      t1Ns: z.number().min(0).optional(),
      pixels: z.number().int().min(1).max(8192),
      pcpus: z.array(z.number().int().min(0)).max(4096).optional(),
      /** Per-pCPU arrays to fill (default: all); the others come back empty. */
      fields: z
        .array(z.enum(['lenMax', 'lenMean', 'lenMin', 'lenLast', 'overBound']))
        .max(5)
        .optional(),
    })
    .strict(),
  /** Every pCPU's list length at one instant, with the bound then. */
  'run.lengthsAt': z.object({ experimentId: id, tNs: z.number().min(0) }).strict(),
  /** One pCPU's list at one instant, a window of rows (virtualised views). */
  'run.listAt': z
    .object({
      experimentId: id,
      tNs: z.number().min(0),
      pcpu: z.number().int().min(0),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).default(200),
      search: text(100).optional(),
    })
    .strict(),
  /** Entries per domain on one pCPU's list (or all lists) at one instant; top domains first. */
  'run.domainsAt': z
    .object({
      experimentId: id,
      tNs: z.number().min(0),
      /** One pCPU's list; absent or null = every list. */
      pcpu: z.number().int().min(0).nullable().default(null),
      /** Only this domain: its count and the pCPUs holding its vCPUs. */
      dom: z.number().int().min(0).max(0xffffffff).nullable().default(null),
      top: z.number().int().min(1).max(1000).default(10),
    })
    .strict(),
  'run.walks': z.object({ experimentId: id }).strict(),
  /** Figures of a selected range [t0Ns, t1Ns), at the resolution of the stored buckets. */
  'run.rangeStats': z
    .object({ experimentId: id, t0Ns: z.number().min(0), t1Ns: z.number().min(0) })
    .strict()
    .refine((r) => r.t1Ns > r.t0Ns, { message: 't1Ns must be greater than t0Ns', path: ['t1Ns'] }),
  'run.seriesCsv': z.object({ experimentId: id, name: text(100).min(1) }).strict(),

  /** A grid (dotted parameter paths x values) over a base simulation or a trace's replays. */
  'sweeps.start': z
    .object({
      base: z.union([
        SimParamsSchema,
        /** A workload fitted from a dump (a fitted run's params without `provenance`). */
        TraceSimParamsSchema,
        z.object({ traceExperimentId: id, policy: PolicyConfigSchema.optional() }).strict(),
      ]),
      grid: z
        .array(
          z
            .object({
              path: text(100).min(1),
              values: z
                .array(z.union([z.number(), text(100), z.boolean(), z.null()]))
                .min(1)
                .max(256),
            })
            .strict(),
        )
        .min(1)
        .max(8),
      title: text(200).optional(),
      /** Run grid points that are the same run once (shared/sweep-dedupe.ts); default false. */
      sameRunsOnce: z.boolean().optional(),
    })
    .strict(),
  'sweeps.list': z.object({}).strict(),
  'sweeps.get': z.object({ groupId: id }).strict(),
  /**
   * "Which K?" from the app: runs (or reuses) the K x policy x seed sweep as a background job of
   * kind 'recommend', then saves the answer; the job's `experimentId` is the saved entry
   * (shared/recommend-request.ts; docs/notebook.md "Recommend").
   */
  'recommend.start': RecommendRequestSchema,
  /** Re-run and verify: recompute from the stored inputs, compare byte for byte. */
  'experiments.verify': z.object({ id }).strict(),
  /** Paths are on the machine running main; default: exports/ beside the notebook file. */
  'experiments.exportJson': z
    .object({
      id,
      path: text(4096).min(1).optional(),
      encoding: z.enum(['auto', 'base64']).optional(),
    })
    .strict(),
  /** Chrome JSON trace events for ui.perfetto.dev (default exports/run-….perfetto.json). */
  'experiments.exportPerfetto': z.object({ id, path: text(4096).min(1).optional() }).strict(),
  /** A folder of Parquet tables (default exports/run-….parquet/). */
  'experiments.exportParquet': z.object({ id, dir: text(4096).min(1).optional() }).strict(),
  /** A sweep group as one Parquet table, a row per point (default exports/sweep-….parquet). */
  'sweeps.exportParquet': z.object({ groupId: id, path: text(4096).min(1).optional() }).strict(),
  'experiments.exportReport': z
    .object({
      id,
      dir: text(4096).min(1).optional(),
      charts: z.array(ChartPngSchema).max(16).default([]),
    })
    .strict(),
  /**
   * The same exports as text for a download in the browser (nothing written on the lab's
   * machine): the report as one Markdown file with its charts embedded, the run as JSON.
   */
  'experiments.reportText': z
    .object({ id, charts: z.array(ChartPngSchema).max(16).default([]) })
    .strict(),
  'experiments.jsonText': z
    .object({ id, encoding: z.enum(['auto', 'base64']).optional() })
    .strict(),
  'notebook.export': z.object({ path: text(4096).min(1).optional() }).strict(),
  'notebook.import': z.object({ path: text(4096).min(1) }).strict(),

  /** Native file dialogs (Electron host only; the browser host answers `unavailable`). */
  'dialog.open': z
    .object({
      title: text(200).optional(),
      filters: z
        .array(z.object({ name: text(100), extensions: z.array(text(20)).max(20) }).strict())
        .max(10)
        .optional(),
    })
    .strict(),
  'dialog.save': z
    .object({ title: text(200).optional(), defaultName: text(255).optional() })
    .strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

// The preload's name list (shared/channels.ts) must name exactly the channels of this table.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _channelsAgree: Same<Channel, ChannelName> = true;
void _channelsAgree;
export type ApiRequest<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type ApiParsedRequest<C extends Channel> = z.output<(typeof requestSchemas)[C]>;

export interface AppInfo {
  name: string;
  version: string;
  commit: string | null;
  engineVersion: string;
  schemaVersion: number;
  dbPath: string;
  host: 'electron' | 'browser' | 'cli';
  platform: string;
}

export interface BinnedSeries {
  t0Ns: number;
  t1Ns: number;
  pixels: number;
  /** Column start times, ns. */
  tNs: number[];
  pcpus: number[];
  /** Per requested pCPU, per column: max / mean / min / last list length. */
  lenMax: number[][];
  lenMean: number[][];
  lenMin: number[][];
  h: number[];
  online: number[];
  bound: number[];
  boundMin: number[];
  /** Insertions over the bound per column (all pCPUs). */
  overBound: number[];
  /** Per requested pCPU, per column: length at the end of the column. */
  lenLast: number[][];
  /** Per requested pCPU, per column: insertions over the bound. */
  overBoundPcpu: number[][];
  /** Per column: the longest list over ALL pCPUs (whatever `pcpus` asked for). */
  lenMaxAll: number[];
  /** Per column: max of H (moves inside the column survive). */
  hMax: number[];
}

/** Per-pCPU arrays of `run.series` (request `fields`). */
export type SeriesField = 'lenMax' | 'lenMean' | 'lenMin' | 'lenLast' | 'overBound';

export interface LengthsAt {
  tNs: number;
  lengths: number[];
  online: boolean[];
  bound: number;
  h: number;
}

export interface ListRow {
  dom: number;
  vcpu: number;
  sinceNs: number;
  /** The pCPU the vCPU blocked on (remote when it differs from the list's pCPU). */
  blockedOn: number;
  remote: boolean;
  on: boolean;
}

export interface ListAt {
  tNs: number;
  pcpu: number;
  total: number;
  offset: number;
  rows: ListRow[];
}

/** Which domains' vCPUs are listed at `tNs` (run.domainsAt). */
export interface DomainsAt {
  tNs: number;
  pcpu: number | null;
  dom: number | null;
  /** Entries counted (on `pcpu`'s list or every list; only `dom`'s when given). */
  total: number;
  /** Distinct domains among them. */
  domains: number;
  /** Largest first (ties by domain id), at most `top`. */
  top: { dom: number; count: number }[];
  /** The pCPUs holding those entries, largest first, at most `top`. */
  pcpus: { pcpu: number; count: number }[];
}

export interface WalkReport {
  entries: { values: number[]; counts: number[] };
  stats: RunSummary['walkStats'];
  timeNsStats: RunSummary['walkTimeNsStats'];
  costs: { walkNsPerEntry: number; interruptEntryNs: number };
}

/** One pCPU's figures over a selected range (`run.rangeStats`). */
export interface RangeStatsPcpu {
  pcpu: number;
  /** Longest list in the covered buckets, and the start of the first bucket reaching it. */
  maxLength: number;
  maxAtNs: number;
  /** Sum of `overbound` over the covered buckets. */
  overBoundInsertions: number;
  /** Width of the covered buckets whose max length exceeds their `bound.min` (bucket resolution). */
  timeOverBoundNs: number;
}

/**
 * `run.rangeStats`: a selected range's figures from the stored bucketed series
 * (main/api/range-stats.ts documents each). Every figure covers whole buckets: the ones the
 * range touches, [coveredT0Ns, coveredT1Ns), `buckets` of `bucketNs` each.
 */
export interface RangeStats {
  /** The range asked for, clamped to the run. */
  t0Ns: number;
  t1Ns: number;
  /** The resolution: width of one stored bucket, ns. */
  bucketNs: number;
  firstBucket: number;
  buckets: number;
  coveredT0Ns: number;
  coveredT1Ns: number;
  /** Longest list: length, pCPU, start of the (first) bucket where it was reached. */
  maxLength: number;
  maxPcpu: number;
  maxAtNs: number;
  /** The bound in that bucket: its minimum over the bucket, and its value at the bucket's end. */
  boundAtMax: number | null;
  boundAtMaxEnd: number | null;
  /** Min / max over the covered buckets (null when the run has no such series). */
  h: { min: number; max: number } | null;
  bound: { min: number; max: number } | null;
  online: { min: number; max: number } | null;
  overBoundInsertions: number;
  /** The 10 pCPUs with the longest lists (longest first, ties: lower pCPU), empty lists left out. */
  topPcpus: RangeStatsPcpu[];
  /** pCPUs whose max length exceeded the bound in some covered bucket. */
  pcpusOverBound: number;
  /** Time over the bound summed over pCPUs, counted in whole buckets (bucket resolution). */
  timeOverBoundNs: number;
}

export interface ApiResponses {
  'app.info': AppInfo;
  'experiments.list': ExperimentListItem[];
  'experiments.get': ExperimentRecord;
  'experiments.create': ExperimentRecord;
  'experiments.update': ExperimentRecord;
  'experiments.delete': { deleted: number };
  'annotations.list': Annotation[];
  'annotations.add': Annotation;
  'annotations.delete': { deleted: number };
  'presets.list': PresetInfo[];
  'sim.start': { jobId: string };
  'jobs.list': JobInfo[];
  'jobs.cancel': { cancelled: boolean };
  'trace.import': { jobId: string };
  'trace.replay': { jobId: string };
  'trace.fit': FittedWorkload;
  'trace.simulateFitted': { jobId: string };
  'run.summary': { summary: RunSummary; timeline: Timeline };
  'run.series': BinnedSeries;
  'run.lengthsAt': LengthsAt;
  'run.listAt': ListAt;
  'run.domainsAt': DomainsAt;
  'run.walks': WalkReport;
  'run.rangeStats': RangeStats;
  'run.seriesCsv': { csv: string; fileName: string };
  'sweeps.start': { jobId: string; groupId: number; points: number };
  'sweeps.list': SweepGroup[];
  'sweeps.get': SweepDetail;
  'recommend.start': { jobId: string };
  'experiments.verify': VerifyReport;
  'experiments.exportJson': ExportedFile;
  'experiments.exportPerfetto': PerfettoExport;
  'experiments.exportParquet': ParquetExport;
  'sweeps.exportParquet': ParquetTableFile;
  'experiments.exportReport': ReportResult;
  'experiments.reportText': DownloadText;
  'experiments.jsonText': DownloadText;
  'notebook.export': ExportedFile & { experiments: number };
  'notebook.import': NotebookImportResult;
  'dialog.open': { path: string | null };
  'dialog.save': { path: string | null };
}

/** Push events from main (progress of background jobs, menu commands). */
export interface PushEvents {
  'job.progress': JobInfo;
  'job.done': JobInfo;
  'menu.command': {
    command: 'new-simulation' | 'import-trace' | 'open-notebook' | 'export-notebook' | 'about';
    path?: string;
  };
}
export type PushEventName = keyof PushEvents;
export const PUSH_EVENTS: readonly PushEventName[] = PUSH_EVENT_NAMES;
const _pushAgree: Same<PushEventName, (typeof PUSH_EVENT_NAMES)[number]> = true;
void _pushAgree;

/** The renderer-facing API: one method per channel, plus a subscription for push events. */
export type LabApi = {
  [C in Channel]: (req: ApiRequest<C>) => Promise<ApiResponses[C]>;
};

export interface LabBridge {
  invoke<C extends Channel>(channel: C, req: ApiRequest<C>): Promise<ApiResponses[C]>;
  on<E extends PushEventName>(event: E, cb: (payload: PushEvents[E]) => void): () => void;
}
