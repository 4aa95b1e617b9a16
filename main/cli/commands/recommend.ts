/**
 * `xen-pi-lab recommend`: the smallest K (and its policy) meeting every target, from a sweep over
 * K x policy x seed run through the sweep machinery (or reused), with the Pareto front and the
 * spread across seeds (issue 14 item 2; docs/notebook.md "Recommend").
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliCommand } from '../command';
import { hasOption, intOption, takeFlag, takeOption, UsageError } from '../args';
import { takeWorkloadOptions, WORKLOAD_OPTIONS_USAGE } from './workload-options';
import { parseDuration } from './simulate';
import { presetParams, presets } from '../../engine/index';
import { JobRunner } from '../../jobs/runner';
import { MAX_SWEEP_POINTS } from '../../notebook/grid';
import { answerFor, runOrReuseSweep } from '../../notebook/recommend';
import { formatRecommendation } from '../../notebook/recommend-format';
import type { TraceSimParams } from '../../../shared/fitted-workload';
import {
  POLICY_NAMES,
  SimParamsSchema,
  type PolicyName,
  type SimParams,
  type SimParamsInput,
} from '../../../shared/params';
import { parseTarget, TargetError, type Target } from '../../../shared/recommend';
import { recommendGridOf } from '../../../shared/recommend-request';
import {
  fittedSweepBase,
  takeTraceWorkloadArgs,
  TRACE_WORKLOAD_USAGE,
} from './trace-workload-options';

function takeAll(args: string[], name: string): string[] {
  const out: string[] = [];
  for (let v = takeOption(args, name); v !== undefined; v = takeOption(args, name)) out.push(v);
  return out;
}

function parseKs(text: string): number[] {
  const ks = text.split(',').map((s) => Number(s.trim()));
  if (!ks.length || ks.some((k) => !Number.isInteger(k) || k < 0 || k > 1 << 24))
    throw new UsageError(`--K needs integers in [0, 16777216], got ${JSON.stringify(text)}`);
  return [...new Set(ks)].sort((a, b) => a - b);
}

function parsePolicies(text: string): PolicyName[] {
  const ps = text.split(',').map((s) => s.trim());
  for (const p of ps)
    if (!(POLICY_NAMES as readonly string[]).includes(p))
      throw new UsageError(
        `--policies: unknown policy ${JSON.stringify(p)}; one of ${POLICY_NAMES.join(', ')}`,
      );
  return [...new Set(ps)] as PolicyName[];
}

/** The base as `simulate` builds it: preset or config, then --duration and the workload flags. */
function buildBase(args: string[]): SimParams {
  const preset = takeOption(args, '--preset');
  const config = takeOption(args, '--config');
  const durationText = takeOption(args, '--duration');
  const { workload, buckets } = takeWorkloadOptions(args);
  if ([preset, config].filter((x) => x !== undefined).length !== 1)
    throw new UsageError('give exactly one of --preset, --config');
  let input: SimParamsInput;
  if (preset !== undefined) {
    const p = presetParams(preset);
    if (!p)
      throw new UsageError(
        `unknown preset ${JSON.stringify(preset)}; one of ${presets()
          .map((x) => x.name)
          .join(', ')}`,
      );
    input = p;
  } else {
    try {
      input = JSON.parse(readFileSync(config!, 'utf8')) as SimParamsInput;
    } catch (e) {
      throw new Error(`${config}: ${(e as Error).message}`, { cause: e });
    }
  }
  const parsed = SimParamsSchema.safeParse({
    ...input,
    preset: input.preset ?? preset ?? basename(config!),
    ...(buckets !== undefined && { buckets }),
    workload: {
      ...(input.workload ?? {}),
      ...(durationText !== undefined && { durationNs: parseDuration(durationText) }),
      ...workload,
    },
  });
  if (!parsed.success)
    throw new Error(
      `invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export const recommendCommand: CliCommand = {
  name: 'recommend',
  summary: 'the smallest K (and policy) meeting walk / remote-placement targets, from a sweep',
  usage: `xen-pi-lab recommend (--preset NAME | --config PARAMS.json |
                      --trace-workload DUMP|RUN_ID --domains N --pcpus P)
                     --target 'METRIC<=X' [--target ...]
                     [--policies series,random-under-bound] [--K 0,1,2,4,8,16,32,64,128]
                     [--seeds N] [--duration T] [workload flags] [--title TEXT] [--json] [--save]

Runs (or reuses, when the notebook already holds every run of the same sweep, made by this
engine version) a sweep over K x policy x seed (seeds 1..N, default 3) through the sweep
machinery, every run saved in one sweep group, and answers with the smallest K (and its policy)
meeting every target on every seed, the Pareto front of two metrics (the two targeted ones when
exactly two are targeted, else p99WalkNs vs remoteFraction; medians over seeds), and how sure it
is: min / median / max of each metric over seeds, and the configurations at a smaller K that pass
on some seeds but not all.

  --target T     METRIC<=X, <X, >=X or >X; repeat for several (all must hold). METRIC is one of
                 maxListLength, p99Walk, meanWalk, maxWalk, p99WalkNs, maxWalkNs,
                 remotePlacements, remoteFraction (remote placements / blocks),
                 overBoundInsertions, boundOverflows, fixupMoves, wakeupInterrupts,
                 aboveBoundMaxExcess
  --policies L   policies to try (default series,random-under-bound)
  --K L          K values to try (default 0,1,2,4,8,16,32,64,128)
  --seeds N      seeds per point, 1..100 (default 3)
  --duration T   virtual time per run: 2s, 500ms, 1e9 (ns)
${WORKLOAD_OPTIONS_USAGE}
${TRACE_WORKLOAD_USAGE}
                 (its own workload: the workload flags above do not apply)
  --json         print the answer as one JSON object (docs/notebook.md, "Recommend")
  --save         also save the answer in the notebook as an entry tagged "recommendation"

Examples:
  xen-pi-lab recommend --preset skylake-112-8to1 --duration 100ms \\
      --target 'p99WalkNs<=20000' --target 'remoteFraction<=0.05' --K 0,8,32,128
  xen-pi-lab recommend --trace-workload pvh-idle-dom0-sched.bin --domains 1024 --pcpus 112 \\
      --placement trace --duration 200ms --target 'maxListLength<=24' --K 0,4,16`,

  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const save = takeFlag(args, '--save');
    const title = takeOption(args, '--title');
    let targets: Target[];
    try {
      targets = takeAll(args, '--target').map(parseTarget);
    } catch (e) {
      if (e instanceof TargetError) throw new UsageError(e.message);
      throw e;
    }
    const policiesText = takeOption(args, '--policies');
    const kText = takeOption(args, '--K');
    const seedCount = intOption(args, '--seeds', 1, 100);
    if (
      hasOption(args, '--trace-workload') &&
      (hasOption(args, '--preset') || hasOption(args, '--config'))
    )
      throw new UsageError('give exactly one of --preset, --config, --trace-workload');
    // A dump is imported and fitted only once every option has been checked.
    const fitted = hasOption(args, '--trace-workload') ? await takeTraceWorkloadArgs(args) : null;
    const plain = fitted ? null : buildBase(args);
    if (args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
    if (!targets.length)
      throw new UsageError("give at least one --target, e.g. 'p99WalkNs<=20000'");
    const { Ks, policies, seeds } = recommendGridOf({
      policies: policiesText === undefined ? undefined : parsePolicies(policiesText),
      Ks: kText === undefined ? undefined : parseKs(kText),
      seeds: seedCount,
    });
    const n = Ks.length * policies.length * seeds.length;
    if (n > MAX_SWEEP_POINTS)
      throw new UsageError(
        `${Ks.length} K x ${policies.length} policies x ${seeds.length} seeds = ${n} runs; at most ${MAX_SWEEP_POINTS}`,
      );
    const base: SimParams | TraceSimParams = plain ?? (await fittedSweepBase(fitted!, ctx));

    const store = ctx.openStore();
    const jobs = new JobRunner();
    let onSigint: (() => void) | null = null;
    const spec = { base, Ks, policies, seeds, title };
    const sweep = await runOrReuseSweep(store, jobs, spec, {
      onStart: (_jobId, cancel) => {
        onSigint = cancel;
        process.once('SIGINT', cancel);
        if (!json) ctx.stderr(`running ${n} runs (K x policy x seed)…\n`);
      },
    });
    if (onSigint) process.off('SIGINT', onSigint);
    await jobs.shutdown();
    if (sweep.state !== 'done') {
      ctx.stderr(
        `sweep group ${sweep.groupId} ${sweep.state}${sweep.error ? `: ${sweep.error}` : ''}\n`,
      );
      return 1;
    }
    const answer = answerFor(store, spec, sweep, targets, { save });
    ctx.stdout(json ? JSON.stringify(answer, null, 1) + '\n' : formatRecommendation(answer));
    return 0;
  },
};
