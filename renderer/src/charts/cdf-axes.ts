/**
 * The axes of a walk-time CDF chart (the Run view's, the Compare view's): walk time on an axis
 * fitted to the data (`fitAxis`: linear within a decade, else log; no end labels, which would
 * print on the ticks next to them), the fraction of interrupts 0..100 % on y.
 */
import type { ChartColors } from './theme';
import type { FittedAxis } from './walks';
import { MONO } from './options';
import { fmtNs } from '../components/util/format';

export function cdfAxes(c: ChartColors, ax: FittedAxis, yName: Record<string, unknown>) {
  const label = { color: c.muted, fontFamily: MONO, fontSize: 10 };
  return {
    xAxis: {
      type: ax.type,
      min: ax.min,
      max: ax.max,
      name: `walk time per wakeup interrupt${ax.type === 'log' ? ' (log)' : ''}`,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: c.muted, fontSize: 10 },
      axisLabel: {
        ...label,
        hideOverlap: true,
        showMinLabel: false,
        showMaxLabel: false,
        formatter: (v: number) => fmtNs(v),
      },
      splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      nameTextStyle: { color: c.muted, fontSize: 10 },
      ...yName,
      axisLabel: { ...label, formatter: (v: number) => `${+(v * 100).toFixed(0)}%` },
      splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
    },
  };
}

/** A log time axis (ns) for the fitted-workload CDFs (Setup → Workload from a trace). */
export function logNsXAxis(c: ChartColors, name: string) {
  return {
    type: 'log',
    name,
    nameLocation: 'middle',
    nameGap: 28,
    nameTextStyle: { color: c.muted, fontSize: 10 },
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      formatter: (v: number) => fmtNs(v),
    },
    splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
  };
}

export function fractionYAxis(c: ChartColors) {
  return {
    type: 'value',
    min: 0,
    max: 1,
    name: 'fraction ≤',
    nameTextStyle: { color: c.muted, fontSize: 10, align: 'left' },
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      formatter: (v: number) => `${v * 100}%`,
    },
    splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
  };
}
