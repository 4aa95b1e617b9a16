/**
 * Renders a run's report charts to PNG without showing them: an ECharts canvas in a detached,
 * off-screen element, no animation, white background (reports are read on white), then
 * `getDataURL`. Three charts, from the same channels the Run view uses:
 *  - `heatmap`: pCPU x time, colour = list length (per-column max), the bound on the scale;
 *  - `h-bound`: H(t), the bound and the longest list over time, online pCPUs on the right axis;
 *  - `walks`: histogram of entries walked per wakeup interrupt.
 */
import type { BinnedSeries, WalkReport } from '@shared/api';
import type { RunSummary } from '@shared/results';
import { invoke } from '../../api/bridge';
import { echarts, type EChartsOption } from './notebook-echarts';

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

const ms = (ns: number) => `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 0)} ms`;

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

export function heatmapOption(s: BinnedSeries, summary: RunSummary, title: string): EChartsOption {
  const data: [number, number, number][] = [];
  let max = 0;
  s.pcpus.forEach((_, row) => {
    const col = s.lenMax[row] ?? [];
    for (let c = 0; c < col.length; c++) {
      data.push([c, row, col[c]]);
      if (col[c] > max) max = col[c];
    }
  });
  const bound = summary.boundAtMax || summary.bound;
  return {
    title: { text: title, left: 8, textStyle: { color: LIGHT.fg, fontSize: 14 } },
    tooltip: {},
    grid: { left: 64, right: 96, top: 64, bottom: 40 },
    xAxis: {
      type: 'category',
      data: s.tNs.map(ms),
      axisLabel: { color: LIGHT.muted },
      name: 'time',
      nameLocation: 'middle',
      nameGap: 26,
    },
    yAxis: {
      type: 'category',
      data: s.pcpus.map(String),
      axisLabel: { color: LIGHT.muted },
      name: 'pCPU',
    },
    visualMap: {
      min: 0,
      max: Math.max(1, max, bound),
      calculable: false,
      right: 8,
      top: 'middle',
      itemHeight: 260,
      text: [`bound ${bound}`, '0'],
      textStyle: { color: LIGHT.fg },
      inRange: { color: ['#f1f5fe', '#8ab4f8', '#1a73e8', '#f9ab00', '#d93025'] },
    },
    series: [{ type: 'heatmap', data, progressive: 0 }],
  } as EChartsOption;
}

export function hBoundOption(s: BinnedSeries, title: string): EChartsOption {
  const x = s.tNs.map((t) => t / 1e6);
  const pair = (ys: number[]) => x.map((t, i) => [t, ys[i]]);
  const top = Math.max(0, ...s.h, ...s.bound, ...s.lenMaxAll);
  const maxOnline = Math.max(0, ...s.online);
  return {
    title: { text: title, left: 8, textStyle: { color: LIGHT.fg, fontSize: 14 } },
    legend: { top: 30, right: 72, textStyle: { color: LIGHT.fg } },
    grid: { left: 64, right: 72, top: 72, bottom: 40 },
    xAxis: {
      type: 'value',
      name: 'time (ms)',
      nameLocation: 'middle',
      nameGap: 26,
      splitLine: { lineStyle: { color: LIGHT.grid } },
      min: 'dataMin',
      max: 'dataMax',
      axisLabel: { color: LIGHT.muted, formatter: (v: number) => String(+v.toFixed(2)) },
    },
    yAxis: [
      {
        type: 'value',
        name: 'vCPUs / entries',
        min: 0,
        max: Math.max(1, Math.ceil(top * 1.1)),
        axisLabel: { color: LIGHT.muted },
        splitLine: { lineStyle: { color: LIGHT.grid } },
      },
      {
        // Twice the pCPU count, so the online line sits mid-height, clear of H at the top.
        type: 'value',
        name: 'online pCPUs',
        min: 0,
        max: Math.max(1, Math.ceil(maxOnline * 2)),
        axisLabel: { color: LIGHT.muted },
        splitLine: { show: false },
      },
    ],
    // The bound last, dashed, so it stays visible where the longest list runs along it.
    series: [
      {
        name: 'H',
        type: 'line',
        step: 'end',
        showSymbol: false,
        data: pair(s.h),
        color: LIGHT.series[0],
      },
      {
        name: 'longest list',
        type: 'line',
        showSymbol: false,
        data: pair(s.lenMaxAll),
        color: LIGHT.series[1],
        lineStyle: { width: 3 },
      },
      {
        name: 'online pCPUs',
        type: 'line',
        step: 'end',
        showSymbol: false,
        yAxisIndex: 1,
        data: pair(s.online),
        color: LIGHT.series[2],
      },
      {
        name: 'bound',
        type: 'line',
        step: 'end',
        showSymbol: false,
        data: pair(s.bound),
        color: LIGHT.bound,
        lineStyle: { type: 'dashed', width: 2 },
        z: 5,
      },
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
  const heatTitle = pcpus
    ? `List length per pCPU (the ${rows} pCPUs with the longest lists of ${summary.pcpus})`
    : 'List length per pCPU over time';
  return [
    {
      name: 'heatmap',
      title: heatTitle,
      pngBase64: await renderPng(
        heatmapOption(heat, summary, heatTitle),
        W,
        Math.min(900, Math.max(H, 120 + rows * 6)),
      ),
    },
    {
      name: 'h-bound',
      title: 'H, bound and the longest list over time',
      pngBase64: await renderPng(hBoundOption(lines, 'H, bound and the longest list over time')),
    },
    {
      name: 'walks',
      title: 'Entries walked per wakeup interrupt',
      pngBase64: await renderPng(walksOption(walks, 'Entries walked per wakeup interrupt')),
    },
  ];
}
