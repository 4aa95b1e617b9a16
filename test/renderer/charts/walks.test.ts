import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binWalks, walkTimeCdf } from '../../../renderer/src/charts/walks';

test('few values: one bin each', () => {
  assert.deepEqual(binWalks([0, 3, 5], [2, 1, 4]), [
    { lo: 0, hi: 0, count: 2 },
    { lo: 3, hi: 3, count: 1 },
    { lo: 5, hi: 5, count: 4 },
  ]);
});

test('wide ranges: power-of-two bins that keep every count', () => {
  const values = [0, 1, 5, 100, 4_194_304];
  const counts = [1, 2, 3, 4, 5];
  const bins = binWalks(values, counts, 8);
  assert.equal(
    bins.reduce((a, b) => a + b.count, 0),
    15,
  );
  const top = bins[bins.length - 1];
  assert.ok(top.lo <= 4_194_304 && top.hi >= 4_194_304);
  assert.equal(top.count, 5);
});

test('medium ranges: linear bins', () => {
  const values = Array.from({ length: 300 }, (_, i) => i + 10);
  const counts = values.map(() => 1);
  const bins = binWalks(values, counts, 30);
  assert.ok(bins.length <= 30);
  assert.equal(bins[0].lo, 10);
  assert.equal(
    bins.reduce((a, b) => a + b.count, 0),
    300,
  );
});

test('walk-time CDF uses the cost model and ends at 1', () => {
  const cdf = walkTimeCdf([0, 10], [3, 1], { walkNsPerEntry: 170, interruptEntryNs: 500 });
  assert.deepEqual(cdf, [
    [500, 0.75],
    [2200, 1],
  ]);
  assert.deepEqual(walkTimeCdf([], [], { walkNsPerEntry: 1, interruptEntryNs: 0 }), []);
});
