import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { exportNotebook, importNotebook } from '../../../main/notebook/exchange';
import { APPLICATION_ID, migrate, StoreVersionError } from '../../../main/store/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/store/migrations';
import { Store } from '../../../main/store/store';
import { sampleRun } from '../store/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-exchange-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (ext = 'db') => join(dir, `nb-${++n}.${ext}`);
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** A notebook with a tagged, annotated run, a sweep group of two, and a replay child. */
function populated(): { store: Store; ids: number[]; groupId: number } {
  const store = Store.open(fresh());
  const a = store.saveRun({
    kind: 'simulation',
    title: 'baseline K=128',
    params: { seed: 1, policy: { policy: 'series', K: 128 } },
    seed: 1,
    result: sampleRun(1),
    tags: ['baseline', 'xen-devel'],
    notes: '# Finding\n\nK=128 keeps lists **short**.',
    engineVersion: '1.0.0',
  });
  store.addAnnotation({
    experimentId: a,
    tNs: 2500,
    pcpu: 1,
    vcpu: { dom: 3, vcpu: 0 },
    text: 'spike',
  });
  store.addAnnotation({ experimentId: a, tNs: 100, pcpu: null, vcpu: null, text: 'start' });
  const groupId = Number(
    store.db
      .prepare(
        `INSERT INTO groups (kind, title, base_json, grid_json, points, state, created_at)
         VALUES ('sweep', 'sweep K', '{"seed":1}', '[{"path":"policy.K","values":[0,32]}]', 2, 'done', 'now')`,
      )
      .run().lastInsertRowid,
  );
  const g1 = store.saveRun({
    kind: 'simulation',
    title: 'K=0',
    params: { policy: { K: 0 } },
    seed: 1,
    result: sampleRun(2),
    groupId,
  });
  const g2 = store.saveRun({
    kind: 'simulation',
    title: 'K=32',
    params: { policy: { K: 32 } },
    seed: 1,
    result: sampleRun(3),
    groupId,
  });
  const t = store.saveRun({
    kind: 'trace',
    title: 'dump',
    params: { file: { sha256: 'ab' } },
    result: sampleRun(4),
  });
  const r = store.saveRun({
    kind: 'trace',
    title: 'dump · replay',
    params: { replayOf: t, policy: { policy: 'series' } },
    result: sampleRun(5),
    parentId: t,
  });
  return { store, ids: [a, g1, g2, t, r], groupId };
}

describe('notebook export', () => {
  it('writes one file that reopens in a fresh Store with every experiment', () => {
    const { store, ids } = populated();
    const out = fresh('xpl');
    const res = exportNotebook(store, out);
    assert.equal(res.experiments, 5);
    assert.ok(res.bytes > 0);
    assert.ok(!existsSync(out + '-wal'), 'a single file, no WAL beside it');
    const again = Store.open(out);
    assert.equal(again.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(
      again
        .listExperiments()
        .map((e) => e.id)
        .sort((x, y) => x - y),
      ids,
    );
    const a = again.getExperiment(ids[0]);
    assert.deepEqual(a.tags, ['baseline', 'xen-devel']);
    assert.match(a.notes, /\*\*short\*\*/);
    assert.equal(again.listAnnotations(ids[0]).length, 2);
    assert.deepEqual(
      again.loadRun(ids[1]).series['len.max'],
      store.loadRun(ids[1]).series['len.max'],
    );
    again.close();
    store.close();
  });

  it('refuses to overwrite an existing file', () => {
    const { store } = populated();
    const out = fresh('xpl');
    exportNotebook(store, out);
    const before = sha(out);
    assert.throws(() => exportNotebook(store, out), /already exists/);
    assert.equal(sha(out), before);
    store.close();
  });
});

describe('notebook import', () => {
  it('merges with new ids, remapping groups and parents, overwriting nothing', () => {
    const { store: src, ids } = populated();
    const file = fresh('xpl');
    exportNotebook(src, file);
    src.close();

    const dst = Store.open(fresh());
    const mine = dst.saveRun({
      kind: 'simulation',
      title: 'mine',
      params: {},
      seed: 9,
      result: sampleRun(9),
      notes: 'keep me',
    });
    const mineBefore = dst.getExperiment(mine);
    const res = importNotebook(dst, file);
    assert.equal(res.imported, 5);
    assert.equal(res.experiments.length, 5);
    assert.equal(res.groups.length, 1);
    assert.ok(!res.experiments.includes(mine));
    assert.deepEqual(dst.getExperiment(mine), mineBefore);
    assert.equal(dst.listExperiments().length, 6);

    const [a, g1, g2, t, r] = res.experiments;
    const ea = dst.getExperiment(a);
    assert.equal(ea.title, 'baseline K=128');
    assert.deepEqual(ea.tags, ['baseline', 'xen-devel']);
    assert.match(ea.notes, /Finding/);
    assert.equal(ea.engineVersion, '1.0.0');
    const anns = dst.listAnnotations(a);
    assert.deepEqual(
      anns.map((x) => [x.tNs, x.pcpu, x.vcpu, x.text]),
      [
        [100, null, null, 'start'],
        [2500, 1, { dom: 3, vcpu: 0 }, 'spike'],
      ],
    );
    assert.deepEqual(
      dst.loadRun(a),
      (() => {
        const s = Store.open(file);
        const run = s.loadRun(ids[0]);
        s.close();
        return run;
      })(),
    );
    const newGroup = res.groups[0];
    assert.equal(dst.getExperiment(g1).groupId, newGroup);
    assert.equal(dst.getExperiment(g2).groupId, newGroup);
    assert.deepEqual(
      dst
        .listExperiments({ groupId: newGroup })
        .map((e) => e.id)
        .sort(),
      [g1, g2].sort(),
    );
    const er = dst.getExperiment(r);
    assert.equal(er.parentId, t);
    assert.equal((er.params as { replayOf: number }).replayOf, t);
    assert.ok(
      dst.listExperiments({ search: 'short' }).some((e) => e.id === a),
      'notes searchable',
    );
    assert.ok(dst.listExperiments({ tag: 'xen-devel' }).some((e) => e.id === a));

    // Importing twice merges again (new ids), still overwriting nothing.
    const again = importNotebook(dst, file);
    assert.equal(again.imported, 5);
    assert.equal(dst.listExperiments().length, 11);
    dst.close();
  });

  it('refuses a newer schema with the StoreVersionError message and leaves the file untouched', () => {
    const file = fresh();
    const db = new Database(file);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.exec('CREATE TABLE experiments (id INTEGER PRIMARY KEY)');
    db.close();
    const before = sha(file);
    const dst = Store.open(fresh());
    assert.throws(
      () => importNotebook(dst, file),
      (e: unknown) =>
        e instanceof StoreVersionError &&
        e.fileVersion === SCHEMA_VERSION + 3 &&
        /newer Xen PI Lab/.test(e.message) &&
        /left untouched/.test(e.message),
    );
    assert.equal(sha(file), before);
    assert.equal(dst.listExperiments().length, 0);
    dst.close();
  });

  it('imports a notebook of an older schema (before sweep groups) without changing it', () => {
    const old = fresh();
    const db = new Database(old);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO experiments (kind, title, created_at, updated_at, params_json, app_version, notes_md, group_id)
       VALUES ('simulation', 'from v1', 'then', 'then', '{}', '0.0.1', 'old notes', 7)`,
    ).run();
    db.close();
    const before = sha(old);
    const dst = Store.open(fresh());
    const res = importNotebook(dst, old);
    assert.equal(res.schemaVersion, 1);
    assert.equal(res.imported, 1);
    const e = dst.getExperiment(res.experiments[0]);
    assert.equal(e.title, 'from v1');
    assert.equal(e.notes, 'old notes');
    assert.equal(e.groupId, null, 'a group the file does not define is dropped');
    assert.equal(sha(old), before);
    dst.close();
  });

  it('refuses files that are not notebooks', () => {
    const foreign = fresh();
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const text = fresh('txt');
    const dst = Store.open(fresh());
    writeFileSync(text, 'hello, not sqlite at all, just some text to fill a page...');
    assert.throws(() => importNotebook(dst, foreign), /not a Xen PI Lab notebook/);
    assert.throws(() => importNotebook(dst, text), /not a Xen PI Lab notebook/);
    assert.throws(() => importNotebook(dst, join(dir, 'missing.db')), /does not exist/);
    assert.throws(() => importNotebook(dst, dst.path), /is this notebook/);
    dst.close();
  });
});
