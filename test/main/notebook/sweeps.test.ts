import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobInfo } from '../../../shared/model';
import { SimParamsSchema, type SimParams } from '../../../shared/params';
import { ENGINE_VERSION } from '../../../main/engine';
import { JobRunner } from '../../../main/jobs/runner';
import { SweepManager } from '../../../main/notebook/sweeps';
import { replayOps } from '../../../main/trace';
import { opsInput, TINY, tinyOps, useSweepFixture } from './helpers';

const fx = useSweepFixture('sweeps');

const base = () => SimParamsSchema.parse(TINY);

describe('sweeps', () => {
  it('runs a 2x2x2 grid as 8 saved runs in one group, with the right parameters', async () => {
    const events: JobInfo[] = [];
    const running = new Set<string>();
    let maxRunning = 0;
    const onProgress = (j: JobInfo) => {
      if (j.kind === 'sweep') events.push(j);
    };
    const onPoint = (j: JobInfo) => {
      // A point job runs from its worker's start ('starting', then task progress) to 'done'.
      if (j.kind === 'simulation' && j.state === 'running' && j.detail !== 'queued') {
        running.add(j.jobId);
        maxRunning = Math.max(maxRunning, running.size);
      }
    };
    const onDone = (j: JobInfo) => {
      if (j.kind === 'sweep') events.push(j);
      else running.delete(j.jobId);
    };
    fx.jobs.on('progress', onProgress);
    fx.jobs.on('progress', onPoint);
    fx.jobs.on('done', onDone);
    const grid = [
      { path: 'policy.K', values: [0, 32] },
      { path: 'policy.policy', values: ['upstream', 'series'] },
      { path: 'seed', values: [1, 2] },
    ];
    const s = fx.sweeps.start({ base: base(), grid, title: 'which K' });
    assert.equal(s.points, 8);
    assert.equal(fx.sweeps.get(s.jobId)?.kind, 'sweep');
    const info = await s.finished;
    fx.jobs.off('progress', onProgress);
    fx.jobs.off('progress', onPoint);
    fx.jobs.off('done', onDone);

    assert.equal(info.state, 'done', info.error ?? '');
    assert.equal(info.fraction, 1);
    assert.match(info.detail, /8 \/ 8 points saved/);
    assert.ok(maxRunning <= 2, `at most one worker per core (saw ${maxRunning})`);
    assert.ok(events.length >= 3);
    assert.equal(events[events.length - 1].state, 'done');
    for (let i = 1; i < events.length; i++)
      assert.ok(
        events[i].fraction >= events[i - 1].fraction - 1e-9,
        'overall progress never goes back',
      );

    const saved = fx.store.listExperiments({ groupId: s.groupId });
    assert.equal(saved.length, 8);
    const combos = new Set<string>();
    for (const item of saved) {
      const e = fx.store.getExperiment(item.id);
      const p = e.params as SimParams;
      assert.equal(e.groupId, s.groupId);
      assert.equal(e.seed, p.seed);
      assert.equal(e.engineVersion, ENGINE_VERSION);
      assert.equal(p.workload.pcpus, 2, 'the base is kept');
      assert.equal(e.summary?.policy, p.policy.policy);
      assert.equal(e.summary?.K, p.policy.K);
      combos.add(`${p.policy.K}/${p.policy.policy}/${p.seed}`);
    }
    assert.deepEqual([...combos].sort(), [
      '0/series/1',
      '0/series/2',
      '0/upstream/1',
      '0/upstream/2',
      '32/series/1',
      '32/series/2',
      '32/upstream/1',
      '32/upstream/2',
    ]);

    const detail = fx.sweeps.detail(s.groupId);
    assert.equal(detail.group.title, 'which K');
    assert.equal(detail.group.state, 'done');
    assert.equal(detail.group.points, 8);
    assert.equal(detail.group.saved, 8);
    assert.deepEqual(detail.group.grid, grid);
    assert.equal(detail.points.length, 8);
    for (const p of detail.points) {
      const e = fx.store.getExperiment(p.experimentId);
      assert.equal(p.values['policy.K'], (e.params as SimParams).policy.K);
      assert.equal(p.values.seed, e.seed);
      assert.equal(p.metrics?.maxListLength, e.summary?.maxListLength);
      assert.equal(p.metrics?.p99Walk, e.summary?.walkStats.p99);
      assert.equal(p.metrics?.remotePlacements, e.summary?.remotePlacements);
    }
    assert.ok(fx.sweeps.groups().some((g) => g.id === s.groupId && g.saved === 8));
    assert.ok(fx.sweeps.list().some((j) => j.jobId === s.jobId && j.state === 'done'));
  });

  it('cancel stops the remaining points and keeps the finished ones in the group', async () => {
    const long = SimParamsSchema.parse({
      ...TINY,
      workload: { ...TINY.workload, durationNs: 200e6 },
    });
    const s = fx.sweeps.start({ base: long, grid: [{ path: 'seed', values: [1, 2, 3, 4, 5, 6] }] });
    const onDone = (j: JobInfo) => {
      if (j.kind === 'simulation' && j.state === 'done') fx.sweeps.cancel(s.jobId);
    };
    fx.jobs.on('done', onDone);
    const info = await s.finished;
    fx.jobs.off('done', onDone);
    assert.equal(info.state, 'cancelled');
    assert.match(info.detail, /finished points kept/);
    const g = fx.sweeps.group(s.groupId);
    assert.equal(g.state, 'cancelled');
    assert.ok(g.saved >= 1 && g.saved < 6, `saved ${g.saved}`);
    assert.equal(fx.store.listExperiments({ groupId: s.groupId }).length, g.saved);
    assert.equal(fx.sweeps.cancel(s.jobId), false, 'a finished sweep cannot be cancelled');
  });

  it('sweeps the policy over replays of a trace', async () => {
    const ops = tinyOps();
    const traceId = fx.store.saveRun({
      kind: 'trace',
      title: 'dump',
      params: { file: { name: 'd.bin', bytes: 1, sha256: 'ab' } },
      result: replayOps(opsInput(ops) as never, { policy: 'upstream' }),
      extraSeries: ops,
    });
    const s = fx.sweeps.start({
      base: { traceExperimentId: traceId },
      grid: [
        { path: 'policy.policy', values: ['upstream', 'series'] },
        { path: 'policy.K', values: [0, 2] },
      ],
    });
    const info = await s.finished;
    assert.equal(info.state, 'done', info.error ?? '');
    const d = fx.sweeps.detail(s.groupId);
    assert.equal(d.group.baseKind, 'trace');
    assert.equal(d.points.length, 4);
    for (const p of d.points) {
      const e = fx.store.getExperiment(p.experimentId);
      assert.equal(e.kind, 'trace');
      assert.equal(e.parentId, traceId);
      assert.equal((e.params as { replayOf: number }).replayOf, traceId);
      assert.equal(e.summary?.K, p.values['policy.K']);
    }
  });

  it('refuses an invalid grid before creating anything', () => {
    const before = fx.sweeps.groups().length;
    assert.throws(
      () => fx.sweeps.start({ base: base(), grid: [{ path: 'policy.K', values: [-5] }] }),
      (e: Error) => e.name === 'BadInputError',
    );
    assert.throws(
      () =>
        fx.sweeps.start({
          base: { traceExperimentId: 999999 },
          grid: [{ path: 'policy.K', values: [1] }],
        }),
      /not found/,
    );
    assert.equal(fx.sweeps.groups().length, before);
  });

  it('marks sweeps left running by a previous session as interrupted', () => {
    const id = Number(
      fx.store.db
        .prepare(
          `INSERT INTO groups (kind, title, base_json, grid_json, points, state, created_at)
           VALUES ('sweep', 'old', '{}', '[]', 3, 'running', 'x')`,
        )
        .run().lastInsertRowid,
    );
    const live = Number(
      fx.store.db
        .prepare(
          `INSERT INTO groups (kind, title, base_json, grid_json, points, state, owner_pid, created_at)
           VALUES ('sweep', 'CLI running beside us', '{}', '[]', 3, 'running', ?, 'x')`,
        )
        .run(process.pid).lastInsertRowid,
    );
    new SweepManager(fx.store, new JobRunner());
    assert.equal(fx.sweeps.group(id).state, 'interrupted');
    assert.equal(fx.sweeps.group(live).state, 'running', 'a live process may still be running it');
  });
});
