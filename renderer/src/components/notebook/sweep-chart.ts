/**
 * Option builders of the sweep view (pure: no DOM): the parallel-coordinates chart of a sweep's
 * grid parameters against its metrics, and the table's columns.
 */
import type { GridValue, SweepDetail, SweepMetrics, SweepPoint } from '@shared/notebook';
import type { EChartsOption } from './notebook-echarts';

export interface MetricColumn {
  key: keyof SweepMetrics;
  label: string;
}

/** The metrics of the issue first (max list length, p99 walk, remote placements), then more. */
export const METRIC_COLUMNS: MetricColumn[] = [
  { key: 'maxListLength', label: 'max list length' },
  { key: 'p99Walk', label: 'p99 walk (entries)' },
  { key: 'remotePlacements', label: 'remote placements' },
  { key: 'p99WalkNs', label: 'p99 walk time (ns)' },
  { key: 'overBoundInsertions', label: 'over-bound insertions' },
];

/** The metrics drawn as parallel axes: every column of the table (issue 12 item 10). */
export const CHART_METRICS = METRIC_COLUMNS;

/** Axis names on two lines ("max list\nlength"), so neighbouring names do not run together. */
export function axisName(label: string): string {
  const words = label.split(' ');
  if (words.length < 2) return label;
  const half = Math.ceil(words.length / 2);
  return `${words.slice(0, half).join(' ')}\n${words.slice(half).join(' ')}`;
}

/** Tick labels of a count axis: integers only (12, 1.2k, 3.4M), never 0.5. */
export function intTick(v: number): string {
  if (!Number.isInteger(v)) return '';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(v);
}

export interface ChartStyle {
  fg: string;
  /** Panel background: tick labels sit on it, so lines passing behind do not cross the text. */
  bg?: string;
  muted: string;
  grid: string;
  accent: string;
  series: string[];
}

const isNum = (v: GridValue) => typeof v === 'number';

/** Sorted distinct values of a grid path over the points (axis categories). */
function categories(points: SweepPoint[], path: string): string[] {
  const vals = [...new Set(points.map((p) => p.values[path]))];
  if (vals.every(isNum)) (vals as number[]).sort((a, b) => a - b);
  return vals.map((v) => String(v));
}

/**
 * One category axis per grid path (only paths that take more than one value, as a diff-only
 * view would) and one per metric; one line per point,
 * coloured by the first varying parameter; selected points drawn thick in the accent colour.
 */
export function parallelOption(
  detail: SweepDetail,
  style: ChartStyle,
  selected: ReadonlySet<number> = new Set(),
): EChartsOption {
  const points = detail.points.filter((p) => p.metrics);
  const paths = detail.group.grid
    .map((a) => a.path)
    .filter((path) => new Set(points.map((p) => JSON.stringify(p.values[path]))).size > 1);
  const usePaths = paths.length ? paths : detail.group.grid.map((a) => a.path).slice(0, 1);
  const parallelAxis = [
    // Grid values are discrete: category axes, numbers in ascending order, evenly spaced.
    ...usePaths.map((path, dim) => ({
      dim,
      name: path,
      type: 'category' as const,
      data: categories(points, path),
    })),
    ...CHART_METRICS.map((m, i) => ({
      dim: usePaths.length + i,
      name: axisName(m.label),
      type: 'value' as const,
      min: 0,
      // Counts: integer ticks only (an axis of 0..2 remote placements showed 0.5 steps).
      minInterval: 1,
      axisLabel: { formatter: intTick },
    })),
  ];
  const colourPath = usePaths[0];
  const colourCats = colourPath ? categories(points, colourPath) : [];
  const data = points.map((p) => {
    const value = [
      ...usePaths.map((path) => String(p.values[path])),
      ...CHART_METRICS.map((m) => p.metrics![m.key]),
    ];
    const sel = selected.has(p.experimentId);
    const ci = colourPath ? colourCats.indexOf(String(p.values[colourPath])) : 0;
    return {
      name: `#${p.experimentId} ${p.title}`,
      value,
      experimentId: p.experimentId,
      lineStyle: sel
        ? { color: style.accent, width: 4, opacity: 1 }
        : {
            color: style.series[ci % style.series.length],
            width: 2,
            opacity: selected.size ? 0.35 : 0.85,
          },
    };
  });
  return {
    animation: false,
    textStyle: { color: style.fg },
    tooltip: { trigger: 'item', confine: true },
    parallel: {
      left: 70,
      right: 110,
      top: 62,
      bottom: 30,
      parallelAxisDefault: {
        nameLocation: 'end',
        nameGap: 16,
        // Two-line names need a line height, or ECharts draws the lines over each other.
        nameTextStyle: { color: style.fg, fontSize: 12, lineHeight: 15, verticalAlign: 'bottom' },
        axisLine: { lineStyle: { color: style.muted } },
        axisLabel: {
          color: style.muted,
          ...(style.bg ? { backgroundColor: style.bg, padding: [1, 3], borderRadius: 2 } : {}),
        },
        splitLine: { show: false },
      },
    },
    parallelAxis,
    series: [{ type: 'parallel', smooth: false, data, emphasis: { lineStyle: { width: 4 } } }],
  } as EChartsOption;
}

/** Rows of the table, sorted by a column (grid path or metric key), stable. */
export function sortPoints(
  points: SweepPoint[],
  key: string,
  dir: 1 | -1,
  isMetric: boolean,
): SweepPoint[] {
  const get = (p: SweepPoint): GridValue =>
    isMetric ? (p.metrics ? p.metrics[key as keyof SweepMetrics] : null) : p.values[key];
  return points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const x = get(a.p);
      const y = get(b.p);
      if (x === y) return a.i - b.i;
      if (x === null) return 1;
      if (y === null) return -1;
      const c =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c * dir || a.i - b.i;
    })
    .map((e) => e.p);
}
