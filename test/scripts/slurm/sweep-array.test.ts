/**
 * scripts/slurm/sweep-array.sbatch on a real single-node Slurm cluster started by the test: a
 * 3-task job array (one shard each) and a merge step depending on it, exactly as the README
 * submits them; the merged notebook must equal the unsharded sweep. Skipped, with the reason
 * printed, where Slurm cannot start (not installed, not root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../main/cli/commands/cli-helpers';
import {
  BIN,
  REPO,
  SHARDS,
  shardCaseArgs,
  unshardedSweep,
} from '../../main/cli/commands/shard-case';
import { sweepSnapshot } from '../../main/notebook/shard-helpers';
import { startCluster, waitForJobs, type Cluster } from './cluster';

const SCRIPT = join(REPO, 'scripts', 'slurm', 'sweep-array.sbatch');
const dir = tempDir('xpl-slurm-');
let cluster: Cluster | null = null;
test.after(() => {
  cluster?.stop();
  // slurmctld may still be writing its state files just after the shutdown: retry ENOTEMPTY.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

test('a 3-shard sweep as a Slurm job array plus merge step equals the unsharded sweep', async (t) => {
  const started = await startCluster(join(dir, 'cluster'));
  if (typeof started === 'string') {
    console.log(`# skipping the Slurm test: ${started}`);
    t.skip(started.split('\n')[0]);
    return;
  }
  cluster = started;
  const args = shardCaseArgs(dir);
  const out = join(dir, 'out');
  const env = { ...cluster.env, XPL: `${process.execPath} ${BIN}` };
  const sbatch = (a: string[]) => {
    const r = spawnSync('sbatch', ['--parsable', `--chdir=${REPO}`, ...a], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, `sbatch ${a.join(' ')}: ${r.stderr}`);
    return r.stdout.trim().split(';')[0];
  };
  const logs = join(dir, 'logs');
  const array = sbatch([`--array=1-${SHARDS}`, `--output=${logs}-%A_%a.txt`, SCRIPT, out, ...args]);
  const merge = sbatch([
    `--dependency=afterok:${array}`,
    `--output=${logs}-merge.txt`,
    SCRIPT,
    '--merge',
    out,
  ]);
  const jobLogs = () =>
    readdirSync(dir)
      .filter((f) => f.startsWith('logs-'))
      .map((f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8')}`)
      .join('\n');
  const finished = await waitForJobs(cluster, [array, merge], 240_000);
  assert.ok(finished, `jobs still queued after 240 s\n${jobLogs()}\n${cluster.logs()}`);
  assert.deepEqual(
    readdirSync(out)
      .filter((f) => /^shard-\d+\.db$/.test(f))
      .sort(),
    ['shard-1.db', 'shard-2.db', 'shard-3.db'],
    jobLogs(),
  );
  const merged = join(out, 'merged.db');
  assert.ok(existsSync(merged), `no merged notebook\n${jobLogs()}`);
  assert.match(readFileSync(`${logs}-merge.txt`, 'utf8'), /imported 2 experiment/);

  const whole = join(dir, 'whole.db');
  await unshardedSweep(whole, args);
  const expected = sweepSnapshot(whole);
  assert.equal(expected.points.length, 6);
  assert.deepEqual(sweepSnapshot(merged), expected);
});
