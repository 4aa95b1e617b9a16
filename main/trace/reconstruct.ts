/**
 * Scheduler records (merged across pCPUs) -> the operations of model.md. Rules
 * (docs/trace-import.md): running->blocked on pCPU p is `block` on p; blocked->runnable is `post`
 * or `wake` (option); runnable->running on p is `run` on p; ->offline and domain destruction are
 * `vcpu_destroy`; a vCPU's first record is its `vcpu_create`. Ops are staged for every guest
 * domain: which domains are HVM and PI is only known at the end of the dump, when `finish` drops
 * the others and sets the `pi` flags. Times are kept in TSC cycles until the clock is chosen.
 */
import { OpCode, type OpSink } from '../../shared/ops';
import type { UserIdMapping } from './decoder';
import { UserListTracker } from './user-lists';
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
import { OpBlocks, type OpColumns, type OpStage } from './op-columns';
import { collectStage, countKept, emitStage, endNsOf, keepFlags, type OpPlan } from './op-plan';
import {
  PI_LIST_ADD,
  PI_LIST_DEL,
  PI_VCPU_GONE,
  PI_WAKEUP,
  PiRecordCounter,
  isPiRecord,
} from './pi-records';
import type { MergedSink } from './reader';
import { DomainLog, type DomainSeen } from './domains-seen';
import { VcpuBytes } from './vcpu-bytes';

const ABSENT = -1;
const RUNNING = 0;
const RUNNABLE = 1;
const BLOCKED = 2;

export type WakeAs = 'post' | 'wake';
/** What ->offline means: `pause` (Xen: neither runnable nor blocked; the vCPU lives on until its
 *  domain is destroyed), or `destroy` (the first importer's rule, kept for comparison). */
export type OfflineAs = 'pause' | 'destroy';

// Per-vCPU flags of the as-recorded stream.
/** The engine replaying the as-recorded stream has it on a list. */
const R_LISTED = 1;
/** A list add record blocked it; its running->blocked record adds nothing. */
const R_ADDED = 2;
/** Blocked in the as-recorded stream and not yet woken. */
const R_BLOCKED = 4;

export interface ReconstructionCounts {
  /** `run` put in before a `block` of a vCPU not known to be running there (after lost records, or at its first record). */
  synthesizedRuns: number;
  /** blocked->runnable of a vCPU not known to be blocked: no op. */
  ignoredWakes: number;
  /** Ops whose TSC was below the previous op's (a pCPU's TSC going backwards): moved to that time. */
  clampedTimes: number;
  runstateRecords: number;
}

export type { ObservedLists } from './user-lists';
export type { OpPlan } from './op-plan';

export class Reconstructor implements MergedSink {
  /** The scheduler-based stream, staged until the end of the dump (see the constructor). */
  private readonly ops: OpStage;
  /** Time (TSC) of each domain's last op in `ops` / `rops`: the end of the kept stream without a
   *  pass over it (the engine's first bucket width depends on it). */
  private readonly lastTOf = new Float64Array(65536).fill(-Infinity);
  private readonly lastRTOf = new Float64Array(65536).fill(-Infinity);
  /**
   * The as-recorded stream (used when the dump holds the lab's PI list records): `block` on the
   * list pCPU a list add names, a `post` for each entry a wakeup interrupt removes, a `run` on
   * the list pCPU for any other delete; the scheduler records give the rest. Replayed under
   * upstream placement it is the occupancy the records show.
   */
  private rops: OpStage | null = null;
  private lastRT = -Infinity;
  private readonly rFlags = new VcpuBytes();
  /** Per list pCPU: ON entries the current wakeup interrupt still has to remove. */
  private readonly walkLeft = new Map<number, number>();
  readonly piRecords = new PiRecordCounter();
  private readonly domainLog = new DomainLog();
  /** Run state per vCPU: per domain, an array indexed by vCPU id (ABSENT when not existing). */
  private readonly domState = new Map<number, Int8Array>();
  /** The same arrays indexed by domain id (`states` is called for most merged records). */
  private readonly stateOf = new Array<Int8Array | undefined>(65536);
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
  private readonly userLists = new UserListTracker();
  /** Occupancy from the user's list records (user-lists.ts). */
  readonly observed = this.userLists.observed;

  constructor(
    private readonly wakeAs: WakeAs,
    userIds: UserIdMapping[] = [],
    private readonly offlineAs: OfflineAs = 'destroy',
    /** Where a stream waits for the end of the dump (SpillOpBlocks: on disk past a few MB); called
     *  once for the scheduler stream, once more at the first PI record for the as-recorded one. */
    private readonly newStage: () => OpStage = () => new OpBlocks(),
  ) {
    this.user = new Map(userIds.map((u) => [u.id, u]));
    this.ops = newStage();
  }

  /** Per guest domain: vCPUs seen, pauses, destroyed, first/last record (ns at the clock). */
  domainsSeen(firstTsc: number, cpuHz: number): DomainSeen[] {
    return this.domainLog.list((d) => this.domVcpus.get(d)?.size ?? 0, firstTsc, cpuHz);
  }

  private emitR(code: OpCode, t: number, a: number, b: number, c: number): void {
    if (this.rops === null) return;
    if (t < this.lastRT) t = this.lastRT;
    this.lastRT = t;
    this.lastRTOf[a] = t;
    this.rops.op(code, t, a, b, c);
  }

  /**
   * The as-recorded stream starts at the dump's first PI record, as a copy of the scheduler
   * stream so far: a dump without them (every stock Xen dump) costs no second stream.
   */
  private startRecorded(): void {
    const r = (this.rops = this.newStage());
    for (const [{ code, t, a, b, c }, len] of this.ops.parts())
      for (let i = 0; i < len; i++) r.op(code[i] as OpCode, t[i], a[i], b[i], c[i]);
    this.lastRT = this.lastT;
    this.lastRTOf.set(this.lastTOf);
  }

  /** An op of both streams. */
  private emitBoth(code: OpCode, t: number, a: number, b: number, c: number): void {
    this.emit(code, t, a, b, c);
    this.emitR(code, t, a, b, c);
  }

  private destroyVcpu(st: Int8Array, dom: number, vcpu: number, t: number): void {
    this.emitBoth(OpCode.vcpu_destroy, t, dom, vcpu, 0);
    st[vcpu] = ABSENT;
    this.rFlags.set(dom, vcpu, 0);
  }

  /** The lab's PI records (pi-records.ts) -> the as-recorded stream. */
  private piRecord(id: number, tsc: number, words: Uint32Array, n: number): void {
    if (this.rops === null) this.startRecorded();
    this.piRecords.record(id, words, n);
    if (id === PI_WAKEUP) {
      if (n >= 3) this.walkLeft.set(words[0], words[2]);
      return;
    }
    if (n < 2) return;
    const dom = words[0];
    const vcpu = words[1];
    if (dom >= DOMID_FIRST_RESERVED || vcpu > 0xffff) return;
    this.domainLog.note(dom, tsc);
    const st = this.states(dom, vcpu);
    if (id === PI_VCPU_GONE) {
      if (st[vcpu] !== ABSENT) this.destroyVcpu(st, dom, vcpu, tsc);
      return;
    }
    if (n < 3) return;
    const q = words[2];
    this.ensure(st, dom, vcpu, tsc);
    const f = this.rFlags.get(dom, vcpu);
    if (id === PI_LIST_ADD) {
      // A vCPU still listed (a fix-up move, or a lost delete) leaves its list first.
      if (f & R_LISTED) this.emitR(OpCode.run, tsc, dom, vcpu, q);
      this.emitR(OpCode.block, tsc, dom, vcpu, q);
      this.rFlags.set(dom, vcpu, R_LISTED | R_ADDED | R_BLOCKED);
    } else if (id === PI_LIST_DEL) {
      const left = this.walkLeft.get(q) ?? 0;
      if (left > 0) {
        this.walkLeft.set(q, left - 1);
        this.emitR(OpCode.post, tsc, dom, vcpu, 0);
        this.rFlags.set(dom, vcpu, f & R_ADDED);
      } else if (f & R_LISTED) {
        this.emitR(OpCode.run, tsc, dom, vcpu, q);
        this.rFlags.set(dom, vcpu, f & R_ADDED);
      }
    }
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
    let st = this.stateOf[dom];
    if (st === undefined) {
      st = new Int8Array(Math.max(8, vcpu + 1)).fill(ABSENT);
      this.domState.set(dom, st);
      this.domVcpus.set(dom, new Set());
    } else if (vcpu >= st.length) {
      const bigger = new Int8Array(Math.min(65536, Math.max(vcpu + 1, st.length * 2))).fill(ABSENT);
      bigger.set(st);
      this.domState.set(dom, (st = bigger));
    }
    this.stateOf[dom] = st;
    return st;
  }

  private ensure(st: Int8Array, dom: number, vcpu: number, t: number): number {
    const s = st[vcpu];
    if (s !== ABSENT) return s;
    this.emitBoth(OpCode.vcpu_create, t, dom, vcpu, 0);
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
      const seen = this.domainLog.note(dom, tsc);
      const f = this.rops === null ? 0 : this.rFlags.get(dom, vcpu);
      if (to === RUNSTATE_OFFLINE) {
        if (this.offlineAs === 'pause') {
          // Paused (or blocked in Xen): it keeps existing, and a running vCPU is on no list.
          if (st[vcpu] === ABSENT) this.ensure(st, dom, vcpu, tsc);
          else if (from !== RUNSTATE_OFFLINE) seen.pauses++;
          if (st[vcpu] === RUNNING) st[vcpu] = RUNNABLE;
        } else if (st[vcpu] !== ABSENT) this.destroyVcpu(st, dom, vcpu, tsc);
        return;
      }
      const s = this.ensure(st, dom, vcpu, tsc);
      if (to === RUNSTATE_BLOCKED) {
        const added = (f & R_ADDED) !== 0;
        if (s !== RUNNING) {
          this.emit(OpCode.run, tsc, dom, vcpu, cpu);
          if (!added) this.emitR(OpCode.run, tsc, dom, vcpu, cpu);
          this.bump(dom, 0);
        }
        this.emit(OpCode.block, tsc, dom, vcpu, cpu);
        // Listed by its list add record already; without one, the scheduler's pCPU.
        if (added) this.rFlags.set(dom, vcpu, f & ~R_ADDED);
        else if (this.rops !== null) {
          this.emitR(OpCode.block, tsc, dom, vcpu, cpu);
          this.rFlags.set(dom, vcpu, R_LISTED | R_BLOCKED);
        }
        st[vcpu] = BLOCKED;
      } else if (to === RUNSTATE_RUNNING) {
        this.emitBoth(OpCode.run, tsc, dom, vcpu, cpu);
        if (f !== 0) this.rFlags.set(dom, vcpu, 0);
        st[vcpu] = RUNNING;
      } else {
        // -> runnable: a wake-up if it was blocked; a preemption (running->runnable) changes no list.
        if (f & R_BLOCKED) {
          // Not removed by a wakeup interrupt: woken by something else, it stays listed.
          this.emitR(OpCode.wake, tsc, dom, vcpu, 0);
          this.rFlags.set(dom, vcpu, f & ~R_BLOCKED);
        }
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
      this.domainLog.note(dom, tsc).destroyed = true;
      for (const vcpu of set) if (st[vcpu] !== ABSENT) this.destroyVcpu(st, dom, vcpu, tsc);
      return;
    }
    if (isPiRecord(id)) {
      this.piRecord(id, tsc, words, n);
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
    if (u) this.userLists.record(u, cpu, words, n);
  }

  /**
   * The final op stream: `pcpus` first, only the ops of `hvm` domains, `pi` set from `pi`, times
   * in ns from `firstTsc` at `cpuHz` (records before the first TSC land at 0).
   */
  finish(...args: Parameters<Reconstructor['plan']>): OpColumns {
    return collectStage(this.ops, this.plan(...args));
  }

  /** The as-recorded stream (same arguments as `finish`, called after it), or null when the
   *  dump holds no PI list records. */
  finishRecorded(...args: Parameters<Reconstructor['plan']>): OpColumns | null {
    const [pcpus, hvm, pi, firstTsc, cpuHz] = args;
    const keep = keepFlags(this.domVcpus.keys(), hvm, pi);
    const plan = this.planRecorded({ keep, endNs: 0, pcpus, firstTsc, cpuHz });
    return plan && collectStage(this.rops!, plan);
  }

  /** Ops `emitTo` will hand out under `plan` (the `pcpus` op included). */
  keptCount({ keep }: OpPlan): number {
    return countKept(this.ops, keep);
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
    const keep = keepFlags(this.domVcpus.keys(), hvm, pi);
    return { keep, endNs: endNsOf(keep, this.lastTOf, firstTsc, cpuHz), pcpus, firstTsc, cpuHz };
  }

  /** The scheduler-based stream (see `finish`) into `out`, in order; its staged ops are released. */
  emitTo(out: OpSink, plan: OpPlan): void {
    emitStage(this.ops, out, plan);
  }

  /** `plan` for the as-recorded stream (same domains, its own end), or null when the dump holds
   *  no PI list records (the stream, if any, is released). */
  planRecorded(plan: OpPlan): OpPlan | null {
    if (!this.piRecords.seen || this.rops === null) {
      this.rops?.release();
      return null;
    }
    return { ...plan, endNs: endNsOf(plan.keep, this.lastRTOf, plan.firstTsc, plan.cpuHz) };
  }

  /** The as-recorded stream under `planRecorded`'s plan into `out`; its staged ops are released. */
  emitRecordedTo(out: OpSink, plan: OpPlan): void {
    if (this.rops !== null) emitStage(this.rops, out, plan);
  }

  /** Frees both staged streams (their temporary files too); safe to call again. */
  release(): void {
    this.ops.release();
    this.rops?.release();
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
