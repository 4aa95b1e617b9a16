/**
 * Shapes of the notebook features (issue 3): sweeps, re-run-and-verify, exports and imports.
 * Produced by main/notebook, handed out by the channels in shared/api.ts.
 */

/** A value a grid axis takes (numbers, policy names, enum strings, booleans, null). */
export type GridValue = number | string | boolean | null;

/** One axis of a sweep: a dotted path into the run's parameters and the values it takes. */
export interface GridAxis {
  /** e.g. `policy.K`, `policy.policy`, `seed`, `workload.pcpus`. */
  path: string;
  values: GridValue[];
}

export type SweepState = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted';

export interface SweepGroup {
  id: number;
  kind: 'sweep';
  title: string;
  /** 'simulation': a base SimParams; 'trace': replays of a trace experiment's operations. */
  baseKind: 'simulation' | 'trace';
  /** The base (SimParams, or `{traceExperimentId, policy}`). */
  base: unknown;
  grid: GridAxis[];
  /** Points in the grid (product of the axes' lengths). */
  points: number;
  /** Points saved so far. */
  saved: number;
  state: SweepState;
  createdAt: string;
  /**
   * The sweep's identity (sha256 of base and grid; simulation sweeps): shards of one sweep share
   * it, and `notebook import` merges groups that do. null for trace replay sweeps.
   */
  sweepKey?: string | null;
  /** `I/N` when this group holds only shard I of N of its grid; null otherwise. */
  shard?: string | null;
}

/** The metrics the sweep table and the parallel-coordinates chart show. */
export interface SweepMetrics {
  maxListLength: number;
  p99Walk: number;
  maxWalk: number;
  p99WalkNs: number;
  remotePlacements: number;
  overBoundInsertions: number;
  wakeupInterrupts: number;
  fixupMoves: number;
}

export interface SweepPoint {
  experimentId: number;
  title: string;
  /** The grid coordinates of this run, read back from its saved parameters (path -> value). */
  values: Record<string, GridValue>;
  metrics: SweepMetrics | null;
}

export interface SweepDetail {
  group: SweepGroup;
  points: SweepPoint[];
}

export type VerifyOutcome = 'identical' | 'different' | 'unverifiable' | 'cancelled' | 'failed';

export interface VerifyReport {
  experimentId: number;
  outcome: VerifyOutcome;
  identical: boolean;
  /** Human-readable differences (first differing index and values per series), capped. */
  differences: string[];
  /** What was recomputed: 'simulation', 'replay of #N', 'import of FILE'. */
  method: string;
  /** Series compared byte for byte. */
  seriesCompared: number;
  jobId: string | null;
  engineVersion: string;
  /** Engine version the stored result was computed with. */
  storedEngineVersion: string | null;
}

export interface ExportedFile {
  path: string;
  bytes: number;
}

/** A run written as a Chrome JSON trace-event file for ui.perfetto.dev. */
export interface PerfettoExport extends ExportedFile {
  events: number;
  /** Runstate slices of the vCPUs (imported dumps only; 0 otherwise). */
  runstateSlices: number;
}

export interface ParquetTableFile {
  table: string;
  path: string;
  rows: number;
}

/** A run written as a folder of Parquet tables (docs/notebook.md lists their columns). */
export interface ParquetExport {
  dir: string;
  tables: ParquetTableFile[];
}

/** An export handed to the renderer to download (the browser host writes nothing). */
export interface DownloadText {
  /** Suggested file name, e.g. `report-12-seed-worst-case.md`. */
  fileName: string;
  mime: string;
  text: string;
}

export interface ReportResult {
  dir: string;
  /** File names written into `dir` (report.md first). */
  files: string[];
}

export interface NotebookImportResult {
  imported: number;
  /** New ids of the imported experiments, in the source's id order. */
  experiments: number[];
  groups: number[];
  /**
   * Sweep points skipped because the sweep group they merge into already holds a point with the
   * same grid coordinates (a shard imported twice). Absent when none were skipped.
   */
  duplicates?: number;
  /** Source schema version. */
  schemaVersion: number;
}

/**
 * Parses a list of grid values as typed by a user (`0, 32, 64` or `upstream,series`): numbers
 * become numbers, `true` / `false` / `null` their JSON values, anything else a string.
 */
export function parseGridValues(raw: string): GridValue[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s): GridValue => {
      if (s === 'true') return true;
      if (s === 'false') return false;
      if (s === 'null') return null;
      const n = Number(s);
      return Number.isFinite(n) && /^[-+]?(\d|\.\d)/.test(s) ? n : s;
    });
}

/** Product of the axes' lengths: the number of runs a grid makes. */
export function gridPoints(grid: { values: unknown[] }[]): number {
  return grid.reduce((n, a) => n * a.values.length, 1);
}
