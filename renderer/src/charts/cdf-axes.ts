/** The axes of a CDF chart: a log time axis (ns) and the fraction 0..1 (walk times, fitted tables). */
import type { ChartColors } from './theme';
import { MONO } from './options';
import { fmtNs } from '../components/util/format';

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
