import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictedRow } from '../../../renderer/src/charts/compare-theory';

test('the predicted row keeps one value per run and deltas against the first', () => {
  const row = predictedRow([10, 12.5, null]);
  assert.equal(row.def.label, 'max list: predicted');
  assert.deepEqual(row.values, [10, 12.5, null]);
  assert.deepEqual(row.deltas[1], { abs: 2.5, pct: 25 });
  assert.deepEqual(row.deltas[2], { abs: null, pct: null });
});
