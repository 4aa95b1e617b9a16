import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpCode, opToCompact } from '../../../shared/ops';
import type { Op } from '../../../shared/ops';
import { EngineInputError } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';
import { Rng } from '../../../main/engine/rng';
import { apply, config, ops } from './ops-dsl';
import { randomOps } from './random-ops';
import { ReferenceModel } from './reference-model';

const creates = (n: number, dom = 1, nopi = false) =>
  Array.from({ length: n }, (_, v) => `create ${dom} ${v}${nopi ? ' nopi' : ''}`).join(';');

test('upstream: local lists, walks count the whole list, wake keeps the entry listed', () => {
  // 2 pCPUs; d1v0..2 block on pCPU 1 -> list 1 = [v0, v1, v2].
  // post v1: walk 3, v1 leaves (len 2); post v1 again: unlisted, nothing.
  // wake v0: stays listed; post v0: walk 2 (walked 5), leaves; run v2 on 0: leaves. Lists empty.
  const m = apply(
    config({ policy: 'upstream' }),
    ops(`pcpus 2; ${creates(3)}; run 1 0 1; block 1 0 1; run 1 1 1; block 1 1 1; run 1 2 1;
      block 1 2 1; post 1 1; post 1 1; wake 1 0; post 1 0; run 1 2 0`),
  );
  const s = m.finish().summary;
  assert.equal(s.wakeupInterrupts, 2);
  assert.equal(s.walked, 5);
  assert.equal(s.remotePlacements, 0);
  assert.deepEqual(
    s.perPcpu.map((p) => [p.maxLength, p.finalLength]),
    [
      [0, 0],
      [3, 0],
    ],
  );
  assert.equal(s.bound, 1 + 128); // floor(3 / 2) + 128
  assert.deepEqual(s.walkStats, { count: 2, min: 2, mean: 2.5, p50: 2, p95: 3, p99: 3, max: 3 });
  // walk time = 500 ns entry + 170 ns x entries
  assert.equal(s.walkTimeNsStats.max, 500 + 170 * 3);
});

test('series K = 0: cycles upwards to the first list under the bound, else the shortest', () => {
  // H = 3, P = 2: bound = floor(3/2) + 0 = 1. v0 on 0 -> 0 (0 < 1). v1 on 0: 1 is not < 1 -> 1
  // (remote). v2 on 0: no list < 1 -> shortest, lowest id: 0 (boundOverflow), len 2 > bound.
  const m = apply(
    config({ policy: 'series', K: 0 }),
    ops(`pcpus 2; ${creates(3)}; block 1 0 0; block 1 1 0; block 1 2 0`),
  );
  assert.deepEqual(m.listOfPcpu(0), [
    [1, 0],
    [1, 2],
  ]);
  assert.deepEqual(m.listOfPcpu(1), [[1, 1]]);
  const s = m.finish().summary;
  assert.equal(s.remotePlacements, 1);
  assert.equal(s.boundOverflows, 1);
  assert.equal(s.overBoundInsertions, 1);
  assert.equal(s.maxListLength, 2);
  assert.equal(s.boundAtMax, 1);
});

test("series with '<=' lets a list reach bound + 1", () => {
  // bound 1, lim 2: v0 -> 0, v1 -> 0 (1 <= 1, len 2 > bound: over-bound insertion), v2 -> 1.
  const m = apply(
    config({ policy: 'series', K: 0, compare: '<=' }),
    ops(`pcpus 2; ${creates(3)}; block 1 0 0; block 1 1 0; block 1 2 0`),
  );
  assert.deepEqual(m.lengths(), [2, 1]);
  const s = m.finish().summary;
  assert.equal(s.remotePlacements, 1);
  assert.equal(s.boundOverflows, 0);
  assert.equal(s.overBoundInsertions, 1);
});

test('series wraps around from the local pCPU to lower ids', () => {
  // P = 3, H = 3, K = 0: bound 1. v0 on 2 -> 2; v1 on 2 -> wraps to 0; v2 on 2 -> 1.
  const m = apply(
    config({ policy: 'series', K: 0 }),
    ops(`pcpus 3; ${creates(3)}; block 1 0 2; block 1 1 2; block 1 2 2`),
  );
  assert.deepEqual(m.lengths(), [1, 1, 1]);
  assert.deepEqual(m.listOfPcpu(0), [[1, 1]]);
  assert.equal(m.finish().summary.remotePlacements, 2);
});

test("series hCounts 'pi' counts only PI vCPUs in the bound", () => {
  // 2 non-PI + 2 PI vCPUs, P = 2, K = 0. 'all': H = 4, bound 2: both PI vCPUs stay on 0.
  // 'pi': H = 2, bound 1: the second goes to pCPU 1.
  const script = ops(`pcpus 2; ${creates(2, 1, true)}; ${creates(2, 2)}; block 2 0 0; block 2 1 0`);
  const all = apply(config({ policy: 'series', K: 0 }), script);
  assert.deepEqual(all.lengths(), [2, 0]);
  assert.equal(all.currentBound, 2);
  const pi = apply(config({ policy: 'series', K: 0, hCounts: 'pi' }), script);
  assert.deepEqual(pi.lengths(), [1, 1]);
  assert.equal(pi.currentBound, 1);
  // H in the summary is every HVM vCPU whatever the knob.
  assert.equal(pi.finish().summary.H, 4);
});

test('series with a pCPU pool: the pool is the denominator and the candidate set', () => {
  // P = 4, pool {2, 3}, H = 2, K = 0: bound = floor(2 / 2) = 1. v0 on 0 -> 2, v1 on 0 -> 3.
  const m = apply(
    config({ policy: 'series', K: 0, pool: [2, 3] }),
    ops(`pcpus 4; ${creates(2)}; block 1 0 0; block 1 1 0`),
  );
  assert.deepEqual(m.lengths(), [0, 0, 1, 1]);
  assert.equal(m.currentBound, 1);
  assert.equal(m.finish().summary.remotePlacements, 2);
});

test('least-loaded: the shortest online list, lowest id on ties', () => {
  // P = 3, 4 vCPUs block on 2: -> 0, 1, 2, 0. Remote: v0, v1, v3.
  const m = apply(
    config({ policy: 'least-loaded' }),
    ops(`pcpus 3; ${creates(4)}; block 1 0 2; block 1 1 2; block 1 2 2; block 1 3 2`),
  );
  assert.deepEqual(m.lengths(), [2, 1, 1]);
  assert.equal(m.finish().summary.remotePlacements, 3);
});

test('least-loaded skips offline pCPUs', () => {
  const m = apply(
    config({ policy: 'least-loaded' }),
    ops(`pcpus 3; ${creates(2)}; off 0; block 1 0 2; block 1 1 2`),
  );
  assert.deepEqual(m.lengths(), [0, 1, 1]);
});

test('two-choices never goes remote unless the random list is strictly shorter', () => {
  // 2 pCPUs: the first block on 0 stays local (0 vs 0, ties keep local). Later blocks on 0 go
  // to pCPU 1 only when it is shorter; we block 40 vCPUs on 0 and check the rule on each step.
  for (const seed of [1, 2, 3]) {
    const m = new HostModel(config({ policy: 'two-choices' }, seed));
    m.op(OpCode.pcpus, 0, 2, 0, 0);
    for (let v = 0; v < 40; v++) m.op(OpCode.vcpu_create, 0, 1, v, 1);
    for (let v = 0; v < 40; v++) {
      const [l0, l1] = m.lengths();
      m.op(OpCode.block, 1, 1, v, 0);
      const [n0, n1] = m.lengths();
      if (n1 > l1) assert.ok(l1 < l0, `remote only to a shorter list (${l0}, ${l1})`);
      else assert.equal(n0, l0 + 1);
    }
    const [a, b] = m.lengths();
    // Half the random picks are pCPU 0 itself, so the balance is loose; but 1 gets used.
    assert.ok(b > 0 && a >= b, `${a} vs ${b}`);
  }
});

test('random-under-bound fills every list to the bound before overflowing', () => {
  // P = 3, H = 3, K = 0: bound 1: three blocks on pCPU 0 must land on three different lists.
  for (const seed of [1, 7, 42]) {
    const m = apply(
      config({ policy: 'random-under-bound', K: 0 }, seed),
      ops(`pcpus 3; ${creates(3)}; block 1 0 0; block 1 1 0; block 1 2 0`),
    );
    assert.deepEqual(m.lengths(), [1, 1, 1]);
    const s = m.finish().summary;
    assert.equal(s.boundOverflows, 0);
    assert.equal(s.overBoundInsertions, 0);
  }
});

test('fix-up cycle: first online list under the bound upwards from the offline pCPU', () => {
  // Upstream, K = 0, P = 3, H = 3: all block on 1 -> list 1 = [v0, v1, v2].
  // Offline 1: online {0, 2}, bound = floor(3 / 2) + 0 = 1. v0 -> 2 (cycle from 2, 0 < 1);
  // v1 -> 2 has 1, wraps to 0 (0 < 1); v2 -> no list under 1: shortest, lowest id: 0 (overflow).
  const m = apply(
    config({ policy: 'upstream', K: 0, fixup: 'cycle' }),
    ops(`pcpus 3; ${creates(3)}; block 1 0 1; block 1 1 1; block 1 2 1; off 1`),
  );
  assert.deepEqual(m.listOfPcpu(0), [
    [1, 1],
    [1, 2],
  ]);
  assert.deepEqual(m.listOfPcpu(2), [[1, 0]]);
  assert.deepEqual(m.lengths(), [2, 0, 1]);
  const s = m.finish().summary;
  assert.equal(s.fixupMoves, 3);
  assert.equal(s.boundOverflows, 1);
  assert.equal(s.onlinePcpus, 2);
  assert.equal(s.remotePlacements, 0); // fix-up moves are not placements
});

test('fix-up random: every entry moves to some online pCPU, reproducibly per seed', () => {
  const script = ops(
    `pcpus 4; ${creates(20)}; ${Array.from({ length: 20 }, (_, v) => `block 1 ${v} 0`).join(';')}; off 0`,
  );
  const a = apply(config({ policy: 'upstream', fixup: 'random' }, 5), script);
  const b = apply(config({ policy: 'upstream', fixup: 'random' }, 5), script);
  assert.equal(a.lengths()[0], 0);
  assert.equal(
    a.lengths().reduce((x, y) => x + y),
    20,
  );
  assert.deepEqual(a.lengths(), b.lengths());
  assert.ok(a.lengths().filter((l) => l > 0).length >= 2, 'spread over several pCPUs');
  assert.equal(a.finish().summary.fixupMoves, 20);
});

test('a block while still listed (missed run) is an anomaly and re-lists the vCPU', () => {
  const m = apply(
    config({ policy: 'upstream' }),
    ops(`pcpus 2; ${creates(1)}; block 1 0 0; block 1 0 1`),
  );
  assert.deepEqual(m.lengths(), [0, 1]);
  assert.equal(m.finish().summary.anomalies, 1);
});

test('destroy removes a listed vCPU and lowers H and the bound', () => {
  const m = apply(
    config({ policy: 'series', K: 0 }),
    ops(`pcpus 1; ${creates(4)}; block 1 0 0; destroy 1 0; destroy 1 1`),
  );
  assert.deepEqual(m.lengths(), [0]);
  const s = m.finish().summary;
  assert.equal(s.H, 2);
  assert.equal(s.bound, 2);
});

test('non-PI vCPUs count in H but never sit on a list', () => {
  const m = apply(
    config({ policy: 'upstream' }),
    ops(`pcpus 1; ${creates(2, 1, true)}; block 1 0 0; post 1 0`),
  );
  assert.deepEqual(m.lengths(), [0]);
  const s = m.finish().summary;
  assert.equal(s.H, 2);
  assert.equal(s.wakeupInterrupts, 0);
});

test('invalid operations throw EngineInputError with the op index', () => {
  const cases: [string, RegExp][] = [
    ['pcpus 1; post 1 0', /unknown vCPU d1v0/],
    ['pcpus 1; create 1 0; create 1 0', /created twice/],
    ['pcpus 2; create 1 0; off 1; block 1 0 1', /pCPU 1 is offline/],
    ['pcpus 2; create 1 0; run 1 0 2', /pCPU 2 does not exist/],
    ['@5 pcpus 1; @4 create 1 0', /time goes backwards/],
    ['create 1 0', /first operation must be pcpus/],
    ['pcpus 1; off 0', /last online pCPU/],
    ['pcpus 2; on 1', /already online/],
    ['pcpus 1; pcpus 1', /pcpus given twice/],
    ['pcpus 1; create 1 0; destroy 1 0; wake 1 0', /unknown vCPU/],
  ];
  for (const [text, re] of cases) {
    const list = ops(text);
    assert.throws(
      () => apply(config({ policy: 'upstream' }), list),
      (e: unknown) =>
        e instanceof EngineInputError && re.test(e.message) && e.opIndex === list.length - 1,
      text,
    );
  }
});

test('a vCPU may be created again after its destroy (a new slot)', () => {
  const m = apply(
    config({ policy: 'upstream' }),
    ops('pcpus 1; create 1 0; block 1 0 0; destroy 1 0; create 1 0; block 1 0 0'),
  );
  assert.deepEqual(m.lengths(), [1]);
  const s = m.finish().summary;
  assert.equal(s.vcpus, 2);
  assert.equal(s.H, 1);
});

test('large and sparse domain / vCPU ids', () => {
  const m = apply(
    config({ policy: 'upstream' }),
    ops('pcpus 2; create 70000 3; create 5 1000; create 5 0; block 70000 3 1; block 5 1000 1'),
  );
  assert.deepEqual(m.listOfPcpu(1), [
    [70000, 3],
    [5, 1000],
  ]);
  assert.equal(m.finish().summary.domains, 2);
});

test('property: invariants after every op and agreement with a naive model', () => {
  for (const [policy, K] of [
    ['upstream', 128],
    ['upstream', 0],
    ['series', 0],
    ['series', 1],
    ['series', 3],
    ['least-loaded', 128],
  ] as const) {
    for (let seed = 1; seed <= 6; seed++) {
      const list = randomOps(seed * 7919 + K, 600, 1 + (seed % 5));
      const m = new HostModel(config({ policy, K, fixup: 'cycle' }, seed));
      const ref = new ReferenceModel(policy, K);
      list.forEach((o, i) => {
        const [c, t, a, b, d] = opToCompact(o);
        m.op(c, t, a, b, d);
        ref.apply(o);
        const bad = m.checkInvariants();
        assert.equal(bad, null, `${policy} K ${K} seed ${seed} op ${i}: ${bad}`);
        assert.deepEqual(
          m.lengths(),
          ref.lists.map((l) => l.length),
          `op ${i} ${JSON.stringify(o)}`,
        );
      });
      for (let p = 0; p < ref.lists.length; p++)
        assert.deepEqual(
          m.listOfPcpu(p).map(([dd, v]) => `${dd}.${v}`),
          ref.lists[p].map((e) => e.key),
        );
      const s = m.finish().summary;
      assert.deepEqual(
        [s.wakeupInterrupts, s.walked, s.remotePlacements, s.fixupMoves, s.anomalies],
        [ref.wakeups, ref.walked, ref.remote, ref.fixupMoves, ref.anomalies],
      );
      assert.equal(s.boundOverflows, ref.overflows);
      assert.deepEqual(
        s.perPcpu.map((p) => p.maxLength),
        ref.maxLen,
      );
    }
  }
});

test('property: random policies and the random fix-up keep the invariants', () => {
  for (const policy of ['two-choices', 'random-under-bound', 'upstream'] as const) {
    for (let seed = 1; seed <= 6; seed++) {
      const m = new HostModel(config({ policy, K: seed % 3, fixup: 'random' }, seed));
      for (const o of randomOps(seed, 600, 1 + (seed % 5))) {
        const [c, t, a, b, d] = opToCompact(o);
        m.op(c, t, a, b, d);
        assert.equal(m.checkInvariants(), null);
      }
    }
  }
});

test('long lists: removals from the middle keep list order, also through a fix-up walk', () => {
  // 1,000 vCPUs block on pCPUs 0 and 1 round after round, most are posted (removed from the middle
  // of long lists), 20 stay listed throughout, then pCPU 0 goes offline: list order checked
  // against the naive model all along.
  const r = new Rng(11);
  const list: Op[] = [{ t: 0, op: 'pcpus', n: 3 }];
  let t = 0;
  const N = 1000;
  for (let v = 0; v < N; v++)
    list.push({ t, op: 'vcpu_create', dom: 1 + (v % 3), vcpu: v, pi: true });
  const key = (v: number) => ({ dom: 1 + (v % 3), vcpu: v });
  // vCPUs 0..19 stay on pCPU 0's list throughout, so its entry array never simply empties.
  for (let v = 0; v < 20; v++) list.push({ t: ++t, op: 'block', ...key(v), pcpu: 0 });
  for (let round = 0; round < 10; round++) {
    const order = Array.from({ length: N - 20 }, (_, i) => 20 + i).sort(() => r.float() - 0.5);
    for (const v of order)
      list.push({ t: ++t, op: 'block', ...key(v), pcpu: r.below(4) === 0 ? 1 : 0 });
    for (const v of order) if (r.float() < 0.9) list.push({ t: ++t, op: 'post', ...key(v) });
    for (const v of order) list.push({ t: ++t, op: 'run', ...key(v), pcpu: 0 });
  }
  for (let v = 20; v < N; v++) list.push({ t: ++t, op: 'block', ...key(v), pcpu: v % 2 });
  for (let v = 20; v < N; v += 3) list.push({ t: ++t, op: 'post', ...key(v) });
  list.push({ t: t + 1, op: 'pcpu_offline', pcpu: 0 });
  for (const fixup of ['cycle', 'random'] as const) {
    const m = new HostModel(config({ policy: 'upstream', K: 128, fixup }, 1));
    const ref = new ReferenceModel('upstream', 128);
    list.forEach((o, i) => {
      const [c, tt, a, b, d] = opToCompact(o);
      m.op(c, tt, a, b, d);
      ref.apply(o);
      if (i % 250 !== 0 && o.op !== 'pcpu_offline') return;
      assert.equal(m.checkInvariants(), null, `op ${i}`);
      if (fixup === 'random' && o.op === 'pcpu_offline') return;
      for (let p = 0; p < 3; p++)
        assert.deepEqual(
          m.listOfPcpu(p).map(([dd, v]) => `${dd}.${v}`),
          ref.lists[p].map((e) => e.key),
          `op ${i} pCPU ${p}`,
        );
    });
    assert.equal(m.listOfPcpu(0).length, 0);
  }
});
