/**
 * Renders a run's report charts to PNG without showing them: an ECharts canvas in a detached,
 * off-screen element, no animation, white background (reports are read on white), then
 * `getDataURL`. Three charts, from the same channels the Run view uses:
 *  - `heatmap`: the Run view's heatmap (pCPU 0 at the top, its time axis and colour scale);
 *  - `h-bound`: the Run view's two panels (H, the bound and the longest list; online pCPUs);
 *  - `walks`: histogram of entries walked per wakeup interrupt.
 */
import type { BinnedSeries, WalkReport } from '@shared/api';
import type { RunSummary } from '@shared/results';
import { invoke } from '../../api/bridge';
import { echarts, type EChartsOption } from './notebook-echarts';
import { TIME_GRID } from '../../charts/echarts';
import { toCanvas } from '../../charts/canvas';
import { pcpuYAxis } from '../../charts/pcpu-axis';
import type { ChartColors } from '../../charts/theme';
import {
  colorBarPixels,
  heatmapPixels,
  MIN_LEVEL,
  MIN_MARK_PX,
  scalePos,
} from '../../charts/heatmap';
import { binPoints, compactInt, lineSeries, MONO, timeXAxis } from '../../charts/options';
import { systemOption, wantsLog } from '../../charts/system';

export interface RenderedChart {
  name: string;
  title: string;
  pngBase64: string;
}

const LIGHT = {
  fg: '#1d1f23',
  muted: '#5f6368',
  grid: '#e3e5e8',
  bound: '#d93025',
  series: ['#1a73e8', '#e8710a', '#188038', '#9334e6', '#c5221f', '#12b5cb'],
};
const W = 1000;
const H = 420;
/** Heatmap cells at most (pCPUs x columns) so a 4096-pCPU run still renders quickly. */
const MAX_CELLS = 240_000;
const MAX_HEAT_PCPUS = 256;

/** Renders one option to PNG base64 (no data: prefix). */
export async function renderPng(option: EChartsOption, width = W, height = H): Promise<string> {
  const el = document.createElement('div');
  el.style.cssText = `position:fixed;left:-20000px;top:0;width:${width}px;height:${height}px;`;
  document.body.appendChild(el);
  const chart = echarts.init(el, undefined, { renderer: 'canvas', width, height });
  try {
    await new Promise<void>((resolve) => {
      chart.on('finished', () => resolve());
      chart.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
      setTimeout(resolve, 2000); // 'finished' never fires for an empty option
    });
    const url = chart.getDataURL({ type: 'png', pixelRatio: 1.5, backgroundColor: '#ffffff' });
    return url.slice(url.indexOf(',') + 1);
  } finally {
    // ECharts marks heatmap cells incremental (even with `progressive: 0`), so zrender may still
    // be painting them frame by frame after 'finished'; disposing then makes its next frame throw
    // ("reading 'layerStack'"). clear() repaints synchronously with nothing, ending that paint.
    chart.clear();
    chart.dispose();
    el.remove();
  }
}

/**
 * The report's colours: the app's light theme (reports are read on white, whatever the app's
 * theme), with the app's palette.
 */
export function reportColors(): ChartColors {
  return {
    dark: false,
    fg: LIGHT.fg,
    muted: LIGHT.muted,
    bg: '#ffffff',
    grid: LIGHT.grid,
    accent: '#1a66cc',
    bound: LIGHT.bound,
    danger: LIGHT.bound,
    ok: '#1e8e3e',
    cursor: '#e37400',
    series: [
      '#1a66cc',
      '#1e8e3e',
      '#8e24aa',
      '#b06000',
      '#0097a7',
      '#c2185b',
      '#558b2f',
      '#5d4037',
    ],
  };
}

/** Plot margins of the report charts: the Run view's time grid below a title. */
const REPORT_GRID = { left: TIME_GRID.left, right: 120, top: 56, bottom: 36 };

/**
 * The Run view's heatmap for a report: the same image (charts/heatmap.ts: per-pixel max,
 * cold / hot ramps split at the bound, log colour scale), pCPU 0 at the top, the Run view's time
 * axis (regular ticks), and its colour bar with the bound marked.
 */
export function heatmapOption(
  s: BinnedSeries,
  summary: RunSummary,
  title: string,
  width = W,
  height = H,
): EChartsOption {
  const c = reportColors();
  const w = width - REPORT_GRID.left - REPORT_GRID.right;
  const h = height - REPORT_GRID.top - REPORT_GRID.bottom;
  let maxLen = 1;
  for (const row of s.lenMax) for (const v of row) if (v > maxLen) maxLen = v;
  const bound = Math.max(0, ...s.boundMin);
  maxLen = Math.max(maxLen, bound);
  const img = toCanvas(
    heatmapPixels({
      lenMax: s.lenMax,
      bound: s.boundMin,
      width: w,
      height: h,
      maxLen,
      log: true,
      dark: false,
      minMarkPx: MIN_MARK_PX,
      minLevel: MIN_LEVEL,
    }),
    w,
    h,
  );
  const barW = 12;
  const bar = toCanvas(colorBarPixels(barW, h, maxLen, bound, true, false, MIN_LEVEL), barW, h);
  const barX = REPORT_GRID.left + w + 14;
  const by = REPORT_GRID.top + h * (1 - scalePos(bound, maxLen, true));
  const text = (x: number, y: number, t: string, color = c.muted) => ({
    type: 'text',
    left: x,
    top: y,
    silent: true,
    style: { text: t, fill: color, font: `11px ${MONO}` },
  });
  const rows = s.pcpus.length;
  const sampled = rows < summary.pcpus;
  return {
    title: { text: title, left: 8, textStyle: { color: c.fg, fontSize: 14 } },
    grid: { ...REPORT_GRID, containLabel: false },
    xAxis: timeXAxis({ t0Ns: s.t0Ns, t1Ns: s.t1Ns }, c),
    yAxis: pcpuYAxis(c, rows, sampled ? 'row (pCPUs by id)' : 'pCPU', (v) => s.pcpus[v]),
    series: [{ type: 'line', data: [], silent: true }],
    graphic: [
      {
        type: 'image',
        left: REPORT_GRID.left,
        top: REPORT_GRID.top,
        silent: true,
        z: -10,
        style: { image: img, width: w, height: h },
      },
      {
        type: 'image',
        left: barX,
        top: REPORT_GRID.top,
        silent: true,
        style: { image: bar, width: barW, height: h },
      },
      text(barX - 4, REPORT_GRID.top - 16, compactInt(maxLen)),
      text(barX + barW + 4, REPORT_GRID.top + h - 10, '0'),
      {
        type: 'line',
        silent: true,
        shape: { x1: barX - 4, y1: by, x2: barX + barW + 4, y2: by },
        style: { stroke: c.bound, lineWidth: 2 },
      },
      text(barX + barW + 4, by - 6, `bound ${compactInt(bound)}`, c.bound),
      text(barX - 2, REPORT_GRID.top + h + 18, 'log'),
    ],
  } as EChartsOption;
}

/**
 * The Run view's H / bound / online-pCPUs panels (charts/system.ts) for a report, with the
 * longest list (all pCPUs) on the upper panel.
 */
export function hBoundOption(s: BinnedSeries, title: string, height = H): EChartsOption {
  const c = reportColors();
  const o = systemOption({
    s,
    range: { t0Ns: s.t0Ns, t1Ns: s.t1Ns },
    c,
    height,
    log: wantsLog(s) || Math.max(0, ...s.lenMaxAll) > 50 * Math.max(1, Math.min(...s.boundMin)),
  });
  const log = (o.yAxis[0] as { type: string }).type === 'log';
  return {
    ...o,
    title: { text: title, left: 8, textStyle: { color: c.fg, fontSize: 14 } },
    legend: { ...o.legend, top: 30 },
    grid: o.grid.map((g, i) => (i === 0 ? { ...g, top: g.top + 28, height: g.height - 28 } : g)),
    series: [
      ...o.series,
      lineSeries('longest list (all pCPUs)', binPoints(s, log)(s.lenMaxAll), c.series[3], {
        z: 4,
      }),
    ],
  } as EChartsOption;
}

export function walksOption(w: WalkReport, title: string): EChartsOption {
  return {
    title: { text: title, left: 8, textStyle: { color: LIGHT.fg, fontSize: 14 } },
    tooltip: {},
    grid: { left: 72, right: 32, top: 72, bottom: 44 },
    // A value axis: the histogram is sparse (absent lengths are not drawn as adjacent bars).
    xAxis: {
      type: 'value',
      minInterval: 1,
      name: 'entries walked per wakeup interrupt',
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { color: LIGHT.muted },
    },
    yAxis: {
      type: 'value',
      name: 'interrupts',
      axisLabel: { color: LIGHT.muted },
      splitLine: { lineStyle: { color: LIGHT.grid } },
    },
    series: [
      {
        type: 'bar',
        data: w.entries.values.map((v, i) => [v, w.entries.counts[i]]),
        color: LIGHT.series[0],
        barMaxWidth: 24,
      },
    ],
  } as EChartsOption;
}

/** Fetches what the three report charts need and renders them. */
export async function renderRunCharts(experimentId: number): Promise<RenderedChart[]> {
  const { summary } = await invoke('run.summary', { experimentId });
  let pcpus: number[] | undefined;
  if (summary.pcpus > MAX_HEAT_PCPUS)
    pcpus = [...summary.perPcpu]
      .sort((a, b) => b.maxLength - a.maxLength || a.pcpu - b.pcpu)
      .slice(0, MAX_HEAT_PCPUS)
      .map((p) => p.pcpu)
      .sort((a, b) => a - b);
  const rows = pcpus?.length ?? summary.pcpus;
  const pixels = Math.max(40, Math.min(400, Math.floor(MAX_CELLS / Math.max(1, rows))));
  const heat = await invoke('run.series', { experimentId, pixels, pcpus, fields: ['lenMax'] });
  const lines = await invoke('run.series', { experimentId, pixels: 600, pcpus: [], fields: [] });
  const walks = await invoke('run.walks', { experimentId });
  const heatH = Math.min(900, Math.max(H, 120 + rows * 6));
  const heatTitle = pcpus
    ? `List length per pCPU (the ${rows} pCPUs with the longest lists of ${summary.pcpus})`
    : 'List length per pCPU over time';
  return [
    {
      name: 'heatmap',
      title: heatTitle,
      pngBase64: await renderPng(heatmapOption(heat, summary, heatTitle, W, heatH), W, heatH),
    },
    {
      name: 'h-bound',
      title: 'H, bound and the longest list over time',
      pngBase64: await renderPng(
        hBoundOption(lines, 'H, bound and the longest list over time', 460),
        W,
        460,
      ),
    },
    {
      name: 'walks',
      title: 'Entries walked per wakeup interrupt',
      pngBase64: await renderPng(walksOption(walks, 'Entries walked per wakeup interrupt')),
    },
  ];
}
