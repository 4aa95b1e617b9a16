/** A reconstructed op stream as store series and back (names in OP_SERIES_NAMES). */
import type { SeriesSet } from '../../../shared/results';
import type { OpColumns } from '../../trace/index';

export function opsSeries(ops: OpColumns): SeriesSet {
  return { 'ops.code': ops.code, 'ops.t': ops.t, 'ops.a': ops.a, 'ops.b': ops.b, 'ops.c': ops.c };
}

export function opsFromSeries(s: SeriesSet): OpColumns | null {
  const { 'ops.code': code, 'ops.t': t, 'ops.a': a, 'ops.b': b, 'ops.c': c } = s;
  if (!(
    code instanceof Uint8Array &&
    t instanceof Float64Array &&
    a instanceof Int32Array &&
    b instanceof Int32Array &&
    c instanceof Int32Array
  ))
    return null;
  return { code, t, a, b, c };
}
