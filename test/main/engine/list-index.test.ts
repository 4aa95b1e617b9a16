import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opToCompact } from '../../../shared/ops';
import type { RunResult } from '../../../shared/results';
import { typedArrayFromBytes, dtypeOf } from '../../../shared/results';
import { lengthsAt, listAt } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';
import { config } from './ops-dsl';
import { randomOps } from './random-ops';
import { ReferenceModel } from './reference-model';

/** What the store does: every series through bytes and back. */
function roundTrip(r: RunResult): RunResult {
  const series = Object.fromEntries(
    Object.entries(r.series).map(([k, a]) => [
      k,
      typedArrayFromBytes(dtypeOf(a), new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
    ]),
  );
  return JSON.parse(JSON.stringify({ ...r, series: {} }), (k, v) =>
    k === 'series' ? series : v,
  ) as RunResult;
}

test('lengthsAt / listAt are exact at every time of a random run (after a store round trip)', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const list = randomOps(seed, 800, 3);
    const m = new HostModel(config({ policy: 'series', K: 1, fixup: 'cycle' }, seed));
    const ref = new ReferenceModel('series', 1);
    const snaps = new Map<
      number,
      { lists: string[][]; since: number[][]; bound: number; h: number; online: boolean[] }
    >();
    list.forEach((o, i) => {
      const [c, t, a, b, d] = opToCompact(o);
      m.op(c, t, a, b, d);
      ref.apply(o);
      if (i === list.length - 1 || list[i + 1].t !== o.t)
        snaps.set(o.t, {
          lists: ref.lists.map((l) => l.map((e) => e.key)),
          since: ref.lists.map((l) => l.map((e) => e.since)),
          bound: ref.bound(),
          h: ref.vcpus.size,
          online: [...ref.online],
        });
    });
    const r = roundTrip(m.finish());
    for (const [t, snap] of snaps) {
      const at = lengthsAt(r, t);
      assert.deepEqual(
        at.lengths,
        snap.lists.map((l) => l.length),
        `t ${t}`,
      );
      assert.deepEqual(at.online, snap.online);
      assert.equal(at.bound, snap.bound, `bound at ${t}`);
      assert.equal(at.h, snap.h);
      for (let p = 0; p < 3; p++) {
        const all = listAt(r, t, p, 0, 10_000);
        assert.equal(all.total, snap.lists[p].length);
        assert.deepEqual(
          all.rows.map((x) => `${x.dom}.${x.vcpu}`),
          snap.lists[p],
        );
        assert.deepEqual(
          all.rows.map((x) => x.sinceNs),
          snap.since[p],
        );
        const win = listAt(r, t, p, 1, 2);
        assert.deepEqual(win.rows, all.rows.slice(1, 3));
        assert.equal(win.total, all.total);
        const dom2 = listAt(r, t, p, 0, 100, 'd2');
        assert.deepEqual(
          dom2.rows,
          all.rows.filter((x) => x.dom === 2),
        );
      }
    }
  }
});

test('listAt at 4,096 x 1,024 entries skips whole blocks and keeps list order', () => {
  // One list of 100k entries where every other vCPU left at t = 2: rows and totals stay exact.
  const m = new HostModel(config({ policy: 'upstream' }));
  m.op(0, 0, 2, 0, 0);
  const n = 100_000;
  for (let v = 0; v < n; v++) m.op(1, 0, 1, v, 1);
  for (let v = 0; v < n; v++) m.op(3, 1, 1, v, 0);
  for (let v = 0; v < n; v += 2) m.op(6, 2, 1, v, 1);
  const r = m.finish();
  assert.equal(listAt(r, 1, 0, 0, 1).total, n);
  const late = listAt(r, 2, 0, 49_990, 20);
  assert.equal(late.total, n / 2);
  assert.deepEqual(
    late.rows.map((x) => x.vcpu),
    Array.from({ length: 10 }, (_, i) => 2 * (49_990 + i) + 1),
  );
  assert.equal(listAt(r, 1, 0, n - 1, 5).rows[0].vcpu, n - 1);
  assert.deepEqual(lengthsAt(r, 0.5).lengths, [0, 0]);
  assert.deepEqual(
    listAt(r, 1, 0, 0, 3, '1.7').rows.map((x) => x.vcpu),
    [7],
  );
});
