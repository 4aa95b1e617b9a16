import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  colorBarPixels,
  heatmapPixels,
  lift,
  rampColor,
} from '../../../renderer/src/charts/heatmap';

/** Painted pixels of row 0 as a string: '#' painted, '.' transparent. */
const row = (px: Uint8ClampedArray, width: number) =>
  Array.from({ length: width }, (_, x) => (px[x * 4 + 3] ? '#' : '.')).join('');

const base = {
  bound: new Array(20).fill(128),
  width: 20,
  height: 1,
  maxLen: 4096,
  log: true,
  dark: false,
};

test('a one-column list is widened to the minimum mark over empty pixels only', () => {
  const lenMax = [new Array(20).fill(0)];
  lenMax[0][3] = 1;
  lenMax[0][10] = 2;
  lenMax[0][11] = 2;
  lenMax[0][12] = 2;
  lenMax[0][13] = 2;
  lenMax[0][18] = 1;
  lenMax[0][19] = 1;
  assert.equal(row(heatmapPixels({ ...base, lenMax }), 20), '...#......####....##');
  assert.equal(row(heatmapPixels({ ...base, lenMax, minMarkPx: 3 }), 20), '...###....####....##');
});

test('the shortest list is lifted off the palest shade, the order of lengths kept', () => {
  const lenMax = [new Array(20).fill(0)];
  lenMax[0][0] = 1;
  lenMax[0][1] = 4096;
  const plain = heatmapPixels({ ...base, lenMax });
  const lifted = heatmapPixels({ ...base, lenMax, minLevel: 0.3 });
  const lum = (px: Uint8ClampedArray, x: number) => px[x * 4] + px[x * 4 + 1] + px[x * 4 + 2];
  // Light theme: darker is further along the ramp.
  assert.ok(lum(lifted, 0) < lum(plain, 0) - 60, `${lum(lifted, 0)} vs ${lum(plain, 0)}`);
  assert.deepEqual([...lifted.slice(4, 8)], [...plain.slice(4, 8)], 'the top stays the top');
  assert.equal(lift(0, 0.3), 0);
  assert.equal(lift(1, 0.3), 1);
  // The colour bar shows the same lifted shades (its bottom pixel is 0, an empty list).
  const bar = colorBarPixels(1, 101, 4096, 128, true, false, 0.3);
  assert.deepEqual([...bar.slice(99 * 4, 99 * 4 + 3)], rampColor(lift(0.01, 0.3), false, false));
});
