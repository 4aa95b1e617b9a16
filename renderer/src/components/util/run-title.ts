/**
 * The title a new simulation gets until the user types one: derived from the parameters in the
 * form, so switching the policy after picking a preset cannot leave "… · upstream" on a series
 * run (issue 12 item 2). Same shape as the service's default (main/api/job-handlers.ts).
 */
import type { SimParamsInput } from '../../../../shared/params';
import { policyLabel } from '../../../../shared/policy-knobs';

export function autoTitle(p: SimParamsInput): string {
  const hotplug = (p.workload?.hotplug ?? []).length > 0;
  const pol = { policy: String(p.policy?.policy), K: p.policy?.K ?? 128, fixup: p.policy?.fixup };
  return `${p.preset ?? 'custom'} · ${policyLabel(pol, hotplug)} · seed ${p.seed ?? 1}`;
}
