import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepDetail } from '../../../../shared/notebook';
import {
  METRIC_COLUMNS,
  axisName,
  intTick,
  parallelOption,
} from '../../../../renderer/src/components/notebook/sweep-chart';

const metrics = (x: number) => ({
  maxListLength: x,
  p99Walk: x,
  maxWalk: x,
  p99WalkNs: 170 * x + 500,
  remotePlacements: x % 3,
  overBoundInsertions: 0,
  wakeupInterrupts: 10 * x,
  fixupMoves: 0,
});

const detail: SweepDetail = {
  group: {
    id: 1,
    kind: 'sweep',
    title: 's',
    baseKind: 'simulation',
    base: {},
    grid: [
      { path: 'policy.K', values: [0, 4] },
      { path: 'policy.policy', values: ['series'] },
    ],
    points: 2,
    saved: 2,
    state: 'done',
    createdAt: '',
  },
  points: [
    {
      experimentId: 1,
      title: 'a',
      values: { 'policy.K': 0, 'policy.policy': 'series' },
      metrics: metrics(1),
    },
    {
      experimentId: 2,
      title: 'b',
      values: { 'policy.K': 4, 'policy.policy': 'series' },
      metrics: metrics(2),
    },
  ],
};

test('every table metric is an axis, with integer ticks, labels on the panel colour', () => {
  const o = parallelOption(detail, {
    fg: '#000',
    bg: '#fff',
    muted: '#666',
    grid: '#ccc',
    accent: '#00f',
    series: ['#f00'],
  }) as {
    parallelAxis: {
      name: string;
      type: string;
      minInterval?: number;
      axisLabel?: { formatter?: (v: number) => string };
    }[];
    parallel: { parallelAxisDefault: { axisLabel: { backgroundColor?: string } } };
  };
  // policy.K varies (policy.policy does not): 1 grid axis + every metric column.
  assert.equal(o.parallelAxis.length, 1 + METRIC_COLUMNS.length);
  assert.deepEqual(
    o.parallelAxis.slice(1).map((a) => a.name.replace('\n', ' ')),
    METRIC_COLUMNS.map((m) => m.label),
  );
  for (const a of o.parallelAxis.slice(1)) {
    assert.equal(a.minInterval, 1);
    assert.equal(a.axisLabel!.formatter!(0.5), '');
    assert.equal(a.axisLabel!.formatter!(2), '2');
  }
  assert.equal(o.parallel.parallelAxisDefault.axisLabel.backgroundColor, '#fff');
});

test('axis names wrap on two lines; ticks are integers with k/M', () => {
  assert.equal(axisName('max list length'), 'max list\nlength');
  assert.equal(axisName('p99 walk time (ns)'), 'p99 walk\ntime (ns)');
  assert.equal(intTick(12), '12');
  assert.equal(intTick(37577), '37.6k');
  assert.equal(intTick(4194304), '4.2M');
  assert.equal(intTick(1.5), '');
});
