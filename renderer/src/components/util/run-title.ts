/**
 * The title a new simulation gets until the user types one: derived from the parameters in the
 * form, so switching the policy after picking a preset cannot leave "… · upstream" on a series
 * run (issue 12 item 2). Same shape as the service's default (main/api/job-handlers.ts).
 */
import type { SimParamsInput } from '../../../../shared/params';
import { policyLabel } from '../../../../shared/policy-knobs';

export function autoTitle(p: SimParamsInput): string {
  const hotplug = (p.workload?.hotplug ?? []).length > 0;
  const K = p.policy?.K ?? 128;
  // A K the form refuses is left out rather than named in the title.
  const pol = {
    policy: String(p.policy?.policy),
    K: Number.isInteger(K) && K >= 0 ? K : undefined,
    fixup: p.policy?.fixup,
  };
  return `${p.preset ?? 'custom'} · ${policyLabel(pol, hotplug)} · seed ${p.seed ?? 1}`;
}
