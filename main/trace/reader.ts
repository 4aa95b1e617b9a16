/**
 * Streaming xentrace reader. One cursor per pCPU walks the file the way xenalyze's do: it skips
 * other pCPUs' windows and steps into its own, so it sees its pCPU's records in file order. Every
 * record is counted by its own cursor (order does not matter for counts); only the records the
 * reconstruction needs (runstate changes, domain destruction, lost records, user-mapped ids) go
 * through the cross-pCPU merge, which hands them out in xenalyze's order: smallest order TSC
 * first, a record without TSC right after its predecessor, ties to the pCPU processed last, a
 * lost-records record once at the TSC of its first lost record and once (as 0x1f032) at its own.
 * Memory: a few file chunks and per-pCPU state, whatever the dump's size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { ChunkCache } from './chunks';
import { ClockSamples } from './clock';
import { EventCounter, hexId } from './counts';
import { isPiRecord } from './pi-records';
import { describeEvent, type UserIdMapping } from './decoder';
import {
  CPU_CHANGE_BYTES,
  DOMID_IDLE,
  TRC_DOM0_DOM_REM,
  TRC_LOST_RECORDS,
  TRC_LOST_RECORDS_END,
  TRC_SCHED_DOM_REM,
  TRC_SCHED_SWITCH,
  TRC_SCHED_SWITCH_INFCONT,
  TRC_SCHED_SWITCH_INFNEXT,
  TRC_SCHED_SWITCH_INFPREV,
  TRC_TRACE_CPU_CHANGE,
  TRC_TRACE_WRAP_BUFFER,
  TOPLEVEL_NAMES,
  HVM_VOLUME_NAMES,
} from './format';
import type { TraceError, TraceStats } from './types';
import type { ByteSource } from './source';
import { scanWindows } from './windows';

/** Receives the merged records. `tsc` is relative to `ReadResult.tscBase` (cycles). */
export interface MergedSink {
  record(cpu: number, id: number, tsc: number, words: Uint32Array, n: number): void;
}

export interface ReadOptions {
  userIds?: UserIdMapping[];
  onProgress?: (p: { bytes: number; totalBytes: number; records: number }) => void;
  cancelled?: () => boolean;
  chunkBytes?: number;
  /** Hash while reading (default); false when the caller hashes the file elsewhere. */
  hash?: boolean;
}

export interface ReadResult {
  stats: TraceStats;
  errors: TraceError[];
  clock: ClockSamples;
  /** Relative TSC of the lowest TSC in the dump (NaN without any). */
  firstTscRel: number;
  lastTscRel: number;
  /** Absolute TSC = base + relative. */
  tscBase: bigint;
  hvmDomainFlags: Uint8Array;
  sha256: string;
  fileName: string;
  /** Chunk reads from the source: about bytes / chunkBytes when cursors keep together. */
  chunkReads: number;
  chunkBytes: number;
  /** Time spent reading the file (ms). */
  ioMs: number;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

const TWO32 = 4294967296;
const CACHED_CHUNKS = 6;
/** Top-level class index (xenalyze's TOPLEVEL_*) by bits 16..23 of the id; -1 if not one bit. */
const TOPLEVEL = new Int8Array(256).fill(-1);
for (let i = 0; i < 8; i++) TOPLEVEL[1 << i] = i;

/** State shared by the cursors: TSC base, id filters, tables filled while reading. */
class ReadContext {
  baseSet = false;
  baseHi = 0;
  baseLo = 0;
  readonly counter = new EventCounter();
  readonly clock = new ClockSamples();
  readonly hvmDom = new Uint8Array(DOMID_IDLE);
  readonly hvmList: number[] = [];
  hvmUnattributed = 0;
  /** Per domain, a byte per vCPU id seen; `vcpuKeys` lists them (dom * 65536 + vcpu). */
  readonly vcpuSeen = new Map<number, Uint8Array>();
  readonly vcpuKeys: number[] = [];
  readonly errors: TraceError[] = [];
  readonly userIds: Set<number>;
  constructor(
    readonly chunks: ChunkCache,
    readonly validEnd: number,
    userIds: UserIdMapping[],
  ) {
    this.userIds = new Set(userIds.filter((u) => u.kind !== 'ignore').map((u) => u.id));
  }
}

class Cursor {
  pos: number;
  winEnd: number;
  done = false;
  private u32: Uint32Array = new Uint32Array(0);
  private base = -1;
  private lim = -1;
  lastTsc = -Infinity;
  minTsc = Infinity;
  maxTsc = -Infinity;
  records = 0;
  withTsc = 0;
  lost = 0;
  recordsLost = 0;
  wraps = 0;
  backwards = 0;
  readonly volume = new Float64Array(8);
  readonly hvmVolume = new Float64Array(3);
  /** Domain of the vCPU running on this pCPU (-1: unknown), for HVM attribution. */
  private curDom = -1;
  private pendKey = -1;
  private pendTsc = 0;
  // The head: the next record for the merge.
  key = 0;
  seq = 0;
  id = 0;
  tsc = 0;
  n = 0;
  readonly words = new Uint32Array(7);
  private lostEnd = NaN;

  constructor(
    readonly cpu: number,
    firstWindow: number,
    private readonly ctx: ReadContext,
  ) {
    this.pos = firstWindow;
    this.winEnd = firstWindow;
  }

  private chunk = -1;
  private seenDom = -1;
  private seenArr: Uint8Array | undefined = undefined;

  private load(pos: number): void {
    const chunks = this.ctx.chunks;
    const size = chunks.chunkBytes;
    const index = Math.floor(pos / size);
    if (this.chunk >= 0) chunks.release(this.chunk);
    this.u32 = chunks.acquire(index);
    this.chunk = index;
    this.base = index * size;
    this.lim = this.base + size;
  }

  /** Moves to this pCPU's next window; false at the end of the valid chain. */
  private nextWindow(): boolean {
    const end = this.ctx.validEnd;
    while (this.pos + CPU_CHANGE_BYTES <= end) {
      if (this.pos < this.base || this.pos >= this.lim) this.load(this.pos);
      const wi = (this.pos - this.base) >>> 2;
      const cpu = this.u32[wi + 1];
      const size = this.u32[wi + 2];
      if (cpu === this.cpu) {
        this.pos += CPU_CHANGE_BYTES;
        this.winEnd = Math.min(this.pos + size, end);
        return true;
      }
      this.pos += CPU_CHANGE_BYTES + size;
    }
    this.done = true;
    if (this.chunk >= 0) this.ctx.chunks.release(this.chunk);
    this.chunk = -1;
    return false;
  }

  /** Reads up to the next record the merge needs; false when this pCPU has no more. */
  advance(): boolean {
    const ctx = this.ctx;
    if (this.lostEnd === this.lostEnd) {
      this.id = TRC_LOST_RECORDS_END;
      this.key = this.tsc = this.lostEnd;
      this.lostEnd = NaN;
      return true;
    }
    for (;;) {
      if (this.pos >= this.winEnd) {
        if (!this.nextWindow()) return false;
        continue;
      }
      if (this.pos < this.base || this.pos >= this.lim) this.load(this.pos);
      const at = this.pos;
      const wi = (at - this.base) >>> 2;
      const hdr = this.u32[wi];
      const id = hdr & 0x0fffffff;
      const n = (hdr >>> 28) & 7;
      const c = hdr >>> 31;
      const size = 4 + 8 * c + 4 * n;
      if (at + size > this.winEnd) {
        const truncated = this.winEnd === ctx.validEnd && ctx.validEnd === ctx.chunks.fileBytes;
        ctx.errors.push({
          offset: at,
          kind: truncated ? 'truncated-record' : 'record-past-window',
          message: truncated
            ? `truncated record at offset ${at} (pCPU ${this.cpu}, id ${hexId(id)}): ${size} bytes expected, the file ends after ${this.winEnd - at}`
            : `record at offset ${at} (pCPU ${this.cpu}, id ${hexId(id)}, ${n} extra words) needs ${size} bytes but its window ends at offset ${this.winEnd}`,
        });
        this.pos = this.winEnd;
        continue;
      }
      this.pos = at + size;
      this.records++;
      ctx.counter.add(id);
      let tsc: number;
      const before = this.lastTsc;
      if (c) {
        const lo = this.u32[wi + 1];
        const hi = this.u32[wi + 2];
        if (!ctx.baseSet) {
          ctx.baseSet = true;
          ctx.baseHi = hi;
          ctx.baseLo = lo;
        }
        tsc = (hi - ctx.baseHi) * TWO32 + (lo - ctx.baseLo);
        this.withTsc++;
        if (tsc < this.lastTsc) this.backwards++;
        if (tsc < this.minTsc) this.minTsc = tsc;
        if (tsc > this.maxTsc) this.maxTsc = tsc;
        this.lastTsc = tsc;
      } else {
        tsc = this.lastTsc;
      }
      const top = TOPLEVEL[(id >>> 16) & 0xff];
      if (top >= 0) {
        this.volume[top] += size;
        if (top === 3) {
          const sub = (id >>> 12) & 0xf;
          if (sub === 1) this.hvmVolume[id === 0x00081001 ? 0 : 1] += size;
          else if (sub === 2) this.hvmVolume[2] += size;
        }
      }
      const p = wi + 1 + 2 * c;
      const cls = (id >>> 16) & 0xfff;
      if (cls === 2) {
        // Scheduler: runstate changes go to the merge; switch records feed HVM attribution
        // and the clock estimate.
        if ((id & 0x0ffff00f) === 0x00021001 && n >= 1) {
          const w = this.u32[p];
          if (((id >>> 4) & 3) === 0) this.curDom = w >>> 16;
          this.noteVcpu(w >>> 16, w & 0xffff);
          return this.head(id, tsc, tsc, p, n);
        }
        if (id >= 0x00028001 && id <= 0x00028011 && n >= 2) {
          const d1 = this.u32[p];
          const d2 = this.u32[p + 1];
          if (id === TRC_SCHED_SWITCH_INFNEXT) {
            this.curDom = d1;
            this.pendKey = d1 * 65536 + d2;
            this.pendTsc = tsc;
            this.noteVcpu(d1, d2);
          } else if (id === TRC_SCHED_SWITCH_INFPREV || id === TRC_SCHED_SWITCH_INFCONT) {
            if (n >= 3 && this.pendKey === d1 * 65536 + d2)
              ctx.clock.add(tsc - this.pendTsc, this.u32[p + 2]);
            if (id === TRC_SCHED_SWITCH_INFPREV) this.pendKey = -1;
            this.noteVcpu(d1, d2);
          } else if (id === TRC_SCHED_SWITCH && n >= 4) {
            this.curDom = this.u32[p + 2];
            this.noteVcpu(d1, d2);
            this.noteVcpu(this.u32[p + 2], this.u32[p + 3]);
          }
        } else if (id === TRC_SCHED_DOM_REM && n >= 1) {
          return this.head(id, tsc, tsc, p, n);
        }
      } else if (cls === 8) {
        // Only entry/exit and handler records are written in the guest's context; emulated
        // timer records (0x84xxx) also come from dom0 building a domain.
        if ((id & 0xf000) <= 0x2000) {
          const d = this.curDom;
          if (d >= 0 && d < DOMID_IDLE) {
            if (ctx.hvmDom[d] === 0) {
              ctx.hvmDom[d] = 1;
              ctx.hvmList.push(d);
            }
          } else ctx.hvmUnattributed++;
        }
      } else if (cls === 1) {
        if (id === TRC_LOST_RECORDS) {
          this.volume[0] += size; // xenalyze processes it twice
          this.lost++;
          if (n >= 1) this.recordsLost += this.u32[p];
          this.pendKey = -1;
          if (n >= 2) this.curDom = this.u32[p + 1] & 0xffff;
          if (c && n >= 4) {
            let first = (this.u32[p + 3] - ctx.baseHi) * TWO32 + (this.u32[p + 2] - ctx.baseLo);
            // The first lost record came after the previous one kept and before this one.
            if (!(first <= tsc)) first = tsc;
            if (first < before) first = before;
            this.lostEnd = tsc;
            return this.head(id, first, first, p, n);
          }
        } else if (id === TRC_TRACE_WRAP_BUFFER) {
          this.wraps++;
        }
      } else if (cls === 4) {
        if (id === TRC_DOM0_DOM_REM && n >= 1) return this.head(id, tsc, tsc, p, n);
      } else if (cls === 0x80 && isPiRecord(id)) {
        return this.head(id, tsc, tsc, p, n);
      }
      if (ctx.userIds.size !== 0 && ctx.userIds.has(id)) return this.head(id, tsc, tsc, p, n);
    }
  }

  private head(id: number, key: number, tsc: number, p: number, n: number): boolean {
    this.id = id;
    this.key = key;
    this.tsc = tsc;
    this.n = n;
    for (let i = 0; i < n; i++) this.words[i] = this.u32[p + i];
    return true;
  }

  private noteVcpu(dom: number, vcpu: number): void {
    if (dom > 0xffff || vcpu > 0xffff) return;
    // Consecutive records mostly name the same domain: skip the map lookup then.
    let seen = dom === this.seenDom ? this.seenArr : this.ctx.vcpuSeen.get(dom);
    if (seen === undefined || vcpu >= seen.length) {
      // Grown on demand: a corrupt dump can name thousands of domains.
      const bigger = new Uint8Array(
        Math.min(65536, Math.max(16, vcpu + 1, (seen?.length ?? 0) * 2)),
      );
      if (seen) bigger.set(seen);
      this.ctx.vcpuSeen.set(dom, (seen = bigger));
    }
    this.seenDom = dom;
    this.seenArr = seen;
    if (seen[vcpu] === 0) {
      seen[vcpu] = 1;
      this.ctx.vcpuKeys.push(dom * 65536 + vcpu);
    }
  }
}

/** Binary min-heap of cursors by (key, most recently processed first). */
class CursorHeap {
  readonly items: Cursor[] = [];
  private less(a: Cursor, b: Cursor): boolean {
    return a.key < b.key || (a.key === b.key && a.seq > b.seq);
  }
  push(c: Cursor): void {
    const h = this.items;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      const x = h[i];
      h[i] = h[parent];
      h[parent] = x;
      i = parent;
    }
  }
  /** Restores order after the top's key changed. */
  siftTop(): void {
    const h = this.items;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) return;
      const r = l + 1;
      const m = r < h.length && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[m], h[i])) return;
      const x = h[i];
      h[i] = h[m];
      h[m] = x;
      i = m;
    }
  }
  pop(): void {
    const h = this.items;
    const last = h.pop() as Cursor;
    if (h.length > 0) {
      h[0] = last;
      this.siftTop();
    }
  }
}

export function readTrace(path: string, sink: MergedSink, opts: ReadOptions = {}): ReadResult {
  const fd = openSync(path, 'r');
  try {
    const src: ByteSource = {
      size: fstatSync(fd).size,
      read: (into, offset, length, position) => readSync(fd, into, offset, length, position),
    };
    return readSource(src, basename(path), sink, opts);
  } finally {
    closeSync(fd);
  }
}

/** The same, from bytes in memory (tests, fuzzing). */
export function readTraceBytes(
  bytes: Uint8Array,
  name: string,
  sink: MergedSink,
  opts: ReadOptions = {},
): ReadResult {
  const src: ByteSource = {
    size: bytes.length,
    read: (into, offset, length, position) => {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      into.set(bytes.subarray(position, position + n), offset);
      return n;
    },
  };
  return readSource(src, name, sink, opts);
}

function readSource(
  src: ByteSource,
  fileName: string,
  sink: MergedSink,
  opts: ReadOptions,
): ReadResult {
  const fileBytes = src.size;
  const scan = scanWindows(src, fileBytes);
  let cursors: Cursor[] = [];
  const report = () => {
    let records = 0;
    for (const c of cursors) records += c.records;
    opts.onProgress?.({
      bytes: Math.min(chunks.reached, fileBytes),
      totalBytes: fileBytes,
      records,
    });
  };
  let loads = 0;
  const chunks = new ChunkCache(
    src,
    fileBytes,
    opts.chunkBytes ?? 4 << 20,
    // Unpinned chunks kept beside the pinned ones (the chunk each cursor is in): a fixed number,
    // so memory does not grow with the pCPU count (the cursors of a pass share a few chunks).
    CACHED_CHUNKS,
    opts.hash !== false,
    () => {
      if (opts.cancelled?.()) throw new CancelledError();
      if (++loads % 4 === 0) report();
    },
  );
  const ctx = new ReadContext(chunks, scan.validEnd, opts.userIds ?? []);
  cursors = scan.cpus.map((cpu) => new Cursor(cpu, scan.firstWindow[cpu], ctx));
  const heap = new CursorHeap();
  let seq = 0;
  for (const c of cursors) {
    if (c.advance()) {
      c.seq = ++seq;
      heap.push(c);
    }
  }
  const items = heap.items;
  while (items.length > 0) {
    const top = items[0];
    sink.record(top.cpu, top.id, top.tsc, top.words, top.n);
    if (top.advance()) {
      top.seq = ++seq;
      heap.siftTop();
    } else heap.pop();
  }
  report();

  const errors = [...scan.errors, ...ctx.errors].sort((a, b) => a.offset - b.offset);
  let minTsc = Infinity;
  let maxTsc = -Infinity;
  let records = scan.windows;
  let withTsc = 0;
  let lost = 0;
  let recordsLost = 0;
  let wraps = 0;
  let backwards = 0;
  const perCpuRecords: Record<string, number> = {};
  const perCpuWindows: Record<string, number> = {};
  const volume: Record<string, Record<string, number>> = {};
  for (const c of cursors) {
    records += c.records;
    withTsc += c.withTsc;
    lost += c.lost;
    recordsLost += c.recordsLost;
    wraps += c.wraps;
    backwards += c.backwards;
    if (c.minTsc < minTsc) minTsc = c.minTsc;
    if (c.maxTsc > maxTsc) maxTsc = c.maxTsc;
    perCpuRecords[c.cpu] = c.records;
    perCpuWindows[c.cpu] = scan.perCpuWindows[c.cpu];
    const v: Record<string, number> = {};
    c.volume.forEach((b, i) => {
      if (b) v[TOPLEVEL_NAMES[i]] = b;
    });
    c.hvmVolume.forEach((b, i) => {
      if (b) v[`hvm.${HVM_VOLUME_NAMES[i]}`] = b;
    });
    volume[c.cpu] = v;
  }
  ctx.counter.add(TRC_TRACE_CPU_CHANGE, scan.windows);
  const userMap = new Map((opts.userIds ?? []).map((u) => [u.id, u]));
  const eventCounts: Record<string, number> = {};
  let unknownRecords = 0;
  for (const [id, count] of ctx.counter.entries()) {
    if (count === 0) continue;
    eventCounts[hexId(id)] = count;
    if (describeEvent(id, userMap).name === 'unknown') unknownRecords += count;
  }
  const tscBase = (BigInt(ctx.baseHi) << 32n) | BigInt(ctx.baseLo);
  const hasTsc = minTsc !== Infinity;
  const domains = new Set<number>();
  const vcpus = [...ctx.vcpuKeys].sort((a, b) => a - b);
  for (const k of vcpus) domains.add(Math.floor(k / 65536));
  const hvmDomains = [...ctx.hvmList].sort((a, b) => a - b);
  const sha256 = opts.hash === false ? '' : chunks.sha256();

  const stats: TraceStats = {
    bytes: fileBytes,
    decodedBytes: scan.validEnd,
    records,
    recordsWithTsc: withTsc,
    windows: scan.windows,
    cpus: scan.cpus,
    perCpuRecords,
    perCpuWindows,
    lostRecords: lost,
    recordsLost,
    wrapRecords: wraps,
    unknownRecords,
    eventCounts,
    firstTsc: hasTsc ? (tscBase + BigInt(minTsc)).toString() : null,
    lastTsc: hasTsc ? (tscBase + BigInt(maxTsc)).toString() : null,
    durationNs: 0,
    domains: [...domains],
    vcpus: vcpus.map((k) => `d${Math.floor(k / 65536)}v${k % 65536}`),
    hvmDomains,
    hvmUnattributed: ctx.hvmUnattributed,
    tscBackwards: backwards,
    volume,
  };
  return {
    stats,
    errors,
    clock: ctx.clock,
    firstTscRel: hasTsc ? minTsc : NaN,
    lastTscRel: hasTsc ? maxTsc : NaN,
    tscBase,
    hvmDomainFlags: ctx.hvmDom,
    sha256,
    fileName,
    chunkReads: chunks.readsFromDisk,
    chunkBytes: chunks.chunkBytes,
    ioMs: chunks.ioMs,
  };
}
