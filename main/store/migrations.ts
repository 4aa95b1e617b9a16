/**
 * Numbered schema migrations. `PRAGMA user_version` holds the number of the last one applied;
 * each runs with its version bump in one transaction, so a crash leaves the old or the new schema,
 * never half of one. Append only: never edit a migration that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'experiments, results, series, annotations',
    sql: `
      CREATE TABLE experiments (
        id            INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('simulation', 'trace')),
        title         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        params_json   TEXT NOT NULL DEFAULT 'null',
        seed          INTEGER,
        app_version   TEXT NOT NULL,
        app_commit    TEXT,
        engine_version TEXT,
        notes_md      TEXT NOT NULL DEFAULT '',
        group_id      INTEGER,
        parent_id     INTEGER REFERENCES experiments(id) ON DELETE SET NULL
      );
      CREATE TABLE tags (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        tag           TEXT NOT NULL,
        PRIMARY KEY (experiment_id, tag)
      ) WITHOUT ROWID;
      CREATE INDEX tags_by_tag ON tags(tag);
      CREATE TABLE results (
        experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
        summary_json  TEXT NOT NULL,
        timeline_json TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE TABLE series (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        dtype         TEXT NOT NULL CHECK (dtype IN ('f64', 'f32', 'u32', 'i32', 'u16', 'u8')),
        length        INTEGER NOT NULL,
        data          BLOB NOT NULL,
        PRIMARY KEY (experiment_id, name)
      ) WITHOUT ROWID;
      CREATE TABLE annotations (
        id            INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        t_ns          REAL NOT NULL,
        pcpu          INTEGER,
        dom           INTEGER,
        vcpu          INTEGER,
        text          TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE INDEX annotations_by_experiment ON annotations(experiment_id, t_ns);
    `,
  },
  {
    version: 2,
    name: 'groups (sweeps)',
    sql: `
      CREATE TABLE groups (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('sweep')),
        title       TEXT NOT NULL,
        base_json   TEXT NOT NULL,
        grid_json   TEXT NOT NULL,
        points      INTEGER NOT NULL,
        state       TEXT NOT NULL DEFAULT 'running'
                    CHECK (state IN ('running', 'done', 'cancelled', 'failed', 'interrupted')),
        -- The process running the sweep (another one may share the notebook, e.g. the CLI).
        owner_pid   INTEGER,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX experiments_by_group ON experiments(group_id);
    `,
  },
  {
    version: 3,
    name: 'sweep identity and shard of a group',
    sql: `
      -- sha256 of the sweep's base and grid (main/notebook/shards.ts): equal for every shard of
      -- one sweep, so notebook import merges shards into one group. NULL for trace sweeps.
      ALTER TABLE groups ADD COLUMN sweep_key TEXT;
      -- 'I/N' when this notebook ran shard I of N of the sweep; NULL for a whole or merged sweep.
      ALTER TABLE groups ADD COLUMN shard TEXT;
      CREATE INDEX groups_by_sweep_key ON groups(sweep_key);
    `,
  },
  {
    version: 4,
    name: 'series codec (run-length coded BLOBs), series_index (derived query indexes)',
    // Rows written before stay 'raw' (the bytes as they were): older notebooks open unchanged.
    // series_index holds what is derived from a run's series at save time (the list-lengths
    // index, main/store/lengths-index.ts): never part of the result, never exported; runs
    // saved before have none and are answered from their series.
    sql: `
      ALTER TABLE series ADD COLUMN codec TEXT NOT NULL DEFAULT 'raw'
        CHECK (codec IN ('raw', 'rle', 'drle'));
      CREATE TABLE series_index (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        dtype         TEXT NOT NULL CHECK (dtype IN ('f64', 'f32', 'u32', 'i32', 'u16', 'u8')),
        length        INTEGER NOT NULL,
        codec         TEXT NOT NULL CHECK (codec IN ('raw', 'rle', 'drle')),
        data          BLOB NOT NULL,
        PRIMARY KEY (experiment_id, name)
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
