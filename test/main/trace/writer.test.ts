import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../../main/engine/index';
import {
  columnsFromOps,
  importTrace,
  opsFromColumns,
  replayOps,
  writeTrace,
} from '../../../main/trace/index';
import { simulationOps } from '../../../main/trace/sim-ops';
import { readTraceBytes } from '../../../main/trace/reader';
import { OpCode, type Op } from '../../../shared/ops';
import { SimParamsSchema, type SimParamsInput } from '../../../shared/params';

const dir = mkdtempSync(join(tmpdir(), 'xpl-writer-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const params = (over: Partial<SimParamsInput['workload']> = {}): SimParamsInput => ({
  workload: {
    pcpus: 4,
    domains: 6,
    vcpusPerDomain: 3,
    piFraction: 1,
    otherWakeProb: 0,
    durationNs: 2e8,
    ...over,
  },
  policy: { policy: 'upstream' },
  seed: 7,
  buckets: 256,
});

const piDomainsOf = (ops: ReturnType<typeof simulationOps>) => {
  const s = new Set<number>();
  for (let i = 0; i < ops.code.length; i++)
    if (ops.code[i] === OpCode.vcpu_create && ops.c[i]) s.add(ops.a[i]);
  return [...s];
};

test('captured simulation ops replay to the same result as simulate()', () => {
  const p = params();
  const ops = simulationOps(p);
  const direct = simulate(SimParamsSchema.parse(p));
  const replayed = replayOps(ops, { policy: 'upstream' }, undefined, 256);
  assert.deepEqual(replayed.summary, direct.summary);
});

test('round trip: simulation -> writer -> reader -> reconstruction gives the same list lengths', async () => {
  const p = params();
  const ops = simulationOps(p);
  const file = join(dir, 'sim.trace');
  const w = await writeTrace(file, ops, { cpuHz: 2.5e9 });
  assert.ok(w.records > ops.code.length);
  const imp = await importTrace(file, { cpuHz: 2.5e9, piDomains: piDomainsOf(ops) });
  assert.deepEqual(imp.errors, []);
  const want = replayOps(ops, { policy: 'upstream' }).summary;
  const got = imp.result.summary;
  assert.ok(want.maxListLength > 1, 'the workload must build lists');
  assert.deepEqual(got.perPcpu, want.perPcpu);
  assert.equal(got.maxListLength, want.maxListLength);
  assert.equal(got.walked, want.walked);
  assert.equal(got.wakeupInterrupts, want.wakeupInterrupts);
  assert.deepEqual(got.walkStats, want.walkStats);
  assert.equal(got.H, want.H);
  // Under another policy too: the replay of the import equals the replay of the original ops.
  const series = { policy: 'series' as const, K: 1 };
  assert.deepEqual(
    replayOps(imp.ops, series).summary.perPcpu,
    replayOps(ops, series).summary.perPcpu,
  );
});

test('round trip of a wake-only stream with the `wake` mapping', async () => {
  const ops = simulationOps(params({ otherWakeProb: 1 }));
  const file = join(dir, 'wake.trace');
  await writeTrace(file, ops);
  const imp = await importTrace(file, {
    cpuHz: 2.4e9,
    piDomains: piDomainsOf(ops),
    wakeAs: 'wake',
  });
  const want = replayOps(ops, { policy: 'upstream' }).summary;
  assert.ok(want.maxListLength > 1);
  assert.deepEqual(imp.result.summary.perPcpu, want.perPcpu);
  // One vCPU per pCPU in a dump: a displaced vCPU is switched back in before it blocks, which
  // the reader sees as an extra `run` (no list effect). Everything else matches one to one.
  const { run: gotRuns, ...got } = imp.result.summary.opCounts;
  const { run: wantRuns, ...wanted } = want.opCounts;
  assert.deepEqual(got, wanted);
  assert.ok(gotRuns! >= wantRuns!);
});

test('round trip of creates and destroys from Op objects; hotplug ops are left out and counted', async () => {
  const ops: Op[] = [
    { t: 0, op: 'pcpus', n: 2 },
    { t: 10, op: 'vcpu_create', dom: 3, vcpu: 0, pi: true },
    { t: 20, op: 'vcpu_create', dom: 3, vcpu: 1, pi: true },
    { t: 30, op: 'run', dom: 3, vcpu: 0, pcpu: 1 },
    { t: 40, op: 'run', dom: 3, vcpu: 1, pcpu: 1 },
    { t: 50, op: 'block', dom: 3, vcpu: 0, pcpu: 1 },
    { t: 55, op: 'pcpu_offline', pcpu: 0 },
    { t: 60, op: 'block', dom: 3, vcpu: 1, pcpu: 1 },
    { t: 70, op: 'vcpu_destroy', dom: 3, vcpu: 0 },
    { t: 80, op: 'post', dom: 3, vcpu: 1 },
  ];
  const file = join(dir, 'objects.trace');
  const w = await writeTrace(file, ops);
  assert.equal(w.skippedOps, 1);
  const imp = await importTrace(file, { cpuHz: 2.4e9 });
  const back = [...opsFromColumns(imp.ops)].map((o) => ({ ...o, t: Math.round(o.t) }));
  // Trace time starts at the first record (t = 10 here). d3v0 was displaced by d3v1 on pCPU 1,
  // so the dump switches it back in before its block (an extra `run` at t = 40), and then d3v1
  // the same way before its own block (t = 50).
  const want = ops
    .filter((o) => o.op !== 'pcpu_offline')
    .map((o) => ({ ...o, t: Math.max(0, o.t - 10) }));
  want.splice(5, 0, { t: 40, op: 'run', dom: 3, vcpu: 0, pcpu: 1 });
  want.splice(7, 0, { t: 50, op: 'run', dom: 3, vcpu: 1, pcpu: 1 });
  assert.deepEqual(back, want);
  assert.deepEqual(
    replayOps(imp.ops).summary.perPcpu,
    replayOps(columnsFromOps(ops)).summary.perPcpu,
  );
});

test("the writer's switch records let the reader recover its clock", async () => {
  const ops = simulationOps(params());
  const file = join(dir, 'clock.trace');
  await writeTrace(file, ops, { cpuHz: 3.1e9 });
  const imp = await importTrace(file);
  assert.equal(imp.clock.source, 'estimate');
  assert.ok(Math.abs(imp.clock.cpuHz - 3.1e9) / 3.1e9 < 1e-3);
  assert.equal(imp.assumptions.hvmRule, 'hvm-records');
});

test('list add/delete records with user ids give the observed occupancy of the upstream run', async () => {
  const ops = simulationOps(params());
  const file = join(dir, 'lists.trace');
  const listIds = { add: 0x00082031, del: 0x00082032 };
  await writeTrace(file, ops, { listIds });
  const field = (word: number) => ({ word, shift: 0, bits: 32 });
  const imp = await importTrace(file, {
    cpuHz: 2.4e9,
    userIds: [
      {
        id: listIds.add,
        kind: 'list-add',
        name: 'pi_list_add',
        dom: field(1),
        vcpu: field(2),
        pcpu: field(3),
      },
      {
        id: listIds.del,
        kind: 'list-delete',
        name: 'pi_list_del',
        dom: field(1),
        vcpu: field(2),
        pcpu: field(3),
      },
    ],
  });
  const want = replayOps(ops, { policy: 'upstream' }).summary;
  assert.ok(imp.observedLists);
  assert.equal(imp.observedLists.maxLength, want.maxListLength);
  for (const p of want.perPcpu)
    assert.equal(imp.observedLists.perPcpuMax[p.pcpu] ?? 0, p.maxLength);
  assert.equal(imp.observedLists.unmatchedDeletes, 0);
  assert.equal(imp.stats.unknownRecords, 0);
});

test('a written dump is valid xentrace: whole windows, one CPU_CHANGE per window, TSCs rising', async () => {
  const ops = simulationOps(params({ durationNs: 5e7 }));
  const file = join(dir, 'valid.trace');
  const w = await writeTrace(file, ops, { windowBytes: 4096 });
  const bytes = readFileSync(file);
  assert.equal(bytes.length, w.bytes);
  const r = readTraceBytes(bytes, 'valid.trace', { record() {} });
  assert.deepEqual(r.errors, []);
  assert.equal(r.stats.records, w.records);
  assert.equal(r.stats.tscBackwards, 0);
  assert.deepEqual(r.stats.cpus, [0, 1, 2, 3]);
});
