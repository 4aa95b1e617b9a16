import { basename } from 'node:path';
import type { CliCommand } from '../command';
import { takeFlag, UsageError } from '../args';
import { ENGINE_VERSION } from '../../engine/index';
import { importTrace, importTraceSummary, type TraceImportSummary } from '../../trace/import';
import { opsToSeries } from '../../trace/op-columns';
import { noRecords } from '../../trace/no-records';
import { requireRegularFile } from '../../trace/regular-file';
import { takeTraceOptions, TRACE_OPTIONS_USAGE } from './trace-options';

/** The `--json` object (docs/trace-import.md, "CLI"). */
export function importJson(imp: TraceImportSummary, id: number | null) {
  const s = imp.result.summary;
  return {
    file: imp.file,
    ...imp.stats,
    clock: imp.clock,
    assumptions: imp.assumptions,
    lists: {
      policy: s.policy,
      maxListLength: s.maxListLength,
      maxListPcpu: s.maxListPcpu,
      maxListAtNs: s.maxListAtNs,
      perPcpu: s.perPcpu,
      wakeupInterrupts: s.wakeupInterrupts,
      walked: s.walked,
      walkStats: s.walkStats,
      H: s.H,
      vcpus: s.vcpus,
      opCounts: s.opCounts,
      anomalies: s.anomalies,
    },
    outsideLost: imp.outsideLost,
    observedLists: imp.observedLists,
    provenance: imp.provenance,
    piRecords: imp.piRecords,
    crossCheck: imp.crossCheck,
    domainsSeen: imp.domains,
    errors: imp.errors,
    id,
  };
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'read a xentrace dump, rebuild per-pCPU PI list occupancy',
  usage: `xen-pi-lab import FILE [--cpu-hz HZ] [--pi-domains LIST] [--ids FILE] [--wake-as post|wake] [--json] [--save]

Reads a xentrace dump (streaming), prints its record statistics, the clock used, and the PI
blocking-list occupancy rebuilt from the scheduler records (the engine's upstream model).
Decoding errors are printed with their byte offsets; what came before them is kept.
${TRACE_OPTIONS_USAGE}
  --json              print one JSON object (fields: docs/trace-import.md)
  --save              store the import in the notebook as a \`trace\` experiment`,
  usesStore: (args) => args.includes('--save'),
  async run(args, ctx) {
    const json = takeFlag(args, '--json');
    const save = takeFlag(args, '--save');
    const opts = await takeTraceOptions(args);
    const [file, ...rest] = args;
    if (!file || rest.length)
      throw new UsageError(file ? `unexpected ${rest.join(' ')}` : 'import needs a FILE');
    requireRegularFile(file);
    // Saving stores the op stream, so it is kept; otherwise it streams through (flat memory).
    const full = save ? await importTrace(file, opts) : null;
    const imp: TraceImportSummary =
      full ?? (await importTraceSummary(file, { ...opts, listIndex: false }));
    // A file without one valid record is reported like any import, but never saved (exit 1).
    const refused = noRecords(imp);
    let id: number | null = null;
    if (full && !refused) {
      id = ctx.openStore().saveRun({
        kind: 'trace',
        title: basename(file),
        params: {
          file: imp.file,
          cpuHz: imp.clock.cpuHz,
          clock: imp.clock,
          piDomains: opts.piDomains ?? null,
          assumptions: imp.assumptions,
          provenance: imp.provenance,
          piRecords: imp.piRecords,
          crossCheck: imp.crossCheck,
          domainsSeen: imp.domains,
          stats: imp.stats,
          errors: imp.errors,
        },
        seed: null,
        result: imp.result,
        extraSeries: opsToSeries(full.ops),
        engineVersion: ENGINE_VERSION,
      });
    }
    if (json) {
      ctx.stdout(JSON.stringify(importJson(imp, id), null, 1) + '\n');
    } else {
      const st = imp.stats;
      const s = imp.result.summary;
      const mhz = (imp.clock.cpuHz / 1e6).toFixed(3);
      ctx.stdout(
        [
          `${imp.file.name}: ${st.bytes} bytes, ${st.windows} windows, ${st.records} records (${st.recordsWithTsc} with TSC), pCPUs ${st.cpus.join(',')}`,
          `  TSC ${st.firstTsc ?? '-'}..${st.lastTsc ?? '-'}, ${(st.durationNs / 1e9).toFixed(3)} s at ${mhz} MHz (${imp.clock.source}${imp.clock.source === 'estimate' ? `, ${imp.clock.samples} samples, spread ${imp.clock.spreadPct?.toFixed(2)} %` : ''})`,
          `  lost: ${st.lostRecords} lost-records records, ${st.recordsLost} records lost; wrap records ${st.wrapRecords}; unknown ids ${st.unknownRecords} records`,
          `  domains ${st.domains.join(',') || '-'}; vCPUs ${st.vcpus.join(',') || '-'}; HVM (by records) ${st.hvmDomains.join(',') || '-'}`,
          `  reconstruction: HVM ${imp.assumptions.hvmDomains.join(',') || '-'} (${imp.assumptions.hvmRule}), PI ${imp.assumptions.piDomains.join(',') || '-'}, wake-ups as ${imp.assumptions.wakeAs}; ${s.operations} ops`,
          `  lists (${imp.provenance.source === 'pi-records' ? 'as recorded' : s.policy}, ${imp.provenance.label}): max ${s.maxListLength} on pCPU ${s.maxListPcpu}; per pCPU max ${s.perPcpu.map((p) => p.maxLength).join(',')}; wakeup interrupts ${s.wakeupInterrupts}, walked ${s.walked}`,
          ...(imp.crossCheck
            ? [
                `  cross-check (scheduler records, upstream): max ${imp.crossCheck.maxListLength}; per pCPU max ${imp.crossCheck.perPcpu.map((p) => p.maxLength).join(',')}; wakeup interrupts ${imp.crossCheck.wakeupInterrupts}, walked ${imp.crossCheck.walked}`,
              ]
            : []),
          ...imp.provenance.assumptions.map((a) => `  assuming ${a}`),
          ...imp.domains.map(
            (d) =>
              `  d${d.dom}: ${d.vcpus} vCPUs, ${d.pauses} pauses, ${d.destroyed ? 'destroyed' : 'not destroyed'}, seen ${(d.firstSeenNs / 1e6).toFixed(3)}..${(d.lastSeenNs / 1e6).toFixed(3)} ms`,
          ),
          ...imp.assumptions.notes.map((n) => `  note: ${n}`),
          ...imp.errors.map((e) => `  error at offset ${e.offset}: ${e.message}`),
          ...(id !== null ? [`saved as experiment ${id}`] : []),
        ].join('\n') + '\n',
      );
    }
    if (refused) ctx.stderr(`xen-pi-lab import: ${refused.message}\n`);
    return imp.errors.length || refused ? 1 : 0;
  },
};
