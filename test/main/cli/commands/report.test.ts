import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { sampleRun } from '../../store/fixtures';
import { cli, tempDir } from './cli-helpers';

const dir = tempDir('xpl-cli-report-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('report writes report.md (saying the CLI renders no charts); --json writes the run', async () => {
  const db = join(dir, 'lab.db');
  const s = Store.open(db);
  const id = s.saveRun({
    kind: 'simulation',
    title: 'for the list',
    params: { seed: 3 },
    seed: 3,
    result: sampleRun(3),
    notes: 'see pCPU 1',
  });
  s.close();
  const r = await cli(['--db', db, 'report', String(id), join(dir, 'rep')]);
  assert.equal(r.code, 0, r.err);
  const md = readFileSync(join(dir, 'rep', 'report.md'), 'utf8');
  assert.match(md, /^# for the list/);
  assert.match(md, /renders no charts/);
  assert.match(md, /see pCPU 1/);
  const j = await cli(['--db', db, 'report', String(id), join(dir, 'run.json'), '--json']);
  assert.equal(j.code, 0, j.err);
  assert.equal(
    JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).experiment.title,
    'for the list',
  );
});
