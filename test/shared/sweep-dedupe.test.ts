import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gridCartesian,
  ignoredPaths,
  sameResults,
  sameRunGroups,
  sameRunNote,
} from '../../shared/sweep-dedupe';
import type { GridValue } from '../../shared/notebook';

function cartesian(axes: [string, GridValue[]][]): Record<string, GridValue>[] {
  let out: Record<string, GridValue>[] = [{}];
  for (const [path, vals] of axes) out = out.flatMap((p) => vals.map((v) => ({ ...p, [path]: v })));
  return out;
}

const base = { workload: { hotplug: [] }, policy: { policy: 'series', K: 128, fixup: 'random' } };

test('K x {upstream, series}: upstream runs once for all its K values', () => {
  const pts = cartesian([
    ['policy.K', [0, 32, 128]],
    ['policy.policy', ['upstream', 'series']],
  ]);
  const groups = sameRunGroups(pts, base);
  assert.equal(groups.length, 4);
  const up = groups.find((g) => g.values['policy.policy'] === 'upstream')!;
  assert.deepEqual(up.indices, [0, 2, 4]);
  assert.deepEqual(up.ignored, ['policy.K']);
  assert.equal(sameRunNote(up), 'one run for K = 0, 32, 128: upstream does not place by K');
  for (const g of groups.filter((x) => x.values['policy.policy'] === 'series')) {
    assert.equal(g.sameAs.length, 0);
    assert.equal(sameRunNote(g), null);
  }
});

test('seeds stay distinct; the cycle fix-up with hotplug reads K', () => {
  const pts = cartesian([
    ['policy.K', [0, 4]],
    ['seed', [1, 2]],
  ]);
  const upstreamBase = { ...base, policy: { policy: 'upstream', fixup: 'random' } };
  assert.equal(sameRunGroups(pts, upstreamBase).length, 2, 'one run per seed');
  const cycle = {
    workload: { hotplug: [{ tNs: 1, pcpu: 1, online: false }] },
    policy: { policy: 'upstream', fixup: 'cycle' },
  };
  assert.equal(sameRunGroups(pts, cycle).length, 4);
  assert.deepEqual(ignoredPaths({ 'policy.K': 0, 'policy.fixup': 'cycle' }, cycle), []);
  // A trace base lists no hotplug: its operations may offline pCPUs, so cycle reads K.
  assert.deepEqual(
    ignoredPaths({ 'policy.K': 0 }, { policy: { policy: 'upstream', fixup: 'cycle' } }),
    [],
  );
  assert.deepEqual(ignoredPaths({ 'policy.K': 0 }, { policy: { policy: 'least-loaded' } }), [
    'policy.K',
  ]);
});

test('identical results are pointed at the first run that had them', () => {
  const m = (x: number) => ({ maxListLength: x, p99Walk: 1 });
  const got = sameResults([
    { experimentId: 5, metrics: m(7) },
    { experimentId: 6, metrics: m(8) },
    { experimentId: 7, metrics: { p99Walk: 1, maxListLength: 7 } },
    { experimentId: 8, metrics: null },
  ]);
  assert.deepEqual([...got], [[7, 5]]);
  assert.equal(
    gridCartesian([
      { path: 'a', values: [1, 2] },
      { path: 'b', values: ['x'] },
    ]).length,
    2,
  );
});
