/**
 * Figures of a selected time range (`run.rangeStats`), computed from a run's stored bucketed
 * series, never from the residency log: selecting a range on a 4M-vCPU run reads `len.max`,
 * `overbound` and the five small global series only.
 *
 * Resolution: stored buckets. Every figure covers the whole buckets the selection touches
 * (bucket b = [t0 + b*w, t0 + (b+1)*w), touched when it overlaps [t0Ns, t1Ns) by more than float
 * noise); the response says which (`firstBucket`, `buckets`, `coveredT0Ns`, `coveredT1Ns`) and
 * how wide they are (`bucketNs`). The last bucket of a run ends at the run's end (`summary.endNs`).
 * Within those buckets the figures are exact:
 *  - longest list: max of `len.max`; ties go to the earliest bucket, then the lowest pCPU; the
 *    bound then is that bucket's `bound.min` (the strictest bound in force during the bucket) and
 *    its end value `bound`;
 *  - H max: max of `h.max`; bound min: min of `bound.min` (moves inside a bucket included);
 *    H min, bound max, online min / max: the values at each bucket's end (`h`, `bound`, `online`)
 *    and the value in force when the first bucket starts (the end value of the bucket before it),
 *    since the recorder keeps no in-bucket minimum of H / online nor maximum of the bound;
 *  - insertions over the bound: sum of `overbound` over the buckets (per pCPU and in total);
 *  - over the bound: a pCPU is over the bound in a bucket when its `len.max` exceeds that
 *    bucket's `bound.min` (the heatmap's hot cells); `timeOverBoundNs` sums, over pCPUs, the
 *    widths of such buckets, so it is a bucket-resolution figure (at most buckets x pCPUs x w).
 */
import type { RangeStats, RangeStatsPcpu } from '../../shared/api';
import { ApiError } from '../../shared/errors';
import type { AnyTypedArray } from '../../shared/results';
import type { RunLike } from './run-series';

const EPS = 1e-9;
/** pCPUs listed in `topPcpus`. */
export const RANGE_TOP_PCPUS = 10;

export function rangeStats(run: RunLike, t0Req: number, t1Req: number): RangeStats {
  const { timeline: tl, series } = run;
  const P = run.summary.pcpus;
  const B = tl.buckets;
  const bw = tl.bucketNs;
  if (B < 1 || !(bw > 0)) throw new ApiError('not-found', 'this run has no time series');
  if (!(t1Req > t0Req))
    throw new ApiError(
      'invalid-argument',
      `the range must end after it starts (${t0Req}, ${t1Req})`,
    );
  const runT0 = tl.t0Ns;
  const gridEnd = runT0 + B * bw;
  // The run ends inside its last bucket (the recorder's buckets are wider than needed).
  const endNs = run.summary.endNs;
  const runT1 =
    typeof endNs === 'number' && endNs > runT0 + (B - 1) * bw && endNs < gridEnd ? endNs : gridEnd;
  const t0 = Math.max(runT0, t0Req);
  const t1 = Math.min(gridEnd, t1Req);
  if (!(t1 > t0))
    throw new ApiError(
      'invalid-argument',
      `the range [${t0Req}, ${t1Req}] ns does not overlap the run [${runT0}, ${gridEnd}] ns`,
    );
  let b0 = Math.floor((t0 - runT0) / bw + EPS);
  let b1 = Math.ceil((t1 - runT0) / bw - EPS) - 1;
  b0 = Math.max(0, Math.min(B - 1, b0));
  b1 = Math.max(0, Math.min(B - 1, b1));
  if (b1 < b0) b1 = b0;
  const nb = b1 - b0 + 1;
  /** Time covered by bucket b (the last one stops at the run's end). */
  const width = (b: number) => (b === B - 1 ? runT1 - (runT0 + b * bw) : bw);

  const lenMax = series['len.max'];
  const over = series['overbound'];
  const h = series['h'];
  const hMax = series['h.max'] ?? h;
  const bound = series['bound'];
  const boundMin = series['bound.min'] ?? bound;
  const online = series['online'];

  // Globals: min / max over the buckets' end values plus the value in force at the start.
  const minMax = (
    ends: AnyTypedArray | undefined,
    mins: AnyTypedArray | undefined,
    maxs: AnyTypedArray | undefined,
  ): { min: number; max: number } | null => {
    if (!ends && !mins && !maxs) return null;
    let lo = Infinity;
    let hi = -Infinity;
    const take = (v: number) => {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    };
    if (ends && b0 > 0) take(ends[b0 - 1]);
    for (let b = b0; b <= b1; b++) {
      if (ends) take(ends[b]);
      if (mins && mins[b] < lo) lo = mins[b];
      if (maxs && maxs[b] > hi) hi = maxs[b];
    }
    return { min: lo, max: hi };
  };
  const hRange = minMax(h, undefined, hMax);
  const boundRange = minMax(bound, boundMin, undefined);
  const onlineRange = minMax(online, undefined, undefined);

  // Per pCPU: max length (first bucket reaching it), insertions over the bound, time over it.
  const perPcpu: RangeStatsPcpu[] = [];
  let best = -1;
  let bestP = -1;
  let bestB = b0;
  let overTotal = 0;
  let overNsTotal = 0;
  let pcpusOver = 0;
  for (let p = 0; p < P; p++) {
    const off = p * B;
    let m = -1;
    let mb = b0;
    let ins = 0;
    let ns = 0;
    for (let b = b0; b <= b1; b++) {
      const v = lenMax ? lenMax[off + b] : 0;
      if (v > m) {
        m = v;
        mb = b;
      }
      if (over) ins += over[off + b];
      if (boundMin && v > boundMin[b]) ns += width(b);
    }
    if (m > best || (m === best && mb < bestB)) {
      best = m;
      bestP = p;
      bestB = mb;
    }
    overTotal += ins;
    overNsTotal += ns;
    if (ns > 0) pcpusOver++;
    perPcpu.push({
      pcpu: p,
      maxLength: m,
      maxAtNs: runT0 + mb * bw,
      overBoundInsertions: ins,
      timeOverBoundNs: ns,
    });
  }
  perPcpu.sort((a, b) => b.maxLength - a.maxLength || a.pcpu - b.pcpu);

  return {
    t0Ns: t0,
    t1Ns: t1,
    bucketNs: bw,
    firstBucket: b0,
    buckets: nb,
    coveredT0Ns: runT0 + b0 * bw,
    coveredT1Ns: b1 === B - 1 ? runT1 : runT0 + (b1 + 1) * bw,
    maxLength: Math.max(0, best),
    maxPcpu: bestP,
    maxAtNs: runT0 + bestB * bw,
    boundAtMax: boundMin ? boundMin[bestB] : null,
    boundAtMaxEnd: bound ? bound[bestB] : null,
    h: hRange,
    bound: boundRange,
    online: onlineRange,
    overBoundInsertions: overTotal,
    topPcpus: perPcpu.filter((x) => x.maxLength > 0).slice(0, RANGE_TOP_PCPUS),
    pcpusOverBound: pcpusOver,
    timeOverBoundNs: overNsTotal,
  };
}
