import type { DistributionStats } from '../../shared/results';

export const EMPTY_STATS: DistributionStats = {
  count: 0,
  min: 0,
  mean: 0,
  p50: 0,
  p95: 0,
  p99: 0,
  max: 0,
};

/**
 * Distribution of an exact sparse histogram (values ascending); percentiles are nearest-rank
 * (the smallest value whose cumulative count reaches ceil(q * count)). `map` turns a value into
 * the reported unit (e.g. entries walked -> ns), which must be monotone.
 */
export function histogramStats(
  values: ArrayLike<number>,
  counts: ArrayLike<number>,
  map: (v: number) => number = (v) => v,
): DistributionStats {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    count += counts[i];
    sum += map(values[i]) * counts[i];
  }
  if (count === 0) return { ...EMPTY_STATS };
  const rank = (q: number) => Math.max(1, Math.ceil(q * count));
  const targets = [rank(0.5), rank(0.95), rank(0.99)];
  const found: number[] = [];
  let cum = 0;
  for (let i = 0; i < values.length && found.length < 3; i++) {
    cum += counts[i];
    while (found.length < 3 && cum >= targets[found.length]) found.push(map(values[i]));
  }
  return {
    count,
    min: map(values[0]),
    mean: sum / count,
    p50: found[0],
    p95: found[1],
    p99: found[2],
    max: map(values[values.length - 1]),
  };
}
