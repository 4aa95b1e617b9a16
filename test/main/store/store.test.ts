import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { APPLICATION_ID, migrate, StoreVersionError, userVersion } from '../../../main/store/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/store/migrations';
import { NotFoundError, Store } from '../../../main/store/store';
import { sampleRun } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `nb-${++n}.db`);

describe('store migrations', () => {
  it('creates schema v1 from an empty file, in WAL mode, tagged as ours', () => {
    const s = Store.open(fresh());
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(s.db.pragma('application_id', { simple: true }), APPLICATION_ID);
    const tables = (
      s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    for (const t of ['annotations', 'experiments', 'results', 'series', 'tags'])
      assert.ok(tables.includes(t), t);
    s.close();
  });

  it('applies each migration once, in order, each with its version bump', () => {
    const db = new Database(':memory:');
    const extra = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'test', sql: 'CREATE TABLE probe (x INTEGER);' },
    ];
    migrate(db, extra);
    assert.equal(userVersion(db), SCHEMA_VERSION + 1);
    migrate(db, extra); // idempotent: would fail "table probe already exists" if re-run
    assert.equal(userVersion(db), SCHEMA_VERSION + 1);
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const bad = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'bad',
        sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;',
      },
    ];
    assert.throws(() => migrate(db, bad), /missing_table/);
    assert.equal(userVersion(db), SCHEMA_VERSION);
    assert.equal(
      (
        db.prepare("SELECT count(*) c FROM sqlite_master WHERE name = 'half'").get() as {
          c: number;
        }
      ).c,
      0,
    );
  });

  it('keeps everything across a reopen', () => {
    const path = fresh();
    const s = Store.open(path);
    const e = s.createExperiment({
      kind: 'simulation',
      title: 'first',
      notes: '# hi',
      tags: ['a', 'b'],
    });
    const id = s.saveRun({
      kind: 'simulation',
      title: 'run',
      params: { k: 1 },
      seed: 7,
      result: sampleRun(3),
    });
    s.addAnnotation({
      experimentId: id,
      tNs: 1500,
      pcpu: 1,
      vcpu: { dom: 3, vcpu: 4 },
      text: 'peak',
    });
    s.close();
    const t = Store.open(path);
    assert.equal(t.getExperiment(e.id).notes, '# hi');
    assert.deepEqual(t.getExperiment(e.id).tags, ['a', 'b']);
    const r = t.loadRun(id);
    assert.deepEqual(r.summary, sampleRun(3).summary);
    assert.deepEqual(Array.from(r.series['len.max']), Array.from(sampleRun(3).series['len.max']));
    assert.ok(r.series['len.mean'] instanceof Float32Array);
    assert.deepEqual(t.getExperiment(id).params, { k: 1 });
    assert.equal(t.getExperiment(id).seed, 7);
    const [a] = t.listAnnotations(id);
    assert.deepEqual([a.tNs, a.pcpu, a.vcpu, a.text], [1500, 1, { dom: 3, vcpu: 4 }, 'peak']);
    t.close();
  });

  it('refuses a database from a newer version and leaves the file byte for byte unchanged', () => {
    const path = fresh();
    Store.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.throws(
      () => Store.open(path),
      (e: unknown) =>
        e instanceof StoreVersionError &&
        /newer Xen PI Lab/.test(e.message) &&
        e.fileVersion === SCHEMA_VERSION + 5,
    );
    const afterHash = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(afterHash, before);
  });

  it('refuses a database of another application', () => {
    const path = fresh();
    const db = new Database(path);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE foreign_data (x)');
    db.close();
    assert.throws(() => Store.open(path), /another application/);
  });
});

describe('store records', () => {
  const s = Store.open(fresh());
  after(() => s.close());

  it('creates, renames, tags, writes notes and deletes', () => {
    const e = s.createExperiment({ kind: 'trace', title: 'dump A' });
    assert.equal(e.kind, 'trace');
    assert.equal(e.hasResult, false);
    const u = s.updateExperiment(e.id, {
      title: 'dump B',
      notes: 'PI list *long*',
      tags: ['skylake', 'k128'],
    });
    assert.equal(u.title, 'dump B');
    assert.deepEqual(u.tags, ['k128', 'skylake']);
    assert.equal(s.listExperiments({ search: 'long' })[0]?.id, e.id);
    assert.equal(s.listExperiments({ tag: 'skylake' })[0]?.id, e.id);
    assert.equal(s.listExperiments({ search: 'k12' })[0]?.id, e.id, 'search matches tags');
    assert.equal(s.listExperiments({ search: '%' }).length, 0, 'LIKE wildcards are literal');
    assert.equal(s.deleteExperiment(e.id), 1);
    assert.throws(() => s.getExperiment(e.id), NotFoundError);
    assert.throws(() => s.deleteExperiment(e.id), NotFoundError);
  });

  it('saves a run in one transaction: a failing series write leaves no experiment behind', () => {
    const before = s.listExperiments().length;
    const run = sampleRun();
    // The last series is not a typed array: its write throws after the experiment row and the
    // result row went in, so the whole save must roll back.
    const bad = { broken: [1, 2, 3] } as unknown as Record<string, Uint8Array>;
    assert.throws(() =>
      s.saveRun({ kind: 'simulation', title: 'x', result: run, extraSeries: bad }),
    );
    assert.equal(s.listExperiments().length, before);
  });

  it('completes an existing entry in place, once, and only with its own kind', () => {
    const e = s.createExperiment({
      kind: 'simulation',
      title: 'planned',
      notes: 'why',
      tags: ['k'],
    });
    const id = s.saveRun({
      kind: 'simulation',
      into: e.id,
      title: 'ignored',
      params: { p: 1 },
      seed: 9,
      result: sampleRun(4),
    });
    assert.equal(id, e.id);
    const got = s.getExperiment(id);
    assert.deepEqual(
      [got.title, got.notes, got.tags, got.seed, got.params],
      ['planned', 'why', ['k'], 9, { p: 1 }],
    );
    assert.equal(got.summary?.walked, 28);
    assert.throws(
      () => s.saveRun({ kind: 'simulation', into: id, title: 'x', result: sampleRun() }),
      /already holds a result/,
    );
    const t = s.createExperiment({ kind: 'trace', title: 'dump' });
    assert.throws(
      () => s.saveRun({ kind: 'simulation', into: t.id, title: 'x', result: sampleRun() }),
      /trace experiment/,
    );
    assert.equal(s.getExperiment(t.id).hasResult, false);
  });

  it('deleting an experiment removes its results, series, tags and annotations', () => {
    const id = s.saveRun({ kind: 'simulation', title: 'gone', result: sampleRun(), tags: ['t'] });
    s.addAnnotation({ experimentId: id, tNs: 1, pcpu: null, vcpu: null, text: 'x' });
    s.deleteExperiment(id);
    for (const table of ['results', 'series', 'tags', 'annotations'])
      assert.equal(
        (
          s.db.prepare(`SELECT count(*) c FROM ${table} WHERE experiment_id = ?`).get(id) as {
            c: number;
          }
        ).c,
        0,
        table,
      );
  });
});

describe('store crash safety', () => {
  it('keeps every committed experiment when the writer is killed with SIGKILL mid-write', async () => {
    const path = fresh();
    Store.open(path).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), path],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const committed: { id: number; walked: number }[] = [];
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const [id, walked] = line.split(' ').map(Number);
          committed.push({ id, walked });
          if (committed.length === 40) child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${signal}`)),
      );
    });
    assert.ok(committed.length >= 40);
    const s = Store.open(path);
    assert.equal(s.db.pragma('integrity_check', { simple: true }), 'ok');
    for (const c of committed) {
      const run = s.loadRun(c.id);
      assert.equal(run.summary.walked, c.walked);
      assert.equal(run.series['len.max'].length, 2 * 4096);
    }
    // Whatever was in flight is either whole or absent: every experiment present has its result.
    for (const e of s.listExperiments()) assert.ok(e.hasResult, `experiment ${e.id} has no result`);
    s.close();
  });
});
