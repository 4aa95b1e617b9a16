import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RadixQueue } from '../../../main/engine/radix-queue';
import { Rng } from '../../../main/engine/rng';

test('pops in time order, also after peeks followed by earlier pushes', () => {
  const r = new Rng(9);
  const q = new RadixQueue();
  const ref: number[] = [];
  let now = 0;
  for (let i = 0; i < 20_000; i++) {
    const x = r.float();
    if (x < 0.45 || ref.length === 0) {
      const k = now + Math.round(r.exp(x < 0.1 ? 5e9 : 1000));
      q.push(k, i);
      ref.push(k);
    } else if (x < 0.6) {
      // Peek, then schedule something before the peeked time (the generator's churn events).
      const top = q.topKey;
      assert.equal(top, Math.min(...ref));
      if (top > now) {
        const k = now + r.below(top - now);
        q.push(k, i);
        ref.push(k);
      }
    } else {
      const m = Math.min(...ref);
      assert.equal(q.topKey, m);
      assert.ok(q.topVal >= 0);
      q.pop();
      ref.splice(ref.indexOf(m), 1);
      now = m;
    }
    assert.equal(q.size, ref.length);
  }
  assert.throws(() => q.push(now - 1, 0), /before/);
});
