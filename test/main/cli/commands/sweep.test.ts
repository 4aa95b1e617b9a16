import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { TINY } from '../../notebook/helpers';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-sweep-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const config = join(dir, 'tiny.json');
writeFileSync(config, JSON.stringify(TINY));

test('sweep --json runs the grid as one group and prints every point', async () => {
  const r = await cli([
    '--db',
    db,
    'sweep',
    '--config',
    config,
    '--grid',
    'policy.K=0,32',
    '--grid',
    'policy.policy=upstream,series',
    '--grid',
    'seed=1,2',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as {
    groupId: number;
    state: string;
    points: {
      experimentId: number;
      values: Record<string, unknown>;
      metrics: { maxListLength: number };
    }[];
  };
  assert.equal(out.state, 'done');
  assert.equal(out.points.length, 8);
  assert.deepEqual(out.points[0].values, { 'policy.K': 0, 'policy.policy': 'upstream', seed: 1 });
  assert.deepEqual(out.points[7].values, { 'policy.K': 32, 'policy.policy': 'series', seed: 2 });
  const s = Store.open(db);
  assert.equal(s.listExperiments({ groupId: out.groupId }).length, 8);
  s.close();
});

test('sweep prints a table; a trace sweep replays the trace under each policy point', async () => {
  const imp = await cli([
    '--db',
    db,
    'import',
    join(TRACES, 'pvh-destroy-sched.bin'),
    '--save',
    '--json',
  ]);
  assert.equal(imp.code, 0, imp.err);
  const traceId = (JSON.parse(imp.out) as { id: number }).id;
  assert.ok(traceId > 0, imp.out.slice(0, 200));
  const r = await cli([
    '--db',
    db,
    'sweep',
    '--trace',
    String(traceId),
    '--grid',
    'policy.policy=upstream,series',
    '--grid',
    'policy.K=0,8',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /sweep group \d+/);
  assert.match(r.out, /max list\s+p99 walk\s+remote/);
  assert.equal(
    r.out
      .trim()
      .split('\n')
      .filter((l) => /^\s+\d+\s+(upstream|series)/.test(l)).length,
    4,
  );
  assert.match(r.out, /4 \/ 4 points saved/);
});

test('sweep refuses a bad grid or a missing base with a usage error', async () => {
  assert.equal((await cli(['--db', db, 'sweep', '--config', config])).code, 2);
  assert.equal((await cli(['--db', db, 'sweep', '--grid', 'seed=1'])).code, 2);
  const bad = await cli(['--db', db, 'sweep', '--config', config, '--grid', 'policy.K=-1']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /policy\.K/);
});
