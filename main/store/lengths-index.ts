/**
 * The list-lengths index, built once when a run is saved (table `series_index`, migration 3), so
 * the first cursor query on a 4M-vCPU run reads a few chunks instead of the whole residency log.
 *
 * A row of the residency log (`res.*`, shared/results.ts) is on its list at t iff tIn <= t < tOut,
 * and tIn <= tOut, so the length of pCPU p's list at t is
 *     #{rows of p : tIn <= t} - #{rows of p : tOut <= t}.
 * The index holds, per pCPU, its rows' join times and leave times, each sorted ascending, the
 * pCPUs one after another (`idx.start`: pCPU p's rows are [start[p], start[p+1])). Both arrays
 * are cut into chunks of CHUNK values (`idx.in.<c>`, `idx.out.<c>`), and every SAMPLE-th value is
 * kept in `idx.in.sample` / `idx.out.sample`: a count is a binary search over the samples, then
 * one inside the single chunk that holds the SAMPLE values around t.
 */
import type { AnyTypedArray, SeriesSet } from '../../shared/results';

/** Values per stored chunk (512 KiB of f64); a multiple of SAMPLE. */
export const CHUNK = 1 << 16;
/** Every SAMPLE-th value is sampled: the window searched inside a chunk. */
export const SAMPLE = 1 << 10;

/** The index of a run with a residency log; null when the run has none. */
export function buildLengthsIndex(pcpus: number, series: SeriesSet): SeriesSet | null {
  const tIn = series['res.tIn'];
  const tOut = series['res.tOut'];
  const pc = series['res.pcpu'];
  if (!tIn || !tOut || !pc) return null;
  const n = pc.length;
  const start = new Uint32Array(pcpus + 1);
  for (let i = 0; i < n; i++) start[pc[i] + 1]++;
  for (let p = 0; p < pcpus; p++) start[p + 1] += start[p];
  const fill = start.slice(0, pcpus);
  const ins = new Float64Array(n);
  const outs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = fill[pc[i]]++;
    ins[k] = tIn[i];
    outs[k] = tOut[i];
  }
  for (let p = 0; p < pcpus; p++) {
    // Join times are already ascending (rows are in insertion order); sorting them is cheap.
    ins.subarray(start[p], start[p + 1]).sort();
    outs.subarray(start[p], start[p + 1]).sort();
  }
  const out: SeriesSet = {
    'idx.start': start,
    'idx.in.sample': sample(ins),
    'idx.out.sample': sample(outs),
  };
  for (let c = 0; c * CHUNK < n; c++) {
    out[`idx.in.${c}`] = ins.subarray(c * CHUNK, Math.min(n, (c + 1) * CHUNK));
    out[`idx.out.${c}`] = outs.subarray(c * CHUNK, Math.min(n, (c + 1) * CHUNK));
  }
  return out;
}

function sample(a: Float64Array): Float64Array {
  const s = new Float64Array(Math.ceil(a.length / SAMPLE));
  for (let j = 0; j < s.length; j++) s[j] = a[j * SAMPLE];
  return s;
}

/** Reads index arrays by name (loading chunks on first use); undefined when absent. */
export type IndexReader = (name: string) => AnyTypedArray | undefined;

/**
 * How many of the sorted values at global positions [s, e) of `kind` ('in' or 'out') are <= t.
 * Reads the samples and at most one chunk.
 */
function countLE(read: IndexReader, kind: 'in' | 'out', s: number, e: number, t: number): number {
  if (e <= s) return 0;
  const samples = read(`idx.${kind}.sample`)!;
  // First sample in [s, e) above t bounds the answer from above, the one before it from below.
  let a = Math.ceil(s / SAMPLE);
  let b = Math.floor((e - 1) / SAMPLE) + 1;
  const first = a;
  while (a < b) {
    const m = (a + b) >> 1;
    if (samples[m] <= t) a = m + 1;
    else b = m;
  }
  const lastSample = Math.floor((e - 1) / SAMPLE);
  let lo = a > first ? (a - 1) * SAMPLE + 1 : s;
  let hi = a <= lastSample ? a * SAMPLE : e;
  if (lo < s) lo = s;
  if (hi > e) hi = e;
  // [lo, hi) lies inside one SAMPLE block, hence inside one chunk.
  if (lo < hi) {
    const c = Math.floor(lo / CHUNK);
    const chunk = read(`idx.${kind}.${c}`)!;
    const base = c * CHUNK;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (chunk[m - base] <= t) lo = m + 1;
      else hi = m;
    }
  }
  return lo - s;
}

/** Every pCPU's list length at t, from the stored index. */
export function lengthsFromIndex(read: IndexReader, pcpus: number, t: number): number[] {
  const start = read('idx.start')!;
  const lengths = new Array<number>(pcpus);
  for (let p = 0; p < pcpus; p++) {
    const s = start[p];
    const e = start[p + 1];
    lengths[p] = countLE(read, 'in', s, e, t) - countLE(read, 'out', s, e, t);
  }
  return lengths;
}
