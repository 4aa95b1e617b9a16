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

/** What the reconstruction found in a dump (an import's params, or a replay's `source`). */
export interface ReconstructionInfo {
  /** Domains the importer took as HVM (null: not a trace, or an importer without the field). */
  hvmDomains: number[] | null;
  /** Domains left out of the reconstruction (a PV dom0). */
  leftOut: number[] | null;
  /** Every domain the dump names (idle domain included). */
  domains: number[] | null;
  /** The dump's own time span, first to last TSC at cpu_hz (ns). */
  durationNs: number | null;
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

/** A decoding error the importer kept (params.errors): what came before it was imported. */
export interface DecodeErrorLike {
  offset: number;
  message: string;
}

/** The decoding errors saved with a trace import (a damaged dump); [] for an intact one. */
export function decodeErrors(params: unknown): DecodeErrorLike[] {
  const errors = find(params, ['errors']);
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (e): e is DecodeErrorLike =>
      !!e && typeof e === 'object' && typeof (e as DecodeErrorLike).message === 'string',
  );
}

const ints = (v: unknown): number[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;

/** The import's own record, or a replay's copy of its source's (`params.source`). */
export function reconstructionInfo(params: unknown): ReconstructionInfo {
  const p = (params ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const own = p.assumptions ? p : ((p.source as typeof p | undefined) ?? {});
  const a = (own.assumptions ?? {}) as Record<string, unknown>;
  const st = (own.stats ?? {}) as Record<string, unknown>;
  return {
    hvmDomains: ints(a.hvmDomains),
    leftOut: ints(a.leftOut),
    domains: ints(st.domains),
    durationNs: typeof st.durationNs === 'number' ? st.durationNs : null,
  };
}

/** True for a dump whose reconstruction found no HVM domain: no vCPU can use a PI list. */
export function hasNoHvmDomain(t: ReconstructionInfo | null): boolean {
  return !!t && t.hvmDomains !== null && t.hvmDomains.length === 0;
}
