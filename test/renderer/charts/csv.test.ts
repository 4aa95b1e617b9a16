import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsToCsv, safeFileName, toCsv } from '../../../renderer/src/charts/csv';
import { latestOnly } from '../../../renderer/src/charts/latest';

test('CSV quoting and columns', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        [1, 'x,y'],
        [NaN, 'say "hi"'],
      ],
    ),
    'a,b\n1,"x,y"\n,"say ""hi"""\n',
  );
  assert.equal(columnsToCsv({ t: [0, 10], v: [1, 2] }), 't,v\n0,1\n10,2\n');
  assert.equal(safeFileName('exp 3: heatmap/1'), 'exp-3-heatmap-1');
});

test('latestOnly: one request in flight, only the newest pending one runs', async () => {
  const calls: number[] = [];
  const results: number[] = [];
  let release: (() => void)[] = [];
  const f = latestOnly(
    (n: number) => {
      calls.push(n);
      return new Promise<number>((r) => release.push(() => r(n * 10)));
    },
    (r) => results.push(r),
    () => {},
  );
  f(1);
  f(2);
  f(3);
  assert.deepEqual(calls, [1]);
  release.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(calls, [1, 3], '2 was superseded by 3');
  assert.deepEqual(results, [], 'the result of 1 is stale');
  release.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(results, [30]);
  release = [];
});
