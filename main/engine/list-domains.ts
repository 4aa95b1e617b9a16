/**
 * Which domains' vCPUs sit on the PI lists at one instant (issue 12 item 13): entries per domain
 * on one pCPU's list (or on every list), the top domains, and for one domain the pCPUs holding
 * its vCPUs. Built on the same residency index as listAt (list-index.ts), visiting every row
 * on the lists at t once.
 */
import type { DomainsAt } from '../../shared/api';
import type { RunResult } from '../../shared/results';
import { checkComplete, indexOf, scan } from './list-index';

export interface DomainsQuery {
  /** One pCPU's list, or null for every list. */
  pcpu: number | null;
  /** Only this domain's entries (and where they sit), or null for all domains. */
  dom: number | null;
  /** How many domains (and pCPUs) to list, largest first. */
  top: number;
}

export function domainsAt(
  run: RunResult,
  tNs: number,
  q: DomainsQuery,
): Omit<DomainsAt, 'tNs' | 'pcpu' | 'dom'> {
  checkComplete(run, tNs);
  const s = run.series;
  const vcpu = s['res.vcpu'] as Uint32Array | undefined;
  const domOf = s['vcpu.dom'] as Uint32Array | undefined;
  const P = run.summary.pcpus;
  if (!vcpu || !domOf) return { total: 0, domains: 0, top: [], pcpus: [] };
  const ix = indexOf(run);
  const perDom = new Map<number, number>();
  const perPcpu = new Uint32Array(P);
  let total = 0;
  const from = q.pcpu ?? 0;
  const to = q.pcpu === null ? P : Math.min(P, q.pcpu + 1);
  for (let p = from; p < to; p++) {
    scan(
      ix,
      p,
      tNs,
      () => false,
      (i) => {
        const d = domOf[vcpu[i]];
        if (q.dom !== null && d !== q.dom) return true;
        perDom.set(d, (perDom.get(d) ?? 0) + 1);
        perPcpu[p]++;
        total++;
        return true;
      },
    );
  }
  const top = [...perDom]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, q.top)
    .map(([dom, count]) => ({ dom, count }));
  const pcpus: { pcpu: number; count: number }[] = [];
  for (let p = 0; p < P; p++) if (perPcpu[p]) pcpus.push({ pcpu: p, count: perPcpu[p] });
  pcpus.sort((a, b) => b.count - a.count || a.pcpu - b.pcpu);
  return { total, domains: perDom.size, top, pcpus: pcpus.slice(0, q.top) };
}
