/**
 * The Setup form's third column, about the value in the field (issue 12 item 12). Each field's
 * `source` text explains one reference value (112 pCPUs: the Skylake server…); when the field
 * holds another value, the column first says what *that* value means for this run (8 pCPUs:
 * H / P = 8 vCPUs per pCPU), and keeps the reference beneath it.
 */
import type { SimParamsInput } from '../../../../shared/params';
import { derived, getPath, toDisplay, type FieldMeta } from './params-form';

/** The value each field's `source` text is about (absent: the text is not about one value). */
export const REFERENCE_VALUES: Record<string, unknown> = {
  'workload.pcpus': 112,
  'workload.domains': 32768,
  'workload.vcpusPerDomain': 128,
  'workload.piFraction': 1,
  'workload.placement': 'pcpu0',
  'workload.runNs': 2e6,
  'workload.blockNs': 10e6,
  'workload.otherWakeProb': 0.3,
  'workload.wakeToRunNs': 50e3,
  'workload.dist': 'exponential',
  'workload.domainChurnPerSec': 0,
  'workload.durationNs': 1e9,
  'policy.K': 128,
  'policy.compare': '<',
  'policy.hCounts': 'all',
  'policy.pool': null,
  'policy.fixup': 'random',
  'costs.walkNsPerEntry': 170,
  'costs.interruptEntryNs': 500,
  seed: 1,
  buckets: 4096,
};

const PLACEMENT: Record<string, string> = {
  spread: 'vCPUs run (and block) evenly across the pCPUs',
  pcpu0: 'every vCPU runs on pCPU 0, so one list holds them all',
  random: 'each vCPU runs on a random pCPU',
};

const s = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** True when the field holds the value its source text describes (or the text has none). */
export function matchesReference(path: string, value: unknown): boolean {
  if (!(path in REFERENCE_VALUES)) return true;
  return JSON.stringify(REFERENCE_VALUES[path] ?? null) === JSON.stringify(value ?? null);
}

/**
 * One line about the field's current value in the context of the whole form, or null when the
 * value is the reference one (the source text then says it all) or does not parse.
 */
export function valueNote(f: FieldMeta, form: SimParamsInput): string | null {
  const v = getPath(form, f.path);
  if (matchesReference(f.path, v)) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  const w = form.workload;
  const { H, bound } = derived(form);
  const P = form.policy?.pool?.length ? form.policy.pool.length : (w?.pcpus ?? 0);
  const perP = P > 0 ? +(H / P).toFixed(1) : 0;
  switch (f.path) {
    case 'workload.pcpus':
      return `${s(Number(v), 'pCPU')}: H / P = ${perP.toLocaleString('en-US')} vCPUs per pCPU`;
    case 'workload.domains':
    case 'workload.vcpusPerDomain':
      return `${s(w?.domains ?? 0, 'domain')} × ${s(w?.vcpusPerDomain ?? 0, 'vCPU')} = H ${H.toLocaleString('en-US')}`;
    case 'workload.piFraction': {
      const n = Math.round((w?.domains ?? 0) * Number(v));
      return `${s(n, 'domain')} of ${(w?.domains ?? 0).toLocaleString('en-US')} with a device`;
    }
    case 'workload.placement':
      return `${String(v)}: ${PLACEMENT[String(v)] ?? ''}`;
    case 'policy.K':
      return bound === null
        ? `K = ${String(v)}: not read by ${String(form.policy?.policy)}`
        : `K = ${String(v)}: bound = ⌊H / P⌋ + K = ${bound.toLocaleString('en-US')}`;
    case 'policy.pool':
      return `a pool of ${s(P, 'pCPU')}: P = ${P}`;
    default:
      return `${toDisplay(f, v)}${f.unit && f.kind !== 'enum' ? ` ${f.unit}` : ''}: your value`;
  }
}
