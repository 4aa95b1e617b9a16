/**
 * The README's GNU parallel one-liner, for real: three shards as three processes, each into its
 * own notebook, merged with `notebook import`, equal to the unsharded sweep.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sweepSnapshot } from '../../notebook/shard-helpers';
import { cli, tempDir } from './cli-helpers';
import { BIN, REPO, SHARDS, shardCaseArgs, unshardedSweep } from './shard-case';

const dir = tempDir('xpl-cli-parallel-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const parallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' });
const missing =
  parallel.status === 0 && /GNU parallel/.test(parallel.stdout)
    ? null
    : 'GNU parallel is not installed (Debian: apt-get install parallel)';
if (missing) console.log(`# skipping the GNU parallel test: ${missing}`);

test(
  'a 3-shard sweep run through GNU parallel merges into the unsharded sweep',
  { skip: missing ?? false },
  async () => {
    const args = shardCaseArgs(dir);
    const shards = join(dir, 'shards');
    const r = spawnSync(
      'parallel',
      [
        '--will-cite',
        '--halt',
        'now,fail=1',
        'node',
        BIN,
        '--db',
        join(shards, '{}.db'),
        'sweep',
        ...args,
        '--shard',
        `{}/${SHARDS}`,
        ':::',
        ...Array.from({ length: SHARDS }, (_, i) => String(i + 1)),
      ],
      { cwd: REPO, encoding: 'utf8', timeout: 240_000 },
    );
    assert.equal(r.status, 0, `parallel failed: ${r.stderr}`);
    const files = readdirSync(shards)
      .filter((f) => f.endsWith('.db'))
      .sort();
    assert.deepEqual(files, ['1.db', '2.db', '3.db']);
    const merged = join(dir, 'merged.db');
    for (const f of files) {
      const m = await cli(['--db', merged, 'notebook', 'import', join(shards, f)]);
      assert.equal(m.code, 0, m.err);
    }
    const whole = join(dir, 'whole.db');
    await unshardedSweep(whole, args);
    const expected = sweepSnapshot(whole);
    assert.equal(expected.points.length, 6);
    assert.deepEqual(sweepSnapshot(merged), expected);
  },
);
