import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';

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
 * Open (creating if needed) a notebook database and bring it to the current schema.
 * A file from a newer schema is checked through a read-only handle first, so it is never modified
 * (not even switched to WAL).
 */
export function openDatabase(
  path: string,
  migrations: Migration[] = MIGRATIONS,
): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (path !== ':memory:') {
    let probe: Database.Database | null;
    try {
      probe = new Database(path, { ...nativeOptions(), readonly: true, fileMustExist: true });
    } catch {
      probe = null; // does not exist yet
    }
    if (probe) {
      try {
        const v = userVersion(probe);
        const app = probe.pragma('application_id', { simple: true }) as number;
        if (app !== 0 && app !== APPLICATION_ID) {
          throw new Error(
            `${path} is an SQLite database of another application (application_id ${app}).`,
          );
        }
        if (v > latest) throw new StoreVersionError(path, v, latest);
      } catch (e) {
        if (e instanceof StoreVersionError) throw e;
        if (e instanceof Error && /another application/.test(e.message)) throw e;
        throw new Error(`${path} is not a Xen PI Lab notebook: ${(e as Error).message}`, {
          cause: e,
        });
      } finally {
        probe.close();
      }
    }
  }
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
