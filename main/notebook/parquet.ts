/**
 * Parquet export for pandas / DuckDB / Polars, written by hyparquet-writer (a maintained,
 * dependency-light Parquet writer; no hand-made encoder). Column names and units are documented
 * in docs/notebook.md ("Parquet tables"); every file carries `xen-pi-lab.*` key-value metadata.
 *
 * - A run is a folder of tables, one file each: `pcpu_lengths`, `timeline`, `walk_histogram`,
 *   `pcpu_summary`, `summary` (`.parquet`), so `duckdb -c "FROM 'DIR/*.parquet'"` style globs and
 *   `pd.read_parquet('DIR/timeline.parquet')` both work.
 * - A sweep group is one table, a row per saved point: its grid values and metrics as columns.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parquetWriteFile, type ColumnSource } from 'hyparquet-writer';
import type {
  GridValue,
  ParquetExport,
  ParquetTableFile,
  SweepDetail,
} from '../../shared/notebook';
import type { DistributionStats, RunSummary } from '../../shared/results';
import type { Store } from '../store/store';
import { runExportTarget } from './export-target';
import { defaultExportDir, ExportError, slug, stamp } from './report';

const WRITER = 'Xen PI Lab (hyparquet-writer)';

function writeTable(
  path: string,
  columns: ColumnSource[],
  meta: Record<string, string | number | null>,
): number {
  const rows = columns[0]?.data.length ?? 0;
  parquetWriteFile({
    filename: path,
    columnData: columns,
    createdBy: WRITER,
    kvMetadata: Object.entries(meta).map(([key, value]) => ({
      key: `xen-pi-lab.${key}`,
      value: value === null ? undefined : String(value),
    })),
  });
  return rows;
}

const i32 = (name: string, data: ArrayLike<number>): ColumnSource => ({
  name,
  data: Int32Array.from(data),
  type: 'INT32',
  nullable: false,
});
const f64 = (name: string, data: ArrayLike<number>): ColumnSource => ({
  name,
  data: Float64Array.from(data),
  type: 'DOUBLE',
  nullable: false,
});
const i64 = (name: string, data: ArrayLike<number>): ColumnSource => ({
  name,
  data: BigInt64Array.from(Array.from(data, (v) => BigInt(Math.round(v)))),
  type: 'INT64',
  nullable: false,
});

/** The run summary as one row: [column, value] (units in the column name or docs/notebook.md). */
export function summaryRow(s: RunSummary): [string, number | string][] {
  const dist = (prefix: string, d: DistributionStats | undefined): [string, number][] =>
    (['count', 'min', 'mean', 'p50', 'p95', 'p99', 'max'] as const).map((k) => [
      `${prefix}_${k}`,
      d?.[k] ?? 0,
    ]);
  return [
    ['policy', s.policy],
    ['k', s.K],
    ['pcpus', s.pcpus],
    ['h', s.H],
    ['online_pcpus', s.onlinePcpus],
    ['bound', s.bound],
    ['wakeup_interrupts', s.wakeupInterrupts],
    ['walked', s.walked],
    ['remote_placements', s.remotePlacements],
    ['fixup_moves', s.fixupMoves],
    ['anomalies', s.anomalies],
    ['bound_overflows', s.boundOverflows],
    ['over_bound_insertions', s.overBoundInsertions],
    ['max_list_length', s.maxListLength],
    ['max_list_pcpu', s.maxListPcpu],
    ['max_list_at_ns', s.maxListAtNs],
    ['bound_at_max', s.boundAtMax],
    ['start_ns', s.startNs],
    ['end_ns', s.endNs],
    ['operations', s.operations],
    ['vcpus', s.vcpus],
    ['domains', s.domains],
    ...dist('walk_entries', s.walkStats),
    ...dist('walk_time_ns', s.walkTimeNsStats),
  ];
}

/**
 * Writes run `id` as a folder of Parquet tables (default exports/run-ID-TITLE-STAMP.parquet/);
 * the folder must not exist yet.
 */
export function writeRunParquet(
  store: Store,
  id: number,
  opts: { dir?: string } = {},
): ParquetExport {
  const { e, target: dir } = runExportTarget(store, id, opts.dir, '.parquet');
  const { summary, timeline } = store.loadSummary(id);
  const s = store.loadSeries(id, [
    'len.min',
    'len.max',
    'len.last',
    'len.mean',
    'h',
    'h.max',
    'online',
    'bound',
    'bound.min',
    'walk.values',
    'walk.counts',
  ]);
  const P = summary.pcpus;
  const B = timeline.buckets;
  for (const name of ['len.max', 'len.last', 'h', 'online', 'bound'])
    if (!s[name]) throw new ExportError(`experiment ${id} has no ${name} series to export`);
  mkdirSync(dir, { recursive: true });
  const meta = {
    experiment_id: id,
    title: e.title,
    kind: e.kind,
    engine_version: e.engineVersion,
    bucket_ns: timeline.bucketNs,
    buckets: B,
    t0_ns: timeline.t0Ns,
  };
  const tables: ParquetTableFile[] = [];
  const put = (table: string, columns: ColumnSource[]) => {
    const path = join(dir, `${table}.parquet`);
    tables.push({ table, path, rows: writeTable(path, columns, { ...meta, table }) });
  };
  const bucketStart = (b: number) => timeline.t0Ns + b * timeline.bucketNs;

  // Long format, one row per (pCPU, bucket): the series' own layout (index pcpu * B + bucket).
  const n = P * B;
  const pcpuCol = new Int32Array(n);
  const bucketCol = new Int32Array(n);
  const tCol = new Float64Array(n);
  for (let p = 0; p < P; p++)
    for (let b = 0; b < B; b++) {
      pcpuCol[p * B + b] = p;
      bucketCol[p * B + b] = b;
      tCol[p * B + b] = bucketStart(b);
    }
  const lenCols: ColumnSource[] = [
    { name: 'pcpu', data: pcpuCol, type: 'INT32', nullable: false },
    { name: 'bucket', data: bucketCol, type: 'INT32', nullable: false },
    { name: 't_ns', data: tCol, type: 'DOUBLE', nullable: false },
  ];
  if (s['len.min']) lenCols.push(i32('len_min', s['len.min']));
  lenCols.push(i32('len_max', s['len.max']));
  lenCols.push(i32('len_last', s['len.last']));
  if (s['len.mean']) lenCols.push(f64('len_mean', s['len.mean']));
  put('pcpu_lengths', lenCols);

  const buckets = Array.from({ length: B }, (_, b) => b);
  put('timeline', [
    i32('bucket', buckets),
    f64('t_ns', buckets.map(bucketStart)),
    f64(
      't_end_ns',
      buckets.map((b) => bucketStart(b + 1)),
    ),
    f64('h', s.h),
    ...(s['h.max'] ? [f64('h_max', s['h.max'])] : []),
    f64('online', s.online),
    f64('bound', s.bound),
    ...(s['bound.min'] ? [f64('bound_min', s['bound.min'])] : []),
  ]);

  const values = s['walk.values'] ?? new Uint32Array(0);
  const counts = s['walk.counts'] ?? new Float64Array(0);
  put('walk_histogram', [i64('entries', values), i64('interrupts', counts)]);

  put('pcpu_summary', [
    i32(
      'pcpu',
      summary.perPcpu.map((x) => x.pcpu),
    ),
    i32(
      'max_length',
      summary.perPcpu.map((x) => x.maxLength),
    ),
    i32(
      'final_length',
      summary.perPcpu.map((x) => x.finalLength),
    ),
  ]);

  const row = summaryRow(summary);
  put('summary', [
    i32('experiment_id', [id]),
    { name: 'kind', data: [e.kind], type: 'STRING', nullable: false },
    { name: 'title', data: [e.title], type: 'STRING', nullable: false },
    ...row.map(([name, v]): ColumnSource =>
      typeof v === 'string' ? { name, data: [v], type: 'STRING', nullable: false } : f64(name, [v]),
    ),
  ]);
  return { dir, tables };
}

/** `policy.K` -> `policy_K`: grid paths as column names that need no quoting. */
export const gridColumn = (path: string) => path.replace(/\./g, '_');

/** Writes a sweep group as one table, a row per saved point (grid values, metrics). */
export function writeSweepParquet(
  detail: SweepDetail,
  store: Store,
  opts: { path?: string } = {},
): ParquetTableFile {
  const { group, points } = detail;
  const path = resolve(
    opts.path ??
      join(defaultExportDir(store), `sweep-${group.id}-${slug(group.title)}-${stamp()}.parquet`),
  );
  if (existsSync(path)) throw new ExportError(`${path} already exists`);
  mkdirSync(dirname(path), { recursive: true });
  const columns: ColumnSource[] = [
    i32(
      'experiment_id',
      points.map((p) => p.experimentId),
    ),
    { name: 'title', data: points.map((p) => p.title), type: 'STRING', nullable: false },
  ];
  for (const axis of group.grid) {
    const vals: GridValue[] = points.map((p) => p.values[axis.path] ?? null);
    const numeric = vals.every((v) => typeof v === 'number' || v === null);
    const bool = vals.every((v) => typeof v === 'boolean' || v === null);
    columns.push(
      numeric
        ? { name: gridColumn(axis.path), data: vals, type: 'DOUBLE' }
        : bool
          ? { name: gridColumn(axis.path), data: vals, type: 'BOOLEAN' }
          : {
              name: gridColumn(axis.path),
              data: vals.map((v) => (v === null ? null : String(v))),
              type: 'STRING',
            },
    );
  }
  const metric = (name: string, get: (m: NonNullable<(typeof points)[0]['metrics']>) => number) =>
    columns.push({
      name,
      data: points.map((p) => (p.metrics ? get(p.metrics) : null)),
      type: 'DOUBLE',
    });
  metric('max_list_length', (m) => m.maxListLength);
  metric('p99_walk', (m) => m.p99Walk);
  metric('max_walk', (m) => m.maxWalk);
  metric('p99_walk_ns', (m) => m.p99WalkNs);
  metric('remote_placements', (m) => m.remotePlacements);
  metric('over_bound_insertions', (m) => m.overBoundInsertions);
  metric('wakeup_interrupts', (m) => m.wakeupInterrupts);
  metric('fixup_moves', (m) => m.fixupMoves);
  const rows = writeTable(path, columns, {
    group_id: group.id,
    title: group.title,
    sweep_key: group.sweepKey ?? null,
    grid: JSON.stringify(group.grid),
    table: 'sweep',
  });
  return { table: 'sweep', path, rows };
}
