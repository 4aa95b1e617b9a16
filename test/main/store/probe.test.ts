/**
 * Files given as a notebook that are not ours (issue 11, items 3 and 9): refused with a clear
 * message, left byte-identical, and no `-wal`/`-shm` file appears beside them.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importNotebook } from '../../../main/notebook/exchange';
import { APPLICATION_ID, SCHEMA_VERSION, StoreVersionError } from '../../../main/store/db';
import { probeFile } from '../../../main/store/probe';
import { Store } from '../../../main/store/store';
import { cli } from '../cli/commands/cli-helpers';

const folder = () => mkdtempSync(join(tmpdir(), 'xpl-probe-'));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A database of some other program: application_id 0, its own tables, rollback journal. */
function foreignDb(dir: string): string {
  const path = join(dir, 'other.db');
  const db = new Database(path);
  db.exec(
    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'a')",
  );
  db.close();
  return path;
}

/** One of our notebooks from a newer schema, in WAL mode as the app leaves it. */
function newerNotebook(dir: string): string {
  const path = join(dir, 'newer.db');
  Store.open(path).close();
  const db = new Database(path);
  db.pragma(`user_version = ${SCHEMA_VERSION + 2}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return path;
}

describe('probing a file given as a notebook', () => {
  it('reads the header without SQLite: missing, empty, not SQLite, ours, foreign', () => {
    const dir = folder();
    assert.equal(probeFile(join(dir, 'none.db')).state, 'missing');
    writeFileSync(join(dir, 'empty.db'), '');
    assert.equal(probeFile(join(dir, 'empty.db')).state, 'empty');
    writeFileSync(join(dir, 'text.db'), 'hello'.repeat(40));
    assert.equal(probeFile(join(dir, 'text.db')).state, 'not-sqlite');
    assert.equal(probeFile(dir).state, 'not-a-file');
    const ours = join(dir, 'ours.db');
    Store.open(ours).close();
    const p = probeFile(ours);
    assert.ok(p.state === 'sqlite');
    assert.equal(p.applicationId, APPLICATION_ID);
    assert.equal(p.userVersion, SCHEMA_VERSION);
    assert.equal(p.wal, true);
    const f = probeFile(foreignDb(dir));
    assert.ok(f.state === 'sqlite' && f.applicationId === 0 && f.schemaCookie > 0);
  });

  it('refuses a foreign database (application_id 0, own tables) and leaves it byte-identical', () => {
    const dir = folder();
    const path = foreignDb(dir);
    const before = sha(path);
    assert.throws(() => Store.open(path), /another application.*left untouched/);
    assert.equal(sha(path), before);
    assert.deepEqual(readdirSync(dir), ['other.db']);
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
    db.close();
  });

  it('`list --db` on a foreign database fails with a clear message and changes nothing', async () => {
    const dir = folder();
    const path = foreignDb(dir);
    const before = sha(path);
    const r = await cli(['--db', path, 'list']);
    assert.equal(r.code, 1);
    assert.match(r.err, /another application/);
    assert.equal(sha(path), before);
    assert.deepEqual(readdirSync(dir), ['other.db']);
  });

  it('refuses a text file and a folder; initialises an empty file and an empty SQLite file', () => {
    const dir = folder();
    writeFileSync(join(dir, 'notes.txt'), 'not a database\n'.repeat(20));
    assert.throws(() => Store.open(join(dir, 'notes.txt')), /not an SQLite database/);
    assert.throws(() => Store.open(dir), /not a regular file/);
    writeFileSync(join(dir, 'empty.db'), '');
    const s = Store.open(join(dir, 'empty.db'));
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    s.close();
    const bare = join(dir, 'bare.db');
    new Database(bare).close();
    const b = Store.open(bare);
    assert.equal(b.db.pragma('application_id', { simple: true }), APPLICATION_ID);
    b.close();
  });

  it(
    'refuses a FIFO as the notebook without opening it (which would block)',
    { skip: process.platform === 'win32' },
    () => {
      const dir = folder();
      const fifo = join(dir, 'pipe.db');
      execFileSync('mkfifo', [fifo]);
      assert.throws(() => Store.open(fifo), /not a regular file/);
    },
  );

  it('refusing a newer notebook, opened or imported, leaves no -wal/-shm beside it', () => {
    const dir = folder();
    const path = newerNotebook(dir);
    const before = sha(path);
    const listing = readdirSync(dir).sort();
    assert.deepEqual(listing, ['newer.db']);
    assert.throws(() => Store.open(path), StoreVersionError);
    assert.deepEqual(readdirSync(dir).sort(), listing);
    const dst = Store.open(':memory:');
    assert.throws(() => importNotebook(dst, path), StoreVersionError);
    dst.close();
    assert.deepEqual(readdirSync(dir).sort(), listing);
    assert.equal(sha(path), before);
  });
});
