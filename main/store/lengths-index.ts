/**
 * The list-lengths index, built once when a run is saved (table `series_index`, migration 4), so
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
    // Join times are already ascending (rows are in insertion order): checked, not sorted.
    sortTimes(ins.subarray(start[p], start[p + 1]));
    sortTimes(outs.subarray(start[p], start[p + 1]));
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

/**
 * Sorts times ascending in place. Non-negative doubles (+Infinity included) order like their bit
 * patterns read as unsigned integers, so big arrays take an LSD radix sort on 16-bit digits
 * (skipping digits all elements share), several times faster than `Float64Array.sort` on the
 * 4M leave times of a worst-case run; anything else (negative, NaN, short) goes to `sort`.
 */
export function sortTimes(a: Float64Array): void {
  const n = a.length;
  let sorted = true;
  let nonNegative = true;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (!(v >= 0)) nonNegative = false;
    if (i > 0 && v < a[i - 1]) sorted = false;
  }
  if (sorted && nonNegative) return;
  if (!nonNegative || n < 4096) {
    a.sort();
    return;
  }
  let src: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  let dst: Uint32Array = new Uint32Array(2 * n);
  const count = new Uint32Array(1 << 16);
  for (let digit = 0; digit < 4; digit++) {
    const word = digit >> 1;
    const shift = (digit & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[2 * i + word] >>> shift) & 0xffff]++;
    if (count[(src[word] >>> shift) & 0xffff] === n) continue; // one value: nothing moves
    let sum = 0;
    for (let d = 0; d < count.length; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = count[(src[2 * i + word] >>> shift) & 0xffff]++;
      dst[2 * k] = src[2 * i];
      dst[2 * k + 1] = src[2 * i + 1];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  if (src !== out) out.set(src);
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

/** pCPU p's list length at t, from the stored index. */
export function lengthOfList(read: IndexReader, p: number, t: number): number {
  const start = read('idx.start')!;
  const s = start[p];
  const e = start[p + 1];
  return countLE(read, 'in', s, e, t) - countLE(read, 'out', s, e, t);
}

/** Every pCPU's list length at t, from the stored index. */
export function lengthsFromIndex(read: IndexReader, pcpus: number, t: number): number[] {
  const lengths = new Array<number>(pcpus);
  for (let p = 0; p < pcpus; p++) lengths[p] = lengthOfList(read, p, t);
  return lengths;
}
