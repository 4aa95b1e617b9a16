/**
 * List statistics of a reconstructed stream under upstream placement (each vCPU listed on the pCPU
 * it blocked on), with the dump's lost-record spans left out: inside a span the op stream is
 * incomplete, so a list length or a walk seen there is not an observation. The engine's run keeps
 * them (it has no exclusion window); this is the same model, counted only outside the spans.
 */
import { OpCode } from '../../shared/ops';
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
  // Merge the spans of all pCPUs into disjoint intervals.
  const sorted = spans.filter((s) => s.endNs > s.startNs).sort((a, b) => a.startNs - b.startNs);
  const gaps: [number, number][] = [];
  for (const s of sorted) {
    const last = gaps[gaps.length - 1];
    if (last && s.startNs <= last[1]) last[1] = Math.max(last[1], s.endNs);
    else gaps.push([s.startNs, s.endNs]);
  }
  const P = ops.code.length > 0 && ops.code[0] === OpCode.pcpus ? ops.a[0] : 1;
  const len = new Int32Array(P);
  const max = new Int32Array(P);
  // Per vCPU slot: list pCPU (-1: none), ON bit, PI flag.
  const slots = new Map<number, number>();
  let listOf = new Int32Array(256);
  let flags = new Uint8Array(256);
  const ON = 1;
  const PI = 2;
  let g = 0;
  let wakeups = 0;
  let walked = 0;
  let excludedOps = 0;
  const { code, a, b, c } = ops;
  for (let i = 0; i < code.length; i++) {
    const t = ops.t[i];
    while (g < gaps.length && gaps[g][1] < t) g++;
    const inGap = g < gaps.length && gaps[g][0] <= t;
    if (inGap) excludedOps++;
    const op = code[i];
    if (
      op === OpCode.pcpus ||
      op === OpCode.pcpu_offline ||
      op === OpCode.pcpu_online ||
      op === OpCode.wake
    )
      continue;
    const key = a[i] * 65536 + b[i];
    let s = slots.get(key);
    if (s === undefined) {
      s = slots.size;
      slots.set(key, s);
      if (s === listOf.length) {
        const l2 = new Int32Array(s * 2);
        l2.set(listOf);
        listOf = l2;
        const f2 = new Uint8Array(s * 2);
        f2.set(flags);
        flags = f2;
      }
      listOf[s] = -1;
      flags[s] = 0;
    }
    const q = listOf[s];
    switch (op) {
      case OpCode.vcpu_create:
        flags[s] = c[i] ? PI : 0;
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
        const p = c[i];
        if (p < 0 || p >= P) break;
        listOf[s] = p;
        flags[s] &= ~ON;
        if (++len[p] > max[p] && !inGap) max[p] = len[p];
        break;
      }
      case OpCode.post:
        if (q >= 0 && (flags[s] & ON) === 0) {
          if (!inGap) {
            wakeups++;
            walked += len[q];
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
  const perPcpu = Array.from(max, (m, pcpu) => ({ pcpu, maxLength: m }));
  return {
    maxListLength: perPcpu.reduce((m, p) => Math.max(m, p.maxLength), 0),
    perPcpu,
    wakeupInterrupts: wakeups,
    walked,
    excludedNs: gaps.reduce((s, [a, b]) => s + (b - a), 0),
    excludedOps,
  };
}
