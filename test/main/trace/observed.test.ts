import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTrace, replayOps } from '../../../main/trace/index';
import { observeOutsideLost } from '../../../main/trace/observed';
import { simulationOps } from '../../../main/trace/sim-ops';
import { dumpPath } from './fixtures';

test('without lost spans it counts what the engine counts under upstream', () => {
  const ops = simulationOps({
    workload: {
      pcpus: 4,
      domains: 5,
      vcpusPerDomain: 3,
      piFraction: 0.6,
      otherWakeProb: 0.3,
      durationNs: 2e8,
    },
    policy: { policy: 'upstream' },
    seed: 11,
  });
  const o = observeOutsideLost(ops, []);
  const s = replayOps(ops, { policy: 'upstream' }).summary;
  assert.ok(s.maxListLength > 1);
  assert.equal(o.maxListLength, s.maxListLength);
  assert.deepEqual(
    o.perPcpu,
    s.perPcpu.map((p) => ({ pcpu: p.pcpu, maxLength: p.maxLength })),
  );
  assert.equal(o.walked, s.walked);
  assert.equal(o.wakeupInterrupts, s.wakeupInterrupts);
  assert.equal(o.excludedOps, 0);
});

test('a span over the whole run leaves nothing observed; spans merge', () => {
  const ops = simulationOps({
    workload: { pcpus: 2, domains: 2, vcpusPerDomain: 2, durationNs: 5e7 },
    policy: { policy: 'upstream' },
  });
  const end = ops.t[ops.t.length - 1];
  const o = observeOutsideLost(ops, [
    { startNs: 0, endNs: end / 2 },
    { startNs: end / 4, endNs: end + 1 },
  ]);
  assert.equal(o.maxListLength, 0);
  assert.equal(o.walked, 0);
  assert.equal(o.excludedNs, end + 1);
  assert.equal(o.excludedOps, ops.code.length);
});

test('smallbuf-all: its lost spans are left out of the observed statistics', async () => {
  const imp = await importTrace(dumpPath('smallbuf-all.bin'), { piDomains: [0] });
  assert.ok(imp.outsideLost.excludedNs > 0);
  assert.ok(imp.outsideLost.excludedOps > 0);
  assert.ok(imp.outsideLost.maxListLength <= imp.result.summary.maxListLength);
});

test('vCPUs found by array index (ids below 65536) and through the map (others) count alike', () => {
  const ops = simulationOps({
    workload: { pcpus: 4, domains: 6, vcpusPerDomain: 3, piFraction: 0.5, durationNs: 1e8 },
    policy: { policy: 'upstream' },
    seed: 5,
  });
  const small = observeOutsideLost(ops, []);
  assert.ok(small.wakeupInterrupts > 0);
  // The same ops with every vCPU id moved past 65535 (the map's path; pcpus ops unchanged).
  const big = { ...ops, b: ops.b.map((b, i) => (ops.code[i] === ops.code[0] ? b : b + 70000)) };
  assert.deepEqual(observeOutsideLost(big, []), small);
});
