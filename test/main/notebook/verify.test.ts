import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SimParamsSchema } from '../../../shared/params';
import { ENGINE_VERSION, simulate } from '../../../main/engine';
import { JobRunner } from '../../../main/jobs/runner';
import { compareRuns, verifyExperiment } from '../../../main/notebook/verify';
import { Store } from '../../../main/store/store';
import { replayOps } from '../../../main/trace';
import { sampleRun } from '../store/fixtures';
import { opsInput, TINY, tinyOps } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-verify-'));
let store: Store;
let jobs: JobRunner;
before(() => {
  store = Store.open(join(dir, 'nb.db'));
  jobs = new JobRunner({ maxConcurrent: 2 });
});
after(async () => {
  await jobs.shutdown();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function saveSim(overrides: Partial<typeof TINY> = {}): number {
  const params = SimParamsSchema.parse({ ...TINY, ...overrides });
  return store.saveRun({
    kind: 'simulation',
    title: 'tiny',
    params,
    seed: params.seed,
    result: simulate(params),
    engineVersion: ENGINE_VERSION,
  });
}

describe('compareRuns', () => {
  it('finds no difference between a run and itself, and locates the first changed value', () => {
    const a = sampleRun(2);
    assert.deepEqual(compareRuns(a, sampleRun(2)).differences, []);
    const b = sampleRun(2);
    (b.series['len.max'] as Uint32Array)[5] += 1;
    b.summary.maxListLength = 99;
    const { differences } = compareRuns(a, b);
    assert.ok(
      differences.some((d) => /^summary\.maxListLength: stored 16, recomputed 99$/.test(d)),
    );
    assert.ok(
      differences.some((d) => /series len\.max: 1 of 16 values differ, first at index 5/.test(d)),
    );
    const c = sampleRun(2);
    delete c.series.h;
    assert.ok(compareRuns(a, c).differences.some((d) => /series h: stored, absent/.test(d)));
  });
});

describe('re-run and verify', () => {
  it('says identical for a deterministic simulation', async () => {
    const id = saveSim();
    const r = await verifyExperiment(store, jobs, id);
    assert.equal(r.outcome, 'identical', r.differences.join('\n'));
    assert.equal(r.identical, true);
    assert.deepEqual(r.differences, []);
    assert.ok(r.seriesCompared >= 5, `compared ${r.seriesCompared} series`);
    assert.equal(r.method, 'simulation');
    assert.ok(r.jobId);
  });

  it('says different when a parameter was changed underneath', async () => {
    const id = saveSim({ seed: 3 });
    const e = store.getExperiment(id);
    const params = e.params as { policy: { K: number } };
    store.updateExperiment(id, { params: { ...params, policy: { ...params.policy, K: 0 } } });
    const r = await verifyExperiment(store, jobs, id);
    assert.equal(r.outcome, 'different');
    assert.equal(r.identical, false);
    assert.ok(
      r.differences.some((d) => /^summary\.K: stored 1, recomputed 0$/.test(d)),
      r.differences.join('\n'),
    );
  });

  it('says different when a stored series was altered, naming the series and index', async () => {
    const id = saveSim({ seed: 4 });
    const run = store.loadRun(id);
    const len = run.series['len.max'] as Uint32Array;
    len[3] += 7;
    store.replaceResult(id, run);
    const r = await verifyExperiment(store, jobs, id);
    assert.equal(r.outcome, 'different');
    assert.ok(
      r.differences.some((d) => /series len\.max: .* first at index 3/.test(d)),
      r.differences.join('\n'),
    );
  });

  it("verifies a replay of a trace from the parent trace's operations", async () => {
    const ops = tinyOps();
    const observed = replayOps(opsInput(ops) as never, { policy: 'upstream' });
    const traceId = store.saveRun({
      kind: 'trace',
      title: 'hand-written dump',
      params: { file: { name: 'x.bin', bytes: 1, sha256: 'ab' }, cpuHz: 2.4e9 },
      result: observed,
      extraSeries: ops,
      engineVersion: ENGINE_VERSION,
    });
    const policy = {
      policy: 'series' as const,
      K: 0,
      compare: '<' as const,
      hCounts: 'all' as const,
      pool: null,
      fixup: 'random' as const,
    };
    const replayId = store.saveRun({
      kind: 'trace',
      title: 'replay',
      params: { replayOf: traceId, policy },
      result: replayOps(opsInput(ops) as never, policy),
      parentId: traceId,
      engineVersion: ENGINE_VERSION,
    });
    const r = await verifyExperiment(store, jobs, replayId);
    assert.equal(r.outcome, 'identical', r.differences.join('\n'));
    assert.equal(r.method, `replay of #${traceId}`);

    // The import itself: its file path is not recorded, so its stored ops are replayed.
    const imp = await verifyExperiment(store, jobs, traceId);
    assert.equal(imp.outcome, 'identical', imp.differences.join('\n'));
    assert.match(imp.method, /stored operations under upstream/);
  });

  it('says unverifiable, with the reason, when there is nothing to recompute', async () => {
    const empty = store.createExperiment({ kind: 'simulation', title: 'no result' });
    const r = await verifyExperiment(store, jobs, empty.id);
    assert.equal(r.outcome, 'unverifiable');
    assert.match(r.differences[0], /no result/);
    const bad = store.saveRun({
      kind: 'simulation',
      title: 'bad params',
      params: { nope: 1 },
      result: sampleRun(),
    });
    const r2 = await verifyExperiment(store, jobs, bad);
    assert.equal(r2.outcome, 'unverifiable');
    assert.match(r2.differences[0], /not valid simulation parameters/);
  });
});
