/** `xen-pi-lab simulate`: one engine run from a preset, a SimParams JSON file or a JSONL script. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliCommand } from '../command';
import { hasOption, intOption, takeFlag, takeOption, UsageError } from '../args';
import { takeWorkloadOptions, WORKLOAD_OPTIONS_USAGE } from './workload-options';
import { ENGINE_VERSION, presetParams, presets, runScript, simulate } from '../../engine/index';
import {
  POLICY_NAMES,
  PolicyConfigSchema,
  SimParamsSchema,
  type SimParamsInput,
} from '../../../shared/params';
import { DEFAULT_COSTS, type RunResult } from '../../../shared/results';

/** `2s`, `500ms`, `20us`, `100ns` or a bare number of ns (`1e9`). */
export function parseDuration(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(ns|us|ms|s)?\s*$/i.exec(text);
  const unit = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[(m?.[2] ?? 'ns').toLowerCase() as 'ns'];
  const v = m ? Number(m[1]) * unit : NaN;
  if (!(v > 0 && Number.isFinite(v))) throw new UsageError(`bad duration ${JSON.stringify(text)}`);
  return v;
}

/** A number of ns in [0, 1e9] (the schema's range for `policy.coalesceNs`). */
function nsOption(args: string[], name: string): number | undefined {
  const s = takeOption(args, name);
  if (s === undefined) return undefined;
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1e9)
    throw new UsageError(`${name} needs a number of ns in [0, 1e9], got ${JSON.stringify(s)}`);
  return v;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}

function zodMessage(e: unknown): string {
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (!issues) return (e as Error).message;
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'run the host model on a preset, a config or a workload script',
  usage: `xen-pi-lab simulate (--preset NAME | --config FILE | --script FILE | --trace-workload DUMP|ID) [--policy P] [--K N]
                    [--fixup random|cycle] [--compare '<'|'<='] [--h-counts all|pi] [--seed N]
                    [--coalesce-ns N] [--duration T] [--pcpus N] [--domains N] [--vcpus N]
                    [--pi-fraction F] [--placement spread|pcpu0|random]
                    [--dist exponential|uniform] [--churn N] [--buckets N] [--title TEXT] [--json] [--save]

Runs the PI blocking-list host model (docs/model.md) and prints the end-of-run summary.
  --preset NAME     one of: ${presets()
    .map((p) => p.name)
    .join(', ')}
  --config FILE     a JSON SimParams object (workload, policy, costs, seed, buckets)
  --script FILE     a JSON Lines workload script (operations of docs/model.md)
  --trace-workload DUMP|RUN_ID  a workload fitted from a real dump (a file, imported now, or
                    a saved trace run), scaled to --domains N on --pcpus P; also
                    --placement spread|pcpu0|random|trace, --sampling replace|cycle, and with a
                    file the import options (--pi-domains, --cpu-hz, --wake-as ...): docs/engine.md
  --policy P        ${POLICY_NAMES.join(' | ')} (script default: upstream)
  --K N             bound = floor(H / online pCPUs) + K (default 128)
  --fixup R         pCPU-offline fix-up rule: random (default) or cycle
  --seed N          seed of every random choice (same seed, same bytes)
  --coalesce-ns N   coalesced wakeups: the wakeup handler runs N ns after the post that
                    notified it and walks once for every post to its list by then (default 0: off)
  --duration T      virtual time to simulate: 2s, 500ms, 1e9 (ns); not with --script
${WORKLOAD_OPTIONS_USAGE}
  --json            print one JSON object (fields: docs/engine.md)
  --save            store the run in the notebook and print its experiment id`,

  async run(args, ctx) {
    // A workload fitted from a dump has its own options (simulate-trace.ts).
    if (hasOption(args, '--trace-workload'))
      return (await import('./simulate-trace')).runTraceWorkload(args, ctx);
    const json = takeFlag(args, '--json');
    const save = takeFlag(args, '--save');
    const preset = takeOption(args, '--preset');
    const config = takeOption(args, '--config');
    const script = takeOption(args, '--script');
    const policy = takeOption(args, '--policy');
    const K = intOption(args, '--K', 0, 1 << 24);
    const fixup = takeOption(args, '--fixup');
    const compare = takeOption(args, '--compare');
    const hCounts = takeOption(args, '--h-counts');
    const seed = intOption(args, '--seed', 0, 2 ** 32 - 1);
    const coalesceNs = nsOption(args, '--coalesce-ns');
    const durationText = takeOption(args, '--duration');
    const title = takeOption(args, '--title');
    const { workload: workloadFlags, buckets, given: workloadGiven } = takeWorkloadOptions(args);
    if (args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
    const sources = [preset, config, script].filter((x) => x !== undefined);
    if (sources.length !== 1)
      throw new UsageError('give exactly one of --preset, --config, --script');
    if (policy !== undefined && !(POLICY_NAMES as readonly string[]).includes(policy))
      throw new UsageError(`unknown policy ${JSON.stringify(policy)}`);
    if (fixup !== undefined && fixup !== 'random' && fixup !== 'cycle')
      throw new UsageError('--fixup is random or cycle');
    if (compare !== undefined && compare !== '<' && compare !== '<=')
      throw new UsageError("--compare is '<' or '<='");
    if (hCounts !== undefined && hCounts !== 'all' && hCounts !== 'pi')
      throw new UsageError('--h-counts is all or pi');
    const durationNs = durationText === undefined ? undefined : parseDuration(durationText);
    const knobs = {
      ...(policy !== undefined && { policy }),
      ...(K !== undefined && { K }),
      ...(fixup !== undefined && { fixup }),
      ...(compare !== undefined && { compare }),
      ...(hCounts !== undefined && { hCounts }),
      ...(coalesceNs !== undefined && { coalesceNs }),
    };

    let result: RunResult;
    let params: unknown;
    let runTitle: string;
    let runSeed: number;
    if (script !== undefined) {
      if (durationNs !== undefined) throw new UsageError('--duration does not apply to --script');
      if (workloadGiven.length)
        throw new UsageError(`${workloadGiven[0]} does not apply to --script (it has no workload)`);
      const pol = PolicyConfigSchema.parse({ policy: 'upstream', ...knobs });
      runSeed = seed ?? 1;
      const cfg = { policy: pol, costs: { ...DEFAULT_COSTS }, buckets: 4096, seed: runSeed };
      const text = readText(script);
      result = runScript(text, cfg);
      // The text itself is kept (scriptText) so `export` can regenerate the ops.
      params = { script: basename(script), scriptText: text, ...cfg };
      runTitle = title ?? `${basename(script)} (${pol.policy}, K = ${pol.K})`;
    } else {
      let input: SimParamsInput;
      if (preset !== undefined) {
        const p = presetParams(preset);
        if (!p) throw new UsageError(`unknown preset ${JSON.stringify(preset)}`);
        input = p;
      } else {
        try {
          input = JSON.parse(readText(config!)) as SimParamsInput;
        } catch (e) {
          throw new Error(`${config}: ${(e as Error).message}`, { cause: e });
        }
      }
      const merged = {
        ...input,
        policy: { ...(input.policy ?? {}), ...knobs },
        ...(seed !== undefined && { seed }),
        ...(buckets !== undefined && { buckets }),
        workload: {
          ...(input.workload ?? {}),
          ...(durationNs !== undefined && { durationNs }),
          ...workloadFlags,
        },
      };
      const parsed = SimParamsSchema.safeParse(merged);
      if (!parsed.success) throw new Error(`invalid parameters: ${zodMessage(parsed.error)}`);
      params = parsed.data;
      runSeed = parsed.data.seed;
      result = simulate(parsed.data);
      const name = preset ?? basename(config!);
      runTitle = title ?? `${name} (${parsed.data.policy.policy}, K = ${parsed.data.policy.K})`;
    }

    let id: number | null = null;
    if (save) {
      id = ctx.openStore().saveRun({
        kind: 'simulation',
        title: runTitle,
        params,
        seed: runSeed,
        result,
        engineVersion: ENGINE_VERSION,
      });
    }
    const s = result.summary;
    if (json) {
      ctx.stdout(JSON.stringify(save ? { ...s, experimentId: id } : s) + '\n');
      return 0;
    }
    const lines = [
      `${runTitle}`,
      `  policy ${s.policy}, K ${s.K}; ${s.pcpus} pCPUs (${s.onlinePcpus} online at the end), H ${s.H}, bound ${s.bound}`,
      `  ${s.operations} operations over ${s.endNs - s.startNs} ns`,
      `  wakeup interrupts ${s.wakeupInterrupts}, entries walked ${s.walked} (mean ${s.walkStats.mean.toFixed(1)}, p99 ${s.walkStats.p99}, max ${s.walkStats.max})`,
      `  longest list ${s.maxListLength} on pCPU ${s.maxListPcpu} at ${s.maxListAtNs} ns (bound then ${s.boundAtMax})`,
      `  remote placements ${s.remotePlacements}, fix-up moves ${s.fixupMoves}, anomalies ${s.anomalies}, bound overflows ${s.boundOverflows}, insertions over the bound ${s.overBoundInsertions}`,
      `  above the bound in force: ${s.aboveBoundPcpuNs} pCPU-ns, ${s.aboveBoundEntryNs} entry-ns, max excess ${s.aboveBoundMaxExcess}, ${s.aboveBoundSteps} operations`,
    ];
    if (s.coalesceNs !== undefined)
      lines.push(
        `  coalesced wakeups (handler after ${s.coalesceNs} ns): ${s.coalescedPosts} posts shared a walk, ${s.cancelledWakeups} handlers cancelled by pcpu_offline`,
      );
    if (id !== null) lines.push(`saved as experiment ${id}`);
    ctx.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
