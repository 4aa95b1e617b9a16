import type { CliCommand } from '../command';
import { takeFlag, takeOption, UsageError } from '../args';
import { parseScript } from '../../engine/index';
import { writeTrace, OP_SERIES_NAMES, columnsFromOps, type OpColumns } from '../../trace/index';
import { simulationOps } from '../../trace/sim-ops';
import { PolicyConfigSchema, SimParamsSchema, type PolicyConfig } from '../../../shared/params';
import { opsFromSeries } from '../../trace/op-columns';
import { parseHz } from './trace-options';
import { exportRunAs, exportSweep, parseFormat } from './export-formats';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write a saved run as a xentrace dump, JSON, Perfetto trace or Parquet tables',
  usage: `xen-pi-lab export RUN_ID OUT.trace [--cpu-hz HZ] [--no-pi-records] [--list-ids ADD,DEL]
xen-pi-lab export RUN_ID OUT [--format xentrace|json|perfetto|parquet]
xen-pi-lab export --sweep GROUP_ID OUT.parquet --format parquet

Formats (--format, default xentrace):
  xentrace  the run's operations as a xentrace dump with upstream scheduler ids, readable by
            xenalyze (\`xenalyze --summary OUT.trace\`) and by \`xen-pi-lab import\`. Simulations
            are regenerated from their stored parameters and seed (same ops); imported traces
            export their reconstructed ops. By default the lab's PI list records
            (docs/trace-import.md) carry the run's own lists, so \`import\` gives back its list
            lengths exactly; --no-pi-records writes a plain upstream-looking dump; --list-ids
            also writes list add/delete records with those ids (for private builds).
  json      the run as JSON: provenance, params, summary, timeline, annotations, every series.
  perfetto  a Chrome JSON trace-event file for https://ui.perfetto.dev: one counter track per
            pCPU list length, H, online pCPUs and the bound (bucketed; the resolution is in the
            file's otherData), and for imported dumps each vCPU's runstate slices.
  parquet   a folder OUT of Parquet tables (pcpu_lengths, timeline, walk_histogram, pcpu_summary,
            summary) for pandas / DuckDB / Polars; with --sweep, one table with a row per point
            of that sweep group. Columns and units: docs/notebook.md.
Nothing is overwritten: OUT must not exist.`,
  async run(args, ctx) {
    const format = parseFormat(takeOption(args, '--format'));
    const sweepArg = takeOption(args, '--sweep');
    if (sweepArg !== undefined) {
      const [sweepOut, ...extra] = args;
      if (!sweepOut || extra.length) throw new UsageError('export --sweep needs GROUP_ID and OUT');
      return exportSweep(format, sweepArg, sweepOut, ctx);
    }
    if (format !== 'xentrace') {
      const [runId, runOut, ...extra] = args;
      if (!runId || !runOut || extra.length) throw new UsageError('export needs RUN_ID and OUT');
      return exportRunAs(format, runId, runOut, ctx);
    }
    const hzArg = takeOption(args, '--cpu-hz');
    const listArg = takeOption(args, '--list-ids');
    const noPi = takeFlag(args, '--no-pi-records');
    const [idArg, out, ...rest] = args;
    if (!idArg || !out || rest.length) throw new UsageError('export needs RUN_ID and OUT.trace');
    const id = Number(idArg);
    if (!Number.isInteger(id) || id <= 0)
      throw new UsageError(`RUN_ID ${JSON.stringify(idArg)} is not an id`);
    let listIds: { add: number; del: number } | undefined;
    if (listArg !== undefined) {
      const [add, del] = listArg.split(',').map((x) => Number(x));
      if (!(add > 0 && del > 0 && add <= 0x0fffffff && del <= 0x0fffffff && add !== del))
        throw new UsageError('--list-ids takes two different ids, e.g. 0x82031,0x82032');
      listIds = { add, del };
    }
    const store = ctx.openStore();
    const exp = store.getExperiment(id);
    const params = exp.params as {
      cpuHz?: number;
      script?: string;
      scriptText?: string;
      policy?: unknown;
      seed?: number;
    } | null;
    let ops: OpColumns | null = null;
    // Whose lists the PI records show: the run's own policy and seed (stored traces: upstream).
    let policy: PolicyConfig = PolicyConfigSchema.parse({ policy: 'upstream' });
    let seed = 1;
    if (exp.series.includes(OP_SERIES_NAMES[0]))
      ops = opsFromSeries(store.loadSeries(id, [...OP_SERIES_NAMES]));
    if (!ops && exp.kind === 'simulation') {
      const sim = SimParamsSchema.safeParse(params);
      if (sim.success) {
        ops = simulationOps(sim.data);
        policy = sim.data.policy;
        seed = sim.data.seed;
      } else {
        // A script run: its text (older runs stored the text, or only the file name, in `script`).
        const text = params?.scriptText ?? params?.script;
        if (typeof text === 'string') {
          try {
            ops = columnsFromOps(parseScript(text));
          } catch (e) {
            if (params?.scriptText !== undefined) throw e;
            throw new Error(
              `experiment ${id} stored only its script's file name (${text}); simulate --script FILE --save again to export it`,
              { cause: e },
            );
          }
        }
        const pol = PolicyConfigSchema.safeParse(params?.policy);
        if (pol.success) policy = pol.data;
        if (typeof params?.seed === 'number') seed = params.seed;
      }
    }
    if (!ops)
      throw new Error(
        `experiment ${id} has no operations to export (no stored ops, no simulation parameters)`,
      );
    const cpuHz =
      hzArg !== undefined
        ? parseHz(hzArg)
        : typeof params?.cpuHz === 'number'
          ? params.cpuHz
          : 2.4e9;
    const w = await writeTrace(out, ops, {
      cpuHz,
      listIds,
      piRecords: !noPi,
      placement: { policy, seed },
    });
    ctx.stdout(
      `${out}: ${w.bytes} bytes, ${w.records} records, ${ops.code.length} ops at ${(cpuHz / 1e6).toFixed(3)} MHz${noPi ? '' : `, PI list records under ${policy.policy}`}${w.skippedOps ? ` (${w.skippedOps} hotplug ops have no Xen record${noPi ? '' : '; their fix-up moves are PI records'})` : ''}\n`,
    );
    return 0;
  },
};
