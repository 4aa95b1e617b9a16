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
import { hexId } from './counts';
import { Cursor, ReadContext } from './cursor';
import { describeEvent, type UserIdMapping } from './decoder';
import { TRC_TRACE_CPU_CHANGE, TOPLEVEL_NAMES, HVM_VOLUME_NAMES } from './format';
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

const CACHED_CHUNKS = 6;

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
