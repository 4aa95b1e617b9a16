/**
 * A deliberately naive model of docs/model.md (JS arrays, linear scans) for the deterministic
 * policies and the cycle fix-up: property tests compare the engine against it op by op.
 */
import type { Op } from '../../../shared/ops';

interface Entry {
  key: string;
  since: number;
  blockedOn: number;
}

export class ReferenceModel {
  online: boolean[] = [];
  lists: Entry[][] = [];
  vcpus = new Map<string, { pi: boolean }>();
  wakeups = 0;
  walked = 0;
  remote = 0;
  fixupMoves = 0;
  anomalies = 0;
  overflows = 0;
  maxLen: number[] = [];

  constructor(
    readonly policy: 'upstream' | 'series' | 'least-loaded',
    readonly K: number,
  ) {}

  bound(): number {
    const on = this.online.filter(Boolean).length;
    return Math.floor(this.vcpus.size / on) + this.K;
  }

  where(key: string): number {
    return this.lists.findIndex((l) => l.some((e) => e.key === key));
  }

  private remove(key: string): void {
    const p = this.where(key);
    if (p >= 0) this.lists[p] = this.lists[p].filter((e) => e.key !== key);
  }

  private add(p: number, e: Entry): void {
    this.lists[p].push(e);
    this.maxLen[p] = Math.max(this.maxLen[p], this.lists[p].length);
  }

  private shortest(): number {
    let best = -1;
    for (let p = 0; p < this.lists.length; p++)
      if (this.online[p] && (best < 0 || this.lists[p].length < this.lists[best].length)) best = p;
    return best;
  }

  /** First online pCPU cycling upwards from `from` whose list is below the bound, else -1. */
  private cycle(from: number): number {
    const P = this.lists.length;
    for (let i = 0; i < P; i++) {
      const p = (from + i) % P;
      if (this.online[p] && this.lists[p].length < this.bound()) return p;
    }
    return -1;
  }

  apply(o: Op): void {
    switch (o.op) {
      case 'pcpus':
        this.online = Array(o.n).fill(true);
        this.lists = Array.from({ length: o.n }, () => []);
        this.maxLen = Array(o.n).fill(0);
        break;
      case 'vcpu_create':
        this.vcpus.set(`${o.dom}.${o.vcpu}`, { pi: o.pi });
        break;
      case 'vcpu_destroy':
        this.remove(`${o.dom}.${o.vcpu}`);
        this.vcpus.delete(`${o.dom}.${o.vcpu}`);
        break;
      case 'block': {
        const key = `${o.dom}.${o.vcpu}`;
        if (!this.vcpus.get(key)!.pi) break;
        if (this.where(key) >= 0) {
          this.remove(key);
          this.anomalies++;
        }
        let p = o.pcpu;
        if (this.policy === 'least-loaded') p = this.shortest();
        if (this.policy === 'series') {
          p = this.cycle(o.pcpu);
          if (p < 0) {
            p = this.shortest();
            this.overflows++;
          }
        }
        if (p !== o.pcpu) this.remote++;
        this.add(p, { key, since: o.t, blockedOn: o.pcpu });
        break;
      }
      case 'post': {
        const key = `${o.dom}.${o.vcpu}`;
        const p = this.where(key);
        if (p < 0) break;
        this.wakeups++;
        this.walked += this.lists[p].length;
        this.remove(key);
        break;
      }
      case 'wake':
        break;
      case 'run':
        this.remove(`${o.dom}.${o.vcpu}`);
        break;
      case 'pcpu_offline': {
        this.online[o.pcpu] = false;
        const moving = this.lists[o.pcpu];
        this.lists[o.pcpu] = [];
        for (const e of moving) {
          let q = this.cycle((o.pcpu + 1) % this.lists.length);
          if (q < 0) {
            q = this.shortest();
            this.overflows++;
          }
          this.add(q, { ...e, since: o.t });
          this.fixupMoves++;
        }
        break;
      }
      case 'pcpu_online':
        this.online[o.pcpu] = true;
        break;
    }
  }
}
