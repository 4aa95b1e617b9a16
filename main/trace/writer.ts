/**
 * Op stream -> xentrace dump, with upstream scheduler ids, so xenalyze and other xentrace tools
 * read our simulations (docs/trace-import.md, "Writer"). Each pCPU's records collect in its own
 * buffer and go out as a window (CPU_CHANGE + records) when it fills, like xentrace's passes; the
 * whole file is never in memory. TSCs rise strictly across the stream, so the reader's merge
 * gives back the input order.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { OpCode, opToCompact, type Op, type OpSink } from '../../shared/ops';
import type { PolicyConfigInput } from '../../shared/params';
import {
  CPU_CHANGE_HEADER,
  DOMID_IDLE,
  RUNSTATE_BLOCKED,
  RUNSTATE_OFFLINE,
  RUNSTATE_RUNNABLE,
  RUNSTATE_RUNNING,
  TRC_HVM_VMENTRY,
  TRC_HVM_VMEXIT64,
  TRC_SCHED_DOM_ADD,
  TRC_SCHED_DOM_REM,
  TRC_SCHED_SWITCH,
  TRC_SCHED_SWITCH_INFNEXT,
  TRC_SCHED_SWITCH_INFPREV,
  runstateId,
} from './format';
import { isOpColumns, type OpColumns } from './op-columns';
import { ListRecorder } from './list-recorder';

export interface WriteOptions {
  /** TSC rate used to turn op times into cycles (default 2.4 GHz, xenalyze's default). */
  cpuHz?: number;
  /** Also write PI list add / delete records with these ids (payload: dom, vcpu, list pCPU). */
  listIds?: { add: number; del: number };
  /** Bytes a pCPU collects before its window is written (default 64 KiB). */
  windowBytes?: number;
  /**
   * VMEXIT64 / VMENTRY pairs written after each `run` (default 0), so the dump looks like a
   * `-e all` dump of busy HVM guests, where scheduler records are a small share (benchmarks).
   */
  guestExitsPerRun?: number;
  /**
   * Write the lab's PI list records (pi-records.ts; default true): each list add / delete and
   * wakeup interrupt as the host model makes them under `placement`, plus a domain record per
   * domain. false gives a plain upstream-looking dump.
   */
  piRecords?: boolean;
  /** Policy (and seed, for its random choices) whose lists the PI records show: the run's own.
   *  Default upstream. */
  placement?: { policy: PolicyConfigInput; seed?: number };
}

export interface WriteSummary {
  bytes: number;
  records: number;
  /** pcpu_offline / pcpu_online ops: Xen traces no hotplug event, so they are left out. */
  skippedOps: number;
}

const TSC_BASE = 1_000_000_000_000;

interface VcpuTrack {
  /** Xen runstate as written so far. */
  state: number;
  /** Last pCPU it ran or blocked on (where its wake-up is written). */
  pcpu: number;
  /** pCPU it is current on, or -1. */
  current: number;
  listed: number;
}

/** Windows of records into a file descriptor (also used by tests to write hand-made dumps). */
export class DumpWriter {
  private readonly out = new Uint8Array(8 << 20);
  private readonly out32 = new Uint32Array(this.out.buffer);
  private outLen = 0;
  private bufs: Uint32Array[] = [];
  private lens: number[] = [];
  private windowWords: number;
  private lastTsc = 0;
  private lastCpu = -1;
  bytes = 0;
  records = 0;

  constructor(
    private readonly fd: number,
    windowBytes: number,
  ) {
    this.windowWords = windowBytes >>> 2;
  }

  setPcpus(n: number): void {
    const had = this.bufs.length;
    if (had === 0)
      this.windowWords = Math.max(1024, Math.min(this.windowWords, Math.floor((16 << 20) / n)));
    while (this.bufs.length < n) {
      this.bufs.push(new Uint32Array(this.windowWords));
      this.lens.push(0);
    }
    // An empty window per pCPU, so every pCPU of the host is seen even if it never wrote.
    for (let p = had; p < n; p++) this.window(p, new Uint32Array(0));
  }

  tscFor(t: number, hz: number): number {
    let tsc = TSC_BASE + Math.round((t * hz) / 1e9);
    if (tsc <= this.lastTsc) tsc = this.lastTsc + 1;
    this.lastTsc = tsc;
    return tsc;
  }

  /** One TSC-carrying record with n (0..4) extra words. */
  record(cpu: number, id: number, tsc: number, n: number, w1 = 0, w2 = 0, w3 = 0, w4 = 0): void {
    if (cpu >= this.bufs.length) this.setPcpus(cpu + 1);
    // TSCs never fall, and rise whenever the writing pCPU changes: at a tie across pCPUs
    // xenalyze may take the later pCPU's record first (a vCPU switched in on one pCPU before it
    // is switched out of another is FATAL for it), and the reader's merge must return this order.
    if (tsc < this.lastTsc) tsc = this.lastTsc;
    if (cpu !== this.lastCpu && tsc === this.lastTsc && this.lastCpu >= 0) tsc++;
    this.lastTsc = tsc;
    this.lastCpu = cpu;
    const words = 3 + n;
    if (this.lens[cpu] + words > this.windowWords) this.flush(cpu);
    const b = this.bufs[cpu];
    let o = this.lens[cpu];
    b[o++] = (0x80000000 | (n << 28) | id) >>> 0;
    b[o++] = tsc % 4294967296;
    b[o++] = Math.floor(tsc / 4294967296);
    if (n > 0) b[o++] = w1;
    if (n > 1) b[o++] = w2;
    if (n > 2) b[o++] = w3;
    if (n > 3) b[o++] = w4;
    this.lens[cpu] = o;
    this.records++;
  }

  private flush(cpu: number): void {
    if (this.lens[cpu] === 0) return;
    this.window(cpu, this.bufs[cpu].subarray(0, this.lens[cpu]));
    this.lens[cpu] = 0;
  }

  private window(cpu: number, data: Uint32Array): void {
    if (this.outLen + 12 + data.byteLength > this.out.length) this.drain();
    const w = this.outLen >>> 2;
    this.out32[w] = CPU_CHANGE_HEADER;
    this.out32[w + 1] = cpu;
    this.out32[w + 2] = data.byteLength;
    this.out32.set(data, w + 3);
    this.outLen += 12 + data.byteLength;
    this.records++;
  }

  private drain(): void {
    let done = 0;
    while (done < this.outLen) done += writeSync(this.fd, this.out, done, this.outLen - done);
    this.bytes += this.outLen;
    this.outLen = 0;
  }

  finish(): void {
    for (let p = 0; p < this.bufs.length; p++) this.flush(p);
    this.drain();
  }
}

/**
 * An OpSink that writes the dump as the ops arrive, so a producer (the workload generator) can
 * stream a run of any length to disk. `close()` flushes and returns the summary.
 */
export class TraceWriterSink implements OpSink {
  private readonly w: DumpWriter;
  private readonly vcpus = new Map<number, VcpuTrack>();
  private readonly hz: number;
  private readonly list?: { add: number; del: number };
  private readonly exits: number;
  private P = 0;
  private skipped = 0;
  /** Per pCPU: key of the current vCPU (-1: idle) and the TSC it was switched in at. */
  private readonly cur: number[] = [];
  private readonly since: number[] = [];
  private closed = false;
  /** The host model beside the writer, for the PI records (null: no PI records). */
  private readonly lists: ListRecorder | null;
  /** Live vCPUs per domain (a domain's last destroy is Xen's domain destroy). */
  private readonly domLive = new Map<number, number>();

  constructor(
    private readonly fd: number,
    opts: WriteOptions = {},
  ) {
    this.hz = opts.cpuHz ?? 2.4e9;
    this.list = opts.listIds;
    this.exits = opts.guestExitsPerRun ?? 0;
    this.w = new DumpWriter(fd, opts.windowBytes ?? 64 << 10);
    this.lists = opts.piRecords === false ? null : new ListRecorder(this.w, opts.placement);
  }

  private unlist(v: VcpuTrack, dom: number, vcpu: number, tsc: number): void {
    if (this.list && v.listed >= 0)
      this.w.record(v.listed, this.list.del, tsc, 3, dom, vcpu, v.listed);
    v.listed = -1;
  }

  /**
   * Xen runs one vCPU per pCPU and says so with SWITCH_INFPREV / INFNEXT / SWITCH and a runstate
   * change for each side; xenalyze follows each pCPU's current vCPU through them. The model
   * lets several vCPUs "run" on a pCPU, so the one being displaced is written as preempted
   * (running->runnable) and switched back in before it blocks; a reader rebuilds an extra `run`
   * for it, which changes no list (it is not listed while it runs).
   */
  private switchTo(p: number, next: number, nextState: number, prevTo: number, tsc: number): void {
    const w = this.w;
    const prev = this.cur[p];
    const pd = prev >= 0 ? Math.floor(prev / 65536) : DOMID_IDLE;
    const pv = prev >= 0 ? prev % 65536 : p;
    const nd = next >= 0 ? Math.floor(next / 65536) : DOMID_IDLE;
    const nv = next >= 0 ? next % 65536 : p;
    const ran = this.since[p] >= 0 ? Math.round(((tsc - this.since[p]) * 1e9) / this.hz) : 0;
    w.record(p, TRC_SCHED_SWITCH_INFPREV, tsc, 3, pd, pv, ran);
    w.record(p, TRC_SCHED_SWITCH_INFNEXT, tsc, 4, nd, nv, 0, 0);
    w.record(p, TRC_SCHED_SWITCH, tsc, 4, pd, pv, nd, nv);
    w.record(p, runstateId(RUNSTATE_RUNNING, prevTo), tsc, 1, ((pd << 16) | pv) >>> 0);
    w.record(p, runstateId(nextState, RUNSTATE_RUNNING), tsc, 1, ((nd << 16) | nv) >>> 0);
    if (prev >= 0) {
      const u = this.vcpus.get(prev);
      if (u) {
        u.state = prevTo;
        u.current = -1;
      }
    }
    this.cur[p] = next;
    this.since[p] = tsc;
    if (next >= 0) {
      const v = this.vcpus.get(next)!;
      v.state = RUNSTATE_RUNNING;
      v.current = p;
      v.pcpu = p;
      w.record(p, TRC_HVM_VMENTRY, tsc, 0);
      for (let k = 0; k < this.exits; k++) {
        // An external-interrupt exit (VMX basic reason 1) at a made-up guest rip, and back in.
        w.record(p, TRC_HVM_VMEXIT64, tsc, 3, 1, 0x81000000 + k * 16, 0xffffffff);
        w.record(p, TRC_HVM_VMENTRY, tsc, 0);
      }
    }
  }

  /** Takes `v` off the pCPU it is current on (to idle), leaving it in state `to`. */
  private deschedule(v: VcpuTrack, key: number, to: number, tsc: number): void {
    if (v.current >= 0 && this.cur[v.current] === key)
      this.switchTo(v.current, -1, RUNSTATE_RUNNABLE, to, tsc);
  }

  private growPcpus(n: number): void {
    while (this.cur.length < n) {
      this.cur.push(-1);
      this.since.push(-1);
    }
  }

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    const w = this.w;
    if (code === OpCode.pcpus) {
      this.P = a;
      w.setPcpus(a);
      this.growPcpus(a);
      this.lists?.op(code, t, a, 0, 0, 0, 0);
      return;
    }
    if (code === OpCode.pcpu_offline || code === OpCode.pcpu_online) {
      this.skipped++;
      this.lists?.op(code, t, a, 0, 0, w.tscFor(t, this.hz), a);
      return;
    }
    const key = a * 65536 + b;
    const packed = ((a << 16) | (b & 0xffff)) >>> 0;
    const tsc = w.tscFor(t, this.hz);
    let v = this.vcpus.get(key);
    if (code === OpCode.vcpu_create) {
      // Written where the toolstack runs (pCPU 0), so a domain's creation is one instant in the dump.
      v = { state: RUNSTATE_RUNNABLE, pcpu: 0, current: -1, listed: -1 };
      this.vcpus.set(key, v);
      const live = this.domLive.get(a) ?? 0;
      this.domLive.set(a, live + 1);
      if (live === 0) {
        // Xen's scheduler traces a domain's creation; the lab's record says it is HVM and PI.
        w.record(v.pcpu, TRC_SCHED_DOM_ADD, tsc, 1, a);
        this.lists?.domain(v.pcpu, tsc, a, c !== 0);
      }
      w.record(v.pcpu, runstateId(RUNSTATE_OFFLINE, RUNSTATE_RUNNABLE), tsc, 1, packed);
      this.lists?.op(code, t, a, b, c, tsc, v.pcpu);
      return;
    }
    if (!v) return;
    if ((code === OpCode.run || code === OpCode.block) && c >= this.cur.length) {
      this.growPcpus(c + 1);
      w.setPcpus(c + 1);
    }
    switch (code) {
      case OpCode.run:
        this.unlist(v, a, b, tsc);
        this.lists?.op(code, t, a, b, c, tsc, c);
        if (this.cur[c] === key) break;
        this.deschedule(v, key, RUNSTATE_RUNNABLE, tsc);
        this.switchTo(c, key, v.state, RUNSTATE_RUNNABLE, tsc);
        break;
      case OpCode.block:
        if (this.cur[c] !== key) {
          this.deschedule(v, key, RUNSTATE_RUNNABLE, tsc);
          this.switchTo(c, key, v.state, RUNSTATE_RUNNABLE, tsc);
        }
        // Xen lists a blocking vCPU (vmx_vcpu_block) before the scheduler switches it out.
        this.lists?.op(code, t, a, b, c, tsc, c);
        this.switchTo(c, -1, RUNSTATE_RUNNABLE, RUNSTATE_BLOCKED, tsc);
        if (this.list) {
          if (v.listed >= 0) w.record(v.listed, this.list.del, tsc, 3, a, b, v.listed);
          w.record(c, this.list.add, tsc, 3, a, b, c);
          v.listed = c;
        }
        break;
      case OpCode.post:
      case OpCode.wake:
        if (code === OpCode.post) this.unlist(v, a, b, tsc);
        this.lists?.op(code, t, a, b, c, tsc, v.pcpu);
        // Only a blocked vCPU has a wake-up to show; for the model, waking anything else is a no-op.
        if (v.state === RUNSTATE_BLOCKED) {
          w.record(v.pcpu, runstateId(RUNSTATE_BLOCKED, RUNSTATE_RUNNABLE), tsc, 1, packed);
          v.state = RUNSTATE_RUNNABLE;
        }
        break;
      case OpCode.vcpu_destroy: {
        this.unlist(v, a, b, tsc);
        this.lists?.op(code, t, a, b, c, tsc, v.pcpu);
        if (v.current >= 0 && this.cur[v.current] === key)
          this.deschedule(v, key, RUNSTATE_OFFLINE, tsc);
        else w.record(v.pcpu, runstateId(v.state, RUNSTATE_OFFLINE), tsc, 1, packed);
        this.vcpus.delete(key);
        // Going offline is a pause in Xen; a vCPU ends with its domain (TRC_SCHED_DOM_REM).
        const live = (this.domLive.get(a) ?? 1) - 1;
        this.domLive.set(a, live);
        if (live === 0) w.record(v.pcpu, TRC_SCHED_DOM_REM, tsc, 1, a);
        else this.lists?.gone(v.pcpu, tsc, a, b);
        break;
      }
    }
  }

  /** Bytes on disk so far (windows still buffered not included). */
  bytesWritten(): number {
    return this.w.bytes;
  }

  close(): WriteSummary {
    if (!this.closed) {
      this.closed = true;
      this.w.finish();
    }
    return { bytes: this.w.bytes, records: this.w.records, skippedOps: this.skipped };
  }
}

export function writeTraceSync(
  path: string,
  ops: Iterable<Op> | OpColumns,
  opts: WriteOptions = {},
): WriteSummary {
  const fd = openSync(path, 'w');
  try {
    const sink = new TraceWriterSink(fd, opts);
    if (isOpColumns(ops)) {
      for (let i = 0; i < ops.code.length; i++)
        sink.op(ops.code[i] as OpCode, ops.t[i], ops.a[i], ops.b[i], ops.c[i]);
    } else {
      for (const o of ops) {
        const [code, t, a, b, c] = opToCompact(o);
        sink.op(code, t, a, b, c);
      }
    }
    return sink.close();
  } finally {
    closeSync(fd);
  }
}
