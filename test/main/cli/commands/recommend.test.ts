import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { simulate } from '../../../../main/engine/index';
import { SimParamsSchema, type SimParamsInput } from '../../../../shared/params';
import type { RecommendAnswer } from '../../../../shared/recommend';
import { cli, tempDir } from './cli-helpers';

const dir = tempDir('xpl-cli-recommend-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const config = join(dir, 'small.json');
/** Small and quick, yet K matters: K = 0 sends many blocks remote, a large K lets lists grow. */
const SMALL: SimParamsInput = {
  workload: { pcpus: 4, domains: 6, vcpusPerDomain: 4, placement: 'random', durationNs: 2e7 },
  policy: { policy: 'series' },
  buckets: 16,
};
writeFileSync(config, JSON.stringify(SMALL));
const ARGS = [
  '--db',
  db,
  'recommend',
  '--config',
  config,
  '--K',
  '2,0,1',
  '--seeds',
  '3',
  '--target',
  'maxListLength<=8',
  '--target',
  'remoteFraction <= 0.3',
];

/** The engine's own figures for one point (deterministic given the seed). */
function point(K: number, policy: 'series' | 'random-under-bound', seed: number) {
  const s = simulate(SimParamsSchema.parse({ ...SMALL, policy: { policy, K }, seed })).summary;
  return { maxList: s.maxListLength, remote: s.remotePlacements / (s.opCounts.block ?? 1) };
}

function groupSize(store: Store, groupId: number): number {
  return store.listExperiments({ groupId }).length;
}

test('recommend --json: smallest K passing on every seed, spread and front; a second call reuses the runs', async () => {
  const r = await cli([...ARGS, '--json']);
  assert.equal(r.code, 0, r.err);
  const a = JSON.parse(r.out) as RecommendAnswer;
  assert.equal(a.reused, false);
  assert.deepEqual(a.Ks, [0, 1, 2]);
  assert.deepEqual(a.policies, ['series', 'random-under-bound']);
  assert.deepEqual(a.seeds, [1, 2, 3]);
  assert.deepEqual(a.targets, ['maxListLength<=8', 'remoteFraction<=0.3']);

  // The answer, worked out here from the engine directly.
  let want: { K: number; policy: string } | null = null;
  for (const K of [0, 1, 2])
    for (const policy of ['series', 'random-under-bound'] as const) {
      const runs = [1, 2, 3].map((seed) => point(K, policy, seed));
      const pass = runs.filter((x) => x.maxList <= 8 && x.remote <= 0.3).length;
      const p = a.points.find((q) => q.K === K && q.policy === policy)!;
      assert.equal(p.passedSeeds, pass, `K=${K} ${policy}`);
      const remotes = runs.map((x) => x.remote).sort((x, y) => x - y);
      assert.deepEqual(p.spread.remoteFraction, {
        min: remotes[0],
        median: remotes[1],
        max: remotes[2],
      });
      if (!want && pass === 3) want = { K, policy };
    }
  assert.ok(want, 'some K passes on this config');
  assert.deepEqual(a.chosen, want);
  // K = 0 series passes on 2 of the 3 seeds only: said so.
  assert.deepEqual(a.nearMisses, [{ K: 0, policy: 'series', passedSeeds: 2, seeds: 3 }]);
  assert.deepEqual(a.frontAxes, ['maxListLength', 'remoteFraction']);
  for (let i = 1; i < a.front.length; i++) {
    assert.ok(a.front[i].x > a.front[i - 1].x, 'front sorted by the first axis');
    assert.ok(a.front[i].y < a.front[i - 1].y, 'each later front point pays less remote');
  }

  const store = Store.open(db);
  assert.equal(groupSize(store, a.groupId), 18);
  const before = store.listExperiments().length;
  store.close();

  const again = await cli([...ARGS, '--json']);
  assert.equal(again.code, 0, again.err);
  const b = JSON.parse(again.out) as RecommendAnswer;
  assert.equal(b.reused, true);
  assert.equal(b.groupId, a.groupId);
  assert.deepEqual(b.chosen, a.chosen);
  const s2 = Store.open(db);
  assert.equal(s2.listExperiments().length, before, 'nothing new run or saved');
  s2.close();
});

test('recommend --save: human answer, saved as a tagged entry outside the sweep group', async () => {
  const r = await cli([...ARGS, '--save']);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /^Recommended: K = \d+ with (series|random-under-bound) — meets maxListLength<=8 and remoteFraction<=0\.3 on all 3 seed\(s\)\./,
  );
  assert.match(r.out, /not sure: K = 0 series passes on 2 of 3 seeds only/);
  assert.match(r.out, /reused: the notebook already held these runs/);
  assert.match(r.out, /Pareto front \(medians; maxListLength vs remoteFraction\):/);
  const id = Number(/saved as experiment (\d+)/.exec(r.out)?.[1]);
  const store = Store.open(db);
  const e = store.getExperiment(id);
  assert.deepEqual(e.tags, ['recommendation']);
  assert.equal(e.groupId, null);
  assert.equal(e.hasResult, false);
  const saved = (e.params as { recommendation: RecommendAnswer }).recommendation;
  assert.match(
    e.title,
    new RegExp(`^Recommendation: K = ${saved.chosen!.K} \\(${saved.chosen!.policy}\\)`),
  );
  assert.match(e.notes, new RegExp(`From sweep group ${saved.groupId}`));
  assert.equal(groupSize(store, saved.groupId), 18, 'the entry is not one of the points');
  store.close();
});

test('recommend refuses a misspelt target, listing the valid names, and changes nothing', async () => {
  const store = Store.open(db);
  const before = store.listExperiments().length;
  store.close();
  const rec = (...more: string[]) => cli(['--db', db, 'recommend', '--config', config, ...more]);
  const r = await rec('--target', 'p99walkNs<=20000');
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown metric p99walkNs; one of .*p99WalkNs.*remoteFraction/);
  const bad = await rec('--target', 'maxListLength<=8', '--policies', 'serie');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown policy "serie"; one of upstream, series/);
  const none = await rec();
  assert.equal(none.code, 2);
  assert.match(none.err, /give at least one --target/);
  const s2 = Store.open(db);
  assert.equal(s2.listExperiments().length, before);
  s2.close();
});
