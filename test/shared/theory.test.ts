import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictMaxList, isFinding, theoryInputAtMax } from '../../shared/theory';

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

test('series with the run bound: the bound in force, +1 when compare is <=', () => {
  const p = predictMaxList({ policy: 'series', pcpus: 4, blocked: 3, K: 2, bound: 7 })!;
  assert.equal(p.predicted, 7);
  assert.match(p.plugged, /bound in force at the max = 7 \(K = 2\)/);
  const q = predictMaxList({
    policy: 'random-under-bound',
    pcpus: 4,
    blocked: 3,
    bound: 7,
    inclusive: true,
  })!;
  assert.equal(q.predicted, 8);
  assert.equal(isFinding(q, 8), false);
  assert.equal(isFinding(q, 9), true);
});

test('plugged numbers: least-loaded and two-choices show the arithmetic', () => {
  assert.equal(
    predictMaxList({ policy: 'least-loaded', pcpus: 8, blocked: 81 })!.plugged,
    'H_blocked = 81, P = 8: ⌈81 / 8⌉ = 11',
  );
  // ln 8 = 2.07944, ln 2.07944 = 0.73210, / 0.693147 = 1.05621 -> 10 + 1.06 = 11.06
  const p = predictMaxList({ policy: 'two-choices', pcpus: 8, blocked: 80 })!;
  assert.ok(Math.abs(p.predicted - 11.05621) < 1e-4);
  assert.equal(p.plugged, 'm = 80, n = 8: 10 + 1.06 = 11.06');
  // n < 3: the ln ln n term is 0.
  assert.equal(predictMaxList({ policy: 'two-choices', pcpus: 2, blocked: 9 })!.predicted, 4.5);
});

test('theoryInputAtMax: online pool members are the bins, their lists the balls', () => {
  const input = theoryInputAtMax({
    policy: { policy: 'least-loaded', K: 4, compare: '<=', pool: [0, 1, 2] },
    boundAtMax: 9,
    lengths: [5, 6, 100, 7],
    online: [true, true, false, true],
  });
  // pCPU 2 is offline, pCPU 3 outside the pool: bins {0, 1}, balls 5 + 6.
  assert.deepEqual(
    { n: input.pcpus, m: input.blocked, K: input.K, bound: input.bound, inc: input.inclusive },
    { n: 2, m: 11, K: 4, bound: 9, inc: true },
  );
  assert.equal(predictMaxList(input)!.predicted, 6);
  const all = theoryInputAtMax({
    policy: { policy: 'two-choices' },
    boundAtMax: 0,
    lengths: [1, 2, 3],
    online: [true, true, true],
  });
  assert.deepEqual([all.pcpus, all.blocked, all.inclusive], [3, 6, false]);
});
