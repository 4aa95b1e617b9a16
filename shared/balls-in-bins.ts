/**
 * The longest list when m blocked vCPUs sit on n pCPUs chosen uniformly at random (upstream
 * under a random placement: a vCPU is listed on the pCPU it last ran on): the maximum load of m
 * balls thrown into n bins. Quantiles of that maximum, computed from the binomial load of one bin,
 * P(max <= k) ≈ P(Bin(m, 1/n) <= k)^n (the bins' loads treated as independent; checked against
 * Monte Carlo in test/shared/balls-in-bins.test.ts: exact at n >= 100, up to 1 low at n < 10). For m >> n ln n the median is
 * about m/n + sqrt(2 (m/n) ln n) (Raab and Steger, "Balls into bins — a simple and tight
 * analysis", RANDOM 1998). Pure: no Node, no DOM.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) exactly for small k, Stirling's series (error < 1e-12 from k = 16) beyond. */
export function lnFactorial(k: number): number {
  if (k < 16) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const k2 = k * k;
  return k * Math.log(k) - k + LN_SQRT_2PI + 0.5 * Math.log(k) + 1 / (12 * k) - 1 / (360 * k * k2);
}

/**
 * The q-quantile (0 < q < 1) of the maximum load of m balls in n bins, over `throws` independent
 * throws (1: one configuration): the smallest k with P(Bin(m, 1/n) <= k)^(n throws) >= q.
 */
export function maxLoadQuantile(m: number, n: number, q: number, throws = 1): number {
  if (m <= 0) return 0;
  if (n <= 1) return m;
  const p = 1 / n;
  const mean = m * p;
  const sd = Math.sqrt(mean * (1 - p));
  // The maximum is at least the mean; its upper quantiles lie within a few dozen sd of it.
  const lo = Math.floor(mean);
  const hi = Math.min(m, Math.ceil(mean + (12 + Math.log2(throws)) * sd + 40));
  const lnM = lnFactorial(m);
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const pmf = (k: number) =>
    Math.exp(lnM - lnFactorial(k) - lnFactorial(m - k) + k * lnP + (m - k) * lnQ);
  // tails[i] = P(X > lo + i), summed from the top so small terms are not lost.
  const tails = new Float64Array(hi - lo + 1);
  let tail = 0;
  for (let k = hi; k >= lo; k--) {
    tails[k - lo] = tail;
    tail += pmf(k);
  }
  // Some bin holds at least the average, whatever the throw.
  const least = Math.ceil(m / n);
  for (let k = Math.max(lo, least); k <= hi; k++)
    if (Math.exp(n * throws * Math.log1p(-tails[k - lo])) >= q) return k;
  return hi;
}
