import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FittedWorkloadGenerator, simulateFitted } from '../../../main/engine/fitted-workload';
import { fitWorkload } from '../../../main/trace/fit-workload';
import { fitImport } from '../../../main/trace/fit-source';
import { importTrace } from '../../../main/trace/index';
import { OpColumnsBuilder } from '../../../main/trace/op-columns';
import {
  TraceSimParamsSchema,
  type FittedWorkload,
  type TraceSimParamsInput,
} from '../../../shared/fitted-workload';
import { OpCode } from '../../../shared/ops';
import { POLICY_NAMES } from '../../../shared/params';
import { dumpPath, HOST_HZ } from '../trace/fixtures';

/** The shipped dumps whose HVM vCPUs block (docs/engine.md lists the figures). */
const DUMPS = ['pvh-sched.bin', 'pvh-idle-dom0-sched.bin', 'pvh-destroy-sched.bin'];
const fits = new Map<string, Promise<FittedWorkload>>();
const fitOf = (dump: string) => {
  if (!fits.has(dump))
    fits.set(
      dump,
      importTrace(dumpPath(dump), { cpuHz: HOST_HZ }).then((imp) => fitImport(imp)),
    );
  return fits.get(dump)!;
};

function params(fit: FittedWorkload, over: Partial<TraceSimParamsInput['traceWorkload']> = {}) {
  return TraceSimParamsSchema.parse({
    traceWorkload: { fit, domains: fit.domains.length, pcpus: fit.source.pcpus, ...over },
    policy: { policy: 'upstream' },
    seed: 1,
  });
}

/** The run's op stream fitted again, as if it were a dump spanning the run. */
function refit(fit: FittedWorkload, p: ReturnType<typeof params>) {
  const ops = new OpColumnsBuilder();
  const result = simulateFitted(p, { sink: ops });
  const again = fitWorkload(ops.finish(), {
    file: { name: 'sim', bytes: 0, sha256: fit.source.sha256 },
    experimentId: null,
    pcpus: p.traceWorkload.pcpus,
    spanNs: p.traceWorkload.durationNs,
    cpuHz: 1e9,
    wakeAs: 'post',
    domainsSeen: [],
  });
  return { result, again };
}

for (const dump of DUMPS)
  test(`x1 on ${dump}'s own host: per-vCPU block rate and mean blocked time within 10 %`, async (t) => {
    const fit = await fitOf(dump);
    // 3000 s of virtual time: each vCPU blocks hundreds of times or more, so the figures are the
    // fitted distributions' own, not one short dump's worth of noise (docs/engine.md).
    const p = params(fit, { sampling: 'cycle', placement: 'trace', durationNs: 3000e9 });
    const { again } = refit(fit, p);
    let checked = 0;
    for (const [i, d] of fit.domains.entries())
      for (const [j, v] of d.vcpus.entries()) {
        const s = again.domains[i].vcpus[j];
        assert.equal(again.domains[i].vcpus.length, d.vcpus.length);
        if (v.blocks === 0) {
          assert.equal(s.blocks, 0, 'a vCPU the dump never saw block never blocks');
          continue;
        }
        const rate = s.blocksPerSec / v.blocksPerSec - 1;
        const blocked = s.blockedNs.mean / v.blockedNs.mean - 1;
        t.diagnostic(
          `${dump} d${d.dom}v${v.vcpu}: blocks/s dump ${v.blocksPerSec.toFixed(3)} sim ${s.blocksPerSec.toFixed(3)} (${(rate * 100).toFixed(1)} %), mean blocked dump ${(v.blockedNs.mean / 1e6).toFixed(3)} ms sim ${(s.blockedNs.mean / 1e6).toFixed(3)} ms (${(blocked * 100).toFixed(1)} %)`,
        );
        assert.ok(Math.abs(rate) <= 0.1, `block rate off by ${(rate * 100).toFixed(1)} %`);
        assert.ok(Math.abs(blocked) <= 0.1, `mean blocked off by ${(blocked * 100).toFixed(1)} %`);
        checked++;
      }
    assert.ok(checked >= 1, 'the dump has a blocking HVM vCPU');
  });

/** Blocks per vCPU-second over every HVM vCPU of a fit (the blocking ones and the others). */
const blocksPerVcpuSec = (f: FittedWorkload) => {
  let blocks = 0;
  let ns = 0;
  for (const d of f.domains)
    for (const v of d.vcpus) {
      blocks += v.blocks;
      ns += v.exposureNs;
    }
  return (blocks * 1e9) / ns;
};

for (const dump of ['pvh-idle-dom0-sched.bin', 'pvh-destroy-sched.bin'])
  test(`scaled: ${dump} as 1024 domains on 112 pCPUs keeps blocks per vCPU-second within 25 %`, async (t) => {
    const fit = await fitOf(dump);
    const p = params(fit, { domains: 1024, pcpus: 112, durationNs: 20e9 });
    const { result, again } = refit(fit, p);
    const want = blocksPerVcpuSec(fit);
    const got = blocksPerVcpuSec(again);
    t.diagnostic(
      `${dump} x1024 on 112 pCPUs: H ${result.summary.H}, blocks/vCPU-s dump ${want.toFixed(3)} sim ${got.toFixed(3)} (${((got / want - 1) * 100).toFixed(1)} %), longest list ${result.summary.maxListLength}`,
    );
    assert.equal(again.domains.length, 1024);
    assert.ok(Math.abs(got / want - 1) <= 0.25, `${got} vs ${want}`);
  });

test('sampling with replacement is seeded; every policy runs the same op stream', async () => {
  const fit = await fitOf('pvh-idle-dom0-sched.bin');
  const draw = (seed: number) => {
    const g = new FittedWorkloadGenerator(params(fit, { domains: 64 }).traceWorkload, seed);
    const ops = new OpColumnsBuilder();
    g.run(ops);
    return { sources: g.sources, ops: ops.finish() };
  };
  const a = draw(5);
  assert.deepEqual(draw(5), a);
  assert.notDeepEqual(draw(6).sources, a.sources);
  assert.ok(new Set(a.sources).size === fit.domains.length, 'both dump domains drawn');
  // Only the model's vocabulary, pcpus first; vCPUs of a domain are its source's vCPU ids.
  assert.equal(a.ops.code[0], OpCode.pcpus);
  const creates = new Map<number, number[]>();
  for (let i = 0; i < a.ops.code.length; i++)
    if (a.ops.code[i] === OpCode.vcpu_create)
      creates.set(a.ops.a[i], [...(creates.get(a.ops.a[i]) ?? []), a.ops.b[i]]);
  for (const [k, src] of a.sources.entries())
    assert.deepEqual(
      creates.get(k + 1),
      fit.domains[src].vcpus.map((v) => v.vcpu),
    );
  const base = params(fit, { domains: 256, pcpus: 112, durationNs: 2e9 });
  const g = new FittedWorkloadGenerator(base.traceWorkload, base.seed);
  g.run({ op() {} });
  const H = g.sources.reduce((n, i) => n + fit.domains[i].vcpus.length, 0);
  const blocks = new Set<number>();
  for (const policy of POLICY_NAMES) {
    const r = simulateFitted({ ...base, policy: { ...base.policy, policy, K: 1 } });
    assert.equal(r.summary.policy, policy);
    assert.equal(r.summary.H, H);
    assert.ok(r.summary.wakeupInterrupts > 0, `${policy}: wakeup interrupts`);
    blocks.add(r.summary.opCounts.block ?? 0);
    if (policy === 'series') assert.equal(r.summary.overBoundInsertions, 0);
    if (policy === 'upstream') assert.equal(r.summary.remotePlacements, 0);
  }
  assert.equal(blocks.size, 1, 'the producer does not depend on the policy');
});
