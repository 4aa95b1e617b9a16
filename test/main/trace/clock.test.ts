import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockSamples, chooseClock, DEFAULT_CPU_HZ, selectRank } from '../../../main/trace/clock';
import { readTrace } from '../../../main/trace/reader';
import { DUMPS, HOST_HZ, dumpPath } from './fixtures';

test("on every shipped dump with scheduler records the estimate lands within 1 % of Xen's 2445.4 MHz", () => {
  let estimated = 0;
  for (const dump of DUMPS) {
    const { clock } = readTrace(dumpPath(dump), { record() {} });
    const est = clock.estimate();
    if (dump === 'pvh-hvm.bin') {
      assert.equal(est, null, 'an hvm-only dump has no switch records');
      continue;
    }
    assert.ok(est, `${dump}: no samples`);
    assert.ok(est.samples >= 50, `${dump}: only ${est.samples} samples`);
    const errPct = (Math.abs(est.hz - HOST_HZ) / HOST_HZ) * 100;
    assert.ok(
      errPct < 1,
      `${dump}: ${(est.hz / 1e6).toFixed(1)} MHz is ${errPct.toFixed(2)} % off`,
    );
    estimated++;
  }
  assert.equal(estimated, DUMPS.length - 1);
});

test('the clock is the user value, else the estimate, else 2.4 GHz, and says which', () => {
  const s = new ClockSamples();
  assert.deepEqual(chooseClock(null, s), {
    cpuHz: DEFAULT_CPU_HZ,
    source: 'default',
    samples: 0,
    spreadPct: null,
    estimatedHz: null,
  });
  for (let i = 0; i < 9; i++) s.add(3e6 + i * 300, 1e6); // ~3 GHz over 1 ms stretches
  const est = chooseClock(undefined, s);
  assert.equal(est.source, 'estimate');
  assert.equal(est.samples, 9);
  assert.ok(Math.abs(est.cpuHz - 3.0012e9) < 1e3);
  assert.ok(est.spreadPct !== null && est.spreadPct > 0 && est.spreadPct < 0.1);
  const user = chooseClock(2445.411e6, s);
  assert.equal(user.source, 'user');
  assert.equal(user.cpuHz, 2445.411e6);
  assert.equal(user.estimatedHz, est.cpuHz);
});

test('samples too short, non-positive or absurd are not taken', () => {
  const s = new ClockSamples();
  s.add(100, 10); // 10 ns: write latency dominates
  s.add(-5, 1e6);
  s.add(1e15, 1e6); // 1e18 Hz
  s.add(2.4e6, 0);
  assert.equal(s.count, 0);
});

test('past its cap the estimate keeps every stride-th sample, evenly over the dump', () => {
  const s = new ClockSamples(8);
  // 100 samples of 2 GHz + i kHz over 1 ms each.
  for (let i = 0; i < 100; i++) s.add((2e9 + i * 1e3) / 1e3, 1e6);
  const est = s.estimate();
  assert.ok(est);
  assert.equal(est.samples, 100, 'every valid sample is counted');
  // Kept: samples 0, 16, ..., 96 (the stride doubled four times); their median is sample 48.
  assert.equal(est.hz, 2e9 + 48e3);
  // Below the cap nothing is dropped: the exact median.
  const exact = new ClockSamples(1024);
  for (let i = 0; i < 100; i++) exact.add((2e9 + i * 1e3) / 1e3, 1e6);
  assert.equal(exact.estimate()?.hz, 2e9 + 49.5e3);
});

test('selectRank puts each rank where a sort would, on ties, runs, sorted and reversed input', () => {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647;
  const inputs: number[][] = [[5], [2, 1], [3, 3, 3], [1, 2, 3, 4, 5, 6, 7], [9, 8, 7, 6, 5, 4, 3]];
  for (const n of [10, 101, 1000, 4096]) {
    inputs.push(Array.from({ length: n }, () => rnd() * 1e9));
    inputs.push(Array.from({ length: n }, () => Math.floor(rnd() * 4))); // long runs of equals
    inputs.push(Array.from({ length: n }, (_, i) => i));
    inputs.push(Array.from({ length: n }, (_, i) => n - i));
  }
  for (const input of inputs) {
    const sorted = Float64Array.from(input).sort();
    for (const k of new Set([0, input.length >> 2, input.length >> 1, input.length - 1])) {
      const a = Float64Array.from(input);
      selectRank(a, 0, a.length - 1, k);
      assert.equal(a[k], sorted[k]);
      for (let i = 0; i < k; i++) assert.ok(a[i] <= a[k]);
      for (let i = k + 1; i < a.length; i++) assert.ok(a[i] >= a[k]);
    }
  }
});

test('the estimate equals the median and spread of the sorted samples', () => {
  for (const n of [1, 2, 3, 4, 7, 1000, 1001]) {
    const c = new ClockSamples();
    const hz: number[] = [];
    for (let i = 0; i < n; i++) {
      const cycles = 2.4e6 + ((i * 7919) % 997) * 10;
      c.add(cycles, 1e6);
      hz.push((cycles * 1e9) / 1e6);
    }
    const v = Float64Array.from(hz).sort();
    const q = (f: number) => v[Math.min(n - 1, Math.floor(f * (n - 1) + 0.5))];
    const med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    assert.deepEqual(c.estimate(), {
      hz: med,
      samples: n,
      spreadPct: ((q(0.75) - q(0.25)) / med) * 100,
    });
  }
});
