/**
 * Theory beside the simulation (issue 14, item 3): the predicted longest blocking list for the
 * policies with a known result, with its formula and reference, and whether a measured figure
 * departs from it by more than the stated slack (a finding, not a bug). Pure: no Node, no Electron,
 * so the renderer can use it through shared/.
 */

export interface TheoryInput {
  policy: string;
  /** pCPUs. */
  pcpus: number;
  /** vCPUs blocked at the peak (m balls). */
  blocked: number;
  /** K of bound = floor(H/P) + K (series-style policies). */
  K?: number;
  /** upstream: the most blocked vCPUs placed on one pCPU by the placement. */
  busiestPcpuBlocked?: number;
}

export interface TheoryPrediction {
  /** Predicted max list length. */
  predicted: number;
  /** Allowed departure (the stated O(1)); `upper` means only exceeding counts. */
  slack: number;
  upper: boolean;
  formula: string;
  reference: string;
}

/** The prediction for `input.policy`, or null when no known result applies. */
export function predictMaxList(input: TheoryInput): TheoryPrediction | null {
  const { policy, pcpus: n, blocked: m } = input;
  if (n < 1 || m < 0) return null;
  switch (policy) {
    case 'upstream':
      if (input.busiestPcpuBlocked === undefined) return null;
      return {
        predicted: input.busiestPcpuBlocked,
        slack: 0,
        upper: false,
        formula: 'max list = blocked vCPUs of the busiest pCPU under the placement',
        reference: 'Xen 4.17 vmx_pi_desc_fixup / pi_blocking list (docs/model.md)',
      };
    case 'least-loaded':
      return {
        predicted: Math.ceil(m / n),
        slack: 1,
        upper: false,
        formula: 'max list ≈ ⌈H_blocked / P⌉',
        reference: 'greedy least-loaded placement',
      };
    case 'two-choices': {
      // ln ln n is undefined/negative for n < 3; the term is then taken as 0.
      const lnln = n >= 3 ? Math.log(Math.log(n)) / Math.LN2 : 0;
      return {
        predicted: m / n + Math.max(0, lnln),
        slack: 2,
        upper: false,
        formula: 'max load ≈ m/n + ln ln n / ln 2 + O(1)',
        reference: 'Azar, Broder, Karlin, Upfal, "Balanced allocations", STOC 1994',
      };
    }
    case 'series':
      return {
        predicted: Math.floor(m / n) + (input.K ?? 0),
        slack: 0,
        upper: true,
        formula: 'max list ≤ ⌊H/P⌋ + K (by construction; remote placements are the price)',
        reference: 'Xen PI blocking-list bound patch series, 2017',
      };
    default:
      return null;
  }
}

/** True when the measurement departs from the prediction by more than the stated slack. */
export function isFinding(p: TheoryPrediction, measured: number): boolean {
  const d = measured - p.predicted;
  return p.upper ? d > p.slack : Math.abs(d) > p.slack;
}
