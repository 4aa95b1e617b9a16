/**
 * A checker for the Chrome JSON trace-event format (the "JSON Object Format" of the Trace Event
 * Format document, which ui.perfetto.dev and chrome://tracing read): returns the violations.
 */
const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'M', 'b', 'e', 'n', 's', 't', 'f', 'P']);
const METADATA = new Set([
  'process_name',
  'process_labels',
  'process_sort_index',
  'thread_name',
  'thread_sort_index',
]);

export interface TraceEvent {
  name: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: Record<string, unknown>;
}

export function traceEventViolations(doc: unknown): string[] {
  const bad: string[] = [];
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['not a JSON object'];
  const d = doc as { traceEvents?: unknown; displayTimeUnit?: unknown; otherData?: unknown };
  if (!Array.isArray(d.traceEvents)) return ['traceEvents is not an array'];
  if (d.displayTimeUnit !== undefined && d.displayTimeUnit !== 'ms' && d.displayTimeUnit !== 'ns')
    bad.push(`displayTimeUnit ${String(d.displayTimeUnit)}`);
  if (d.otherData !== undefined && (typeof d.otherData !== 'object' || d.otherData === null))
    bad.push('otherData is not an object');
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  (d.traceEvents as unknown[]).forEach((raw, i) => {
    const e = raw as Partial<TraceEvent>;
    const at = `event ${i} (${JSON.stringify(raw).slice(0, 80)})`;
    if (typeof e.name !== 'string' || !e.name) bad.push(`${at}: no name`);
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) bad.push(`${at}: phase ${String(e.ph)}`);
    if (!isInt(e.pid) || !isInt(e.tid)) bad.push(`${at}: pid/tid not integers`);
    if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null))
      bad.push(`${at}: args not an object`);
    if (e.ph === 'M') {
      if (!METADATA.has(e.name ?? '')) bad.push(`${at}: unknown metadata ${e.name}`);
      const a = e.args ?? {};
      if (e.name?.endsWith('_name') && typeof a.name !== 'string')
        bad.push(`${at}: ${e.name} without args.name`);
      if (e.name?.endsWith('_sort_index') && !isInt(a.sort_index))
        bad.push(`${at}: ${e.name} without integer args.sort_index`);
      return;
    }
    if (!isTime(e.ts)) bad.push(`${at}: ts not a time`);
    if (e.ph === 'X' && !isTime(e.dur)) bad.push(`${at}: complete event without dur`);
    if (e.ph === 'C') {
      const vals = Object.values(e.args ?? {});
      if (vals.length === 0 || !vals.every((v) => typeof v === 'number' && Number.isFinite(v)))
        bad.push(`${at}: counter without numeric args`);
    }
  });
  return bad;
}
