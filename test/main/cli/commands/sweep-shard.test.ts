import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, tempDir } from './cli-helpers';
import { shardCaseArgs } from './shard-case';

const dir = tempDir('xpl-cli-sweep-shard-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const args = shardCaseArgs(dir);

test('sweep --plan --json lists every point with its shard and runs nothing', async () => {
  const r = await cli(['--db', db, 'sweep', ...args, '--plan', '--shard', '2/4', '--json']);
  assert.equal(r.code, 0, r.err);
  const p = JSON.parse(r.out) as {
    sweepKey: string;
    points: number;
    shards: number;
    shard: number;
    plan: { index: number; shard: number; values: Record<string, unknown> }[];
  };
  assert.match(p.sweepKey, /^[0-9a-f]{64}$/);
  assert.equal(p.points, 6);
  assert.equal(p.shards, 4);
  assert.equal(p.shard, 2);
  assert.deepEqual(
    p.plan.map((x) => [x.index, x.shard]),
    [
      [1, 2],
      [5, 2],
    ],
  );
  assert.deepEqual(p.plan[1].values, { 'policy.K': 4, 'policy.policy': 'least-loaded' });
  const all = JSON.parse((await cli(['sweep', ...args, '--plan', '--json'])).out) as typeof p;
  assert.equal(all.plan.length, 6);
  assert.equal(all.sweepKey, p.sweepKey);
  assert.equal((await cli(['--db', db, 'list', '--json'])).out.trim(), '[]');
});

test('sweep --shard runs only its points, and says which shard', async () => {
  const r = await cli(['--db', db, 'sweep', ...args, '--shard', '3/3', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { shard: string; points: { values: Record<string, unknown> }[] };
  assert.equal(out.shard, '3/3');
  assert.deepEqual(
    out.points.map((p) => p.values),
    [
      { 'policy.K': 0, 'policy.policy': 'least-loaded' },
      { 'policy.K': 4, 'policy.policy': 'least-loaded' },
    ],
  );
});

test('a bad --shard is refused before anything runs', async () => {
  for (const bad of ['0/3', '4/3', 'x']) {
    const r = await cli(['--db', join(dir, 'bad.db'), 'sweep', ...args, '--shard', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /--shard/);
  }
  const t = await cli(['--db', db, 'sweep', '--trace', '1', '--grid', 'policy.K=0', '--plan']);
  assert.equal(t.code, 2);
  assert.match(t.err, /simulation sweeps only/);
});
