/**
 * The sharded sweep the cluster tests run (GNU parallel, Slurm): a sub-second base over a 2 x 3
 * grid, split in 3 shards, and the unsharded sweep the merged notebook must equal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TINY } from '../../notebook/helpers';
import { cli } from './cli-helpers';

export const REPO = join(import.meta.dirname, '..', '..', '..', '..');
export const BIN = join(REPO, 'bin', 'xen-pi-lab.mjs');
export const SHARDS = 3;

/** Writes the base config into `dir` and returns the `sweep` arguments (no --db, no --shard). */
export function shardCaseArgs(dir: string): string[] {
  const config = join(dir, 'tiny.json');
  writeFileSync(config, JSON.stringify(TINY));
  return [
    '--config',
    config,
    '--grid',
    'policy.K=0,4',
    '--grid',
    'policy.policy=upstream,series,least-loaded',
  ];
}

/** Runs the unsharded sweep into `db` (in-process) as the reference. */
export async function unshardedSweep(db: string, args: string[]): Promise<void> {
  const r = await cli(['--db', db, 'sweep', ...args, '--json']);
  if (r.code !== 0) throw new Error(`unsharded sweep failed: ${r.err}`);
}
