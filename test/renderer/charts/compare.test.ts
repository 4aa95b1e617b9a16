import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  delta,
  diffParams,
  flattenParams,
  fmtDeltaPct,
  metricRows,
} from '../../../renderer/src/charts/compare';
import type { RunSummary } from '../../../shared/results';

test('flatten: dotted keys, arrays as one cell', () => {
  assert.deepEqual(flattenParams({ a: { b: 1, c: 'x' }, d: [1, 2], e: null }), {
    'a.b': '1',
    'a.c': 'x',
    d: '[1,2]',
    e: 'null',
  });
});

test('diff marks only the keys whose values differ', () => {
  const rows = diffParams([
    { policy: { policy: 'upstream', K: 128 }, seed: 1, workload: { pcpus: 8 } },
    { policy: { policy: 'series', K: 128 }, seed: 1, workload: { pcpus: 8, extra: true } },
  ]);
  const differs = rows.filter((r) => r.differs).map((r) => r.key);
  assert.deepEqual(differs, ['policy.policy', 'workload.extra']);
  assert.deepEqual(rows.find((r) => r.key === 'workload.extra')!.values, ['—', 'true']);
});

test('deltas: absolute and percent against the first run', () => {
  assert.deepEqual(delta(200, 150), { abs: -50, pct: -25 });
  assert.deepEqual(delta(0, 0), { abs: 0, pct: 0 });
  assert.deepEqual(delta(0, 5), { abs: 5, pct: null });
  assert.deepEqual(delta(null, 5), { abs: null, pct: null });
  assert.equal(fmtDeltaPct({ abs: -50, pct: -25 }), '−25.0 %');
  assert.equal(fmtDeltaPct({ abs: 5, pct: null }), 'n/a');
  assert.equal(fmtDeltaPct({ abs: 1, pct: 150 }), '+150 %');
  const s = (m: number) => ({ maxListLength: m, walkStats: { p99: 1 } }) as unknown as RunSummary;
  const rows = metricRows([s(4_194_304), s(130)]);
  const max = rows.find((r) => r.def.key === 'maxListLength')!;
  assert.deepEqual(max.values, [4_194_304, 130]);
  assert.equal(max.deltas[1].abs, 130 - 4_194_304);
});

test('trace provenance: cpu_hz, its source and lost spans, wherever the importer nests them', async () => {
  const { traceInfo } = await import('../../../renderer/src/components/run/traceInfo');
  const t = traceInfo({
    cpuHz: 2.4e9,
    clock: { cpuHz: 2.4e9, source: 'default' },
    assumptions: {
      clockSource: 'default',
      lostSpans: [{ cpu: 1, lost: 7, startNs: 10, endNs: 20 }],
    },
    stats: { recordsLost: 7 },
  });
  assert.equal(t.cpuHz, 2.4e9);
  assert.equal(t.cpuHzSource, 'default');
  assert.equal(t.lostSpans?.length, 1);
  assert.equal(t.recordsLost, 7);
  assert.deepEqual(traceInfo(null), {
    cpuHz: null,
    cpuHzSource: null,
    lostSpans: null,
    recordsLost: null,
  });
});

test('above-the-bound metrics: the run’s figures, null for runs saved before them', () => {
  const now = {
    aboveBoundPcpuNs: 40,
    aboveBoundEntryNs: 60,
    aboveBoundMaxExcess: 2,
    aboveBoundSteps: 4,
  } as unknown as RunSummary;
  const old = { maxListLength: 3 } as unknown as RunSummary;
  const rows = metricRows([now, old]);
  const get = (k: string) => rows.find((r) => r.def.key === k)!;
  assert.deepEqual(get('aboveBoundPcpuNs').values, [40, null]);
  assert.deepEqual(get('aboveBoundEntryNs').values, [60, null]);
  assert.deepEqual(get('aboveBoundMaxExcess').values, [2, null]);
  assert.deepEqual(get('aboveBoundSteps').values, [4, null]);
  assert.equal(get('aboveBoundPcpuNs').def.unit, 'ns');
  assert.deepEqual(get('aboveBoundSteps').deltas[1], { abs: null, pct: null });
});
