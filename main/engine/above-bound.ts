/**
 * How far lists stay above the bound in force (docs/engine.md, "Above the bound"). The model
 * never rebalances, so when H falls (vcpu_destroy) or the candidate pCPUs grow (pcpu_online), a
 * list placed under the old bound may sit above the new one; `overBoundInsertions` does not see
 * that (nothing was inserted). This meter integrates it over time in O(1) per length change and
 * O(|bound change|) per bound change, from a histogram of list lengths.
 */
import { doubled } from './growable';

/** The figures, as they go into RunSummary. */
export interface AboveBoundFigures {
  /** Integral over time of the number of lists above the bound (pCPU x ns). */
  aboveBoundPcpuNs: number;
  /** Integral over time of the entries above the bound, summed over lists (entry x ns). */
  aboveBoundEntryNs: number;
  /** Largest (length - bound) of any list after any operation (0 if none was ever above). */
  aboveBoundMaxExcess: number;
  /** Time that largest excess was first reached (null if never). */
  aboveBoundMaxAtNs: number | null;
  /** Operations after which some list was above the bound in force. */
  aboveBoundSteps: number;
}

export class AboveBoundMeter {
  /** cnt[L] = pCPUs whose list has length L (offline pCPUs count at 0). */
  private cnt = new Float64Array(64);
  /** The longest current list. */
  private top = 0;
  private b = 0;
  /** Lists above b, and their entries above b. */
  private over = 0;
  private excess = 0;
  private lastT = 0;
  private pcpuNs = 0;
  private entryNs = 0;
  private maxExcess = 0;
  private maxAtNs: number | null = null;
  private steps = 0;

  start(pcpus: number, t: number, bound: number): void {
    this.cnt[0] = pcpus;
    this.b = bound;
    this.lastT = t;
  }

  /** Accumulates the state in force from the last call up to t (t never decreases). */
  advance(t: number): void {
    if (this.over > 0) {
      const dt = t - this.lastT;
      this.pcpuNs += dt * this.over;
      this.entryNs += dt * this.excess;
    }
    this.lastT = t;
  }

  /** A list grew from L - 1 to L. */
  grew(L: number): void {
    if (L >= this.cnt.length) this.cnt = doubled(this.cnt);
    this.cnt[L - 1]--;
    this.cnt[L]++;
    if (L > this.top) this.top = L;
    if (L > this.b) {
      this.excess++;
      if (L === this.b + 1) this.over++;
    }
  }

  /** A list shrank from L + 1 to L. */
  shrank(L: number): void {
    this.cnt[L + 1]--;
    this.cnt[L]++;
    if (this.cnt[this.top] === 0) this.top--;
    if (L + 1 > this.b) {
      this.excess--;
      if (L === this.b) this.over--;
    }
  }

  /** The bound in force became b (one step of 1 at a time: O(|change|)). */
  boundTo(b: number): void {
    const cnt = this.cnt;
    while (this.b < b) {
      // Every list above b loses one entry of excess; those at b + 1 stop being above.
      this.excess -= this.over;
      const at = this.b + 1 < cnt.length ? cnt[this.b + 1] : 0;
      this.over -= at;
      this.b++;
    }
    while (this.b > b) {
      const at = this.b < cnt.length ? cnt[this.b] : 0;
      this.over += at;
      this.excess += this.over;
      this.b--;
    }
  }

  /** After an operation at time t: counts the step and the largest excess. */
  step(t: number): void {
    if (this.over === 0) return;
    this.steps++;
    const x = this.top - this.b;
    if (x > this.maxExcess) {
      this.maxExcess = x;
      this.maxAtNs = t;
    }
  }

  figures(endNs: number): AboveBoundFigures {
    this.advance(endNs);
    return {
      aboveBoundPcpuNs: this.pcpuNs,
      aboveBoundEntryNs: this.entryNs,
      aboveBoundMaxExcess: this.maxExcess,
      aboveBoundMaxAtNs: this.maxAtNs,
      aboveBoundSteps: this.steps,
    };
  }
}
