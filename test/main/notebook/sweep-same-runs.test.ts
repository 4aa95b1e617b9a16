import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimParamsSchema } from '../../../shared/params';
import { PILED, useSweepFixture } from './helpers';

const fx = useSweepFixture('sweep-same-runs');

describe('sweeps: grid points that are the same run', () => {
  it('sameRunsOnce runs upstream once for K x {upstream, series}, titled with its K values', async () => {
    const grid = [
      { path: 'policy.K', values: [0, 2, 8] },
      { path: 'policy.policy', values: ['upstream', 'series'] },
    ];
    const s = fx.sweeps.start({
      base: SimParamsSchema.parse(PILED),
      grid,
      title: 'once',
      sameRunsOnce: true,
    });
    assert.equal(s.points, 4, 'three series runs and one upstream run');
    const info = await s.finished;
    assert.equal(info.state, 'done');
    const detail = fx.sweeps.detail(s.groupId);
    assert.equal(detail.group.points, 4);
    assert.equal(detail.points.length, 4);
    const up = detail.points.filter((p) => p.values['policy.policy'] === 'upstream');
    assert.equal(up.length, 1);
    assert.match(
      up[0].title,
      /^upstream \(one run for K = 0, 2, 8: upstream does not place by K\) · once$/,
    );
    const series = detail.points.filter((p) => p.values['policy.policy'] === 'series');
    assert.deepEqual(series.map((p) => p.values['policy.K']).sort(), [0, 2, 8]);
    assert.ok(series.every((p) => !/one run/.test(p.title)));
  });

  it('without the option every point runs: identical lists, only the reference bound moves', async () => {
    const s = fx.sweeps.start({
      base: SimParamsSchema.parse(PILED),
      grid: [
        { path: 'policy.K', values: [0, 8] },
        { path: 'policy.policy', values: ['upstream'] },
      ],
    });
    assert.equal(s.points, 2);
    await s.finished;
    const [a, b] = fx.sweeps.detail(s.groupId).points;
    const lists = (m: typeof a.metrics) => ({ ...m, overBoundInsertions: 0 });
    assert.deepEqual(lists(a.metrics), lists(b.metrics), 'the same placements');
    assert.notEqual(a.metrics!.overBoundInsertions, b.metrics!.overBoundInsertions);
  });
});
