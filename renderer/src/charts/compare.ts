/** Pure logic of the Compare view: parameter diff and metric deltas. */
import type { RunSummary } from '../../../shared/results';
import { PolicyConfigSchema } from '../../../shared/params';

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

/** What the Compare view knows of a run to decide which parameters are worth showing. */
export interface CompareRun {
  id: number;
  kind: string;
  params: unknown;
  engineVersion: string | null;
  /** The run's policy as its summary reports it (an observed trace's is upstream Xen's). */
  summaryPolicy?: { policy: string; K: number } | null;
}

/**
 * Trace import bookkeeping (and a replay's copy of its source's): statistics and provenance of
 * the dump, not knobs of the experiment. Shown only under "show all".
 */
const BOOKKEEPING = ['assumptions', 'clock', 'stats', 'file', 'errors', 'source'];
const isBookkeeping = (key: string) =>
  BOOKKEEPING.some((b) => key === b || key.startsWith(`${b}.`));

const knobsOf = (v: unknown) =>
  Object.fromEntries(
    Object.entries(v && typeof v === 'object' ? (v as Record<string, unknown>) : {}).filter(
      ([k]) => !isBookkeeping(k),
    ),
  );

/**
 * One run's parameters as the comparison sees them: the stored params plus its kind and engine
 * version. A replay also shows its source trace's own options (cpu_hz, PI domains), as the
 * observed trace does; an observed trace (no policy of its own) runs upstream Xen's, with the
 * default knobs, so the policy row reads "upstream (observed)" beside the replay's.
 */
export function comparableParams(r: CompareRun): Record<string, unknown> {
  const p =
    r.params && typeof r.params === 'object' ? { ...(r.params as Record<string, unknown>) } : {};
  const replay = typeof p.replayOf === 'number';
  if (r.kind === 'trace' && !replay && !p.policy)
    p.policy = {
      ...PolicyConfigSchema.parse({ policy: 'upstream' }),
      policy: `${r.summaryPolicy?.policy ?? 'upstream'} (observed)`,
    };
  const own = replay ? { ...knobsOf(p.source), ...p } : p;
  return { kind: replay ? 'replay' : r.kind, ...own, engineVersion: r.engineVersion };
}

/**
 * The parameter rows worth reading: those that differ and are knobs (policy, workload, costs,
 * seed, ...), not trace bookkeeping; the replay link (`replayOf`) is said in the source line
 * instead, and with it the kinds (trace / replay). With `all`, every row.
 */
export function relevantParamRows(
  rows: ParamRow[],
  all: boolean,
  sharedSource = false,
): ParamRow[] {
  if (all) return rows;
  return rows.filter(
    (r) =>
      r.differs &&
      !isBookkeeping(r.key) &&
      r.key !== 'replayOf' &&
      !(sharedSource && r.key === 'kind'),
  );
}

/** Where a run's operations come from: its trace (by file hash when known) or its simulation. */
function sourceOf(r: CompareRun): { trace: number | null; sha: string | null } {
  const p = (r.params && typeof r.params === 'object' ? r.params : {}) as Record<string, unknown>;
  const replayOf = typeof p.replayOf === 'number' ? p.replayOf : null;
  const src = (replayOf !== null ? p.source : p) as Record<string, unknown> | undefined;
  const file = (src?.file ?? null) as { sha256?: unknown } | null;
  const sha = typeof file?.sha256 === 'string' ? file.sha256 : null;
  return { trace: replayOf ?? (r.kind === 'trace' ? r.id : null), sha };
}

/**
 * One line saying which runs share their input: a replay and its observed trace (or two replays
 * of one trace, or two imports of the same dump) share their source, so their bookkeeping rows
 * are the same values and are left out. Null when the runs do not share a trace.
 */
export function sharedSourceNote(runs: CompareRun[]): string | null {
  if (runs.length < 2 || runs.some((r) => sourceOf(r).trace === null)) return null;
  const src = runs.map(sourceOf);
  const same =
    src.every((s) => s.trace === src[0].trace) ||
    (src[0].sha !== null && src.every((s) => s.sha === src[0].sha));
  if (!same) return null;
  if (runs.every((r) => sourceOf(r).trace === r.id))
    return `${runs.map((r) => `#${r.id}`).join(', ')} are imports of the same dump: their source rows are the same values.`;
  const replays = runs.filter((r) => sourceOf(r).trace !== r.id);
  const observed = runs.find((r) => sourceOf(r).trace === r.id);
  const who = replays.map((r) => `#${r.id}`).join(', ');
  const lead = observed
    ? `${who} ${replays.length > 1 ? 'replay' : 'replays'} the observed trace #${observed.id}`
    : `${who} replay the same trace #${src[0].trace}`;
  return `${lead}: they share their source (file, clock, assumptions, statistics), so only the policy differs.`;
}
