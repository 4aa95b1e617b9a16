/**
 * Time-left estimates that are not shown until they mean something (issue 12 item 8). A run's
 * progress is not linear in wall time: a 4M-vCPU simulation spends seconds creating vCPUs at a
 * fraction near 0, and "elapsed x (1 - f) / f" over that start said 21–24 minutes for a 35 s run.
 * Here the rate is measured over a recent window only, after a warm-up, and an estimate is
 * published only once consecutive estimates agree on when the job will end.
 */

export interface EtaOptions {
  /** No estimate before this much wall time (ms)... */
  warmupMs: number;
  /** ...nor before this much progress. */
  minFraction: number;
  /** The rate is progress over the last `windowMs` of samples. */
  windowMs: number;
  /** Projected end times of the estimates over the last `agreeMs` must lie within... */
  agreeMs: number;
  /** ...this fraction of the time left (plus `agreeSlackMs`) of each other. */
  agreeFraction: number;
  agreeSlackMs: number;
}

export const DEFAULT_ETA: EtaOptions = {
  warmupMs: 1500,
  minFraction: 0.02,
  windowMs: 3000,
  agreeMs: 1500,
  agreeFraction: 0.25,
  agreeSlackMs: 500,
};

export class EtaEstimator {
  private readonly opts: EtaOptions;
  private start: number | null = null;
  private samples: { t: number; f: number }[] = [];
  /** Projected end times (ms, same clock as `update`) of the latest estimates. */
  private ends: { t: number; end: number }[] = [];
  private stable = false;

  constructor(opts: Partial<EtaOptions> = {}) {
    this.opts = { ...DEFAULT_ETA, ...opts };
  }

  /** Feeds progress `fraction` (0..1) at time `nowMs`; returns ms left, or null when unsure. */
  update(nowMs: number, fraction: number): number | null {
    const o = this.opts;
    if (this.start === null) this.start = nowMs;
    if (fraction >= 1) return 0;
    this.samples.push({ t: nowMs, f: fraction });
    while (this.samples.length > 2 && nowMs - this.samples[1].t >= o.windowMs) this.samples.shift();
    if (nowMs - this.start < o.warmupMs || fraction < o.minFraction) return null;
    const first = this.samples[0];
    const dt = nowMs - first.t;
    const df = fraction - first.f;
    if (dt <= 0 || df <= 0) {
      // No progress in the window: whatever was projected no longer holds.
      this.ends = [];
      return null;
    }
    const eta = ((1 - fraction) * dt) / df;
    this.ends.push({ t: nowMs, end: nowMs + eta });
    while (this.ends.length > 1 && nowMs - this.ends[1].t >= o.agreeMs) this.ends.shift();
    if (!this.stable && nowMs - this.ends[0].t >= o.agreeMs) {
      const e = this.ends.map((x) => x.end);
      this.stable = Math.max(...e) - Math.min(...e) <= o.agreeFraction * eta + o.agreeSlackMs;
    }
    return this.stable ? Math.round(eta) : null;
  }
}
