/**
 * What the Run view's time chart panels (heatmap, H / bound, top-N lists) share: the props the
 * Run view passes every one of them and the navigation events they send back.
 */
import type { BinnedSeries } from '@shared/api';
import type { Annotation } from '@shared/model';
import type { TimeRange } from '../../charts/timeNav';
import type { LostSpanLike } from './traceInfo';

export interface TimePanelProps {
  series: BinnedSeries | null;
  range: TimeRange | null;
  cursorNs: number | null;
  /** The selected range (shaded) and whether plain drags select (the "Select" toggle). */
  selection?: TimeRange | null;
  selectMode?: boolean;
  annotations: Annotation[];
  /** Lost-record spans (traces), shaded. */
  lost?: LostSpanLike[];
  /** true, or what is being loaded (shown over the chart). */
  loading: boolean | string;
  error: string | null;
  /** File name stem of the PNG / CSV exports (the panel appends what it shows). */
  fileBase: string;
}

/** What a panel passes on to its chart for time navigation and state (`v-bind`). */
export function chartNav(p: TimePanelProps) {
  return {
    range: p.range,
    cursorNs: p.cursorNs,
    selection: p.selection ?? null,
    selectMode: p.selectMode ?? false,
    loading: p.loading,
    error: p.error,
  };
}

/** Time navigation on a panel: new visible range, new selection, cursor moved. */
export interface TimePanelEmits {
  range: [r: TimeRange];
  select: [r: TimeRange];
  cursor: [t: number];
}
