/** Tiny inputs for the notebook tests: a sub-second simulation and a hand-written op stream. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { OpCode } from '../../../shared/ops';
import { JobRunner } from '../../../main/jobs/runner';
import { SweepManager } from '../../../main/notebook/sweeps';
import { Store } from '../../../main/store/store';
import { opsFromSeries, type OpColumns } from '../../../main/trace/op-columns';
import type { SimParamsInput } from '../../../shared/params';
import type { SeriesSet } from '../../../shared/results';

export const TINY: SimParamsInput = {
  preset: null,
  workload: {
    pcpus: 2,
    domains: 2,
    vcpusPerDomain: 3,
    durationNs: 20e6,
    runNs: 1e6,
    blockNs: 2e6,
  },
  policy: { policy: 'series', K: 1 },
  seed: 1,
  buckets: 16,
};

/** Two pCPUs, three PI vCPUs blocking and being woken by posted interrupts. */
export function tinyOps(): SeriesSet {
  const rows: [number, number, number, number, number][] = [[OpCode.pcpus, 0, 2, 0, 0]];
  for (let v = 0; v < 3; v++) rows.push([OpCode.vcpu_create, 0, 1, v, 1]);
  for (let v = 0; v < 3; v++) rows.push([OpCode.run, 10, 1, v, v % 2]);
  let t = 100;
  for (let round = 0; round < 4; round++) {
    for (let v = 0; v < 3; v++) rows.push([OpCode.block, (t += 10), 1, v, (v + round) % 2]);
    for (let v = 0; v < 3; v++) {
      rows.push([OpCode.post, (t += 10), 1, v, 0]);
      rows.push([OpCode.wake, (t += 5), 1, v, 0]);
      rows.push([OpCode.run, (t += 5), 1, v, (v + round + 1) % 2]);
    }
  }
  return {
    'ops.code': Uint8Array.from(rows.map((r) => r[0])),
    'ops.t': Float64Array.from(rows.map((r) => r[1])),
    'ops.a': Int32Array.from(rows.map((r) => r[2])),
    'ops.b': Int32Array.from(rows.map((r) => r[3])),
    'ops.c': Int32Array.from(rows.map((r) => r[4])),
  };
}

export function opsInput(s: SeriesSet): OpColumns {
  const ops = opsFromSeries(s);
  if (!ops) throw new Error('not an op stream');
  return ops;
}

export interface SweepFixture {
  store: Store;
  jobs: JobRunner;
  sweeps: SweepManager;
}

/** A fresh notebook, a two-worker job runner and a SweepManager for the calling test file. */
export function useSweepFixture(name: string): SweepFixture {
  const dir = mkdtempSync(join(tmpdir(), `xpl-${name}-`));
  const ctx = {} as SweepFixture;
  before(() => {
    ctx.store = Store.open(join(dir, 'nb.db'));
    ctx.jobs = new JobRunner({ maxConcurrent: 2 });
    ctx.sweeps = new SweepManager(ctx.store, ctx.jobs);
  });
  after(async () => {
    await ctx.jobs.shutdown();
    ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return ctx;
}

/** Every vCPU starts on pCPU 0 (the seed's worst case): K and the policy make a visible difference. */
export const PILED: SimParamsInput = {
  preset: null,
  workload: {
    pcpus: 4,
    domains: 4,
    vcpusPerDomain: 8,
    durationNs: 20e6,
    runNs: 1e6,
    blockNs: 4e6,
    placement: 'pcpu0',
  },
  policy: { policy: 'series', K: 1 },
  seed: 1,
  buckets: 64,
};
