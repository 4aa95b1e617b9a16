/**
 * List statistics of a reconstructed stream under upstream placement (each vCPU listed on the pCPU
 * it blocked on), with the dump's lost-record spans left out: inside a span the op stream is
 * incomplete, so a list length or a walk seen there is not an observation. The engine's run keeps
 * them (it has no exclusion window); this is the same model, counted only outside the spans.
 */
import { OpCode, type OpSink } from '../../shared/ops';
import type { OpColumns } from './op-columns';

export interface ObservedOutsideLost {
  maxListLength: number;
  perPcpu: { pcpu: number; maxLength: number }[];
  wakeupInterrupts: number;
  walked: number;
  /** ns of the trace inside at least one lost span, and ops applied there. */
  excludedNs: number;
  excludedOps: number;
}

export function observeOutsideLost(
  ops: OpColumns,
  spans: { startNs: number; endNs: number }[],
): ObservedOutsideLost {
  const obs = new OutsideLostObserver(spans);
  const { code, t, a, b, c } = ops;
  for (let i = 0; i < code.length; i++) obs.op(code[i] as OpCode, t[i], a[i], b[i], c[i]);
  return obs.finish();
}

const ON = 1;
const PI = 2;

/** The same, fed one op at a time (the import streams its ops; they are never held together). */
export class OutsideLostObserver implements OpSink {
  private readonly gaps: [number, number][] = [];
  private first = true;
  private P = 1;
  private len = new Int32Array(1);
  private max = new Int32Array(1);
  // Per vCPU slot: list pCPU (-1: none), ON bit, PI flag.
  private readonly slots = new Map<number, number>();
  private slotCount = 0;
  /** Slot + 1 (0: none) per domain and vCPU id below 65536, by array index: the Map, keyed by
   *  dom * 65536 + vcpu, is looked up per op; it keeps the other ids. */
  private readonly slotOf = new Array<Int32Array | undefined>(65536);
  private listOf = new Int32Array(256);
  private flags = new Uint8Array(256);
  private g = 0;
  private wakeups = 0;
  private walked = 0;
  private excludedOps = 0;

  constructor(spans: { startNs: number; endNs: number }[]) {
    // Merge the spans of all pCPUs into disjoint intervals.
    const sorted = spans.filter((s) => s.endNs > s.startNs).sort((a, b) => a.startNs - b.startNs);
    const gaps = this.gaps;
    for (const s of sorted) {
      const last = gaps[gaps.length - 1];
      if (last && s.startNs <= last[1]) last[1] = Math.max(last[1], s.endNs);
      else gaps.push([s.startNs, s.endNs]);
    }
  }

  op(op: OpCode, t: number, a: number, b: number, c: number): void {
    if (this.first) {
      this.first = false;
      // The stream's leading `pcpus` sizes the lists (1 pCPU without one).
      if (op === OpCode.pcpus) this.P = a;
      this.len = new Int32Array(this.P);
      this.max = new Int32Array(this.P);
    }
    const { gaps, len, max, P } = this;
    while (this.g < gaps.length && gaps[this.g][1] < t) this.g++;
    const inGap = this.g < gaps.length && gaps[this.g][0] <= t;
    if (inGap) this.excludedOps++;
    if (
      op === OpCode.pcpus ||
      op === OpCode.pcpu_offline ||
      op === OpCode.pcpu_online ||
      op === OpCode.wake
    )
      return;
    const small = a >= 0 && a < 65536 && b >= 0 && b < 65536;
    let s = small ? (this.slotOf[a]?.[b] ?? 0) - 1 : (this.slots.get(a * 65536 + b) ?? -1);
    if (s < 0) {
      s = this.slotCount++;
      if (small) this.slotIn(a, b, s);
      else this.slots.set(a * 65536 + b, s);
      if (s === this.listOf.length) {
        const l2 = new Int32Array(s * 2);
        l2.set(this.listOf);
        this.listOf = l2;
        const f2 = new Uint8Array(s * 2);
        f2.set(this.flags);
        this.flags = f2;
      }
      this.listOf[s] = -1;
      this.flags[s] = 0;
    }
    const { listOf, flags } = this;
    const q = listOf[s];
    switch (op) {
      case OpCode.vcpu_create:
        flags[s] = c ? PI : 0;
        break;
      case OpCode.vcpu_destroy:
        if (q >= 0) len[q]--;
        listOf[s] = -1;
        flags[s] = 0;
        break;
      case OpCode.block: {
        if ((flags[s] & PI) === 0) break;
        if (q >= 0) len[q]--;
        listOf[s] = -1;
        const p = c;
        if (p < 0 || p >= P) break;
        listOf[s] = p;
        flags[s] &= ~ON;
        if (++len[p] > max[p] && !inGap) max[p] = len[p];
        break;
      }
      case OpCode.post:
        if (q >= 0 && (flags[s] & ON) === 0) {
          if (!inGap) {
            this.wakeups++;
            this.walked += len[q];
          }
          len[q]--;
          listOf[s] = -1;
        } else flags[s] |= ON;
        break;
      case OpCode.run:
        if (q >= 0) len[q]--;
        listOf[s] = -1;
        flags[s] &= ~ON;
        break;
    }
  }

  private slotIn(dom: number, vcpu: number, slot: number): void {
    let ids = this.slotOf[dom];
    if (ids === undefined || vcpu >= ids.length) {
      const bigger = new Int32Array(Math.min(65536, Math.max(8, vcpu + 1, (ids?.length ?? 0) * 2)));
      if (ids) bigger.set(ids);
      this.slotOf[dom] = ids = bigger;
    }
    ids[vcpu] = slot + 1;
  }

  finish(): ObservedOutsideLost {
    const perPcpu = Array.from(this.max, (m, pcpu) => ({ pcpu, maxLength: m }));
    return {
      maxListLength: perPcpu.reduce((m, p) => Math.max(m, p.maxLength), 0),
      perPcpu,
      wakeupInterrupts: this.wakeups,
      walked: this.walked,
      excludedNs: this.gaps.reduce((s, [a, b]) => s + (b - a), 0),
      excludedOps: this.excludedOps,
    };
  }
}
