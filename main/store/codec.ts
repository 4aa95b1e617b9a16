/**
 * How a series BLOB is stored (the `series.codec` column, migration 3). Most of a big run's bytes
 * are long runs of one value: the per-pCPU bucket series of idle pCPUs (zeros), the residency
 * log's list and blocked-on pCPUs (all 0 in the worst case), the vCPU slots' domain ids (runs of
 * 128) and vCPU ids (0..127 over and over, runs of +1 once differenced). Run-length coding keeps
 * them at a few KB, costs one pass each way (far less than zlib, which would double a 4M-vCPU
 * save), and leaves the float time columns, which it cannot shrink, raw.
 *
 *  - `raw`:  the array's bytes, little-endian, as written before migration 3;
 *  - `rle`:  runs of equal elements (compared bit for bit, so -0, NaN payloads survive);
 *  - `drle`: integer arrays only: element-wise differences (wrapping in the array's own width,
 *    so exactly reversible), then `rle`.
 * Encoded layout: u32 run count n, u32 0 (pad: values stay 8-byte aligned), n run values in the
 * array's dtype, zero padding to a multiple of 4 bytes, n u32 run lengths.
 */
import { typedArrayFromBytes, type AnyTypedArray, type SeriesDType } from '../../shared/results';

export type SeriesCodec = 'raw' | 'rle' | 'drle';

export const CODECS: readonly SeriesCodec[] = ['raw', 'rle', 'drle'];

/** A coded array keeps its codec only when it is at most this fraction of the raw bytes. */
const WORTH = 0.5;

const HEADER = 8;

/** Byte offset of the run lengths after n values of bpe bytes each. */
const countsAt = (n: number, bpe: number) => HEADER + Math.ceil((n * bpe) / 4) * 4;

type IntArray = Uint32Array | Int32Array | Uint16Array | Uint8Array;

function isInt(a: AnyTypedArray): a is IntArray {
  return !(a instanceof Float64Array || a instanceof Float32Array);
}

/** The element bits as unsigned words (two per f64), so equal means bit-identical. */
function words(a: AnyTypedArray): { w: Uint32Array | Uint16Array | Uint8Array; per: number } {
  if (a instanceof Float64Array)
    return { w: new Uint32Array(a.buffer, a.byteOffset, a.length * 2), per: 2 };
  if (a instanceof Uint16Array) return { w: a, per: 1 };
  if (a instanceof Uint8Array) return { w: a, per: 1 };
  return { w: new Uint32Array(a.buffer, a.byteOffset, a.length), per: 1 };
}

/** Number of runs of bit-identical elements, stopping early past `cap`. */
function countRuns(a: AnyTypedArray, cap: number): number {
  if (a.length === 0) return 0;
  const { w, per } = words(a);
  let runs = 1;
  if (per === 2) {
    for (let i = 2; i < w.length; i += 2) {
      if (w[i] !== w[i - 2] || w[i + 1] !== w[i - 1]) if (++runs > cap) return runs;
    }
  } else {
    for (let i = 1; i < w.length; i++) if (w[i] !== w[i - 1]) if (++runs > cap) return runs;
  }
  return runs;
}

function rle(a: AnyTypedArray, runs: number): Uint8Array {
  const bpe = a.BYTES_PER_ELEMENT;
  const out = new Uint8Array(countsAt(runs, bpe) + runs * 4);
  new Uint32Array(out.buffer, 0, 2)[0] = runs;
  const values = new Uint8Array(out.buffer, HEADER, runs * bpe);
  const counts = new Uint32Array(out.buffer, countsAt(runs, bpe), runs);
  const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const { w, per } = words(a);
  let r = 0;
  let start = 0;
  const same =
    per === 2
      ? (i: number, j: number) => w[2 * i] === w[2 * j] && w[2 * i + 1] === w[2 * j + 1]
      : (i: number, j: number) => w[i] === w[j];
  for (let i = 1; i <= a.length; i++) {
    if (i < a.length && same(i, start)) continue;
    values.set(src.subarray(start * bpe, (start + 1) * bpe), r * bpe);
    counts[r++] = i - start;
    start = i;
  }
  return out;
}

function unrle(dtype: SeriesDType, bytes: Uint8Array, length: number): AnyTypedArray {
  // An aligned copy: SQLite's BLOB buffers need not be aligned for 4- and 8-byte views.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const bpe = bytesPer(dtype);
  const runs = bytes.byteLength >= HEADER ? new Uint32Array(copy.buffer, 0, 1)[0] : -1;
  if (runs < 0 || bytes.byteLength !== countsAt(runs, bpe) + runs * 4)
    throw new Error('corrupt run-length series: its size does not match its run count');
  const out = typedArrayFromBytes(dtype, new Uint8Array(length * bpe));
  const values = typedArrayFromBytes(dtype, copy.subarray(HEADER, HEADER + runs * bpe));
  const counts = new Uint32Array(copy.buffer, countsAt(runs, bpe), runs);
  let at = 0;
  for (let r = 0; r < runs; r++) {
    const n = counts[r];
    if (at + n > length) throw new Error(`corrupt run-length series: more than ${length} elements`);
    out.fill(values[r] as never, at, at + n);
    at += n;
  }
  if (at !== length)
    throw new Error(`corrupt run-length series: ${at} elements, expected ${length}`);
  return out;
}

function bytesPer(dtype: SeriesDType): number {
  return { f64: 8, f32: 4, u32: 4, i32: 4, u16: 2, u8: 1 }[dtype];
}

function diff(a: IntArray): IntArray {
  const d = new (a.constructor as new (n: number) => IntArray)(a.length);
  let prev = 0;
  for (let i = 0; i < a.length; i++) {
    d[i] = a[i] - prev; // the typed array wraps to its width: exactly reversible
    prev = a[i];
  }
  return d;
}

function undiff(d: IntArray): IntArray {
  for (let i = 1; i < d.length; i++) d[i] = d[i] + d[i - 1];
  return d;
}

/**
 * The smallest of raw / rle / drle for `a` (a coded form only when it is at most half the raw
 * bytes). Float `rle` keeps -0 and NaN payloads: runs compare bits, not values.
 */
export function encodeSeries(a: AnyTypedArray): { codec: SeriesCodec; data: Uint8Array } {
  if (!ArrayBuffer.isView(a) || a instanceof DataView)
    throw new TypeError(`a series must be a typed array, got ${Object.prototype.toString.call(a)}`);
  const raw = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const bpe = a.BYTES_PER_ELEMENT;
  const cap = Math.floor((a.byteLength * WORTH - HEADER - 4) / (bpe + 4));
  if (a.length === 0 || cap < 1) return { codec: 'raw', data: raw };
  let best: { codec: SeriesCodec; runs: number; of: AnyTypedArray } | null = null;
  const runs = countRuns(a, cap);
  if (runs <= cap) best = { codec: 'rle', runs, of: a };
  if (isInt(a)) {
    const d = diff(a);
    const druns = countRuns(d, best ? best.runs - 1 : cap);
    if (druns <= (best ? best.runs - 1 : cap)) best = { codec: 'drle', runs: druns, of: d };
  }
  if (!best) return { codec: 'raw', data: raw };
  return { codec: best.codec, data: rle(best.of, best.runs) };
}

/** The array stored as `codec`; throws on a codec this version does not know. */
export function decodeSeries(
  codec: string,
  dtype: SeriesDType,
  bytes: Uint8Array,
  length: number,
): AnyTypedArray {
  switch (codec) {
    case 'raw':
      return typedArrayFromBytes(dtype, bytes);
    case 'rle':
      return unrle(dtype, bytes, length);
    case 'drle': {
      const d = unrle(dtype, bytes, length);
      if (!isInt(d)) throw new Error(`codec drle on a ${dtype} series`);
      return undiff(d);
    }
    default:
      throw new Error(`series stored with an unknown codec "${codec}" (a newer Xen PI Lab?)`);
  }
}
