/**
 * Scheduler records (merged across pCPUs) -> the operations of model.md. Rules
 * (docs/trace-import.md): running->blocked on pCPU p is `block` on p; blocked->runnable is `post`
 * or `wake` (option); runnable->running on p is `run` on p; ->offline and domain destruction are
 * `vcpu_destroy`; a vCPU's first record is its `vcpu_create`. Ops are staged for every guest
 * domain: which domains are HVM and PI is only known at the end of the dump, when `finish` drops
 * the others and sets the `pi` flags. Times are kept in TSC cycles until the clock is chosen.
 */
import { OpCode, type OpSink } from '../../shared/ops';
import { readField, type UserIdMapping } from './decoder';
import {
  DOMID_FIRST_RESERVED,
  RUNSTATE_BLOCKED,
  RUNSTATE_OFFLINE,
  RUNSTATE_RUNNING,
  TRC_DOM0_DOM_REM,
  TRC_LOST_RECORDS,
  TRC_LOST_RECORDS_END,
  TRC_SCHED_DOM_REM,
} from './format';
import { OpBlocks, OpColumnsBuilder, type OpColumns, type OpStage } from './op-columns';
import type { MergedSink } from './reader';

const ABSENT = -1;
const RUNNING = 0;
const RUNNABLE = 1;
const BLOCKED = 2;

export type WakeAs = 'post' | 'wake';

export interface ReconstructionCounts {
  /** `run` put in before a `block` of a vCPU not known to be running there (after lost records, or at its first record). */
  synthesizedRuns: number;
  /** blocked->runnable of a vCPU not known to be blocked: no op. */
  ignoredWakes: number;
  /** Ops whose TSC was below the previous op's (a pCPU's TSC going backwards): moved to that time. */
  clampedTimes: number;
  runstateRecords: number;
}

export interface ObservedLists {
  adds: number;
  deletes: number;
  /** Deletes of a vCPU the list records never added. */
  unmatchedDeletes: number;
  maxLength: number;
  perPcpuMax: Record<string, number>;
}

/** What `plan` decided for the final op stream. */
export interface OpPlan {
  /** Per domain id: 0 left out, 1 kept, 2 kept with `pi`. */
  keep: Uint8Array;
  /** Time of the last kept op (ns from the first TSC; 0 without any). */
  endNs: number;
  pcpus: number;
  firstTsc: number;
  cpuHz: number;
}

export class Reconstructor implements MergedSink {
  /** Time (TSC) of each domain's last op: the end of the kept stream without a pass over it. */
  private readonly lastTOf = new Float64Array(65536);
  /** Run state per vCPU: per domain, an array indexed by vCPU id (ABSENT when not existing). */
  private readonly domState = new Map<number, Int8Array>();
  private lastDom = -1;
  private lastStates: Int8Array | undefined = undefined;
  private readonly domVcpus = new Map<number, Set<number>>();
  private lastT = -Infinity;
  readonly counts: ReconstructionCounts = {
    synthesizedRuns: 0,
    ignoredWakes: 0,
    clampedTimes: 0,
    runstateRecords: 0,
  };
  readonly lost: { cpu: number; lost: number; start: number; end: number }[] = [];
  private readonly openLost = new Map<number, { lost: number; start: number }>();
  private readonly user: Map<number, UserIdMapping>;
  private readonly listOf = new Map<number, number>();
  private listLen = new Int32Array(64);
  readonly observed: ObservedLists = {
    adds: 0,
    deletes: 0,
    unmatchedDeletes: 0,
    maxLength: 0,
    perPcpuMax: {},
  };

  constructor(
    private readonly wakeAs: WakeAs,
    userIds: UserIdMapping[] = [],
    /** Where ops wait for the end of the dump (SpillOpBlocks: on disk past a few MB). */
    private readonly ops: OpStage = new OpBlocks(),
  ) {
    this.user = new Map(userIds.map((u) => [u.id, u]));
  }

  /** Counts per domain, summed over the kept domains by `finish`. */
  private readonly byDom = new Map<number, [number, number, number]>();
  private bump(dom: number, which: 0 | 1 | 2): void {
    let c = this.byDom.get(dom);
    if (!c) this.byDom.set(dom, (c = [0, 0, 0]));
    c[which]++;
  }

  private emit(code: OpCode, t: number, a: number, b: number, c: number): void {
    if (t < this.lastT) {
      t = this.lastT;
      this.bump(a, 2);
    }
    this.lastT = t;
    this.lastTOf[a] = t;
    this.ops.op(code, t, a, b, c);
  }

  /** The state array of `dom`, long enough to hold `vcpu` (grown on demand: corrupt dumps can
   *  name thousands of domains, so no fixed 64 Ki entries each). */
  private states(dom: number, vcpu: number): Int8Array {
    let st = dom === this.lastDom ? this.lastStates : this.domState.get(dom);
    if (st === undefined) {
      st = new Int8Array(Math.max(8, vcpu + 1)).fill(ABSENT);
      this.domState.set(dom, st);
      this.domVcpus.set(dom, new Set());
    } else if (vcpu >= st.length) {
      const bigger = new Int8Array(Math.min(65536, Math.max(vcpu + 1, st.length * 2))).fill(ABSENT);
      bigger.set(st);
      this.domState.set(dom, (st = bigger));
    }
    this.lastDom = dom;
    this.lastStates = st;
    return st;
  }

  private ensure(st: Int8Array, dom: number, vcpu: number, t: number): number {
    const s = st[vcpu];
    if (s !== ABSENT) return s;
    this.emit(OpCode.vcpu_create, t, dom, vcpu, 0);
    this.domVcpus.get(dom)!.add(vcpu);
    st[vcpu] = RUNNABLE;
    return RUNNABLE;
  }

  record(cpu: number, id: number, tsc: number, words: Uint32Array, n: number): void {
    if ((id & 0x0ffff00f) === 0x00021001) {
      this.counts.runstateRecords++;
      const dom = words[0] >>> 16;
      const vcpu = words[0] & 0xffff;
      if (dom >= DOMID_FIRST_RESERVED) return;
      const from = (id >>> 8) & 3;
      const to = (id >>> 4) & 3;
      const st = this.states(dom, vcpu);
      if (to === RUNSTATE_OFFLINE) {
        if (st[vcpu] !== ABSENT) {
          this.emit(OpCode.vcpu_destroy, tsc, dom, vcpu, 0);
          st[vcpu] = ABSENT;
        }
        return;
      }
      const s = this.ensure(st, dom, vcpu, tsc);
      if (to === RUNSTATE_BLOCKED) {
        if (s !== RUNNING) {
          this.emit(OpCode.run, tsc, dom, vcpu, cpu);
          this.bump(dom, 0);
        }
        this.emit(OpCode.block, tsc, dom, vcpu, cpu);
        st[vcpu] = BLOCKED;
      } else if (to === RUNSTATE_RUNNING) {
        this.emit(OpCode.run, tsc, dom, vcpu, cpu);
        st[vcpu] = RUNNING;
      } else {
        // -> runnable: a wake-up if it was blocked; a preemption (running->runnable) changes no list.
        if (s === BLOCKED) {
          this.emit(this.wakeAs === 'post' ? OpCode.post : OpCode.wake, tsc, dom, vcpu, 0);
          st[vcpu] = RUNNABLE;
        } else if (from === RUNSTATE_BLOCKED) {
          this.bump(dom, 1);
        } else if (from === RUNSTATE_RUNNING) {
          st[vcpu] = RUNNABLE;
        }
      }
      return;
    }
    if (id === TRC_SCHED_DOM_REM || id === TRC_DOM0_DOM_REM) {
      const dom = words[0];
      const set = this.domVcpus.get(dom);
      const st = this.domState.get(dom);
      if (!set || !st) return;
      for (const vcpu of set) {
        if (st[vcpu] !== ABSENT) {
          this.emit(OpCode.vcpu_destroy, tsc, dom, vcpu, 0);
          st[vcpu] = ABSENT;
        }
      }
      return;
    }
    if (id === TRC_LOST_RECORDS) {
      this.openLost.set(cpu, { lost: n >= 1 ? words[0] : 0, start: tsc });
      return;
    }
    if (id === TRC_LOST_RECORDS_END) {
      const o = this.openLost.get(cpu);
      if (o) this.lost.push({ cpu, lost: o.lost, start: o.start, end: tsc });
      this.openLost.delete(cpu);
      return;
    }
    const u = this.user.get(id);
    if (u && u.dom && u.vcpu) {
      const w = words.subarray(0, n);
      const key = readField(w, u.dom) * 65536 + readField(w, u.vcpu);
      const p = u.pcpu ? readField(w, u.pcpu) : cpu;
      if (p >= 1 << 16) return;
      if (p >= this.listLen.length) {
        const bigger = new Int32Array(Math.max(p + 1, this.listLen.length * 2));
        bigger.set(this.listLen);
        this.listLen = bigger;
      }
      const o = this.observed;
      if (u.kind === 'list-add') {
        const prev = this.listOf.get(key);
        if (prev !== undefined) this.listLen[prev]--;
        this.listOf.set(key, p);
        const len = ++this.listLen[p];
        o.adds++;
        if (len > (o.perPcpuMax[p] ?? 0)) o.perPcpuMax[p] = len;
        if (len > o.maxLength) o.maxLength = len;
      } else if (u.kind === 'list-delete') {
        const prev = this.listOf.get(key);
        o.deletes++;
        if (prev === undefined) o.unmatchedDeletes++;
        else {
          this.listLen[prev]--;
          this.listOf.delete(key);
        }
      }
    }
  }

  /**
   * The final op stream: `pcpus` first, only the ops of `hvm` domains, `pi` set from `pi`, times
   * in ns from `firstTsc` at `cpuHz` (records before the first TSC land at 0).
   */
  finish(...args: Parameters<Reconstructor['plan']>): OpColumns {
    const plan = this.plan(...args);
    const out = new OpColumnsBuilder(this.keptCount(plan));
    this.emitTo(out, plan);
    return out.finish();
  }

  /** Ops `emitTo` will hand out under `plan` (the `pcpus` op included). */
  keptCount({ keep }: OpPlan): number {
    let n = 1;
    for (const [blk, len] of this.ops.parts())
      for (let i = 0; i < len; i++) if (keep[blk.a[i]] !== 0) n++;
    return n;
  }

  /** Decides which domains are kept (and sums their counts); `emitTo` then streams the ops. */
  plan(
    pcpus: number,
    hvm: (dom: number) => boolean,
    pi: (dom: number) => boolean,
    firstTsc: number,
    cpuHz: number,
  ): OpPlan {
    for (const [dom, [syn, ign, clamp]] of this.byDom) {
      if (!hvm(dom)) continue;
      this.counts.synthesizedRuns += syn;
      this.counts.ignoredWakes += ign;
      this.counts.clampedTimes += clamp;
    }
    // Per-domain flags once, then one tight pass over the staged ops.
    const keep = new Uint8Array(65536);
    let end = -Infinity;
    for (const dom of this.domVcpus.keys())
      if (dom < 65536 && hvm(dom)) {
        keep[dom] = pi(dom) ? 2 : 1;
        if (this.lastTOf[dom] > end) end = this.lastTOf[dom];
      }
    const endNs = end === -Infinity ? 0 : Math.max(0, (end - firstTsc) * (1e9 / cpuHz));
    return { keep, endNs, pcpus, firstTsc, cpuHz };
  }

  /** The final op stream (see `finish`) into `out`, in order; the staged ops are released. */
  emitTo(out: OpSink, { keep, pcpus, firstTsc, cpuHz }: OpPlan): void {
    out.op(OpCode.pcpus, 0, Math.max(1, pcpus), 0, 0);
    const scale = 1e9 / cpuHz;
    for (const [{ code, t, a, b, c }, len] of this.ops.parts()) {
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
    this.ops.release();
  }

  /** Lost spans still open at the end of the dump end at its last TSC. */
  closeLost(lastTsc: number): void {
    for (const [cpu, o] of this.openLost)
      this.lost.push({ cpu, lost: o.lost, start: o.start, end: lastTsc });
    this.openLost.clear();
  }

  guestDomains(): number[] {
    return [...this.domVcpus.keys()].sort((a, b) => a - b);
  }
}
