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
import { RunCache } from '../../../main/api/run-cache';
import { runHandlers } from '../../../main/api/run-handlers';
import { listAt, simulate } from '../../../main/engine/index';
import { decodeSeries, encodeSeries } from '../../../main/store/codec';
import { Store } from '../../../main/store/store';
import { SimParamsSchema } from '../../../shared/params';
import type { RunResult, SeriesDType } from '../../../shared/results';
import { cli } from '../cli/commands/cli-helpers';
import { sampleRun } from '../store/fixtures';
import { TINY } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `nb-${++n}.db`);

/** An exported notebook of `runs` (two sample runs), then changed by `craft` through plain SQL. */
function crafted(
  craft: (db: Database.Database) => void,
  runs: RunResult[] = [sampleRun(1), sampleRun(2)],
): string {
  const s = Store.open(fresh());
  runs.forEach((result, i) =>
    s.saveRun({
      kind: 'simulation',
      title: `run ${i + 1}`,
      params: { seed: i + 1 },
      seed: i + 1,
      result,
    }),
  );
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

/** An exported notebook of one run with a residency log (and so both save-time indexes). */
const withIndex = (craft: (db: Database.Database) => void) =>
  crafted(craft, [simulate(SimParamsSchema.parse(TINY))]);

/** Rewrites index array `name` of experiment 1 through `change`, validly coded. */
function recode(db: Database.Database, name: string, change: (a: number[]) => number[]): void {
  const r = db
    .prepare('SELECT dtype, length, codec, data FROM series_index WHERE name = ?')
    .get(name) as { dtype: SeriesDType; length: number; codec: string; data: Buffer };
  const a = decodeSeries(r.codec, r.dtype, r.data, r.length);
  const Ctor = a.constructor as new (xs: number[]) => typeof a;
  const next = new Ctor(change(Array.from(a)));
  const { codec, data } = encodeSeries(next);
  db.prepare('UPDATE series_index SET length = ?, codec = ?, data = ? WHERE name = ?').run(
    next.length,
    codec,
    Buffer.from(data),
    name,
  );
}

const INDEX_CASES: [string, (db: Database.Database) => void, RegExp][] = [
  [
    'a residency index BLOB cut short',
    (db) =>
      db
        .prepare(
          "UPDATE series_index SET data = substr(data, 1, length(data) - 5) WHERE name = 'rx.out.0'",
        )
        .run(),
    /table series_index, row experiment 1, index "rx.out.0": data: the index BLOB does not hold/,
  ],
  [
    'a lengths index BLOB cut to 2 bytes',
    (db) => db.prepare("UPDATE series_index SET data = x'0102' WHERE name = 'idx.in.0'").run(),
    /table series_index, row experiment 1, index "idx.in.0": data: the index BLOB does not hold/,
  ],
  [
    'an intact but shortened residency chunk',
    (db) => recode(db, 'rx.vcpu.0', (a) => a.slice(1)),
    /table series_index, experiment 1: index array rx.vcpu.0 is u32 x \d+, expected u32 x \d+/,
  ],
  [
    'a missing per-block array',
    (db) => db.prepare("DELETE FROM series_index WHERE name = 'rx.blk.minOut'").run(),
    /experiment 1: index array rx.blk.minOut is missing/,
  ],
  [
    'offsets past the residency log',
    (db) => recode(db, 'idx.start', (a) => a.map((x, i) => (i === a.length - 1 ? x + 1 : x))),
    /experiment 1: idx.start ends at \d+, not at \d+ rows/,
  ],
  [
    'an index array the app never writes',
    (db) =>
      db
        .prepare("INSERT INTO series_index VALUES (1, 'rx.extra', 'u32', 1, 'raw', x'00000000')")
        .run(),
    /experiment 1: unexpected index array "rx.extra"/,
  ],
];

describe('save-time indexes in a notebook file', () => {
  for (const [what, craft, message] of INDEX_CASES)
    it(`refuses ${what} and imports nothing`, () => {
      const file = withIndex(craft);
      const dst = Store.open(fresh());
      assert.throws(() => importNotebook(dst, file), message);
      assert.throws(() => importNotebook(dst, file), /nothing was imported/);
      assert.deepEqual(dst.listExperiments(), []);
      dst.close();
    });

  it('travel with their run: the imported run lists from them, without reading its log', () => {
    const file = withIndex(() => {});
    const dst = Store.open(fresh());
    const [id] = importNotebook(dst, file).experiments;
    const names = dst.indexNames(id);
    assert.ok(names.includes('idx.start') && names.includes('rx.blk.lastIn'), names.join());
    const run = simulate(SimParamsSchema.parse(TINY));
    const reads: string[] = [];
    const load = dst.loadSeries.bind(dst);
    dst.loadSeries = (i: number, n?: string[]) => (reads.push(...(n ?? ['*'])), load(i, n));
    const h = runHandlers(new RunCache(dst));
    const t = run.summary.maxListAtNs;
    for (let p = 0; p < run.summary.pcpus; p++)
      assert.deepEqual(
        h['run.listAt']({ experimentId: id, tNs: t, pcpu: p, offset: 0, limit: 50 }),
        {
          tNs: t,
          pcpu: p,
          offset: 0,
          ...listAt(run, t, p, 0, 50),
        },
      );
    assert.deepEqual(
      reads.filter((r) => r.startsWith('res.') || r === '*'),
      [],
    );
    dst.close();
  });
});

describe('a notebook file saved before the residency index', () => {
  it('imports its runs with their lengths index, and lists from their log', () => {
    const file = withIndex((db) =>
      db.prepare("DELETE FROM series_index WHERE name LIKE 'rx.%'").run(),
    );
    const dst = Store.open(fresh());
    const [id] = importNotebook(dst, file).experiments;
    assert.ok(dst.indexNames(id).includes('idx.start'));
    assert.ok(!dst.indexNames(id).some((n) => n.startsWith('rx.')));
    const run = simulate(SimParamsSchema.parse(TINY));
    const runs = new RunCache(dst);
    assert.equal(runs.residency(id), null);
    const t = run.summary.maxListAtNs;
    assert.deepEqual(
      runHandlers(runs)['run.listAt']({ experimentId: id, tNs: t, pcpu: 1, offset: 0, limit: 9 }),
      { tNs: t, pcpu: 1, offset: 0, ...listAt(run, t, 1, 0, 9) },
    );
    dst.close();
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
