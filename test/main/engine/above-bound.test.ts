import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpCode } from '../../../shared/ops';
import { opToCompact } from '../../../shared/ops';
import { SimParamsSchema } from '../../../shared/params';
import type { RunSummary } from '../../../shared/results';
import { presetParams, runScript, WorkloadGenerator } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';
import { config } from './ops-dsl';
import { randomOps } from './random-ops';

/** The hand-worked case of docs/engine.md ("Above the bound"). */
const SCRIPT = readFileSync(
  join(import.meta.dirname, '../../fixtures/engine-cases/above-bound-worked.jsonl'),
  'utf8',
);

const figures = (s: RunSummary) => ({
  pcpuNs: s.aboveBoundPcpuNs,
  entryNs: s.aboveBoundEntryNs,
  maxExcess: s.aboveBoundMaxExcess,
  maxAtNs: s.aboveBoundMaxAtNs,
  steps: s.aboveBoundSteps,
});

test('above the bound: the hand-worked case (series K = 1, and upstream against the same bound)', () => {
  // H = 8, one pCPU online: bound 9, the six blocks stay local (list 0 = 6). pCPU 1 online at
  // 10: bound 5, excess 1; destroys at 20 and 30: H 7 then 6, bound 4, excess 2; the post at 40
  // leaves 5 (excess 1); the run at 50 leaves 4 (not above). Above from 10 to 50: 40 pCPU-ns;
  // entries: 1 x 10 + 2 x 20 + 1 x 10 = 60 entry-ns; max excess 2, first at 20; 4 steps.
  for (const policy of ['series', 'upstream'] as const) {
    const s = runScript(SCRIPT, config({ policy, K: 1 })).summary;
    assert.deepEqual(
      figures(s),
      { pcpuNs: 40, entryNs: 60, maxExcess: 2, maxAtNs: 20, steps: 4 },
      policy,
    );
    assert.equal(s.overBoundInsertions, 0, 'no insertion was over the bound');
    assert.equal(s.boundOverflows, 0);
  }
  // Upstream's default K = 128: its lists never reach that bound.
  const s = runScript(SCRIPT, config({ policy: 'upstream' })).summary;
  assert.deepEqual(figures(s), { pcpuNs: 0, entryNs: 0, maxExcess: 0, maxAtNs: null, steps: 0 });
});

/** Wraps a model and integrates the figures naively from lengths() and the bound after each op. */
class NaiveMeter {
  pcpuNs = 0;
  entryNs = 0;
  maxExcess = 0;
  steps = 0;
  private over = 0;
  private excess = 0;
  private lastT = 0;
  constructor(readonly m: HostModel) {}
  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    this.pcpuNs += (t - this.lastT) * this.over;
    this.entryNs += (t - this.lastT) * this.excess;
    this.lastT = t;
    this.m.op(code, t, a, b, c);
    const bound = this.m.currentBound;
    const above = this.m.lengths().filter((L) => L > bound);
    this.over = above.length;
    this.excess = above.reduce((x, L) => x + L - bound, 0);
    if (above.length) {
      this.steps++;
      this.maxExcess = Math.max(this.maxExcess, ...above.map((L) => L - bound));
    }
  }
  finish(): RunSummary {
    const s = this.m.finish().summary;
    this.pcpuNs += (s.endNs - this.lastT) * this.over;
    this.entryNs += (s.endNs - this.lastT) * this.excess;
    return s;
  }
}

function checkAgainstNaive(s: RunSummary, n: NaiveMeter, what: string): void {
  assert.equal(s.aboveBoundSteps, n.steps, `${what}: steps`);
  assert.equal(s.aboveBoundMaxExcess, n.maxExcess, `${what}: max excess`);
  assert.equal(s.aboveBoundPcpuNs, n.pcpuNs, `${what}: pCPU-ns`);
  assert.equal(s.aboveBoundEntryNs, n.entryNs, `${what}: entry-ns`);
}

test('above the bound: random op streams agree with a naive integration', () => {
  let nonZero = 0;
  for (const [policy, K] of [
    ['upstream', 1],
    ['series', 0],
    ['series', 2],
    ['least-loaded', 1],
    ['two-choices', 1],
  ] as const) {
    for (let seed = 1; seed <= 5; seed++) {
      const n = new NaiveMeter(new HostModel(config({ policy, K, fixup: 'cycle' }, seed)));
      for (const o of randomOps(seed * 31 + K, 800, 2 + (seed % 4))) n.op(...opToCompact(o));
      const s = n.finish();
      checkAgainstNaive(s, n, `${policy} K ${K} seed ${seed}`);
      if (s.aboveBoundSteps! > 0) nonZero++;
    }
  }
  assert.ok(nonZero >= 5, `streams with lists above the bound: ${nonZero}`);
});

function churnRun(policy: 'series' | 'upstream'): { s: RunSummary; n: NaiveMeter } {
  const p = SimParamsSchema.parse({
    ...presetParams('domain-churn'),
    policy: { policy, K: 4 },
    workload: { ...presetParams('domain-churn')!.workload, durationNs: 500e6 },
  });
  const n = new NaiveMeter(
    new HostModel({ policy: p.policy, costs: p.costs, buckets: p.buckets, seed: p.seed }),
  );
  new WorkloadGenerator(p.workload, p.seed).run(n);
  return { s: n.finish(), n };
}

test('above the bound on domain-churn (series, K = 4): non-zero, and exact against naive', () => {
  const { s, n } = churnRun('series');
  assert.equal(s.overBoundInsertions, 0, 'series never inserts over the bound (K >= 1)');
  assert.ok(s.aboveBoundSteps! > 0, 'destroys leave lists above the lowered bound');
  assert.ok(s.aboveBoundPcpuNs! > 0);
  assert.ok(s.aboveBoundEntryNs! >= s.aboveBoundPcpuNs!, 'each list above has >= 1 entry above');
  assert.ok(s.aboveBoundMaxExcess! >= 1);
  checkAgainstNaive(s, n, 'series');
});

test('above the bound under upstream: lists above the bound the series would enforce', () => {
  const { s, n } = churnRun('upstream');
  checkAgainstNaive(s, n, 'upstream');
  const series = churnRun('series').s;
  // Upstream piles up on local lists with no bound at insertion: its lists sit above the
  // series' bound for longer, and insertions over it are counted too.
  assert.ok(s.overBoundInsertions > 0);
  assert.ok(s.aboveBoundPcpuNs! > series.aboveBoundPcpuNs!);
});
