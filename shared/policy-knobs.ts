/**
 * Which knobs a placement policy reads, and the short label a run is known by. K only exists in
 * bound = floor(H / P) + K, so a label or a sweep axis that shows K for a policy that never
 * computes the bound says something false (issue 12, items 10 and 14).
 */
import type { PolicyName } from './params';

/** Policies that place against the bound, so read K (and `compare`, `hCounts`). */
export const K_POLICIES: readonly PolicyName[] = ['series', 'random-under-bound'];

/** The policy knobs that decide whether K matters. */
export interface KnobsLike {
  policy: string;
  K?: number;
  /** The `cycle` offline fix-up places against the bound whatever the policy. */
  fixup?: string;
}

/**
 * True when K can change the result: a bounded policy, or the `cycle` fix-up (which looks for a
 * pCPU under the bound when a pCPU goes offline). `hasHotplug` false rules the fix-up out.
 */
export function policyReadsK(p: KnobsLike, hasHotplug = true): boolean {
  if ((K_POLICIES as readonly string[]).includes(p.policy)) return true;
  return hasHotplug && p.fixup === 'cycle';
}

/** "series K=128", "upstream", "least-loaded": K only where the policy reads it. */
export function policyLabel(p: KnobsLike, hasHotplug = true): string {
  return policyReadsK(p, hasHotplug) && p.K !== undefined ? `${p.policy} K=${p.K}` : p.policy;
}
