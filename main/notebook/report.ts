/**
 * Exports of one experiment: a Markdown report folder (report.md + chart PNGs) ready for a
 * xen-devel reply, and a JSON file of the run (provenance, params, summary, series).
 *
 * Chart PNGs are rendered by the caller (the app renders them offscreen with ECharts) and handed
 * in as base64; each is checked to be a PNG before it is written. Without charts (the CLI) the
 * report says so instead of linking images.
 */
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Annotation, ExperimentRecord } from '../../shared/model';
import type { DownloadText, ReportResult } from '../../shared/notebook';
import type { DistributionStats, RunSummary } from '../../shared/results';
import { SCHEMA_VERSION } from '../store/db';
import type { Store } from '../store/store';

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export interface ChartPng {
  /** File stem, e.g. `heatmap` (letters, digits, '-', '_'). */
  name: string;
  /** Caption in the report (defaults to the name). */
  title?: string;
  pngBase64: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True if the bytes start with the PNG signature and an IHDR chunk. */
export function isPng(bytes: Uint8Array): boolean {
  return (
    bytes.length > 24 &&
    Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE) &&
    Buffer.from(bytes.subarray(12, 16)).toString('latin1') === 'IHDR'
  );
}

export function slug(s: string, max = 48): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out || 'experiment';
}

/** Where exports go by default: `exports/` beside the notebook file. */
export function defaultExportDir(store: Store): string {
  return join(store.path === ':memory:' ? process.cwd() : dirname(resolve(store.path)), 'exports');
}

export const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

const cell = (v: unknown): string =>
  escapeHtml(v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v))
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/**
 * `<` as an entity: raw HTML shows as text, as in the app's preview (entities such as `&amp;`
 * are left alone: the preview decodes them too).
 */
function escapeHtml(t: string): string {
  return t.replace(/</g, '&lt;');
}

/**
 * Raw HTML in user Markdown (notes) made inert, as the app renders it (markdown-it with
 * html: false shows `<script>` as text): `<` becomes `&lt;` outside code fences and code spans,
 * where Markdown already shows it literally.
 */
export function escapeRawHtml(md: string): string {
  let fence = false;
  return md
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fence = !fence;
        return line;
      }
      if (fence) return line;
      return line
        .split(/(`+[^`]*`+)/)
        .map((part, i) => (i % 2 ? part : escapeHtml(part)))
        .join('');
    })
    .join('\n');
}

const int = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '—'
    : Math.round(n).toLocaleString('en-US');
const num = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '—'
    : Number.isInteger(n)
      ? n.toLocaleString('en-US')
      : n.toFixed(digits);

export function fmtNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${num(ns)} ns`;
}

/** Flattens params to dotted paths (arrays of up to 8 scalars inline, longer ones counted). */
export function flattenParams(
  v: unknown,
  prefix = '',
  out: [string, string][] = [],
): [string, string][] {
  if (out.length >= 120) return out;
  if (Array.isArray(v)) {
    const scalars = v.every((x) => x === null || typeof x !== 'object');
    out.push([prefix, scalars && v.length <= 8 ? JSON.stringify(v) : `[${v.length} items]`]);
  } else if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.push([prefix, '{}']);
    for (const [k, x] of entries) flattenParams(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.push([prefix, v === null ? 'null' : String(v)]);
  }
  return out;
}

/** Trace import bookkeeping that is provenance or statistics, not parameters. */
const NOT_PARAMS = new Set([
  'stats',
  'errors',
  'file',
  'clock',
  'source',
  'assumptions',
  'provenance',
  'piRecords',
  'crossCheck',
  'domainsSeen',
]);

/** Provenance rows: who computed this, from what. */
export function provenanceRows(e: ExperimentRecord): [string, string][] {
  const p = (e.params && typeof e.params === 'object' ? e.params : {}) as Record<string, unknown>;
  const traceSrc = (typeof p.replayOf === 'number' ? p.source : p) as Record<
    string,
    unknown
  > | null;
  const file = (traceSrc?.file ?? null) as Record<string, unknown> | null;
  const clock = (traceSrc?.clock ?? null) as Record<string, unknown> | null;
  const rows: [string, string][] = [
    ['experiment', `#${e.id} (${e.kind})`],
    ['created', e.createdAt],
    ['app version', e.appVersion],
    ['app commit', e.appCommit ?? 'unknown'],
    ['engine version', e.engineVersion ?? 'unknown'],
    ['notebook schema', String(SCHEMA_VERSION)],
  ];
  if (e.kind === 'simulation') rows.push(['seed', e.seed === null ? '—' : String(e.seed)]);
  if (typeof p.replayOf === 'number') rows.push(['replay of', `#${p.replayOf}`]);
  if (e.parentId !== null && p.replayOf !== e.parentId) rows.push(['parent', `#${e.parentId}`]);
  if (e.groupId !== null) rows.push(['sweep', `group #${e.groupId}`]);
  if (file) {
    if (file.name ?? file.path) rows.push(['trace file', String(file.name ?? file.path)]);
    if (file.sha256) rows.push(['trace sha256', String(file.sha256)]);
    if (typeof file.bytes === 'number') rows.push(['trace bytes', int(file.bytes)]);
  }
  // Where an import's lists come from: the lab's PI records, or a labelled reconstruction.
  const prov = (p.provenance ?? null) as { label?: string; assumptions?: string[] } | null;
  if (prov?.label) {
    rows.push(['lists', prov.label]);
    for (const a of prov.assumptions ?? []) rows.push(['assuming', a]);
  }
  const hz = (traceSrc?.cpuHz ?? clock?.cpuHz) as number | undefined;
  if (typeof hz === 'number')
    rows.push(['cpu_hz', `${int(hz)}${clock?.source ? ` (${String(clock.source)})` : ''}`]);
  return rows;
}

function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [
    `| ${head.join(' | ')} |`,
    `|${sep.join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function distRow(name: string, d: DistributionStats | undefined, f: (n: number) => string) {
  if (!d) return [name, '—', '—', '—', '—', '—', '—', '—'];
  return [name, int(d.count), f(d.min), f(d.mean), f(d.p50), f(d.p95), f(d.p99), f(d.max)];
}

/** Lists left above the bound in force (absent from summaries saved before engine 1.1.0). */
function aboveBoundRows(s: RunSummary): string[][] {
  if (s.aboveBoundPcpuNs === undefined) return [];
  return [
    ['time above the bound (pCPU-time)', fmtNs(s.aboveBoundPcpuNs)],
    ['entries above the bound × time', fmtNs(s.aboveBoundEntryNs ?? 0)],
    [
      'max entries above the bound / operations above it',
      `${int(s.aboveBoundMaxExcess ?? 0)} / ${int(s.aboveBoundSteps ?? 0)}`,
    ],
  ];
}

/** The summary in the layout of xenalyze and `perf sched`: headline numbers, then distributions. */
export function summaryMarkdown(s: RunSummary): string[] {
  const out: string[] = [];
  out.push(
    ...table(
      ['metric', 'value'],
      [
        ['policy', `${s.policy}${s.policy === 'upstream' ? '' : ` (K = ${s.K})`}`],
        [
          'max list length',
          `${int(s.maxListLength)} (pCPU ${s.maxListPcpu} at ${fmtNs(s.maxListAtNs)})`,
        ],
        ['bound at max / at end', `${int(s.boundAtMax)} / ${int(s.bound)}`],
        ['H / online pCPUs / pCPUs', `${int(s.H)} / ${int(s.onlinePcpus)} / ${int(s.pcpus)}`],
        ['wakeup interrupts', int(s.wakeupInterrupts)],
        ['entries walked', int(s.walked)],
        ['remote placements', int(s.remotePlacements)],
        ['fix-up moves', int(s.fixupMoves)],
        ['insertions over the bound', int(s.overBoundInsertions)],
        ...aboveBoundRows(s),
        ['anomalies', int(s.anomalies)],
        ['operations', int(s.operations)],
        ['virtual time', `${fmtNs(s.startNs)} – ${fmtNs(s.endNs)}`],
      ],
      ['l', 'r'],
    ),
    '',
    ...table(
      ['per wakeup interrupt', 'count', 'min', 'mean', 'p50', 'p95', 'p99', 'max'],
      [
        distRow('entries walked', s.walkStats, (n) => num(n)),
        distRow('walk time', s.walkTimeNsStats, fmtNs),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  if (s.costs)
    out.push(
      '',
      `Walk time = ${num(s.costs.interruptEntryNs)} ns per interrupt + ${num(s.costs.walkNsPerEntry)} ns per entry walked.`,
    );
  const top = [...(s.perPcpu ?? [])].sort((a, b) => b.maxLength - a.maxLength).slice(0, 8);
  if (top.length)
    out.push(
      '',
      `Longest lists (top ${top.length} of ${s.perPcpu.length} pCPUs):`,
      '',
      ...table(
        ['pCPU', 'max length', 'final length'],
        top.map((p) => [String(p.pcpu), int(p.maxLength), int(p.finalLength)]),
        ['r', 'r', 'r'],
      ),
    );
  return out;
}

/** Notes' own headings one level down (outside code fences), so they nest under "Notes". */
export function demoteHeadings(md: string): string {
  let fence = false;
  return md
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fence = !fence;
      return !fence && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

/** The report's Markdown (`charts` are file names already written beside it). */
export function reportMarkdown(
  e: ExperimentRecord,
  annotations: Annotation[],
  charts: { file: string; title: string }[],
  opts: { chartsNote?: string } = {},
): string {
  const out: string[] = [`# ${escapeHtml(e.title)}`, ''];
  if (e.tags.length) out.push(`Tags: ${e.tags.map((t) => '`' + t + '`').join(' ')}`, '');
  out.push('## Provenance', '', ...table(['recorded', 'value'], provenanceRows(e)), '');
  const params = (e.params && typeof e.params === 'object' ? e.params : {}) as Record<
    string,
    unknown
  >;
  const shown = Object.fromEntries(Object.entries(params).filter(([k]) => !NOT_PARAMS.has(k)));
  const rows = flattenParams(shown);
  out.push('## Parameters', '');
  out.push(...(rows.length ? table(['parameter', 'value'], rows) : ['(none recorded)']), '');
  out.push('## Summary', '');
  out.push(...(e.summary ? summaryMarkdown(e.summary) : ['(no result yet)']), '');
  out.push('## Charts', '');
  if (charts.length) for (const c of charts) out.push(`![${c.title}](${c.file})`, '');
  else
    out.push(
      opts.chartsNote ??
        'No charts were exported with this report (export it from the app to include the heatmap, H/bound and walk-histogram PNGs).',
      '',
    );
  out.push('## Notes', '', escapeRawHtml(demoteHeadings(e.notes.trim())) || '(no notes)', '');
  if (annotations.length) {
    out.push(
      '## Annotations',
      '',
      ...table(
        ['time', 'pCPU', 'vCPU', 'note'],
        annotations.map((a) => [
          fmtNs(a.tNs),
          a.pcpu === null ? '—' : String(a.pcpu),
          a.vcpu ? `d${a.vcpu.dom}v${a.vcpu.vcpu}` : '—',
          a.text,
        ]),
        ['r', 'r', 'l', 'l'],
      ),
      '',
    );
  }
  out.push(`<sub>Exported by Xen PI Lab ${e.appVersion} on ${new Date().toISOString()}.</sub>`, '');
  return out.join('\n');
}

/** Validates the app's chart PNGs (names, PNG signature, no duplicates). */
function checkCharts(list: ChartPng[] = []) {
  const charts = list.map((c) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(c.name))
      throw new ExportError(`chart name ${JSON.stringify(c.name)}: use letters, digits, - and _`);
    const bytes = Buffer.from(c.pngBase64, 'base64');
    if (!isPng(bytes)) throw new ExportError(`chart ${c.name} is not a PNG image`);
    return { file: `${c.name}.png`, title: c.title ?? c.name, bytes };
  });
  if (new Set(charts.map((c) => c.file)).size !== charts.length)
    throw new ExportError('two charts have the same name');
  return charts;
}

/**
 * Writes `report.md` and the chart PNGs into `dir` (default: exports/ beside the notebook, a new
 * folder per report). An existing `report.md` there is never overwritten.
 */
export function writeReport(
  store: Store,
  id: number,
  opts: { dir?: string; charts?: ChartPng[]; chartsNote?: string } = {},
): ReportResult {
  const e = store.getExperiment(id);
  const dir = resolve(
    opts.dir ?? join(defaultExportDir(store), `report-${id}-${slug(e.title)}-${stamp()}`),
  );
  const charts = checkCharts(opts.charts);
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, 'report.md')))
    throw new ExportError(`${dir} already holds a report.md; choose an empty folder`);
  const clash = charts.find((c) => readdirSync(dir).includes(c.file));
  if (clash) throw new ExportError(`${join(dir, clash.file)} already exists`);
  for (const c of charts) writeFileSync(join(dir, c.file), c.bytes, { flag: 'wx' });
  const md = reportMarkdown(e, store.listAnnotations(id), charts, opts);
  writeFileSync(join(dir, 'report.md'), md, { flag: 'wx' });
  return { dir, files: ['report.md', ...charts.map((c) => c.file)] };
}

/**
 * The report as one Markdown file for a browser download: the charts embedded as data: URIs
 * (one file to attach or paste; nothing is written on the lab's machine).
 */
export function reportText(
  store: Store,
  id: number,
  opts: { charts?: ChartPng[] } = {},
): DownloadText {
  const e = store.getExperiment(id);
  const charts = checkCharts(opts.charts).map((c) => ({
    file: `data:image/png;base64,${c.bytes.toString('base64')}`,
    title: c.title,
  }));
  return {
    fileName: `report-${id}-${slug(e.title)}.md`,
    mime: 'text/markdown',
    text: reportMarkdown(e, store.listAnnotations(id), charts),
  };
}
