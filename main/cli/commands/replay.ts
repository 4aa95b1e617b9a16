import type { CliCommand } from '../command';
import { takeFlag, takeOption, UsageError } from '../args';
import { importTraceSummary } from '../../trace/import';
import { POLICY_NAMES, PolicyConfigSchema } from '../../../shared/params';
import { policyLabel } from '../../../shared/policy-knobs';
import { takeTraceOptions, TRACE_OPTIONS_USAGE } from './trace-options';

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'replay a xentrace dump under another placement policy',
  usage: `xen-pi-lab replay FILE --policy P [--K N] [--compare '<'|'<='] [--h-counts all|pi] [--json]

The counterfactual: this host's blocking and waking, as recorded in the dump, under policy P
(${POLICY_NAMES.join(', ')}). Prints the engine's summary.
${TRACE_OPTIONS_USAGE}
  --json              print the engine's summary as JSON`,
  usesStore: () => false,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const policy = takeOption(args, '--policy');
    const K = takeOption(args, '--K');
    const compare = takeOption(args, '--compare');
    const hCounts = takeOption(args, '--h-counts');
    const opts = await takeTraceOptions(args);
    const [file, ...rest] = args;
    if (!file || rest.length)
      throw new UsageError(file ? `unexpected ${rest.join(' ')}` : 'replay needs a FILE');
    if (!policy) throw new UsageError('replay needs --policy');
    const parsed = PolicyConfigSchema.safeParse({
      policy,
      ...(K !== undefined ? { K: Number(K) } : {}),
      ...(compare !== undefined ? { compare } : {}),
      ...(hCounts !== undefined ? { hCounts } : {}),
    });
    if (!parsed.success)
      throw new UsageError(
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const imp = await importTraceSummary(file, { ...opts, policy: parsed.data });
    const s = imp.result.summary;
    if (json) {
      ctx.stdout(
        JSON.stringify(
          { ...s, clock: imp.clock, assumptions: imp.assumptions, errors: imp.errors },
          null,
          1,
        ) + '\n',
      );
    } else {
      ctx.stdout(
        [
          `${imp.file.name} under ${policyLabel(s)}: ${s.operations} ops, ${s.pcpus} pCPUs, H ${s.H}, bound ${s.bound}`,
          `  max list ${s.maxListLength} (pCPU ${s.maxListPcpu}); per pCPU max ${s.perPcpu.map((p) => p.maxLength).join(',')}`,
          `  wakeup interrupts ${s.wakeupInterrupts}, walked ${s.walked} (mean ${s.walkStats.mean.toFixed(2)}, max ${s.walkStats.max}); remote placements ${s.remotePlacements}; over bound ${s.overBoundInsertions}; anomalies ${s.anomalies}`,
          ...imp.errors.map((e) => `  error at offset ${e.offset}: ${e.message}`),
        ].join('\n') + '\n',
      );
    }
    return imp.errors.length ? 1 : 0;
  },
};
