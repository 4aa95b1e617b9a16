/** Trace provenance from an experiment's params, whatever the importer nested it under. */
export interface LostSpanLike {
  cpu: number;
  lost: number;
  startNs: number;
  endNs: number;
}

export interface TraceInfo {
  cpuHz: number | null;
  cpuHzSource: string | null;
  lostSpans: LostSpanLike[] | null;
  recordsLost: number | null;
}

function find(o: unknown, keys: string[], depth = 0): unknown {
  if (!o || typeof o !== 'object' || depth > 3) return undefined;
  const rec = o as Record<string, unknown>;
  for (const k of keys) if (rec[k] !== undefined && rec[k] !== null) return rec[k];
  for (const v of Object.values(rec)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const f = find(v, keys, depth + 1);
      if (f !== undefined) return f;
    }
  }
  return undefined;
}

export function traceInfo(params: unknown): TraceInfo {
  const hz = find(params, ['cpuHz', 'cpu_hz']);
  const src = find(params, ['cpuHzSource', 'cpu_hz_source', 'clockSource']);
  const spans = find(params, ['lostSpans', 'lost_spans']);
  const lost = find(params, ['recordsLost', 'lostRecords']);
  return {
    cpuHz: typeof hz === 'number' ? hz : null,
    cpuHzSource: typeof src === 'string' ? src : null,
    lostSpans: Array.isArray(spans) ? (spans as LostSpanLike[]) : null,
    recordsLost: typeof lost === 'number' ? lost : null,
  };
}
