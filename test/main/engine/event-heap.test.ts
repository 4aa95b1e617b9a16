import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHeap } from '../../../main/engine/event-heap';
import { Rng } from '../../../main/engine/rng';

test('pops in key order through pushes, pops and replaceTop', () => {
  const r = new Rng(3);
  const h = new EventHeap(4);
  const ref: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const x = r.float();
    if (x < 0.5 || ref.length === 0) {
      const k = r.below(1000);
      h.push(k, i);
      ref.push(k);
    } else {
      const m = Math.min(...ref);
      assert.equal(h.topKey, m);
      ref.splice(ref.indexOf(m), 1);
      if (x < 0.75) h.pop();
      else {
        const k = m + r.below(50);
        h.replaceTop(k, i);
        ref.push(k);
      }
    }
    assert.equal(h.size, ref.length);
  }
});
