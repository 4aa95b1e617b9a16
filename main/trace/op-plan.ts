/**
 * The last step of a reconstruction: which domains' staged ops are kept, and streaming them out
 * with times in ns. Apart from reconstruct.ts, which stages two streams (scheduler-based and, with
 * the lab's PI records, as-recorded) and hands both out the same way.
 */
import { OpCode, type OpSink } from '../../shared/ops';
import { OpColumnsBuilder, type OpColumns, type OpStage } from './op-columns';

/** What `Reconstructor.plan` decided for a final op stream. */
export interface OpPlan {
  /** Per domain id: 0 left out, 1 kept, 2 kept with `pi`. */
  keep: Uint8Array;
  /** Time of the last kept op (ns from the first TSC; 0 without any). */
  endNs: number;
  pcpus: number;
  firstTsc: number;
  cpuHz: number;
}

/** Per-domain flags of `OpPlan.keep` for the domains seen. */
export function keepFlags(
  domains: Iterable<number>,
  hvm: (dom: number) => boolean,
  pi: (dom: number) => boolean,
): Uint8Array {
  const keep = new Uint8Array(65536);
  for (const dom of domains) if (dom < 65536 && hvm(dom)) keep[dom] = pi(dom) ? 2 : 1;
  return keep;
}

/** The time in ns of the last kept op, from each domain's last TSC (-Infinity: none). */
export function endNsOf(
  keep: Uint8Array,
  lastTOf: Float64Array,
  firstTsc: number,
  cpuHz: number,
): number {
  let end = -Infinity;
  for (let dom = 0; dom < keep.length; dom++)
    if (keep[dom] !== 0 && lastTOf[dom] > end) end = lastTOf[dom];
  // The same expression as emitStage's times, so the engine's end hint is the last op's time.
  const raw = (end - firstTsc) * (1e9 / cpuHz);
  return end === -Infinity || !(raw > 0) ? 0 : raw;
}

/** Ops `emitStage` will hand out (the `pcpus` op included). */
export function countKept(src: OpStage, keep: Uint8Array): number {
  let n = 1;
  for (const [blk, len] of src.parts()) for (let i = 0; i < len; i++) if (keep[blk.a[i]] !== 0) n++;
  return n;
}

/** `pcpus`, then the kept ops of `src` in order, into `out`; `src` is released. */
export function emitStage(src: OpStage, out: OpSink, plan: OpPlan): void {
  const { keep, pcpus, firstTsc, cpuHz } = plan;
  out.op(OpCode.pcpus, 0, Math.max(1, pcpus), 0, 0);
  const scale = 1e9 / cpuHz;
  for (const [{ code, t, a, b, c }, len] of src.parts()) {
    for (let i = 0; i < len; i++) {
      const k = keep[a[i]];
      if (k === 0) continue;
      const raw = (t[i] - firstTsc) * scale;
      out.op(
        code[i] as OpCode,
        raw > 0 ? raw : 0,
        a[i],
        b[i],
        code[i] === OpCode.vcpu_create ? k - 1 : c[i],
      );
    }
  }
  src.release();
}

/** `emitStage` into exact-size columns. */
export function collectStage(src: OpStage, plan: OpPlan): OpColumns {
  const out = new OpColumnsBuilder(countKept(src, plan.keep));
  emitStage(src, out, plan);
  return out.finish();
}
