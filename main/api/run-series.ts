/**
 * Per-pixel binning of a run's stored bucketed series (KernelShark's `kshark_trace_histo` idea,
 * Perfetto's query-on-demand): the renderer asks for `pixels` columns over [t0Ns, t1Ns] and gets
 * at most one value per column per pCPU, so ECharts never sees more points than it can paint.
 *
 * Column c covers [t0 + c*w, t0 + (c+1)*w), w = (t1 - t0) / pixels. A stored bucket contributes
 * to every column it overlaps: max of `len.max`, min of `len.min`, overlap-weighted mean of
 * `len.mean`, `len.last` / `h` / `online` / `bound` of the last overlapping bucket, min of
 * `bound.min`, max of `h.max`. Counts (`overbound`) go to exactly one column (the one holding
 * the bucket's start), so column sums equal bucket sums. When columns fall on bucket boundaries
 * the result is exact.
 */
import type { BinnedSeries, SeriesField } from '../../shared/api';
import { ApiError } from '../../shared/errors';
import type { AnyTypedArray, RunSummary, SeriesSet, Timeline } from '../../shared/results';

export interface RunLike {
  summary: RunSummary;
  timeline: Timeline;
  series: SeriesSet;
}

export interface BinRequest {
  t0Ns?: number;
  t1Ns?: number;
  pixels: number;
  pcpus?: number[];
  /** Per-pCPU arrays to fill (default: all); the others come back empty. */
  fields?: SeriesField[];
}

const EPS = 1e-9;

/** Column geometry shared by every pCPU: the buckets each column overlaps, and overlap weights. */
interface Columns {
  t0: number;
  t1: number;
  w: number;
  /** First and last overlapped bucket per column (-1 / -2 when the column is outside the run). */
  first: Int32Array;
  last: Int32Array;
  /** Overlap (ns) of the column with its first and last bucket (interior buckets overlap fully). */
  firstOv: Float64Array;
  lastOv: Float64Array;
  /** Column that receives each bucket's counts (-1: bucket outside the range). */
  bucketCol: Int32Array;
}

function columns(
  tl: Timeline,
  t0Req: number | undefined,
  t1Req: number | undefined,
  pixels: number,
): Columns {
  const B = tl.buckets;
  const bw = tl.bucketNs;
  const runT0 = tl.t0Ns;
  const runT1 = runT0 + B * bw;
  let t0 = Math.max(runT0, Math.min(t0Req ?? runT0, runT1));
  let t1 = Math.max(runT0, Math.min(t1Req ?? runT1, runT1));
  if (t1 <= t0) {
    // A degenerate range: widen to one bucket around t0 (inside the run).
    t0 = Math.min(t0, runT1 - bw);
    t1 = t0 + bw;
  }
  const w = (t1 - t0) / pixels;
  const first = new Int32Array(pixels);
  const last = new Int32Array(pixels);
  const firstOv = new Float64Array(pixels);
  const lastOv = new Float64Array(pixels);
  for (let c = 0; c < pixels; c++) {
    const cs = t0 + c * w;
    const ce = c === pixels - 1 ? t1 : t0 + (c + 1) * w;
    let a = Math.floor((cs - runT0) / bw + EPS);
    let b = Math.ceil((ce - runT0) / bw - EPS) - 1;
    a = Math.max(0, a);
    b = Math.min(B - 1, b);
    if (b < a) b = a; // a column narrower than float noise still reads its bucket
    first[c] = a;
    last[c] = b;
    const aEnd = runT0 + (a + 1) * bw;
    const bStart = runT0 + b * bw;
    if (a === b) {
      firstOv[c] = lastOv[c] = Math.max(ce - cs, 0);
    } else {
      firstOv[c] = Math.max(Math.min(aEnd, ce) - cs, 0);
      lastOv[c] = Math.max(ce - Math.max(bStart, cs), 0);
    }
  }
  const bucketCol = new Int32Array(B).fill(-1);
  const bFirst = first[0];
  const bLast = last[pixels - 1];
  for (let b = bFirst; b <= bLast; b++) {
    const start = runT0 + b * bw;
    let c = Math.floor((start - t0) / w + EPS);
    if (c < 0) c = 0;
    if (c >= pixels) c = pixels - 1;
    bucketCol[b] = c;
  }
  return { t0, t1, w, first, last, firstOv, lastOv, bucketCol };
}

function colMax(a: AnyTypedArray, off: number, cols: Columns, out: Float64Array): void {
  const { first, last } = cols;
  for (let c = 0; c < out.length; c++) {
    let m = -Infinity;
    for (let b = first[c]; b <= last[c]; b++) {
      const v = a[off + b];
      if (v > m) m = v;
    }
    out[c] = m;
  }
}

function colMin(a: AnyTypedArray, off: number, cols: Columns, out: Float64Array): void {
  const { first, last } = cols;
  for (let c = 0; c < out.length; c++) {
    let m = Infinity;
    for (let b = first[c]; b <= last[c]; b++) {
      const v = a[off + b];
      if (v < m) m = v;
    }
    out[c] = m;
  }
}

function colLast(a: AnyTypedArray, off: number, cols: Columns, out: Float64Array): void {
  for (let c = 0; c < out.length; c++) out[c] = a[off + cols.last[c]];
}

function colMean(
  a: AnyTypedArray,
  off: number,
  cols: Columns,
  bw: number,
  out: Float64Array,
): void {
  const { first, last, firstOv, lastOv } = cols;
  for (let c = 0; c < out.length; c++) {
    const f = first[c];
    const l = last[c];
    if (f === l) {
      out[c] = a[off + f];
      continue;
    }
    let s = a[off + f] * firstOv[c] + a[off + l] * lastOv[c];
    let wsum = firstOv[c] + lastOv[c];
    for (let b = f + 1; b < l; b++) s += a[off + b] * bw;
    wsum += (l - f - 1) * bw;
    out[c] = wsum > 0 ? s / wsum : a[off + l];
  }
}

function colSum(a: AnyTypedArray, off: number, cols: Columns, B: number, out: Float64Array): void {
  const { bucketCol } = cols;
  for (let b = 0; b < B; b++) {
    const c = bucketCol[b];
    if (c >= 0) out[c] += a[off + b];
  }
}

const toArr = (a: Float64Array): number[] => Array.from(a);
const round3 = (a: Float64Array): number[] => {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.round(a[i] * 1000) / 1000;
  return out;
};

export const ALL_FIELDS: SeriesField[] = ['lenMax', 'lenMean', 'lenMin', 'lenLast', 'overBound'];

export function binSeries(run: RunLike, req: BinRequest): BinnedSeries {
  const { timeline: tl, series } = run;
  const P = run.summary.pcpus;
  const B = tl.buckets;
  const pixels = Math.max(1, Math.floor(req.pixels));
  if (B < 1 || !(tl.bucketNs > 0)) throw new ApiError('not-found', 'this run has no time series');
  const pcpus = req.pcpus ?? Array.from({ length: P }, (_, i) => i);
  for (const p of pcpus) {
    if (!Number.isInteger(p) || p < 0 || p >= P)
      throw new ApiError('invalid-argument', `pCPU ${p} out of range (the run has ${P} pCPUs)`);
  }
  const fields = new Set(req.fields ?? ALL_FIELDS);
  const cols = columns(tl, req.t0Ns, req.t1Ns, pixels);
  const tmp = new Float64Array(pixels);

  // Only the series the fields need: with RunCache's lazy series each first read decodes a BLOB.
  const lenMaxS = series['len.max'];
  const pick = (f: SeriesField, name: string) =>
    fields.has(f) ? (series[name] ?? lenMaxS) : undefined;
  const lenMinS = pick('lenMin', 'len.min');
  const lenMeanS = pick('lenMean', 'len.mean');
  const lenLastS = pick('lenLast', 'len.last');
  const overS = series['overbound'];

  const lenMax: number[][] = [];
  const lenMean: number[][] = [];
  const lenMin: number[][] = [];
  const lenLast: number[][] = [];
  const overBoundPcpu: number[][] = [];
  const maxAll = new Float64Array(pixels);
  const overAll = new Float64Array(pixels);

  // Per-column max over every pCPU (the "longest list" line), whatever pCPUs were asked for;
  // folded into the per-pCPU loop below when that loop covers every pCPU.
  const foldMaxAll = fields.has('lenMax') && pcpus.length === P && new Set(pcpus).size === P;
  if (lenMaxS && !foldMaxAll) {
    for (let p = 0; p < P; p++) {
      colMax(lenMaxS, p * B, cols, tmp);
      for (let c = 0; c < pixels; c++) if (tmp[c] > maxAll[c]) maxAll[c] = tmp[c];
    }
  }
  if (overS) for (let p = 0; p < P; p++) colSum(overS, p * B, cols, B, overAll);

  for (const p of pcpus) {
    const off = p * B;
    if (fields.has('lenMax')) {
      if (lenMaxS) colMax(lenMaxS, off, cols, tmp);
      else tmp.fill(0);
      if (foldMaxAll) for (let c = 0; c < pixels; c++) if (tmp[c] > maxAll[c]) maxAll[c] = tmp[c];
      lenMax.push(toArr(tmp));
    }
    if (fields.has('lenMin')) {
      if (lenMinS) colMin(lenMinS, off, cols, tmp);
      else tmp.fill(0);
      lenMin.push(toArr(tmp));
    }
    if (fields.has('lenMean')) {
      if (lenMeanS) colMean(lenMeanS, off, cols, tl.bucketNs, tmp);
      else tmp.fill(0);
      lenMean.push(round3(tmp));
    }
    if (fields.has('lenLast')) {
      if (lenLastS) colLast(lenLastS, off, cols, tmp);
      else tmp.fill(0);
      lenLast.push(toArr(tmp));
    }
    if (fields.has('overBound')) {
      tmp.fill(0);
      if (overS) colSum(overS, off, cols, B, tmp);
      overBoundPcpu.push(toArr(tmp));
    }
  }

  const global = (name: string, how: 'last' | 'min' | 'max', fallback?: string): number[] => {
    const a = series[name] ?? (fallback ? series[fallback] : undefined);
    if (!a) return new Array<number>(pixels).fill(0);
    const out = new Float64Array(pixels);
    if (how === 'last') colLast(a, 0, cols, out);
    else if (how === 'min') colMin(a, 0, cols, out);
    else colMax(a, 0, cols, out);
    return toArr(out);
  };

  const tNs = new Array<number>(pixels);
  for (let c = 0; c < pixels; c++) tNs[c] = cols.t0 + c * cols.w;

  return {
    t0Ns: cols.t0,
    t1Ns: cols.t1,
    pixels,
    tNs,
    pcpus: [...pcpus],
    lenMax,
    lenMean,
    lenMin,
    lenLast,
    overBoundPcpu,
    lenMaxAll: toArr(maxAll),
    h: global('h', 'last'),
    hMax: global('h.max', 'max', 'h'),
    online: global('online', 'last'),
    bound: global('bound', 'last'),
    boundMin: global('bound.min', 'min', 'bound'),
    overBound: toArr(overAll),
  };
}

/** Names `seriesCsv` can export. */
export const CSV_NAMES = [
  'timeline',
  'len.max',
  'len.min',
  'len.mean',
  'len.last',
  'overbound',
  'walks',
] as const;

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/** Full-resolution CSV of one stored series (one row per bucket, or per walk-length value). */
export function seriesCsv(run: RunLike, name: string): { csv: string; fileName: string } {
  const { timeline: tl, series } = run;
  const B = tl.buckets;
  const P = run.summary.pcpus;
  const lines: string[] = [];
  const t = (b: number) => fmt(tl.t0Ns + b * tl.bucketNs);
  if (name === 'timeline') {
    const cols = ['h', 'h.max', 'online', 'bound', 'bound.min'].filter((n) => series[n]);
    const over = series['overbound'];
    lines.push(
      ['t_ns', ...cols.map((c) => c.replace('.', '_')), ...(over ? ['overbound'] : [])].join(','),
    );
    for (let b = 0; b < B; b++) {
      const row = [t(b), ...cols.map((c) => fmt(series[c][b]))];
      if (over) {
        let s = 0;
        for (let p = 0; p < P; p++) s += over[p * B + b];
        row.push(String(s));
      }
      lines.push(row.join(','));
    }
  } else if (name === 'walks') {
    const values = series['walk.values'];
    const counts = series['walk.counts'];
    if (!values || !counts) throw new ApiError('not-found', 'this run has no walk histogram');
    lines.push('entries_walked,wakeup_interrupts');
    for (let i = 0; i < values.length; i++) lines.push(`${fmt(values[i])},${fmt(counts[i])}`);
  } else if ((CSV_NAMES as readonly string[]).includes(name)) {
    const a = series[name];
    if (!a) throw new ApiError('not-found', `this run has no series "${name}"`);
    const header = ['t_ns'];
    for (let p = 0; p < P; p++) header.push(`pcpu${p}`);
    lines.push(header.join(','));
    const row = new Array<string>(P + 1);
    for (let b = 0; b < B; b++) {
      row[0] = t(b);
      for (let p = 0; p < P; p++) row[p + 1] = fmt(a[p * B + b]);
      lines.push(row.join(','));
    }
  } else {
    throw new ApiError(
      'invalid-argument',
      `unknown series "${name}" (one of: ${CSV_NAMES.join(', ')})`,
    );
  }
  return { csv: lines.join('\n') + '\n', fileName: `${name.replace(/\./g, '-')}.csv` };
}
