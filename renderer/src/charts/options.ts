/**
 * Option pieces shared by the time charts (same grid, same axis formatting, annotations), and the
 * option of a line chart over time (`timeLineOption`) that the Run view's H / bound and top-N
 * charts and the Compare view build theirs from.
 */
import type { Annotation } from '@shared/model';
import { TIME_GRID } from './echarts';
import type { ChartColors } from './theme';
import type { TimeRange } from './timeNav';
import { fmtInt, fmtNs } from '../components/util/format';

export const MONO = "ui-monospace, 'DejaVu Sans Mono', monospace";

export function timeXAxis(range: TimeRange, c: ChartColors) {
  return {
    type: 'value' as const,
    min: range.t0Ns,
    max: range.t1Ns,
    splitNumber: 8,
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      hideOverlap: true,
      formatter: (v: number) => fmtNs(v),
    },
    axisLine: { lineStyle: { color: c.grid } },
    splitLine: { show: true, lineStyle: { color: c.grid, opacity: 0.5 } },
  };
}

export function valueYAxis(c: ChartColors, name: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'value' as const,
    name,
    nameTextStyle: { color: c.muted, fontSize: 10, align: 'left' as const },
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      formatter: (v: number) => compactInt(v),
    },
    axisLine: { show: true, lineStyle: { color: c.grid } },
    splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
    ...extra,
  };
}

/** 4194304 -> "4.19M", 12500 -> "12.5k", 128 -> "128". */
export function compactInt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return fmtInt(v);
}

export function grid() {
  return { ...TIME_GRID, containLabel: false };
}

/** Annotations inside the range as vertical markLines with their text. */
export function annotationMarkLine(anns: Annotation[], range: TimeRange, c: ChartColors) {
  const data = anns
    .filter((a) => a.tNs >= range.t0Ns && a.tNs <= range.t1Ns)
    .map((a) => ({
      xAxis: a.tNs,
      name: a.text,
      label: {
        formatter: `${a.pcpu !== null ? `pCPU ${a.pcpu}: ` : ''}${truncate(a.text, 40)}`,
      },
    }));
  return {
    silent: true,
    symbol: ['none', 'none'],
    animation: false,
    lineStyle: { color: c.accent, type: 'dotted' as const, width: 1.5 },
    label: {
      show: true,
      position: 'insideEndTop' as const,
      color: c.accent,
      fontSize: 10,
    },
    data,
  };
}

function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** An invisible series that carries annotation markLines on charts without a time series. */
export function annotationCarrier(anns: Annotation[], range: TimeRange, c: ChartColors) {
  return {
    type: 'line' as const,
    name: 'annotations',
    data: [] as number[][],
    silent: true,
    markLine: annotationMarkLine(anns, range, c),
  };
}

export function tooltipBase(c: ChartColors) {
  return {
    trigger: 'axis' as const,
    confine: true,
    backgroundColor: c.bg,
    borderColor: c.grid,
    textStyle: { color: c.fg, fontFamily: MONO, fontSize: 11 },
    axisPointer: { type: 'line' as const, lineStyle: { color: c.muted, type: 'dashed' as const } },
  };
}

export function legendBase(c: ChartColors) {
  return {
    top: 2,
    left: TIME_GRID.left,
    itemWidth: 14,
    itemHeight: 8,
    textStyle: { color: c.fg, fontSize: 10 },
  };
}

/** Lost-record spans of a trace (unreliable ranges) shaded on the time charts. */
export function lostMarkArea(
  spans: { cpu: number; lost: number; startNs: number; endNs: number }[],
  range: TimeRange,
  c: ChartColors,
) {
  const data = spans
    .filter((s) => s.endNs >= range.t0Ns && s.startNs <= range.t1Ns)
    .map((s) => [
      { xAxis: s.startNs, name: `lost ${s.lost} (pCPU ${s.cpu})` },
      { xAxis: Math.max(s.endNs, s.startNs + (range.t1Ns - range.t0Ns) / 1000) },
    ]);
  return {
    silent: true,
    itemStyle: { color: c.cursor, opacity: 0.18 },
    label: { show: data.length < 20, color: c.muted, fontSize: 9, position: 'insideTop' as const },
    data,
  };
}

/** The axis tooltip of the time line charts: integer values, the time under the pointer. */
export function timeTooltip(c: ChartColors) {
  const base = tooltipBase(c);
  return {
    ...base,
    valueFormatter: (v: number) => fmtInt(v),
    axisPointer: {
      ...base.axisPointer,
      label: { formatter: (p: { value: number }) => fmtNs(p.value) },
    },
  };
}

/** What `binPoints` needs of a binned series (`run.series`): its columns and their start times. */
export interface BinnedColumns {
  t0Ns: number;
  t1Ns: number;
  pixels: number;
  tNs: number[];
}

/**
 * A binned column series as line points [t, v], t at the middle of each column; with `log`,
 * values <= 0 become gaps (a log axis cannot show them).
 */
export function binPoints(s: BinnedColumns, log = false) {
  const half = (s.t1Ns - s.t0Ns) / s.pixels / 2;
  return (a: number[]) => a.map((v, i) => [s.tNs[i] + half, log && v <= 0 ? null : v]);
}

/** A data line of a time chart: no symbols, LTTB sampling, one colour. */
export function lineSeries(
  name: string,
  data: unknown[],
  color: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'line' as const,
    name,
    data,
    showSymbol: false,
    sampling: 'lttb' as const,
    lineStyle: { width: 1.5, color },
    itemStyle: { color },
    animation: false,
    ...extra,
  };
}

/** The bound as a dashed step line (it changes only when H or the online pCPUs change). */
export function boundSeries(
  name: string,
  data: unknown[],
  color: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'line' as const,
    name,
    data,
    showSymbol: false,
    step: 'end' as const,
    lineStyle: { width: 2, color, type: 'dashed' as const },
    itemStyle: { color },
    animation: false,
    ...extra,
  };
}

/**
 * The option of a line chart over time: the shared grid and time axis, a legend, the integer /
 * time tooltip, no animation; `legend` and `grid` patch the shared ones.
 */
export function timeLineOption(o: {
  c: ChartColors;
  range: TimeRange;
  yAxis: unknown;
  series: unknown[];
  legend?: Record<string, unknown>;
  grid?: Record<string, unknown>;
}) {
  return {
    animation: false,
    grid: { ...grid(), ...o.grid },
    legend: { ...legendBase(o.c), ...o.legend },
    tooltip: timeTooltip(o.c),
    xAxis: timeXAxis(o.range, o.c),
    yAxis: o.yAxis,
    series: o.series,
  };
}
