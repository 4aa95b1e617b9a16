import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildQuantileTable,
  FIT_SLICES,
  QuantileTableSchema,
  sampleTable,
  tableMean,
} from '../../shared/fitted-workload';
import { Rng } from '../../main/engine/rng';

/** A seeded uniform stream for the sampling checks (the engine's generator). */
function uniforms(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

test('a table of few samples is the empirical distribution: bounds are samples, the mean exact', () => {
  const t = buildQuantileTable([30, 10, 20]);
  assert.equal(t.n, 3);
  assert.equal(t.mean, 20);
  assert.equal(t.q.length, FIT_SLICES + 1);
  assert.equal(t.m.length, FIT_SLICES);
  assert.equal(t.q[0], 10);
  assert.equal(t.q[FIT_SLICES], 30);
  for (const x of t.q) assert.ok([10, 20, 30].includes(x), `boundary ${x} is a sample`);
  for (let j = 0; j < FIT_SLICES; j++) assert.ok(t.q[j] <= t.m[j] && t.m[j] <= t.q[j + 1]);
  assert.ok(Math.abs(tableMean(t) - 20) < 1e-9);
  assert.ok(QuantileTableSchema.safeParse(t).success);
});

test('an empty table has no boundaries, samples to NaN and validates', () => {
  const t = buildQuantileTable([]);
  assert.deepEqual(t, { n: 0, mean: 0, q: [], m: [] });
  assert.ok(Number.isNaN(sampleTable(t, 0.5, 0.5)));
  assert.ok(QuantileTableSchema.safeParse(t).success);
  assert.ok(!QuantileTableSchema.safeParse({ n: 2, mean: 1, q: [1, 2], m: [1] }).success);
});

test('sampling a skewed table keeps its mean and its quantiles', () => {
  // Exponential-like samples with a heavy tail: the case linear interpolation gets wrong.
  const u = uniforms(7);
  const samples = Array.from({ length: 5000 }, () => -Math.log(1 - u()) * 1e6);
  samples.push(80e6);
  const t = buildQuantileTable(samples);
  const draw = uniforms(99);
  const out: number[] = [];
  for (let i = 0; i < 200_000; i++) out.push(sampleTable(t, draw(), draw()));
  const mean = out.reduce((s, x) => s + x, 0) / out.length;
  assert.ok(Math.abs(mean / t.mean - 1) < 0.01, `mean ${mean} vs ${t.mean}`);
  out.sort((a, b) => a - b);
  for (const p of [0.25, 0.5, 0.75]) {
    const got = out[Math.floor(p * out.length)];
    const want = [...samples].sort((a, b) => a - b)[Math.floor(p * samples.length)];
    assert.ok(Math.abs(got / want - 1) < 0.05, `p${p * 100}: ${got} vs ${want}`);
  }
  assert.ok(out[0] >= t.q[0] && out[out.length - 1] <= t.q[FIT_SLICES]);
});

test('a constant sample gives that constant', () => {
  const t = buildQuantileTable([5, 5, 5, 5]);
  for (const [u, v] of [
    [0, 0],
    [0.5, 0.9],
    [0.999, 0.1],
  ])
    assert.equal(sampleTable(t, u, v), 5);
});
