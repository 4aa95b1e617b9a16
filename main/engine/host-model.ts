/**
 * The host model of docs/model.md: pCPUs with intrusive PI blocking lists over typed arrays
 * (about 30 bytes per vCPU plus the residency log), the placement policies, the fix-up rules,
 * and the recorder hooks. Every operation costs O(1), or O(log P) for a placement search, whatever
 * the list lengths: a wakeup interrupt's walk is counted from the list length, never visited.
 */
import { OP_NAMES, OpCode } from '../../shared/ops';
import type { OpName } from '../../shared/ops';
import type { PolicyConfig } from '../../shared/params';
import type { CostModel, RunResult, RunSummary, SeriesSet } from '../../shared/results';
import { AboveBoundMeter } from './above-bound';
import { BucketSeries } from './bucket-series';
import { PendingWakeups } from './coalesce';
import { EngineInputError } from './errors';
import { doubled, GrowF64, GrowU32, LeaveLog, ResidencyLog, StepLog } from './growable';
import { NONE, PcpuTree } from './pcpu-tree';
import { Rng } from './rng';
import { EMPTY_STATS, histogramStats } from './stats';

export interface EngineConfig {
  policy: PolicyConfig;
  costs: CostModel;
  buckets: number;
  seed: number;
}

export interface EngineRun {
  op(code: OpCode, t: number, a: number, b: number, c: number): void;
  finish(): RunResult;
  readonly operations: number;
  readonly nowNs: number;
}

/** Hints for a run's sizes; they change no result. */
export interface RunHints {
  /** End time, for the first bucket width of the series. */
  expectedEndNs?: number;
  /** vCPUs the run will create, for the size of the vCPU table. */
  expectedVcpus?: number;
  /**
   * false: no residency log (the `res.*` series stay empty; `listIndexTruncatedAtNs` is the time
   * of the first list insertion), so memory stays flat however many insertions a long run makes.
   * For runs read for their summary only (`xen-pi-lab import` without --save); no other figure
   * changes.
   */
  listIndex?: boolean;
}

/** The largest vCPU table allocated up front from a hint (slots; 8M x 44 bytes). */
const MAX_SLOT_HINT = 1 << 23;
/** Residencies beyond this stop being logged (list contents stay exact before that time). */
export const MAX_RESIDENCIES = 16 * 1024 * 1024;
/** Cap on pcpus x buckets cells of the per-pCPU series (the bucket count shrinks to fit). */
const MAX_SERIES_CELLS = 4 * 1024 * 1024;
// Module constants: a property load per `case` showed in profiles.
const OP_BLOCK = OpCode.block;
const OP_PCPU_OFFLINE = OpCode.pcpu_offline;
const OP_PCPU_ONLINE = OpCode.pcpu_online;
const OP_PCPUS = OpCode.pcpus;
const OP_POST = OpCode.post;
const OP_RUN = OpCode.run;
const OP_VCPU_CREATE = OpCode.vcpu_create;
const OP_VCPU_DESTROY = OpCode.vcpu_destroy;
const OP_WAKE = OpCode.wake;
const MAX_PCPUS = 65536;
const MAX_VCPU_ID = 1 << 24;

const F_PI = 1;
const F_ON = 2;
const F_ALIVE = 4;
/** Run state, in bits 4-5 of the flags field. */
const ST_MASK = 0x30;
const RUNNING = 0x00;
const RUNNABLE = 0x10;
const BLOCKED = 0x20;
/** Fields of a vCPU slot record. */
const W = 8;
const NEXT = 0;
const PREV = 1;
const LIST = 2;
const BLK = 3;
const RES = 4;
const FLG = 5;
/** Domain index and vCPU id: verify the (dom, vcpu) -> slot fast path without the table. */
const DOMK = 6;
const VID = 7;

const P_UPSTREAM = 0;
const P_SERIES = 1;
const P_LEAST = 2;
const P_TWO = 3;
const P_RUB = 4;
const POLICY_CODES: Record<string, number> = {
  upstream: P_UPSTREAM,
  series: P_SERIES,
  'least-loaded': P_LEAST,
  'two-choices': P_TWO,
  'random-under-bound': P_RUB,
};
/** random-under-bound: random candidates tried before the cyclic search from a random start. */
const RUB_TRIES = 4;

export class HostModel implements EngineRun {
  operations = 0;
  nowNs = 0;

  private readonly cfg: EngineConfig;
  private readonly policyCode: number;
  private readonly K: number;
  /** Placement takes a list while length < lim (lim = bound, or bound + 1 for `<=`). */
  private readonly inclusive: boolean;
  private readonly hPiOnly: boolean;
  private readonly cycleFixup: boolean;
  private readonly rng: Rng;
  private readonly expectedEndNs: number;
  /** Handler latency of coalesced wakeups, ns; 0: every post walks at once (model.md). */
  private readonly coalesceNs: number;
  /** Pending wakeup handlers (coalesced wakeups only; null when off). */
  private coal: PendingWakeups | null = null;
  private readonly meter = new AboveBoundMeter();

  private started = false;
  private P = 0;
  private len = new Int32Array(0);
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  private online = new Uint8Array(0);
  private maxLen = new Int32Array(0);
  private inPool = new Uint8Array(0);
  private isCand = new Uint8Array(0);
  private candList = new Int32Array(0);
  private candN = 0;
  private onlineN = 0;
  private tree = new PcpuTree(1);
  private treeLive = false;
  /**
   * Lengths changed since the tree last saw them (list and flag per pCPU): while the tree is
   * live, link/unlink only mark the pCPU, and a query brings the tree up to date first (see
   * syncTree), so blocks placed on the local pCPU cost no tree update.
   */
  private dirty = new Uint8Array(0);
  private dirtyList = new Int32Array(0);
  private nDirty = 0;
  private bound = 0;
  private hAll = 0;
  private hPi = 0;

  private cap = 0;
  private nSlots = 0;
  /**
   * Per-vCPU-slot state, W int32 fields per slot in one record so that a random vCPU's operation
   * touches one cache line (4M vCPUs are visited in random order).
   */
  private S = new Int32Array(0);
  private sDom = new Uint32Array(0);
  private sId = new Uint32Array(0);
  /** (dom, vcpu) -> slot + 1: domain k owns vtab[dBase[k] .. dBase[k] + dCap[k]). */
  private readonly domDirect = new Int32Array(65536);
  private readonly domMap = new Map<number, number>();
  private dBase = new Int32Array(64);
  private dCap = new Int32Array(64);
  /** Slot of the domain's vCPU 0 if its vCPUs were created in a row (the fast path's guess). */
  private dFirst = new Int32Array(64);
  private nDoms = 0;
  private vtab = new Int32Array(1024);
  private vtabN = 0;
  private lastSeg = -1;
  /** Domain index of the last cellFor() call. */
  private cellDom = 0;

  private readonly opCounts = new Float64Array(OP_NAMES.length);
  private startNs = 0;
  private wakeups = 0;
  private walked = 0;
  private remote = 0;
  private fixupMoves = 0;
  private anomalies = 0;
  private overflows = 0;
  private overBound = 0;
  private maxAll = 0;
  private maxP = 0;
  private maxT = 0;
  private boundAtMax = 0;
  private walkHist = new Float64Array(1024);

  private rec = new BucketSeries(1, 2);
  private readonly res = new ResidencyLog();
  /** Leave times, logged in order (residency row, t) and scattered into res.tOut at finish. */
  private readonly leaves = new LeaveLog();
  private resTruncatedAt: number | null = null;
  private readonly maxResidencies: number;
  private readonly hLog = new StepLog();
  private readonly boundLog = new StepLog();
  private readonly pLogT = new GrowF64(64);
  private readonly pLogP = new GrowU32(64);
  private readonly pLogOn = new GrowU32(64);

  constructor(cfg: EngineConfig, opts: RunHints = {}) {
    this.cfg = cfg;
    const code = POLICY_CODES[cfg.policy.policy];
    if (code === undefined) throw new Error(`unknown policy ${cfg.policy.policy}`);
    this.policyCode = code;
    this.K = cfg.policy.K;
    this.inclusive = cfg.policy.compare === '<=';
    this.hPiOnly = cfg.policy.hCounts === 'pi';
    this.cycleFixup = cfg.policy.fixup === 'cycle';
    this.rng = new Rng(cfg.seed);
    this.expectedEndNs = opts.expectedEndNs ?? 0;
    this.coalesceNs = cfg.policy.coalesceNs ?? 0;
    this.maxResidencies = opts.listIndex === false ? 0 : MAX_RESIDENCIES;
    this.treeLive = code === P_SERIES || code === P_LEAST || code === P_RUB;
    // Sized for the expected vCPUs up front: growing copies every record and touches twice the
    // memory (capped: a hint only saves copies, it must not reserve memory a run never uses).
    const hint = Math.min(MAX_SLOT_HINT, Math.floor(opts.expectedVcpus ?? 0));
    this.growSlots(Math.max(1024, hint));
  }

  private fail(msg: string): never {
    throw new EngineInputError(msg, this.operations);
  }

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    if (!(t >= this.nowNs) || t === Infinity) {
      if (Number.isNaN(t) || t === Infinity) this.fail(`invalid time ${t}`);
      this.fail(`time goes backwards (${t} < ${this.nowNs})`);
    }
    if (!this.started && code !== OP_PCPUS) this.fail('the first operation must be pcpus');
    // Handlers due before t run first (at their own times); then the state held until t counts.
    if (this.coal !== null && t > this.coal.nextDueNs) this.runHandlers(t);
    this.meter.advance(t);
    this.nowNs = t;
    switch (code) {
      case OP_PCPUS:
        this.opPcpus(t, a);
        break;
      case OP_VCPU_CREATE:
        this.opCreate(t, a, b, c !== 0);
        break;
      case OP_VCPU_DESTROY:
        this.opDestroy(t, this.slotOf(a, b));
        break;
      // The frequent operations read the time from nowNs: a time passed to a call that is not
      // inlined is boxed (a heap allocation per call).
      case OP_BLOCK:
        this.opBlock(a, b, c);
        break;
      case OP_POST:
        this.opPost(a, b);
        break;
      case OP_WAKE:
        this.opWake(a, b);
        break;
      case OP_RUN:
        this.opRun(a, b, c);
        break;
      case OP_PCPU_OFFLINE:
        this.opOffline(t, a);
        break;
      case OP_PCPU_ONLINE:
        this.opOnline(t, a);
        break;
      default:
        this.fail(`unknown operation code ${String(code)}`);
    }
    this.opCounts[code]++;
    this.operations++;
    this.meter.step(t);
  }

  // ---- vCPU table -------------------------------------------------------------------------------

  private growSlots(cap: number): void {
    const S = new Int32Array(cap * W);
    S.set(this.S);
    this.S = S;
    const dom = new Uint32Array(cap);
    dom.set(this.sDom);
    this.sDom = dom;
    const id = new Uint32Array(cap);
    id.set(this.sId);
    this.sId = id;
    this.cap = cap;
    this.coal?.ensureSlots(cap);
  }

  private domIndex(dom: number): number {
    return (dom < 65536 ? this.domDirect[dom] : (this.domMap.get(dom) ?? 0)) - 1;
  }

  /** A free run of n vtab cells (the table doubles when full). */
  private allocSeg(n: number): number {
    while (this.vtabN + n > this.vtab.length) this.vtab = doubled(this.vtab);
    const base = this.vtabN;
    this.vtabN += n;
    return base;
  }

  /** The vtab cell of (dom, vcpu), creating or widening the domain's segment as needed. */
  private cellFor(dom: number, vcpu: number): number {
    let k = this.domIndex(dom);
    if (k < 0) {
      k = this.nDoms++;
      if (k === this.dBase.length) {
        this.dBase = doubled(this.dBase);
        this.dCap = doubled(this.dCap);
        this.dFirst = doubled(this.dFirst);
      }
      if (dom < 65536) this.domDirect[dom] = k + 1;
      else this.domMap.set(dom, k + 1);
      let cap = 8;
      while (cap <= vcpu) cap *= 2;
      this.dBase[k] = this.allocSeg(cap);
      this.dCap[k] = cap;
      this.dFirst[k] = this.nSlots - vcpu;
      this.lastSeg = k;
    } else if (vcpu >= this.dCap[k]) {
      let cap = this.dCap[k];
      while (cap <= vcpu) cap *= 2;
      if (this.lastSeg === k) {
        // The segment ends the table: widen it in place (domains create their vCPUs in a row).
        this.allocSeg(cap - this.dCap[k]);
      } else {
        const base = this.allocSeg(cap);
        this.vtab.copyWithin(base, this.dBase[k], this.dBase[k] + this.dCap[k]);
        this.dBase[k] = base;
        this.lastSeg = k;
      }
      this.dCap[k] = cap;
    }
    this.cellDom = k;
    return this.dBase[k] + vcpu;
  }

  private setState(s: number, st: number): void {
    const i = s * W + FLG;
    this.S[i] = (this.S[i] & ~ST_MASK) | st;
  }

  /** Slot of an existing vCPU, or an input error. */
  private slotOf(dom: number, vcpu: number): number {
    if (dom >>> 0 === dom && vcpu >>> 0 === vcpu) {
      const k = dom < 65536 ? this.domDirect[dom] - 1 : this.domIndex(dom);
      if (k >= 0) {
        // Fast path: a domain's vCPUs are usually created in a row, so slot = first + id; the
        // slot record itself confirms it (one cache line instead of a table lookup as well).
        const f = this.dFirst[k] + vcpu;
        if (f >= 0 && f < this.nSlots) {
          const r = f * W;
          const S = this.S;
          if (S[r + DOMK] === k && S[r + VID] === vcpu && S[r + FLG] & F_ALIVE) return f;
        }
        if (vcpu < this.dCap[k]) {
          const s = this.vtab[this.dBase[k] + vcpu] - 1;
          if (s >= 0) return s;
        }
      }
    }
    return this.fail(`unknown vCPU d${dom}v${vcpu}`);
  }

  private onlinePcpu(p: number): number {
    if (!(p >>> 0 === p && p < this.P)) this.fail(`pCPU ${p} does not exist`);
    if (this.online[p] === 0) this.fail(`pCPU ${p} is offline`);
    return p;
  }

  // ---- operations -------------------------------------------------------------------------------

  private opPcpus(t: number, n: number): void {
    if (this.started) this.fail('pcpus given twice');
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_PCPUS)) this.fail(`bad pCPU count ${n}`);
    this.started = true;
    this.startNs = t;
    const P = (this.P = n);
    this.len = new Int32Array(P);
    this.head = new Int32Array(P).fill(-1);
    this.tail = new Int32Array(P).fill(-1);
    this.online = new Uint8Array(P).fill(1);
    this.maxLen = new Int32Array(P);
    this.inPool = new Uint8Array(P);
    const pool = this.cfg.policy.pool;
    for (const p of pool ?? []) if (p < P) this.inPool[p] = 1;
    if (pool === null) this.inPool.fill(1);
    this.isCand = new Uint8Array(P);
    this.candList = new Int32Array(P);
    this.onlineN = P;
    this.tree = new PcpuTree(P);
    this.dirty = new Uint8Array(P);
    this.dirtyList = new Int32Array(P);
    this.refreshCandidates();
    this.bound = this.computeBound();
    this.meter.start(P, t, this.bound);
    if (this.coalesceNs > 0) {
      this.coal = new PendingWakeups(this.coalesceNs, P);
      this.coal.ensureSlots(this.cap);
    }
    const cols = Math.max(16, Math.min(this.cfg.buckets, Math.floor(MAX_SERIES_CELLS / (P + 3))));
    this.rec = new BucketSeries(P + 3, cols);
    const hint = this.expectedEndNs > t ? (this.expectedEndNs - t) / this.rec.columns : 0;
    this.rec.start(t, hint > 1 ? Math.ceil(hint) : 1, (c) =>
      c < P ? 0 : c === P ? 0 : c === P + 1 ? P : this.bound,
    );
    this.hLog.set(t, 0);
    this.boundLog.set(t, this.bound);
  }

  private opCreate(t: number, dom: number, vcpu: number, pi: boolean): void {
    if (dom >>> 0 !== dom || vcpu >>> 0 !== vcpu || vcpu >= MAX_VCPU_ID)
      this.fail(`bad vCPU id d${dom}v${vcpu}`);
    const cell = this.cellFor(dom, vcpu);
    const k = this.cellDom;
    if (this.vtab[cell] !== 0) this.fail(`vCPU d${dom}v${vcpu} created twice`);
    if (this.nSlots === this.cap) this.growSlots(this.cap * 2);
    const s = this.nSlots++;
    this.vtab[cell] = s + 1;
    this.sDom[s] = dom;
    this.sId[s] = vcpu;
    this.S[s * W + LIST] = -1;
    this.S[s * W + RES] = -1;
    this.S[s * W + BLK] = -1;
    this.S[s * W + FLG] = pi ? F_PI | F_ALIVE : F_ALIVE;
    this.S[s * W + DOMK] = k;
    this.S[s * W + VID] = vcpu;
    this.setState(s, RUNNABLE);
    this.hAll++;
    if (pi) this.hPi++;
    this.hChanged(t);
  }

  private opDestroy(t: number, s: number): void {
    if (this.S[s * W + LIST] >= 0) this.unlink(s);
    const k = this.S[s * W + DOMK];
    this.vtab[this.dBase[k] + this.sId[s]] = 0;
    this.S[s * W + FLG] &= ~F_ALIVE;
    this.hAll--;
    if (this.S[s * W + FLG] & F_PI) this.hPi--;
    this.hChanged(t);
  }

  private hChanged(t: number): void {
    const P = this.P;
    this.rec.set(P, t, this.hAll);
    this.hLog.set(t, this.hAll);
    this.boundChanged(t);
  }

  private boundChanged(t: number): void {
    const b = this.computeBound();
    if (b !== this.bound) {
      this.bound = b;
      this.meter.boundTo(b);
      this.rec.set(this.P + 2, t, b);
      this.boundLog.set(t, b);
    }
  }

  private computeBound(): number {
    const h = this.hPiOnly ? this.hPi : this.hAll;
    return Math.floor(h / this.candN) + this.K;
  }

  private opBlock(dom: number, vcpu: number, pcpu: number): void {
    const s = this.slotOf(dom, vcpu);
    const p = this.onlinePcpu(pcpu);
    this.setState(s, BLOCKED);
    if ((this.S[s * W + FLG] & F_PI) === 0) return;
    if (this.S[s * W + LIST] >= 0) {
      this.unlink(s);
      this.anomalies++;
    }
    const q = this.place(p);
    this.S[s * W + FLG] &= ~F_ON;
    this.S[s * W + BLK] = p;
    if (q !== p) this.remote++;
    this.link(s, q);
  }

  private opRun(dom: number, vcpu: number, pcpu: number): void {
    const s = this.slotOf(dom, vcpu);
    this.onlinePcpu(pcpu);
    if (this.S[s * W + LIST] >= 0) this.unlink(s);
    this.S[s * W + FLG] &= ~F_ON;
    this.setState(s, RUNNING);
  }

  private opWake(dom: number, vcpu: number): void {
    const s = this.slotOf(dom, vcpu);
    if ((this.S[s * W + FLG] & ST_MASK) === BLOCKED) this.setState(s, RUNNABLE);
  }

  private opPost(dom: number, vcpu: number): void {
    const s = this.slotOf(dom, vcpu);
    const q = this.S[s * W + LIST];
    if (q < 0 || this.S[s * W + FLG] & F_ON) {
      this.S[s * W + FLG] |= F_ON;
      return;
    }
    this.S[s * W + FLG] |= F_ON;
    if (this.coal !== null) {
      // Coalesced: the entry waits, ON set, for its list's handler (one walk for every ON entry).
      this.coal.posted(s, q, this.nowNs);
      return;
    }
    // Wakeup interrupt on q: the walk visits every entry, but only entries with ON set leave, and
    // between operations the posted vCPU is the only listed one with ON set (block clears ON,
    // every post removes its vCPU at once, fix-up wakes ON entries), so the cost is counted.
    this.countWalk(this.len[q]);
    this.unlink(s);
    this.setState(s, RUNNABLE);
  }

  /** One wakeup interrupt walking a list of L entries. */
  private countWalk(L: number): void {
    this.wakeups++;
    this.walked += L;
    if (L >= this.walkHist.length) {
      let n = this.walkHist.length;
      while (n <= L) n *= 2;
      const h = new Float64Array(n);
      h.set(this.walkHist);
      this.walkHist = h;
    }
    this.walkHist[L]++;
  }

  /**
   * Coalesced wakeups: runs every handler due before `until`, each at its due time: it walks its
   * whole list and removes every entry with ON set (they become runnable).
   */
  private runHandlers(until: number): void {
    const c = this.coal!;
    for (let q = c.takeDueBefore(until); q >= 0; q = c.takeDueBefore(until)) {
      this.meter.advance(c.dueNs);
      this.nowNs = c.dueNs;
      this.countWalk(this.len[q]);
      for (let s = c.firstOn(q); s >= 0; s = c.firstOn(q)) {
        this.unlink(s);
        this.setState(s, RUNNABLE);
      }
    }
  }

  private opOffline(t: number, p: number): void {
    if (!(p >>> 0 === p && p < this.P)) this.fail(`pCPU ${p} does not exist`);
    if (this.online[p] === 0) this.fail(`pCPU ${p} is already offline`);
    if (this.onlineN === 1) this.fail(`pCPU ${p} is the last online pCPU`);
    this.online[p] = 0;
    this.onlineN--;
    this.hotplugChanged(t, p, 0);
    const live = this.treeLive;
    if (this.cycleFixup && !live) {
      this.treeLive = true;
      this.rebuildTree();
    }
    const lim = this.limit();
    for (let s = this.head[p]; s >= 0;) {
      const nx = this.S[s * W + NEXT];
      this.unlink(s);
      if (this.S[s * W + FLG] & F_ON) {
        this.setState(s, RUNNABLE);
      } else {
        let q: number;
        if (this.cycleFixup) {
          q = this.syncTree().firstBelowCyclic(p + 1 < this.P ? p + 1 : 0, lim);
          if (q < 0) {
            q = this.tree.argmin();
            this.overflows++;
          }
        } else {
          q = this.candList[this.rng.below(this.candN)];
        }
        this.link(s, q);
        this.fixupMoves++;
      }
      s = nx;
    }
    this.treeLive = live;
    // Its ON entries were woken by the fix-up: a pending handler finds nothing to walk.
    this.coal?.cancel(p);
  }

  private opOnline(t: number, p: number): void {
    if (!(p >>> 0 === p && p < this.P)) this.fail(`pCPU ${p} does not exist`);
    if (this.online[p] === 1) this.fail(`pCPU ${p} is already online`);
    this.online[p] = 1;
    this.onlineN++;
    this.hotplugChanged(t, p, 1);
  }

  private hotplugChanged(t: number, p: number, on: number): void {
    this.refreshCandidates();
    this.rec.set(this.P + 1, t, this.onlineN);
    this.pLogT.push(t);
    this.pLogP.push(p);
    this.pLogOn.push(on);
    this.boundChanged(t);
  }

  /** Candidates: online pool members, or every online pCPU if no pool member is online. O(P). */
  private refreshCandidates(): void {
    let n = 0;
    for (let p = 0; p < this.P; p++) if (this.online[p] && this.inPool[p]) n++;
    const usePool = n > 0;
    n = 0;
    for (let p = 0; p < this.P; p++) {
      const c = this.online[p] && (this.inPool[p] || !usePool) ? 1 : 0;
      this.isCand[p] = c;
      if (c) this.candList[n++] = p;
    }
    this.candN = n;
    if (this.treeLive) this.rebuildTree();
  }

  private rebuildTree(): void {
    this.tree.rebuild((p) => (this.isCand[p] ? this.len[p] : NONE));
    for (let i = 0; i < this.nDirty; i++) this.dirty[this.dirtyList[i]] = 0;
    this.nDirty = 0;
  }

  /** The tree with every length change applied (leaf = length of a candidate, else NONE). */
  private syncTree(): PcpuTree {
    const n = this.nDirty;
    if (n > 0) {
      for (let i = 0; i < n; i++) {
        const q = this.dirtyList[i];
        this.dirty[q] = 0;
        if (this.isCand[q]) this.tree.set(q, this.len[q]);
      }
      this.nDirty = 0;
    }
    return this.tree;
  }

  /** Marks pCPU q's length as changed for the tree (a no-op while the tree is not live). */
  private touch(q: number): void {
    if (this.treeLive && this.dirty[q] === 0) {
      this.dirty[q] = 1;
      this.dirtyList[this.nDirty++] = q;
    }
  }

  private limit(): number {
    return this.inclusive ? this.bound + 1 : this.bound;
  }

  /** The policy's list for a vCPU blocking on local pCPU p. */
  private place(p: number): number {
    switch (this.policyCode) {
      case P_UPSTREAM:
        return p;
      case P_SERIES: {
        const lim = this.limit();
        // The search's usual answer, read without the tree: its leaf for p holds this value.
        if ((this.isCand[p] ? this.len[p] : NONE) < lim) return p;
        const q = this.syncTree().firstBelowCyclic(p, lim);
        if (q >= 0) return q;
        this.overflows++;
        return this.tree.argmin();
      }
      case P_LEAST:
        return this.syncTree().argmin();
      case P_TWO: {
        const r = this.candList[this.rng.below(this.candN)];
        return this.len[r] < this.len[p] ? r : p;
      }
      default: {
        const lim = this.limit();
        for (let i = 0; i < RUB_TRIES; i++) {
          const r = this.candList[this.rng.below(this.candN)];
          if (this.len[r] < lim) return r;
        }
        const q = this.syncTree().firstBelowCyclic(this.candList[this.rng.below(this.candN)], lim);
        if (q >= 0) return q;
        this.overflows++;
        return this.tree.argmin();
      }
    }
  }

  // ---- lists ------------------------------------------------------------------------------------

  /** Appends slot s to list q at time nowNs. */
  private link(s: number, q: number): void {
    const t = this.nowNs;
    const tl = this.tail[q];
    this.S[s * W + PREV] = tl;
    this.S[s * W + NEXT] = -1;
    if (tl >= 0) this.S[tl * W + NEXT] = s;
    else this.head[q] = s;
    this.tail[q] = s;
    this.S[s * W + LIST] = q;
    const L = ++this.len[q];
    this.meter.grew(L);
    this.touch(q);
    this.rec.set(q, t, L);
    if (L > this.maxLen[q]) {
      this.maxLen[q] = L;
      if (L > this.maxAll) {
        this.maxAll = L;
        this.maxP = q;
        this.maxT = t;
        this.boundAtMax = this.bound;
      }
    }
    if (L > this.bound) {
      this.overBound++;
      this.rec.tick(q, t);
    }
    if (this.res.n < this.maxResidencies) {
      this.S[s * W + RES] = this.res.push(s, q, this.S[s * W + BLK], t);
    } else {
      if (this.resTruncatedAt === null) this.resTruncatedAt = t;
      this.S[s * W + RES] = -1;
    }
  }

  /** Removes slot s from its list at time nowNs. */
  private unlink(s: number): void {
    const t = this.nowNs;
    const q = this.S[s * W + LIST];
    const pv = this.S[s * W + PREV];
    const nx = this.S[s * W + NEXT];
    if (pv >= 0) this.S[pv * W + NEXT] = nx;
    else this.head[q] = nx;
    if (nx >= 0) this.S[nx * W + PREV] = pv;
    else this.tail[q] = pv;
    this.S[s * W + LIST] = -1;
    const L = --this.len[q];
    this.meter.shrank(L);
    if (this.coal !== null && this.S[s * W + FLG] & F_ON) this.coal.left(s, q);
    this.touch(q);
    this.rec.set(q, t, L);
    const r = this.S[s * W + RES];
    if (r >= 0) this.leaves.push(r, t);
    this.S[s * W + RES] = -1;
  }

  // ---- inspection (tests) -----------------------------------------------------------------------

  /** model.md's invariants, checked in O(vCPUs); returns the first violation or null. */
  checkInvariants(): string | null {
    let total = 0;
    const seen = new Uint8Array(this.nSlots);
    for (let p = 0; p < this.P; p++) {
      let n = 0;
      for (let s = this.head[p]; s >= 0; s = this.S[s * W + NEXT]) {
        if (seen[s]) return `vCPU slot ${s} on two lists`;
        seen[s] = 1;
        if (this.S[s * W + LIST] !== p)
          return `slot ${s} listOf ${this.S[s * W + LIST]} but on list ${p}`;
        if (this.S[s * W + FLG] & F_ON && !this.coal?.pending(p))
          return `listed slot ${s} has ON set and no handler is pending on ${p}`;
        n++;
      }
      if (n !== this.len[p]) return `pCPU ${p}: counter ${this.len[p]} but ${n} entries`;
      if (this.coal !== null) {
        const on = this.coal.onEntries(p);
        for (const s of on)
          if (this.S[s * W + LIST] !== p || !(this.S[s * W + FLG] & F_ON))
            return `slot ${s} in the ON chain of ${p} but not listed there with ON set`;
        let nOn = 0;
        for (let s = this.head[p]; s >= 0; s = this.S[s * W + NEXT])
          if (this.S[s * W + FLG] & F_ON) nOn++;
        if (nOn !== on.length) return `pCPU ${p}: ${nOn} ON entries, ${on.length} in its chain`;
      }
      if (!this.online[p] && n > 0) return `offline pCPU ${p} holds ${n} entries`;
      total += n;
    }
    for (let s = 0; s < this.nSlots; s++)
      if (this.S[s * W + LIST] >= 0 && !seen[s]) return `slot ${s}`;
    if (total > this.hAll) return `sum of lengths ${total} > H ${this.hAll}`;
    return null;
  }

  /** Current list of pCPU p as [dom, vcpu] pairs in list order. */
  listOfPcpu(p: number): [number, number][] {
    const out: [number, number][] = [];
    for (let s = this.head[p]; s >= 0; s = this.S[s * W + NEXT])
      out.push([this.sDom[s], this.sId[s]]);
    return out;
  }

  lengths(): number[] {
    return Array.from(this.len);
  }

  get currentBound(): number {
    return this.bound;
  }

  /** The pCPU whose list holds (dom, vcpu), or -1 (not listed, or no such vCPU). The trace
   *  writer reads the model's placements through this to write the PI list records. */
  listOfVcpu(dom: number, vcpu: number): number {
    const k = this.domIndex(dom);
    if (k < 0 || !(vcpu >>> 0 === vcpu && vcpu < this.dCap[k])) return -1;
    const s = this.vtab[this.dBase[k] + vcpu] - 1;
    return s >= 0 ? this.S[s * W + LIST] : -1;
  }

  listLength(p: number): number {
    return this.len[p] ?? 0;
  }

  get wakeupCount(): number {
    return this.wakeups;
  }

  // ---- results ----------------------------------------------------------------------------------

  finish(): RunResult {
    // Coalesced wakeups: handlers still pending run at their due times (the run ends after them).
    if (this.coal !== null) this.runHandlers(Infinity);
    const P = this.P;
    const opCounts: Partial<Record<OpName, number>> = {};
    OP_NAMES.forEach((name, i) => {
      if (this.opCounts[i] > 0) opCounts[name] = this.opCounts[i];
    });
    let nVals = 0;
    for (let i = 0; i < this.walkHist.length; i++) if (this.walkHist[i] > 0) nVals++;
    const walkValues = new Uint32Array(nVals);
    const walkCounts = new Float64Array(nVals);
    for (let i = 0, k = 0; i < this.walkHist.length; i++) {
      if (this.walkHist[i] > 0) {
        walkValues[k] = i;
        walkCounts[k++] = this.walkHist[i];
      }
    }
    const { walkNsPerEntry, interruptEntryNs } = this.cfg.costs;
    const summary: RunSummary = {
      policy: this.cfg.policy.policy,
      K: this.K,
      pcpus: P,
      H: this.hAll,
      onlinePcpus: this.onlineN,
      bound: this.bound,
      wakeupInterrupts: this.wakeups,
      walked: this.walked,
      remotePlacements: this.remote,
      fixupMoves: this.fixupMoves,
      anomalies: this.anomalies,
      boundOverflows: this.overflows,
      maxListLength: this.maxAll,
      maxListPcpu: this.maxP,
      maxListAtNs: this.maxT,
      boundAtMax: this.boundAtMax,
      perPcpu: Array.from({ length: P }, (_, p) => ({
        pcpu: p,
        maxLength: this.maxLen[p],
        finalLength: this.len[p],
      })),
      opCounts,
      walkStats: nVals ? histogramStats(walkValues, walkCounts) : { ...EMPTY_STATS },
      walkTimeNsStats: nVals
        ? histogramStats(walkValues, walkCounts, (v) => interruptEntryNs + walkNsPerEntry * v)
        : { ...EMPTY_STATS },
      overBoundInsertions: this.overBound,
      startNs: this.startNs,
      endNs: this.nowNs,
      operations: this.operations,
      vcpus: this.nSlots,
      domains: this.nDoms,
      listIndexTruncatedAtNs: this.resTruncatedAt,
      costs: { ...this.cfg.costs },
      ...this.meter.figures(this.nowNs),
      ...(this.coal !== null && {
        coalesceNs: this.coalesceNs,
        coalescedPosts: this.coal.joined,
        cancelledWakeups: this.coal.cancelled,
      }),
    };
    if (!this.started) {
      return { summary, timeline: { t0Ns: 0, bucketNs: 1, buckets: 0 }, series: {} };
    }
    const used = this.rec.finish(this.nowNs);
    // The per-pCPU columns go straight into their saved types.
    const nl = P * used;
    const lens = {
      min: new Uint32Array(nl),
      max: new Uint32Array(nl),
      last: new Uint32Array(nl),
      mean: new Float32Array(nl),
      count: new Uint32Array(nl),
    };
    this.rec.extractTo(0, P, used, this.nowNs, lens);
    const glob = this.rec.extract(P, P + 3, used, this.nowNs);
    const row = (a: Float64Array, c: number) => a.slice(c * used, (c + 1) * used);
    const series: SeriesSet = {
      'len.min': lens.min,
      'len.max': lens.max,
      'len.last': lens.last,
      'len.mean': lens.mean,
      overbound: lens.count,
      h: row(glob.last, 0),
      'h.max': row(glob.max, 0),
      online: row(glob.last, 1),
      bound: row(glob.last, 2),
      'bound.min': row(glob.min, 2),
      'walk.values': walkValues,
      'walk.counts': walkCounts,
      'res.vcpu': this.res.takeVcpu(),
      'res.pcpu': this.res.takePcpu(),
      'res.blockedOn': this.res.takeBlockedOn(),
      'res.tIn': this.res.takeTimeIn(),
      'res.tOut': this.leaves.scatter(this.res.n),
      'vcpu.dom': this.sDom.slice(0, this.nSlots),
      'vcpu.id': this.sId.slice(0, this.nSlots),
      'log.h.t': this.hLog.t.take(),
      'log.h.v': this.hLog.v.take(),
      'log.bound.t': this.boundLog.t.take(),
      'log.bound.v': this.boundLog.v.take(),
      'log.hotplug.t': this.pLogT.take(),
      'log.hotplug.pcpu': this.pLogP.take(),
      'log.hotplug.online': this.pLogOn.take(),
    };
    return {
      summary,
      timeline: { t0Ns: this.rec.t0, bucketNs: this.rec.width, buckets: used },
      series,
    };
  }
}
