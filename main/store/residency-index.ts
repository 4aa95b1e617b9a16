/**
 * The residency index, built once when a run is saved (table `series_index`, beside the
 * list-lengths index of lengths-index.ts), so the first list query on a 4M-vCPU run reads the few
 * chunks around the rows it shows instead of the whole residency log (`res.*`, 100+ MB).
 *
 * It holds the log in list order: rows grouped by pCPU, in log order within a pCPU (which is list
 * order: lists only append at the tail, docs/engine.md), the pCPUs one after another, at the
 * positions of the lengths index (`idx.start`: pCPU p's rows are [start[p], start[p+1])).
 *  - join times: the lengths index's `idx.in.<c>` chunks ARE the join times in list order (a
 *    pCPU's join times ascend in log order, so its "sorted" join times are them unmoved); the
 *    index is written only when that holds, and reuses them instead of storing them twice;
 *  - `rx.out.<c>` (f64), `rx.vcpu.<c>` (u32, vCPU slot), `rx.blockedOn.<c>` (u32): the leave
 *    time, vCPU and blocked-on pCPU of each row, in chunks of CHUNK positions like `idx.in.<c>`;
 *  - `rx.blk.lastIn`, `rx.blk.minOut`, `rx.blk.maxOut` (f64): per block of BLK rows (blocks
 *    restart at each pCPU's first row), its last join time and its least and greatest leave
 *    time, so a scan counts or skips whole blocks without reading their chunks.
 * `SavedResidency` scans it exactly as the engine scans the log (main/engine/list-index.ts,
 * `scan`), and is a ListSource for the engine's `listFrom`: the same rows, the same totals.
 */
import type { SeriesSet } from '../../shared/results';
import { leftAfter } from '../engine/list-index';
import { CHUNK, type IndexReader } from './lengths-index';

/** Rows per block (the engine's block size; any size gives the same answers). */
export const BLK = 1024;

/** Names of the per-block arrays; the first one marks a run saved with a residency index. */
export const RX_BLOCKS = ['rx.blk.lastIn', 'rx.blk.minOut', 'rx.blk.maxOut'] as const;
/** Prefixes of the chunked per-row arrays (`<prefix>.<chunk>`) and their element types. */
export const RX_CHUNKS = { 'rx.out': 'f64', 'rx.vcpu': 'u32', 'rx.blockedOn': 'u32' } as const;

/** Blocks before each pCPU's first block (length P + 1), from `idx.start`. */
export function blockStarts(start: ArrayLike<number>): Uint32Array {
  const P = start.length - 1;
  const out = new Uint32Array(Math.max(1, P + 1));
  for (let p = 0; p < P; p++) out[p + 1] = out[p] + Math.ceil((start[p + 1] - start[p]) / BLK);
  return out;
}

/**
 * The residency index of a run with a residency log, or null when it has none, or when a pCPU's
 * join times do not ascend in log order (then the lengths index sorted them, its `idx.in` chunks
 * are not list order, and list queries read the log as before).
 */
export function buildResidencyIndex(pcpus: number, series: SeriesSet): SeriesSet | null {
  const tIn = series['res.tIn'] as Float64Array | undefined;
  const tOut = series['res.tOut'] as Float64Array | undefined;
  const pc = series['res.pcpu'] as Uint32Array | undefined;
  const vcpu = series['res.vcpu'] as Uint32Array | undefined;
  const on = series['res.blockedOn'] as Uint32Array | undefined;
  if (!tIn || !tOut || !pc || !vcpu || !on) return null;
  const n = pc.length;
  if (tIn.length !== n || tOut.length !== n || vcpu.length !== n || on.length !== n) return null;
  const start = new Uint32Array(pcpus + 1);
  const prevIn = new Float64Array(pcpus);
  // Rows already grouped by pCPU (every row of the worst case is on pCPU 0): list order is log
  // order, and the chunks are views of the log's own columns, copied by nothing.
  let grouped = true;
  for (let i = 0; i < n; i++) {
    const p = pc[i];
    const v = tIn[i];
    if (!(p < pcpus)) return null;
    // The condition under which lengths-index.ts leaves a pCPU's join times as they are.
    if (!(v >= 0) || v < prevIn[p]) return null;
    prevIn[p] = v;
    if (i > 0 && p < pc[i - 1]) grouped = false;
    start[p + 1]++;
  }
  for (let p = 0; p < pcpus; p++) start[p + 1] += start[p];
  let outs = tOut;
  let slots = vcpu;
  let ons = on;
  let ins = tIn;
  if (!grouped) {
    outs = new Float64Array(n);
    slots = new Uint32Array(n);
    ons = new Uint32Array(n);
    ins = new Float64Array(n);
    const fill = start.slice(0, pcpus);
    for (let i = 0; i < n; i++) {
      const k = fill[pc[i]]++;
      outs[k] = tOut[i];
      slots[k] = vcpu[i];
      ons[k] = on[i];
      ins[k] = tIn[i];
    }
  }
  const base = blockStarts(start);
  const lastIn = new Float64Array(base[pcpus]);
  const minOut = new Float64Array(base[pcpus]);
  const maxOut = new Float64Array(base[pcpus]);
  for (let p = 0; p < pcpus; p++)
    for (let b = base[p], gs = start[p]; gs < start[p + 1]; b++, gs += BLK) {
      const ge = Math.min(start[p + 1], gs + BLK);
      // The engine's comparisons (list-index.ts), so the two agree on every block.
      let mn = Infinity;
      let mx = -Infinity;
      for (let g = gs; g < ge; g++) {
        const o = outs[g];
        if (o < mn) mn = o;
        if (o > mx) mx = o;
      }
      lastIn[b] = ins[ge - 1];
      minOut[b] = mn;
      maxOut[b] = mx;
    }
  const out: SeriesSet = {
    'rx.blk.lastIn': lastIn,
    'rx.blk.minOut': minOut,
    'rx.blk.maxOut': maxOut,
  };
  for (let c = 0; c * CHUNK < n; c++) {
    const a = c * CHUNK;
    const e = Math.min(n, a + CHUNK);
    out[`rx.out.${c}`] = outs.subarray(a, e);
    out[`rx.vcpu.${c}`] = slots.subarray(a, e);
    out[`rx.blockedOn.${c}`] = ons.subarray(a, e);
  }
  return out;
}

/**
 * A saved run's list contents, read from its residency index chunk by chunk on first need (the
 * reader keeps what it loaded while the run stays cached). Row handles are list positions.
 */
export class SavedResidency {
  private readonly start: Uint32Array;
  private readonly base: Uint32Array;
  private readonly lastIn: Float64Array;
  private readonly minOut: Float64Array;
  private readonly maxOut: Float64Array;
  /** Per block, its leave times sorted (built on first need): on-list counts by binary search. */
  private readonly sortedOut: (Float64Array | undefined)[] = [];
  private readonly chunks = new Map<string, Float64Array | Uint32Array>();
  /** The run's vCPU slot tables read by element (set by the run cache; see ListSource). */
  slotTable?: { dom(slot: number): number; id(slot: number): number };

  private constructor(
    private readonly read: IndexReader,
    start: Uint32Array,
    blocks: Float64Array[],
  ) {
    this.start = start;
    this.base = blockStarts(start);
    [this.lastIn, this.minOut, this.maxOut] = blocks;
  }

  /** The run's residency index, or null when it was saved without one (or it does not fit). */
  static open(read: IndexReader, pcpus: number): SavedResidency | null {
    const start = read('idx.start') as Uint32Array | undefined;
    if (!start || start.length !== pcpus + 1) return null;
    const blocks = RX_BLOCKS.map((name) => read(name) as Float64Array | undefined);
    const count = blockStarts(start)[pcpus];
    if (blocks.some((b) => !b || b.length !== count)) return null;
    return new SavedResidency(read, start, blocks as Float64Array[]);
  }

  private chunk(prefix: string, c: number): Float64Array | Uint32Array {
    const name = `${prefix}.${c}`;
    let a = this.chunks.get(name);
    if (!a) {
      a = this.read(name) as Float64Array | Uint32Array | undefined;
      if (!a) throw new Error(`the run's residency index lacks ${name}`);
      this.chunks.set(name, a);
    }
    return a;
  }

  private at(prefix: string, g: number): number {
    const c = Math.floor(g / CHUNK);
    return this.chunk(prefix, c)[g - c * CHUNK];
  }

  slot(g: number): number {
    return this.at('rx.vcpu', g);
  }

  blockedOn(g: number): number {
    return this.at('rx.blockedOn', g);
  }

  sinceNs(g: number): number {
    return this.at('idx.in', g);
  }

  /** Rows of block b, positions [gs, ge) (all of which joined by t), still on the list at t. */
  private alive(b: number, gs: number, ge: number, t: number): number {
    const size = ge - gs;
    if (this.minOut[b] > t) return size;
    if (this.maxOut[b] <= t) return 0;
    return leftAfter(this.sortedOut, b, size, t, (k) => this.at('rx.out', gs + k));
  }

  /**
   * Visits the rows of pCPU p's list at t in list order (the contract of the engine's `scan`):
   * `visit` returns false to stop; `skip(n)` answers whether a block holding n on-list rows may
   * be counted without visiting. Reads only the chunks of the blocks it visits or must count.
   */
  scan(p: number, t: number, skip: (n: number) => boolean, visit: (g: number) => boolean): void {
    if (!(p >= 0 && p < this.start.length - 1)) return;
    const s = this.start[p];
    const e = this.start[p + 1];
    for (let b = this.base[p], gs = s; gs < e; b++, gs += BLK) {
      const ge = Math.min(e, gs + BLK);
      // Join times ascend within a pCPU: a block whose last row joined by t needs no chunk here.
      if (this.lastIn[b] <= t) {
        if (skip(this.alive(b, gs, ge, t))) continue;
      } else if (this.at('idx.in', gs) > t) return;
      for (let g = gs; g < ge;) {
        const c = Math.floor(g / CHUNK);
        const off = c * CHUNK;
        const stop = Math.min(ge, off + CHUNK);
        const ins = this.chunk('idx.in', c);
        const outs = this.chunk('rx.out', c);
        for (; g < stop; g++) {
          if (ins[g - off] > t) return;
          if (outs[g - off] > t && !visit(g)) return;
        }
      }
    }
  }
}
