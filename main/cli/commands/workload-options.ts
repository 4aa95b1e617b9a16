/**
 * `simulate`'s workload flags: the common fields of a preset or config overridden from the
 * command line (issue 12 item 12), checked against the same limits as WorkloadSchema so a bad
 * value is refused with the CLI's wording before anything runs.
 */
import { choiceOption, intOption, numberOption } from '../args';
import type { WorkloadInput } from '../../../shared/params';

export const WORKLOAD_OPTIONS_USAGE = `  --pcpus N         physical CPUs of the host (P), 1..4096
  --domains N       HVM domains created at t = 0, 0..65536
  --vcpus N         vCPUs per domain (H = domains x vCPUs), 1..512
  --pi-fraction F   fraction of domains with a passed-through device, 0..1
  --placement W     where vCPUs run: spread | pcpu0 | random
  --dist D          run/block time shape: exponential | uniform
  --churn N         domains created and destroyed per second of virtual time
  --buckets N       time buckets of the recorded series, 16..65536`;

export interface WorkloadOptions {
  /** Only the fields given on the command line. */
  workload: Partial<WorkloadInput>;
  buckets: number | undefined;
  /** The flags given, in this order (for "does not apply" messages). */
  given: string[];
}

export function takeWorkloadOptions(args: string[]): WorkloadOptions {
  const fields = {
    pcpus: intOption(args, '--pcpus', 1, 4096),
    domains: intOption(args, '--domains', 0, 1 << 16),
    vcpusPerDomain: intOption(args, '--vcpus', 1, 512),
    piFraction: numberOption(args, '--pi-fraction', 0, 1),
    placement: choiceOption(args, '--placement', ['spread', 'pcpu0', 'random'] as const),
    dist: choiceOption(args, '--dist', ['exponential', 'uniform'] as const),
    domainChurnPerSec: numberOption(args, '--churn', 0, 1e6),
  };
  const buckets = intOption(args, '--buckets', 16, 65536);
  const flag: Record<keyof typeof fields, string> = {
    pcpus: '--pcpus',
    domains: '--domains',
    vcpusPerDomain: '--vcpus',
    piFraction: '--pi-fraction',
    placement: '--placement',
    dist: '--dist',
    domainChurnPerSec: '--churn',
  };
  const workload: Partial<WorkloadInput> = {};
  const given: string[] = [];
  for (const [k, v] of Object.entries(fields) as [keyof typeof fields, never][]) {
    if (v === undefined) continue;
    (workload as Record<string, unknown>)[k] = v;
    given.push(flag[k]);
  }
  if (buckets !== undefined) given.push('--buckets');
  return { workload, buckets, given };
}
