/** The real Xen 4.17 dumps in test/fixtures/traces and the independent counts beside them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TRACE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'traces');
export const DUMPS = readdirSync(TRACE_DIR)
  .filter((f) => f.endsWith('.bin'))
  .sort();
export const dumpPath = (name: string): string => join(TRACE_DIR, name);
/** Xen's own figure for the tracing host (xl info cpu_mhz 2445.411, boot line 2445.412). */
export const HOST_HZ = 2445.414e6;

export interface EventsTxt {
  bytes: number;
  cpus: number[];
  windows: number;
  records: number;
  withTsc: number;
  firstTsc: string;
  lastTsc: string;
  counts: Record<string, number>;
}

export function eventsTxt(dump: string): EventsTxt {
  const text = readFileSync(join(TRACE_DIR, dump.replace(/\.bin$/, '.events.txt')), 'utf8');
  const m =
    /: (\d+) bytes, cpus \[([\d, ]*)\], (\d+) windows, (\d+) records \((\d+) with TSC\), TSC (\d+)\.\.(\d+)/.exec(
      text,
    );
  if (!m) throw new Error(`unexpected header in ${dump}.events.txt`);
  const counts: Record<string, number> = {};
  for (const c of text.matchAll(/^\s+(0x[0-9a-f]{8})\s+(\d+)/gm)) counts[c[1]] = Number(c[2]);
  return {
    bytes: +m[1],
    cpus: m[2].split(',').map(Number),
    windows: +m[3],
    records: +m[4],
    withTsc: +m[5],
    firstTsc: m[6],
    lastTsc: m[7],
    counts,
  };
}

export interface XenalyzeSummary {
  totalSeconds: number;
  volume: Record<string, Record<string, number>>;
  domains: number[];
  vcpus: string[];
}

/** The parts of `xenalyze --summary` the importer reproduces. */
export function xenalyzeSummary(dump: string): XenalyzeSummary {
  const text = readFileSync(
    join(TRACE_DIR, dump.replace(/\.bin$/, '.xenalyze-summary.txt')),
    'utf8',
  );
  const out: XenalyzeSummary = { totalSeconds: NaN, volume: {}, domains: [], vcpus: [] };
  let cpu = '';
  let dom = -1;
  let inVolume = false;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^Total time: ([\d.]+) seconds/.exec(line))) out.totalSeconds = Number(m[1]);
    else if (line.startsWith('--- Log volume summary')) inVolume = true;
    else if ((m = /^\|-- Domain (\d+) --\|/.exec(line))) {
      inVolume = false;
      dom = Number(m[1]);
      out.domains.push(dom);
    } else if (inVolume && (m = /^ - cpu (\d+) -/.exec(line))) out.volume[(cpu = m[1])] = {};
    else if (inVolume && (m = /^ (\+-)?([a-z0-9]+)\s*:\s+(\d+)/.exec(line)))
      out.volume[cpu][(m[1] ? 'hvm.' : '') + m[2]] = Number(m[3]);
    else if (dom >= 0 && (m = /^-- v(\d+) --/.exec(line))) out.vcpus.push(`d${dom}v${m[1]}`);
  }
  return out;
}
