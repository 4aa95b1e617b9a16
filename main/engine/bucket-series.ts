/**
 * Step-function series bucketed in time without knowing the end time up front: buckets start
 * narrow and double in width (merging pairs) whenever time would pass the last column. Each
 * channel keeps per-bucket min / max / last and the time integral (for an exact time-weighted
 * mean), plus an event counter; all of these merge exactly when two buckets become one.
 */
type Column = Float64Array | Float32Array | Uint32Array;

/** Output columns of extractTo, (c - c0) * used + k each. */
export interface SeriesColumns {
  min: Column;
  max: Column;
  last: Column;
  mean: Column;
  count: Uint32Array;
}

export class BucketSeries {
  readonly channels: number;
  readonly columns: number;
  t0 = 0;
  width = 1;
  /**
   * Per cell [min, max, last, integral] at 4 * cell, cell (channel c, bucket k) = k * channels + c:
   * bucket-major, so the open buckets of all channels sit together (channel-major rows are a
   * power-of-two size apart and all map to the same cache sets) and a cell is half a cache line.
   */
  private readonly cell: Float64Array;
  private readonly count: Uint32Array;
  /**
   * Per channel, interleaved likewise: [open bucket (the highest written; buckets above it are
   * stale), current value, time of the last change] at 3 * c.
   */
  private readonly ch: Float64Array;
  /**
   * Every t in [bLo, bHi) falls in bucket bCur (checked exactly when cached, see cacheBucket), so
   * most calls skip the division; bHi = -Infinity when nothing is cached.
   */
  private bLo = 0;
  private bHi = -Infinity;
  private bCur = 0;

  constructor(channels: number, columns: number) {
    this.channels = channels;
    this.columns = Math.max(2, columns & ~1);
    const cells = channels * this.columns;
    this.cell = new Float64Array(cells * 4);
    this.count = new Uint32Array(cells);
    this.ch = new Float64Array(channels * 3);
  }

  /** Starts every channel at `initial(c)` at time t0; widthHint > 0 sets the first bucket width. */
  start(t0: number, widthHint: number, initial: (c: number) => number): void {
    this.t0 = t0;
    this.width = widthHint > 0 ? widthHint : 1;
    this.bHi = -Infinity;
    const cell = this.cell;
    for (let c = 0; c < this.channels; c++) {
      const v = initial(c);
      const i = 4 * c;
      cell[i] = cell[i + 1] = cell[i + 2] = v;
      this.ch[3 * c + 1] = v;
      this.ch[3 * c + 2] = t0;
    }
  }

  private bucketOf(t: number): number {
    if (t < this.bHi && t >= this.bLo) return this.bCur;
    let b = this.formula(t);
    while (b >= this.columns) {
      this.double();
      b = this.formula(t);
    }
    this.cacheBucket(b);
    return b;
  }

  /** The bucket of time t at the current width. */
  private formula(t: number): number {
    return Math.floor((t - this.t0) / this.width);
  }

  /**
   * Caches the time range of bucket b: [t0 + b w, t0 + (b + 1) w) as computed in floating point,
   * kept only if the formula maps both its first time and the double just below its end to b.
   * The formula is monotone in t, so every t in between maps to b too: the cache never changes
   * a result.
   */
  private cacheBucket(b: number): void {
    const lo = this.t0 + b * this.width;
    const hi = this.t0 + (b + 1) * this.width;
    if (lo < hi && this.formula(lo) === b && this.formula(nextDown(hi)) === b) {
      this.bLo = lo;
      this.bHi = hi;
      this.bCur = b;
    } else {
      this.bHi = -Infinity;
    }
  }

  /**
   * Brings channel c to bucket b (closing the open one, filling the gap) at time t; returns the
   * cell index of (c, b).
   */
  private advance(c: number, b: number, t: number): number {
    const ch = this.ch;
    const cell = this.cell;
    const C = this.channels;
    const cb = ch[3 * c];
    const v = ch[3 * c + 1];
    if (cb === b) {
      cell[4 * (b * C + c) + 3] += v * (t - ch[3 * c + 2]);
    } else {
      const w = this.width;
      cell[4 * (cb * C + c) + 3] += v * (this.t0 + (cb + 1) * w - ch[3 * c + 2]);
      for (let k = cb + 1; k < b; k++) {
        const i = 4 * (k * C + c);
        cell[i] = cell[i + 1] = cell[i + 2] = v;
        cell[i + 3] = v * w;
        this.count[k * C + c] = 0;
      }
      const i = 4 * (b * C + c);
      cell[i] = cell[i + 1] = cell[i + 2] = v;
      cell[i + 3] = v * (t - (this.t0 + b * w));
      this.count[b * C + c] = 0;
      ch[3 * c] = b;
    }
    ch[3 * c + 2] = t;
    return b * C + c;
  }

  /** Channel c takes value v at time t (t never decreases). */
  set(c: number, t: number, v: number): void {
    const i = 4 * this.advance(c, this.bucketOf(t), t);
    const cell = this.cell;
    this.ch[3 * c + 1] = v;
    if (v < cell[i]) cell[i] = v;
    if (v > cell[i + 1]) cell[i + 1] = v;
    cell[i + 2] = v;
  }

  /** Counts one event on channel c at time t. */
  tick(c: number, t: number): void {
    const i = this.advance(c, this.bucketOf(t), t);
    this.count[i]++;
  }

  value(c: number): number {
    return this.ch[3 * c + 1];
  }

  private double(): void {
    const C = this.channels;
    const cell = this.cell;
    const count = this.count;
    for (let c = 0; c < C; c++) {
      const cb = this.ch[3 * c];
      // Ascending j: cell j is written after cells 2j and 2j + 1 (>= j) were read.
      for (let j = 0; j <= cb >> 1; j++) {
        const ka = 2 * j * C + c;
        const a = 4 * ka;
        const o = 4 * (j * C + c);
        let mn = cell[a];
        let mx = cell[a + 1];
        let ls = cell[a + 2];
        let ig = cell[a + 3];
        let ct = count[ka];
        if (2 * j + 1 <= cb) {
          const b = a + 4 * C;
          if (cell[b] < mn) mn = cell[b];
          if (cell[b + 1] > mx) mx = cell[b + 1];
          ls = cell[b + 2];
          ig += cell[b + 3];
          ct += count[ka + C];
        }
        cell[o] = mn;
        cell[o + 1] = mx;
        cell[o + 2] = ls;
        cell[o + 3] = ig;
        count[j * C + c] = ct;
      }
      this.ch[3 * c] = cb >> 1;
    }
    this.width *= 2;
    this.bHi = -Infinity;
  }

  /** Closes all channels at endT; returns the number of buckets used. */
  finish(endT: number): number {
    const b = this.bucketOf(endT);
    const C = this.channels;
    const ch = this.ch;
    const cell = this.cell;
    // advance(c, b, endT) for every channel, its gap filling done bucket-major (channel by channel
    // it would stride through the whole table): the same cells get the same values.
    let lo = b;
    for (let c = 0; c < C; c++) lo = Math.min(lo, ch[3 * c]);
    const w = this.width;
    for (let k = lo + 1; k < b; k++) {
      for (let c = 0; c < C; c++) {
        if (ch[3 * c] >= k) continue;
        const v = ch[3 * c + 1];
        const i = 4 * (k * C + c);
        cell[i] = cell[i + 1] = cell[i + 2] = v;
        cell[i + 3] = v * w;
        this.count[k * C + c] = 0;
      }
    }
    for (let c = 0; c < C; c++) {
      const cb = ch[3 * c];
      const v = ch[3 * c + 1];
      if (cb === b) {
        cell[4 * (b * C + c) + 3] += v * (endT - ch[3 * c + 2]);
      } else {
        cell[4 * (cb * C + c) + 3] += v * (this.t0 + (cb + 1) * w - ch[3 * c + 2]);
        const i = 4 * (b * C + c);
        cell[i] = cell[i + 1] = cell[i + 2] = v;
        cell[i + 3] = v * (endT - (this.t0 + b * w));
        this.count[b * C + c] = 0;
        ch[3 * c] = b;
      }
      ch[3 * c + 2] = endT;
    }
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
    this.extractTo(c0, c1, used, endT, out);
    return out;
  }

  /**
   * extract() into arrays of the caller's element types (each value stored is converted as
   * `TypedArray.from` would convert it), so no Float64 copy is made only to be converted.
   */
  extractTo(c0: number, c1: number, used: number, endT: number, out: SeriesColumns): void {
    const C = this.channels;
    const cell = this.cell;
    const lastCover = endT - (this.t0 + (used - 1) * this.width);
    // Bucket-major reads (sequential), each output row written 8 columns per cache line.
    for (let k = 0; k < used; k++) {
      for (let c = c0; c < c1; c++) {
        const i = k * C + c;
        const o = (c - c0) * used + k;
        out.min[o] = cell[4 * i];
        out.max[o] = cell[4 * i + 1];
        out.last[o] = cell[4 * i + 2];
        out.count[o] = this.count[i];
        const cover = k === used - 1 ? lastCover : this.width;
        out.mean[o] = cover > 0 ? cell[4 * i + 3] / cover : cell[4 * i + 2];
      }
    }
  }
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The largest double below x (x > 0 and finite). */
function nextDown(x: number): number {
  f64[0] = x;
  u64[0] -= 1n;
  return f64[0];
}
