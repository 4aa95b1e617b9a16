import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VcpuBytes } from '../../../main/trace/vcpu-bytes';

test('VcpuBytes: 0 until set, per (domain, vCPU), across growth, up to ids 65535', () => {
  const b = new VcpuBytes();
  assert.equal(b.get(3, 1), 0);
  b.set(3, 1, 5);
  b.set(3, 0, 0); // clearing an unset byte allocates nothing and changes nothing
  assert.equal(b.get(3, 1), 5);
  assert.equal(b.get(3, 0), 0);
  assert.equal(b.get(4, 1), 0);
  b.set(3, 1000, 7); // grows the domain's array; earlier bytes kept
  assert.equal(b.get(3, 1), 5);
  assert.equal(b.get(3, 1000), 7);
  assert.equal(b.get(3, 999), 0);
  b.set(65535, 65535, 1);
  assert.equal(b.get(65535, 65535), 1);
  b.set(3, 1, 0);
  assert.equal(b.get(3, 1), 0);
  // A model of the same operations as the Map keyed by dom * 65536 + vcpu it replaces.
  const ref = new Map<number, number>();
  let seed = 1;
  const rnd = (n: number) => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) % n;
  const c = new VcpuBytes();
  for (let i = 0; i < 20000; i++) {
    const dom = rnd(40);
    const vcpu = rnd(3) === 0 ? rnd(5000) : rnd(8);
    if (rnd(2)) {
      const v = rnd(8);
      c.set(dom, vcpu, v);
      if (v) ref.set(dom * 65536 + vcpu, v);
      else ref.delete(dom * 65536 + vcpu);
    }
    assert.equal(c.get(dom, vcpu), ref.get(dom * 65536 + vcpu) ?? 0);
  }
});
