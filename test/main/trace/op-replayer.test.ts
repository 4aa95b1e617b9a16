import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpColumns } from '../../../main/trace/op-columns';
import { OpReplayer, UPSTREAM } from '../../../main/trace/op-replayer';
import { replayOps } from '../../../main/trace/replay';
import { simulationOps } from '../../../main/trace/sim-ops';
import { OpCode } from '../../../shared/ops';
import { PolicyConfigSchema } from '../../../shared/params';

test('UPSTREAM, written out without zod, is what the schema makes of {policy: upstream}', () => {
  assert.deepEqual(UPSTREAM, PolicyConfigSchema.parse({ policy: 'upstream' }));
});

/** A small simulation's op stream. */
const opsOf = (seed: number) =>
  simulationOps({
    workload: {
      pcpus: 4,
      domains: 4,
      vcpusPerDomain: 2,
      runNs: 2e5,
      blockNs: 1e6,
      durationNs: 5e7,
    },
    policy: { policy: 'upstream' },
    buckets: 64,
    seed,
  });

/** The ops through an OpReplayer one by one. */
function feed(ops: OpColumns, listIndex = true) {
  const n = ops.code.length;
  const sink = new OpReplayer(ops.t[n - 1], UPSTREAM, undefined, 256, listIndex);
  for (let i = 0; i < n; i++)
    sink.op(ops.code[i] as OpCode, ops.t[i], ops.a[i], ops.b[i], ops.c[i]);
  assert.equal(sink.count, n);
  return sink.finish();
}

test('ops fed one by one give the result replayOps gives from the columns', () => {
  const ops = opsOf(5);
  assert.deepEqual(feed(ops), replayOps(ops, UPSTREAM, undefined, 256));
});

test('without the list index, the summary is the same and no residency is kept', () => {
  const ops = opsOf(6);
  const full = feed(ops, true);
  const flat = feed(ops, false);
  assert.ok(full.series['res.vcpu'].length > 100);
  assert.equal(flat.series['res.vcpu'].length, 0);
  assert.equal(full.summary.listIndexTruncatedAtNs, null);
  assert.equal(typeof flat.summary.listIndexTruncatedAtNs, 'number');
  assert.deepEqual(
    { ...flat.summary, listIndexTruncatedAtNs: null },
    { ...full.summary, listIndexTruncatedAtNs: null },
  );
  for (const k of Object.keys(full.series).filter((k) => !k.startsWith('res.')))
    assert.deepEqual(flat.series[k], full.series[k], k);
});

test('an engine error names the op that caused it', () => {
  const sink = new OpReplayer(0);
  sink.op(OpCode.pcpus, 0, 2, 0, 0);
  assert.throws(() => sink.op(OpCode.block, 1, 9, 9, 0), /op 1 rejected by the engine/);
});
