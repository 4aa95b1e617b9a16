import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimParamsSchema } from '../../../shared/params';
import { TINY, useSweepFixture } from './helpers';

const fx = useSweepFixture('sweep-titles');

describe('sweep point titles (issue 12 item 11)', () => {
  it('put the point’s own values first, the sweep’s title after', async () => {
    const s = fx.sweeps.start({
      base: SimParamsSchema.parse(TINY),
      grid: [{ path: 'policy.K', values: [0, 32] }],
      title: 'a long sweep title that the sidebar cuts',
    });
    const info = await s.finished;
    assert.equal(info.state, 'done', info.error ?? '');
    const titles = fx.store
      .listExperiments()
      .map((e) => e.title)
      .sort();
    assert.deepEqual(titles, [
      'K=0 · a long sweep title that the sidebar cuts',
      'K=32 · a long sweep title that the sidebar cuts',
    ]);
  });
});
