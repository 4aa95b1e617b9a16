/**
 * The walk histogram (entries walked per wakeup interrupt, an exact sparse histogram) binned for
 * display, and the walk-time distribution derived from it with the run's cost model.
 */
export interface HistBin {
  lo: number;
  hi: number;
  count: number;
}

/**
 * At most `maxBins` bins: one per value when few distinct values, else linear bins, or
 * power-of-two bins when the values span more than three decades.
 */
export function binWalks(values: number[], counts: number[], maxBins = 64): HistBin[] {
  if (values.length === 0) return [];
  const lo = values[0];
  const hi = values[values.length - 1];
  if (values.length <= maxBins && hi - lo < maxBins * 4) {
    return values.map((v, i) => ({ lo: v, hi: v, count: counts[i] }));
  }
  const bins: HistBin[] = [];
  if (hi > 1000 * Math.max(1, lo)) {
    // [0], [1], [2,3], [4,7], ...
    const idx = (v: number) => (v <= 0 ? 0 : Math.floor(Math.log2(v)) + 1);
    const n = idx(hi) + 1;
    for (let i = 0; i < n; i++) {
      const a = i === 0 ? 0 : 2 ** (i - 1);
      const b = i === 0 ? 0 : 2 ** i - 1;
      bins.push({ lo: a, hi: b, count: 0 });
    }
    values.forEach((v, i) => (bins[idx(v)].count += counts[i]));
    while (bins.length && bins[0].count === 0 && bins[0].hi < lo) bins.shift();
    return bins;
  }
  const width = Math.max(1, Math.ceil((hi - lo + 1) / maxBins));
  const n = Math.ceil((hi - lo + 1) / width);
  for (let i = 0; i < n; i++)
    bins.push({ lo: lo + i * width, hi: lo + (i + 1) * width - 1, count: 0 });
  values.forEach((v, i) => (bins[Math.floor((v - lo) / width)].count += counts[i]));
  return bins;
}

/** Cumulative distribution of walk time: [timeNs, fraction of interrupts <= timeNs]. */
export function walkTimeCdf(
  values: number[],
  counts: number[],
  costs: { walkNsPerEntry: number; interruptEntryNs: number },
  maxPoints = 512,
): [number, number][] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const step = Math.max(1, Math.ceil(values.length / maxPoints));
  const out: [number, number][] = [];
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    acc += counts[i];
    if (i % step === step - 1 || i === values.length - 1)
      out.push([costs.interruptEntryNs + costs.walkNsPerEntry * values[i], acc / total]);
  }
  return out;
}

/** An x axis fitted to [lo, hi]: log when the data span more than a decade, else linear. */
export interface FittedAxis {
  type: 'log' | 'value';
  min: number;
  max: number;
}

export function fitAxis(lo: number, hi: number): FittedAxis {
  const a = Math.max(1, Math.min(lo, hi));
  const b = Math.max(a, lo, hi);
  if (b / a > 10) return { type: 'log', min: a / 1.2, max: b * 1.2 };
  // A small margin either side; a single value gets +-5 % around it.
  const pad = Math.max((b - a) * 0.05, b * 0.005, 1);
  return { type: 'value', min: Math.max(0, a - pad), max: b + pad };
}

/** The CDF's p50 / p95 / p99 / max markers, as tabulated beside the chart. */
export const CDF_MARKS = ['p50', 'p95', 'p99', 'max'] as const;

/**
 * Label positions of the markers' vertical lines, staggered (bottom, middle and top of the line, and above
 * it) so four markers within a few pixels of each other never print on each other.
 */
export const MARK_LABEL_POS = ['insideStartTop', 'insideMiddleTop', 'insideEndTop', 'end'] as const;

/**
 * CDF points for the chart: from 0 at the first walk time (so a run whose walks all take the same
 * time draws a visible vertical step, not a single invisible point), times at least 1 ns (log
 * axes).
 */
export function cdfLine(pts: [number, number][]): [number, number][] {
  if (!pts.length) return [];
  return [
    [Math.max(1, pts[0][0]), 0],
    ...pts.map(([t, f]): [number, number] => [Math.max(1, t), f]),
  ];
}
