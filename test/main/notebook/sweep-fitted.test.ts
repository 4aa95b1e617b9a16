/**
 * Sweeps over a workload fitted from a dump (issue 14): the grid's points are runs of the fitted
 * workload, each saved with its provenance and reproducible from its own params; the fit is the
 * base, not a parameter; same-run dedupe and the sweep key work as for stochastic bases.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { simulateFitted } from '../../../main/engine/fitted-workload';
import { expandFittedGrid, GridError } from '../../../main/notebook/grid';
import { sweepKey } from '../../../main/notebook/shards';
import { fitImport } from '../../../main/trace/fit-source';
import { importTrace } from '../../../main/trace/index';
import {
  TraceSimParamsSchema,
  type FittedWorkload,
  type TraceSimParams,
} from '../../../shared/fitted-workload';
import { useSweepFixture } from './helpers';

const fx = useSweepFixture('sweep-fitted');
const DUMP = join(import.meta.dirname, '..', '..', 'fixtures', 'traces', 'pvh-idle-dom0-sched.bin');
let fit: FittedWorkload;
let base: TraceSimParams;

before(async () => {
  fit = fitImport(await importTrace(DUMP, { cpuHz: 2445.414e6 }));
  base = TraceSimParamsSchema.parse({
    traceWorkload: { fit, domains: 64, pcpus: 8, placement: 'random', durationNs: 5e7 },
    policy: { policy: 'series' },
    buckets: 16,
  });
});

describe('sweeps over a fitted workload', () => {
  it('expands policy, seed and scaling paths; refuses the fit and workload.* paths', () => {
    const pts = expandFittedGrid(base, [
      { path: 'policy.K', values: [0, 4] },
      { path: 'traceWorkload.pcpus', values: [8, 16] },
    ]);
    assert.deepEqual(
      pts.map((p) => [p.params.policy.K, p.params.traceWorkload.pcpus]),
      [
        [0, 8],
        [0, 16],
        [4, 8],
        [4, 16],
      ],
    );
    // Every point keeps the base's fit (the same object content).
    for (const p of pts) assert.deepEqual(p.params.traceWorkload.fit, fit);
    assert.throws(
      () => expandFittedGrid(base, [{ path: 'traceWorkload.fit.version', values: [1] }]),
      (e: Error) => e instanceof GridError && /base, not a sweep parameter/.test(e.message),
    );
    assert.throws(
      () => expandFittedGrid(base, [{ path: 'workload.pcpus', values: [4] }]),
      /has no workload\.pcpus: vary traceWorkload\.domains/,
    );
    assert.throws(
      () => expandFittedGrid(base, [{ path: 'traceWorkload.domains', values: [0] }]),
      /grid point .*traceWorkload\.domains/,
    );
  });

  it('runs each point as a fitted run, saved with provenance and reproducible from its params', async () => {
    const grid = [
      { path: 'policy.K', values: [0, 8] },
      { path: 'policy.policy', values: ['upstream', 'series'] },
    ];
    const s = fx.sweeps.start({ base, grid, sameRunsOnce: true });
    // upstream does not read the bound: its two K points are one run.
    assert.equal(s.points, 3);
    const info = await s.finished;
    assert.equal(info.state, 'done', info.error ?? '');
    const detail = fx.sweeps.detail(s.groupId);
    assert.equal(detail.group.sweepKey, sweepKey(base, grid));
    assert.match(
      detail.group.title,
      /^sweep fit of pvh-idle-dom0-sched\.bin × 64 domains on 8 pCPUs/,
    );
    assert.equal(detail.points.length, 3);
    const seen = new Set<string>();
    for (const pt of detail.points) {
      const e = fx.store.getExperiment(pt.experimentId);
      assert.equal(e.kind, 'simulation');
      const { provenance, ...params } = e.params as Record<string, unknown>;
      const p = provenance as { source: string; dump: { sha256: string }; fitVersion: number };
      assert.equal(p.source, 'trace-workload');
      assert.equal(p.dump.sha256, fit.source.sha256);
      const parsed = TraceSimParamsSchema.parse(params);
      assert.equal(parsed.policy.K, pt.values['policy.K']);
      assert.equal(parsed.policy.policy, pt.values['policy.policy']);
      const again = simulateFitted(parsed).summary;
      assert.equal(again.maxListLength, pt.metrics?.maxListLength);
      assert.equal(again.remotePlacements, pt.metrics?.remotePlacements);
      assert.equal(again.wakeupInterrupts, pt.metrics?.wakeupInterrupts);
      assert.ok(again.wakeupInterrupts > 0, 'the fitted vCPUs block and are woken');
      seen.add(`${parsed.policy.policy} ${parsed.policy.K}`);
    }
    assert.deepEqual([...seen].sort(), ['series 0', 'series 8', 'upstream 0']);
  });
});
