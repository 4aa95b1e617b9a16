/**
 * `export --format json|perfetto|parquet` (and `--sweep GROUP` for a sweep's Parquet table): the
 * formats other than the default xentrace dump, each written by its main/notebook module.
 */
import { JobRunner } from '../../jobs/runner';
import { writeRunParquet, writeSweepParquet } from '../../notebook/parquet';
import { writePerfetto } from '../../notebook/perfetto';
import { writeRunJson } from '../../notebook/run-json';
import { SweepManager } from '../../notebook/sweeps';
import { UsageError } from '../args';
import type { CliContext } from '../command';

export const EXPORT_FORMATS = ['xentrace', 'json', 'perfetto', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function parseFormat(arg: string | undefined): ExportFormat {
  const f = (arg ?? 'xentrace') as ExportFormat;
  if (!EXPORT_FORMATS.includes(f))
    throw new UsageError(`--format ${arg}: one of ${EXPORT_FORMATS.join(', ')}`);
  return f;
}

function parseId(arg: string | undefined, what: string): number {
  const id = Number(arg);
  if (!arg || !Number.isInteger(id) || id <= 0)
    throw new UsageError(`${what} ${JSON.stringify(arg ?? '')} is not an id`);
  return id;
}

/** A run in one of the non-xentrace formats. */
export function exportRunAs(
  format: Exclude<ExportFormat, 'xentrace'>,
  idArg: string,
  out: string,
  ctx: CliContext,
): number {
  const id = parseId(idArg, 'RUN_ID');
  const store = ctx.openStore();
  if (format === 'json') {
    const r = writeRunJson(store, id, { path: out });
    ctx.stdout(`${r.path}: ${r.bytes} bytes (run JSON)\n`);
  } else if (format === 'perfetto') {
    const r = writePerfetto(store, id, { path: out });
    ctx.stdout(
      `${r.path}: ${r.bytes} bytes, ${r.events} trace events` +
        (r.runstateSlices ? ` (${r.runstateSlices} runstate slices)` : '') +
        ' — open it in https://ui.perfetto.dev\n',
    );
  } else {
    const r = writeRunParquet(store, id, { dir: out });
    ctx.stdout(
      `${r.dir}/: ${r.tables.map((t) => `${t.table}.parquet (${t.rows} rows)`).join(', ')}\n`,
    );
  }
  return 0;
}

/** A sweep group as one Parquet table (a row per point). */
export function exportSweep(
  format: ExportFormat,
  groupArg: string,
  out: string,
  ctx: CliContext,
): number {
  if (format !== 'parquet') throw new UsageError('--sweep exports --format parquet only');
  const groupId = parseId(groupArg, '--sweep');
  const store = ctx.openStore();
  // Reading a group needs no jobs; the runner is only the manager's collaborator.
  const detail = new SweepManager(store, new JobRunner()).detail(groupId);
  const r = writeSweepParquet(detail, store, { path: out });
  ctx.stdout(`${r.path}: ${r.rows} rows (one per sweep point)\n`);
  return 0;
}
