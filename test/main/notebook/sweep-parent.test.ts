/**
 * A sweep's point jobs name the sweep as their parent (`parentJobId`), so the status bar can show
 * one row per sweep; jobs of their own carry no parent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobInfo } from '../../../shared/model';
import { SimParamsSchema } from '../../../shared/params';
import { JobRunner } from '../../../main/jobs/runner';
import { SweepManager } from '../../../main/notebook/sweeps';
import { Store } from '../../../main/store/store';
import { TINY } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-sweep-parent-'));
let store: Store;
let jobs: JobRunner;
let sweeps: SweepManager;
before(() => {
  store = Store.open(join(dir, 'nb.db'));
  jobs = new JobRunner({ maxConcurrent: 2 });
  sweeps = new SweepManager(store, jobs);
});
after(async () => {
  await jobs.shutdown();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parentJobId', () => {
  it("every point job of a sweep carries the sweep's job id; the sweep itself has none", async () => {
    const seen = new Map<string, JobInfo>();
    const record = (j: JobInfo) => {
      if (j.kind !== 'sweep') seen.set(j.jobId, j);
    };
    jobs.on('progress', record);
    jobs.on('done', record);
    const s = sweeps.start({
      base: SimParamsSchema.parse(TINY),
      grid: [
        { path: 'policy.K', values: [0, 4] },
        { path: 'policy.policy', values: ['upstream', 'series'] },
      ],
      title: 'parent ids',
    });
    // Listed while running, through the runner (what `jobs.list` answers).
    const listed = jobs.list().filter((j) => j.title.startsWith('parent ids · '));
    assert.equal(listed.length, 4);
    for (const j of listed) assert.equal(j.parentJobId, s.jobId);
    const info = await s.finished;
    jobs.off('progress', record);
    jobs.off('done', record);

    assert.equal(info.state, 'done', info.error ?? '');
    assert.ok(!info.parentJobId, 'the sweep has no parent');
    assert.equal(seen.size, 4, 'four point jobs reported');
    for (const j of seen.values()) assert.equal(j.parentJobId, s.jobId, j.title);
    const done = jobs.list().filter((j) => j.title.startsWith('parent ids · '));
    assert.deepEqual(
      done.map((j) => [j.state, j.parentJobId]),
      Array(4).fill(['done', s.jobId]),
    );
  });

  it('a job of its own has parentJobId null; the runner copies a given one', async () => {
    const own = jobs.start({
      kind: 'simulation',
      title: 'own',
      task: 'simulate',
      input: { params: SimParamsSchema.parse(TINY) },
    });
    const child = jobs.start({
      kind: 'simulation',
      title: 'child',
      task: 'simulate',
      input: { params: SimParamsSchema.parse(TINY) },
      parentJobId: 'sweep-g9-x',
    });
    assert.equal(jobs.get(own.jobId)?.parentJobId, null);
    assert.equal(jobs.get(child.jobId)?.parentJobId, 'sweep-g9-x');
    assert.equal((await own.finished).parentJobId, null);
    assert.equal((await child.finished).parentJobId, 'sweep-g9-x');
  });
});
