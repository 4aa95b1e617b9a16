import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binSeries, seriesCsv, type RunLike } from '../../../main/api/run-series';
import type { RunSummary } from '../../../shared/results';

/** 2 pCPUs x 8 buckets of 10 ns from t = 0. */
function run(): RunLike {
  const B = 8;
  // pCPU 0: max 1..8, pCPU 1: max 8..1
  const max = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1]);
  const min = Uint32Array.from(max, (v) => Math.max(0, v - 1));
  const mean = Float32Array.from(max, (v) => v - 0.5);
  const last = new Uint32Array(max);
  const over = new Uint32Array(2 * B);
  over[3] = 2; // pCPU 0, bucket 3
  over[B + 5] = 1; // pCPU 1, bucket 5
  const summary = { pcpus: 2 } as RunSummary;
  return {
    summary,
    timeline: { t0Ns: 0, bucketNs: 10, buckets: B },
    series: {
      'len.max': max,
      'len.min': min,
      'len.mean': mean,
      'len.last': last,
      overbound: over,
      h: new Float64Array([4, 4, 5, 5, 6, 6, 7, 7]),
      'h.max': new Float64Array([4, 5, 5, 5, 6, 9, 7, 7]),
      online: new Float64Array([2, 2, 2, 2, 1, 1, 2, 2]),
      bound: new Float64Array([3, 3, 3, 3, 7, 7, 4, 4]),
      'bound.min': new Float64Array([3, 3, 2, 3, 3, 7, 4, 4]),
    },
  };
}

test('columns on bucket boundaries aggregate exactly', () => {
  const r = binSeries(run(), { pixels: 4 });
  assert.equal(r.t0Ns, 0);
  assert.equal(r.t1Ns, 80);
  assert.deepEqual(r.tNs, [0, 20, 40, 60]);
  assert.deepEqual(r.pcpus, [0, 1]);
  assert.deepEqual(r.lenMax, [
    [2, 4, 6, 8],
    [8, 6, 4, 2],
  ]);
  assert.deepEqual(r.lenMin, [
    [0, 2, 4, 6],
    [6, 4, 2, 0],
  ]);
  assert.deepEqual(r.lenMean, [
    [1, 3, 5, 7],
    [7, 5, 3, 1],
  ]);
  assert.deepEqual(r.lenLast, [
    [2, 4, 6, 8],
    [7, 5, 3, 1],
  ]);
  assert.deepEqual(r.lenMaxAll, [8, 6, 6, 8]);
  assert.deepEqual(r.h, [4, 5, 6, 7]);
  assert.deepEqual(r.hMax, [5, 5, 9, 7]);
  assert.deepEqual(r.online, [2, 2, 1, 2]);
  assert.deepEqual(r.bound, [3, 3, 7, 4]);
  assert.deepEqual(r.boundMin, [3, 2, 3, 4]);
  assert.deepEqual(r.overBound, [0, 2, 1, 0]);
  assert.deepEqual(r.overBoundPcpu, [
    [0, 2, 0, 0],
    [0, 0, 1, 0],
  ]);
});

test('one column per bucket returns the stored values', () => {
  const rr = run();
  const r = binSeries(rr, { pixels: 8, pcpus: [1] });
  assert.deepEqual(r.lenMax, [[8, 7, 6, 5, 4, 3, 2, 1]]);
  assert.deepEqual(r.lenMean, [[7.5, 6.5, 5.5, 4.5, 3.5, 2.5, 1.5, 0.5]]);
  assert.deepEqual(r.bound, [3, 3, 3, 3, 7, 7, 4, 4]);
  assert.deepEqual(r.overBound, [0, 0, 0, 2, 0, 1, 0, 0]);
});

test('a sub-range, columns straddling buckets: max/min over overlapped buckets, weighted mean', () => {
  // [15, 45) in 2 columns of 15 ns: [15,30) overlaps buckets 1,2; [30,45) overlaps 3,4.
  const r = binSeries(run(), { t0Ns: 15, t1Ns: 45, pixels: 2, pcpus: [0] });
  assert.equal(r.t0Ns, 15);
  assert.equal(r.t1Ns, 45);
  assert.deepEqual(r.lenMax, [[3, 5]]);
  assert.deepEqual(r.lenMin, [[1, 3]]);
  // bucket 1 (mean 1.5) for 5 ns + bucket 2 (2.5) for 10 ns -> (7.5 + 25) / 15
  assert.equal(r.lenMean[0][0], Math.round(((1.5 * 5 + 2.5 * 10) / 15) * 1000) / 1000);
  // bucket 3 (3.5) 10 ns + bucket 4 (4.5) 5 ns
  assert.equal(r.lenMean[0][1], Math.round(((3.5 * 10 + 4.5 * 5) / 15) * 1000) / 1000);
  assert.deepEqual(r.lenLast, [[3, 5]]);
  // overbound of bucket 3 goes to the column holding its start (30 -> column 1)
  assert.deepEqual(r.overBound, [0, 2]);
});

test('zoomed past bucket resolution: columns repeat their bucket, counts are not duplicated', () => {
  const r = binSeries(run(), { t0Ns: 30, t1Ns: 40, pixels: 5, pcpus: [0] });
  assert.deepEqual(r.lenMax, [[4, 4, 4, 4, 4]]);
  assert.deepEqual(r.overBound, [2, 0, 0, 0, 0]);
  assert.equal(
    r.overBound.reduce((a, b) => a + b, 0),
    2,
  );
});

test('the range is clamped to the run; out-of-range pCPUs are rejected', () => {
  const r = binSeries(run(), { t0Ns: 70, t1Ns: 500, pixels: 1, pcpus: [0] });
  assert.equal(r.t1Ns, 80);
  assert.deepEqual(r.lenMax, [[8]]);
  assert.throws(() => binSeries(run(), { pixels: 4, pcpus: [2] }), /out of range/);
});

test('fields limits the per-pCPU arrays; globals still come back', () => {
  const r = binSeries(run(), { pixels: 2, fields: ['lenMax'] });
  assert.equal(r.lenMax.length, 2);
  assert.equal(r.lenMean.length, 0);
  assert.equal(r.overBoundPcpu.length, 0);
  assert.deepEqual(r.overBound, [2, 1]);
  const g = binSeries(run(), { pixels: 2, pcpus: [] });
  assert.deepEqual(g.lenMax, []);
  assert.deepEqual(g.lenMaxAll, [8, 8]);
});

test('total overbound is preserved whatever the column count', () => {
  for (const px of [1, 3, 7, 8, 13, 100]) {
    const r = binSeries(run(), { pixels: px, pcpus: [] });
    assert.equal(
      r.overBound.reduce((a, b) => a + b, 0),
      3,
      `pixels=${px}`,
    );
  }
});

test('448 pCPUs x 4096 buckets to 1200 pixels', () => {
  const P = 448;
  const B = 4096;
  const max = new Uint32Array(P * B);
  for (let i = 0; i < max.length; i++) max[i] = i % 97;
  max[5 * B + 1000] = 4_194_304;
  const rr: RunLike = {
    summary: { pcpus: P } as RunSummary,
    timeline: { t0Ns: 0, bucketNs: 1000, buckets: B },
    series: { 'len.max': max, bound: new Float64Array(B).fill(128) },
  };
  const r = binSeries(rr, { pixels: 1200, fields: ['lenMax'] });
  assert.equal(r.lenMax.length, P);
  assert.equal(r.lenMax[0].length, 1200);
  assert.equal(Math.max(...r.lenMax[5]), 4_194_304);
  assert.equal(Math.max(...r.lenMaxAll), 4_194_304);
});

test('seriesCsv: timeline, per-pCPU and walks', () => {
  const rr = run();
  rr.series['walk.values'] = new Uint32Array([0, 3]);
  rr.series['walk.counts'] = new Float64Array([5, 2]);
  const tl = seriesCsv(rr, 'timeline');
  const lines = tl.csv.trim().split('\n');
  assert.equal(lines[0], 't_ns,h,h_max,online,bound,bound_min,overbound');
  assert.equal(lines[4], '30,5,5,2,3,3,2');
  assert.equal(tl.fileName, 'timeline.csv');
  const lm = seriesCsv(rr, 'len.max').csv.trim().split('\n');
  assert.equal(lm[0], 't_ns,pcpu0,pcpu1');
  assert.equal(lm[1], '0,1,8');
  assert.equal(lm.length, 9);
  assert.equal(seriesCsv(rr, 'walks').csv, 'entries_walked,wakeup_interrupts\n0,5\n3,2\n');
  assert.throws(() => seriesCsv(rr, 'nope'), /unknown series/);
});

test('reads only the stored series the requested fields need', () => {
  const r = run();
  const touched = new Set<string>();
  const series = new Proxy(r.series, {
    get: (t, name) => {
      if (typeof name === 'string') touched.add(name);
      return t[name as string];
    },
  });
  binSeries({ ...r, series }, { pixels: 4, fields: ['lenMax', 'overBound'] });
  assert.ok(touched.has('len.max') && touched.has('overbound'));
  for (const n of ['len.min', 'len.mean', 'len.last']) assert.ok(!touched.has(n), `${n} not read`);
});
