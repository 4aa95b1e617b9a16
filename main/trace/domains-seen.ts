/** What a dump says about each guest domain, kept while its records are merged (reconstruct.ts). */
import { DOMID_FIRST_RESERVED } from './format';

/** One guest domain: vCPUs seen, pauses, destroy, first and last record. */
export interface DomainSeen {
  dom: number;
  vcpus: number;
  /** running/runnable/blocked -> offline records. */
  pauses: number;
  destroyed: boolean;
  firstSeenNs: number;
  lastSeenNs: number;
}

export interface DomainNote {
  pauses: number;
  destroyed: boolean;
  /** TSC (relative cycles) of the first and last record naming the domain. */
  first: number;
  last: number;
}

export class DomainLog {
  private readonly seen = new Map<number, DomainNote>();
  /** The same notes indexed by domain id: one is looked up for most merged records. */
  private readonly byId = new Array<DomainNote | undefined>(65536);

  /** The domain's note, its first/last record moved to include `tsc`. */
  note(dom: number, tsc: number): DomainNote {
    let d = dom < 65536 ? this.byId[dom] : this.seen.get(dom);
    if (!d) {
      this.seen.set(dom, (d = { pauses: 0, destroyed: false, first: tsc, last: tsc }));
      if (dom < 65536) this.byId[dom] = d;
    }
    if (tsc < d.first) d.first = tsc;
    if (tsc > d.last) d.last = tsc;
    return d;
  }

  /** Guest domains in id order, times in ns from `firstTsc` at `cpuHz`. */
  list(vcpus: (dom: number) => number, firstTsc: number, cpuHz: number): DomainSeen[] {
    const ns = (t: number) => Math.max(0, ((t - firstTsc) * 1e9) / cpuHz);
    return [...this.seen]
      .filter(([dom]) => dom < DOMID_FIRST_RESERVED)
      .sort((a, b) => a[0] - b[0])
      .map(([dom, d]) => ({
        dom,
        vcpus: vcpus(dom),
        pauses: d.pauses,
        destroyed: d.destroyed,
        firstSeenNs: ns(d.first),
        lastSeenNs: ns(d.last),
      }));
  }
}
