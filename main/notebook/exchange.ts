/**
 * A whole notebook as one file, and merging such a file into another installation's notebook.
 *
 * Export uses SQLite's `VACUUM INTO`: a consistent, compacted snapshot written by SQLite itself
 * (never a byte copy of the live file, which with WAL may miss committed pages), with the same
 * `user_version` and `application_id`, in rollback-journal mode so it is a single file.
 *
 * Import opens the other file read-only after the same checks as opening a notebook (our
 * application_id, a schema this version understands: a newer one is refused with the
 * StoreVersionError message and the file is not touched), then copies every experiment with its
 * tags, result, series, save-time indexes and annotations, and every sweep group, into the current notebook under
 * NEW ids (parent and group references remapped), in one transaction: nothing already in the
 * notebook is overwritten, and a failure leaves the notebook as it was. Before that, every row of
 * the file is checked (row-checks.ts): one damaged or crafted row refuses the whole file.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ExportedFile, NotebookImportResult } from '../../shared/notebook';
import { APPLICATION_ID, SCHEMA_VERSION, StoreVersionError, userVersion } from '../store/db';
import { probeFile } from '../store/probe';
import { checkNotebookRows } from './row-checks';
import type { ExperimentTableRow, Store } from '../store/store';
import { GroupMerger, type SourceGroup } from './merge-groups';

export class ExchangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** Writes the whole notebook to `path` (which must not exist yet) as one SQLite file. */
export function exportNotebook(store: Store, path: string): ExportedFile & { experiments: number } {
  const target = resolve(path);
  if (existsSync(target))
    throw new ExchangeError(`${target} already exists; choose a new file name`);
  if (resolve(store.path) === target)
    throw new ExchangeError('cannot export a notebook onto itself');
  mkdirSync(dirname(target), { recursive: true });
  store.db.prepare('VACUUM INTO ?').run(target);
  const experiments = (
    store.db.prepare('SELECT COUNT(*) AS n FROM experiments').get() as { n: number }
  ).n;
  return { path: target, bytes: statSync(target).size, experiments };
}

function hasTable(db: Database.Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

const foreign = (src: string, app: number) =>
  app === 0
    ? `${src} is not a Xen PI Lab notebook (no application id)`
    : `${src} is an SQLite database of another application (application_id ${app})`;

/**
 * The checks that need no SQLite handle, from the file header alone: a refused file (a newer
 * schema above all) must not get `-wal`/`-shm` side files from a read-only open.
 */
function refuseByHeader(src: string): void {
  const p = probeFile(src);
  if (p.state === 'not-a-file') throw new ExchangeError(`${src} is not a regular file`);
  if (p.state !== 'sqlite')
    throw new ExchangeError(`${src} is not a Xen PI Lab notebook (not an SQLite database)`);
  if (p.pendingWal) return; // the header may lag behind the WAL: SQLite decides below
  if (p.applicationId !== APPLICATION_ID) throw new ExchangeError(foreign(src, p.applicationId));
  if (p.userVersion > SCHEMA_VERSION)
    throw new StoreVersionError(src, p.userVersion, SCHEMA_VERSION);
}

/** Opens another notebook file read-only, refusing foreign files and newer schemas. */
export function openForImport(path: string): { db: Database.Database; version: number } {
  const src = resolve(path);
  if (!existsSync(src)) throw Object.assign(new Error(`${src} does not exist`), { code: 'ENOENT' });
  refuseByHeader(src);
  let db: Database.Database;
  try {
    const binding = process.env.XEN_PI_LAB_SQLITE_BINDING;
    db = new Database(src, {
      readonly: true,
      fileMustExist: true,
      ...(binding ? { nativeBinding: binding } : {}),
    });
  } catch (e) {
    throw new ExchangeError(`${src} is not a Xen PI Lab notebook: ${(e as Error).message}`);
  }
  try {
    const app = db.pragma('application_id', { simple: true }) as number;
    const version = userVersion(db);
    if (app !== APPLICATION_ID) throw new ExchangeError(foreign(src, app));
    if (version > SCHEMA_VERSION) throw new StoreVersionError(src, version, SCHEMA_VERSION);
    if (!hasTable(db, 'experiments'))
      throw new ExchangeError(`${src} is not a Xen PI Lab notebook (no experiments table)`);
    return { db, version };
  } catch (e) {
    db.close();
    if (e instanceof ExchangeError || e instanceof StoreVersionError) throw e;
    throw new ExchangeError(`${src} is not a Xen PI Lab notebook: ${(e as Error).message}`);
  }
}

/** Merges the notebook file at `path` into `store` (new ids, nothing overwritten). */
export function importNotebook(store: Store, path: string): NotebookImportResult {
  if (
    store.path !== ':memory:' &&
    existsSync(path) &&
    realpathSync(path) === realpathSync(store.path)
  )
    throw new ExchangeError(`${resolve(path)} is this notebook; import another notebook file`);
  const { db: src, version } = openForImport(path);
  try {
    checkNotebookRows(src, resolve(path));
    const dst = store.db;
    return dst.transaction((): NotebookImportResult => {
      const groupMap = new Map<number, number>();
      // Shards of one sweep merge into one group; repeated points are skipped (merge-groups.ts).
      const merger = new GroupMerger(dst);
      if (hasTable(src, 'groups'))
        for (const g of src
          .prepare('SELECT * FROM groups ORDER BY id')
          .iterate() as Iterable<SourceGroup>)
          groupMap.set(g.id, merger.mapGroup(g));

      const idMap = new Map<number, number>();
      const parents: [number, number][] = [];
      const putExp = dst.prepare(
        `INSERT INTO experiments (kind, title, created_at, updated_at, params_json, seed,
           app_version, app_commit, engine_version, notes_md, group_id, parent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      );
      const rows = src
        .prepare('SELECT * FROM experiments ORDER BY id')
        .all() as ExperimentTableRow[];
      for (const e of rows) {
        if (merger.isDuplicate(e.group_id, e.params_json)) continue;
        const r = putExp.run(
          e.kind,
          e.title,
          e.created_at,
          e.updated_at,
          e.params_json,
          e.seed,
          e.app_version,
          e.app_commit,
          e.engine_version,
          e.notes_md,
          e.group_id !== null ? (groupMap.get(e.group_id) ?? null) : null,
        );
        idMap.set(e.id, Number(r.lastInsertRowid));
        if (e.parent_id !== null) parents.push([e.id, e.parent_id]);
      }
      const setParent = dst.prepare('UPDATE experiments SET parent_id = ? WHERE id = ?');
      for (const [child, parent] of parents) {
        const p = idMap.get(parent);
        if (p !== undefined) setParent.run(p, idMap.get(child));
      }
      // Params that name another experiment (a replay's source) follow the remap too.
      const fixParams = dst.prepare('UPDATE experiments SET params_json = ? WHERE id = ?');
      for (const e of rows) {
        if (!idMap.has(e.id)) continue;
        const params = JSON.parse(e.params_json) as Record<string, unknown> | null;
        if (params && typeof params === 'object' && typeof params.replayOf === 'number') {
          const to = idMap.get(params.replayOf);
          fixParams.run(JSON.stringify({ ...params, replayOf: to ?? null }), idMap.get(e.id));
        }
      }
      const fixBase = dst.prepare('UPDATE groups SET base_json = ? WHERE id = ?');
      for (const [from, to] of groupMap) {
        const g = src.prepare('SELECT base_json FROM groups WHERE id = ?').get(from) as {
          base_json: string;
        };
        const base = JSON.parse(g.base_json) as Record<string, unknown> | null;
        if (base && typeof base.traceExperimentId === 'number')
          fixBase.run(
            JSON.stringify({
              ...base,
              traceExperimentId: idMap.get(base.traceExperimentId) ?? null,
            }),
            to,
          );
      }

      const map = (id: number) => idMap.get(id);
      const putTag = dst.prepare('INSERT OR IGNORE INTO tags (experiment_id, tag) VALUES (?, ?)');
      for (const t of src.prepare('SELECT experiment_id, tag FROM tags').iterate() as Iterable<{
        experiment_id: number;
        tag: string;
      }>) {
        const to = map(t.experiment_id);
        if (to !== undefined) putTag.run(to, t.tag);
      }
      const putResult = dst.prepare(
        'INSERT INTO results (experiment_id, summary_json, timeline_json, created_at) VALUES (?, ?, ?, ?)',
      );
      for (const r of src.prepare('SELECT * FROM results').iterate() as Iterable<{
        experiment_id: number;
        summary_json: string;
        timeline_json: string;
        created_at: string;
      }>) {
        const to = map(r.experiment_id);
        if (to !== undefined) putResult.run(to, r.summary_json, r.timeline_json, r.created_at);
      }
      // The save-time indexes travel with their runs (checked by row-checks.ts), so an
      // imported 4M-vCPU run answers its first list query as fast as where it was saved.
      for (const table of ['series', 'series_index'] as const) {
        if (!hasTable(src, table)) continue;
        const put = dst.prepare(
          `INSERT INTO ${table} (experiment_id, name, dtype, length, codec, data) VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const s of src.prepare(`SELECT * FROM ${table}`).iterate() as Iterable<{
          experiment_id: number;
          name: string;
          dtype: string;
          length: number;
          /** Absent in notebooks from before migration 4: their BLOBs are raw. */
          codec?: string;
          data: Buffer;
        }>) {
          const to = map(s.experiment_id);
          if (to !== undefined) put.run(to, s.name, s.dtype, s.length, s.codec ?? 'raw', s.data);
        }
      }
      const putAnn = dst.prepare(
        `INSERT INTO annotations (experiment_id, t_ns, pcpu, dom, vcpu, text, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const a of src.prepare('SELECT * FROM annotations ORDER BY id').iterate() as Iterable<{
        experiment_id: number;
        t_ns: number;
        pcpu: number | null;
        dom: number | null;
        vcpu: number | null;
        text: string;
        created_at: string;
      }>) {
        const to = map(a.experiment_id);
        if (to !== undefined) putAnn.run(to, a.t_ns, a.pcpu, a.dom, a.vcpu, a.text, a.created_at);
      }
      return {
        imported: idMap.size,
        experiments: rows.filter((e) => idMap.has(e.id)).map((e) => idMap.get(e.id)!),
        groups: [...new Set(groupMap.values())],
        ...(merger.duplicates ? { duplicates: merger.duplicates } : {}),
        schemaVersion: version,
      };
    })();
  } finally {
    src.close();
  }
}
