/**
 * Step-function series bucketed in time without knowing the end time up front: buckets start
 * narrow and double in width (merging pairs) whenever time would pass the last column. Each
 * channel keeps per-bucket min / max / last and the time integral (for an exact time-weighted
 * mean), plus an event counter; all of these merge exactly when two buckets become one.
 */
export class BucketSeries {
  readonly channels: number;
  readonly columns: number;
  t0 = 0;
  width = 1;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly last: Float64Array;
  private readonly integ: Float64Array;
  private readonly count: Uint32Array;
  /** Highest bucket written per channel (buckets above it are stale). */
  private readonly cur: Int32Array;
  private readonly val: Float64Array;
  private readonly lastT: Float64Array;

  constructor(channels: number, columns: number) {
    this.channels = channels;
    this.columns = Math.max(2, columns & ~1);
    const cells = channels * this.columns;
    this.min = new Float64Array(cells);
    this.max = new Float64Array(cells);
    this.last = new Float64Array(cells);
    this.integ = new Float64Array(cells);
    this.count = new Uint32Array(cells);
    this.cur = new Int32Array(channels);
    this.val = new Float64Array(channels);
    this.lastT = new Float64Array(channels);
  }

  /** Starts every channel at `initial(c)` at time t0; widthHint > 0 sets the first bucket width. */
  start(t0: number, widthHint: number, initial: (c: number) => number): void {
    this.t0 = t0;
    this.width = widthHint > 0 ? widthHint : 1;
    for (let c = 0; c < this.channels; c++) {
      const v = initial(c);
      const i = c * this.columns;
      this.min[i] = this.max[i] = this.last[i] = this.val[c] = v;
      this.lastT[c] = t0;
    }
  }

  private bucketOf(t: number): number {
    let b = Math.floor((t - this.t0) / this.width);
    while (b >= this.columns) {
      this.double();
      b = Math.floor((t - this.t0) / this.width);
    }
    return b;
  }

  /** Brings channel c to bucket b (closing the open one, filling the gap) at time t. */
  private advance(c: number, b: number, t: number): number {
    const B = this.columns;
    const base = c * B;
    const cb = this.cur[c];
    const v = this.val[c];
    const w = this.width;
    if (cb === b) {
      this.integ[base + b] += v * (t - this.lastT[c]);
    } else {
      this.integ[base + cb] += v * (this.t0 + (cb + 1) * w - this.lastT[c]);
      for (let k = cb + 1; k < b; k++) {
        const i = base + k;
        this.min[i] = this.max[i] = this.last[i] = v;
        this.integ[i] = v * w;
        this.count[i] = 0;
      }
      const i = base + b;
      this.min[i] = this.max[i] = this.last[i] = v;
      this.integ[i] = v * (t - (this.t0 + b * w));
      this.count[i] = 0;
      this.cur[c] = b;
    }
    this.lastT[c] = t;
    return base + b;
  }

  /** Channel c takes value v at time t (t never decreases). */
  set(c: number, t: number, v: number): void {
    const i = this.advance(c, this.bucketOf(t), t);
    this.val[c] = v;
    if (v < this.min[i]) this.min[i] = v;
    if (v > this.max[i]) this.max[i] = v;
    this.last[i] = v;
  }

  /** Counts one event on channel c at time t. */
  tick(c: number, t: number): void {
    const i = this.advance(c, this.bucketOf(t), t);
    this.count[i]++;
  }

  value(c: number): number {
    return this.val[c];
  }

  private double(): void {
    const B = this.columns;
    for (let c = 0; c < this.channels; c++) {
      const base = c * B;
      const cb = this.cur[c];
      for (let j = 0; j <= cb >> 1; j++) {
        const a = base + 2 * j;
        const o = base + j;
        let mn = this.min[a];
        let mx = this.max[a];
        let ls = this.last[a];
        let ig = this.integ[a];
        let ct = this.count[a];
        if (2 * j + 1 <= cb) {
          const b = a + 1;
          if (this.min[b] < mn) mn = this.min[b];
          if (this.max[b] > mx) mx = this.max[b];
          ls = this.last[b];
          ig += this.integ[b];
          ct += this.count[b];
        }
        this.min[o] = mn;
        this.max[o] = mx;
        this.last[o] = ls;
        this.integ[o] = ig;
        this.count[o] = ct;
      }
      this.cur[c] = cb >> 1;
    }
    this.width *= 2;
  }

  /** Closes all channels at endT; returns the number of buckets used. */
  finish(endT: number): number {
    const b = this.bucketOf(endT);
    for (let c = 0; c < this.channels; c++) this.advance(c, b, endT);
    return b + 1;
  }

  /** Copies the first `used` columns of each channel in [c0, c1) into a dense (c - c0) * used layout. */
  extract(
    c0: number,
    c1: number,
    used: number,
    endT: number,
  ): {
    min: Float64Array;
    max: Float64Array;
    last: Float64Array;
    mean: Float64Array;
    count: Uint32Array;
  } {
    const n = (c1 - c0) * used;
    const out = {
      min: new Float64Array(n),
      max: new Float64Array(n),
      last: new Float64Array(n),
      mean: new Float64Array(n),
      count: new Uint32Array(n),
    };
    const B = this.columns;
    const lastCover = endT - (this.t0 + (used - 1) * this.width);
    for (let c = c0; c < c1; c++) {
      for (let k = 0; k < used; k++) {
        const i = c * B + k;
        const o = (c - c0) * used + k;
        out.min[o] = this.min[i];
        out.max[o] = this.max[i];
        out.last[o] = this.last[i];
        out.count[o] = this.count[i];
        const cover = k === used - 1 ? lastCover : this.width;
        out.mean[o] = cover > 0 ? this.integ[i] / cover : this.last[i];
      }
    }
    return out;
  }
}
