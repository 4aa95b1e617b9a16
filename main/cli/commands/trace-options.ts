/** Options shared by `import` and `replay`: clock, PI domains, id mapping, wake mapping. */
import { readFileSync } from 'node:fs';
import { takeOption, UsageError } from '../args';
import type { ImportOptions } from '../../trace/import';

/** "2445.414M", "2.4G", "2400000000" -> Hz (xenalyze's --cpu-hz syntax). */
export function parseHz(s: string): number {
  const m = /^([0-9]*\.?[0-9]+(?:e[0-9]+)?)([kKmMgG]?)$/.exec(s.trim());
  if (!m)
    throw new UsageError(`--cpu-hz: ${JSON.stringify(s)} is not a frequency (e.g. 2445.414M)`);
  const mult = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const hz = Number(m[1]) * mult;
  if (!(hz >= 1e6 && hz <= 1e11)) throw new UsageError(`--cpu-hz: ${hz} Hz is out of range`);
  return hz;
}

export function parseDomains(s: string): number[] {
  const out = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number);
  if (out.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffff))
    throw new UsageError(
      `--pi-domains: ${JSON.stringify(s)} is not a comma-separated list of domain ids`,
    );
  return out;
}

/** Async: the id-mapping parser (zod) is loaded only when `--ids` is given. */
export async function takeTraceOptions(args: string[]): Promise<ImportOptions> {
  const hz = takeOption(args, '--cpu-hz');
  const pi = takeOption(args, '--pi-domains');
  const ids = takeOption(args, '--ids');
  const wake = takeOption(args, '--wake-as');
  if (wake !== undefined && wake !== 'post' && wake !== 'wake')
    throw new UsageError('--wake-as is post or wake');
  const offline = takeOption(args, '--offline-as');
  if (offline !== undefined && offline !== 'pause' && offline !== 'destroy')
    throw new UsageError('--offline-as is pause or destroy');
  const cpuHz = hz === undefined ? null : parseHz(hz);
  const piDomains = pi === undefined ? null : parseDomains(pi);
  return {
    cpuHz,
    piDomains,
    userIds:
      ids === undefined
        ? undefined
        : (await import('../../trace/user-ids')).parseUserIdMappings(readFileSync(ids, 'utf8')),
    wakeAs: wake as 'post' | 'wake' | undefined,
    ...(offline !== undefined && { offlineAs: offline as 'pause' | 'destroy' }),
  };
}

export const TRACE_OPTIONS_USAGE = `  --cpu-hz HZ         TSC rate (e.g. 2445.414M from \`xl info\` cpu_mhz); default: estimated
                      from the dump's SWITCH_INFPREV/INFNEXT records, else 2.4 GHz
  --pi-domains LIST   domains with an assigned device, e.g. 1,2 (default: the HVM domains)
  --ids FILE          JSON id mapping for private builds (list-add / list-delete records)
  --wake-as post|wake what a blocked->runnable of a PI vCPU becomes (default post)
  --offline-as pause|destroy  what ->offline means (default pause: the vCPU lives on until its
                      domain is destroyed; destroy: the first importer's rule)`;
