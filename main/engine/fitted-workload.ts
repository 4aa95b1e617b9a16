/**
 * The third producer (issue 14, item 1): a workload fitted from a real dump, scaled. N domains are
 * drawn from the dump's (with replacement, seeded, or in turn), each vCPU cycling run -> block ->
 * (post | wake) -> run with its times drawn from its source vCPU's quantile tables and its wake
 * kind from the source's post/wake share. It emits the same op vocabulary as the stochastic
 * generator into any OpSink, so the one host model and recorder run it. docs/engine.md,
 * "Workloads fitted from a dump".
 */
import { OpCode, type OpSink } from '../../shared/ops';
import {
  sampleTable,
  type FittedVcpu,
  type QuantileTable,
  type TraceSimParams,
  type TraceWorkload,
} from '../../shared/fitted-workload';
import type { RunResult } from '../../shared/results';
import { EngineCancelled } from './errors';
import { EventHeap } from './event-heap';
import { HostModel } from './host-model';
import { Rng } from './rng';
import { formatNs, type GeneratorHooks } from './workload';

const TO_RUN = 0;
const TO_BLOCK = 1;
const TO_WAKE = 2;
const CHECK_EVERY = 4096;

/** A generated vCPU: its ids, the source it draws from and the pCPU it runs on. */
interface Slot {
  dom: number;
  vcpu: number;
  src: FittedVcpu;
  /** Probability that a wake-up is a device post. */
  postShare: number;
  /** Cumulative block-pCPU counts of the source (placement `trace`). */
  cum: number[];
  pcpu: number;
}

export class FittedWorkloadGenerator {
  private readonly rng: Rng;
  private readonly slots: Slot[] = [];
  /** The dump's domain each generated domain was drawn from (index into fit.domains). */
  readonly sources: number[] = [];
  ops = 0;

  constructor(
    private readonly w: TraceWorkload,
    seed: number,
  ) {
    // The stochastic generator's stream constant with a different tweak: distinct from the
    // engine's own stream (`seed`) that random policies draw from.
    this.rng = new Rng((seed ^ 0x2545f491) >>> 0);
  }

  private draw(t: QuantileTable): number {
    if (t.n === 0) return 0;
    const x = sampleTable(t, this.rng.float(), this.rng.float());
    return x > 0 ? x : 0;
  }

  private pcpuFor(s: Slot, index: number): number {
    const P = this.w.pcpus;
    switch (this.w.placement) {
      case 'pcpu0':
        return 0;
      case 'random':
        return this.rng.below(P);
      case 'trace': {
        const total = s.cum.length ? s.cum[s.cum.length - 1] : 0;
        if (total === 0) return index % P;
        const r = this.rng.below(total);
        let i = 0;
        while (s.cum[i] <= r) i++;
        return s.src.blockPcpus[i][0] % P;
      }
      default:
        return index % P;
    }
  }

  private emit(sink: OpSink, code: OpCode, t: number, a: number, b: number, c: number): void {
    sink.op(code, t, a, b, c);
    this.ops++;
  }

  /** Emits the whole run into `sink` (starting with `pcpus`), up to the workload's duration. */
  run(sink: OpSink, hooks: GeneratorHooks = {}): void {
    const w = this.w;
    const fit = w.fit.domains;
    const end = w.durationNs;
    const heap = new EventHeap(1024);
    this.emit(sink, OpCode.pcpus, 0, w.pcpus, 0, 0);
    if (fit.length > 0)
      for (let k = 0; k < w.domains; k++) {
        const i = w.sampling === 'cycle' ? k % fit.length : this.rng.below(fit.length);
        this.sources.push(i);
        const d = fit[i];
        for (const v of d.vcpus) {
          const slot = this.slots.length;
          let acc = 0;
          const s: Slot = {
            dom: k + 1,
            vcpu: v.vcpu,
            src: v,
            postShare: v.posts + v.wakes > 0 ? v.posts / (v.posts + v.wakes) : 1,
            cum: v.blockPcpus.map(([, n]) => (acc += n)),
            pcpu: 0,
          };
          this.slots.push(s);
          this.emit(sink, OpCode.vcpu_create, 0, s.dom, s.vcpu, d.pi ? 1 : 0);
          // A vCPU the dump never saw block (or without a burst or blocked sample) never blocks:
          // it counts in H and stays off every list.
          if (!d.pi || v.blocks === 0 || v.runNs.n === 0 || v.blockedNs.n === 0) continue;
          heap.push(Math.round(this.draw(v.wakeToRunNs)), slot * 4 + TO_RUN);
        }
      }
    let steps = 0;
    while (heap.topKey <= end) {
      const t = heap.topKey;
      const val = heap.topVal;
      const slot = Math.floor(val / 4);
      const state = val - slot * 4;
      const s = this.slots[slot];
      let dt: number;
      let next: number;
      if (state === TO_RUN) {
        s.pcpu = this.pcpuFor(s, slot);
        this.emit(sink, OpCode.run, t, s.dom, s.vcpu, s.pcpu);
        dt = this.draw(s.src.runNs);
        next = TO_BLOCK;
      } else if (state === TO_BLOCK) {
        this.emit(sink, OpCode.block, t, s.dom, s.vcpu, s.pcpu);
        dt = this.draw(s.src.blockedNs);
        next = TO_WAKE;
      } else {
        const post = this.rng.float() < s.postShare;
        this.emit(sink, post ? OpCode.post : OpCode.wake, t, s.dom, s.vcpu, 0);
        dt = this.draw(s.src.wakeToRunNs);
        next = TO_RUN;
      }
      heap.replaceTop(Math.round(t + dt), slot * 4 + next);
      if (++steps === CHECK_EVERY) {
        steps = 0;
        if (hooks.cancelled?.()) throw new EngineCancelled();
        hooks.progress?.(t / end, `${this.ops} ops, t = ${formatNs(t)} virtual`);
      }
    }
  }
}

/** Runs a fitted workload (params validated by TraceSimParamsSchema) through the host model. */
export function simulateFitted(
  params: TraceSimParams,
  opts: GeneratorHooks & { sink?: OpSink } = {},
): RunResult {
  const w = params.traceWorkload;
  const run = new HostModel(
    { policy: params.policy, costs: params.costs, buckets: params.buckets, seed: params.seed },
    {
      expectedEndNs: w.durationNs,
      expectedVcpus: w.domains * Math.max(1, ...w.fit.domains.map((d) => d.vcpus.length)),
    },
  );
  const tee = opts.sink;
  const sink: OpSink = tee
    ? {
        op(code, t, a, b, c) {
          run.op(code, t, a, b, c);
          tee.op(code, t, a, b, c);
        },
      }
    : run;
  new FittedWorkloadGenerator(w, params.seed).run(sink, opts);
  return run.finish();
}
