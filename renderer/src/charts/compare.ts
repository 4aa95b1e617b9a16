/** Pure logic of the Compare view: parameter diff and metric deltas. */
import type { RunSummary } from '../../../shared/results';

/** {a: {b: 1}, c: [1, 2]} -> {"a.b": "1", "c": "[1,2]"} (arrays of scalars stay one cell). */
export function flattenParams(v: unknown, prefix = '', out: Record<string, string> = {}) {
  if (v === null || v === undefined) {
    if (prefix) out[prefix] = v === null ? 'null' : '—';
    return out;
  }
  if (Array.isArray(v)) {
    out[prefix] = JSON.stringify(v);
    return out;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v as Record<string, unknown>).sort();
    if (keys.length === 0 && prefix) out[prefix] = '{}';
    for (const k of keys)
      flattenParams((v as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out[prefix] = String(v);
  return out;
}

export interface ParamRow {
  key: string;
  values: string[];
  differs: boolean;
}

export function diffParams(params: unknown[]): ParamRow[] {
  const flat = params.map((p) => flattenParams(p));
  const keys = new Set<string>();
  for (const f of flat) for (const k of Object.keys(f)) keys.add(k);
  return [...keys].sort().map((key) => {
    const values = flat.map((f) => f[key] ?? '—');
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

export interface MetricDef {
  key: string;
  label: string;
  unit: 'count' | 'ns' | 'entries';
  get: (s: RunSummary) => number | null | undefined;
}

export const METRICS: MetricDef[] = [
  { key: 'maxListLength', label: 'max list length', unit: 'entries', get: (s) => s.maxListLength },
  { key: 'boundAtMax', label: 'bound at max', unit: 'entries', get: (s) => s.boundAtMax },
  { key: 'H', label: 'H (HVM vCPUs, end)', unit: 'count', get: (s) => s.H },
  { key: 'onlinePcpus', label: 'online pCPUs (end)', unit: 'count', get: (s) => s.onlinePcpus },
  { key: 'bound', label: 'bound (end)', unit: 'entries', get: (s) => s.bound },
  {
    key: 'wakeupInterrupts',
    label: 'wakeup interrupts',
    unit: 'count',
    get: (s) => s.wakeupInterrupts,
  },
  { key: 'walked', label: 'entries walked, total', unit: 'entries', get: (s) => s.walked },
  {
    key: 'walkMean',
    label: 'entries walked, mean',
    unit: 'entries',
    get: (s) => s.walkStats?.mean,
  },
  { key: 'walkP99', label: 'entries walked, p99', unit: 'entries', get: (s) => s.walkStats?.p99 },
  { key: 'walkMax', label: 'entries walked, max', unit: 'entries', get: (s) => s.walkStats?.max },
  { key: 'walkTimeP99', label: 'walk time, p99', unit: 'ns', get: (s) => s.walkTimeNsStats?.p99 },
  { key: 'walkTimeMax', label: 'walk time, worst', unit: 'ns', get: (s) => s.walkTimeNsStats?.max },
  {
    key: 'remotePlacements',
    label: 'remote placements',
    unit: 'count',
    get: (s) => s.remotePlacements,
  },
  { key: 'fixupMoves', label: 'fix-up moves', unit: 'count', get: (s) => s.fixupMoves },
  {
    key: 'overBoundInsertions',
    label: 'insertions over the bound',
    unit: 'count',
    get: (s) => s.overBoundInsertions,
  },
  // Lists left above the bound in force when it fell (absent in runs saved before these figures).
  {
    key: 'aboveBoundPcpuNs',
    label: 'time above the bound (pCPU-time)',
    unit: 'ns',
    get: (s) => s.aboveBoundPcpuNs,
  },
  {
    key: 'aboveBoundEntryNs',
    label: 'entries above the bound × time',
    unit: 'ns',
    get: (s) => s.aboveBoundEntryNs,
  },
  {
    key: 'aboveBoundMaxExcess',
    label: 'max entries above the bound',
    unit: 'entries',
    get: (s) => s.aboveBoundMaxExcess,
  },
  {
    key: 'aboveBoundSteps',
    label: 'operations with a list above the bound',
    unit: 'count',
    get: (s) => s.aboveBoundSteps,
  },
  {
    key: 'boundOverflows',
    label: 'bound overflows (K = 0)',
    unit: 'count',
    get: (s) => s.boundOverflows,
  },
  { key: 'anomalies', label: 'anomalies', unit: 'count', get: (s) => s.anomalies },
  { key: 'operations', label: 'operations', unit: 'count', get: (s) => s.operations },
];

export interface Delta {
  abs: number | null;
  /** Relative to the baseline, in percent; null when the baseline is 0 or missing. */
  pct: number | null;
}

export function delta(base: number | null | undefined, v: number | null | undefined): Delta {
  if (base === null || base === undefined || v === null || v === undefined)
    return { abs: null, pct: null };
  const abs = v - base;
  return { abs, pct: base === 0 ? (abs === 0 ? 0 : null) : (abs / Math.abs(base)) * 100 };
}

export interface MetricRow {
  def: MetricDef;
  values: (number | null)[];
  /** deltas[i] compares run i with run 0 (deltas[0] is zero). */
  deltas: Delta[];
}

export function metricRows(summaries: (RunSummary | null)[]): MetricRow[] {
  return METRICS.map((def) => {
    const values = summaries.map((s) => (s ? (def.get(s) ?? null) : null));
    return { def, values, deltas: values.map((v) => delta(values[0], v)) };
  });
}

export function fmtDeltaPct(d: Delta): string {
  if (d.pct === null) return d.abs === null ? '—' : 'n/a';
  const s = d.pct >= 0 ? '+' : '−';
  const a = Math.abs(d.pct);
  return `${s}${a >= 100 ? a.toFixed(0) : a.toFixed(1)} %`;
}
