import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimParamsSchema } from '../../../shared/params';
import { cartesian } from '../../../main/notebook/grid';
import {
  canonicalJson,
  parseShard,
  planPoints,
  shardOfPoint,
  sweepKey,
} from '../../../main/notebook/shards';
import { TINY } from './helpers';

const grid = [
  { path: 'policy.K', values: [0, 4, 16, 64] },
  { path: 'policy.policy', values: ['upstream', 'series'] },
  { path: 'seed', values: [1, 2, 3] },
];

describe('shards', () => {
  it('parses I/N and refuses what is not a shard', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '3', 'a/b', '-1/3', '1/1001'])
      assert.throws(() => parseShard(bad), /--shard/, bad);
  });

  it('puts every point in exactly one shard, round-robin in cartesian order', () => {
    const n = cartesian(grid).length;
    for (const count of [1, 2, 3, 5, 24, 30]) {
      const seen = new Map<string, number>();
      for (let s = 1; s <= count; s++)
        for (const p of planPoints(grid, count, s)) {
          const k = canonicalJson(p.values);
          assert.equal(seen.has(k), false, `${k} in two shards`);
          seen.set(k, s);
          assert.equal(p.shard, s);
        }
      assert.equal(seen.size, n);
      const sizes = Array.from({ length: count }, (_, i) => planPoints(grid, count, i + 1).length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `unbalanced ${sizes}`);
    }
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => shardOfPoint(i, 3)),
      [1, 2, 3, 1, 2, 3, 1],
    );
    assert.deepEqual(planPoints(grid, 3, 2)[0], {
      index: 1,
      shard: 2,
      values: { 'policy.K': 0, 'policy.policy': 'upstream', seed: 2 },
    });
  });

  it('gives a sweep the same key whatever the key order of its base, another for another grid', () => {
    const a = SimParamsSchema.parse(TINY);
    const reordered = JSON.parse(
      canonicalJson(a)
        .replace(/^\{/, '{"seed":1,')
        .replace(/,"seed":1/, ''),
    ) as typeof a;
    assert.notEqual(JSON.stringify(reordered), JSON.stringify(a));
    assert.equal(sweepKey(reordered, grid), sweepKey(a, grid));
    assert.match(sweepKey(a, grid), /^[0-9a-f]{64}$/);
    assert.notEqual(sweepKey(a, grid.slice(0, 2)), sweepKey(a, grid));
    assert.notEqual(sweepKey({ ...a, seed: 9 }, grid), sweepKey(a, grid));
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    assert.equal(canonicalJson({ b: [{ y: 1, x: 2 }], a: null }), '{"a":null,"b":[{"x":2,"y":1}]}');
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  });
});
