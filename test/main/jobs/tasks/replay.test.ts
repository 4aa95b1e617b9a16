import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpCode } from '../../../../shared/ops';
import { replayTask } from '../../../../main/jobs/tasks/replay';
import { columnsFromOps } from '../../../../main/trace/index';

test('replay task runs an op stream under the given policy and reports progress', async () => {
  const ops = columnsFromOps([
    { t: 0, op: 'pcpus', n: 2 },
    { t: 1, op: 'vcpu_create', dom: 1, vcpu: 0, pi: true },
    { t: 2, op: 'vcpu_create', dom: 1, vcpu: 1, pi: true },
    { t: 3, op: 'run', dom: 1, vcpu: 0, pcpu: 0 },
    { t: 4, op: 'run', dom: 1, vcpu: 1, pcpu: 0 },
    { t: 5, op: 'block', dom: 1, vcpu: 0, pcpu: 0 },
    { t: 6, op: 'block', dom: 1, vcpu: 1, pcpu: 0 },
  ]);
  assert.equal(ops.code[0], OpCode.pcpus);
  const fractions: number[] = [];
  const policy = {
    policy: 'series',
    K: 0,
    compare: '<',
    hCounts: 'all',
    pool: null,
    fixup: 'cycle',
  } as const;
  const r = await replayTask(
    { ops, policy },
    { progress: (p) => void fractions.push(p.fraction), cancelled: () => false },
  );
  assert.equal(r.summary.policy, 'series');
  assert.deepEqual(
    r.summary.perPcpu.map((p) => p.finalLength),
    [1, 1],
    'bound floor(2/2)+0 = 1: the second vCPU goes to the other pCPU',
  );
  assert.equal(fractions.at(-1), 1);
});
