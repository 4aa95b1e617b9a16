import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictMaxList, isFinding } from '../../shared/theory';

test('least-loaded predicts ceil(H/P)', () => {
  const p = predictMaxList({ policy: 'least-loaded', pcpus: 4, blocked: 10 })!;
  assert.equal(p.predicted, 3);
  assert.equal(isFinding(p, 4), false);
  assert.equal(isFinding(p, 5), true);
});

test('two-choices: 1000 balls in 100 bins -> 10 + lnln100/ln2', () => {
  const p = predictMaxList({ policy: 'two-choices', pcpus: 100, blocked: 1000 })!;
  // ln 100 = 4.60517, ln 4.60517 = 1.52718, / 0.693147 = 2.20327
  assert.ok(Math.abs(p.predicted - 12.20327) < 1e-4);
  assert.match(p.formula, /ln ln n/);
  assert.equal(isFinding(p, 15), true);
  assert.equal(isFinding(p, 13), false);
});

test('series is an upper bound floor(H/P)+K', () => {
  const p = predictMaxList({ policy: 'series', pcpus: 4, blocked: 10, K: 2 })!;
  assert.equal(p.predicted, 4);
  assert.equal(isFinding(p, 1), false);
  assert.equal(isFinding(p, 5), true);
});

test('upstream needs the busiest pCPU count; unknown policies give null', () => {
  assert.equal(predictMaxList({ policy: 'upstream', pcpus: 4, blocked: 10 }), null);
  assert.equal(
    predictMaxList({ policy: 'upstream', pcpus: 4, blocked: 10, busiestPcpuBlocked: 7 })!.predicted,
    7,
  );
  assert.equal(predictMaxList({ policy: 'random', pcpus: 4, blocked: 10 }), null);
});
