/**
 * Exact list contents and lengths at any time, from a RunResult alone (it may have come back from
 * SQLite). The residency log (`res.*`, see shared/results.ts) is grouped per pCPU once, lazily,
 * and cut into blocks of BLK rows with their min/max leave times, so a query skips whole blocks
 * that are all on (or all off) the list at t and scans at most the blocks that straddle t.
 */
import type { ListRow } from '../../shared/api';
import type { RunResult } from '../../shared/results';
import { stepAt } from './growable';

const BLK = 1024;

interface PcpuRows {
  ids: Uint32Array;
  lastIn: Float64Array;
  minOut: Float64Array;
  maxOut: Float64Array;
  /** Per block, its leave times sorted (built on first need): on-list counts by binary search. */
  sortedOut: (Float64Array | undefined)[];
}

export interface Index {
  tIn: Float64Array;
  tOut: Float64Array;
  perPcpu: PcpuRows[];
}

const cache = new WeakMap<RunResult, Index>();

export function indexOf(run: RunResult): Index {
  const hit = cache.get(run);
  if (hit) return hit;
  const P = run.summary.pcpus;
  const s = run.series;
  const tIn = (s['res.tIn'] as Float64Array | undefined) ?? new Float64Array(0);
  const tOut = (s['res.tOut'] as Float64Array | undefined) ?? new Float64Array(0);
  const pc = (s['res.pcpu'] as Uint32Array | undefined) ?? new Uint32Array(0);
  const counts = new Uint32Array(P);
  for (let i = 0; i < pc.length; i++) counts[pc[i]]++;
  const ids = Array.from({ length: P }, (_, p) => new Uint32Array(counts[p]));
  const fill = new Uint32Array(P);
  for (let i = 0; i < pc.length; i++) ids[pc[i]][fill[pc[i]]++] = i;
  const perPcpu = ids.map((rows) => {
    const nb = Math.ceil(rows.length / BLK);
    const lastIn = new Float64Array(nb);
    const minOut = new Float64Array(nb);
    const maxOut = new Float64Array(nb);
    for (let b = 0; b < nb; b++) {
      const end = Math.min(rows.length, (b + 1) * BLK);
      let mn = Infinity;
      let mx = -Infinity;
      for (let k = b * BLK; k < end; k++) {
        const o = tOut[rows[k]];
        if (o < mn) mn = o;
        if (o > mx) mx = o;
      }
      lastIn[b] = tIn[rows[end - 1]];
      minOut[b] = mn;
      maxOut[b] = mx;
    }
    return { ids: rows, lastIn, minOut, maxOut, sortedOut: new Array(nb) };
  });
  const index = { tIn, tOut, perPcpu };
  cache.set(run, index);
  return index;
}

export function checkComplete(run: RunResult, tNs: number): void {
  const cut = run.summary.listIndexTruncatedAtNs;
  if (cut !== null && cut !== undefined && tNs >= cut)
    throw new Error(`list contents were recorded only before t = ${cut} ns (over 16M residencies)`);
}

/** Rows of block b (all of which joined by t) still on the list at t. */
function aliveInBlock(ix: Index, r: PcpuRows, b: number, t: number): number {
  const start = b * BLK;
  const size = Math.min(r.ids.length, start + BLK) - start;
  if (r.minOut[b] > t) return size;
  if (r.maxOut[b] <= t) return 0;
  return leftAfter(r.sortedOut, b, size, t, (k) => ix.tOut[r.ids[start + k]]);
}

/**
 * How many of block b's `size` leave times (the k-th is `outAt(k)`) are after t, by binary search
 * in the block's leave times sorted once, on first need, into `sorted[b]`.
 */
export function leftAfter(
  sorted: (Float64Array | undefined)[],
  b: number,
  size: number,
  t: number,
  outAt: (k: number) => number,
): number {
  let outs = sorted[b];
  if (!outs) {
    outs = new Float64Array(size);
    for (let k = 0; k < size; k++) outs[k] = outAt(k);
    outs.sort();
    sorted[b] = outs;
  }
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (outs[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return size - lo;
}

/**
 * Visits the rows of one pCPU's list at t in list order. `visit` returns false to stop.
 * `skip(n)` answers whether a block holding n on-list rows may be skipped (counted only).
 */
export function scan(
  ix: Index,
  p: number,
  t: number,
  skip: (n: number) => boolean,
  visit: (res: number) => boolean,
): void {
  const r = ix.perPcpu[p];
  if (!r) return;
  const { tIn, tOut } = ix;
  const nb = r.lastIn.length;
  for (let b = 0; b < nb; b++) {
    const start = b * BLK;
    if (tIn[r.ids[start]] > t) return;
    const end = Math.min(r.ids.length, start + BLK);
    if (r.lastIn[b] <= t && skip(aliveInBlock(ix, r, b, t))) continue;
    for (let k = start; k < end; k++) {
      const i = r.ids[k];
      if (tIn[i] > t) return;
      if (tOut[i] > t && !visit(i)) return;
    }
  }
}

export function lengthsAt(
  run: RunResult,
  tNs: number,
): { lengths: number[]; online: boolean[]; bound: number; h: number } {
  checkComplete(run, tNs);
  const P = run.summary.pcpus;
  const ix = indexOf(run);
  const lengths: number[] = [];
  for (let p = 0; p < P; p++) {
    let n = 0;
    scan(
      ix,
      p,
      tNs,
      (k) => ((n += k), true),
      () => (n++, true),
    );
    lengths.push(n);
  }
  return { lengths, ...stateAt(run, tNs) };
}

/**
 * Which pCPUs are online, the bound and H at t, from the step logs alone (no residency log):
 * what lengthsAt adds to the lengths, for callers that count the lengths another way (the
 * save-time index, main/store/lengths-index.ts). Refuses times past a truncated list index.
 */
export function stateAt(
  run: RunResult,
  tNs: number,
): { online: boolean[]; bound: number; h: number } {
  checkComplete(run, tNs);
  const P = run.summary.pcpus;
  const s = run.series;
  const online = new Array<boolean>(P).fill(true);
  const ht = s['log.hotplug.t'] as Float64Array | undefined;
  if (ht) {
    const hp = s['log.hotplug.pcpu'];
    const ho = s['log.hotplug.online'];
    for (let i = 0; i < ht.length && ht[i] <= tNs; i++) online[hp[i]] = ho[i] === 1;
  }
  const at = (name: string) => {
    const ts = s[`log.${name}.t`] as Float64Array | undefined;
    return ts ? stepAt(ts, s[`log.${name}.v`], tNs, 0) : 0;
  };
  return { online, bound: at('bound'), h: at('h') };
}

/**
 * `search` keeps rows whose vCPU matches: `12` or `d12` (domain 12), `12.3` / `d12v3` / `12:3`
 * (domain 12, vCPU 3); any other text is a substring of the row's `d<dom>v<vcpu>` label.
 */
function matcher(
  search: string | undefined,
  dom: Uint32Array,
  id: Uint32Array,
): ((slot: number) => boolean) | null {
  const q = (search ?? '').trim().toLowerCase();
  if (q === '') return null;
  const m = /^d?(\d+)(?:[v.:/](\d+))?$/.exec(q);
  if (m) {
    const d = Number(m[1]);
    const v = m[2] === undefined ? -1 : Number(m[2]);
    return (s) => dom[s] === d && (v < 0 || id[s] === v);
  }
  return (s) => `d${dom[s]}v${id[s]}`.includes(q);
}

/**
 * A list's rows in list order, from wherever they are kept: the engine's index over the residency
 * log (below), or a run's saved residency index (main/store/residency-index.ts). `scan` has the
 * contract of `scan` above for one pCPU and instant; the row handles it visits are the source's
 * own (row of the log, or position in the saved index) and go back to `slot` / `blockedOn` /
 * `sinceNs`.
 */
export interface ListSource {
  scan(p: number, t: number, skip: (n: number) => boolean, visit: (row: number) => boolean): void;
  slot(row: number): number;
  blockedOn(row: number): number;
  sinceNs(row: number): number;
  /**
   * A vCPU slot's domain and vCPU id read one by one, when the source has them so (a saved run:
   * a page of rows then needs no whole `vcpu.dom` / `vcpu.id` table); searches, which test
   * every listed row, use the tables.
   */
  slotTable?: { dom(slot: number): number; id(slot: number): number };
}

/** The engine's own source: the residency log grouped per pCPU (built on first use). */
function logSource(run: RunResult): ListSource {
  const s = run.series;
  const ix = indexOf(run);
  const vcpu = s['res.vcpu'] as Uint32Array;
  const blockedOn = s['res.blockedOn'] as Uint32Array;
  return {
    scan: (p, t, skip, visit) => scan(ix, p, t, skip, visit),
    slot: (i) => vcpu[i],
    blockedOn: (i) => blockedOn[i],
    sinceNs: (i) => ix.tIn[i],
  };
}

/**
 * A list query: instant, pCPU, window [offset, offset + limit), search, and the list's length at
 * t when the caller knows it (the save-time index, no search): the scan then stops after the
 * window instead of counting every later block.
 */
type ListQuery = [
  tNs: number,
  pcpu: number,
  offset: number,
  limit: number,
  search?: string,
  knownTotal?: number,
];

export function listAt(run: RunResult, ...q: ListQuery): { total: number; rows: ListRow[] } {
  checkComplete(run, q[0]);
  return listFrom(run, logSource(run), ...q);
}

/** listAt over another source of the same rows (a run's saved residency index). */
export function listFrom(
  run: RunResult,
  src: ListSource,
  ...[tNs, pcpu, offset, limit, search, knownTotal]: ListQuery
): { total: number; rows: ListRow[] } {
  checkComplete(run, tNs);
  const s = run.series;
  const rows: ListRow[] = [];
  if (!(pcpu >= 0 && pcpu < run.summary.pcpus)) return { total: 0, rows };
  const table = (search ?? '').trim() === '' ? src.slotTable : undefined;
  const dom = table ? null : (s['vcpu.dom'] as Uint32Array);
  const id = table ? null : (s['vcpu.id'] as Uint32Array);
  const domOf = table ? table.dom : (slot: number) => dom![slot];
  const idOf = table ? table.id : (slot: number) => id![slot];
  const match = dom && id ? matcher(search, dom, id) : null;
  let seen = 0;
  const end = offset + limit;
  const stopAfterWindow = knownTotal !== undefined && match === null;
  src.scan(
    pcpu,
    tNs,
    (n) => {
      // A block is counted without visiting when no filter applies and its on-list rows lie
      // entirely outside the requested window.
      if (match !== null || (stopAfterWindow && seen >= end)) return false;
      if (n > 0 && seen < end && seen + n > offset) return false;
      seen += n;
      return true;
    },
    (i) => {
      if (stopAfterWindow && seen >= end) return false;
      const slot = src.slot(i);
      if (match !== null && !match(slot)) return true;
      if (seen >= offset && seen < end) {
        const b = src.blockedOn(i);
        rows.push({
          dom: domOf(slot),
          vcpu: idOf(slot),
          sinceNs: src.sinceNs(i),
          blockedOn: b,
          remote: b !== pcpu,
          // Between operations no listed vCPU has ON set (docs/engine.md).
          on: false,
        });
      }
      seen++;
      return true;
    },
  );
  return { total: stopAfterWindow ? knownTotal : seen, rows };
}
