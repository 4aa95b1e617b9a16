import { readFileSync } from 'node:fs';
import type { JobInfo } from '../../../shared/model';
import { PolicyConfigSchema, SimParamsSchema, type SimParams } from '../../../shared/params';
import { presetParams, presets } from '../../engine';
import { JobRunner } from '../../jobs/runner';
import { parseGridArg } from '../../notebook/grid';
import { parseShard } from '../../notebook/shards';
import { SweepManager, type SweepBase } from '../../notebook/sweeps';
import { hasOption, takeFlag, takeOption, UsageError } from '../args';
import type { CliCommand } from '../command';
import { formatPlan, sweepPlan } from './sweep-plan';
import { fittedSweepBase, takeTraceWorkloadArgs } from './trace-workload-options';
import type { TraceSimParams } from '../../../shared/fitted-workload';

function takeAll(args: string[], name: string): string[] {
  const out: string[] = [];
  for (let v = takeOption(args, name); v !== undefined; v = takeOption(args, name)) out.push(v);
  return out;
}

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'run a parameter grid (K x policy x seed ...) as one saved group',
  usage: `xen-pi-lab sweep (--preset NAME | --config PARAMS.json | --trace ID [--policy POLICY.json]
                  | --trace-workload DUMP|RUN_ID --domains N --pcpus P [--placement ...])
                 --grid PATH=V1,V2,... [--grid ...] [--title TEXT] [--same-runs-once] [--json]
                 [--shard I/N] [--plan]

Expands the grid (cartesian product over dotted parameter paths such as policy.K, policy.policy,
seed, workload.pcpus), validates every point, and runs the points in worker threads (at most one
per core), each saved as it finishes into one sweep group. With --trace, replays that trace's
operations under each policy point (policy.* paths only). With --trace-workload, every point is a
run of the workload fitted from that dump (as \`simulate --trace-workload\`; paths policy.*, seed,
traceWorkload.domains, .pcpus, .placement, .sampling, .durationNs). Ctrl-C cancels the remaining points;
finished points stay saved in the group (marked cancelled).

--same-runs-once runs grid points that are the same run once: points that differ only in
policy.K (or policy.compare, policy.hCounts) under a policy that does not read the bound
(upstream, least-loaded, two-choices without the cycle fix-up); the run's title names the values
it stands for.

Example:
  xen-pi-lab sweep --preset skylake-112-8to1 --grid policy.K=0,32,64,128,256 \\
      --grid policy.policy=upstream,series --grid seed=1,2

Prints one row per point (max list length, p99 entries walked, remote placements); --json prints
{groupId, state, points: [{experimentId, values, metrics}]}.

Sharding (simulation sweeps): --shard I/N runs only shard I (1..N) of the grid: point i of the
cartesian product (0-based, last axis fastest) belongs to shard (i mod N) + 1, on every machine.
Run each shard into its own notebook (--db), then merge them with \`xen-pi-lab notebook import\`:
shards of one sweep (same base and grid) merge into one group, a point imported twice is kept
once. --plan prints the points and their shards (all, or shard I's with --shard) without running
anything; with --json: {sweepKey, points, shards, shard, plan: [{index, shard, values}]}.`,
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const preset = takeOption(args, '--preset');
    const config = takeOption(args, '--config');
    const trace = takeOption(args, '--trace');
    const policyFile = takeOption(args, '--policy');
    const fitted = hasOption(args, '--trace-workload') ? await takeTraceWorkloadArgs(args) : null;
    const title = takeOption(args, '--title');
    const grid = takeAll(args, '--grid').map(parseGridArg);
    const sameRunsOnce = takeFlag(args, '--same-runs-once');
    const shardArg = takeOption(args, '--shard');
    const shard = shardArg !== undefined ? parseShard(shardArg) : undefined;
    const plan = takeFlag(args, '--plan');
    if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
    if ([preset, config, trace, fitted ?? undefined].filter((x) => x !== undefined).length !== 1)
      throw new UsageError('give exactly one of --preset, --config, --trace, --trace-workload');
    if (grid.length === 0) throw new UsageError('give at least one --grid PATH=V1,V2,...');
    let base: SweepBase;
    if (fitted) {
      if (policyFile !== undefined)
        throw new UsageError('--policy (a file) goes with --trace; vary policy.* with --grid');
      base = await fittedSweepBase(fitted, ctx);
    } else if (trace !== undefined) {
      const id = Number(trace);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--trace ${trace}: not an id`);
      const policy = policyFile
        ? PolicyConfigSchema.parse(JSON.parse(readFileSync(policyFile, 'utf8')))
        : undefined;
      base = { traceExperimentId: id, policy };
    } else {
      const input =
        preset !== undefined ? presetParams(preset) : JSON.parse(readFileSync(config!, 'utf8'));
      if (input === undefined)
        throw new UsageError(
          `unknown preset ${preset}; one of ${presets()
            .map((p) => p.name)
            .join(', ')}`,
        );
      base = SimParamsSchema.parse(input);
    }
    if (plan) {
      if (trace !== undefined) throw new UsageError('--plan works on simulation sweeps only');
      const p = sweepPlan(base as SimParams | TraceSimParams, grid, shard);
      ctx.stdout(json ? JSON.stringify(p, null, 1) + '\n' : formatPlan(p));
      return 0;
    }

    const store = ctx.openStore();
    const jobs = new JobRunner();
    const sweeps = new SweepManager(store, jobs);
    const started = sweeps.start({ base, grid, title, sameRunsOnce, shard });
    const onSigint = () => sweeps.cancel(started.jobId);
    process.once('SIGINT', onSigint);
    let last = '';
    const onProgress = (j: JobInfo) => {
      if (j.jobId !== started.jobId || json) return;
      const line = `${Math.round(j.fraction * 100)}% ${j.detail}`;
      if (line !== last) ctx.stderr(`\r${line.padEnd(40)}`);
      last = line;
    };
    jobs.on('progress', onProgress);
    const info = await started.finished;
    jobs.off('progress', onProgress);
    process.off('SIGINT', onSigint);
    const detail = sweeps.detail(started.groupId);
    if (json) {
      ctx.stdout(
        JSON.stringify(
          {
            groupId: started.groupId,
            sweepKey: detail.group.sweepKey,
            shard: detail.group.shard,
            state: info.state,
            error: info.error,
            points: detail.points,
          },
          null,
          1,
        ) + '\n',
      );
    } else {
      ctx.stderr('\n');
      ctx.stdout(
        `sweep group ${started.groupId}: ${detail.group.title}${shard ? ` (shard ${shardArg})` : ''}\n`,
      );
      const paths = grid.map((a) => a.path);
      const w = paths.map((p) => Math.max(p.length, 8));
      ctx.stdout(
        `   id  ${paths.map((p, i) => p.padEnd(w[i])).join('  ')}  max list  p99 walk  remote\n`,
      );
      for (const p of detail.points) {
        const m = p.metrics;
        ctx.stdout(
          `${String(p.experimentId).padStart(5)}  ${paths
            .map((path, i) => String(p.values[path]).padEnd(w[i]))
            .join('  ')}  ${String(m?.maxListLength ?? '-').padStart(8)}  ${String(
            m?.p99Walk ?? '-',
          ).padStart(8)}  ${String(m?.remotePlacements ?? '-').padStart(6)}\n`,
        );
      }
      ctx.stdout(`${info.detail}\n`);
      if (info.error) ctx.stderr(`${info.error}\n`);
    }
    await jobs.shutdown();
    return info.state === 'done' ? 0 : 1;
  },
};
