/**
 * "Export notebook": a Markdown report of every experiment (parameters that matter, the summary
 * numbers in xenalyze / perf-sched layout, tags and notes), ready to paste into a xen-devel reply.
 */
import type { ExperimentRecord } from '../../../../shared/model';
import { fmtInt, fmtNs } from './format';

function paramLine(r: ExperimentRecord): string {
  const p = r.params as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') return '';
  const w = p.workload as Record<string, unknown> | undefined;
  const pol = p.policy as Record<string, unknown> | undefined;
  const bits: string[] = [];
  if (w)
    bits.push(
      `P = ${w.pcpus}`,
      `domains = ${w.domains} × ${w.vcpusPerDomain} vCPUs`,
      `placement = ${w.placement ?? 'spread'}`,
    );
  if (pol) bits.push(`policy = ${pol.policy}`, `K = ${pol.K ?? 128}`);
  if (p.seed !== undefined) bits.push(`seed = ${p.seed}`);
  if (p.cpuHz !== undefined) bits.push(`cpu_hz = ${p.cpuHz}`);
  return bits.join(', ');
}

export function experimentMarkdown(r: ExperimentRecord): string {
  const out: string[] = [];
  out.push(`## ${r.title} (#${r.id}, ${r.kind})`, '');
  if (r.tags.length) out.push(`Tags: ${r.tags.map((t) => '`' + t + '`').join(' ')}`, '');
  const pl = paramLine(r);
  if (pl) out.push(`Parameters: ${pl}`, '');
  const s = r.summary;
  if (s) {
    out.push(
      '| metric | value |',
      '|---|---:|',
      `| policy | ${s.policy} (K = ${s.K}) |`,
      `| max list length | ${fmtInt(s.maxListLength)} (pCPU ${s.maxListPcpu} at ${fmtNs(s.maxListAtNs)}) |`,
      `| bound at max | ${fmtInt(s.boundAtMax)} |`,
      `| H / online pCPUs | ${fmtInt(s.H)} / ${fmtInt(s.onlinePcpus)} |`,
      `| wakeup interrupts | ${fmtInt(s.wakeupInterrupts)} |`,
      `| entries walked | ${fmtInt(s.walked)} |`,
      `| p99 walk / interrupt | ${fmtInt(s.walkStats?.p99)} entries |`,
      `| worst walk time | ${fmtNs(s.walkTimeNsStats?.max)} |`,
      `| remote placements | ${fmtInt(s.remotePlacements)} |`,
      `| fix-up moves | ${fmtInt(s.fixupMoves)} |`,
      '',
    );
  }
  if (r.notes.trim()) out.push(r.notes.trim(), '');
  out.push(
    `<sub>app ${r.appVersion}${r.appCommit ? ` (${r.appCommit.slice(0, 10)})` : ''}, engine ${r.engineVersion ?? '—'}, created ${r.createdAt}</sub>`,
    '',
  );
  return out.join('\n');
}

export function notebookMarkdown(records: ExperimentRecord[], when = new Date()): string {
  return [
    `# Xen PI Lab notebook`,
    '',
    `Exported ${when.toISOString()}, ${records.length} experiment(s).`,
    '',
    ...records.map(experimentMarkdown),
  ].join('\n');
}

/** Save text as a download (works in the browser host and in Electron). */
export function downloadText(name: string, text: string, type = 'text/markdown') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
