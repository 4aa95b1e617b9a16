/**
 * Where a fit's op stream comes from: a dump imported now, or a `trace` experiment of the notebook
 * (its stored ops and import params). Both end in fitWorkload (fit-workload.ts).
 */
import type { Store } from '../store/store';
import type { FittedWorkload } from '../../shared/fitted-workload';
import { fitWorkload } from './fit-workload';
import { OP_SERIES_NAMES, opsFromSeries } from './op-columns';
import type { DomainSeen } from './domains-seen';
import type { TraceImport } from './index';

/** The fit of an import made now (a file: no experiment id). */
export function fitImport(imp: TraceImport, experimentId: number | null = null): FittedWorkload {
  return fitWorkload(imp.ops, {
    file: imp.file,
    experimentId,
    pcpus: imp.result.summary.pcpus,
    spanNs: imp.stats.durationNs,
    cpuHz: imp.clock.cpuHz,
    wakeAs: imp.assumptions.wakeAs,
    domainsSeen: imp.domains,
  });
}

/** What a stored trace experiment's params hold that the fit reads (saved by `import --save`). */
interface StoredTraceParams {
  file?: { name: string; bytes: number; sha256: string };
  cpuHz?: number;
  assumptions?: { wakeAs?: 'post' | 'wake' };
  domainsSeen?: DomainSeen[];
  stats?: { durationNs?: number };
}

/** The fit of trace experiment `id`; throws a sentence naming what is missing. */
export function fitStoredTrace(store: Store, id: number): FittedWorkload {
  const e = store.getExperiment(id);
  if (e.kind !== 'trace')
    throw new Error(`experiment ${id} is a ${e.kind}, not an imported dump (a trace experiment)`);
  const p = (e.params ?? {}) as StoredTraceParams;
  const ops = opsFromSeries(store.loadSeries(id, [...OP_SERIES_NAMES]));
  if (!ops) throw new Error(`experiment ${id} has no stored op stream to fit`);
  if (!p.file?.sha256 || !e.summary)
    throw new Error(`experiment ${id} lacks the dump's sha256 or its result`);
  return fitWorkload(ops, {
    file: p.file,
    experimentId: id,
    pcpus: e.summary.pcpus,
    spanNs: p.stats?.durationNs ?? e.summary.endNs,
    cpuHz: p.cpuHz ?? 2.4e9,
    wakeAs: p.assumptions?.wakeAs ?? 'post',
    domainsSeen: p.domainsSeen ?? [],
  });
}

/** What a saved run names of its dump and fit (the fit itself is in `traceWorkload.fit`). */
export function traceWorkloadProvenance(fit: FittedWorkload) {
  return {
    source: 'trace-workload' as const,
    dump: { file: fit.source.file, bytes: fit.source.bytes, sha256: fit.source.sha256 },
    experimentId: fit.source.experimentId,
    fitVersion: fit.version,
    domains: fit.domains.length,
    vcpus: fit.domains.reduce((n, d) => n + d.vcpus.length, 0),
  };
}
