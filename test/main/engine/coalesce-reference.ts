/**
 * A naive model of coalesced wakeups (docs/engine.md, "Coalesced wakeups") on top of the naive
 * model of model.md: a set of listed vCPUs with ON set and a plain array of pending handlers.
 * Property tests compare the engine with `policy.coalesceNs` against it op by op.
 */
import type { Op } from '../../../shared/ops';
import { ReferenceModel } from './reference-model';

export class CoalescingReference extends ReferenceModel {
  /** Listed vCPUs whose ON bit is set. */
  readonly on = new Set<string>();
  /** Pending handlers: due time and list. */
  pending: { t: number; p: number }[] = [];
  joined = 0;
  cancelled = 0;

  constructor(
    policy: 'upstream' | 'series' | 'least-loaded',
    K: number,
    readonly latencyNs: number,
  ) {
    super(policy, K);
  }

  /** Runs every handler due before t, earliest first: walk the list, drop its ON entries. */
  runDue(t: number): void {
    for (;;) {
      const due = this.pending.filter((h) => h.t < t).sort((a, b) => a.t - b.t)[0];
      if (!due) return;
      this.pending = this.pending.filter((h) => h !== due);
      this.wakeups++;
      this.walked += this.lists[due.p].length;
      const list = this.lists[due.p];
      this.lists[due.p] = list.filter((e) => !this.on.has(e.key));
      for (const e of list) this.on.delete(e.key);
    }
  }

  override apply(o: Op): void {
    this.runDue(o.t);
    const key = 'dom' in o ? `${o.dom}.${o.vcpu}` : '';
    switch (o.op) {
      case 'post': {
        const p = this.where(key);
        if (p < 0 || this.on.has(key)) return;
        this.on.add(key);
        if (this.pending.some((h) => h.p === p)) this.joined++;
        else this.pending.push({ t: o.t + this.latencyNs, p });
        return;
      }
      case 'run':
      case 'block':
      case 'vcpu_destroy':
        this.on.delete(key);
        break;
      case 'pcpu_offline': {
        // The fix-up wakes the ON entries; the others move (the base model moves what is left).
        const list = this.lists[o.pcpu];
        this.lists[o.pcpu] = list.filter((e) => !this.on.has(e.key));
        for (const e of list) this.on.delete(e.key);
        const before = this.pending.length;
        this.pending = this.pending.filter((h) => h.p !== o.pcpu);
        this.cancelled += before - this.pending.length;
        break;
      }
    }
    super.apply(o);
  }
}
