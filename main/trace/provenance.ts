/**
 * How an import's lists may be described (docs/trace-import.md, "Honest labels"). Only the lab's
 * PI list records show VT-d PI blocking lists; a dump without them (an AMD host, which has no
 * VT-d posted-interrupt blocking lists, or a stock Xen) is a reconstruction from the scheduler
 * records, resting on stated assumptions.
 */

export type ListSource = 'pi-records' | 'reconstructed' | 'counterfactual' | 'no-hvm';

export interface ListProvenance {
  source: ListSource;
  /** Short label for the run view, reports and the CLI. */
  label: string;
  /** What the figures rest on (empty when observed). */
  assumptions: string[];
  /** true when the dump names no HVM domain: there is nothing to put on a list. */
  noHvm: boolean;
  /** The dump's own time span (ns), so an empty run is not shown as a 1 ns run. */
  spanNs: number;
  /** A sentence for the notes, or null. */
  message: string | null;
}

export const OBSERVED_LABEL = "observed (the lab's PI list records)";
export const RECONSTRUCTED_LABEL =
  'reconstructed, assuming every HVM domain has an assigned device';

export function listProvenance(o: {
  asRecorded: boolean;
  policy: string;
  userPiDomains: number[] | null;
  hvmDomains: number;
  spanNs: number;
}): ListProvenance {
  const spanNs = o.spanNs;
  if (o.hvmDomains === 0)
    return {
      source: 'no-hvm',
      label: 'no HVM domain in this dump',
      assumptions: [],
      noHvm: true,
      spanNs,
      message: `No HVM domain in this dump: no vCPU counts towards H and no PI blocking list exists; the dump spans ${(spanNs / 1e6).toFixed(3)} ms.`,
    };
  if (o.asRecorded)
    return {
      source: 'pi-records',
      label: OBSERVED_LABEL,
      assumptions: [],
      noHvm: false,
      spanNs,
      message: null,
    };
  const assumptions = [
    o.userPiDomains
      ? `domains ${o.userPiDomains.join(',')} have an assigned device (user list)`
      : 'every HVM domain has an assigned device',
    'each vCPU is listed on the pCPU it blocked on (upstream)',
    'a wake-up of a blocked vCPU is a posted interrupt unless --wake-as wake',
  ];
  if (o.policy !== 'upstream')
    return {
      source: 'counterfactual',
      label: `counterfactual replay under ${o.policy}`,
      assumptions,
      noHvm: false,
      spanNs,
      message: null,
    };
  return {
    source: 'reconstructed',
    label: o.userPiDomains
      ? 'reconstructed, assuming the listed domains have an assigned device'
      : RECONSTRUCTED_LABEL,
    assumptions,
    noHvm: false,
    spanNs,
    message:
      'No PI list records in this dump (a stock Xen, or an AMD host without VT-d PI): the lists are reconstructed from scheduler records, not observed.',
  };
}
