import { doubled } from './growable';

/**
 * Monotone priority queue of (integer time, value) events (values: any integer < 2^53): a radix heap with 4-bit digits. The
 * generator only ever schedules at or after the time it last popped, so an event can live in the
 * bucket (level, digit) of the highest 4-bit digit where its time differs from the last time
 * popped; popping refills level 0 (times equal to it) by scanning one bucket sequentially, and
 * each event moves at most once per digit (about 6 times over a 10 ms horizon) through sequential
 * memory, where a binary heap at 4M events takes ~22 cache-missing steps per pop (see
 * bench/engine.ts). Ties pop in a fixed (LIFO) order, so runs stay deterministic.
 */
const LEVELS = 15; // level 0: equal to `last`; levels 1..14: 4-bit digits 0..13 of a 53-bit time
const NB = LEVELS * 16;
/** Buckets above this capacity are released when emptied (peaks must not stick in memory). */
const KEEP_CAP = 1 << 16;

export class RadixQueue {
  /** Per bucket, its events as (key, value) pairs: [k0, v0, k1, v1, ...]. */
  private readonly buf: Float64Array[] = [];
  private readonly n = new Int32Array(NB);
  /** Per level, bit d set when bucket (level, d) is non-empty. */
  private readonly mask = new Int32Array(LEVELS);
  private last = 0;
  private lastHi = 0;
  private lastLo = 0;
  /** Cached minimum of the lowest non-empty bucket (valid when peekB >= 0). */
  private peekB = -1;
  private peekMin = 0;
  size = 0;

  constructor() {
    for (let i = 0; i < NB; i++) this.buf.push(new Float64Array(16));
  }

  private bucketOf(key: number): number {
    if (key === this.last) return 0;
    const hi = Math.floor(key / 4294967296);
    let bit: number;
    if (hi !== this.lastHi) bit = 63 - Math.clz32(hi ^ this.lastHi);
    else bit = 31 - Math.clz32((key >>> 0) ^ this.lastLo);
    const shift = bit & ~3;
    const digit = shift >= 32 ? (hi >>> (shift - 32)) & 15 : (key >>> shift) & 15;
    return ((shift >> 2) + 1) * 16 + digit;
  }

  /** Adds an event; key is an integer >= the last key popped (peeking does not count). */
  push(key: number, val: number): void {
    if (key < this.last) throw new Error(`radix queue: ${key} before ${this.last}`);
    const b = this.bucketOf(key);
    this.put(b, key, val);
    this.size++;
    if (b < this.peekB || (b === this.peekB && key < this.peekMin)) this.peekB = -1;
  }

  private put(b: number, key: number, val: number): void {
    const i = this.n[b]++;
    if (i === 0) this.mask[b >> 4] |= 1 << (b & 15);
    let a = this.buf[b];
    if (2 * i === a.length) this.buf[b] = a = doubled(a);
    a[2 * i] = key;
    a[2 * i + 1] = val;
  }

  /** Finds (and caches) the minimum when level 0 is empty, without committing to it. */
  private peek(): void {
    if (this.peekB >= 0) return;
    let l = 1;
    while (this.mask[l] === 0) l++;
    const m = this.mask[l];
    const b = l * 16 + (31 - Math.clz32(m & -m));
    const a = this.buf[b];
    const end = 2 * this.n[b];
    let min = a[0];
    for (let i = 2; i < end; i += 2) if (a[i] < min) min = a[i];
    this.peekB = b;
    this.peekMin = min;
  }

  /**
   * Makes level 0 hold the minimum (no-op if it already has entries). Only pops commit: a peek
   * must not raise `last`, since the generator may still schedule before the peeked time.
   */
  private settle(): void {
    if (this.n[0] > 0 || this.size === 0) return;
    this.peek();
    const b = this.peekB;
    const m = this.peekMin;
    this.peekB = -1;
    const a = this.buf[b];
    const end = 2 * this.n[b];
    this.last = m;
    this.lastHi = Math.floor(m / 4294967296);
    this.lastLo = m >>> 0;
    this.n[b] = 0;
    this.mask[b >> 4] &= ~(1 << (b & 15));
    // Every entry of bucket b shares the digits down to b's with m: each lands on a lower level.
    for (let i = 0; i < end; i += 2) this.put(this.bucketOf(a[i]), a[i], a[i + 1]);
    if (a.length > 2 * KEEP_CAP) this.buf[b] = new Float64Array(16);
  }

  get topKey(): number {
    if (this.size === 0) return Infinity;
    if (this.n[0] > 0) return this.last;
    this.peek();
    return this.peekMin;
  }

  get topVal(): number {
    this.settle();
    return this.buf[0][2 * this.n[0] - 1];
  }

  pop(): void {
    this.settle();
    if (--this.n[0] === 0) this.mask[0] = 0;
    this.size--;
  }

  replaceTop(key: number, val: number): void {
    this.pop();
    this.push(key, val);
  }
}
