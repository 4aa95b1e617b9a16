/**
 * Charts of a fitted workload (Setup → "Workload from a trace…"): each source vCPU's quantile
 * table drawn as its empirical CDF (boundary q[j] at probability j/32), one line per source vCPU,
 * on a log time axis. Pure functions of the fit and the theme colours.
 */
import type { FittedWorkload, QuantileTable } from '../../../shared/fitted-workload';
import { FIT_SLICES } from '../../../shared/fitted-workload';
import type { ChartColors } from './theme';
import { legendBase, tooltipBase } from './options';
import { fractionYAxis, logNsXAxis } from './cdf-axes';
import { fmtNs } from '../components/util/format';

export type FittedTableName = 'blockedNs' | 'runNs' | 'wakeToRunNs';

export const FITTED_TABLE_LABELS: Record<FittedTableName, string> = {
  blockedNs: 'blocked duration',
  runNs: 'run burst',
  wakeToRunNs: 'wake-to-run delay',
};

/** [ns, cumulative fraction] points of a table (zero-length durations drawn at 1 ns: log axis). */
export function tableCdf(t: QuantileTable): [number, number][] {
  if (t.n === 0) return [];
  return t.q.map((x, j) => [Math.max(1, x), j / FIT_SLICES]);
}

/**
 * One line per source vCPU that blocked in the dump and has samples, named d<dom>v<vcpu> (n =
 * samples). A vCPU that never blocked is not cycled by the generator: its lone censored span is
 * no burst to plot.
 */
export function fittedCdfSeries(fit: FittedWorkload, table: FittedTableName) {
  const out: { name: string; n: number; data: [number, number][] }[] = [];
  for (const d of fit.domains)
    for (const v of d.vcpus) {
      const t = v[table];
      if (v.blocks > 0 && t.n > 0)
        out.push({ name: `d${d.dom}v${v.vcpu}`, n: t.n, data: tableCdf(t) });
    }
  return out;
}

export function fittedCdfOption(fit: FittedWorkload, table: FittedTableName, c: ChartColors) {
  const lines = fittedCdfSeries(fit, table);
  if (lines.length === 0) return null;
  return {
    animation: false,
    color: c.series,
    grid: { left: 56, right: 20, top: 48, bottom: 44 },
    legend: {
      ...legendBase(c),
      top: 4,
      left: 'center',
      data: lines.map((l) => `${l.name} (n ${l.n})`),
    },
    tooltip: {
      ...tooltipBase(c),
      trigger: 'item',
      formatter: (p: { seriesName: string; value: [number, number] }) =>
        `${p.seriesName}<br/>${FITTED_TABLE_LABELS[table]} ≤ ${fmtNs(p.value[0])}: ${(p.value[1] * 100).toFixed(1)} %`,
    },
    xAxis: logNsXAxis(c, `${FITTED_TABLE_LABELS[table]} (log)`),
    yAxis: fractionYAxis(c),
    series: lines.map((l) => ({
      type: 'line',
      name: `${l.name} (n ${l.n})`,
      step: 'end',
      showSymbol: l.n < 40,
      symbolSize: 4,
      data: l.data,
    })),
  };
}

/** The CSV behind a chart: one row per (source vCPU, boundary). */
export function fittedCdfCsv(fit: FittedWorkload, table: FittedTableName): string {
  const rows = ['vcpu,samples,fraction,ns'];
  for (const l of fittedCdfSeries(fit, table))
    for (const [ns, f] of l.data) rows.push(`${l.name},${l.n},${f},${ns}`);
  return rows.join('\n') + '\n';
}
