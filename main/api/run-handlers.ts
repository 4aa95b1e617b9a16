import { DEFAULT_COSTS, type CostModel } from '../../shared/results';
import { domainsAt, lengthsAt, listAt, listFrom, stateAt } from '../engine';
import { lengthOfList, lengthsFromIndex } from '../store/lengths-index';
import type { Handlers } from './dispatch';
import type { RunCache } from './run-cache';
import { rangeStats } from './range-stats';
import { binSeries, seriesCsv } from './run-series';

type RunChannels =
  | 'run.summary'
  | 'run.series'
  | 'run.lengthsAt'
  | 'run.listAt'
  | 'run.domainsAt'
  | 'run.walks'
  | 'run.seriesCsv'
  | 'run.rangeStats';

export function runHandlers(runs: RunCache): Pick<Handlers, RunChannels> {
  return {
    'run.summary': ({ experimentId }) => {
      const run = runs.get(experimentId);
      return { summary: run.summary, timeline: run.timeline };
    },
    'run.series': ({ experimentId, ...req }) => binSeries(runs.get(experimentId), req),
    'run.lengthsAt': ({ experimentId, tNs }) => {
      const run = runs.get(experimentId);
      // The save-time index reads a few chunks; without one (runs saved before schema 4) the
      // residency log is read and indexed on this first query.
      const ix = runs.lengthsIndex(experimentId);
      if (!ix) return { tNs, ...lengthsAt(run, tNs) };
      const state = stateAt(run, tNs);
      return { tNs, lengths: lengthsFromIndex(ix, run.summary.pcpus, tNs), ...state };
    },
    'run.listAt': ({ experimentId, tNs, pcpu, offset, limit, search }) => {
      const run = runs.get(experimentId);
      // Without a search, the saved index gives the list's length: the scan stops after the
      // requested rows instead of counting the rest of a 4M-entry list (listAt still refuses
      // times past a truncated residency log).
      const ix = search ? null : runs.lengthsIndex(experimentId);
      const total =
        ix && pcpu >= 0 && pcpu < run.summary.pcpus ? lengthOfList(ix, pcpu, tNs) : undefined;
      // The saved residency index reads the chunks around the rows asked for; without one
      // (runs saved before it) the residency log is read and indexed on this first query.
      const saved = runs.residency(experimentId);
      const list = saved
        ? listFrom(run, saved, tNs, pcpu, offset, limit, search, total)
        : listAt(run, tNs, pcpu, offset, limit, search, total);
      return { tNs, pcpu, offset, ...list };
    },
    'run.domainsAt': ({ experimentId, tNs, pcpu, dom, top }) => ({
      tNs,
      pcpu,
      dom,
      ...domainsAt(runs.get(experimentId), tNs, { pcpu, dom, top }),
    }),
    'run.walks': ({ experimentId }) => {
      const run = runs.get(experimentId);
      const values = run.series['walk.values'] ?? new Uint32Array();
      const counts = run.series['walk.counts'] ?? new Float64Array();
      const costs: CostModel = run.summary.costs ?? DEFAULT_COSTS;
      return {
        entries: { values: Array.from(values), counts: Array.from(counts) },
        stats: run.summary.walkStats,
        timeNsStats: run.summary.walkTimeNsStats,
        costs,
      };
    },
    'run.seriesCsv': ({ experimentId, name }) => seriesCsv(runs.get(experimentId), name),
    'run.rangeStats': ({ experimentId, t0Ns, t1Ns }) =>
      rangeStats(runs.get(experimentId), t0Ns, t1Ns),
  };
}
