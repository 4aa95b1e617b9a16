import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { opToCompact } from '../../../shared/ops';
import { lengthsAt, listAt, runScript } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';
import { PendingWakeups } from '../../../main/engine/coalesce';
import { config } from './ops-dsl';
import { CoalescingReference } from './coalesce-reference';
import { randomOps } from './random-ops';

/** The worked case of docs/engine.md ("Coalesced wakeups"). */
const WORKED = readFileSync(
  join(import.meta.dirname, '../../fixtures/engine-cases/coalesce-worked.jsonl'),
  'utf8',
);

test('coalesced wakeups: the worked case of docs/engine.md', () => {
  const s = runScript(WORKED, config({ policy: 'upstream', coalesceNs: 10 })).summary;
  // Handler on list 0 due at 20 walks [v0, v2] (v1 ran at 15, v2 posted at 20 joins); the one on
  // list 1 (due 31) is cancelled by the offline at 25; the one armed at 27 runs at 37, walk 1.
  assert.equal(s.wakeupInterrupts, 2);
  assert.equal(s.walked, 3);
  assert.deepEqual(s.walkStats, { count: 2, min: 1, mean: 1.5, p50: 1, p95: 2, p99: 2, max: 2 });
  assert.equal(s.coalesceNs, 10);
  assert.equal(s.coalescedPosts, 2);
  assert.equal(s.cancelledWakeups, 1);
  assert.equal(s.fixupMoves, 0, 'the ON entry of the offlined pCPU is woken, not moved');
  assert.equal(s.endNs, 37, 'the run ends after the last pending handler');
  assert.deepEqual(
    s.perPcpu.map((p) => [p.maxLength, p.finalLength]),
    [
      [3, 0],
      [1, 0],
    ],
  );
  assert.equal(s.opCounts.post, 6);
});

test('coalesced wakeups: lengthsAt / listAt see posted vCPUs listed until their handler', () => {
  const r = runScript(WORKED, config({ policy: 'upstream', coalesceNs: 10 }));
  assert.deepEqual(lengthsAt(r, 17).lengths, [2, 1], 'v0 (posted) and v2 (woken) wait');
  assert.deepEqual(
    listAt(r, 17, 0, 0, 10).rows.map((row) => [row.dom, row.vcpu]),
    [
      [1, 0],
      [1, 2],
    ],
  );
  assert.deepEqual(lengthsAt(r, 20).lengths, [0, 1], 'the state at 20 is after its handler');
  assert.deepEqual(lengthsAt(r, 36).lengths, [1, 0]);
  assert.deepEqual(lengthsAt(r, 37).lengths, [0, 0]);
});

test('coalesced wakeups off (absent or 0) is the model of model.md, byte for byte', () => {
  const off = runScript(WORKED, config({ policy: 'upstream' }));
  const zero = runScript(WORKED, config({ policy: 'upstream', coalesceNs: 0 }));
  assert.deepEqual(zero, off);
  // One walk per post to a listed vCPU: 3 (v0), 2 (v1), 1 (v2), 1 (v3), 1 (v1 again).
  assert.equal(off.summary.wakeupInterrupts, 5);
  assert.equal(off.summary.walked, 8);
  assert.equal(off.summary.endNs, 27);
  assert.equal(off.summary.coalescedPosts, undefined);
  assert.equal(off.summary.coalesceNs, undefined);
});

test('coalesced wakeups: list state between the post and its handler', () => {
  const m = new HostModel(config({ policy: 'upstream', coalesceNs: 10 }));
  const lines = WORKED.trim().split('\n');
  const step = (i: number) => {
    const [c, t, a, b, d] = opToCompact(JSON.parse(lines[i]));
    m.op(c, t, a, b, d);
    assert.equal(m.checkInvariants(), null, `after line ${i + 1}`);
  };
  for (let i = 0; i <= 15; i++) step(i); // up to the post at 14
  // Posted v0 and v1 wait, ON set, on list 0 for the handler due at 20.
  assert.deepEqual(m.listOfPcpu(0), [
    [1, 0],
    [1, 1],
    [1, 2],
  ]);
  step(16); // run v1 at 15: VM entry removes it before the handler
  step(17); // wake v2: stays listed
  step(18); // post v2 at 20: ops at the due time come first, so it joins
  assert.deepEqual(m.lengths(), [2, 1]);
  step(19); // post v3 at 21: the handler due at 20 ran first
  assert.deepEqual(m.lengths(), [0, 1]);
  step(20); // offline pCPU 1 at 25: v3 (ON) is woken, its handler cancelled
  assert.deepEqual(m.lengths(), [0, 0]);
});

test('property: coalesced wakeups agree with a naive model op by op, invariants hold', () => {
  for (const [policy, K] of [
    ['upstream', 128],
    ['series', 1],
    ['series', 0],
    ['least-loaded', 128],
  ] as const) {
    for (const latency of [1, 3, 7]) {
      for (let seed = 1; seed <= 4; seed++) {
        const list = randomOps(seed * 104729 + latency, 600, 1 + (seed % 4));
        const m = new HostModel(config({ policy, K, fixup: 'cycle', coalesceNs: latency }, seed));
        const ref = new CoalescingReference(policy, K, latency);
        const what = `${policy} K ${K} latency ${latency} seed ${seed}`;
        list.forEach((o, i) => {
          const [c, t, a, b, d] = opToCompact(o);
          m.op(c, t, a, b, d);
          ref.apply(o);
          assert.equal(m.checkInvariants(), null, `${what} op ${i}`);
          assert.deepEqual(
            m.lengths(),
            ref.lists.map((l) => l.length),
            `${what} op ${i} ${JSON.stringify(o)}`,
          );
        });
        const s = m.finish().summary;
        ref.runDue(Infinity);
        for (let p = 0; p < ref.lists.length; p++)
          assert.deepEqual(
            m.listOfPcpu(p).map(([dd, v]) => `${dd}.${v}`),
            ref.lists[p].map((e) => e.key),
            what,
          );
        assert.deepEqual(
          [s.wakeupInterrupts, s.walked, s.remotePlacements, s.fixupMoves, s.anomalies],
          [ref.wakeups, ref.walked, ref.remote, ref.fixupMoves, ref.anomalies],
          what,
        );
        assert.deepEqual([s.coalescedPosts, s.cancelledWakeups], [ref.joined, ref.cancelled]);
        assert.equal(s.boundOverflows, ref.overflows, what);
        assert.deepEqual(
          s.perPcpu.map((p) => p.maxLength),
          ref.maxLen,
          what,
        );
      }
    }
  }
});

test('property: random policies and the random fix-up keep the invariants with coalescing', () => {
  for (const policy of ['two-choices', 'random-under-bound', 'upstream'] as const) {
    for (let seed = 1; seed <= 4; seed++) {
      const m = new HostModel(
        config({ policy, K: seed % 3, fixup: 'random', coalesceNs: seed * 2 }, seed),
      );
      for (const o of randomOps(seed + 50, 600, 1 + (seed % 4))) {
        const [c, t, a, b, d] = opToCompact(o);
        m.op(c, t, a, b, d);
        assert.equal(m.checkInvariants(), null);
      }
      m.finish();
      assert.equal(m.checkInvariants(), null, 'after the pending handlers ran');
    }
  }
});

test('PendingWakeups: handlers in due order, one per list, cancelled ones skipped', () => {
  const w = new PendingWakeups(10, 3);
  w.ensureSlots(8);
  w.posted(0, 2, 0); // list 2 due 10
  w.posted(1, 0, 5); // list 0 due 15
  w.posted(2, 2, 6); // joins list 2
  assert.equal(w.joined, 1);
  assert.deepEqual(w.onEntries(2).sort(), [0, 2]);
  w.left(2, 2);
  assert.deepEqual(w.onEntries(2), [0]);
  assert.equal(w.nextDueNs, 10);
  assert.equal(w.takeDueBefore(10), -1, 'due at 10: runs after the operations at 10');
  assert.equal(w.takeDueBefore(11), 2);
  assert.equal(w.dueNs, 10);
  assert.equal(w.pending(2), false);
  w.cancel(0);
  assert.equal(w.cancelled, 1);
  w.posted(3, 0, 7); // re-armed after the cancel: due 17, the stale entry (15) is skipped
  assert.equal(w.takeDueBefore(16), -1);
  assert.equal(w.takeDueBefore(18), 0);
  assert.equal(w.dueNs, 17);
  assert.equal(w.nextDueNs, Infinity);
});
