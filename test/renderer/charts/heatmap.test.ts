import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  colorBarPixels,
  heatmapPixels,
  rampColor,
  rowPcpus,
  scalePos,
  topPcpus,
} from '../../../renderer/src/charts/heatmap';

/** The image uses a 256-level lookup table. */
const lut = (t: number, hot: boolean, dark: boolean) =>
  rampColor(Math.max(1, Math.round(t * 255)) / 255, hot, dark);

test('rows cover every pCPU once, per-pixel max when pCPUs outnumber rows', () => {
  // 448 pCPUs on 300 rows: contiguous, complete cover
  let next = 0;
  for (let y = 0; y < 300; y++) {
    const [a, b] = rowPcpus(y, 300, 448);
    assert.ok(a <= next && b > a, `row ${y}`);
    next = b;
  }
  assert.equal(next, 448);
  // 4 pCPUs on 8 rows: each pCPU on two rows
  assert.deepEqual(
    Array.from({ length: 8 }, (_, y) => rowPcpus(y, 8, 4)[0]),
    [0, 0, 1, 1, 2, 2, 3, 3],
  );
});

test('empty lists are transparent; over the bound uses the hot ramp', () => {
  const px = heatmapPixels({
    lenMax: [
      [0, 2],
      [5, 9],
    ],
    bound: [4, 4],
    width: 2,
    height: 2,
    maxLen: 9,
    log: false,
    dark: false,
  });
  const at = (x: number, y: number) => Array.from(px.slice((y * 2 + x) * 4, (y * 2 + x) * 4 + 4));
  assert.equal(at(0, 0)[3], 0, 'length 0 is transparent');
  assert.equal(at(1, 0)[3], 255);
  const cold = lut(scalePos(2, 9, false), false, false);
  assert.deepEqual(at(1, 0).slice(0, 3), cold);
  const hot = rampColor(1, true, false);
  assert.deepEqual(at(1, 1).slice(0, 3), hot, 'length 9 > bound 4: hot, top of the scale');
  // two pCPUs on one row: the max of the two, over the bound
  const one = heatmapPixels({
    lenMax: [[1], [7]],
    bound: [4],
    width: 1,
    height: 1,
    maxLen: 7,
    log: false,
    dark: true,
  });
  assert.deepEqual(Array.from(one.slice(0, 3)), rampColor(1, true, true));
});

test('insertions over the bound mark a cell even when its max is under the bound now', () => {
  const px = heatmapPixels({
    lenMax: [[3]],
    over: [[1]],
    bound: [5],
    width: 1,
    height: 1,
    maxLen: 10,
    log: false,
    dark: false,
  });
  assert.deepEqual(Array.from(px.slice(0, 3)), lut(0.3, true, false));
});

test('log scale, colour bar and top-N', () => {
  assert.equal(scalePos(0, 100, true), 0);
  assert.equal(scalePos(100, 100, true), 1);
  assert.ok(scalePos(10, 4_194_304, true) > 0.1, 'short lists stay visible next to 4M');
  const bar = colorBarPixels(2, 10, 100, 50, false, false);
  assert.equal(bar.length, 2 * 10 * 4);
  assert.deepEqual(Array.from(bar.slice(0, 3)), rampColor(1, true, false), 'top is hot');
  const last = 9 * 2 * 4;
  assert.deepEqual(Array.from(bar.slice(last, last + 3)), rampColor(0, false, false));
  assert.deepEqual(
    topPcpus(
      [
        [1, 2],
        [9, 0],
        [0, 0],
        [9, 1],
      ],
      [10, 11, 12, 13],
      3,
    ),
    [11, 13, 10],
  );
});

test('one busy pCPU among hundreds stays at least 2 px tall', () => {
  const P = 448;
  const lenMax = Array.from({ length: P }, (_, p) => [p === 0 ? 4_194_304 : 0]);
  const px = heatmapPixels({
    lenMax,
    bound: [9490],
    width: 1,
    height: 360,
    maxLen: 4_194_304,
    log: true,
    dark: false,
  });
  const alpha = (y: number) => px[y * 4 + 3];
  assert.equal(alpha(0), 255);
  assert.equal(alpha(1), 255);
  assert.equal(alpha(2), 0);
});
