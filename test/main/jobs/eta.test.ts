import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EtaEstimator } from '../../../main/jobs/eta';

/** Feeds `progress(t)` every 100 ms from 0 to `endMs`; returns [t, eta] pairs. */
function trace(progress: (t: number) => number, endMs: number, est = new EtaEstimator()) {
  const out: [number, number | null][] = [];
  for (let t = 0; t < endMs; t += 100) out.push([t, est.update(t, progress(t))]);
  return out;
}

test('a slow start does not inflate the estimate (the 21-minute ETA of a 35 s run)', () => {
  // 5 s of setup at 0.1 % progress, then linear to the end at 35 s.
  const p = (t: number) => (t < 5000 ? (t / 5000) * 0.001 : 0.001 + ((t - 5000) / 30000) * 0.999);
  const got = trace(p, 35000);
  // The old formula, elapsed x (1 - f) / f, at t = 5.5 s:
  const f = p(5500);
  assert.ok((5500 * (1 - f)) / f > 5 * 60_000, 'the old estimate was minutes off');
  for (const [t, eta] of got) {
    if (eta === null) continue;
    const truth = 35000 - t;
    assert.ok(Math.abs(eta - truth) <= 0.25 * truth + 600, `t=${t}: eta ${eta} vs ${truth}`);
  }
  assert.ok(
    got.some(([t, eta]) => t < 12000 && eta !== null),
    'an estimate appears once the rate is steady',
  );
});

test('no estimate during the warm-up or before any real progress', () => {
  const got = trace((t) => t / 20000, 1400);
  assert.ok(got.every(([, eta]) => eta === null));
  const stuck = trace(() => 0.01, 5000);
  assert.ok(
    stuck.every(([, eta]) => eta === null),
    'below minFraction, no estimate',
  );
});

test('a stalled job loses its estimate instead of counting down a stale one', () => {
  // Linear to 50 % at 10 s, then stuck.
  const got = trace((t) => Math.min(0.5, t / 20000), 16000);
  assert.ok(
    got.some(([t, eta]) => t < 10000 && eta !== null),
    'estimated while moving',
  );
  assert.ok(got.filter(([t]) => t >= 13100).every(([, eta]) => eta === null));
});

test('estimates that disagree are not shown', () => {
  // The rate doubles every second: each projected end is earlier than the last by far more
  // than a quarter of the time left.
  const got = trace((t) => Math.min(0.99, 0.02 * 2 ** (t / 1000)), 5500);
  assert.ok(
    got.every(([, eta]) => eta === null),
    JSON.stringify(got.filter(([, e]) => e)),
  );
});

test('done is 0 left', () => {
  const e = new EtaEstimator();
  assert.equal(e.update(0, 0), null);
  assert.equal(e.update(100, 1), 0);
});
