/**
 * The options that name a workload fitted from a dump and scale it (`--trace-workload DUMP|RUN_ID
 * --domains N --pcpus P [--placement] [--sampling] [--duration]`, plus the import options with a
 * file), shared by `simulate`, `sweep` and `recommend` (docs/engine.md, "Workloads fitted from a
 * dump").
 */
import { existsSync } from 'node:fs';
import type { CliContext } from '../command';
import { choiceOption, intOption, takeOption, UsageError } from '../args';
import { importTrace } from '../../trace/index';
import { fitImport, fitStoredTrace } from '../../trace/fit-source';
import type { ImportOptions } from '../../trace/import';
import { requireRegularFile } from '../../trace/regular-file';
import { takeTraceOptions } from './trace-options';
import { parseDuration } from './simulate';
import {
  FITTED_PLACEMENTS,
  TraceSimParamsSchema,
  type FittedWorkload,
  type TraceSimParams,
  type TraceWorkloadInput,
} from '../../../shared/fitted-workload';

export interface TraceWorkloadArgs {
  source: string;
  /** A bare number that names no file: a trace experiment of the notebook. */
  stored: boolean;
  domains: number;
  pcpus: number;
  placement?: (typeof FITTED_PLACEMENTS)[number];
  sampling?: 'replace' | 'cycle';
  durationNs?: number;
  importOpts: ImportOptions;
}

export const TRACE_WORKLOAD_USAGE = `  --trace-workload DUMP|RUN_ID  a workload fitted from a real dump (a file, imported now, or a
                 saved trace run), scaled to --domains N (1..65536) on --pcpus P (1..4096); also
                 --placement spread|pcpu0|random|trace, --sampling replace|cycle, --duration T,
                 and with a file the import options (--pi-domains, --cpu-hz, --wake-as ...)`;

/** Takes the options above out of `args` (after `--trace-workload` is known to be there). */
export async function takeTraceWorkloadArgs(args: string[]): Promise<TraceWorkloadArgs> {
  const source = takeOption(args, '--trace-workload');
  if (source === undefined || source === '')
    throw new UsageError('--trace-workload needs a dump file or a trace experiment id');
  const domains = intOption(args, '--domains', 1, 1 << 16);
  const pcpus = intOption(args, '--pcpus', 1, 4096);
  const placement = choiceOption(args, '--placement', FITTED_PLACEMENTS);
  const sampling = choiceOption(args, '--sampling', ['replace', 'cycle'] as const);
  const durationText = takeOption(args, '--duration');
  const stored = /^[0-9]+$/.test(source) && !existsSync(source);
  const importOpts = await takeTraceOptions(args);
  if (stored && Object.values(importOpts).some((v) => v !== null && v !== undefined))
    throw new UsageError('import options apply to a DUMP file, not to a stored trace run');
  if (domains === undefined || pcpus === undefined)
    throw new UsageError('--trace-workload needs --domains N and --pcpus P');
  return {
    source,
    stored,
    domains,
    pcpus,
    placement,
    sampling,
    durationNs: durationText === undefined ? undefined : parseDuration(durationText),
    importOpts,
  };
}

/** The fit of the named dump or trace run; refuses a dump without an HVM domain. */
export async function loadFit(a: TraceWorkloadArgs, ctx: CliContext): Promise<FittedWorkload> {
  let fit: FittedWorkload;
  if (a.stored) fit = fitStoredTrace(ctx.openStore(), Number(a.source));
  else {
    requireRegularFile(a.source);
    fit = fitImport(await importTrace(a.source, a.importOpts));
  }
  if (fit.domains.length === 0)
    throw new Error(
      `${fit.source.file}: no HVM domain to fit (a dump without HVM records: name them with --pi-domains)`,
    );
  return fit;
}

/** The `traceWorkload` params of a run of `fit` scaled as the options say. */
export function traceWorkloadInput(a: TraceWorkloadArgs, fit: FittedWorkload): TraceWorkloadInput {
  return {
    fit,
    domains: a.domains,
    pcpus: a.pcpus,
    ...(a.placement !== undefined && { placement: a.placement }),
    ...(a.sampling !== undefined && { sampling: a.sampling }),
    ...(a.durationNs !== undefined && { durationNs: a.durationNs }),
  };
}

/**
 * The base of a sweep (or recommendation) over the fitted workload: the fit scaled as the
 * options say, policy `series` until the grid sets each point's policy, K and seed.
 */
export async function fittedSweepBase(
  a: TraceWorkloadArgs,
  ctx: CliContext,
): Promise<TraceSimParams> {
  const parsed = TraceSimParamsSchema.safeParse({
    traceWorkload: traceWorkloadInput(a, await loadFit(a, ctx)),
    policy: { policy: 'series' },
  });
  if (!parsed.success)
    throw new Error(
      `invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
