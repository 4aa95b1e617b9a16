import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SimParamsSchema } from '../../../shared/params';
import { JobRunner } from '../../../main/jobs/runner';
import { importNotebook } from '../../../main/notebook/exchange';
import { sweepKey } from '../../../main/notebook/shards';
import { SweepManager, type SweepSpec } from '../../../main/notebook/sweeps';
import { Store } from '../../../main/store/store';
import { TINY } from './helpers';
import { sweepSnapshot } from './shard-helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-merge-groups-'));
const jobs = new JobRunner({ maxConcurrent: 2 });
after(async () => {
  await jobs.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const spec: SweepSpec = {
  base: SimParamsSchema.parse(TINY),
  grid: [
    { path: 'policy.K', values: [0, 4] },
    { path: 'policy.policy', values: ['upstream', 'series', 'least-loaded'] },
  ],
};
const db = (name: string) => join(dir, `${name}.db`);

/** Runs the sweep (or one shard of it) into its own notebook file. */
async function runInto(path: string, shard?: { index: number; count: number }) {
  const store = Store.open(path);
  try {
    const s = new SweepManager(store, jobs).start({ ...spec, shard });
    const info = await s.finished;
    assert.equal(info.state, 'done', info.error ?? '');
    return { groupId: s.groupId, points: s.points };
  } finally {
    store.close();
  }
}

function mergeInto(path: string, files: string[]) {
  const store = Store.open(path);
  try {
    return files.map((f) => importNotebook(store, f));
  } finally {
    store.close();
  }
}

describe('sharded sweeps merged by notebook import', () => {
  before(async () => {
    await runInto(db('whole'));
    for (let i = 1; i <= 3; i++) await runInto(db(`shard${i}`), { index: i, count: 3 });
  });

  it('runs only its own points in each shard, under the whole grid and the sweep key', () => {
    const key = sweepKey(spec.base as never, spec.grid);
    const whole = sweepSnapshot(db('whole'));
    assert.equal(whole.points.length, 6);
    assert.deepEqual(whole.groups, [
      { title: whole.groups[0].title, points: 6, grid: JSON.stringify(spec.grid), sweepKey: key },
    ]);
    const inShards = [1, 2, 3].flatMap((i) => {
      const s = sweepSnapshot(db(`shard${i}`));
      assert.equal(s.points.length, 2, `shard ${i}`);
      assert.equal(s.groups[0].points, 6);
      assert.equal(s.groups[0].sweepKey, key);
      return s.points;
    });
    assert.deepEqual(
      inShards.map((p) => p.params).sort(),
      whole.points.map((p) => p.params),
    );
  });

  it('merges the shards in any order into one group equal to the unsharded sweep', () => {
    const whole = sweepSnapshot(db('whole'));
    for (const [name, order] of [
      ['m312', [3, 1, 2]],
      ['m213', [2, 1, 3]],
    ] as const) {
      const results = mergeInto(
        db(name),
        order.map((i) => db(`shard${i}`)),
      );
      assert.deepEqual(
        results.map((r) => r.imported),
        [2, 2, 2],
      );
      assert.equal(new Set(results.flatMap((r) => r.groups)).size, 1, 'one group');
      const merged = sweepSnapshot(db(name));
      assert.deepEqual(merged, whole);
      const store = Store.open(db(name));
      try {
        const g = new SweepManager(store, jobs).groups();
        assert.equal(g.length, 1);
        assert.equal(g[0].state, 'done');
        assert.equal(g[0].saved, 6);
        assert.equal(g[0].shard, null);
      } finally {
        store.close();
      }
    }
  });

  it('keeps a point imported twice once', () => {
    const r = mergeInto(db('twice'), [db('shard1'), db('shard2'), db('shard1'), db('shard3')]);
    assert.equal(r[2].imported, 0);
    assert.equal(r[2].duplicates, 2);
    assert.equal(r[0].duplicates, undefined);
    assert.deepEqual(sweepSnapshot(db('twice')), sweepSnapshot(db('whole')));
  });

  it('merges a shard into a whole sweep of the same identity, but copies whole sweeps', () => {
    // A shard imported into the notebook that ran the whole sweep adds nothing.
    const withWhole = join(dir, 'with-whole.db');
    mergeInto(withWhole, [db('whole')]);
    const shard = mergeInto(withWhole, [db('shard2')]);
    assert.equal(shard[0].imported, 0);
    assert.equal(shard[0].duplicates, 2);
    assert.deepEqual(sweepSnapshot(withWhole), sweepSnapshot(db('whole')));
    // A whole sweep (or a merged one) is copied like any notebook content: two groups.
    const copy = mergeInto(withWhole, [db('m312')]);
    assert.equal(copy[0].imported, 6);
    assert.equal(copy[0].duplicates, undefined);
    assert.equal(sweepSnapshot(withWhole).groups.length, 2);
  });

  it('keeps shards of different sweeps apart', async () => {
    const store = Store.open(db('other'));
    try {
      const s = new SweepManager(store, jobs).start({
        ...spec,
        grid: [{ path: 'policy.K', values: [0, 4] }],
        shard: { index: 1, count: 2 },
      });
      assert.equal((await s.finished).state, 'done');
    } finally {
      store.close();
    }
    mergeInto(db('two-sweeps'), [db('shard1'), db('other')]);
    const snap = sweepSnapshot(db('two-sweeps'));
    assert.equal(snap.groups.length, 2);
    assert.notEqual(snap.groups[0].sweepKey, snap.groups[1].sweepKey);
    assert.equal(snap.points.length, 3);
  });

  it('refuses to shard a trace replay sweep', () => {
    const store = Store.open(db('trace'));
    try {
      assert.throws(
        () =>
          new SweepManager(store, jobs).start({
            base: { traceExperimentId: 1 },
            grid: spec.grid,
            shard: { index: 1, count: 2 },
          }),
        /cannot be sharded/,
      );
    } finally {
      store.close();
    }
  });
});
