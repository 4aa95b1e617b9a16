/**
 * Theory beside the simulation (issue 14, item 3): the predicted longest blocking list for the
 * policies with a known result, with its formula and reference, and whether a measured figure
 * departs from it by more than the stated slack (a finding, not a bug). Pure: no Node, no Electron,
 * so the renderer can use it through shared/.
 */

export interface TheoryInput {
  policy: string;
  /** pCPUs (n bins): the candidates a placement may pick. */
  pcpus: number;
  /** vCPUs blocked at the peak (m balls). */
  blocked: number;
  /** K of bound = floor(H/P) + K (series-style policies). */
  K?: number;
  /** upstream: the most blocked vCPUs placed on one pCPU by the placement. */
  busiestPcpuBlocked?: number;
  /**
   * upstream: the generator's placement when the run had one (`workload.placement`,
   * `traceWorkload.placement`). `random` and `pcpu0` are predicted from the placement alone;
   * others (and a dump's own placement) from `busiestPcpuBlocked`.
   */
  placement?: string;
  /** upstream, random placement: block operations over the run (each a fresh random throw). */
  blocks?: number;
  /**
   * Bounded policies: the bound in force when the longest list was reached (the run knows it;
   * it counts H, not the blocked vCPUs). Absent: floor(blocked / pcpus) + K.
   */
  bound?: number;
  /** `compare: '<='`: a list takes a vCPU while length <= bound, so it may reach bound + 1. */
  inclusive?: boolean;
}

export interface TheoryPrediction {
  /** Predicted max list length. */
  predicted: number;
  /** Allowed departure (the stated O(1)); `upper` means only exceeding counts. */
  slack: number;
  upper: boolean;
  formula: string;
  reference: string;
  /** The formula with this run's numbers plugged in, e.g. "m = 80, n = 8: 80/8 + 1.05 = 11.05". */
  plugged: string;
}

/** Up to 2 decimals, no trailing zeros ("11.05", "3"). */
function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

import { maxLoadQuantile } from './balls-in-bins';

const BOUNDED = ['series', 'random-under-bound'];

/** The prediction for `input.policy`, or null when no known result applies. */
export function predictMaxList(input: TheoryInput): TheoryPrediction | null {
  const { policy, pcpus: n, blocked: m } = input;
  if (n < 1 || m < 0) return null;
  switch (policy) {
    case 'upstream':
      if (input.placement === 'random') return upstreamRandom(m, n, input.blocks);
      if (input.placement === 'pcpu0')
        return {
          predicted: m,
          slack: 0,
          upper: false,
          formula: 'pcpu0 placement: every vCPU blocks on pCPU 0, so max list = H_blocked',
          reference: 'Xen 4.17 vmx_vcpu_block (a vCPU is listed where it blocked)',
          plugged: `H_blocked = ${m}, all on pCPU 0`,
        };
      if (input.busiestPcpuBlocked === undefined) return null;
      return {
        predicted: input.busiestPcpuBlocked,
        slack: 0,
        upper: false,
        formula: 'max list = blocked vCPUs of the busiest pCPU under the placement',
        reference: 'Xen 4.17 vmx_pi_desc_fixup / pi_blocking list (docs/model.md)',
        plugged: `${input.busiestPcpuBlocked} vCPUs blocked on the busiest pCPU`,
      };
    case 'least-loaded': {
      const predicted = Math.ceil(m / n);
      return {
        predicted,
        slack: 1,
        upper: false,
        formula: 'max list ≈ ⌈H_blocked / P⌉',
        reference: 'greedy least-loaded placement',
        plugged: `H_blocked = ${m}, P = ${n}: ⌈${m} / ${n}⌉ = ${predicted}`,
      };
    }
    case 'two-choices': {
      // ln ln n is undefined/negative for n < 3; the term is then taken as 0.
      const lnln = Math.max(0, n >= 3 ? Math.log(Math.log(n)) / Math.LN2 : 0);
      const predicted = m / n + lnln;
      return {
        predicted,
        slack: 2,
        upper: false,
        formula: 'max load ≈ m/n + ln ln n / ln 2 + O(1)',
        reference: 'Azar, Broder, Karlin, Upfal, "Balanced allocations", STOC 1994',
        plugged: `m = ${m}, n = ${n}: ${num(m / n)} + ${num(lnln)} = ${num(predicted)}`,
      };
    }
    default: {
      if (!BOUNDED.includes(policy)) return null;
      const extra = input.inclusive ? 1 : 0;
      const K = input.K ?? 0;
      const bound = input.bound ?? Math.floor(m / n) + K;
      const predicted = bound + extra;
      return {
        predicted,
        slack: 0,
        upper: true,
        formula: `max list ≤ ⌊H/P⌋ + K${extra ? ' + 1 (compare <=)' : ''} (by construction; remote placements are the price)`,
        reference: 'Xen PI blocking-list bound patch series, 2017',
        plugged:
          input.bound !== undefined
            ? `bound in force at the max = ${bound} (K = ${K})${extra ? ' + 1' : ''}`
            : `⌊${m} / ${n}⌋ + ${K}${extra ? ' + 1' : ''} = ${predicted}`,
      };
    }
  }
}

/**
 * upstream under a random placement: m blocked vCPUs on n uniformly random pCPUs. The longest
 * list of the whole run, not of one instant: each of the run's B blocks lands on a random pCPU
 * whose list holds ~Bin(m, 1/n) others, so P(max list <= k) ≈ P(Bin(m, 1/n) <= k)^max(B, n)
 * (balls in bins, and the max over the run by Poisson clumping; shared/balls-in-bins.ts). The
 * slack is the distance to that maximum's 5 % and 95 % quantiles.
 */
function upstreamRandom(m: number, n: number, blocks: number | undefined): TheoryPrediction {
  const throws = Math.max(1, (blocks ?? 0) / n);
  const [q05, q50, q95] = [0.05, 0.5, 0.95].map((q) => maxLoadQuantile(m, n, q, throws));
  return {
    predicted: q50,
    slack: Math.max(1, q95 - q50, q50 - q05),
    upper: false,
    formula:
      'random placement: each of B blocks joins a random pCPU holding ~Bin(m, 1/n): P(max list ≤ k) ≈ P(Bin(m, 1/n) ≤ k)^max(B, n)',
    reference:
      'balls into bins (Raab, Steger, RANDOM 1998: one instant ≈ m/n + √(2 (m/n) ln n)); over the run, Poisson clumping (Aldous 1989)',
    plugged: `m = ${m}, n = ${n}, B = ${blocks ?? 'n/a'}: median ${q50} (5–95 %: ${q05}–${q95}); one instant: ${maxLoadQuantile(
      m,
      n,
      0.5,
    )}`,
  };
}

/** True when the measurement departs from the prediction by more than the stated slack. */
export function isFinding(p: TheoryPrediction, measured: number): boolean {
  const d = measured - p.predicted;
  return p.upper ? d > p.slack : Math.abs(d) > p.slack;
}

/** What a run knows that the theory needs (a RunSummary and its policy config fit). */
export interface RunAtMax {
  policy: { policy: string; K?: number; compare?: string; pool?: number[] | null };
  /** The bound in force when the longest list was first reached. */
  boundAtMax: number;
  /** Every pCPU's list length and online state at that instant (run.lengthsAt). */
  lengths: number[];
  online: boolean[];
  /** upstream: vCPUs on the longest list that blocked on its pCPU (not moved there by a fix-up). */
  busiestPcpuBlocked?: number;
  /** The generator's placement, when the run was generated (TheoryInput.placement). */
  placement?: string;
  /** Block operations over the run (TheoryInput.blocks). */
  blocks?: number;
}

/**
 * The theory's input from a run's state at the instant its longest list was first reached: the
 * candidates (online pCPUs, of the pool when one is set) are the bins, and the vCPUs listed on
 * them the balls — the configuration the theorems speak of when the maximum happens.
 */
export function theoryInputAtMax(r: RunAtMax): TheoryInput {
  const pool = r.policy.pool ? new Set(r.policy.pool) : null;
  let n = 0;
  let m = 0;
  r.lengths.forEach((len, p) => {
    if (!r.online[p] || (pool && !pool.has(p))) return;
    n++;
    m += len;
  });
  return {
    policy: r.policy.policy,
    pcpus: n,
    blocked: m,
    K: r.policy.K,
    bound: r.boundAtMax,
    inclusive: r.policy.compare === '<=',
    busiestPcpuBlocked: r.busiestPcpuBlocked,
    placement: r.placement,
    blocks: r.blocks,
  };
}
