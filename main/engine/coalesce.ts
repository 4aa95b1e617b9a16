/**
 * Coalesced wakeups (docs/engine.md, "Coalesced wakeups"): the wakeup-interrupt handlers waiting
 * to run, at most one per list, and per list the listed vCPUs whose ON bit is set (the entries
 * that handler will remove). Xen's pi_wakeup_interrupt removes every ON entry of its list in one
 * walk, so posts that land before the handler runs share its walk.
 *
 * Handlers run `latencyNs` after the post that sent the notification; posts come in time order,
 * so handlers are due in the order they were scheduled and a FIFO is the whole queue.
 */
import { doubled } from './growable';

export class PendingWakeups {
  /** Handler queue: due time and list, in scheduling (= due) order. */
  private qT = new Float64Array(64);
  private qP = new Int32Array(64);
  private qHead = 0;
  private qTail = 0;
  /** Per list: queue index + 1 of its pending handler, 0 for none. */
  private readonly pendingAt: Int32Array;
  /** Per list: first vCPU slot with ON set, -1 for none (a doubly linked chain over slots). */
  private readonly onHead: Int32Array;
  private onNext = new Int32Array(0);
  private onPrev = new Int32Array(0);
  /** Due time of the handler at the head of the queue (Infinity when none). */
  nextDueNs = Infinity;
  /** Due time of the handler takeDueBefore last returned. */
  dueNs = 0;
  /** Posts that set ON while their list's handler was already pending (they shared its walk). */
  joined = 0;
  /** Handlers dropped because their pCPU went offline first (the fix-up woke their entries). */
  cancelled = 0;

  constructor(
    readonly latencyNs: number,
    pcpus: number,
  ) {
    this.pendingAt = new Int32Array(pcpus);
    this.onHead = new Int32Array(pcpus).fill(-1);
  }

  /** Makes room for vCPU slots 0..cap-1. */
  ensureSlots(cap: number): void {
    if (this.onNext.length >= cap) return;
    const n = new Int32Array(cap);
    n.set(this.onNext);
    this.onNext = n;
    const p = new Int32Array(cap);
    p.set(this.onPrev);
    this.onPrev = p;
  }

  pending(q: number): boolean {
    return this.pendingAt[q] !== 0;
  }

  /**
   * Slot s, listed on q, had ON set by a post at time t: it joins q's pending handler, or its
   * notification schedules one at t + latency.
   */
  posted(s: number, q: number, t: number): void {
    const h = this.onHead[q];
    this.onNext[s] = h;
    this.onPrev[s] = -1;
    if (h >= 0) this.onPrev[h] = s;
    this.onHead[q] = s;
    if (this.pendingAt[q] !== 0) {
      this.joined++;
      return;
    }
    if (this.qTail === this.qT.length) {
      this.qT = doubled(this.qT);
      this.qP = doubled(this.qP);
    }
    const i = this.qTail++;
    this.qT[i] = t + this.latencyNs;
    this.qP[i] = q;
    this.pendingAt[q] = i + 1;
    if (i === this.qHead) this.nextDueNs = this.qT[i];
  }

  /** Slot s, with ON set, leaves list q (by run, destroy, block, fix-up or the handler). */
  left(s: number, q: number): void {
    const pv = this.onPrev[s];
    const nx = this.onNext[s];
    if (pv >= 0) this.onNext[pv] = nx;
    else this.onHead[q] = nx;
    if (nx >= 0) this.onPrev[nx] = pv;
  }

  /** The first ON entry of q still listed, or -1. */
  firstOn(q: number): number {
    return this.onHead[q];
  }

  /** The ON entries of q, in chain order (tests and invariant checks). */
  onEntries(q: number): number[] {
    const out: number[] = [];
    for (let s = this.onHead[q]; s >= 0; s = this.onNext[s]) out.push(s);
    return out;
  }

  /** q went offline with a handler pending: the handler never walks (the fix-up emptied q). */
  cancel(q: number): void {
    if (this.pendingAt[q] === 0) return;
    this.pendingAt[q] = 0;
    this.cancelled++;
  }

  /**
   * Takes the next handler due strictly before t (handlers run after every operation at their
   * own due time) and returns its list, or -1; `dueNs` tells when it runs.
   */
  takeDueBefore(t: number): number {
    while (this.qHead < this.qTail && this.qT[this.qHead] < t) {
      const i = this.qHead++;
      const q = this.qP[i];
      const due = this.qT[i];
      this.nextDueNs = this.qHead < this.qTail ? this.qT[this.qHead] : Infinity;
      // Empty queue: no list refers to an index any more (taken or cancelled), so restart at 0.
      if (this.qHead === this.qTail) this.qHead = this.qTail = 0;
      // A handler cancelled by pcpu_offline (and perhaps re-armed since) is not this entry.
      if (this.pendingAt[q] !== i + 1) continue;
      this.pendingAt[q] = 0;
      this.dueNs = due;
      return q;
    }
    return -1;
  }
}
