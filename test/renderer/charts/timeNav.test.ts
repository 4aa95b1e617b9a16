import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  centreOn,
  clampRange,
  keyNav,
  panRange,
  zoomRange,
} from '../../../renderer/src/charts/timeNav';

const L = { t0Ns: 0, t1Ns: 1000 };

test('zoom keeps the anchor in place and clamps to the run', () => {
  const r = zoomRange({ t0Ns: 0, t1Ns: 1000 }, 0.5, 500, L);
  assert.deepEqual(r, { t0Ns: 250, t1Ns: 750 });
  const a = zoomRange({ t0Ns: 200, t1Ns: 400 }, 0.5, 200, L);
  assert.deepEqual(a, { t0Ns: 200, t1Ns: 300 });
  // zooming out past the run gives the run
  assert.deepEqual(zoomRange({ t0Ns: 100, t1Ns: 900 }, 4, 500, L), L);
  // never narrower than the minimum span
  const tiny = zoomRange({ t0Ns: 500, t1Ns: 520 }, 0.01, 510, L);
  assert.equal(tiny.t1Ns - tiny.t0Ns, 10);
});

test('pan moves by a fraction of the span and stops at the edges', () => {
  assert.deepEqual(panRange({ t0Ns: 100, t1Ns: 300 }, 0.5, L), { t0Ns: 200, t1Ns: 400 });
  assert.deepEqual(panRange({ t0Ns: 100, t1Ns: 300 }, -5, L), { t0Ns: 0, t1Ns: 200 });
  assert.deepEqual(panRange({ t0Ns: 700, t1Ns: 900 }, 5, L), { t0Ns: 800, t1Ns: 1000 });
});

test('clamp and centre', () => {
  assert.deepEqual(clampRange({ t0Ns: -50, t1Ns: 100 }, L), { t0Ns: 0, t1Ns: 150 });
  assert.deepEqual(clampRange({ t0Ns: NaN, t1Ns: NaN }, L), L);
  assert.deepEqual(centreOn(990, 100, L), { t0Ns: 900, t1Ns: 1000 });
  assert.deepEqual(centreOn(500, 100, L), { t0Ns: 450, t1Ns: 550 });
});

test('W/S zoom and A/D pan like Perfetto; other keys are ignored', () => {
  const r = { t0Ns: 200, t1Ns: 600 };
  const w = keyNav('w', r, 400, L)!;
  assert.ok(w.t1Ns - w.t0Ns < 400);
  const s = keyNav('S', r, 400, L)!;
  assert.ok(s.t1Ns - s.t0Ns > 400);
  assert.deepEqual(keyNav('a', r, 400, L), { t0Ns: 120, t1Ns: 520 });
  assert.deepEqual(keyNav('d', r, 400, L), { t0Ns: 280, t1Ns: 680 });
  assert.equal(keyNav('x', r, 400, L), null);
});
