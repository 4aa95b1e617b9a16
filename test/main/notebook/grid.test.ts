import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cartesian,
  expandReplayGrid,
  expandSimGrid,
  getPath,
  gridSize,
  MAX_SWEEP_POINTS,
  parseGridArg,
  pointLabel,
  setPath,
} from '../../../main/notebook/grid';

const base = {
  workload: { pcpus: 2, domains: 2, vcpusPerDomain: 2, durationNs: 1e7 },
  policy: { policy: 'series' },
  seed: 1,
  buckets: 16,
};

describe('sweep grids', () => {
  it('expands the cartesian product, last axis fastest', () => {
    const pts = cartesian([
      { path: 'a', values: [1, 2] },
      { path: 'b', values: ['x', 'y', 'z'] },
    ]);
    assert.equal(pts.length, 6);
    assert.deepEqual(pts[0], { a: 1, b: 'x' });
    assert.deepEqual(pts[1], { a: 1, b: 'y' });
    assert.deepEqual(pts[5], { a: 2, b: 'z' });
    assert.equal(
      gridSize([
        { path: 'a', values: [1, 2] },
        { path: 'b', values: [1, 2, 3] },
      ]),
      6,
    );
  });

  it('sets and reads dotted paths without touching the original', () => {
    const o = { policy: { K: 1 } };
    const c = setPath(o, 'policy.K', 64);
    assert.equal(o.policy.K, 1);
    assert.equal(getPath(c, 'policy.K'), 64);
    assert.equal(getPath(setPath({}, 'a.b.c', 3), 'a.b.c'), 3);
    assert.equal(getPath(o, 'policy.missing.x'), undefined);
  });

  it('validates every point through SimParamsSchema, applying defaults', () => {
    const pts = expandSimGrid(base, [
      { path: 'policy.K', values: [0, 64] },
      { path: 'policy.policy', values: ['upstream', 'least-loaded'] },
      { path: 'seed', values: [1, 2] },
    ]);
    assert.equal(pts.length, 8);
    const seen = new Set(
      pts.map((p) => `${p.params.policy.K}/${p.params.policy.policy}/${p.params.seed}`),
    );
    assert.equal(seen.size, 8);
    for (const p of pts) {
      assert.equal(p.params.workload.pcpus, 2);
      assert.equal(p.params.policy.compare, '<'); // default applied
      assert.equal(p.params.policy.K, p.values['policy.K']);
    }
  });

  it('refuses invalid values, unknown paths, duplicates and huge grids', () => {
    assert.throws(
      () => expandSimGrid(base, [{ path: 'policy.K', values: [-1] }]),
      (e: Error) => e.name === 'BadInputError' && /policy\.K/.test(e.message),
    );
    assert.throws(() => expandSimGrid(base, [{ path: 'policy.nope', values: [1] }]), /invalid/);
    assert.throws(
      () => expandSimGrid(base, [{ path: 'policy.policy', values: ['bogus'] }]),
      /invalid/,
    );
    assert.throws(() => expandSimGrid(base, [{ path: 'seed', values: [1, 1] }]), /repeats/);
    assert.throws(
      () =>
        expandSimGrid(base, [
          { path: 'seed', values: [1] },
          { path: 'seed', values: [2] },
        ]),
      /twice/,
    );
    assert.throws(() => expandSimGrid(base, [{ path: 'a..b', values: [1] }]), /dotted/);
    assert.throws(() => expandSimGrid(base, []), /at least one/);
    const many = Array.from({ length: 40 }, (_, i) => i);
    assert.throws(
      () =>
        expandSimGrid(base, [
          { path: 'seed', values: many },
          { path: 'policy.K', values: many },
        ]),
      new RegExp(`at most ${MAX_SWEEP_POINTS}`),
    );
  });

  it('lets a trace replay sweep vary the policy only', () => {
    const pts = expandReplayGrid({ policy: 'series' }, [{ path: 'policy.K', values: [0, 32] }]);
    assert.deepEqual(
      pts.map((p) => p.params.policy.K),
      [0, 32],
    );
    assert.throws(() => expandReplayGrid(null, [{ path: 'seed', values: [1] }]), /policy only/);
  });

  it('parses CLI --grid arguments', () => {
    assert.deepEqual(parseGridArg('policy.K=0,32,64'), { path: 'policy.K', values: [0, 32, 64] });
    assert.deepEqual(parseGridArg('policy.policy=upstream,series'), {
      path: 'policy.policy',
      values: ['upstream', 'series'],
    });
    assert.deepEqual(parseGridArg('workload.placement=spread, pcpu0'), {
      path: 'workload.placement',
      values: ['spread', 'pcpu0'],
    });
    assert.throws(() => parseGridArg('K'), /PATH=/);
    assert.equal(
      pointLabel({ 'policy.K': 32, 'policy.policy': 'series', seed: 2 }),
      'K=32 · series · seed=2',
    );
  });
});
