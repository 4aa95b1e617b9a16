import type Database from 'better-sqlite3';
import type {
  Annotation,
  ExperimentKind,
  ExperimentListItem,
  ExperimentRecord,
} from '../../shared/model';
import {
  dtypeOf,
  type RunResult,
  type RunSummary,
  type SeriesDType,
  type SeriesSet,
  type Timeline,
} from '../../shared/results';
import { parseColumn, parseSummary } from './damage';
import { decodeSeries, encodeSeries } from './codec';
import { elementReader, type ElementReader } from './codec-elements';
import { buildLengthsIndex } from './lengths-index';
import { buildResidencyIndex } from './residency-index';
import { openDatabase, SCHEMA_VERSION, userVersion } from './db';
import { appIdentity } from './identity';

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface NewExperiment {
  kind: ExperimentKind;
  title: string;
  params?: unknown;
  seed?: number | null;
  notes?: string;
  tags?: string[];
  groupId?: number | null;
  parentId?: number | null;
  engineVersion?: string | null;
}

export interface SaveRunInput extends NewExperiment {
  /**
   * Complete this existing experiment (made in the notebook, still without a result) instead of
   * creating one; its title, notes and tags stay.
   */
  into?: number | null;
  result: RunResult;
  /** More named arrays saved beside the result's series (e.g. a trace's reconstructed ops). */
  extraSeries?: SeriesSet;
}

export interface ExperimentFilter {
  search?: string;
  tag?: string;
  groupId?: number;
}

/** A row of the `experiments` table, as SQLite returns it. */
export interface ExperimentTableRow {
  id: number;
  kind: ExperimentKind;
  title: string;
  created_at: string;
  updated_at: string;
  params_json: string;
  seed: number | null;
  app_version: string;
  app_commit: string | null;
  engine_version: string | null;
  notes_md: string;
  group_id: number | null;
  parent_id: number | null;
}

interface ExperimentRow extends ExperimentTableRow {
  summary_json: string | null;
}

const now = () => new Date().toISOString();

/** The notebook: experiments, their results and series, tags and annotations, in one SQLite file. */
export class Store {
  readonly db: Database.Database;
  readonly path: string;

  private constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  static open(path: string): Store {
    return new Store(openDatabase(path), path);
  }

  get schemaVersion(): number {
    return userVersion(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  createExperiment(input: NewExperiment): ExperimentRecord {
    const id = this.db.transaction(() => this.insertExperiment(input))();
    return this.getExperiment(id);
  }

  /**
   * A save that wrote at least this many series bytes checkpoints the WAL into the database and
   * truncates it: otherwise a 4M-vCPU run leaves its whole size again in the `-wal` file until
   * SQLite's next automatic checkpoint (which never truncates).
   */
  static CHECKPOINT_BYTES = 16 << 20;

  /** Saves an experiment with its result and series in one transaction; returns its id. */
  saveRun(input: SaveRunInput): number {
    let bytes = 0;
    const id = this.db.transaction(() => {
      const id = input.into ? this.fillExperiment(input.into, input) : this.insertExperiment(input);
      bytes = this.writeResult(id, input.result, input.extraSeries);
      return id;
    })();
    this.checkpointAfter(bytes);
    return id;
  }

  /** Replaces the result of an existing experiment (e.g. a re-run), in one transaction. */
  replaceResult(id: number, result: RunResult, extraSeries?: SeriesSet): void {
    let bytes = 0;
    this.db.transaction(() => {
      this.requireExperiment(id);
      this.db.prepare('DELETE FROM series WHERE experiment_id = ?').run(id);
      this.db.prepare('DELETE FROM series_index WHERE experiment_id = ?').run(id);
      this.db.prepare('DELETE FROM results WHERE experiment_id = ?').run(id);
      bytes = this.writeResult(id, result, extraSeries);
      this.touch(id);
    })();
    this.checkpointAfter(bytes);
  }

  /**
   * `PRAGMA wal_checkpoint(TRUNCATE)` after a big save. Another connection reading the notebook
   * (the CLI, a second window) can make it partial; that is harmless, so its result is ignored.
   */
  private checkpointAfter(bytes: number): void {
    if (bytes >= Store.CHECKPOINT_BYTES && this.path !== ':memory:')
      this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  getExperiment(id: number): ExperimentRecord {
    const row = this.db
      .prepare(
        `SELECT e.*, r.summary_json FROM experiments e
         LEFT JOIN results r ON r.experiment_id = e.id WHERE e.id = ?`,
      )
      .get(id) as ExperimentRow | undefined;
    if (!row) throw new NotFoundError(`experiment ${id}`);
    const series = this.seriesNames(id);
    const item = this.listItem(row, this.tagsOf(id));
    const summary = parseSummary(row.summary_json).value;
    const params = parseColumn<unknown>(row.params_json, 'experiments.params_json');
    return {
      ...item,
      ...(params.damage && !item.damaged ? { damaged: params.damage } : {}),
      notes: row.notes_md,
      params: params.value,
      seed: row.seed,
      appVersion: row.app_version,
      appCommit: row.app_commit,
      engineVersion: row.engine_version,
      summary,
      series,
    };
  }

  listExperiments(filter: ExperimentFilter = {}): ExperimentListItem[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      where.push(
        `(e.title LIKE ? ESCAPE '\\' OR e.notes_md LIKE ? ESCAPE '\\' OR EXISTS
          (SELECT 1 FROM tags t WHERE t.experiment_id = e.id AND t.tag LIKE ? ESCAPE '\\'))`,
      );
      args.push(like, like, like);
    }
    if (filter.tag) {
      where.push('EXISTS (SELECT 1 FROM tags t WHERE t.experiment_id = e.id AND t.tag = ?)');
      args.push(filter.tag);
    }
    if (filter.groupId !== undefined) {
      where.push('e.group_id = ?');
      args.push(filter.groupId);
    }
    const rows = this.db
      .prepare(
        `SELECT e.*, r.summary_json FROM experiments e
         LEFT JOIN results r ON r.experiment_id = e.id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY e.created_at DESC, e.id DESC`,
      )
      .all(...args) as ExperimentRow[];
    const tags = new Map<number, string[]>();
    for (const t of this.db.prepare('SELECT experiment_id, tag FROM tags ORDER BY tag').all() as {
      experiment_id: number;
      tag: string;
    }[]) {
      const list = tags.get(t.experiment_id) ?? [];
      list.push(t.tag);
      tags.set(t.experiment_id, list);
    }
    return rows.map((r) => this.listItem(r, tags.get(r.id) ?? []));
  }

  updateExperiment(
    id: number,
    patch: { title?: string; notes?: string; tags?: string[]; params?: unknown },
  ): ExperimentRecord {
    this.db.transaction(() => {
      this.requireExperiment(id);
      if (patch.title !== undefined)
        this.db.prepare('UPDATE experiments SET title = ? WHERE id = ?').run(patch.title, id);
      if (patch.notes !== undefined)
        this.db.prepare('UPDATE experiments SET notes_md = ? WHERE id = ?').run(patch.notes, id);
      if (patch.params !== undefined)
        this.db
          .prepare('UPDATE experiments SET params_json = ? WHERE id = ?')
          .run(JSON.stringify(patch.params), id);
      if (patch.tags !== undefined) this.setTags(id, patch.tags);
      this.touch(id);
    })();
    return this.getExperiment(id);
  }

  deleteExperiment(id: number): number {
    const r = this.db.prepare('DELETE FROM experiments WHERE id = ?').run(id);
    if (r.changes === 0) throw new NotFoundError(`experiment ${id}`);
    return r.changes;
  }

  loadSummary(id: number): { summary: RunSummary; timeline: Timeline } {
    const row = this.db
      .prepare('SELECT summary_json, timeline_json FROM results WHERE experiment_id = ?')
      .get(id) as { summary_json: string; timeline_json: string } | undefined;
    if (!row) throw new NotFoundError(`result of experiment ${id}`);
    const summary = parseSummary(row.summary_json);
    const timeline = parseColumn<Timeline>(row.timeline_json, 'results.timeline_json');
    const damage = summary.damage ?? timeline.damage;
    if (damage)
      throw new ConflictError(`experiment ${id} is damaged (${damage}): delete it or re-run it`);
    return { summary: summary.value!, timeline: timeline.value! };
  }

  /** Loads named series (all when `names` is omitted); missing names are absent from the result. */
  loadSeries(id: number, names?: string[]): SeriesSet {
    return this.readArrays('series', id, names);
  }

  /** Names of an experiment's stored series (without reading them). */
  seriesNames(id: number): string[] {
    return this.arrayNames('series', id);
  }

  /**
   * One series read element by element, without decoding it whole (codec-elements.ts);
   * undefined when the run has no such series.
   */
  seriesElements(id: number, name: string): ElementReader | undefined {
    const r = this.db
      .prepare('SELECT dtype, length, codec, data FROM series WHERE experiment_id = ? AND name = ?')
      .get(id, name) as
      { dtype: SeriesDType; length: number; codec: string; data: Buffer } | undefined;
    return r && elementReader(r.codec, r.dtype, r.data, r.length);
  }

  /** Loads named arrays of the run's save-time query index (`series_index`, lengths-index.ts). */
  loadIndex(id: number, names: string[]): SeriesSet {
    return this.readArrays('series_index', id, names);
  }

  /** Names of the run's save-time index arrays (none for runs saved before schema 4). */
  indexNames(id: number): string[] {
    return this.arrayNames('series_index', id);
  }

  private readArrays(table: 'series' | 'series_index', id: number, names?: string[]): SeriesSet {
    const cols = `SELECT name, dtype, length, codec, data FROM ${table} WHERE experiment_id = ?`;
    const rows = (
      names
        ? this.db
            .prepare(`${cols} AND name IN (${names.map(() => '?').join(',')})`)
            .all(id, ...names)
        : this.db.prepare(cols).all(id)
    ) as { name: string; dtype: SeriesDType; length: number; codec: string; data: Buffer }[];
    const out: SeriesSet = {};
    for (const r of rows) out[r.name] = decodeSeries(r.codec, r.dtype, r.data, r.length);
    return out;
  }

  private arrayNames(table: 'series' | 'series_index', id: number): string[] {
    return (
      this.db
        .prepare(`SELECT name FROM ${table} WHERE experiment_id = ? ORDER BY name`)
        .all(id) as { name: string }[]
    ).map((r) => r.name);
  }

  loadRun(id: number): RunResult {
    const { summary, timeline } = this.loadSummary(id);
    return { summary, timeline, series: this.loadSeries(id) };
  }

  listAnnotations(experimentId: number): Annotation[] {
    this.requireExperiment(experimentId);
    return (
      this.db
        .prepare('SELECT * FROM annotations WHERE experiment_id = ? ORDER BY t_ns, id')
        .all(experimentId) as AnnotationRow[]
    ).map(toAnnotation);
  }

  addAnnotation(a: Omit<Annotation, 'id' | 'createdAt'>): Annotation {
    return this.db.transaction(() => {
      this.requireExperiment(a.experimentId);
      const r = this.db
        .prepare(
          `INSERT INTO annotations (experiment_id, t_ns, pcpu, dom, vcpu, text, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.experimentId,
          a.tNs,
          a.pcpu,
          a.vcpu?.dom ?? null,
          a.vcpu?.vcpu ?? null,
          a.text,
          now(),
        );
      this.touch(a.experimentId);
      return toAnnotation(
        this.db
          .prepare('SELECT * FROM annotations WHERE id = ?')
          .get(r.lastInsertRowid) as AnnotationRow,
      );
    })();
  }

  deleteAnnotation(id: number): number {
    const r = this.db.prepare('DELETE FROM annotations WHERE id = ?').run(id);
    if (r.changes === 0) throw new NotFoundError(`annotation ${id}`);
    return r.changes;
  }

  private insertExperiment(input: NewExperiment): number {
    const t = now();
    const { version, commit } = appIdentity();
    const r = this.db
      .prepare(
        `INSERT INTO experiments (kind, title, created_at, updated_at, params_json, seed,
           app_version, app_commit, engine_version, notes_md, group_id, parent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.kind,
        input.title,
        t,
        t,
        JSON.stringify(input.params ?? null),
        input.seed ?? null,
        version,
        commit,
        input.engineVersion ?? null,
        input.notes ?? '',
        input.groupId ?? null,
        input.parentId ?? null,
      );
    const id = Number(r.lastInsertRowid);
    if (input.tags) this.setTags(id, input.tags);
    return id;
  }

  private fillExperiment(id: number, input: SaveRunInput): number {
    const row = this.db
      .prepare(
        `SELECT e.kind, r.experiment_id AS has_result FROM experiments e
         LEFT JOIN results r ON r.experiment_id = e.id WHERE e.id = ?`,
      )
      .get(id) as { kind: ExperimentKind; has_result: number | null } | undefined;
    if (!row) throw new NotFoundError(`experiment ${id}`);
    if (row.has_result !== null)
      throw new ConflictError(`experiment ${id} already holds a result: run into a new experiment`);
    if (row.kind !== input.kind)
      throw new ConflictError(
        `experiment ${id} is a ${row.kind} experiment, not a ${input.kind} one`,
      );
    this.db
      .prepare(
        `UPDATE experiments SET params_json = ?, seed = ?, engine_version = ?, parent_id = ?,
           group_id = ? WHERE id = ?`,
      )
      .run(
        JSON.stringify(input.params ?? null),
        input.seed ?? null,
        input.engineVersion ?? null,
        input.parentId ?? null,
        input.groupId ?? null,
        id,
      );
    this.touch(id);
    return id;
  }

  /**
   * Writes a result, its series and their save-time query indexes (lengths-index.ts, and
   * residency-index.ts, which reuses the former's join times), all coded (codec.ts); returns the
   * bytes written.
   */
  private writeResult(id: number, result: RunResult, extra?: SeriesSet): number {
    this.db
      .prepare(
        'INSERT INTO results (experiment_id, summary_json, timeline_json, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(id, JSON.stringify(result.summary), JSON.stringify(result.timeline), now());
    const all = { ...result.series, ...(extra ?? {}) };
    const index = buildLengthsIndex(result.summary.pcpus, all);
    const residency = index ? buildResidencyIndex(result.summary.pcpus, all) : null;
    return (
      this.writeArrays('series', id, all) +
      (index ? this.writeArrays('series_index', id, index) : 0) +
      // Chunks of leave times, mostly +Infinity with scattered finite times, are coded
      // whenever that is smaller at all: they are read a few at a time, decoding is cheap.
      (residency ? this.writeArrays('series_index', id, residency, 1) : 0)
    );
  }

  /** Inserts named arrays, each coded (codec.ts, `worth`); returns the bytes written. */
  private writeArrays(
    table: 'series' | 'series_index',
    id: number,
    arrays: SeriesSet,
    worth?: number,
  ): number {
    const put = this.db.prepare(
      `INSERT INTO ${table} (experiment_id, name, dtype, length, codec, data) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    let bytes = 0;
    for (const [name, arr] of Object.entries(arrays)) {
      const { codec, data } = encodeSeries(arr, worth);
      bytes += data.byteLength;
      put.run(
        id,
        name,
        dtypeOf(arr),
        arr.length,
        codec,
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
    }
    return bytes;
  }

  private setTags(id: number, tags: string[]): void {
    this.db.prepare('DELETE FROM tags WHERE experiment_id = ?').run(id);
    const put = this.db.prepare('INSERT OR IGNORE INTO tags (experiment_id, tag) VALUES (?, ?)');
    for (const tag of tags) put.run(id, tag);
  }

  private touch(id: number): void {
    this.db.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(now(), id);
  }

  private requireExperiment(id: number): void {
    if (!this.db.prepare('SELECT 1 FROM experiments WHERE id = ?').get(id))
      throw new NotFoundError(`experiment ${id}`);
  }

  private tagsOf(id: number): string[] {
    return (
      this.db.prepare('SELECT tag FROM tags WHERE experiment_id = ? ORDER BY tag').all(id) as {
        tag: string;
      }[]
    ).map((r) => r.tag);
  }

  private listItem(row: ExperimentRow, tags: string[]): ExperimentListItem {
    const { value: summary, damage } = parseSummary(row.summary_json);
    return {
      ...(damage ? { damaged: damage } : {}),
      id: row.id,
      kind: row.kind,
      title: row.title,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      tags,
      hasResult: row.summary_json !== null,
      groupId: row.group_id,
      parentId: row.parent_id,
      maxListLength: summary?.maxListLength ?? null,
      policy: summary?.policy ?? null,
    };
  }
}

interface AnnotationRow {
  id: number;
  experiment_id: number;
  t_ns: number;
  pcpu: number | null;
  dom: number | null;
  vcpu: number | null;
  text: string;
  created_at: string;
}

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    tNs: r.t_ns,
    pcpu: r.pcpu,
    vcpu: r.dom !== null && r.vcpu !== null ? { dom: r.dom, vcpu: r.vcpu } : null,
    text: r.text,
    createdAt: r.created_at,
  };
}

export { SCHEMA_VERSION };
