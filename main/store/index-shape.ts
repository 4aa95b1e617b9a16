/**
 * The shape a run's save-time index rows (`series_index`) must have, from the run's pCPU count and
 * residency rows: the names, dtypes and lengths lengths-index.ts and residency-index.ts write.
 * Notebook import (main/notebook/row-checks.ts) refuses a file whose index is cut, padded or
 * renamed, since the list queries index into these arrays without rereading the log.
 */
import type { SeriesDType } from '../../shared/results';
import { CHUNK, SAMPLE } from './lengths-index';
import { blockStarts, RX_BLOCKS, RX_CHUNKS } from './residency-index';

export interface IndexArray {
  name: string;
  dtype: string;
  length: number;
}

/** Per-pCPU offsets that fit N rows: from 0, never decreasing, ending at N. */
function startProblem(start: ArrayLike<number>, pcpus: number, rows: number): string | null {
  if (start.length !== pcpus + 1)
    return `idx.start holds ${start.length} offsets, not ${pcpus + 1}`;
  if (start[0] !== 0) return 'idx.start does not begin at 0';
  for (let p = 0; p < pcpus; p++)
    if (start[p + 1] < start[p]) return `idx.start decreases at pCPU ${p}`;
  if (start[pcpus] !== rows) return `idx.start ends at ${start[pcpus]}, not at ${rows} rows`;
  return null;
}

/**
 * What is wrong with one run's index rows, or null. `rows` is the length of its residency log
 * (null: it has none), `start` the decoded `idx.start` when there is one.
 */
export function indexShapeProblem(
  pcpus: number,
  rows: number | null,
  arrays: IndexArray[],
  start: ArrayLike<number> | null,
): string | null {
  if (arrays.length === 0) return null;
  if (rows === null) return 'an index without a residency log';
  if (!start) return 'an index without idx.start';
  const bad = startProblem(start, pcpus, rows);
  if (bad) return bad;
  const want = new Map<string, [SeriesDType, number]>();
  const chunks = Math.ceil(rows / CHUNK);
  const chunkLength = (c: number) => Math.min(CHUNK, rows - c * CHUNK);
  want.set('idx.start', ['u32', pcpus + 1]);
  for (const kind of ['in', 'out']) {
    want.set(`idx.${kind}.sample`, ['f64', Math.ceil(rows / SAMPLE)]);
    for (let c = 0; c < chunks; c++) want.set(`idx.${kind}.${c}`, ['f64', chunkLength(c)]);
  }
  // The residency index is optional (runs saved before it, or whose join times were unordered).
  if (arrays.some((a) => a.name.startsWith('rx.'))) {
    const blocks = blockStarts(start)[pcpus];
    for (const name of RX_BLOCKS) want.set(name, ['f64', blocks]);
    for (const [prefix, dtype] of Object.entries(RX_CHUNKS))
      for (let c = 0; c < chunks; c++) want.set(`${prefix}.${c}`, [dtype, chunkLength(c)]);
  }
  const have = new Set<string>();
  for (const a of arrays) {
    const w = want.get(a.name);
    if (!w) return `unexpected index array ${JSON.stringify(a.name)}`;
    if (a.dtype !== w[0] || a.length !== w[1])
      return `index array ${a.name} is ${a.dtype} x ${a.length}, expected ${w[0]} x ${w[1]}`;
    have.add(a.name);
  }
  for (const name of want.keys()) if (!have.has(name)) return `index array ${name} is missing`;
  return null;
}
