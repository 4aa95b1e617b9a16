/**
 * The host model beside the trace writer: it applies each op of the stream in order (the run's
 * own policy and seed, so the same decisions) and writes the lab's PI list records
 * (pi-records.ts) for what the op did to the lists. The writer calls it at the point in its own
 * records where Xen would trace the same thing.
 */
import { HostModel } from '../engine/host-model';
import { OpCode } from '../../shared/ops';
import { PolicyConfigSchema, type PolicyConfigInput } from '../../shared/params';
import { DEFAULT_COSTS } from '../../shared/results';
import {
  DOMAIN_HVM,
  DOMAIN_PI,
  PI_DOMAIN,
  PI_LIST_ADD,
  PI_LIST_DEL,
  PI_VCPU_GONE,
  PI_WAKEUP,
} from './pi-records';

/** Where records go: `record(cpu, id, tsc, extra words, d1..d4)`. */
export interface RecordSink {
  record(
    cpu: number,
    id: number,
    tsc: number,
    n: number,
    w1?: number,
    w2?: number,
    w3?: number,
    w4?: number,
  ): void;
}

export class ListRecorder {
  private readonly m: HostModel;

  constructor(
    private readonly w: RecordSink,
    placement: { policy: PolicyConfigInput; seed?: number } = { policy: { policy: 'upstream' } },
  ) {
    this.m = new HostModel({
      policy: PolicyConfigSchema.parse(placement.policy),
      costs: DEFAULT_COSTS,
      buckets: 16,
      seed: placement.seed ?? 1,
    });
  }

  private list(id: number, cpu: number, tsc: number, dom: number, vcpu: number, q: number): void {
    this.w.record(cpu, id, tsc, 4, dom, vcpu, q, this.m.listLength(q));
  }

  /** A domain's first vCPU was created: the lab's domain record (HVM, and PI if `pi`). */
  domain(cpu: number, tsc: number, dom: number, pi: boolean): void {
    this.w.record(cpu, PI_DOMAIN, tsc, 2, dom, DOMAIN_HVM | (pi ? DOMAIN_PI : 0));
  }

  /** One vCPU removed while its domain lives on. */
  gone(cpu: number, tsc: number, dom: number, vcpu: number): void {
    this.w.record(cpu, PI_VCPU_GONE, tsc, 2, dom, vcpu);
  }

  /**
   * Applies one op and writes its list records on `cpu` (where it happened; a wakeup interrupt
   * on its list's pCPU): a delete for a vCPU that leaves a list (run, destroy, a block of a
   * still-listed vCPU), an add for a block, a wakeup interrupt and its delete for a post that
   * walks, a delete and an add for each fix-up move of a pcpu_offline.
   */
  op(code: OpCode, t: number, a: number, b: number, c: number, tsc: number, cpu: number): void {
    const m = this.m;
    if (code === OpCode.pcpu_offline) return this.offline(t, a, tsc);
    if (code === OpCode.pcpus || code === OpCode.pcpu_online || code === OpCode.vcpu_create)
      return m.op(code, t, a, b, c);
    const was = m.listOfVcpu(a, b);
    const walked = was >= 0 ? m.listLength(was) : 0;
    const wakeups = m.wakeupCount;
    m.op(code, t, a, b, c);
    if (m.wakeupCount > wakeups) {
      // The wakeup interrupt runs on the list's pCPU and removes the posted entry.
      this.w.record(was, PI_WAKEUP, tsc, 3, was, walked, 1);
      this.list(PI_LIST_DEL, was, tsc, a, b, was);
      return;
    }
    const q = m.listOfVcpu(a, b);
    if (was >= 0 && q !== was) this.list(PI_LIST_DEL, cpu, tsc, a, b, was);
    if (code === OpCode.block && q >= 0) this.list(PI_LIST_ADD, cpu, tsc, a, b, q);
  }

  /** pcpu_offline: each entry of the offlined list is deleted there and added where the fix-up
   *  put it (ON entries are woken, so only deleted). */
  private offline(t: number, p: number, tsc: number): void {
    const m = this.m;
    const entries = m.listOfPcpu(p);
    const lens = m.lengths();
    m.op(OpCode.pcpu_offline, t, p, 0, 0);
    for (const [d, v] of entries) {
      const q = m.listOfVcpu(d, v);
      this.w.record(q >= 0 ? q : p, PI_LIST_DEL, tsc, 4, d, v, p, --lens[p]);
      if (q >= 0) this.w.record(q, PI_LIST_ADD, tsc, 4, d, v, q, ++lens[q]);
    }
  }
}
