/**
 * The store with coded series (migration 4): older notebooks open and read unchanged, new saves
 * are coded and read back byte for byte, notebook import copies codecs across schemas, and a big
 * save leaves no WAL behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../../main/store/db';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/store/migrations';
import { Store } from '../../../main/store/store';
import { importNotebook } from '../../../main/notebook/exchange';
import type { SeriesSet } from '../../../shared/results';
import { sampleRun } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-store-codec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `nb-${++n}.db`);

const bytesOf = (s: SeriesSet) =>
  Object.fromEntries(
    Object.entries(s).map(([k, a]) => [
      k,
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'),
    ]),
  );

/** A notebook at schema 2 (before codecs) with one run whose series rows are raw bytes. */
function schema2Notebook(path: string): SeriesSet {
  const db = openDatabase(
    path,
    MIGRATIONS.filter((m) => m.version <= 2),
  );
  const run = sampleRun(3, 64);
  db.prepare(
    `INSERT INTO experiments (id, kind, title, created_at, updated_at, app_version)
     VALUES (1, 'simulation', 'old run', 'x', 'x', '0.0.1')`,
  ).run();
  db.prepare(
    `INSERT INTO results (experiment_id, summary_json, timeline_json, created_at) VALUES (1, ?, ?, 'x')`,
  ).run(JSON.stringify(run.summary), JSON.stringify(run.timeline));
  const put = db.prepare(
    'INSERT INTO series (experiment_id, name, dtype, length, data) VALUES (1, ?, ?, ?, ?)',
  );
  put.run(
    'len.max',
    'u32',
    run.series['len.max'].length,
    Buffer.from(run.series['len.max'].buffer),
  );
  put.run(
    'len.mean',
    'f32',
    run.series['len.mean'].length,
    Buffer.from(run.series['len.mean'].buffer),
  );
  put.run('h', 'f64', run.series.h.length, Buffer.from(run.series.h.buffer));
  db.close();
  return run.series;
}

describe('store: coded series', () => {
  it('opens a schema-2 notebook, migrates it to the current schema and reads its raw series unchanged', () => {
    const path = fresh();
    const want = schema2Notebook(path);
    const s = Store.open(path);
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 3);
    const codecs = s.db.prepare('SELECT DISTINCT codec FROM series').all() as { codec: string }[];
    assert.deepEqual(codecs, [{ codec: 'raw' }]);
    assert.deepEqual(bytesOf(s.loadRun(1).series), bytesOf(want));
    s.close();
  });

  it('stores runs of a big sparse run coded, reads back every byte', () => {
    const s = Store.open(fresh());
    const run = sampleRun(2, 4096, 64);
    const sparse = new Uint32Array(64 * 4096);
    sparse.fill(5, 100, 4000); // only pCPU 0 ever holds anything
    const ids = new Uint32Array(128 * 512).map((_, i) => i % 128);
    const times = new Float64Array(20_000).map((_, i) => i * 1.5 + Math.sin(i));
    run.series = { ...run.series, 'len.max': sparse, 'vcpu.id': ids, 'res.tIn': times };
    const id = s.saveRun({ kind: 'simulation', title: 'coded', result: run });
    const rows = s.db
      .prepare('SELECT name, codec, length(data) AS n FROM series WHERE experiment_id = ?')
      .all(id) as { name: string; codec: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.equal(by['len.max'].codec, 'rle');
    assert.ok(by['len.max'].n < 100, `len.max stored in ${by['len.max'].n} bytes`);
    assert.equal(by['vcpu.id'].codec, 'drle');
    assert.equal(by['res.tIn'].codec, 'raw');
    assert.deepEqual(bytesOf(s.loadRun(id).series), bytesOf(run.series));
    assert.deepEqual(bytesOf(s.loadSeries(id, ['vcpu.id'])), bytesOf({ 'vcpu.id': ids }));
    s.close();
  });

  it('imports a schema-2 notebook into a coded one, then copies coded rows on', () => {
    const oldPath = fresh();
    const want = schema2Notebook(oldPath);
    const s = Store.open(fresh());
    const a = importNotebook(s, oldPath);
    assert.equal(a.schemaVersion, 2);
    const first = a.experiments[0];
    assert.deepEqual(bytesOf(s.loadRun(first).series), bytesOf(want));
    // Coded rows survive an import between two notebooks of the current schema.
    const coded = sampleRun(1, 2048, 16);
    coded.series['len.max'] = new Uint32Array(16 * 2048);
    const id = s.saveRun({ kind: 'simulation', title: 'coded', result: coded });
    s.close();
    const t = Store.open(fresh());
    const b = importNotebook(t, s.path);
    assert.equal(id, 2);
    const to = b.experiments[1];
    assert.deepEqual(bytesOf(t.loadRun(to).series), bytesOf(coded.series));
    t.close();
  });

  it('checkpoints and truncates the WAL after a big save, not after a small one', () => {
    const path = fresh();
    const s = Store.open(path);
    s.saveRun({ kind: 'simulation', title: 'small', result: sampleRun() });
    assert.ok(statSync(`${path}-wal`).size > 0, 'a small save stays in the WAL');
    const big = sampleRun();
    // Incompressible: raw bytes over the threshold.
    big.series['res.tOut'] = new Float64Array(Store.CHECKPOINT_BYTES / 8 + 1000).map(
      (_, i) => Math.sin(i) * i,
    );
    s.saveRun({ kind: 'simulation', title: 'big', result: big });
    assert.equal(statSync(`${path}-wal`).size, 0);
    assert.equal(s.loadRun(2).series['res.tOut'].length, big.series['res.tOut'].length);
    s.close();
  });
});
