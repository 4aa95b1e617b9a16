/**
 * `xen-pi-lab simulate --trace-workload DUMP|RUN_ID`: a workload fitted from a real dump (a file,
 * imported now, or a trace experiment of the notebook), scaled to N domains on P pCPUs and run
 * under a policy (docs/engine.md, "Workloads fitted from a dump"). The saved run's params hold the
 * fit itself, so the run can be reproduced, and name the dump's sha256.
 */
import type { CliContext } from '../command';
import { choiceOption, intOption, takeFlag, takeOption, UsageError } from '../args';
import { ENGINE_VERSION } from '../../engine/index';
import { simulateFitted } from '../../engine/fitted-workload';
import { traceWorkloadProvenance } from '../../trace/fit-source';
import { loadFit, takeTraceWorkloadArgs, traceWorkloadInput } from './trace-workload-options';
import { TraceSimParamsSchema } from '../../../shared/fitted-workload';
import { POLICY_NAMES } from '../../../shared/params';

export async function runTraceWorkload(args: string[], ctx: CliContext): Promise<number> {
  const json = takeFlag(args, '--json');
  const save = takeFlag(args, '--save');
  const title = takeOption(args, '--title');
  const policy = choiceOption(args, '--policy', POLICY_NAMES);
  const K = intOption(args, '--K', 0, 1 << 24);
  const fixup = choiceOption(args, '--fixup', ['random', 'cycle'] as const);
  const compare = choiceOption(args, '--compare', ['<', '<='] as const);
  const hCounts = choiceOption(args, '--h-counts', ['all', 'pi'] as const);
  const seed = intOption(args, '--seed', 0, 2 ** 32 - 1);
  const buckets = intOption(args, '--buckets', 16, 65536);
  const workload = await takeTraceWorkloadArgs(args);
  if (args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
  const fit = await loadFit(workload, ctx);
  const { domains, pcpus } = workload;
  const parsed = TraceSimParamsSchema.safeParse({
    traceWorkload: traceWorkloadInput(workload, fit),
    policy: {
      policy: policy ?? 'upstream',
      ...(K !== undefined && { K }),
      ...(fixup !== undefined && { fixup }),
      ...(compare !== undefined && { compare }),
      ...(hCounts !== undefined && { hCounts }),
    },
    ...(seed !== undefined && { seed }),
    ...(buckets !== undefined && { buckets }),
  });
  if (!parsed.success)
    throw new Error(
      `invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const params = parsed.data;
  const result = simulateFitted(params);
  const s = result.summary;
  const provenance = traceWorkloadProvenance(fit);
  const runTitle =
    title ?? `${fit.source.file} x ${domains} domains on ${pcpus} pCPUs (${s.policy}, K = ${s.K})`;
  let id: number | null = null;
  if (save)
    id = ctx.openStore().saveRun({
      kind: 'simulation',
      title: runTitle,
      params: { ...params, provenance },
      seed: params.seed,
      result,
      engineVersion: ENGINE_VERSION,
    });
  if (json) {
    ctx.stdout(JSON.stringify({ ...s, provenance, experimentId: id }) + '\n');
    return 0;
  }
  ctx.stdout(
    [
      runTitle,
      `  workload fitted from ${fit.source.file} (sha256 ${fit.source.sha256}, fit v${fit.version}${fit.source.experimentId !== null ? `, experiment ${fit.source.experimentId}` : ''}): ${provenance.vcpus} source vCPUs in ${fit.domains.length} domains`,
      `  policy ${s.policy}, K ${s.K}; ${s.pcpus} pCPUs, H ${s.H}, bound ${s.bound}; ${s.operations} operations over ${s.endNs - s.startNs} ns`,
      `  wakeup interrupts ${s.wakeupInterrupts}, entries walked ${s.walked} (mean ${s.walkStats.mean.toFixed(1)}, p99 ${s.walkStats.p99}, max ${s.walkStats.max})`,
      `  longest list ${s.maxListLength} on pCPU ${s.maxListPcpu}; remote placements ${s.remotePlacements}, insertions over the bound ${s.overBoundInsertions}`,
      ...(id !== null ? [`saved as experiment ${id}`] : []),
    ].join('\n') + '\n',
  );
  return 0;
}
