/**
 * Crafted and damaged notebook files (issue 11, item 2): `notebook import` refuses the whole file
 * with a message naming the file, table and row, and imports nothing; a damaged row that is in a
 * notebook anyway is listed as damaged, can be deleted, and the rest keeps working.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dispatch } from '../../../main/api/dispatch';
import { createServices } from '../../../main/api/services';
import { exportNotebook, importNotebook } from '../../../main/notebook/exchange';
import { Store } from '../../../main/store/store';
import { cli } from '../cli/commands/cli-helpers';
import { sampleRun } from '../store/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `nb-${++n}.db`);

/** An exported notebook of two runs, then changed by `craft` through plain SQL. */
function crafted(craft: (db: Database.Database) => void): string {
  const s = Store.open(fresh());
  for (const seed of [1, 2])
    s.saveRun({
      kind: 'simulation',
      title: `run ${seed}`,
      params: { seed },
      seed,
      result: sampleRun(seed),
    });
  const file = fresh();
  exportNotebook(s, file);
  s.close();
  const db = new Database(file);
  craft(db);
  db.close();
  return file;
}

const CASES: [string, (db: Database.Database) => void, RegExp][] = [
  [
    'a summary_json that is not JSON',
    (db) => db.prepare("UPDATE results SET summary_json = '{' WHERE experiment_id = 2").run(),
    /table results, row experiment 2: summary_json: not valid JSON/,
  ],
  [
    'a series BLOB cut to 2 bytes',
    (db) =>
      db.prepare("UPDATE series SET data = x'0102' WHERE experiment_id = 1 AND name = 'h'").run(),
    /table series, row experiment 1, series "h": data: the BLOB does not hold as many values/,
  ],
  [
    'a run-length coded series whose runs are cut',
    (db) =>
      db
        .prepare(
          "UPDATE series SET codec = 'rle', data = substr(data, 1, 6) WHERE experiment_id = 2 AND name = 'h'",
        )
        .run(),
    /table series, row experiment 2, series "h": data: the BLOB does not hold as many values/,
  ],
  [
    'a summary missing the fields readers need',
    (db) => db.prepare(`UPDATE results SET summary_json = '{"policy":1}'`).run(),
    /table results, row experiment 1: /,
  ],
  [
    'params_json that is not JSON',
    (db) => db.prepare("UPDATE experiments SET params_json = 'nope' WHERE id = 2").run(),
    /table experiments, row id 2: params_json: not valid JSON/,
  ],
];

describe('importing a crafted notebook file', () => {
  for (const [what, craft, message] of CASES)
    it(`refuses ${what}, naming file, table and row, and imports nothing`, async () => {
      const file = crafted(craft);
      const db = fresh();
      const r = await cli(['--db', db, 'notebook', 'import', file]);
      assert.equal(r.code, 1);
      assert.ok(r.err.includes(file), r.err);
      assert.match(r.err, message);
      assert.match(r.err, /nothing was imported/);
      const list = await cli(['--db', db, 'list', '--json']);
      assert.equal(list.code, 0, list.err);
      assert.deepEqual(JSON.parse(list.out), []);
    });

  it('refuses a file with random overwrites (quick_check or a row fails) atomically', () => {
    const file = crafted(() => {});
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    let seed = 7;
    for (let i = 0; i < 400; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      // Past page 1 (header and schema): the file still opens as one of ours.
      const at = 4096 + (seed % (size - 4096 - 8));
      writeSync(fd, Buffer.from([seed & 0xff, (seed >> 8) & 0xff, 0x7f]), 0, 3, at);
    }
    closeSync(fd);
    const dst = Store.open(fresh());
    assert.throws(() => importNotebook(dst, file), /nothing was imported/);
    assert.deepEqual(dst.listExperiments(), []);
    dst.close();
  });

  it('over the API: bad-input, and experiments.list still answers', async () => {
    const file = crafted((db) => db.prepare("UPDATE results SET summary_json = '{'").run());
    const services = createServices({ dbPath: fresh(), host: 'browser' });
    const r = await dispatch(services.handlers, 'notebook.import', { path: file });
    assert.equal(!r.ok && r.error.code, 'bad-input');
    const list = await dispatch(services.handlers, 'experiments.list', {});
    assert.deepEqual(list, { ok: true, value: [] });
    await services.close();
  });
});

describe('a damaged row already in the notebook', () => {
  it('is listed as damaged, the rest works, and `delete ID` removes it', async () => {
    const path = fresh();
    const s = Store.open(path);
    const good = s.saveRun({ kind: 'simulation', title: 'good', params: {}, result: sampleRun(1) });
    const bad = s.saveRun({ kind: 'simulation', title: 'bad', params: {}, result: sampleRun(2) });
    s.db.prepare("UPDATE results SET summary_json = '{' WHERE experiment_id = ?").run(bad);
    s.db.prepare("UPDATE experiments SET params_json = 'x' WHERE id = ?").run(bad);
    const items = s.listExperiments();
    assert.equal(items.length, 2);
    assert.match(items.find((e) => e.id === bad)!.damaged ?? '', /summary_json is not valid JSON/);
    assert.equal(items.find((e) => e.id === good)!.damaged, undefined);
    assert.equal(s.getExperiment(good).summary?.maxListLength, sampleRun(1).summary.maxListLength);
    assert.match(s.getExperiment(bad).damaged ?? '', /not valid JSON/);
    assert.throws(() => s.loadSummary(bad), { name: 'ConflictError', message: /is damaged/ });
    assert.equal(s.loadSummary(good).summary.policy, sampleRun(1).summary.policy);
    s.close();

    const text = await cli(['--db', path, 'list']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`DAMAGED: .*xen-pi-lab delete ${bad}`));
    assert.equal((await cli(['--db', path, 'delete', String(bad), '999'])).code, 1);
    assert.equal((await cli(['--db', path, 'list', '--json'])).out.includes('"bad"'), true);
    const del = await cli(['--db', path, 'delete', String(bad)]);
    assert.equal(del.code, 0, del.err);
    assert.equal(del.out, `deleted ${bad}\n`);
    const left = JSON.parse((await cli(['--db', path, 'list', '--json'])).out) as { id: number }[];
    assert.deepEqual(
      left.map((e) => e.id),
      [good],
    );
    assert.equal((await cli(['--db', path, 'delete', 'x'])).code, 2);
  });
});
