import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meets, parseTarget, recommend, TargetError, type SeedRun } from '../../shared/recommend';
import type { RunSummary } from '../../shared/results';

/** A summary with only what the metrics read set meaningfully. */
function summary(p99WalkNs: number, remote: number, blocks = 1000): RunSummary {
  const d = { count: 1, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    remotePlacements: remote,
    opCounts: { block: blocks },
    walkStats: d,
    walkTimeNsStats: { ...d, p99: p99WalkNs },
    maxListLength: 0,
  } as unknown as RunSummary;
}

let nextId = 1;
function run(K: number, policy: string, seed: number, ns: number, remote: number): SeedRun {
  return { K, policy, seed, experimentId: nextId++, summary: summary(ns, remote) };
}

test('parseTarget: the four operators, spaces, and clear errors', () => {
  assert.deepEqual(parseTarget('p99WalkNs<=20000'), {
    metric: 'p99WalkNs',
    op: '<=',
    value: 20000,
    text: 'p99WalkNs<=20000',
  });
  assert.equal(parseTarget(' remoteFraction < 0.05 ').op, '<');
  assert.equal(parseTarget('wakeupInterrupts>=1e3').value, 1000);
  assert.equal(parseTarget('maxListLength>4').op, '>');
  assert.throws(
    () => parseTarget('p99walkns<=1'),
    (e: Error) =>
      e instanceof TargetError &&
      /unknown metric p99walkns; one of .*p99WalkNs.*remoteFraction/.test(e.message),
  );
  assert.throws(() => parseTarget('p99WalkNs=1'), /write METRIC<=X/);
  assert.throws(() => parseTarget('p99WalkNs<=abc'), /"abc" is not a number/);
  const t = parseTarget('remoteFraction<0.05');
  assert.equal(meets(t, 0.05), false);
  assert.equal(meets(parseTarget('remoteFraction<=0.05'), 0.05), true);
});

test('recommend: smallest K passing on every seed, spreads, near misses, front', () => {
  const targets = [parseTarget('p99WalkNs<=20000'), parseTarget('remoteFraction<=0.05')];
  // remoteFraction = remote / 1000 blocks.
  const runs = [
    // K=0 series: walks short, remote 10 % -> fails remote on all seeds.
    run(0, 'series', 1, 5000, 100),
    run(0, 'series', 2, 6000, 120),
    run(0, 'series', 3, 7000, 110),
    // K=4 series: passes on seeds 1, 2; seed 3 walks too long -> 'some'.
    run(4, 'series', 1, 15000, 40),
    run(4, 'series', 2, 18000, 30),
    run(4, 'series', 3, 25000, 20),
    // K=4 random-under-bound: fails remote on every seed.
    run(4, 'random-under-bound', 1, 9000, 90),
    run(4, 'random-under-bound', 2, 9000, 80),
    run(4, 'random-under-bound', 3, 9000, 70),
    // K=8 both pass on all seeds; random-under-bound has the lower median p99 -> chosen.
    run(8, 'series', 1, 19000, 10),
    run(8, 'series', 2, 19500, 12),
    run(8, 'series', 3, 19900, 11),
    run(8, 'random-under-bound', 1, 12000, 40),
    run(8, 'random-under-bound', 2, 13000, 45),
    run(8, 'random-under-bound', 3, 14000, 50),
  ];
  const r = recommend(runs, targets, ['series', 'random-under-bound']);
  assert.deepEqual(r.chosen, { K: 8, policy: 'random-under-bound' });
  assert.deepEqual(r.nearMisses, [{ K: 4, policy: 'series', passedSeeds: 2, seeds: 3 }]);
  const k4 = r.points.find((p) => p.K === 4 && p.policy === 'series')!;
  assert.equal(k4.passes, 'some');
  assert.deepEqual(k4.failing, ['p99WalkNs<=20000']);
  assert.deepEqual(k4.spread.p99WalkNs, { min: 15000, median: 18000, max: 25000 });
  assert.deepEqual(k4.spread.remoteFraction, { min: 0.02, median: 0.03, max: 0.04 });
  assert.equal(r.points.find((p) => p.K === 0)!.passes, 'none');
  // Points in K order, then the policies' order.
  assert.deepEqual(
    r.points.map((p) => `${p.K} ${p.policy}`),
    ['0 series', '4 series', '4 random-under-bound', '8 series', '8 random-under-bound'],
  );
  // Front on medians (p99WalkNs, remoteFraction), both lower-is-better:
  // 0 s (6000, .11), 4 s (18000, .03), 4 r (9000, .08), 8 s (19500, .011), 8 r (13000, .045).
  // By p99 the remote fraction falls at every step (.11, .08, .045, .03, .011): all on the front.
  assert.deepEqual(r.frontAxes, ['p99WalkNs', 'remoteFraction']);
  assert.deepEqual(
    r.front.map((p) => `${p.K} ${p.policy}`),
    ['0 series', '4 random-under-bound', '8 random-under-bound', '4 series', '8 series'],
  );
});

test('recommend: dominated points leave the front; no K passes -> chosen null, every some-pass listed', () => {
  const targets = [parseTarget('p99WalkNs<=100'), parseTarget('remoteFraction<=0.5')];
  const runs = [
    run(0, 'series', 1, 50, 100),
    run(0, 'series', 2, 500, 100),
    run(2, 'series', 1, 600, 200),
    run(2, 'series', 2, 700, 300),
  ];
  const r = recommend(runs, targets);
  assert.equal(r.chosen, null);
  assert.deepEqual(r.nearMisses, [{ K: 0, policy: 'series', passedSeeds: 1, seeds: 2 }]);
  // K=0 median (275, 0.1) dominates K=2 median (650, 0.25).
  assert.deepEqual(
    r.front.map((p) => [p.K, p.x, p.y]),
    [[0, 275, 0.1]],
  );
});

test('recommend: a >= target turns its axis (higher is better on the front)', () => {
  const targets = [parseTarget('maxListLength<=10'), parseTarget('wakeupInterrupts>=5')];
  const mk = (K: number, maxList: number, wakeups: number): SeedRun => ({
    K,
    policy: 'series',
    seed: 1,
    experimentId: nextId++,
    summary: { ...summary(0, 0), maxListLength: maxList, wakeupInterrupts: wakeups },
  });
  const r = recommend([mk(0, 3, 4), mk(1, 5, 9), mk(2, 6, 8)], targets);
  assert.deepEqual(r.frontAxes, ['maxListLength', 'wakeupInterrupts']);
  assert.deepEqual(r.chosen, { K: 1, policy: 'series' });
  // (3, 4) and (5, 9) trade off; (6, 8) is dominated by (5, 9).
  assert.deepEqual(
    r.front.map((p) => p.K),
    [0, 1],
  );
});

test('recommend: equal points are one point of the front, at the smallest K', () => {
  const targets = [parseTarget('p99WalkNs<=100')];
  const r = recommend(
    [run(8, 'series', 1, 50, 0), run(2, 'series', 1, 50, 0), run(4, 'series', 1, 60, 0)],
    targets,
  );
  assert.deepEqual(
    r.front.map((p) => p.K),
    [2],
  );
  assert.deepEqual(r.chosen, { K: 2, policy: 'series' });
});
