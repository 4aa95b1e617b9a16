/**
 * Checks every row of a notebook file before it is merged in (issue 11): `PRAGMA quick_check`
 * first, then each row against the shape the app writes (zod), JSON columns parsed, series and
 * save-time index BLOBs as long as their dtype and length say, and each run's index arrays the
 * ones its pCPU count and residency log call for (main/store/index-shape.ts). The first bad row refuses the whole import with a message
 * naming the file, the table and the row; nothing is imported.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { SeriesDType } from '../../shared/results';
import { decodeSeries } from '../store/codec';
import { indexShapeProblem, type IndexArray } from '../store/index-shape';

/** Thrown for a damaged or crafted notebook file; mapped to `bad-input` by the API. */
export class NotebookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

const int = z.number().int();
const text = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

/** A TEXT column holding JSON, parsed and then checked by `inner`. */
const json = <T extends z.ZodType>(inner: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `not valid JSON (${(e as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(inner);

const num = z.number();
const stats = z.looseObject({ count: num, min: num, mean: num, max: num });
/** The summary fields every reader relies on; the rest, when present, must be numbers too. */
const summary = z.looseObject({
  policy: text,
  pcpus: num,
  H: num,
  bound: num,
  maxListLength: num,
  perPcpu: z.array(z.looseObject({ pcpu: num, maxLength: num, finalLength: num })),
  walkStats: stats.optional(),
  walkTimeNsStats: stats.optional(),
  ...Object.fromEntries(
    ['K', 'onlinePcpus', 'walked', 'wakeupInterrupts', 'operations', 'startNs', 'endNs'].map(
      (k) => [k, num.optional()],
    ),
  ),
});
const timeline = z.looseObject({ t0Ns: num, bucketNs: num, buckets: int.nonnegative() });

const BYTES: Record<string, number> = { f64: 8, f32: 4, u32: 4, i32: 4, u16: 2, u8: 1 };

/** A raw BLOB is exactly length × element size; a run-length coded one must decode to `length` values. */
function codedSeriesIntact(s: {
  dtype: SeriesDType;
  length: number;
  codec?: string;
  data: Buffer;
}): boolean {
  if ((s.codec ?? 'raw') === 'raw') return s.data.length === s.length * BYTES[s.dtype];
  try {
    return decodeSeries(s.codec ?? 'raw', s.dtype, s.data, s.length).length === s.length;
  } catch {
    return false;
  }
}

const seriesRow = z.looseObject({
  experiment_id: int,
  name: text,
  dtype: z.enum(['f64', 'f32', 'u32', 'i32', 'u16', 'u8']),
  length: int.nonnegative(),
  // Files written before schema 4 have no codec column: their BLOBs are raw.
  codec: z.enum(['raw', 'rle', 'drle']).optional(),
  data: z.instanceof(Buffer),
});

const ROWS = {
  groups: z.looseObject({
    id: int,
    kind: z.literal('sweep'),
    title: text,
    base_json: json(z.looseObject({})),
    grid_json: json(z.unknown()),
    points: int.nonnegative(),
    state: z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted']),
    created_at: text,
  }),
  experiments: z.looseObject({
    id: int,
    kind: z.enum(['simulation', 'trace']),
    title: text,
    created_at: text,
    updated_at: text,
    params_json: json(z.unknown()),
    seed: maybe(num),
    app_version: text,
    app_commit: maybe(text),
    engine_version: maybe(text),
    notes_md: text,
    group_id: maybe(int),
    parent_id: maybe(int),
  }),
  tags: z.looseObject({ experiment_id: int, tag: text.min(1) }),
  results: z.looseObject({
    experiment_id: int,
    summary_json: json(summary),
    timeline_json: json(timeline),
    created_at: text,
  }),
  series: seriesRow.refine((s) => codedSeriesIntact(s), {
    message:
      'the BLOB does not hold as many values as its dtype and length say (cut or overwritten)',
    path: ['data'],
  }),
  // The save-time indexes (schema 4 on): coded like series, and a cut BLOB is refused the same way.
  series_index: seriesRow.required({ codec: true }).refine((s) => codedSeriesIntact(s), {
    message:
      'the index BLOB does not hold as many values as its dtype and length say (cut or overwritten)',
    path: ['data'],
  }),
  annotations: z.looseObject({
    id: int,
    experiment_id: int,
    t_ns: num,
    pcpu: maybe(int),
    dom: maybe(int),
    vcpu: maybe(int),
    text,
    created_at: text,
  }),
} as const;

/** How a row is named in a message: by id, or by its key columns. */
function rowName(table: string, r: Record<string, unknown>): string {
  if (table === 'series' || table === 'series_index')
    return `experiment ${String(r.experiment_id)}, ${table === 'series' ? 'series' : 'index'} ${JSON.stringify(r.name)}`;
  if (table === 'tags')
    return `experiment ${String(r.experiment_id)}, tag ${JSON.stringify(r.tag)}`;
  if (table === 'results') return `experiment ${String(r.experiment_id)}`;
  return `id ${String(r.id)}`;
}

function hasTable(db: Database.Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** Throws NotebookFileError for the first damaged or malformed row of `db` (the file `file`). */
export function checkNotebookRows(db: Database.Database, file: string): void {
  const refuse = (what: string) => new NotebookFileError(`${file}: ${what}; nothing was imported`);
  let check: string[];
  try {
    check = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (e) {
    throw refuse(`the file is damaged (${(e as Error).message})`);
  }
  if (check.join() !== 'ok')
    throw refuse(`the file is damaged (quick_check: ${check.slice(0, 3).join('; ')})`);
  for (const [table, schema] of Object.entries(ROWS)) {
    if (!hasTable(db, table)) continue;
    try {
      for (const row of db.prepare(`SELECT * FROM ${table}`).iterate() as Iterable<
        Record<string, unknown>
      >) {
        const r = schema.safeParse(row);
        if (!r.success) {
          const i = r.error.issues[0];
          throw refuse(
            `table ${table}, row ${rowName(table, row)}: ${i.path.join('.')}: ${i.message}`,
          );
        }
      }
    } catch (e) {
      if (e instanceof NotebookFileError) throw e;
      throw refuse(`table ${table} cannot be read (${(e as Error).message})`);
    }
  }
  if (hasTable(db, 'series_index')) {
    const problem = indexProblem(db);
    if (problem) throw refuse(`table series_index, ${problem}`);
  }
}

/**
 * The first run whose index rows, each intact, do not together make the index its pCPU count and
 * residency log call for (index-shape.ts): list queries trust their lengths and offsets.
 */
function indexProblem(db: Database.Database): string | null {
  const ids = db.prepare('SELECT DISTINCT experiment_id AS id FROM series_index').all() as {
    id: number;
  }[];
  for (const { id } of ids) {
    const result = db
      .prepare('SELECT summary_json FROM results WHERE experiment_id = ?')
      .get(id) as { summary_json: string } | undefined;
    if (!result) return `experiment ${id}: an index without a result`;
    const { pcpus } = JSON.parse(result.summary_json) as { pcpus: number };
    const log = db
      .prepare("SELECT length FROM series WHERE experiment_id = ? AND name = 'res.pcpu'")
      .get(id) as { length: number } | undefined;
    const arrays = db
      .prepare('SELECT name, dtype, length FROM series_index WHERE experiment_id = ?')
      .all(id) as IndexArray[];
    const st = db
      .prepare(
        "SELECT dtype, length, codec, data FROM series_index WHERE experiment_id = ? AND name = 'idx.start'",
      )
      .get(id) as { dtype: SeriesDType; length: number; codec: string; data: Buffer } | undefined;
    const start = st ? decodeSeries(st.codec, st.dtype, st.data, st.length) : null;
    const problem = indexShapeProblem(pcpus, log?.length ?? null, arrays, start);
    if (problem) return `experiment ${id}: ${problem}`;
  }
  return null;
}
