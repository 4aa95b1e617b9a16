/**
 * A sweep's point jobs name the sweep as their parent (`parentJobId`), so the status bar can show
 * one row per sweep; jobs of their own carry no parent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobInfo } from '../../../shared/model';
import { SimParamsSchema } from '../../../shared/params';
import { TINY, useSweepFixture } from './helpers';

const fx = useSweepFixture('sweep-parent');

describe('parentJobId', () => {
  it("every point job of a sweep carries the sweep's job id; the sweep itself has none", async () => {
    const seen = new Map<string, JobInfo>();
    const record = (j: JobInfo) => {
      if (j.kind !== 'sweep') seen.set(j.jobId, j);
    };
    fx.jobs.on('progress', record);
    fx.jobs.on('done', record);
    const s = fx.sweeps.start({
      base: SimParamsSchema.parse(TINY),
      grid: [
        { path: 'policy.K', values: [0, 4] },
        { path: 'policy.policy', values: ['upstream', 'series'] },
      ],
      title: 'parent ids',
    });
    // Listed while running, through the runner (what `fx.jobs.list` answers).
    const listed = fx.jobs.list().filter((j) => j.title.startsWith('parent ids · '));
    assert.equal(listed.length, 4);
    for (const j of listed) assert.equal(j.parentJobId, s.jobId);
    const info = await s.finished;
    fx.jobs.off('progress', record);
    fx.jobs.off('done', record);

    assert.equal(info.state, 'done', info.error ?? '');
    assert.ok(!info.parentJobId, 'the sweep has no parent');
    assert.equal(seen.size, 4, 'four point jobs reported');
    for (const j of seen.values()) assert.equal(j.parentJobId, s.jobId, j.title);
    const done = fx.jobs.list().filter((j) => j.title.startsWith('parent ids · '));
    assert.deepEqual(
      done.map((j) => [j.state, j.parentJobId]),
      Array(4).fill(['done', s.jobId]),
    );
  });

  it('a job of its own has parentJobId null; the runner copies a given one', async () => {
    const own = fx.jobs.start({
      kind: 'simulation',
      title: 'own',
      task: 'simulate',
      input: { params: SimParamsSchema.parse(TINY) },
    });
    const child = fx.jobs.start({
      kind: 'simulation',
      title: 'child',
      task: 'simulate',
      input: { params: SimParamsSchema.parse(TINY) },
      parentJobId: 'sweep-g9-x',
    });
    assert.equal(fx.jobs.get(own.jobId)?.parentJobId, null);
    assert.equal(fx.jobs.get(child.jobId)?.parentJobId, 'sweep-g9-x');
    assert.equal((await own.finished).parentJobId, null);
    assert.equal((await child.finished).parentJobId, 'sweep-g9-x');
  });
});
