/**
 * The K recommendation (issue 14 item 2), pure: target parsing, the metrics a target may name,
 * and the answer from a sweep's runs over K x policy x seed — the smallest K (and its policy)
 * meeting every target on every seed, the Pareto front of two metrics, and the spread across
 * seeds. No Node, no Electron: the CLI computes it, the notebook stores it, the renderer draws it.
 */
import type { RunSummary } from './results';

export interface MetricInfo {
  label: string;
  get: (s: RunSummary) => number;
}

/** Metrics a target may name: RunSummary fields, and a few derived from them. */
export const RECOMMEND_METRICS: Record<string, MetricInfo> = {
  maxListLength: { label: 'max list length', get: (s) => s.maxListLength },
  p99Walk: { label: 'entries walked, p99', get: (s) => s.walkStats.p99 },
  meanWalk: { label: 'entries walked, mean', get: (s) => s.walkStats.mean },
  maxWalk: { label: 'entries walked, max', get: (s) => s.walkStats.max },
  p99WalkNs: { label: 'walk time p99, ns', get: (s) => s.walkTimeNsStats.p99 },
  maxWalkNs: { label: 'walk time max, ns', get: (s) => s.walkTimeNsStats.max },
  remotePlacements: { label: 'remote placements', get: (s) => s.remotePlacements },
  // Share of blocks listed on another pCPU than the one blocked on (the price of a bound).
  remoteFraction: {
    label: 'remote placements / blocks',
    get: (s) => (s.opCounts.block ? s.remotePlacements / s.opCounts.block : 0),
  },
  overBoundInsertions: { label: 'insertions over the bound', get: (s) => s.overBoundInsertions },
  boundOverflows: { label: 'bound overflows', get: (s) => s.boundOverflows },
  fixupMoves: { label: 'fix-up moves', get: (s) => s.fixupMoves },
  wakeupInterrupts: { label: 'wakeup interrupts', get: (s) => s.wakeupInterrupts },
  aboveBoundMaxExcess: {
    label: 'max entries above the bound',
    get: (s) => s.aboveBoundMaxExcess ?? 0,
  },
};

export type TargetOp = '<=' | '<' | '>=' | '>';

export interface Target {
  metric: string;
  op: TargetOp;
  value: number;
  /** As written, normalised ("p99WalkNs<=20000"). */
  text: string;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const VALID = () => Object.keys(RECOMMEND_METRICS).join(', ');

/** `metric<=x`, `metric<x`, `metric>=x`, `metric>x` (spaces allowed); a typo lists valid names. */
export function parseTarget(text: string): Target {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(<=|>=|<|>)\s*(\S+)\s*$/.exec(text);
  if (!m)
    throw new TargetError(
      `target ${JSON.stringify(text)}: write METRIC<=X (or <, >=, >), e.g. p99WalkNs<=20000`,
    );
  const [, metric, op, raw] = m;
  if (!(metric in RECOMMEND_METRICS))
    throw new TargetError(
      `target ${JSON.stringify(text)}: unknown metric ${metric}; one of ${VALID()}`,
    );
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new TargetError(`target ${JSON.stringify(text)}: ${JSON.stringify(raw)} is not a number`);
  return { metric, op: op as TargetOp, value, text: `${metric}${op}${value}` };
}

export function meets(t: Target, v: number): boolean {
  switch (t.op) {
    case '<=':
      return v <= t.value;
    case '<':
      return v < t.value;
    case '>=':
      return v >= t.value;
    case '>':
      return v > t.value;
  }
}

/** One saved run of the sweep. */
export interface SeedRun {
  K: number;
  policy: string;
  seed: number;
  experimentId: number;
  summary: RunSummary;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** One (K, policy) configuration over its seeds. */
export interface RecommendPoint {
  K: number;
  policy: string;
  seeds: number[];
  experimentIds: number[];
  /** min / median / max across seeds of every target metric and of both front axes. */
  spread: Record<string, Spread>;
  /** Seeds on which every target holds. */
  passedSeeds: number;
  /** `all`: every seed meets every target; `some`: only some seeds do; `none`. */
  passes: 'all' | 'some' | 'none';
  /** Targets that fail on at least one seed. */
  failing: string[];
}

export interface Recommendation {
  targets: string[];
  /** The front's metrics: the two targets' when exactly two metrics are targeted, else these. */
  frontAxes: [string, string];
  /** Non-dominated configurations on the medians of the two axes, by the first axis (equal ones once, at the smallest K). */
  front: { K: number; policy: string; x: number; y: number }[];
  /** Smallest K meeting every target on every seed (ties: the first target's median, then policy order); null: none. */
  chosen: { K: number; policy: string } | null;
  /** Configurations at a smaller K than the chosen one (any, when none is) passing on some seeds only. */
  nearMisses: { K: number; policy: string; passedSeeds: number; seeds: number }[];
  points: RecommendPoint[];
}

export const DEFAULT_FRONT: [string, string] = ['p99WalkNs', 'remoteFraction'];

function spreadOf(values: number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  const h = v.length >> 1;
  const median = v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
  return { min: v[0], median, max: v[v.length - 1] };
}

/** Larger is better for a metric only when a target says so (`>=`, `>`). */
function lowerIsBetter(metric: string, targets: Target[]): boolean {
  const t = targets.find((x) => x.metric === metric);
  return !t || t.op === '<=' || t.op === '<';
}

export function recommend(
  runs: SeedRun[],
  targets: Target[],
  policyOrder: string[] = [],
): Recommendation {
  const metrics = [...new Set(targets.map((t) => t.metric))];
  const frontAxes: [string, string] =
    metrics.length === 2 ? [metrics[0], metrics[1]] : DEFAULT_FRONT;
  const byKey = new Map<string, SeedRun[]>();
  for (const r of runs) {
    const k = `${r.K}\u0000${r.policy}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const rank = (p: string) => {
    const i = policyOrder.indexOf(p);
    return i < 0 ? policyOrder.length : i;
  };
  const points: RecommendPoint[] = [...byKey.values()].map((rs) => {
    rs.sort((a, b) => a.seed - b.seed);
    const spread: Record<string, Spread> = {};
    for (const m of new Set([...metrics, ...frontAxes]))
      spread[m] = spreadOf(rs.map((r) => RECOMMEND_METRICS[m].get(r.summary)));
    const failing = new Set<string>();
    let passedSeeds = 0;
    for (const r of rs) {
      const bad = targets.filter((t) => !meets(t, RECOMMEND_METRICS[t.metric].get(r.summary)));
      bad.forEach((t) => failing.add(t.text));
      if (!bad.length) passedSeeds++;
    }
    return {
      K: rs[0].K,
      policy: rs[0].policy,
      seeds: rs.map((r) => r.seed),
      experimentIds: rs.map((r) => r.experimentId),
      spread,
      passedSeeds,
      passes: passedSeeds === rs.length ? 'all' : passedSeeds ? 'some' : 'none',
      failing: [...failing],
    };
  });
  points.sort((a, b) => a.K - b.K || rank(a.policy) - rank(b.policy));

  const sign = (m: string) => (lowerIsBetter(m, targets) ? 1 : -1);
  const first = targets[0]?.metric;
  const ok = points.filter((p) => p.passes === 'all');
  ok.sort(
    (a, b) =>
      a.K - b.K ||
      (first ? sign(first) * (a.spread[first].median - b.spread[first].median) : 0) ||
      rank(a.policy) - rank(b.policy),
  );
  const chosen = ok.length ? { K: ok[0].K, policy: ok[0].policy } : null;
  const nearMisses = points
    .filter((p) => p.passes === 'some' && (!chosen || p.K < chosen.K))
    .map((p) => ({ K: p.K, policy: p.policy, passedSeeds: p.passedSeeds, seeds: p.seeds.length }));

  // The front, on values turned so that lower is better on both axes.
  const [ax, ay] = frontAxes;
  const pts = points.map((p) => ({
    K: p.K,
    policy: p.policy,
    x: p.spread[ax].median,
    y: p.spread[ay].median,
  }));
  const sx = sign(ax);
  const sy = sign(ay);
  const dominated = (p: (typeof pts)[0]) =>
    pts.some(
      (q) =>
        sx * q.x <= sx * p.x &&
        sy * q.y <= sy * p.y &&
        (sx * q.x < sx * p.x || sy * q.y < sy * p.y),
    );
  // Equal points (same medians) are one point of the front, shown at the smallest K.
  const front = pts
    .filter((p) => !dominated(p))
    .sort((a, b) => sx * (a.x - b.x) || a.K - b.K)
    .filter((p, i, all) => i === 0 || p.x !== all[i - 1].x || p.y !== all[i - 1].y);
  return { targets: targets.map((t) => t.text), frontAxes, front, chosen, nearMisses, points };
}

/** What the sweep behind a recommendation varied around. */
export interface RecommendBase {
  /** The preset (or config file name); null for a workload fitted from a dump. */
  preset: string | null;
  pcpus: number;
  domains: number;
  /** Null for a fitted workload: its domains are drawn from the dump's, whose sizes differ. */
  vcpusPerDomain: number | null;
  /** A workload fitted from a dump (`recommend --trace-workload`): the dump and the scaling. */
  traceWorkload?: {
    file: string;
    sha256: string;
    /** The trace experiment it was fitted from, or null for a file imported then. */
    experimentId: number | null;
    placement: string;
    sampling: string;
  };
}

/** A short name of the base, for titles: the preset, or the dump a workload was fitted from. */
export function baseLabel(b: RecommendBase): string {
  return b.traceWorkload ? `fit of ${b.traceWorkload.file}` : (b.preset ?? 'custom');
}

/** One sentence describing the base (the saved entry's page, the CLI's answer). */
export function baseText(b: RecommendBase): string {
  const t = b.traceWorkload;
  if (!t)
    return `${b.preset ?? 'custom'}: ${b.pcpus} pCPUs, ${b.domains} domains × ${b.vcpusPerDomain} vCPUs`;
  return `workload fitted from ${t.file} (sha256 ${t.sha256.slice(0, 12)}…${
    t.experimentId !== null ? `, trace experiment ${t.experimentId}` : ''
  }): ${b.domains} domains drawn (${t.sampling}) on ${b.pcpus} pCPUs, placement ${t.placement}`;
}

/** What `recommend --json` prints and the saved entry keeps (docs/notebook.md, "Recommend"). */
export interface RecommendAnswer extends Recommendation {
  groupId: number;
  reused: boolean;
  base: RecommendBase;
  Ks: number[];
  policies: string[];
  seeds: number[];
  /** With --save: the notebook entry holding this answer. */
  experimentId?: number;
}

/** The answer a saved entry's params hold (`{recommendation}`), or null for any other params. */
export function recommendationOf(params: unknown): RecommendAnswer | null {
  const r = (params as { recommendation?: Partial<RecommendAnswer> } | null)?.recommendation;
  return r && Array.isArray(r.points) && Array.isArray(r.frontAxes) && Array.isArray(r.front)
    ? (r as RecommendAnswer)
    : null;
}
