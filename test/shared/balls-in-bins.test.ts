import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lnFactorial, maxLoadQuantile } from '../../shared/balls-in-bins';
import { Rng } from '../../main/engine/rng';

test('lnFactorial: exact below 16, Stirling beyond agrees with the sum', () => {
  let exact = 0;
  for (let k = 1; k <= 400; k++) {
    exact += Math.log(k);
    assert.ok(Math.abs(lnFactorial(k) - exact) < 1e-9 * Math.max(1, exact), `k = ${k}`);
  }
  assert.equal(lnFactorial(0), 0);
});

test('maxLoadQuantile: edges and a case worked by hand', () => {
  assert.equal(maxLoadQuantile(0, 8, 0.5), 0);
  assert.equal(maxLoadQuantile(17, 1, 0.5), 17);
  // Some bin holds at least the average.
  assert.equal(maxLoadQuantile(10, 4, 0.01), 3);
  // 2 balls in 2 bins: P(Bin(2, 1/2) <= 1)^2 = (3/4)^2 = 0.5625, so the median is 1 and the
  // 95 % quantile 2.
  assert.equal(maxLoadQuantile(2, 2, 0.5), 1);
  assert.equal(maxLoadQuantile(2, 2, 0.95), 2);
  // More throws, a larger maximum.
  assert.ok(maxLoadQuantile(400, 100, 0.5, 100) > maxLoadQuantile(400, 100, 0.5));
});

/** Quantiles of the maximum load over `trials` seeded throws. */
function monteCarlo(m: number, n: number, trials: number, rng: Rng): number[] {
  const maxes: number[] = [];
  const bins = new Int32Array(n);
  for (let t = 0; t < trials; t++) {
    bins.fill(0);
    let max = 0;
    for (let i = 0; i < m; i++) max = Math.max(max, ++bins[rng.below(n)]);
    maxes.push(max);
  }
  maxes.sort((a, b) => a - b);
  return [0.05, 0.5, 0.95].map((q) => maxes[Math.floor(q * (trials - 1))]);
}

test('maxLoadQuantile agrees with Monte Carlo throws (within 1; exact at n >= 100)', () => {
  const rng = new Rng(7);
  for (const [m, n] of [
    [100, 8],
    [1000, 16],
    [896, 112],
    [5000, 112],
    [20, 112],
    [100_000, 112],
  ]) {
    const mc = monteCarlo(m, n, 1500, rng);
    const model = [0.05, 0.5, 0.95].map((q) => maxLoadQuantile(m, n, q));
    for (let i = 0; i < 3; i++)
      assert.ok(
        Math.abs(model[i] - mc[i]) <= (n >= 100 && i === 1 ? 0 : 1),
        `m = ${m}, n = ${n}: model ${model} vs Monte Carlo ${mc}`,
      );
  }
});
