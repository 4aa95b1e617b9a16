import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frontOption, recommendCsv } from '../../../renderer/src/charts/recommend';
import type { ChartColors } from '../../../renderer/src/charts/theme';
import { recommendationOf, type RecommendAnswer } from '../../../shared/recommend';

const C: ChartColors = {
  fg: '#000',
  muted: '#777',
  bg: '#fff',
  grid: '#ddd',
  accent: '#00f',
  bound: '#f00',
  danger: '#f00',
  ok: '#0f0',
  cursor: '#fa0',
  dark: false,
  series: [],
};

const spread = (median: number) => ({ min: median - 1, median, max: median + 1 });
const A: RecommendAnswer = {
  targets: ['p99WalkNs<=20000', 'remoteFraction<=0.05'],
  frontAxes: ['p99WalkNs', 'remoteFraction'],
  front: [
    { K: 0, policy: 'series', x: 5000, y: 0.2 },
    { K: 8, policy: 'series', x: 15000, y: 0.01 },
  ],
  chosen: { K: 8, policy: 'series' },
  nearMisses: [],
  points: [0, 8].map((K) => ({
    K,
    policy: 'series',
    seeds: [1, 2],
    experimentIds: [K + 1, K + 2],
    spread: { p99WalkNs: spread(K ? 15000 : 5000), remoteFraction: spread(K ? 0.01 : 0.2) },
    passedSeeds: K ? 2 : 0,
    passes: K ? 'all' : 'none',
    failing: K ? [] : ['remoteFraction<=0.05'],
  })),
  groupId: 3,
  reused: false,
  base: { preset: 'x', pcpus: 4, domains: 2, vcpusPerDomain: 2 },
  Ks: [0, 8],
  policies: ['series'],
  seeds: [1, 2],
};

test('front chart: every point, the front line, the chosen point, both targets as lines', () => {
  const o = frontOption(A, C);
  const [all, front, chosen] = o.series;
  assert.deepEqual(
    all.data.map((d) => d.value),
    [
      [5000, 0.2],
      [15000, 0.01],
    ],
  );
  assert.deepEqual(
    all.markLine!.data.map((d) => ('xAxis' in d ? ['x', d.xAxis, d.name] : ['y', d.yAxis, d.name])),
    [
      ['x', 20000, 'target ≤ 20000'],
      ['y', 0.05, 'target ≤ 0.05'],
    ],
  );
  assert.equal(front.type, 'line');
  assert.deepEqual(
    front.data.map((d) => d.name),
    ['K=0 series', 'K=8 series'],
  );
  // The chosen point is labelled once, by its own series.
  assert.deepEqual((front.data[1] as { label?: unknown }).label, { show: false });
  assert.deepEqual(chosen.data, [{ value: [15000, 0.01], name: 'K=8 series' }]);
  assert.equal(chosen.itemStyle.color, C.danger);
  // Axes padded by 8 % of the span each side; the x span reaches the target at 20000.
  assert.equal(o.xAxis.min({ min: 5000, max: 15000 }), 3800);
  assert.equal(o.xAxis.max({ min: 5000, max: 15000 }), 21200);
});

test('no chosen point: the series is empty; CSV has one row per point with the spreads', () => {
  const o = frontOption({ ...A, chosen: null }, C);
  assert.deepEqual(o.series[2].data, []);
  const csv = recommendCsv(A).trim().split('\n');
  assert.equal(
    csv[0],
    'K,policy,passed_seeds,seeds,p99WalkNs_min,p99WalkNs_median,p99WalkNs_max,remoteFraction_min,remoteFraction_median,remoteFraction_max',
  );
  assert.equal(csv[2], '8,series,2,2,14999,15000,15001,-0.99,0.01,1.01');
});

test('recommendationOf: the saved params only', () => {
  assert.equal(recommendationOf({ recommendation: A }), A);
  assert.equal(recommendationOf({ recommendation: { points: 1 } }), null);
  assert.equal(recommendationOf(null), null);
  assert.equal(recommendationOf({ workload: {} }), null);
});

test('front chart: an axis reaches its target, so a target beyond the points is still drawn', () => {
  const o = frontOption(A, C);
  const data = { min: 5000, max: 15000 };
  // p99WalkNs <= 20000 lies right of every point: the x axis runs past it.
  assert.ok(o.xAxis.max(data) > 20000, `x max ${o.xAxis.max(data)}`);
  assert.ok(o.xAxis.min(data) < 5000);
  // remoteFraction <= 0.05 lies within the points: the y axis is the points' own, padded.
  const y = { min: 0.01, max: 0.2 };
  assert.equal(o.yAxis.min(y), Number((0.01 - 0.19 * 0.08).toPrecision(3)));
  assert.equal(o.yAxis.max(y), Number((0.2 + 0.19 * 0.08).toPrecision(3)));
});
