import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpCode, OpSink } from '../../../shared/ops';
import { SimParamsSchema } from '../../../shared/params';
import {
  createRun,
  EngineCancelled,
  presetParams,
  WorkloadGenerator,
} from '../../../main/engine/index';
import { config } from './ops-dsl';

test('seed-worst-case: upstream reaches a pCPU-0 list of 4,194,304; series never exceeds the bound', () => {
  const input = presetParams('seed-worst-case')!;
  // 2 ms of virtual time: every vCPU has run and blocked (uniform run times of 0.5..1.5 ms) and
  // no device interrupt has arrived yet (those come 5..15 ms after the block).
  const params = SimParamsSchema.parse({
    ...input,
    workload: { ...input.workload, durationNs: 2e6 },
  });
  const upstream = createRun(config({ policy: 'upstream' }, 1, 256));
  const series = createRun(config({ policy: 'series' }, 1, 256));
  // One generator feeds both models (the generator is the same for both runs).
  const tee: OpSink = {
    op(c: OpCode, t: number, a: number, b: number, d: number) {
      upstream.op(c, t, a, b, d);
      series.op(c, t, a, b, d);
    },
  };
  new WorkloadGenerator(params.workload, params.seed).run(tee);
  const u = upstream.finish().summary;
  assert.equal(u.H, 4_194_304);
  assert.equal(u.maxListLength, 4_194_304);
  assert.equal(u.maxListPcpu, 0);
  assert.equal(u.perPcpu[0].finalLength, 4_194_304);
  const s = series.finish().summary;
  const bound = Math.floor(4_194_304 / 112) + 128;
  assert.equal(s.bound, bound);
  assert.equal(s.overBoundInsertions, 0);
  assert.equal(s.boundOverflows, 0);
  assert.ok(s.maxListLength <= bound);
  assert.equal(
    s.perPcpu.reduce((n, p) => n + p.finalLength, 0),
    4_194_304,
  );
});

test('cancel: the generator stops within one check interval of cancelled() turning true', () => {
  const input = presetParams('skylake-112-8to1')!;
  const params = SimParamsSchema.parse({
    ...input,
    workload: { ...input.workload, durationNs: 1e12 },
  });
  let ops = 0;
  let opsAtCancel = -1;
  const gen = new WorkloadGenerator(params.workload, 1);
  assert.throws(
    () =>
      gen.run(
        {
          // The cancel request arrives while ops are being produced (as from another thread).
          op: () => {
            if (++ops === 100_000) opsAtCancel = ops;
          },
        },
        { cancelled: () => opsAtCancel >= 0 },
      ),
    EngineCancelled,
  );
  // Checks come every 4,096 events (a few ms of work), each event emitting at most two ops.
  assert.ok(ops - opsAtCancel <= 2 * 4096, `${ops - opsAtCancel} ops after the cancel`);
});
