import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binPoints,
  boundSeries,
  lineSeries,
  timeLineOption,
  timeTooltip,
} from '../../../renderer/src/charts/options';
import type { ChartColors } from '../../../renderer/src/charts/theme';

const C: ChartColors = {
  fg: '#000',
  muted: '#555',
  bg: '#fff',
  grid: '#ddd',
  accent: '#1a66cc',
  bound: '#d11a2a',
  danger: '#d11a2a',
  ok: '#1e8e3e',
  cursor: '#e37400',
  dark: false,
  series: ['#1a66cc', '#1e8e3e'],
};

test('binPoints: the middle of each column; log drops values <= 0', () => {
  const s = { t0Ns: 0, t1Ns: 40, pixels: 4, tNs: [0, 10, 20, 30] };
  assert.deepEqual(binPoints(s)([0, 1, 2, 3]), [
    [5, 0],
    [15, 1],
    [25, 2],
    [35, 3],
  ]);
  assert.deepEqual(
    binPoints(s, true)([0, 1, -1, 3]).map((p) => p[1]),
    [null, 1, null, 3],
  );
});

test('line and bound series: symbols off, no animation, the bound dashed and stepped', () => {
  const l = lineSeries('H', [[0, 1]], '#123456', { step: 'end' });
  assert.equal(l.showSymbol, false);
  assert.equal(l.sampling, 'lttb');
  assert.deepEqual(l.lineStyle, { width: 1.5, color: '#123456' });
  assert.equal((l as { step?: string }).step, 'end');
  const b = boundSeries('bound', [], '#d11a2a');
  assert.equal(b.step, 'end');
  assert.deepEqual(b.lineStyle, { width: 2, color: '#d11a2a', type: 'dashed' });
  assert.equal('sampling' in b, false);
});

test('timeLineOption: shared grid, time axis over the range, tooltip; patches merge', () => {
  const o = timeLineOption({
    c: C,
    range: { t0Ns: 100, t1Ns: 200 },
    yAxis: { type: 'value' },
    series: [],
    grid: { top: 40 },
    legend: { type: 'scroll' },
  });
  assert.equal(o.animation, false);
  assert.equal(o.grid.top, 40);
  assert.equal(o.grid.left, 72);
  assert.equal((o.legend as Record<string, unknown>).type, 'scroll');
  assert.equal(o.legend.left, 72);
  assert.deepEqual([o.xAxis.min, o.xAxis.max], [100, 200]);
  assert.equal(o.tooltip.valueFormatter(1234567), timeTooltip(C).valueFormatter(1234567));
  assert.equal(o.tooltip.axisPointer.label.formatter({ value: 1.5e6 }), '1.5 ms');
});
