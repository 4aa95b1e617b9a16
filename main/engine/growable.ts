/** Append-only typed-array columns that double their capacity (amortised O(1) appends). */
export class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): number {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n] = v;
    return this.n++;
  }
  /** A compact copy (the backing buffer may be twice as large). */
  take(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

export class GrowU32 {
  a: Uint32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Uint32Array(cap);
  }
  push(v: number): number {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n] = v;
    return this.n++;
  }
  take(): Uint32Array {
    return this.a.slice(0, this.n);
  }
}

/** A step function of time: (t, value) pairs; a change at the same t overwrites the last one. */
export class StepLog {
  readonly t = new GrowF64(64);
  readonly v = new GrowF64(64);
  set(t: number, v: number): void {
    const n = this.t.n;
    if (n > 0 && this.t.a[n - 1] === t) {
      this.v.a[n - 1] = v;
      if (n > 1 && this.v.a[n - 2] === v) {
        this.t.n--;
        this.v.n--;
      }
      return;
    }
    if (n > 0 && this.v.a[n - 1] === v) return;
    this.t.push(t);
    this.v.push(v);
  }
}

/** Value of a step function (times ascending) at time t: the last change at or before t. */
export function stepAt(ts: Float64Array, vs: ArrayLike<number>, t: number, before: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? before : vs[lo - 1];
}
