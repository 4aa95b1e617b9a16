import { doubled } from './growable';

/**
 * Binary min-heap of (time, value) in parallel typed arrays: the generator's event queue while
 * the pending events fit in cache (beyond that, RadixQueue). No object per event. (A 4-ary heap
 * with key and value interleaved measured slower here, at 1k and at 4M entries.)
 */
export class EventHeap {
  private keys: Float64Array;
  private vals: Float64Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Float64Array(Math.max(16, capacity));
  }

  get topKey(): number {
    return this.size > 0 ? this.keys[0] : Infinity;
  }

  get topVal(): number {
    return this.vals[0];
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[parent];
      i = parent;
    }
    keys[i] = key;
    vals[i] = val;
  }

  /** Removes the minimum (the caller read it through topKey/topVal). */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    this.siftDown(this.keys[n], this.vals[n], n);
  }

  /** Replaces the minimum by (key, val): one sift instead of pop + push. */
  replaceTop(key: number, val: number): void {
    this.siftDown(key, val, this.size);
  }

  private siftDown(key: number, val: number, n: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ck = keys[c];
      const r = c + 1;
      if (r < n && keys[r] < ck) {
        c = r;
        ck = keys[r];
      }
      if (key <= ck) break;
      keys[i] = ck;
      vals[i] = vals[c];
      i = c;
    }
    keys[i] = key;
    vals[i] = val;
  }

  private grow(): void {
    this.keys = doubled(this.keys);
    this.vals = doubled(this.vals);
  }
}
