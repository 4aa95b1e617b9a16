/**
 * The heatmap's y axis (the Run view's and the report's): one row per pCPU, pCPU 0 at the top,
 * labels at whole rows only; `idOf` names a row (the report's sampled rows are not 0..n-1).
 */
import type { ChartColors } from './theme';
import { MONO } from './options';

export function pcpuYAxis(
  c: ChartColors,
  rows: number,
  name = 'pCPU',
  idOf: (row: number) => number = (row) => row,
) {
  return {
    type: 'value' as const,
    min: 0,
    max: rows,
    inverse: true,
    name,
    nameLocation: 'start' as const,
    nameTextStyle: { color: c.muted, fontSize: 10 },
    splitLine: { show: false },
    axisLine: { show: true, lineStyle: { color: c.grid } },
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      formatter: (v: number) => (Number.isInteger(v) && v < rows ? String(idOf(v)) : ''),
    },
  };
}
