import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SimParamsSchema } from '../../../../shared/params';
import { ENGINE_VERSION, simulate } from '../../../../main/engine';
import { Store } from '../../../../main/store/store';
import { TINY } from '../../notebook/helpers';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-verify-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('verify exits 0 on an identical re-run and 1 once a parameter changed underneath', async () => {
  const db = join(dir, 'lab.db');
  const s = Store.open(db);
  const params = SimParamsSchema.parse(TINY);
  const id = s.saveRun({
    kind: 'simulation',
    title: 't',
    params,
    seed: 1,
    result: simulate(params),
    engineVersion: ENGINE_VERSION,
  });
  s.close();
  const ok = await cli(['--db', db, 'verify', String(id)]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /IDENTICAL, \d+ series compared/);

  const s2 = Store.open(db);
  s2.updateExperiment(id, { params: { ...params, seed: 99 } });
  s2.close();
  const diff = await cli(['--db', db, 'verify', String(id), '--json']);
  assert.equal(diff.code, 1);
  const rep = JSON.parse(diff.out) as { outcome: string; differences: string[] };
  assert.equal(rep.outcome, 'different');
  assert.ok(rep.differences.length > 0);
  assert.equal((await cli(['--db', db, 'verify'])).code, 2);
});

test('verify re-checks an imported trace from its stored operations', async () => {
  const db = join(dir, 'trace.db');
  const imp = await cli([
    '--db',
    db,
    'import',
    join(TRACES, 'pvh-destroy-sched.bin'),
    '--save',
    '--json',
  ]);
  assert.equal(imp.code, 0, imp.err);
  const id = (JSON.parse(imp.out) as { id: number }).id;
  const r = await cli(['--db', db, 'verify', String(id)]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /stored operations under upstream.*: IDENTICAL/);
});
