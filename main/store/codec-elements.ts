/**
 * Reading single elements of a stored series without decoding it whole (codec.ts layouts): a
 * page of list rows needs the domain and vCPU id of 200 vCPU slots, not two 4M-element tables.
 * A run-length coded series is looked up by binary search over its runs' first positions; a
 * `drle` one also keeps each run's starting value, so an element is that value plus its offset
 * times the run's difference, wrapped to the element width as decoding wraps it.
 */
import { typedArrayFromBytes, type SeriesDType } from '../../shared/results';
import { bytesPer, runsOf } from './codec';

/** Element i of the series (0 <= i < length). */
export type ElementReader = (i: number) => number;

/** Wraps an integer sum to the element width (decoding's typed-array stores do the same). */
function wrapper(dtype: SeriesDType): (x: number) => number {
  switch (dtype) {
    case 'u32':
      return (x) => x >>> 0;
    case 'i32':
      return (x) => x | 0;
    case 'u16':
      return (x) => x & 0xffff;
    case 'u8':
      return (x) => x & 0xff;
    default:
      throw new Error(`codec drle on a ${dtype} series`);
  }
}

/** The run holding element i: the last r with first[r] <= i. */
function runOf(first: Float64Array, i: number): number {
  let lo = 0;
  let hi = first.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A reader of the series stored as `codec`; throws on a corrupt BLOB or an unknown codec. */
export function elementReader(
  codec: string,
  dtype: SeriesDType,
  bytes: Uint8Array,
  length: number,
): ElementReader {
  if (codec === 'raw') {
    const a = typedArrayFromBytes(dtype, bytes);
    return (i) => a[i];
  }
  if (codec !== 'rle' && codec !== 'drle')
    throw new Error(`series stored with an unknown codec "${codec}" (a newer Xen PI Lab?)`);
  const { buffer, runs, counts, valuesAt } = runsOf(dtype, bytes);
  // The run values in the series' own type (a drle series': the differences' bits).
  const values = typedArrayFromBytes(
    dtype,
    new Uint8Array(buffer, valuesAt, runs * bytesPer(dtype)),
  );
  const first = new Float64Array(Math.max(1, runs));
  let at = 0;
  for (let r = 0; r < runs; r++) {
    first[r] = at;
    at += counts[r];
  }
  if (at !== length)
    throw new Error(`corrupt run-length series: ${at} elements, expected ${length}`);
  if (codec === 'rle') return (i) => values[runOf(first, i)];
  const wrap = wrapper(dtype);
  // The element before each run (0 before the first: its difference is the first element).
  const before = new Float64Array(Math.max(1, runs));
  let v = 0;
  for (let r = 0; r < runs; r++) {
    before[r] = v;
    v = wrap(v + Math.imul(counts[r], values[r]));
  }
  return (i) => {
    const r = runOf(first, i);
    return wrap(before[r] + Math.imul(i - first[r] + 1, values[r]));
  };
}
