/**
 * The stochastic workload generator: a producer of model.md operations. Each PI vCPU cycles
 * run -> block -> (device post | other wake) -> run, with seeded random times, one pending event
 * per vCPU in a typed-array heap; domains may be created and destroyed (H and the bound move) and
 * pCPUs taken offline and online on a schedule. Non-PI vCPUs are created and destroyed (they count
 * in H) but not cycled: none of their operations can change a list.
 */
import { OpCode } from '../../shared/ops';
import type { OpSink } from '../../shared/ops';
import type { Workload } from '../../shared/params';
import { EngineCancelled } from './errors';
import { EventHeap } from './event-heap';
import { RadixQueue } from './radix-queue';
import { Rng } from './rng';
import { doubled } from './growable';

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
/** Generator-side vCPU states (what the vCPU's pending event will do). */
const TO_RUN = 0;
const TO_BLOCK = 1;
const TO_WAKE = 2;
/**
 * A pending event's value carries the vCPU's whole generator state, so processing an event reads
 * no per-vCPU memory (4M vCPUs are visited in random order): value = (slot * 4 + state) * PMUL +
 * pCPU it runs on. A slot is domainSeq * vcpusPerDomain + vcpu id.
 */
const PMUL = 8192;
const INV_PMUL = 1 / PMUL;

/** Pending events up to which the binary heap beats the radix heap. */
const SMALL_QUEUE = 1 << 16;

/** Events between progress reports / cancellation checks (about a millisecond of work). */
const CHECK_EVERY = 4096;

export interface GeneratorHooks {
  progress?: (fraction: number, detail: string) => void;
  cancelled?: () => boolean;
}

export class WorkloadGenerator {
  private readonly w: Workload;
  private readonly rng: Rng;
  private readonly heap: RadixQueue | EventHeap;
  private readonly uniform: boolean;
  private readonly P: number;
  private readonly vpd: number;
  private readonly online: Uint8Array;
  private onlineN: number;
  /** Per domain, in creation order: its id and whether it is alive. */
  private domId = new Uint32Array(1024);
  private domAlive = new Uint8Array(1024);
  private nDomains = 0;
  /** Creation-order indices of the live domains (churn picks one at random). */
  private readonly live: number[] = [];
  private nextDomId = 1;
  ops = 0;

  constructor(w: Workload, seed: number) {
    this.w = w;
    // A stream distinct from the engine's (which draws from `seed` for random policies).
    this.rng = new Rng((seed ^ 0x5bd1e995) >>> 0);
    this.uniform = w.dist === 'uniform';
    this.P = w.pcpus;
    this.vpd = w.vcpusPerDomain;
    this.online = new Uint8Array(this.P).fill(1);
    this.onlineN = this.P;
    // A binary heap while the pending events fit in cache, a radix heap beyond (both measured in
    // bench/engine.ts); the choice depends on the parameters only, so runs stay reproducible.
    const pending = w.domains * w.vcpusPerDomain * w.piFraction;
    this.heap = pending <= SMALL_QUEUE ? new EventHeap(1024) : new RadixQueue();
  }

  private sample(mean: number): number {
    return this.uniform ? mean * (0.5 + this.rng.float()) : this.rng.exp(mean);
  }

  private emit(sink: OpSink, code: OpCode, t: number, a: number, b: number, c: number): void {
    sink.op(code, t, a, b, c);
    this.ops++;
  }

  private createDomain(sink: OpSink, t: number, hooks: GeneratorHooks): void {
    const w = this.w;
    const pi = this.rng.float() < w.piFraction;
    const k = this.nDomains++;
    if (k === this.domId.length) {
      this.domId = doubled(this.domId);
      this.domAlive = doubled(this.domAlive);
    }
    const id = this.nextDomId++;
    this.domId[k] = id;
    this.domAlive[k] = 1;
    this.live.push(k);
    for (let v = 0; v < this.vpd; v++) {
      const slot = k * this.vpd + v;
      this.emit(sink, OP_VCPU_CREATE, t, id, v, pi ? 1 : 0);
      if (pi) {
        const home = w.placement === 'spread' ? slot % this.P : 0;
        this.heap.push(
          Math.round(t + this.sample(w.wakeToRunNs)),
          (slot * 4 + TO_RUN) * PMUL + home,
        );
      }
      if ((this.ops & (CHECK_EVERY - 1)) === 0) this.check(hooks, t);
    }
  }

  private destroyDomain(sink: OpSink, t: number, i: number): void {
    const k = this.live[i];
    this.live[i] = this.live[this.live.length - 1];
    this.live.pop();
    this.domAlive[k] = 0;
    for (let v = 0; v < this.vpd; v++) this.emit(sink, OP_VCPU_DESTROY, t, this.domId[k], v, 0);
  }

  /** First online pCPU at or after p, cycling (where a vCPU of an offline pCPU runs instead). */
  private onlineFrom(p: number): number {
    for (let i = 0; i < this.P; i++) {
      const q = p + i < this.P ? p + i : p + i - this.P;
      if (this.online[q]) return q;
    }
    return 0;
  }

  private check(hooks: GeneratorHooks, t: number): void {
    if (hooks.cancelled?.()) throw new EngineCancelled();
    if (hooks.progress) {
      const ops = this.ops >= 1e6 ? `${(this.ops / 1e6).toFixed(1)} M` : `${this.ops}`;
      hooks.progress(t / this.w.durationNs, `${ops} ops, t = ${formatNs(t)} virtual`);
    }
  }

  /** Emits the whole run into `sink` (starting with `pcpus`), up to the workload's duration. */
  run(sink: OpSink, hooks: GeneratorHooks = {}): void {
    const w = this.w;
    const end = w.durationNs;
    this.emit(sink, OP_PCPUS, 0, this.P, 0, 0);
    for (let i = 0; i < w.domains; i++) this.createDomain(sink, 0, hooks);
    const hot = w.hotplug
      .map((h, i) => ({ ...h, i }))
      .sort((a, b) => a.tNs - b.tNs || a.i - b.i)
      .map((h) => ({ ...h, tNs: Math.round(h.tNs) }));
    let hi = 0;
    const churnGap = w.domainChurnPerSec > 0 ? 1e9 / w.domainChurnPerSec : 0;
    let churnT = churnGap > 0 ? Math.round(this.rng.exp(churnGap)) : Infinity;
    const maxAlive = Math.max(1, 2 * w.domains);
    const heap = this.heap;
    const vpd = this.vpd;
    const P = this.P;
    const rng = this.rng;
    const uniform = this.uniform;
    const { runNs, blockNs, wakeToRunNs, otherWakeProb } = w;
    const randomPlacement = w.placement === 'random';
    const spreadPlacement = w.placement === 'spread';
    let th = hot.length > 0 ? hot[0].tNs : Infinity;
    let steps = 0;
    for (;;) {
      const tv = heap.topKey;
      if (!(tv < th && tv < churnT)) {
        // A hotplug or churn event is due first (at equal times: hotplug, churn, then vCPUs).
        const t = Math.min(th, churnT);
        if (t > end || t === Infinity) break;
        if (++steps === CHECK_EVERY) {
          steps = 0;
          this.check(hooks, t);
        }
        if (th === t) {
          const h = hot[hi++];
          th = hi < hot.length ? hot[hi].tNs : Infinity;
          if (h.pcpu >= P) continue;
          if (h.online && !this.online[h.pcpu]) {
            this.online[h.pcpu] = 1;
            this.onlineN++;
            this.emit(sink, OP_PCPU_ONLINE, t, h.pcpu, 0, 0);
          } else if (!h.online && this.online[h.pcpu] && this.onlineN > 1) {
            this.online[h.pcpu] = 0;
            this.onlineN--;
            this.emit(sink, OP_PCPU_OFFLINE, t, h.pcpu, 0, 0);
          }
        } else {
          const alive = this.live.length;
          if (alive === 0 || (alive < maxAlive && rng.float() < 0.5))
            this.createDomain(sink, t, hooks);
          else this.destroyDomain(sink, t, rng.below(alive));
          churnT = Math.round(t + rng.exp(churnGap));
        }
        continue;
      }
      // A vCPU event (the hot path).
      const t = tv;
      if (t > end) break;
      if (++steps === CHECK_EVERY) {
        steps = 0;
        this.check(hooks, t);
      }
      const val = heap.topVal;
      // val * (1 / PMUL) is val / PMUL exactly (a power of two), a multiplication instead of a
      // division; floor and multiply-back avoid a float modulo.
      const rest = Math.floor(val * INV_PMUL);
      let p = val - rest * PMUL;
      const state = rest & 3;
      const slot = rest >>> 2;
      const k = (slot / vpd) | 0;
      if (this.domAlive[k] === 0) {
        heap.pop();
        continue;
      }
      const d = this.domId[k];
      const v = slot - k * vpd;
      let mean: number;
      let next: number;
      if (state === TO_RUN) {
        if (randomPlacement) p = rng.below(P);
        else if (spreadPlacement) p = slot % P;
        else p = 0;
        if (!this.online[p]) p = this.onlineFrom(p);
        this.emit(sink, OP_RUN, t, d, v, p);
        mean = runNs;
        next = TO_BLOCK;
      } else if (state === TO_BLOCK) {
        if (!this.online[p]) {
          // Its pCPU went offline while it ran: the scheduler moved it first.
          p = this.onlineFrom(p);
          this.emit(sink, OP_RUN, t, d, v, p);
        }
        this.emit(sink, OP_BLOCK, t, d, v, p);
        mean = blockNs;
        next = TO_WAKE;
      } else {
        const other = rng.float() < otherWakeProb;
        this.emit(sink, other ? OP_WAKE : OP_POST, t, d, v, 0);
        mean = wakeToRunNs;
        next = TO_RUN;
      }
      // this.sample(mean), written out: one call site, so the hot loop inlines it.
      const u = rng.float();
      const dt = uniform ? mean * (0.5 + u) : -Math.log(1 - u) * mean;
      heap.replaceTop(Math.round(t + dt), (slot * 4 + next) * PMUL + p);
    }
  }
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} us`;
  return `${ns} ns`;
}
