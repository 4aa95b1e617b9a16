/**
 * One pCPU's cursor over a dump (reader.ts merges them): it walks its own windows in file order,
 * counts every record, and stops at each record the reconstruction needs. Tens of millions of
 * records go through `scan`, so its state lives in locals while it runs (a field holding a double
 * is a boxed number in V8: a store per record each) and is written back when it stops at a record
 * for the merge. HVM entries/exits (most of a `-e all` dump) are counted inline; the other records
 * go through `dispatch`, which keeps the rules of each event class.
 */
import type { ChunkCache } from './chunks';
import { ClockSamples } from './clock';
import { EventCounter, hexId } from './counts';
import { isPiRecord } from './pi-records';
import type { UserIdMapping } from './decoder';
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
  TRC_TRACE_WRAP_BUFFER,
} from './format';
import type { TraceError } from './types';

const TWO32 = 4294967296;
/** Top-level class index (xenalyze's TOPLEVEL_*) by bits 16..23 of the id; -1 if not one bit. */
const TOPLEVEL = new Int8Array(256).fill(-1);
for (let i = 0; i < 8; i++) TOPLEVEL[1 << i] = i;

/** State shared by the cursors: TSC base, id filters, tables filled while reading. */
export class ReadContext {
  baseSet = false;
  baseHi = 0;
  baseLo = 0;
  readonly counter = new EventCounter();
  readonly clock = new ClockSamples();
  readonly hvmDom = new Uint8Array(DOMID_IDLE);
  readonly hvmList: number[] = [];
  hvmUnattributed = 0;
  /** Per domain id (< 65536), a byte per vCPU id seen; `vcpuKeys` lists them (dom * 65536 + vcpu).
   *  An array, not a Map: switch records name two domains in turn, each a lookup. */
  readonly vcpuSeen: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(65536);
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

export class Cursor {
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
    if (this.lostEnd === this.lostEnd) {
      this.id = TRC_LOST_RECORDS_END;
      this.key = this.tsc = this.lostEnd;
      this.lostEnd = NaN;
      return true;
    }
    for (;;) {
      if (this.scan()) return true;
      if (!this.nextWindow()) return false;
    }
  }

  /**
   * Counts records of the current window (ids, TSC range, volume, HVM attribution), the others
   * through `dispatch`, until one goes to the merge (true: it is the head) or the window ends.
   */
  private scan(): boolean {
    const ctx = this.ctx;
    const counter = ctx.counter;
    // Every id but the user-mapped ones can be decided here; with a mapping, only `dispatch`
    // knows whether an HVM record is one of them.
    const hvmHere = ctx.userIds.size === 0;
    const volume = this.volume;
    const hvmVolume = this.hvmVolume;
    // Only `dispatch` changes the running domain: HVM records between two calls all go to it.
    let curDom = this.curDom;
    let attributed = curDom >= 0 && curDom < DOMID_IDLE;
    const winEnd = this.winEnd;
    let u32 = this.u32;
    let base = this.base;
    let pos = this.pos;
    let records = this.records;
    let withTsc = this.withTsc;
    let backwards = this.backwards;
    let lastTsc = this.lastTsc;
    let minTsc = this.minTsc;
    let maxTsc = this.maxTsc;
    let unattributed = 0;
    let found = false;
    outer: while (pos < winEnd) {
      if (pos < base || pos >= this.lim) {
        // Progress reports (called from the chunk load) read `records`.
        this.records = records;
        this.load(pos);
        u32 = this.u32;
        base = this.base;
      }
      // Inside the chunk, word indices: small integers, where file offsets are doubles (past
      // 2^31). A record starting before `stop` is whole in the chunk (its overlap).
      const stop = (Math.min(winEnd, this.lim) - base) / 4;
      const wEnd = (winEnd - base) / 4;
      let wi = (pos - base) >>> 2;
      while (wi < stop) {
        const hdr = u32[wi];
        const id = hdr & 0x0fffffff;
        const n = (hdr >>> 28) & 7;
        const c = hdr >>> 31;
        const words = 1 + 2 * c + n;
        if (wi + words > wEnd) {
          this.pastWindow(base + 4 * wi, id, n, 4 * words);
          pos = winEnd;
          break outer;
        }
        const at = wi;
        wi += words;
        records++;
        counter.add(id);
        const before = lastTsc;
        if (c) {
          const lo = u32[at + 1];
          const hi = u32[at + 2];
          if (!ctx.baseSet) {
            ctx.baseSet = true;
            ctx.baseHi = hi;
            ctx.baseLo = lo;
          }
          const tsc = (hi - ctx.baseHi) * TWO32 + (lo - ctx.baseLo);
          withTsc++;
          if (tsc < lastTsc) backwards++;
          if (tsc < minTsc) minTsc = tsc;
          if (tsc > maxTsc) maxTsc = tsc;
          lastTsc = tsc;
        }
        const size = 4 * words;
        if (((id >>> 16) & 0xfff) === 8) {
          // TRC_HVM: top-level class 3.
          volume[3] += size;
          const sub = (id >>> 12) & 0xf;
          if (sub === 1) hvmVolume[id === 0x00081001 ? 0 : 1] += size;
          else if (sub === 2) hvmVolume[2] += size;
          if (hvmHere) {
            // Only entry/exit and handler records are written in the guest's context; emulated
            // timer records (0x84xxx) also come from dom0 building a domain.
            if (sub <= 2) {
              if (!attributed) unattributed++;
              else if (ctx.hvmDom[curDom] === 0) {
                ctx.hvmDom[curDom] = 1;
                ctx.hvmList.push(curDom);
              }
            }
            continue;
          }
        } else {
          const top = TOPLEVEL[(id >>> 16) & 0xff];
          if (top >= 0) {
            volume[top] += size;
            // xenalyze classes by bits 16..23: a corrupt id like 0x01081001 counts as HVM too.
            if (top === 3) {
              const sub = (id >>> 12) & 0xf;
              if (sub === 1) hvmVolume[id === 0x00081001 ? 0 : 1] += size;
              else if (sub === 2) hvmVolume[2] += size;
            }
          }
        }
        if (this.dispatch(at, id, n, c, size, lastTsc, before)) {
          found = true;
          pos = base + 4 * wi;
          break outer;
        }
        curDom = this.curDom;
        attributed = curDom >= 0 && curDom < DOMID_IDLE;
      }
      pos = base + 4 * wi;
    }
    this.pos = pos;
    this.records = records;
    this.withTsc = withTsc;
    this.backwards = backwards;
    this.lastTsc = lastTsc;
    this.minTsc = minTsc;
    this.maxTsc = maxTsc;
    ctx.hvmUnattributed += unattributed;
    return found;
  }

  private pastWindow(at: number, id: number, n: number, size: number): void {
    const ctx = this.ctx;
    const truncated = this.winEnd === ctx.validEnd && ctx.validEnd === ctx.chunks.fileBytes;
    ctx.errors.push({
      offset: at,
      kind: truncated ? 'truncated-record' : 'record-past-window',
      message: truncated
        ? `truncated record at offset ${at} (pCPU ${this.cpu}, id ${hexId(id)}): ${size} bytes expected, the file ends after ${this.winEnd - at}`
        : `record at offset ${at} (pCPU ${this.cpu}, id ${hexId(id)}, ${n} extra words) needs ${size} bytes but its window ends at offset ${this.winEnd}`,
    });
  }

  /**
   * A record `scan` does not decide alone (at word `wi` of the chunk; `before`: this pCPU's TSC
   * before the record's): true when it goes to the merge, as the head.
   */
  private dispatch(
    wi: number,
    id: number,
    n: number,
    c: number,
    size: number,
    tsc: number,
    before: number,
  ): boolean {
    const ctx = this.ctx;
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
      // As in `scan` (here when the user maps ids).
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
    return false;
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
    let seen = this.ctx.vcpuSeen[dom];
    if (seen === undefined || vcpu >= seen.length) {
      // Grown on demand: a corrupt dump can name thousands of domains.
      const bigger = new Uint8Array(
        Math.min(65536, Math.max(16, vcpu + 1, (seen?.length ?? 0) * 2)),
      );
      if (seen) bigger.set(seen);
      this.ctx.vcpuSeen[dom] = seen = bigger;
    }
    if (seen[vcpu] === 0) {
      seen[vcpu] = 1;
      this.ctx.vcpuKeys.push(dom * 65536 + vcpu);
    }
  }
}
