import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fitWorkload, type FitSource } from '../../../main/trace/fit-workload';
import { fitImport } from '../../../main/trace/fit-source';
import { columnsFromOps, importTrace } from '../../../main/trace/index';
import { FittedWorkloadSchema, tableMean } from '../../../shared/fitted-workload';
import type { Op } from '../../../shared/ops';
import { dumpPath, HOST_HZ } from './fixtures';

const SRC: FitSource = {
  file: { name: 'hand.bin', bytes: 1, sha256: 'ab'.repeat(32) },
  experimentId: null,
  pcpus: 2,
  spanNs: 1000,
  cpuHz: 1e9,
  wakeAs: 'wake',
  domainsSeen: [
    { dom: 1, vcpus: 1, pauses: 2, destroyed: false, firstSeenNs: 0, lastSeenNs: 1000 },
  ],
};

test('a hand-made stream: bursts, blocked times, wake-to-run, post share, censored edges', () => {
  const ops: Op[] = [
    { op: 'pcpus', t: 0, n: 2 },
    { op: 'vcpu_create', t: 0, dom: 1, vcpu: 0, pi: true },
    { op: 'run', t: 10, dom: 1, vcpu: 0, pcpu: 1 },
    { op: 'block', t: 100, dom: 1, vcpu: 0, pcpu: 1 }, // censored first span 0..100
    { op: 'post', t: 150, dom: 1, vcpu: 0 }, // blocked 50
    { op: 'run', t: 160, dom: 1, vcpu: 0, pcpu: 0 }, // wake-to-run 10
    { op: 'run', t: 200, dom: 1, vcpu: 0, pcpu: 1 }, // a migration: the burst goes on
    { op: 'block', t: 360, dom: 1, vcpu: 0, pcpu: 1 }, // burst 200
    { op: 'wake', t: 460, dom: 1, vcpu: 0 }, // blocked 100
    { op: 'run', t: 490, dom: 1, vcpu: 0, pcpu: 0 }, // wake-to-run 30; censored 490..1000
    { op: 'vcpu_create', t: 0, dom: 2, vcpu: 0, pi: false },
    { op: 'vcpu_destroy', t: 400, dom: 2, vcpu: 0 },
  ];
  ops.sort((a, b) => a.t - b.t);
  const fit = fitWorkload(columnsFromOps(ops), SRC);
  assert.ok(FittedWorkloadSchema.safeParse(fit).success);
  assert.deepEqual(
    fit.domains.map((d) => [d.dom, d.pi, d.pauses, d.vcpus.length]),
    [
      [1, true, 2, 1],
      [2, false, 0, 1],
    ],
  );
  const v = fit.domains[0].vcpus[0];
  assert.equal(v.blocks, 2);
  assert.equal(v.posts, 1);
  assert.equal(v.wakes, 1);
  assert.equal(v.exposureNs, 1000);
  assert.equal(v.blocksPerSec, 2e6);
  assert.equal(v.blockedNs.n, 2);
  assert.equal(v.blockedNs.mean, 75);
  assert.equal(v.wakeToRunNs.mean, 20);
  assert.deepEqual(v.blockPcpus, [[1, 2]]);
  // Bursts: 200 complete, 100 and 510 censored; scaled so a cycle averages 1000 / 2 ns.
  assert.equal(v.runNs.n, 3);
  const target = 1000 / 2 - 75 - 20;
  assert.ok(Math.abs(v.runNs.mean - target) < 1e-9);
  assert.ok(Math.abs(v.runScale - target / (810 / 3)) < 1e-12);
  assert.ok(Math.abs(tableMean(v.runNs) - target) < 1e-9);
  const d2 = fit.domains[1].vcpus[0];
  assert.equal(d2.exposureNs, 400);
  assert.equal(d2.blocks, 0);
  assert.equal(d2.runScale, 1);
});

test('pvh-idle-dom0-sched.bin: the fit counts what the import rebuilt, names the dump', async () => {
  const file = dumpPath('pvh-idle-dom0-sched.bin');
  const imp = await importTrace(file, { cpuHz: HOST_HZ });
  const fit = fitImport(imp);
  assert.ok(FittedWorkloadSchema.safeParse(fit).success);
  assert.equal(fit.source.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  assert.equal(fit.source.pcpus, 4);
  assert.deepEqual(
    fit.domains.map((d) => [d.dom, d.vcpus.map((v) => v.vcpu)]),
    imp.assumptions.hvmDomains.map((d) => [d, d === 1 ? [0, 1] : [0]]),
  );
  let blocks = 0;
  let wakeUps = 0;
  for (const d of fit.domains)
    for (const v of d.vcpus) {
      blocks += v.blocks;
      wakeUps += v.posts + v.wakes;
      assert.equal(v.blockedNs.n, v.posts + v.wakes);
      // A post-import figure: the generator's cycle mean is the dump's exposure per block.
      if (v.blocks > 0) {
        const cycle = v.runNs.mean + v.blockedNs.mean + v.wakeToRunNs.mean;
        assert.ok(Math.abs((cycle * v.blocks) / v.exposureNs - 1) < 1e-9);
      }
    }
  assert.equal(blocks, imp.result.summary.opCounts.block);
  assert.equal(
    wakeUps,
    (imp.result.summary.opCounts.post ?? 0) + (imp.result.summary.opCounts.wake ?? 0),
  );
  assert.ok(fit.domains[0].vcpus[0].blocks >= 10, 'd1v0 blocks often enough to fit');
});
