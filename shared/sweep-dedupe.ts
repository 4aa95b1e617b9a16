/**
 * Grid points that are the same run (issue 12 item 10). A sweep of K x {upstream, series} runs
 * upstream once per K, yet upstream never computes the bound: those runs are byte-identical.
 * `sameRunGroups` finds them from the grid alone (no run needed): points whose coordinates differ
 * only in knobs their policy does not read. Their lists are identical; only the bound drawn as a
 * reference (and the insertions counted over it) would differ, so running them once loses no
 * placement, only that reference.
 */
import type { GridValue } from './notebook';
import { policyReadsK } from './policy-knobs';

/** Knobs only a policy that reads the bound uses (K, and how the bound is compared/counted). */
export const BOUND_KNOBS = ['policy.K', 'policy.compare', 'policy.hCounts'] as const;

export interface SameRunGroup {
  /** The point that is run (the first of the group, in grid order). */
  values: Record<string, GridValue>;
  /** Grid order index of each point of the group (the first is the one that runs). */
  indices: number[];
  /** Paths whose values do not matter for this point (its policy does not read them). */
  ignored: string[];
  /** The other points the run stands for. */
  sameAs: Record<string, GridValue>[];
}

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * The grid paths a point's policy ignores. `base` supplies what the grid does not vary: the
 * policy, the fix-up rule and the hotplug events (a trace base has none listed: its operations
 * may offline pCPUs, so the cycle fix-up is then taken to read K).
 */
export function ignoredPaths(values: Record<string, GridValue>, base: unknown): string[] {
  const pick = (path: string) => (path in values ? values[path] : get(base, path));
  const hotplug = get(base, 'workload.hotplug');
  const hasHotplug = Array.isArray(hotplug) ? hotplug.length > 0 : true;
  const reads = policyReadsK(
    { policy: String(pick('policy.policy') ?? ''), fixup: String(pick('policy.fixup') ?? '') },
    'workload.hotplug' in values ? true : hasHotplug,
  );
  return reads ? [] : BOUND_KNOBS.filter((p) => p in values);
}

/** Groups the grid's points (in grid order) into runs; a group of one is a distinct run. */
export function sameRunGroups(points: Record<string, GridValue>[], base: unknown): SameRunGroup[] {
  const byKey = new Map<string, SameRunGroup>();
  points.forEach((values, i) => {
    const ignored = ignoredPaths(values, base);
    const key = JSON.stringify(Object.entries(values).filter(([p]) => !ignored.includes(p)));
    const g = byKey.get(key);
    if (g) {
      g.indices.push(i);
      g.sameAs.push(values);
    } else byKey.set(key, { values, indices: [i], ignored, sameAs: [] });
  });
  return [...byKey.values()];
}

/** "one run for K = 0, 32, 128: upstream does not place by K" for a group, or null when alone. */
export function sameRunNote(g: SameRunGroup): string | null {
  if (!g.sameAs.length) return null;
  const keys = g.ignored.map((path) => path.split('.').pop()!);
  const parts = g.ignored.map((path, i) => {
    const vals = [g.values, ...g.sameAs].map((v) => String(v[path]));
    return `${keys[i]} = ${[...new Set(vals)].join(', ')}`;
  });
  const policy = g.values['policy.policy'];
  const who = policy === undefined ? 'the policy' : String(policy);
  return `one run for ${parts.join('; ')}: ${who} does not place by ${keys.length > 1 ? 'them' : keys[0]}`;
}

/** Cartesian product of a grid's axes (the last varying fastest), as the sweep expands it. */
export function gridCartesian(grid: { path: string; values: GridValue[] }[]) {
  let out: Record<string, GridValue>[] = [{}];
  for (const a of grid) out = out.flatMap((p) => a.values.map((v) => ({ ...p, [a.path]: v })));
  return out;
}

/**
 * Runs whose metrics equal an earlier run's (experiment id -> that earlier id), so a table can
 * say "same results as #12" instead of leaving six identical rows unexplained.
 */
export function sameResults(
  points: { experimentId: number; metrics: Record<string, number> | null }[],
): Map<number, number> {
  const first = new Map<string, number>();
  const out = new Map<number, number>();
  for (const p of points) {
    if (!p.metrics) continue;
    const key = JSON.stringify(Object.entries(p.metrics).sort(([a], [b]) => a.localeCompare(b)));
    const f = first.get(key);
    if (f === undefined) first.set(key, p.experimentId);
    else out.set(p.experimentId, f);
  }
  return out;
}
