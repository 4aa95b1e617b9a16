/**
 * How a series BLOB is stored (the `series.codec` column, migration 4). Most of a big run's bytes
 * are long runs of one value: the per-pCPU bucket series of idle pCPUs (zeros), the residency
 * log's list and blocked-on pCPUs (all 0 in the worst case), the vCPU slots' domain ids (runs of
 * 128) and vCPU ids (0..127 over and over, runs of +1 once differenced). Run-length coding keeps
 * them at a few KB, costs one pass each way (far less than zlib, which would double a 4M-vCPU
 * save), and leaves the float time columns, which it cannot shrink, raw.
 *
 *  - `raw`:  the array's bytes, little-endian, as written before migration 4;
 *  - `rle`:  runs of equal elements (compared bit for bit, so -0, NaN payloads survive);
 *  - `drle`: integer arrays only: element-wise differences (wrapping in the array's own width,
 *    so exactly reversible), then `rle`.
 * Encoded layout: u32 run count n, u32 0 (pad: values stay 8-byte aligned), n run values in the
 * array's dtype, zero padding to a multiple of 4 bytes, n u32 run lengths.
 */
import {
  dtypeOf,
  typedArrayFromBytes,
  type AnyTypedArray,
  type SeriesDType,
} from '../../shared/results';

export type SeriesCodec = 'raw' | 'rle' | 'drle';

/** A coded array keeps its codec only when it is at most this fraction of the raw bytes. */
const WORTH = 0.5;

const HEADER = 8;

/** Byte offset of the run lengths after n values of bpe bytes each. */
const countsAt = (n: number, bpe: number) => HEADER + Math.ceil((n * bpe) / 4) * 4;

type Words = Uint32Array | Uint16Array | Uint8Array;

const isFloat = (d: SeriesDType) => d === 'f64' || d === 'f32';

/**
 * The element bits as unsigned words, `per` words per element (2 for f64): runs compare words, so
 * equal means bit-identical, and values are copied as words, never through a float.
 */
function wordsOf(buffer: ArrayBufferLike, byteOffset: number, dtype: SeriesDType, n: number) {
  switch (dtype) {
    case 'f64':
      return { w: new Uint32Array(buffer, byteOffset, n * 2) as Words, per: 2, mask: -1 };
    case 'u16':
      return { w: new Uint16Array(buffer, byteOffset, n) as Words, per: 1, mask: 0xffff };
    case 'u8':
      return { w: new Uint8Array(buffer, byteOffset, n) as Words, per: 1, mask: 0xff };
    default:
      return { w: new Uint32Array(buffer, byteOffset, n) as Words, per: 1, mask: -1 };
  }
}

/**
 * Runs of equal elements (`delta`: of equal wrapping differences, one-word elements only),
 * counting stops just past `cap`.
 */
function countRuns(w: Words, per: number, delta: boolean, mask: number, cap: number): number {
  const n = w.length;
  let runs = 1;
  if (per === 2) {
    for (let i = 2; i < n; i += 2)
      if ((w[i] !== w[i - 2] || w[i + 1] !== w[i - 1]) && ++runs > cap) return runs;
  } else if (!delta) {
    for (let i = 1; i < n; i++) if (w[i] !== w[i - 1] && ++runs > cap) return runs;
  } else {
    let prev = w[0] & mask;
    for (let i = 1; i < n; i++) {
      const d = (w[i] - w[i - 1]) & mask;
      if (d !== prev) {
        prev = d;
        if (++runs > cap) return runs;
      }
    }
  }
  return runs;
}

/** The encoded BLOB of `runs` runs (layout in the file comment). */
function writeRuns(
  w: Words,
  per: number,
  delta: boolean,
  mask: number,
  runs: number,
  bpe: number,
): Uint8Array {
  const out = new Uint8Array(countsAt(runs, bpe) + runs * 4);
  new Uint32Array(out.buffer, 0, 2)[0] = runs;
  const Ctor = w.constructor as new (b: ArrayBufferLike, o: number, n: number) => Words;
  const values = new Ctor(out.buffer, HEADER, runs * per);
  const counts = new Uint32Array(out.buffer, countsAt(runs, bpe), runs);
  const n = w.length / per;
  let r = 0;
  let start = 0;
  if (per === 2) {
    for (let i = 1; i <= n; i++) {
      if (i < n && w[2 * i] === w[2 * start] && w[2 * i + 1] === w[2 * start + 1]) continue;
      values[2 * r] = w[2 * start];
      values[2 * r + 1] = w[2 * start + 1];
      counts[r++] = i - start;
      start = i;
    }
  } else if (!delta) {
    for (let i = 1; i <= n; i++) {
      if (i < n && w[i] === w[start]) continue;
      values[r] = w[start];
      counts[r++] = i - start;
      start = i;
    }
  } else {
    let cur = w[0] & mask;
    for (let i = 1; i <= n; i++) {
      const d = i < n ? (w[i] - w[i - 1]) & mask : NaN;
      if (d === cur) continue;
      values[r] = cur;
      counts[r++] = i - start;
      start = i;
      cur = d;
    }
  }
  return out;
}

export function bytesPer(dtype: SeriesDType): number {
  return { f64: 8, f32: 4, u32: 4, i32: 4, u16: 2, u8: 1 }[dtype];
}

/** A zeroed array of `dtype` and `length` elements. */
function allocate(dtype: SeriesDType, length: number): AnyTypedArray {
  switch (dtype) {
    case 'f64':
      return new Float64Array(length);
    case 'f32':
      return new Float32Array(length);
    case 'u32':
      return new Uint32Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u16':
      return new Uint16Array(length);
    case 'u8':
      return new Uint8Array(length);
  }
}

/*
 * The decoding loops, one per element width: each loop's array accesses then see a single array
 * type, which keeps them several times faster than one loop over any width (a 4M-element vCPU id
 * column decodes in a few ms instead of tens).
 */

/** f64 runs, copied as pairs of words (bit for bit). Returns the elements written. */
function fillPairs(ow: Uint32Array, values: Uint32Array, counts: Uint32Array, length: number) {
  let at = 0;
  for (let r = 0; r < counts.length; r++) {
    const n = counts[r];
    if (at + n > length) return -1;
    const lo = values[2 * r];
    const hi = values[2 * r + 1];
    for (let i = at; i < at + n; i++) {
      ow[2 * i] = lo;
      ow[2 * i + 1] = hi;
    }
    at += n;
  }
  return at;
}

/** One-word runs. Returns the elements written, -1 past `length`. */
function fillWords(ow: Words, values: Words, counts: Uint32Array, length: number) {
  let at = 0;
  for (let r = 0; r < counts.length; r++) {
    const n = counts[r];
    if (at + n > length) return -1;
    ow.fill(values[r], at, at + n);
    at += n;
  }
  return at;
}

function prefixSum32(a: Uint32Array): void {
  for (let i = 1; i < a.length; i++) a[i] = a[i] + a[i - 1]; // wraps to 32 bits
}
function prefixSum16(a: Uint16Array): void {
  for (let i = 1; i < a.length; i++) a[i] = a[i] + a[i - 1];
}
function prefixSum8(a: Uint8Array): void {
  for (let i = 1; i < a.length; i++) a[i] = a[i] + a[i - 1];
}

/**
 * The runs of a coded BLOB over an aligned copy of it (SQLite's BLOB buffers need not be aligned
 * for 4- and 8-byte views): `buffer`, their count and their lengths; throws when its size does
 * not match its run count.
 */
export function runsOf(dtype: SeriesDType, bytes: Uint8Array) {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const bpe = bytesPer(dtype);
  const runs = bytes.byteLength >= HEADER ? new Uint32Array(copy.buffer, 0, 1)[0] : -1;
  if (runs < 0 || bytes.byteLength !== countsAt(runs, bpe) + runs * 4)
    throw new Error('corrupt run-length series: its size does not match its run count');
  const counts = new Uint32Array(copy.buffer, countsAt(runs, bpe), runs);
  return { buffer: copy.buffer, runs, counts, valuesAt: HEADER };
}

/** Decodes runs into a fresh array of `dtype`; `delta` then sums the differences (wrapping). */
function readRuns(dtype: SeriesDType, bytes: Uint8Array, length: number, delta: boolean) {
  const { buffer, runs, counts } = runsOf(dtype, bytes);
  const out = allocate(dtype, length);
  const { w: ow, per } = wordsOf(out.buffer, 0, dtype, length);
  const { w: values } = wordsOf(buffer, HEADER, dtype, runs);
  const at =
    per === 2
      ? fillPairs(ow as Uint32Array, values as Uint32Array, counts, length)
      : fillWords(ow, values, counts, length);
  if (at < 0) throw new Error(`corrupt run-length series: more than ${length} elements`);
  if (at !== length)
    throw new Error(`corrupt run-length series: ${at} elements, expected ${length}`);
  if (delta) {
    // Wraps to the element width (i32 is summed as its u32 bits: the same bits).
    if (ow instanceof Uint32Array) prefixSum32(ow);
    else if (ow instanceof Uint16Array) prefixSum16(ow);
    else prefixSum8(ow);
  }
  return out;
}

/**
 * The smallest of raw / rle / drle for `a` (a coded form only when it is at most `worth` of the
 * raw bytes: half by default). Runs compare bits, not values, so -0 and NaN payloads survive.
 */
export function encodeSeries(
  a: AnyTypedArray,
  worth = WORTH,
): { codec: SeriesCodec; data: Uint8Array } {
  if (!ArrayBuffer.isView(a) || a instanceof DataView)
    throw new TypeError(`a series must be a typed array, got ${Object.prototype.toString.call(a)}`);
  const raw = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const dtype = dtypeOf(a);
  const bpe = a.BYTES_PER_ELEMENT;
  const cap = Math.floor((a.byteLength * worth - HEADER - 4) / (bpe + 4));
  if (a.length === 0 || cap < 1) return { codec: 'raw', data: raw };
  const { w, per, mask } = wordsOf(a.buffer, a.byteOffset, dtype, a.length);
  let codec: SeriesCodec = 'raw';
  let runs = countRuns(w, per, false, mask, cap);
  if (runs <= cap) codec = 'rle';
  else runs = cap + 1;
  // Differences only pay when plain runs are many (ramps such as vCPU ids 0..127 repeated).
  if (!isFloat(dtype) && runs > 64) {
    const druns = countRuns(w, per, true, mask, runs - 1);
    if (druns < runs) {
      codec = 'drle';
      runs = druns;
    }
  }
  if (codec === 'raw') return { codec, data: raw };
  return { codec, data: writeRuns(w, per, codec === 'drle', mask, runs, bpe) };
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
      return readRuns(dtype, bytes, length, false);
    case 'drle':
      if (isFloat(dtype)) throw new Error(`codec drle on a ${dtype} series`);
      return readRuns(dtype, bytes, length, true);
    default:
      throw new Error(`series stored with an unknown codec "${codec}" (a newer Xen PI Lab?)`);
  }
}
