import type { RunResult } from '../../../shared/results';

/** A small, fully-formed RunResult for store tests (values are arbitrary but checkable). */
export function sampleRun(seed = 1, buckets = 8, pcpus = 2): RunResult {
  const len = new Uint32Array(pcpus * buckets).map((_, i) => (i * seed) % 17);
  return {
    summary: {
      policy: 'series',
      K: 128,
      pcpus,
      H: 10,
      onlinePcpus: pcpus,
      bound: 133,
      wakeupInterrupts: 3,
      walked: 7 * seed,
      remotePlacements: 1,
      fixupMoves: 0,
      anomalies: 0,
      boundOverflows: 0,
      maxListLength: 16,
      maxListPcpu: 1,
      maxListAtNs: 1000,
      boundAtMax: 133,
      perPcpu: Array.from({ length: pcpus }, (_, pcpu) => ({
        pcpu,
        maxLength: 16,
        finalLength: 0,
      })),
      opCounts: { block: 3 },
      walkStats: { count: 3, min: 1, mean: 2, p50: 2, p95: 3, p99: 3, max: 3 },
      walkTimeNsStats: { count: 3, min: 670, mean: 840, p50: 840, p95: 1010, p99: 1010, max: 1010 },
      overBoundInsertions: 0,
      startNs: 0,
      endNs: 8000,
      operations: 20,
      vcpus: 10,
      domains: 2,
    },
    timeline: { t0Ns: 0, bucketNs: 1000, buckets },
    series: {
      'len.max': len,
      'len.mean': new Float32Array(len),
      h: new Float64Array(buckets).fill(10),
    },
  };
}
