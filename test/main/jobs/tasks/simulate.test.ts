import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateTask } from '../../../../main/jobs/tasks/simulate';
import { EngineCancelled, simulate } from '../../../../main/engine/index';
import type { TaskProgress } from '../../../../main/jobs/task';
import { SimParamsSchema } from '../../../../shared/params';

const params = SimParamsSchema.parse({
  workload: { pcpus: 4, domains: 8, vcpusPerDomain: 4, durationNs: 2e8 },
  policy: { policy: 'series', K: 2 },
  seed: 5,
  buckets: 64,
});

test('simulateTask returns the same result as simulate and reports progress', async () => {
  const progress: TaskProgress[] = [];
  const r = await simulateTask(
    { params },
    { progress: (p) => progress.push(p), cancelled: () => false },
  );
  assert.deepEqual(r.summary, simulate(params).summary);
  assert.ok(progress.length >= 2);
  assert.equal(progress.at(-1)!.fraction, 1);
  assert.match(progress.at(-1)!.detail, /ops/);
});

test('simulateTask stops when cancelled', async () => {
  await assert.rejects(
    async () =>
      simulateTask(
        { params: { ...params, workload: { ...params.workload, durationNs: 1e13 } } },
        { progress: () => {}, cancelled: () => true },
      ),
    EngineCancelled,
  );
});
