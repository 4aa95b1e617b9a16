import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NONE, PcpuTree } from '../../../main/engine/pcpu-tree';
import { Rng } from '../../../main/engine/rng';

test('firstBelow / firstBelowCyclic / argmin agree with linear scans', () => {
  const r = new Rng(4);
  for (const n of [1, 2, 3, 7, 8, 112, 130]) {
    const t = new PcpuTree(n);
    const v = Array<number>(n).fill(NONE);
    for (let i = 0; i < 3000; i++) {
      const p = r.below(n);
      v[p] = r.float() < 0.1 ? NONE : r.below(6);
      t.set(p, v[p]);
      const from = r.below(n);
      const x = r.below(7);
      const first = (s: number) => {
        for (let k = s; k < n; k++) if (v[k] < x) return k;
        return -1;
      };
      assert.equal(t.firstBelow(from, x), first(from));
      const cyc = first(from) >= 0 ? first(from) : first(0);
      assert.equal(t.firstBelowCyclic(from, x), cyc);
      const m = Math.min(...v);
      assert.equal(t.argmin(), m === NONE ? -1 : v.indexOf(m));
    }
  }
});
