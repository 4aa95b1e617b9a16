/**
 * The recommendation's chart (issue 14 item 2): every (K, policy) configuration at its medians
 * over seeds, the Pareto front as a line, the chosen point marked, and the targets on the two
 * axes as dashed lines (the acceptable region is below / left of them for `<=` targets).
 */
import { parseTarget, type RecommendAnswer } from '../../../shared/recommend';
import { MONO, tooltipBase } from './options';
import type { ChartColors } from './theme';
import { toCsv } from './csv';

const label = (K: number, policy: string) => `K=${K} ${policy}`;

function pad(v: { min: number; max: number }, side: -1 | 1): number {
  const span = v.max - v.min || Math.abs(v.max) || 1;
  const r = (side < 0 ? v.min : v.max) + side * span * 0.08;
  return Number(r.toPrecision(3));
}

const OPS: Record<string, string> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

/** The line a target draws on `metric` (its value, a short label), or null when none names it. */
function targetOn(a: RecommendAnswer, metric: string): { value: number; name: string } | null {
  const t = a.targets.map(parseTarget).find((x) => x.metric === metric);
  return t ? { value: t.value, name: `${OPS[t.op]} ${t.value}` } : null;
}

export function frontOption(a: RecommendAnswer, c: ChartColors) {
  const [ax, ay] = a.frontAxes;
  const med = (p: RecommendAnswer['points'][number]) => [p.spread[ax].median, p.spread[ay].median];
  const chosen = a.chosen
    ? a.points.find((p) => p.K === a.chosen!.K && p.policy === a.chosen!.policy)
    : undefined;
  const tx = targetOn(a, ax);
  const ty = targetOn(a, ay);
  /** The data's extent, widened to the axis's target so its line is always drawn. */
  const withTarget = (v: { min: number; max: number }, t: { value: number } | null) =>
    t === null ? v : { min: Math.min(v.min, t.value), max: Math.max(v.max, t.value) };
  const axis = (name: string, target: { value: number } | null) => ({
    type: 'value' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: 30,
    // 8 % margin each side so points on the extremes are not drawn on the axes.
    min: (v: { min: number; max: number }) => pad(withTarget(v, target), -1),
    max: (v: { min: number; max: number }) => pad(withTarget(v, target), 1),
    nameTextStyle: { color: c.muted, fontSize: 11 },
    // The padded ends are not round numbers: no label there.
    axisLabel: {
      color: c.muted,
      fontFamily: MONO,
      fontSize: 10,
      showMinLabel: false,
      showMaxLabel: false,
    },
    splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } },
  });
  return {
    animation: false,
    grid: { left: 72, right: 32, top: 36, bottom: 48 },
    legend: { top: 4, textStyle: { color: c.fg, fontSize: 11 } },
    tooltip: {
      ...tooltipBase(c),
      trigger: 'item' as const,
      formatter: (p: { data: { value: number[]; name: string } }) =>
        `${p.data.name}<br/>${ax} ${p.data.value[0]}<br/>${ay} ${p.data.value[1]}`,
    },
    xAxis: { ...axis(`${ax} (median over seeds)`, tx), nameGap: 28 },
    yAxis: { ...axis(`${ay} (median over seeds)`, ty), nameGap: 52 },
    series: [
      {
        type: 'scatter',
        name: 'K × policy',
        symbolSize: 8,
        itemStyle: { color: c.muted },
        data: a.points.map((p) => ({
          value: med(p),
          name: `${label(p.K, p.policy)} (${p.passedSeeds}/${p.seeds.length} seeds pass)`,
        })),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: c.cursor, type: 'dashed' as const },
          label: {
            color: c.cursor,
            fontSize: 10,
            formatter: '{b}',
            position: 'insideEndTop' as const,
          },
          data: [
            ...(tx !== null ? [{ xAxis: tx.value, name: `target ${tx.name}` }] : []),
            ...(ty !== null ? [{ yAxis: ty.value, name: `target ${ty.name}` }] : []),
          ],
        },
      },
      {
        type: 'line',
        name: 'Pareto front',
        symbolSize: 7,
        lineStyle: { color: c.accent, width: 2 },
        itemStyle: { color: c.accent },
        label: {
          show: true,
          position: 'top' as const,
          color: c.fg,
          fontSize: 10,
          formatter: (p: { data: { name: string } }) => p.data.name,
        },
        labelLayout: { hideOverlap: true },
        // The chosen point carries its own label (below); no second one on the front.
        data: a.front.map((f) => ({
          value: [f.x, f.y],
          name: label(f.K, f.policy),
          ...(a.chosen?.K === f.K && a.chosen.policy === f.policy && { label: { show: false } }),
        })),
      },
      {
        type: 'scatter',
        name: 'recommended',
        symbol: 'diamond',
        symbolSize: 18,
        z: 10,
        itemStyle: { color: c.danger, borderColor: c.bg, borderWidth: 1 },
        label: {
          show: true,
          // Above: the front line runs through the point left and right of it.
          position: 'top' as const,
          distance: 10,
          color: c.danger,
          fontWeight: 'bold' as const,
          fontSize: 11,
          formatter: (p: { data: { name: string } }) => p.data.name,
        },
        data: chosen ? [{ value: med(chosen), name: label(chosen.K, chosen.policy) }] : [],
      },
    ],
  };
}

/** Every configuration with its spread over seeds, one row each. */
export function recommendCsv(a: RecommendAnswer): string {
  const metrics = Object.keys(a.points[0]?.spread ?? {});
  return toCsv(
    [
      'K',
      'policy',
      'passed_seeds',
      'seeds',
      ...metrics.flatMap((m) => [`${m}_min`, `${m}_median`, `${m}_max`]),
    ],
    a.points.map((p) => [
      p.K,
      p.policy,
      p.passedSeeds,
      p.seeds.length,
      ...metrics.flatMap((m) => [p.spread[m].min, p.spread[m].median, p.spread[m].max]),
    ]),
  );
}
