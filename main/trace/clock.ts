/**
 * cpu_hz from the dump itself. SWITCH_INFPREV (and SWITCH_INFCONT) state, in ns of Xen system
 * time, how long the unit has run since it was switched in; the same stretch is visible in TSC
 * cycles between the SWITCH_INFNEXT that switched it in and this record, on the same pCPU. Both
 * records are written a few hundred cycles after the same kind of `now` sample, so the offsets
 * cancel and the ratio is the TSC rate. The median is robust to the odd sample spoilt by a
 * lost-records gap or an interrupt between `now` and the trace write.
 */
export const DEFAULT_CPU_HZ = 2.4e9;
/** Shorter stretches are dominated by the fixed write latency, not the clock. */
export const MIN_SAMPLE_NS = 20_000;

/** Samples kept at most (8 MB): beyond, every other one is dropped and the stride doubles. */
export const MAX_CLOCK_SAMPLES = 1 << 20;

export class ClockSamples {
  private values = new Float64Array(1024);
  /** Samples kept. */
  private kept = 0;
  /** Valid samples seen (the figure reported). */
  count = 0;
  /** Every `stride`-th valid sample is kept: memory stays bounded on dumps of any size, and the
   *  kept ones stay spread evenly over the dump (exact below MAX_CLOCK_SAMPLES). */
  private stride = 1;

  constructor(private readonly max = MAX_CLOCK_SAMPLES) {}

  add(cycles: number, ns: number): void {
    if (!(ns >= MIN_SAMPLE_NS) || !(cycles > 0)) return;
    const hz = (cycles * 1e9) / ns;
    // 10 MHz .. 100 GHz: anything outside is a corrupted or mismatched pair.
    if (!(hz > 1e7 && hz < 1e11)) return;
    if (this.count++ % this.stride !== 0) return;
    if (this.kept === this.max) {
      for (let i = 0; 2 * i < this.kept; i++) this.values[i] = this.values[2 * i];
      this.kept = Math.ceil(this.kept / 2);
      this.stride *= 2;
      // This sample's place in the thinned sequence: keep it only if it falls on the new stride.
      if ((this.count - 1) % this.stride !== 0) return;
    }
    if (this.kept === this.values.length) {
      const next = new Float64Array(Math.min(this.max, this.values.length * 2));
      next.set(this.values);
      this.values = next;
    }
    this.values[this.kept++] = hz;
  }

  /** Median and spread ((p75 - p25) / median, %) of the samples, or null without any. */
  estimate(): { hz: number; samples: number; spreadPct: number } | null {
    if (this.kept === 0) return null;
    const v = this.values.slice(0, this.kept);
    const n = v.length;
    const at = (f: number) => Math.min(n - 1, Math.floor(f * (n - 1) + 0.5));
    // Only these ranks are read: each put in place, as a sort would (a sort of a million samples,
    // a big dump's, took a tenth of a second).
    const ranks = [at(0.25), Math.floor((n - 1) / 2), Math.floor(n / 2), at(0.75)];
    ranks.sort((a, b) => a - b);
    for (let i = 0, lo = 0; i < ranks.length; i++) {
      if (ranks[i] < lo) continue; // the same rank again
      selectRank(v, lo, n - 1, ranks[i]);
      lo = ranks[i] + 1;
    }
    const q = (f: number) => v[at(f)];
    const med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return { hz: med, samples: this.count, spreadPct: ((q(0.75) - q(0.25)) / med) * 100 };
  }
}

/**
 * Puts the `k`-th smallest of `a[lo..hi]` at `a[k]`, the smaller ones before it and the larger
 * after (quickselect, three-way partition: runs of equal samples are common). Falls back to
 * sorting the range if the pivots keep being poor, so the worst case stays O(n log n).
 */
export function selectRank(a: Float64Array, lo: number, hi: number, k: number): void {
  let budget = 2 * Math.ceil(Math.log2(hi - lo + 2)) + 16;
  while (hi > lo) {
    if (budget-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const x = a[lo];
    const y = a[lo + ((hi - lo) >> 1)];
    const z = a[hi];
    const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // [lo, lt) < p, [lt, i) = p, (gt, hi] > p
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const e = a[i];
      if (e < p) {
        a[i++] = a[lt];
        a[lt++] = e;
      } else if (e > p) {
        a[i] = a[gt];
        a[gt--] = e;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return;
  }
}

export type ClockSource = 'user' | 'estimate' | 'default';

export interface ClockChoice {
  cpuHz: number;
  source: ClockSource;
  samples: number;
  spreadPct: number | null;
  /** The estimate, also when the user's value was used (to compare). */
  estimatedHz: number | null;
}

/** The user's value first, then the estimate (if it has enough samples), then xenalyze's 2.4 GHz. */
export function chooseClock(
  userHz: number | null | undefined,
  samples: ClockSamples,
  minSamples = 5,
): ClockChoice {
  const est = samples.estimate();
  const estimatedHz = est ? est.hz : null;
  if (userHz && userHz > 0)
    return {
      cpuHz: userHz,
      source: 'user',
      samples: est?.samples ?? 0,
      spreadPct: est?.spreadPct ?? null,
      estimatedHz,
    };
  if (est && est.samples >= minSamples)
    return {
      cpuHz: est.hz,
      source: 'estimate',
      samples: est.samples,
      spreadPct: est.spreadPct,
      estimatedHz,
    };
  return {
    cpuHz: DEFAULT_CPU_HZ,
    source: 'default',
    samples: est?.samples ?? 0,
    spreadPct: est?.spreadPct ?? null,
    estimatedHz,
  };
}
