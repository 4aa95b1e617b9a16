import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importTraceTask } from '../../../../main/jobs/tasks/import-trace';
import { replayOps } from '../../../../main/trace/index';
import type { TaskProgress } from '../../../../main/jobs/task';

const dump = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'traces',
  'pvh-create-all.bin',
);

test('import task reports bytes and records, ends at 1, and its ops replay under another policy', async () => {
  const seen: TaskProgress[] = [];
  const imp = await importTraceTask(
    { path: dump, cpuHz: 2445.414e6 },
    { progress: (p) => void seen.push(p), cancelled: () => false },
  );
  assert.equal(imp.file.bytes, 2797200);
  assert.match(seen.at(-1)!.detail, /2\.8 MB, 125802 records/);
  assert.equal(seen.at(-1)!.fraction, 1);
  const r = replayOps(imp.ops, {
    policy: 'series',
    K: 0,
    compare: '<',
    hCounts: 'all',
    pool: null,
    fixup: 'cycle',
  });
  assert.equal(r.summary.policy, 'series');
  assert.equal(r.summary.operations, imp.ops.code.length);
});

test('import task stops when cancelled', async () => {
  await assert.rejects(
    Promise.resolve(importTraceTask({ path: dump }, { progress: () => {}, cancelled: () => true })),
    /cancelled/,
  );
});
