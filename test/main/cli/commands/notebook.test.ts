import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { APPLICATION_ID } from '../../../../main/store/db';
import { SCHEMA_VERSION } from '../../../../main/store/migrations';
import { Store } from '../../../../main/store/store';
import { sampleRun } from '../../store/fixtures';
import { cli, tempDir } from './cli-helpers';

const dir = tempDir('xpl-cli-notebook-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('notebook export writes one file; notebook import merges it into another notebook', async () => {
  const a = join(dir, 'a.db');
  const s = Store.open(a);
  s.saveRun({ kind: 'simulation', title: 'one', params: {}, result: sampleRun(1), tags: ['x'] });
  s.saveRun({ kind: 'simulation', title: 'two', params: {}, result: sampleRun(2) });
  s.close();
  const file = join(dir, 'shared.xpl');
  const ex = await cli(['--db', a, 'notebook', 'export', file]);
  assert.equal(ex.code, 0, ex.err);
  assert.match(ex.out, /exported 2 experiment\(s\)/);
  assert.equal((await cli(['--db', a, 'notebook', 'export', file])).code, 1, 'never overwrites');

  const b = join(dir, 'b.db');
  const im = await cli(['--db', b, 'notebook', 'import', file, '--json']);
  assert.equal(im.code, 0, im.err);
  assert.equal((JSON.parse(im.out) as { imported: number }).imported, 2);
  const sb = Store.open(b);
  assert.deepEqual(
    sb
      .listExperiments()
      .map((e) => e.title)
      .sort(),
    ['one', 'two'],
  );
  sb.close();
});

test('notebook import refuses a newer schema with a clear message', async () => {
  const newer = join(dir, 'newer.db');
  const db = new Database(newer);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  const r = await cli(['--db', join(dir, 'c.db'), 'notebook', 'import', newer]);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /newer Xen PI Lab \(schema version \d+; this version understands up to \d+\)/,
  );
  assert.equal((await cli(['--db', join(dir, 'c.db'), 'notebook', 'frobnicate', newer])).code, 2);
});
