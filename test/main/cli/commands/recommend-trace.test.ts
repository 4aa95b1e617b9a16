/**
 * `recommend --trace-workload` and `sweep --trace-workload` (issue 14): a workload fitted from a
 * shipped dump, scaled up, as the base of a K x policy x seed sweep. The answer is checked
 * against the engine run directly on each point's params.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { simulateFitted } from '../../../../main/engine/fitted-workload';
import { TraceSimParamsSchema } from '../../../../shared/fitted-workload';
import type { RecommendAnswer } from '../../../../shared/recommend';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-recommend-trace-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const DUMP = join(TRACES, 'pvh-idle-dom0-sched.bin');
const SHA = createHash('sha256').update(readFileSync(DUMP)).digest('hex');
const SOURCE = ['--trace-workload', DUMP, '--cpu-hz', '2445.414M'];
const SCALE = ['--domains', '256', '--pcpus', '28', '--placement', 'trace', '--duration', '100ms'];
const ARGS = [
  '--db',
  db,
  'recommend',
  ...SOURCE,
  ...SCALE,
  '--K',
  '0,8,32',
  '--seeds',
  '2',
  '--target',
  'p99WalkNs<=6000',
  '--target',
  'remoteFraction<=0.2',
];

function count(): number {
  const s = Store.open(db);
  try {
    return s.listExperiments().length;
  } finally {
    s.close();
  }
}

test('recommend --trace-workload: the answer the engine gives point by point, with the dump named', async () => {
  const r = await cli([...ARGS, '--json']);
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as RecommendAnswer;
  assert.equal(a.reused, false);
  assert.deepEqual(a.base, {
    preset: null,
    pcpus: 28,
    domains: 256,
    vcpusPerDomain: null,
    traceWorkload: {
      file: 'pvh-idle-dom0-sched.bin',
      sha256: SHA,
      experimentId: null,
      placement: 'trace',
      sampling: 'replace',
    },
  });
  const store = Store.open(db);
  try {
    const runs = store.listExperiments({ groupId: a.groupId });
    assert.equal(runs.length, 3 * 2 * 2);
    // Each point, run again from its own saved params, passes or fails as the answer says.
    let want: { K: number; policy: string } | null = null;
    for (const K of [0, 8, 32])
      for (const policy of ['series', 'random-under-bound'] as const) {
        let pass = 0;
        for (const seed of [1, 2]) {
          const e = runs.find((x) => {
            const p = store.getExperiment(x.id).params as TraceParams;
            return p.policy.K === K && p.policy.policy === policy && p.seed === seed;
          });
          assert.ok(e, `K=${K} ${policy} seed ${seed} saved`);
          const { provenance, ...params } = store.getExperiment(e.id).params as TraceParams;
          assert.equal(provenance.dump.sha256, SHA);
          const s = simulateFitted(TraceSimParamsSchema.parse(params)).summary;
          const remote = s.remotePlacements / (s.opCounts.block ?? 1);
          if ((s.walkTimeNsStats?.p99 ?? 0) <= 6000 && remote <= 0.2) pass++;
        }
        assert.equal(a.points.find((p) => p.K === K && p.policy === policy)!.passedSeeds, pass);
        if (!want && pass === 2) want = { K, policy };
      }
    assert.ok(want, 'some K passes on this workload');
    // K = 0 sends too many blocks remote here: the answer is not simply the first point.
    assert.notEqual(want.K, 0);
    assert.deepEqual(a.chosen, want);
    assert.ok(a.front.length >= 2, 'a front, not a single point');
  } finally {
    store.close();
  }

  // The same question again: the runs are reused; --save names the dump in the entry.
  const before = count();
  const again = await cli([...ARGS, '--save']);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /reused: the notebook already held these runs/);
  assert.match(
    again.out,
    /base: workload fitted from pvh-idle-dom0-sched\.bin \(sha256 [0-9a-f]{12}…\): 256 domains drawn \(replace\) on 28 pCPUs, placement trace/,
  );
  assert.equal(count(), before + 1, 'only the recommendation entry is new');
  const id = Number(/saved as experiment (\d+)/.exec(again.out)?.[1]);
  const s2 = Store.open(db);
  try {
    assert.match(s2.getExperiment(id).title, /· fit of pvh-idle-dom0-sched\.bin$/);
  } finally {
    s2.close();
  }
});

interface TraceParams {
  policy: { K: number; policy: string };
  seed: number;
  provenance: { dump: { sha256: string } };
}

test('recommend --trace-workload refuses bad input before importing anything, and saves nothing', async () => {
  const before = count();
  const rec = (...more: string[]) => cli(['--db', db, 'recommend', ...more]);
  const both = await rec('--preset', 'hotplug', ...SOURCE, ...SCALE, '--target', 'p99Walk<=4');
  assert.equal(both.code, 2);
  assert.match(both.err, /exactly one of --preset, --config, --trace-workload/);
  const noScale = await rec(...SOURCE, '--target', 'p99Walk<=4');
  assert.equal(noScale.code, 2);
  assert.match(noScale.err, /--trace-workload needs --domains N and --pcpus P/);
  const stray = await rec(...SOURCE, ...SCALE, '--target', 'p99Walk<=4', '--vcpus', '4');
  assert.equal(stray.code, 2);
  assert.match(stray.err, /unexpected argument "--vcpus"/);
  const noHvm = await rec(
    '--trace-workload',
    join(TRACES, 'dom0-sched.bin'),
    ...SCALE,
    '--target',
    'p99Walk<=4',
  );
  assert.equal(noHvm.code, 1);
  assert.match(noHvm.err, /no HVM domain to fit/);
  assert.equal(count(), before);
});

test('sweep --trace-workload: --plan lists the points; the sweep saves fitted runs', async () => {
  const args = ['--db', db, 'sweep', ...SOURCE, ...SCALE, '--grid', 'traceWorkload.pcpus=14,28'];
  const plan = await cli([...args, '--grid', 'policy.K=0,4', '--plan', '--json']);
  assert.equal(plan.code, 0, plan.err);
  const p = JSON.parse(plan.out) as { points: number; sweepKey: string };
  assert.equal(p.points, 4);
  assert.match(p.sweepKey, /^[0-9a-f]{64}$/);
  const bad = await cli([...args, '--grid', 'workload.pcpus=4']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /has no workload\.pcpus/);
  const r = await cli([...args, '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as {
    state: string;
    points: { experimentId: number; values: Record<string, number> }[];
  };
  assert.equal(out.state, 'done');
  assert.deepEqual(
    out.points.map((x) => x.values['traceWorkload.pcpus']),
    [14, 28],
  );
  const store = Store.open(db);
  try {
    for (const pt of out.points) {
      const params = store.getExperiment(pt.experimentId).params as {
        traceWorkload: { pcpus: number };
        provenance: { source: string };
      };
      assert.equal(params.traceWorkload.pcpus, pt.values['traceWorkload.pcpus']);
      assert.equal(params.provenance.source, 'trace-workload');
    }
  } finally {
    store.close();
  }
});
