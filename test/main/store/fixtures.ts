import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { presetParams } from '../../../main/engine/index';
import type { SimParamsInput } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';
import { Store } from '../../../main/store/store';

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

/** Records the names of the series `store` reads until `restore()`. */
export function spyReads(store: Store) {
  const reads: string[] = [];
  const orig = store.loadSeries.bind(store);
  store.loadSeries = (i: number, names?: string[]) => {
    reads.push(...(names ?? ['*']));
    return orig(i, names);
  };
  return { reads, restore: () => (store.loadSeries = orig) };
}

/** A notebook in a fresh temporary folder, closed and removed after the enclosing suite. */
export function tempStore(prefix: string): Store {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = Store.open(join(dir, 'nb.db'));
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** The worst case's shape, smaller: 160K vCPUs, every one on pCPU 0 (rows span 3+ chunks). */
export function bigList(): SimParamsInput {
  const base = presetParams('seed-worst-case')!;
  return {
    ...base,
    preset: null,
    workload: { ...base.workload, domains: 1250, vcpusPerDomain: 128, durationNs: 1.5e7 },
  };
}

/**
 * Instants worth checking, ascending: every `every`-th join and leave time, +-1 ns, and every
 * `bucketStep`-th bucket edge.
 */
export function instants(run: RunResult, every: number, bucketStep = 7): number[] {
  const out = new Set<number>([-1, 0, run.summary.endNs, run.summary.endNs + 1e9]);
  for (const name of ['res.tIn', 'res.tOut']) {
    const a = run.series[name];
    for (let i = 0; i < a.length; i += every) {
      if (!Number.isFinite(a[i])) continue;
      out.add(a[i]);
      out.add(a[i] - 1);
      out.add(a[i] + 0.5);
    }
  }
  const tl = run.timeline;
  for (let b = 0; b <= tl.buckets; b += bucketStep) out.add(tl.t0Ns + b * tl.bucketNs);
  return [...out].filter((t) => t >= 0).sort((a, b) => a - b);
}
