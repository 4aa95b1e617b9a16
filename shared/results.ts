/**
 * What a run (simulation, trace occupancy, or replay) produces and the store keeps.
 * Small things live in `RunSummary` (JSON); large things are typed arrays (`SeriesSet`), stored
 * as BLOBs, one per name. Layouts are fixed here so the engine, the trace importer, the store and
 * the renderer agree.
 */
import type { OpName } from './ops';

/** count / min / mean / percentiles / max in the layout of xenalyze and `perf sched`. */
export interface DistributionStats {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PerPcpuSummary {
  pcpu: number;
  maxLength: number;
  finalLength: number;
}

/** End-of-run state and counters; field names are the CLI's `--json` output (README documents them). */
export interface RunSummary {
  policy: string;
  K: number;
  pcpus: number;
  /** HVM vCPUs at the end of the run. */
  H: number;
  onlinePcpus: number;
  /** floor(H / onlinePcpus) + K at the end of the run (with the policy's knobs applied). */
  bound: number;
  wakeupInterrupts: number;
  walked: number;
  remotePlacements: number;
  fixupMoves: number;
  anomalies: number;
  boundOverflows: number;
  maxListLength: number;
  /** Where and when the longest list was first reached. */
  maxListPcpu: number;
  maxListAtNs: number;
  /** The bound in force when the longest list was reached. */
  boundAtMax: number;
  perPcpu: PerPcpuSummary[];
  opCounts: Partial<Record<OpName, number>>;
  /** Entries walked per wakeup interrupt. */
  walkStats: DistributionStats;
  /** Walk time per wakeup interrupt, ns (entry cost + per-entry cost x length). */
  walkTimeNsStats: DistributionStats;
  /** Insertions that made a list longer than the bound in force (any policy). */
  overBoundInsertions: number;
  /** Virtual time of the first and last operation, ns. */
  startNs: number;
  endNs: number;
  operations: number;
  /** vCPUs ever created (slots of `vcpu.dom` / `vcpu.id`). */
  vcpus: number;
  /** Distinct domain ids ever seen. */
  domains: number;
  /**
   * null when the list-contents index (`res.*`) is complete; otherwise the time from which
   * residencies stopped being logged (over 16M of them): lengthsAt/listAt refuse later times.
   */
  listIndexTruncatedAtNs?: number | null;
  /** The cost model the walk times were computed with. */
  costs?: CostModel;
  // Lists above the bound in force (docs/engine.md, "Above the bound"): the model never
  // rebalances, so a list may stay above the bound after H falls or pCPUs come online. "Above" is
  // length > bound, the bound of `bound` (floor(H / D) + K with the run's knobs) whatever the
  // policy. Absent in runs saved before these figures existed.
  /** Integral over time of the lists above the bound, pCPU x ns. */
  aboveBoundPcpuNs?: number;
  /** Integral over time of the entries above the bound, summed over lists, entry x ns. */
  aboveBoundEntryNs?: number;
  /** Largest (length - bound) of a list after any operation; 0 if never above. */
  aboveBoundMaxExcess?: number;
  /** When that largest excess was first reached (null if never above). */
  aboveBoundMaxAtNs?: number | null;
  /** Operations after which some list was above the bound in force. */
  aboveBoundSteps?: number;
  /** Coalesced wakeups only (`policy.coalesceNs` > 0): the handler latency, ns. */
  coalesceNs?: number;
  /** Coalesced wakeups only: posts that joined their list's pending handler (no walk of their own). */
  coalescedPosts?: number;
  /** Coalesced wakeups only: handlers dropped because their pCPU went offline before they ran. */
  cancelledWakeups?: number;
}

export type SeriesDType = 'f64' | 'f32' | 'u32' | 'i32' | 'u16' | 'u8';

export type TypedArrayOf<D extends SeriesDType> = D extends 'f64'
  ? Float64Array
  : D extends 'f32'
    ? Float32Array
    : D extends 'u32'
      ? Uint32Array
      : D extends 'i32'
        ? Int32Array
        : D extends 'u16'
          ? Uint16Array
          : Uint8Array;

export type AnyTypedArray =
  Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

export function dtypeOf(a: AnyTypedArray): SeriesDType {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint16Array) return 'u16';
  return 'u8';
}

export function typedArrayFromBytes(dtype: SeriesDType, bytes: Uint8Array): AnyTypedArray {
  // Copy into a fresh, aligned buffer: SQLite BLOB buffers need not be aligned for 8-byte types.
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  switch (dtype) {
    case 'f64':
      return new Float64Array(buf);
    case 'f32':
      return new Float32Array(buf);
    case 'u32':
      return new Uint32Array(buf);
    case 'i32':
      return new Int32Array(buf);
    case 'u16':
      return new Uint16Array(buf);
    case 'u8':
      return new Uint8Array(buf);
  }
}

/**
 * Named typed arrays of a run. Names and layouts (B = timeline.buckets, P = pcpus):
 *  - `len.min`, `len.max`, `len.last` (u32, P*B, index pcpu*B + b), `len.mean` (f32, P*B):
 *    list length per pCPU per time bucket;
 *  - `h`, `online`, `bound` (f64, B): value at the end of each bucket; `h.max`, `bound.min`
 *    (f64, B) so moves inside a bucket survive;
 *  - `walk.values`, `walk.counts` (u32 / f64): exact sparse histogram of entries walked per wakeup
 *    interrupt (values ascending);
 *  - `overbound` (u32, P*B): insertions over the bound in force, per pCPU per bucket;
 *  - list-contents index (main/engine/list-index.ts), one row per residency (a vCPU's stay on
 *    one list, rows in insertion order, which is also list order): `res.vcpu` (u32, vCPU slot),
 *    `res.pcpu` (u32, the list), `res.blockedOn` (u32, pCPU it blocked on), `res.tIn`,
 *    `res.tOut` (f64 ns; tOut = Infinity while still listed at the end); vCPU slots:
 *    `vcpu.dom`, `vcpu.id` (u32); a row is on its list at t iff tIn <= t < tOut (the state after
 *    every operation at time t);
 *  - exact step logs (change times ascending): `log.h.t`/`log.h.v` (H), `log.bound.t` /
 *    `log.bound.v` (bound), `log.hotplug.t` (f64) / `log.hotplug.pcpu` / `log.hotplug.online`
 *    (u32, 1 = came online).
 */
export type SeriesSet = Record<string, AnyTypedArray>;

export interface Timeline {
  t0Ns: number;
  bucketNs: number;
  buckets: number;
}

export interface CostModel {
  /** ns per list entry walked (default 170: 22 us / 128 entries, the series' rationale). */
  walkNsPerEntry: number;
  /** fixed wakeup-interrupt entry cost, ns. */
  interruptEntryNs: number;
}

export const DEFAULT_COSTS: CostModel = { walkNsPerEntry: 170, interruptEntryNs: 500 };

export interface RunResult {
  summary: RunSummary;
  timeline: Timeline;
  series: SeriesSet;
}
