import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importTrace } from '../../../main/trace/index';
import { Reconstructor } from '../../../main/trace/reconstruct';
import { OpCode } from '../../../shared/ops';
import { DUMPS, dumpPath } from './fixtures';

/** Independent count of runstate records per (old,new) for the given domains, by a plain file walk. */
function runstateCounts(dump: string, doms: number[]): Map<number, number> {
  const b = readFileSync(dumpPath(dump));
  const out = new Map<number, number>();
  for (let pos = 0; pos < b.length;) {
    const end = pos + 12 + b.readUInt32LE(pos + 8);
    for (let q = pos + 12; q < end;) {
      const h = b.readUInt32LE(q);
      const n = (h >>> 28) & 7;
      const c = h >>> 31;
      const id = h & 0x0fffffff;
      if ((id & 0x0ffff00f) === 0x21001 && doms.includes(b.readUInt32LE(q + 4 + 8 * c) >>> 16))
        out.set(id, (out.get(id) ?? 0) + 1);
      q += 4 + 8 * c + 4 * n;
    }
    pos = end;
  }
  return out;
}

for (const dump of DUMPS) {
  test(`${dump}: the reconstructed ops are valid for the engine and in time order`, async () => {
    const imp = await importTrace(dumpPath(dump), { cpuHz: 2445.414e6 });
    const { code, t } = imp.ops;
    assert.equal(code[0], OpCode.pcpus);
    assert.equal(imp.ops.a[0], 4);
    for (let i = 1; i < t.length; i++) assert.ok(t[i] >= t[i - 1]);
    assert.equal(imp.result.summary.operations, code.length);
    assert.equal(imp.result.summary.pcpus, 4);
  });
}

test('pvh-destroy-sched: blocks, wakes and runs of the two guests are the runstate records, one to one', async () => {
  const imp = await importTrace(dumpPath('pvh-destroy-sched.bin'));
  assert.deepEqual(imp.assumptions.hvmDomains, [1, 2]);
  assert.equal(imp.assumptions.hvmRule, 'all-guests-no-hvm-records');
  const rs = runstateCounts('pvh-destroy-sched.bin', [1, 2]);
  const c = imp.result.summary.opCounts;
  const syn = imp.assumptions.reconstruction.synthesizedRuns;
  assert.equal(c.block, rs.get(0x21021));
  assert.equal(c.post, rs.get(0x21211));
  assert.equal(c.run, (rs.get(0x21101) ?? 0) + syn);
  assert.equal(c.vcpu_create, 3);
  assert.ok((c.vcpu_destroy ?? 0) >= 1, 'running->offline of a destroyed guest');
  assert.equal(
    imp.result.summary.walked,
    c.post,
    'one vCPU per list, so each walk visits it alone',
  );
});

test('pvh-all: the guests are HVM because their vCPUs wrote VMEXIT records; dom0 (PV) is left out', async () => {
  const imp = await importTrace(dumpPath('pvh-all.bin'));
  assert.deepEqual(imp.stats.hvmDomains, [1, 2]);
  assert.equal(imp.assumptions.hvmRule, 'hvm-records');
  assert.deepEqual(imp.assumptions.piDomains, [1, 2]);
  assert.deepEqual(imp.assumptions.leftOut, [0]);
});

test('a user PI list: listed domains are PI, other HVM domains only count towards H', async () => {
  const imp = await importTrace(dumpPath('pvh-sched.bin'), { piDomains: [2] });
  assert.deepEqual(imp.assumptions.piDomains, [2]);
  assert.deepEqual(imp.assumptions.hvmDomains, [1, 2]);
  const { code, a, c } = imp.ops;
  for (let i = 0; i < code.length; i++)
    if (code[i] === OpCode.vcpu_create) assert.equal(c[i], a[i] === 2 ? 1 : 0);
  assert.equal(imp.result.summary.H, 3);
});

test('smallbuf-all: lost-record spans are reported and the op stream stays valid', async () => {
  const imp = await importTrace(dumpPath('smallbuf-all.bin'), { piDomains: [0] });
  assert.equal(imp.assumptions.lostSpans.length, 34);
  assert.equal(
    imp.assumptions.lostSpans.reduce((s, l) => s + l.lost, 0),
    6069,
  );
  for (const l of imp.assumptions.lostSpans) assert.ok(l.endNs >= l.startNs);
  assert.ok(imp.assumptions.lostNs > 0);
  assert.ok(imp.result.summary.opCounts.block! > 0);
});

test('rules on a hand-made record sequence', () => {
  const r = new Reconstructor('post');
  const w = (dom: number, vcpu: number) => new Uint32Array([(dom << 16) | vcpu, 0, 0, 0, 0, 0, 0]);
  const rs = (from: number, to: number) => 0x21001 | (from << 8) | (to << 4);
  r.record(2, rs(0, 2), 100, w(5, 1), 1); // first sight: running->blocked on pCPU 2
  r.record(0, rs(2, 1), 200, w(5, 1), 1); // woken
  r.record(3, rs(1, 0), 300, w(5, 1), 1); // runs on pCPU 3
  r.record(3, rs(0, 1), 350, w(5, 1), 1); // preempted: no op
  r.record(3, rs(2, 1), 360, w(5, 1), 1); // a wake of a vCPU not blocked: ignored
  r.record(1, rs(1, 0), 400, w(0x7fff, 1), 1); // idle: never an op
  r.record(1, rs(1, 0), 500, w(6, 0), 1);
  r.record(1, rs(0, 3), 600, w(5, 1), 1); // ->offline: destroyed
  r.record(0, 0x28002, 700, new Uint32Array([6, 0, 0, 0, 0, 0, 0]), 1); // domain 6 destroyed
  const ops = r.finish(
    4,
    () => true,
    (d) => d === 5,
    0,
    1e9,
  );
  const list = Array.from(ops.code, (code, i) => [code, ops.t[i], ops.a[i], ops.b[i], ops.c[i]]);
  assert.deepEqual(list, [
    [OpCode.pcpus, 0, 4, 0, 0],
    [OpCode.vcpu_create, 100, 5, 1, 1],
    [OpCode.run, 100, 5, 1, 2],
    [OpCode.block, 100, 5, 1, 2],
    [OpCode.post, 200, 5, 1, 0],
    [OpCode.run, 300, 5, 1, 3],
    [OpCode.vcpu_create, 500, 6, 0, 0],
    [OpCode.run, 500, 6, 0, 1],
    [OpCode.vcpu_destroy, 600, 5, 1, 0],
    [OpCode.vcpu_destroy, 700, 6, 0, 0],
  ]);
  assert.equal(r.counts.synthesizedRuns, 1);
  assert.equal(r.counts.ignoredWakes, 1);
});

test('wakeAs wake: a blocked->runnable becomes `wake`; TSC going back is clamped and counted', () => {
  const r = new Reconstructor('wake');
  const w = new Uint32Array([(1 << 16) | 0, 0, 0, 0, 0, 0, 0]);
  r.record(0, 0x21021, 100, w, 1);
  r.record(1, 0x21211, 90, w, 1);
  const ops = r.finish(
    2,
    () => true,
    () => true,
    0,
    1e9,
  );
  assert.equal(ops.code[ops.code.length - 1], OpCode.wake);
  assert.equal(ops.t[ops.code.length - 1], 100);
  assert.equal(r.counts.clampedTimes, 1);
});
