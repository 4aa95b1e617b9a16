import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';
import { probeFile } from './probe';

/** The notebook file cannot be used by this version of the app; nothing was modified. */
export class StoreVersionError extends Error {
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `${path} was written by a newer Xen PI Lab (schema version ${fileVersion}; this version ` +
        `understands up to ${appVersion}). It was opened read-only and left untouched: ` +
        `upgrade Xen PI Lab to open it.`,
    );
    this.name = 'StoreVersionError';
  }
}

/** SQLite's application_id for our notebooks ("XPIL"), so foreign databases are recognised. */
export const APPLICATION_ID = 0x5850494c;

/**
 * The Electron shell runs better-sqlite3 built for Electron's ABI, kept apart from the Node build
 * that tests and the CLI use (see README, "Two native builds"); `npm start` points here to it.
 */
function nativeOptions(): { nativeBinding?: string } {
  const binding = process.env.XEN_PI_LAB_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses, before SQLite touches it, any existing file but an empty one, an empty SQLite database
 * or one of ours with a schema we understand: a foreign database must stay byte-identical (not
 * even switched to WAL), and refusing a newer notebook must not leave `-wal`/`-shm` files beside it.
 */
function checkNotebookFile(path: string, latest: number): void {
  const p = probeFile(path);
  const untouched = 'it was left untouched';
  if (p.state === 'missing' || p.state === 'empty') return;
  if (p.state === 'not-a-file') throw new Error(`${path} is not a regular file; ${untouched}.`);
  if (p.state === 'not-sqlite')
    throw new Error(`${path} is not a Xen PI Lab notebook (not an SQLite database); ${untouched}.`);
  let { applicationId: app, userVersion: v } = p;
  if (p.pendingWal) {
    // Committed pages may still sit in the WAL (its owner is running or crashed): ask SQLite.
    // Its side files exist already, so a read-only handle adds nothing.
    const probe = new Database(path, { ...nativeOptions(), readonly: true, fileMustExist: true });
    try {
      app = probe.pragma('application_id', { simple: true }) as number;
      v = userVersion(probe);
    } finally {
      probe.close();
    }
  }
  if (app === APPLICATION_ID) {
    if (v > latest) throw new StoreVersionError(path, v, latest);
    return;
  }
  if (app !== 0)
    throw new Error(
      `${path} is an SQLite database of another application (application_id ${app}); ${untouched}.`,
    );
  if (p.schemaCookie !== 0 || v !== 0)
    throw new Error(
      `${path} is an SQLite database of another application (it has tables but not Xen PI Lab's ` +
        `application id); ${untouched}. Give a new or empty file, or a Xen PI Lab notebook.`,
    );
}

/**
 * Open (creating if needed) a notebook database and bring it to the current schema.
 * Anything but a new file, an empty one or one of our notebooks is refused first, unmodified.
 */
export function openDatabase(
  path: string,
  migrations: Migration[] = MIGRATIONS,
): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (path !== ':memory:') checkNotebookFile(path, latest);
  const db = new Database(path, nativeOptions());
  db.pragma('journal_mode = WAL');
  // Notebook writes are rare and small next to their value: FULL fsyncs every commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations, path);
  return db;
}

export function migrate(db: Database.Database, migrations: Migration[], path = 'database'): void {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const current = userVersion(db);
  if (current > latest) throw new StoreVersionError(path, current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }
}

export { SCHEMA_VERSION };
