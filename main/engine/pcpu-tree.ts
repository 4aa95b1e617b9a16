/**
 * Segment tree of list lengths over pCPU ids, so placement searches cost O(log P) whatever the
 * list lengths: "first candidate at or after s whose length is below x" (series, cycle fix-up) and
 * "shortest candidate, lowest id" (least-loaded, K = 0 fallback). Non-candidates (offline, outside
 * the pool) hold NONE and are never chosen.
 */
export const NONE = 0x7fffffff;

export class PcpuTree {
  readonly n: number;
  private readonly size: number;
  private readonly t: Int32Array;

  constructor(n: number) {
    this.n = n;
    let size = 1;
    while (size < n) size <<= 1;
    this.size = size;
    this.t = new Int32Array(2 * size).fill(NONE);
  }

  set(i: number, v: number): void {
    const t = this.t;
    let k = i + this.size;
    t[k] = v;
    k >>= 1;
    while (k > 0) {
      const a = t[2 * k];
      const b = t[2 * k + 1];
      const m = a < b ? a : b;
      if (t[k] === m) break;
      t[k] = m;
      k >>= 1;
    }
  }

  get(i: number): number {
    return this.t[i + this.size];
  }

  /** Sets every leaf at once, then rebuilds the inner nodes in O(P). */
  rebuild(value: (i: number) => number): void {
    const t = this.t;
    for (let i = 0; i < this.size; i++) t[this.size + i] = i < this.n ? value(i) : NONE;
    for (let k = this.size - 1; k > 0; k--) {
      const a = t[2 * k];
      const b = t[2 * k + 1];
      t[k] = a < b ? a : b;
    }
  }

  min(): number {
    return this.t[1];
  }

  /** Lowest-id leaf holding the minimum, or -1 when there is no candidate. */
  argmin(): number {
    const t = this.t;
    const m = t[1];
    if (m === NONE) return -1;
    let k = 1;
    while (k < this.size) k = t[2 * k] === m ? 2 * k : 2 * k + 1;
    return k - this.size;
  }

  /** First leaf i >= from with value < x, or -1. */
  firstBelow(from: number, x: number): number {
    if (from >= this.n || this.t[1] >= x) return -1;
    // The usual answer under a bound: the starting pCPU itself.
    if (this.t[from + this.size] < x) return from;
    return this.search(1, 0, this.size, from, x);
  }

  /** First leaf i >= from (wrapping to 0) with value < x, or -1. */
  firstBelowCyclic(from: number, x: number): number {
    const i = this.firstBelow(from, x);
    return i >= 0 || from === 0 ? i : this.firstBelow(0, x);
  }

  private search(k: number, lo: number, hi: number, from: number, x: number): number {
    if (hi <= from || this.t[k] >= x) return -1;
    if (hi - lo === 1) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.search(2 * k, lo, mid, from, x);
    return left >= 0 ? left : this.search(2 * k + 1, mid, hi, from, x);
  }
}
