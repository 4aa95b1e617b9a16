import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeStats } from '../../../main/api/range-stats';
import { binSeries, type RunLike } from '../../../main/api/run-series';
import { simulate } from '../../../main/engine/index';
import { ApiError } from '../../../shared/errors';
import { SimParamsSchema } from '../../../shared/params';
import type { RunSummary } from '../../../shared/results';

/**
 * 3 pCPUs x 6 buckets of 10 ns from t = 100; the run ends at 155 (inside the last bucket).
 * Values are what the recorder could have written: a bucket's max / min include the value it
 * started with (the previous bucket's end value).
 */
function run(): RunLike {
  const B = 6;
  // prettier-ignore
  const max = new Uint32Array([
    1, 5, 2, 9, 3, 0, // pCPU 0
    4, 4, 6, 2, 8, 8, // pCPU 1
    0, 0, 0, 0, 0, 0, // pCPU 2
  ]);
  // prettier-ignore
  const over = new Uint32Array([
    0, 2, 0, 3, 0, 0,
    1, 0, 1, 0, 2, 1,
    0, 0, 0, 0, 0, 0,
  ]);
  return {
    summary: { pcpus: 3, endNs: 155 } as RunSummary,
    timeline: { t0Ns: 100, bucketNs: 10, buckets: B },
    series: {
      'len.max': max,
      overbound: over,
      h: new Float64Array([10, 12, 12, 14, 9, 11]),
      'h.max': new Float64Array([10, 13, 12, 15, 14, 11]),
      online: new Float64Array([3, 3, 2, 2, 3, 3]),
      bound: new Float64Array([3, 5, 5, 6, 4, 7]),
      'bound.min': new Float64Array([3, 3, 5, 5, 4, 4]),
    },
  };
}

test('the whole run: longest list, bound then, globals, insertions and time over the bound', () => {
  const r = rangeStats(run(), 100, 160);
  assert.deepEqual(
    { ...r, topPcpus: undefined },
    {
      t0Ns: 100,
      t1Ns: 160,
      bucketNs: 10,
      firstBucket: 0,
      buckets: 6,
      coveredT0Ns: 100,
      coveredT1Ns: 155, // the last bucket stops at the run's end
      maxLength: 9,
      maxPcpu: 0,
      maxAtNs: 130,
      boundAtMax: 5,
      boundAtMaxEnd: 6,
      h: { min: 9, max: 15 },
      bound: { min: 3, max: 7 },
      online: { min: 2, max: 3 },
      overBoundInsertions: 10,
      pcpusOverBound: 2,
      // pCPU 0: buckets 1 (5 > 3) and 3 (9 > 5): 20 ns; pCPU 1: buckets 0, 1, 2, 4 (40 ns) and
      // the last bucket (8 > 4), which covers 5 ns up to the run's end.
      timeOverBoundNs: 65,
      topPcpus: undefined,
    },
  );
  assert.deepEqual(r.topPcpus, [
    { pcpu: 0, maxLength: 9, maxAtNs: 130, overBoundInsertions: 5, timeOverBoundNs: 20 },
    { pcpu: 1, maxLength: 8, maxAtNs: 140, overBoundInsertions: 5, timeOverBoundNs: 45 },
  ]);
});

test('a range cutting buckets partially covers the whole buckets it touches', () => {
  // [115, 132) touches buckets 1, 2 and 3 ([110, 140)).
  const r = rangeStats(run(), 115, 132);
  assert.equal(r.t0Ns, 115);
  assert.equal(r.t1Ns, 132);
  assert.equal(r.firstBucket, 1);
  assert.equal(r.buckets, 3);
  assert.equal(r.coveredT0Ns, 110);
  assert.equal(r.coveredT1Ns, 140);
  assert.equal(r.maxLength, 9);
  assert.equal(r.maxPcpu, 0);
  assert.equal(r.maxAtNs, 130);
  // H: 10 in force when bucket 1 starts (bucket 0's end), 15 inside bucket 3.
  assert.deepEqual(r.h, { min: 10, max: 15 });
  // bound: 3 inside bucket 1 (bound.min), 6 at bucket 3's end.
  assert.deepEqual(r.bound, { min: 3, max: 6 });
  assert.deepEqual(r.online, { min: 2, max: 3 });
  assert.equal(r.overBoundInsertions, 2 + 0 + 3 + 0 + 1 + 0);
  assert.equal(r.pcpusOverBound, 2);
  assert.equal(r.timeOverBoundNs, 20 + 20);
  assert.deepEqual(
    r.topPcpus.map((p) => [p.pcpu, p.maxLength, p.maxAtNs, p.overBoundInsertions]),
    [
      [0, 9, 130, 5],
      [1, 6, 120, 1],
    ],
  );
});

test('a range inside one bucket reads that bucket and the value it started with', () => {
  const r = rangeStats(run(), 141, 143);
  assert.equal(r.firstBucket, 4);
  assert.equal(r.buckets, 1);
  assert.equal(r.coveredT0Ns, 140);
  assert.equal(r.coveredT1Ns, 150);
  assert.equal(r.maxLength, 8);
  assert.equal(r.maxPcpu, 1);
  assert.equal(r.maxAtNs, 140);
  assert.equal(r.boundAtMax, 4);
  assert.equal(r.boundAtMaxEnd, 4);
  assert.deepEqual(r.h, { min: 9, max: 14 });
  assert.deepEqual(r.bound, { min: 4, max: 6 });
  assert.deepEqual(r.online, { min: 2, max: 3 });
  assert.equal(r.overBoundInsertions, 2);
  assert.equal(r.pcpusOverBound, 1);
  assert.equal(r.timeOverBoundNs, 10);
});

test('edges on bucket boundaries do not touch the neighbours; ties: earliest bucket, lowest pCPU', () => {
  const r = rangeStats(run(), 140, 160);
  assert.equal(r.firstBucket, 4);
  assert.equal(r.buckets, 2);
  assert.equal(r.maxLength, 8);
  assert.equal(r.maxPcpu, 1);
  assert.equal(r.maxAtNs, 140, 'pCPU 1 reaches 8 in buckets 4 and 5: the first one');
  const s = rangeStats(run(), 120, 140);
  assert.equal(s.firstBucket, 2);
  assert.equal(s.buckets, 2);
  // Equal lengths on two pCPUs: the lower pCPU.
  const tie = run();
  (tie.series['len.max'] as Uint32Array)[2 * 6 + 3] = 9;
  const t = rangeStats(tie, 100, 160);
  assert.equal(t.maxPcpu, 0);
  assert.deepEqual(
    t.topPcpus.map((p) => p.pcpu),
    [0, 2, 1],
  );
  // Equal lengths in different buckets: the earliest bucket, whatever the pCPU.
  (tie.series['len.max'] as Uint32Array)[2 * 6 + 1] = 9;
  const e = rangeStats(tie, 100, 160);
  assert.equal(e.maxPcpu, 2);
  assert.equal(e.maxAtNs, 110);
  assert.equal(e.boundAtMax, 3);
  assert.equal(e.boundAtMaxEnd, 5);
});

test('the range is clamped to the run; empty, reversed or outside ranges are refused', () => {
  const r = rangeStats(run(), 0, 1e9);
  assert.equal(r.t0Ns, 100);
  assert.equal(r.t1Ns, 160);
  assert.equal(r.buckets, 6);
  const last = rangeStats(run(), 150, 1000);
  assert.equal(last.coveredT1Ns, 155);
  assert.equal(last.timeOverBoundNs, 5);
  for (const [a, b] of [
    [130, 130],
    [140, 120],
    [200, 300],
    [0, 100],
  ]) {
    assert.throws(
      () => rangeStats(run(), a, b),
      (e: unknown) => ApiError.is(e) && e.code === 'invalid-argument',
      `${a}..${b}`,
    );
  }
  const none: RunLike = { ...run(), timeline: { t0Ns: 0, bucketNs: 1, buckets: 0 } };
  assert.throws(
    () => rangeStats(none, 0, 10),
    (e: unknown) => ApiError.is(e) && e.code === 'not-found',
  );
});

test('agrees with the summary and with run.series on a simulated run', () => {
  const res = simulate(
    SimParamsSchema.parse({
      workload: {
        pcpus: 6,
        domains: 12,
        vcpusPerDomain: 4,
        placement: 'random',
        durationNs: 5e7,
        hotplug: [{ tNs: 2e7, pcpu: 2, online: false }],
      },
      policy: { policy: 'series', K: 0 },
      buckets: 128,
      seed: 11,
    }),
  );
  const tl = res.timeline;
  const whole = rangeStats(res, tl.t0Ns, tl.t0Ns + tl.buckets * tl.bucketNs);
  assert.equal(whole.maxLength, res.summary.maxListLength);
  assert.equal(whole.maxPcpu, res.summary.maxListPcpu);
  assert.equal(whole.overBoundInsertions, res.summary.overBoundInsertions);
  assert.ok(whole.overBoundInsertions > 0, 'K = 0 goes over the bound');
  assert.ok(whole.maxAtNs <= res.summary.maxListAtNs);
  assert.ok(res.summary.maxListAtNs < whole.maxAtNs + tl.bucketNs);
  assert.deepEqual(whole.online, { min: 5, max: 6 });
  // A sub-range on bucket boundaries: the same totals as the binned series over it.
  const a = tl.t0Ns + 20 * tl.bucketNs;
  const b = tl.t0Ns + 60 * tl.bucketNs;
  const part = rangeStats(res, a, b);
  const bin = binSeries(res, { t0Ns: a, t1Ns: b, pixels: 40 });
  assert.equal(part.buckets, 40);
  assert.equal(
    part.overBoundInsertions,
    bin.overBound.reduce((x, y) => x + y, 0),
  );
  assert.equal(part.maxLength, Math.max(...bin.lenMaxAll));
  assert.equal(part.h!.max, Math.max(...bin.hMax));
  assert.equal(part.bound!.min, Math.min(...bin.boundMin));
});
