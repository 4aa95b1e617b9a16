/**
 * The Run view's H / bound / online-pCPUs chart as two aligned panels (one ECharts option, two
 * grids sharing the time axis and the Run view's left / right margins): H and the bound on top
 * ("vCPUs / entries"), online pCPUs below ("pCPUs"). H (millions) and online pCPUs (tens) no
 * longer share an axis, and the bound is drawn as a step line from each column's minimum to its
 * end value, so it shows every value the toolbar's "bound a–b" names.
 */
import { TIME_GRID } from './echarts';
import type { ChartColors } from './theme';
import type { TimeRange } from './timeNav';
import { niceCeil } from './scale';
import {
  binPoints,
  boundSeries,
  grid,
  legendBase,
  lineSeries,
  timeTooltip,
  timeXAxis,
  valueYAxis,
  type BinnedColumns,
} from './options';

/** Gap between the two panels and the lower panel's share of the plot height. */
const GAP = 22;
const LOWER = 0.3;

export interface SystemColumns extends BinnedColumns {
  h: number[];
  bound: number[];
  boundMin: number[];
  online: number[];
}

/**
 * The bound as step points: each column starts at its minimum and ends at its end value, so a
 * change inside a column (128 -> 37,577 when the first vCPUs appear) is drawn, not hidden.
 */
export function boundSteps(s: SystemColumns, log = false): [number, number | null][] {
  const w = (s.t1Ns - s.t0Ns) / s.pixels;
  const v = (x: number) => (log && x <= 0 ? null : x);
  const out: [number, number | null][] = [];
  s.tNs.forEach((t, i) => {
    out.push([t, v(s.boundMin[i])]);
    if (s.bound[i] !== s.boundMin[i]) out.push([t + w / 2, v(s.bound[i])]);
  });
  if (s.tNs.length) out.push([s.t1Ns, v(s.bound[s.bound.length - 1])]);
  return out;
}

/** The range of the bound the chart draws (the toolbar's "bound a–b" must say the same). */
export function boundExtent(s: SystemColumns): [number, number] | null {
  if (!s.boundMin.length) return null;
  return [Math.min(...s.boundMin), Math.max(...s.bound)];
}

/** Log y by default when the bound would sit within 2 % of H's scale on a linear axis. */
export function wantsLog(s: SystemColumns): boolean {
  const e = boundExtent(s);
  const hMax = s.h.length ? Math.max(...s.h) : 0;
  return !!e && e[0] > 0 && hMax / e[0] > 50;
}

/** The online-pCPUs panel's scale: a round top and one tick halfway (integers). */
export function lowerScale(online: number[]): { max: number; interval: number } {
  const max = Math.ceil(niceCeil(Math.max(2, ...online) * 1.05) / 2) * 2;
  return { max, interval: max / 2 };
}

/** The two panels' grids for a chart `height` px tall (top / bottom margins as every time chart). */
export function systemGrids(height: number) {
  const plot = height - TIME_GRID.top - TIME_GRID.bottom - GAP;
  const lower = Math.round(plot * LOWER);
  const upper = plot - lower;
  return [
    { ...grid(), top: TIME_GRID.top, height: upper, bottom: undefined },
    { ...grid(), top: TIME_GRID.top + upper + GAP, height: lower, bottom: undefined },
  ];
}

export function systemOption(o: {
  s: SystemColumns;
  range: TimeRange;
  c: ChartColors;
  height: number;
  log: boolean;
  /** Annotation markLines / lost-record markAreas, carried by the H line. */
  extra?: Record<string, unknown>;
}) {
  const { s, range, c, log } = o;
  const pts = binPoints(s, log);
  const x = timeXAxis(range, c);
  const yName = { nameLocation: 'middle' as const, nameGap: 52, nameRotate: 90 };
  return {
    animation: false,
    grid: systemGrids(o.height),
    legend: { ...legendBase(c) },
    tooltip: timeTooltip(c),
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis: [
      { ...x, gridIndex: 0, axisLabel: { ...x.axisLabel, show: false } },
      { ...x, gridIndex: 1 },
    ],
    yAxis: [
      valueYAxis(c, 'vCPUs / entries', {
        gridIndex: 0,
        ...yName,
        nameTextStyle: { color: c.muted, fontSize: 10 },
        ...(log ? { type: 'log', min: 1 } : { min: 0 }),
      }),
      valueYAxis(c, 'pCPUs', {
        gridIndex: 1,
        ...yName,
        nameTextStyle: { color: c.muted, fontSize: 10 },
        min: 0,
        // Three labels (0, half, top) on a round top: four or more crowd the short panel.
        ...lowerScale(s.online),
      }),
    ],
    series: [
      lineSeries('H (HVM vCPUs)', pts(s.h), c.series[0], { step: 'end', ...o.extra }),
      // Drawn last on the upper panel and thicker, so it stays visible where H or the axis runs.
      boundSeries('bound = ⌊H/P⌋ + K (entries)', boundSteps(s, log), c.bound, {
        step: 'end',
        z: 5,
        lineStyle: { width: 2.5, color: c.bound, type: 'dashed' },
      }),
      lineSeries('online pCPUs', pts(s.online), c.series[1], {
        step: 'end',
        xAxisIndex: 1,
        yAxisIndex: 1,
      }),
    ],
  };
}
