/**
 * `recommend.start` (issue 14 item 2 in the app): validation before anything is saved, a small
 * preset end to end as one 'recommend' job whose sweep is its part, the answer checked against
 * the engine's own figures and saved naming its group, reuse on a second call, cancel, and a
 * saved run as the base.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExperimentRecord, JobInfo } from '../../../shared/model';
import { SimParamsSchema } from '../../../shared/params';
import type { RecommendAnswer } from '../../../shared/recommend';
import { dispatch } from '../../../main/api/dispatch';
import { createServices, type Services } from '../../../main/api/services';
import { presetParams, simulate } from '../../../main/engine';
import { TINY } from '../notebook/helpers';
import { ENGINE_VERSION } from '../../../main/engine';
import { simulateFitted } from '../../../main/engine/fitted-workload';
import { fitImport, traceWorkloadProvenance } from '../../../main/trace/fit-source';
import { importTrace } from '../../../main/trace/index';
import { TraceSimParamsSchema } from '../../../shared/fitted-workload';

const DUMP = join(import.meta.dirname, '..', '..', 'fixtures', 'traces', 'pvh-idle-dom0-sched.bin');

const dir = mkdtempSync(join(tmpdir(), 'xpl-recommend-handlers-'));
let services: Services;
before(() => {
  services = createServices({ dbPath: join(dir, 'rec.db'), host: 'cli', maxConcurrentJobs: 2 });
});
after(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (channel: string, req: unknown) => dispatch(services.handlers, channel, req);

/** The job's final JobInfo, whether it has already ended or not (a reused sweep ends at once). */
function finished(jobId: string): Promise<JobInfo> {
  const now = (services.handlers['jobs.list']({}) as JobInfo[]).find((j) => j.jobId === jobId);
  if (now && now.state !== 'running') return Promise.resolve(now);
  return new Promise((res) => services.events.on('job.done', (j) => j.jobId === jobId && res(j)));
}

function counts(): { experiments: number; groups: number; recommendations: number } {
  const db = services.store.db;
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    experiments: n('SELECT COUNT(*) AS n FROM experiments'),
    groups: n('SELECT COUNT(*) AS n FROM groups'),
    recommendations: services.store.listExperiments({ tag: 'recommendation' }).length,
  };
}

async function entry(id: number): Promise<ExperimentRecord> {
  const r = await call('experiments.get', { id });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as ExperimentRecord;
}

/** domain-churn cut to 50 ms: K = 0 sends a fifth of the blocks remote, K = 4 few, lists ~20. */
const SMALL = {
  base: { preset: 'domain-churn' },
  durationNs: 5e7,
  Ks: [4, 0],
  seeds: 2,
  targets: ['remoteFraction<=0.1', 'maxListLength <= 22'],
};

describe('recommend.start', () => {
  it('refuses bad input with a clear error and saves nothing', async () => {
    const before = counts();
    const bad = async (req: unknown, code: string, message: RegExp) => {
      const r = await call('recommend.start', req);
      assert.equal(r.ok, false, JSON.stringify(req));
      assert.equal(!r.ok && r.error.code, code, JSON.stringify(r));
      assert.match(!r.ok ? r.error.message : '', message);
    };
    await bad(
      { ...SMALL, targets: ['p99walkNs<=20000'] },
      'invalid-argument',
      /targets\.0: .*unknown metric p99walkNs; one of maxListLength, .*p99WalkNs.*remoteFraction/,
    );
    await bad({ ...SMALL, targets: ['maxListLength=3'] }, 'invalid-argument', /write METRIC<=X/);
    await bad({ ...SMALL, targets: [] }, 'invalid-argument', /give at least one target/);
    await bad({ ...SMALL, policies: ['serie'] }, 'invalid-argument', /policies\.0/);
    await bad({ ...SMALL, Ks: [-1] }, 'invalid-argument', /Ks\.0/);
    await bad({ ...SMALL, seeds: 0 }, 'invalid-argument', /seeds/);
    await bad({ ...SMALL, base: { preset: 'x', experimentId: 1 } }, 'invalid-argument', /base/);
    await bad(
      { ...SMALL, base: { preset: 'nope' } },
      'bad-input',
      /unknown preset "nope"; one of seed-worst-case, .*domain-churn/,
    );
    await bad(
      { ...SMALL, Ks: Array.from({ length: 200 }, (_, i) => i), seeds: 3 },
      'bad-input',
      /200 K x 2 policies x 3 seeds = 1200 runs; at most 1000/,
    );
    await bad({ ...SMALL, base: { experimentId: 9999 } }, 'not-found', /9999/);
    const after = counts();
    assert.deepEqual(after, before, 'nothing saved, no group made');

    // Bases that are not a run of the stochastic generator are named and refused.
    const trace = await call('experiments.create', { kind: 'trace', title: 'a dump' });
    const empty = await call('experiments.create', { kind: 'simulation', title: 'to do' });
    assert.ok(trace.ok && empty.ok);
    const traceId = (trace.value as ExperimentRecord).id;
    const emptyId = (empty.value as ExperimentRecord).id;
    await bad(
      { ...SMALL, base: { experimentId: traceId } },
      'bad-input',
      new RegExp(`experiment ${traceId} \\("a dump"\\) is a trace, not a simulation run`),
    );
    await bad(
      { ...SMALL, base: { experimentId: emptyId } },
      'bad-input',
      /has no result yet: run it first/,
    );
    assert.deepEqual(counts(), { ...before, experiments: before.experiments + 2 });
  });

  let first: RecommendAnswer;
  it('runs the sweep as one job, answers as the engine says, and saves the answer naming its group', async () => {
    const progress: JobInfo[] = [];
    const onProgress = (j: JobInfo) => progress.push(j);
    services.events.on('job.progress', onProgress);
    const r = await call('recommend.start', SMALL);
    assert.ok(r.ok, JSON.stringify(r));
    const { jobId } = r.value as { jobId: string };
    const listed = (await call('jobs.list', {})) as { ok: true; value: JobInfo[] };
    const mine = listed.value.find((j) => j.jobId === jobId);
    assert.equal(mine?.kind, 'recommend');
    const done = await finished(jobId);
    services.events.off('job.progress', onProgress);
    assert.equal(done.state, 'done', done.error ?? '');
    assert.equal(done.fraction, 1);
    assert.ok(done.experimentId, 'the job names the saved entry');

    // The sweep ran as the job's part: its own job names the recommendation as its parent, and
    // the recommendation's progress went up as the sweep's points finished.
    const sweepJobs = progress.filter((j) => j.kind === 'sweep');
    assert.ok(sweepJobs.length > 0);
    assert.ok(sweepJobs.every((j) => j.parentJobId === jobId));
    const fractions = progress.filter((j) => j.jobId === jobId).map((j) => j.fraction);
    assert.ok(
      fractions.some((f) => f > 0 && f < 1),
      `progress seen: ${fractions.join(', ')}`,
    );
    assert.match(progress.filter((j) => j.jobId === jobId).at(-1)!.detail, /^sweep: \d+ \/ 8/);

    const e = await entry(done.experimentId!);
    assert.deepEqual(e.tags, ['recommendation']);
    assert.equal(e.kind, 'simulation');
    assert.equal(e.hasResult, false);
    assert.equal(e.groupId, null, 'the entry is not one of the sweep points');
    const a = (e.params as { recommendation: RecommendAnswer }).recommendation;
    assert.equal(a.reused, false);
    assert.deepEqual(a.Ks, [0, 4], 'sorted as the CLI sorts them');
    assert.deepEqual(a.policies, ['series', 'random-under-bound'], 'the default policies');
    assert.deepEqual(a.seeds, [1, 2]);
    assert.deepEqual(a.targets, ['remoteFraction<=0.1', 'maxListLength<=22']);
    assert.deepEqual(a.base, { preset: 'domain-churn', pcpus: 16, domains: 64, vcpusPerDomain: 4 });
    assert.match(
      e.notes,
      new RegExp(`From sweep group ${a.groupId} \\(\`#/sweep/${a.groupId}\`\\)`),
    );
    assert.match(
      e.title,
      new RegExp(`^Recommendation: K = ${a.chosen?.K} \\(${a.chosen?.policy}\\) · domain-churn$`),
    );

    // The group holds every point, run at 50 ms; the answer is the engine's own figures'.
    const g = await call('sweeps.get', { groupId: a.groupId });
    assert.ok(g.ok);
    const detail = g.value as { group: { state: string; points: number }; points: unknown[] };
    assert.equal(detail.group.state, 'done');
    assert.equal(detail.points.length, 8);
    const base = presetParams('domain-churn')!;
    let want: { K: number; policy: string } | null = null;
    for (const K of [0, 4])
      for (const policy of ['series', 'random-under-bound'] as const) {
        const pass = [1, 2].filter((seed) => {
          const s = simulate(
            SimParamsSchema.parse({
              ...base,
              workload: { ...base.workload, durationNs: 5e7 },
              policy: { policy, K },
              seed,
            }),
          ).summary;
          return s.remotePlacements / (s.opCounts.block ?? 1) <= 0.1 && s.maxListLength <= 22;
        }).length;
        assert.equal(a.points.find((p) => p.K === K && p.policy === policy)?.passedSeeds, pass);
        if (!want && pass === 2) want = { K, policy };
      }
    assert.ok(want, 'a K meets the targets on this base');
    assert.deepEqual(a.chosen, want);
    first = a;
  });

  it('reuses the sweep on a second call: nothing run, a new entry with the same answer', async () => {
    const before = counts();
    const r = await call('recommend.start', SMALL);
    assert.ok(r.ok, JSON.stringify(r));
    const done = await finished((r.value as { jobId: string }).jobId);
    assert.equal(done.state, 'done', done.error ?? '');
    assert.match(done.detail, /runs reused from the notebook/);
    const a = (await entry(done.experimentId!)).params as { recommendation: RecommendAnswer };
    assert.equal(a.recommendation.reused, true);
    assert.equal(a.recommendation.groupId, first.groupId);
    assert.deepEqual(a.recommendation.chosen, first.chosen);
    assert.deepEqual(a.recommendation.points, first.points);
    assert.deepEqual(counts(), {
      experiments: before.experiments + 1,
      groups: before.groups,
      recommendations: before.recommendations + 1,
    });
  });

  it('recommends from a saved run, and refuses a recommendation entry as a base', async () => {
    const sim = await call('sim.start', { params: TINY, title: 'tiny base' });
    assert.ok(sim.ok);
    const run = await finished((sim.value as { jobId: string }).jobId);
    assert.equal(run.state, 'done', run.error ?? '');
    const r = await call('recommend.start', {
      base: { experimentId: run.experimentId },
      Ks: [0, 1],
      policies: ['series'],
      seeds: 1,
      targets: ['maxListLength<=100'],
    });
    assert.ok(r.ok, JSON.stringify(r));
    const done = await finished((r.value as { jobId: string }).jobId);
    assert.equal(done.state, 'done', done.error ?? '');
    const e = await entry(done.experimentId!);
    const a = (e.params as { recommendation: RecommendAnswer }).recommendation;
    const tiny = SimParamsSchema.parse(TINY);
    assert.deepEqual(a.base, { preset: null, pcpus: 2, domains: 2, vcpusPerDomain: 3 });
    assert.deepEqual(a.chosen, { K: 0, policy: 'series' });
    assert.match(e.title, / · custom$/);
    // Every point is the saved run's params with K, policy and seed set.
    const g = await call('sweeps.get', { groupId: a.groupId });
    assert.ok(g.ok);
    for (const p of (g.value as { points: { experimentId: number }[] }).points) {
      const params = (await entry(p.experimentId)).params as typeof tiny;
      assert.deepEqual(params.workload, tiny.workload);
    }

    const again = await call('recommend.start', {
      base: { experimentId: done.experimentId },
      targets: ['maxListLength<=100'],
    });
    assert.equal(!again.ok && again.error.code, 'bad-input');
    assert.match(!again.ok ? again.error.message : '', /is a recommendation, not a run/);
  });

  it('recommends from a run of a workload fitted from a dump: every point a fitted run', async () => {
    const fit = fitImport(await importTrace(DUMP, { cpuHz: 2445.414e6 }));
    const params = TraceSimParamsSchema.parse({
      traceWorkload: { fit, domains: 128, pcpus: 16, placement: 'trace', durationNs: 1e8 },
      policy: { policy: 'upstream' },
    });
    const runId = services.store.saveRun({
      kind: 'simulation',
      title: 'fitted base',
      params: { ...params, provenance: traceWorkloadProvenance(fit) },
      seed: params.seed,
      result: simulateFitted(params),
      engineVersion: ENGINE_VERSION,
    });
    const r = await call('recommend.start', {
      base: { experimentId: runId },
      durationNs: 5e7,
      Ks: [0, 16],
      policies: ['series'],
      seeds: 1,
      targets: ['remoteFraction<=0.2'],
    });
    assert.ok(r.ok, JSON.stringify(r));
    const done = await finished((r.value as { jobId: string }).jobId);
    assert.equal(done.state, 'done', done.error ?? '');
    const e = await entry(done.experimentId!);
    const a = (e.params as { recommendation: RecommendAnswer }).recommendation;
    assert.deepEqual(a.base, {
      preset: null,
      pcpus: 16,
      domains: 128,
      vcpusPerDomain: null,
      traceWorkload: {
        file: 'pvh-idle-dom0-sched.bin',
        sha256: fit.source.sha256,
        experimentId: null,
        placement: 'trace',
        sampling: 'replace',
      },
    });
    assert.match(e.title, / · fit of pvh-idle-dom0-sched\.bin$/);
    // Each point is the fitted workload at 50 ms with its K, reproduced from its own params.
    const g = await call('sweeps.get', { groupId: a.groupId });
    assert.ok(g.ok);
    const points = (g.value as { points: { experimentId: number }[] }).points;
    assert.equal(points.length, 2);
    let passing: number | null = null;
    for (const pt of points) {
      const { provenance, ...stored } = (await entry(pt.experimentId)).params as Record<
        string,
        unknown
      >;
      assert.equal((provenance as { dump: { sha256: string } }).dump.sha256, fit.source.sha256);
      const q = TraceSimParamsSchema.parse(stored);
      assert.equal(q.traceWorkload.durationNs, 5e7);
      const s = simulateFitted(q).summary;
      if (passing === null && s.remotePlacements / (s.opCounts.block ?? 1) <= 0.2)
        passing = q.policy.K;
    }
    assert.equal(passing, 16, 'K = 0 sends more than a fifth of the blocks remote here');
    assert.deepEqual(a.chosen, { K: passing, policy: 'series' });
  });

  it('cancels through jobs.cancel: the sweep is cancelled with it and no answer is saved', async () => {
    const before = counts();
    const r = await call('recommend.start', {
      base: { preset: 'domain-churn' },
      durationNs: 20e9,
      Ks: [1, 2, 3],
      policies: ['series'],
      targets: ['maxListLength<=22'],
    });
    assert.ok(r.ok, JSON.stringify(r));
    const { jobId } = r.value as { jobId: string };
    const c = await call('jobs.cancel', { jobId });
    assert.deepEqual(c.ok && c.value, { cancelled: true });
    const done = await finished(jobId);
    assert.equal(done.state, 'cancelled');
    assert.equal(done.experimentId, null);
    const groups = (await call('sweeps.list', {})) as { ok: true; value: { state: string }[] };
    assert.equal(groups.value[0].state, 'cancelled');
    // A cancelled sweep keeps the points it had finished (none: each runs 20 s of virtual time).
    assert.deepEqual(counts(), { ...before, groups: before.groups + 1 });
  });
});
