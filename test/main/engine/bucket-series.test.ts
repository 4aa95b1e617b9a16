import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketSeries } from '../../../main/engine/bucket-series';

/** Brute force over a step function: per bucket of width w from 0, min / max / last / mean. */
function brute(steps: [number, number][], w: number, used: number, end: number) {
  const at = (t: number) => {
    let v = 0;
    for (const [ts, x] of steps) if (ts <= t) v = x;
    return v;
  };
  const out = {
    min: [] as number[],
    max: [] as number[],
    last: [] as number[],
    mean: [] as number[],
  };
  for (let b = 0; b < used; b++) {
    const t0 = b * w;
    const t1 = Math.min((b + 1) * w, end);
    const inside = steps.filter(([ts]) => ts >= t0 && ts < (b + 1) * w).map(([, x]) => x);
    const vals = [at(t0 - 1e-9), ...inside];
    // value at the bucket start is the one carried in (0 for the first bucket)
    if (b === 0) vals[0] = 0;
    out.min.push(Math.min(...vals));
    out.max.push(Math.max(...vals));
    out.last.push(at(Math.min(t1, (b + 1) * w - 1e-9)));
    let integ = 0;
    for (let t = t0; t < t1; t++) integ += at(t);
    out.mean.push(t1 > t0 ? integ / (t1 - t0) : out.last[b]);
  }
  return out;
}

test('doubling buckets merge min / max / last / mean exactly', () => {
  const s = new BucketSeries(1, 8);
  s.start(0, 1, () => 0);
  // Integer times; a value set at t holds on [t, next).
  const steps: [number, number][] = [
    [0, 3],
    [1, 5],
    [1, 2],
    [4, 9],
    [7, 1],
    [20, 4],
    [21, 0],
    [37, 6],
    [50, 2],
  ];
  for (const [t, v] of steps) s.set(0, t, v);
  const end = 53;
  const used = s.finish(end);
  assert.equal(s.width, 8); // 53 needs 8 columns of 8
  assert.equal(used, 7);
  const got = s.extract(0, 1, used, end);
  const want = brute(steps, s.width, used, end);
  assert.deepEqual(Array.from(got.min), want.min);
  assert.deepEqual(Array.from(got.max), want.max);
  assert.deepEqual(Array.from(got.last), want.last);
  assert.deepEqual(
    Array.from(got.mean).map((x) => +x.toFixed(9)),
    want.mean.map((x) => +x.toFixed(9)),
  );
});

test('event counts merge by sum', () => {
  const s = new BucketSeries(2, 4);
  s.start(0, 1, () => 0);
  for (const t of [0, 1, 2, 3, 5, 9, 9, 15]) s.tick(1, t);
  const used = s.finish(15);
  assert.equal(s.width, 4);
  assert.deepEqual(Array.from(s.extract(1, 2, used, 15).count), [4, 1, 2, 1]);
});
