/**
 * Pure formatting and parsing helpers of the renderer (no DOM, no Vue): numbers with thousands
 * separators, durations with units, ETAs, frequencies, lists of integers ("0, 2, 4-7").
 */

/** 4194304 -> "4,194,304"; non-integers keep up to `digits` decimals. */
export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtNum(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Number.isInteger(n)) return fmtInt(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Three significant digits, trailing zeros dropped. */
function sig3(v: number): string {
  const a = Math.abs(v);
  const d = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return String(Number(v.toFixed(d)));
}

/** A duration in ns with an automatic unit: "850 ns", "22.1 µs", "3.5 ms", "1.2 s". */
export function fmtNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  if (a < 1e3) return `${sig3(ns)} ns`;
  if (a < 1e6) return `${sig3(ns / 1e3)} µs`;
  if (a < 1e9) return `${sig3(ns / 1e6)} ms`;
  return `${sig3(ns / 1e9)} s`;
}

/** An ETA in ms: "< 1 s", "42 s", "3 m 05 s", "1 h 02 m"; null -> "—". */
export function fmtEta(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 1) return '< 1 s';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

/** 2.4e9 -> "2.400 GHz". */
export function fmtHz(hz: number | null | undefined): string {
  if (hz === null || hz === undefined || !Number.isFinite(hz)) return '—';
  if (hz >= 1e9) return `${(hz / 1e9).toFixed(3)} GHz`;
  if (hz >= 1e6) return `${(hz / 1e6).toFixed(3)} MHz`;
  return `${fmtInt(hz)} Hz`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '—';
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KiB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return `${(b / 1024 ** 3).toFixed(2)} GiB`;
}

export function fmtPercent(f: number | null | undefined): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return '—';
  return `${Math.floor(Math.max(0, Math.min(1, f)) * 100)} %`;
}

/** ISO date -> "2026-11-25 13:38" (local time). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const TIME_UNITS = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/**
 * Parses "1.5 ms", "250us", "3 s", "1200" (in `defaultUnit`) into ns.
 * Returns null when the text is not a non-negative time.
 */
export function parseTime(text: string, defaultUnit: TimeUnit = 'ms'): number | null {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(ns|us|µs|ms|s)?\s*$/i.exec(text);
  if (!m) return null;
  const v = Number(m[1]);
  if (!Number.isFinite(v) || v < 0) return null;
  const u = (m[2] ?? defaultUnit).toLowerCase().replace('us', 'µs') as TimeUnit;
  return v * TIME_UNITS[u];
}

export type IntListResult = { ok: true; value: number[] } | { ok: false; error: string };

/**
 * Parses a comma (or space) separated list of non-negative integers with ranges:
 * "0, 2, 4-7" -> [0, 2, 4, 5, 6, 7] (sorted, unique). Empty text -> [].
 */
export function parseIntList(text: string, max = 0xffff): IntListResult {
  const out = new Set<number>();
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts) {
    const r = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (!r) return { ok: false, error: `"${p}" is not a number or a range like 4-7` };
    const a = Number(r[1]);
    const b = r[2] === undefined ? a : Number(r[2]);
    if (b < a) return { ok: false, error: `range "${p}" is reversed` };
    if (b > max) return { ok: false, error: `${b} is larger than ${max}` };
    if (b - a > 65536) return { ok: false, error: `range "${p}" is too long` };
    for (let i = a; i <= b; i++) out.add(i);
  }
  return { ok: true, value: [...out].sort((x, y) => x - y) };
}

/** [0, 1, 2, 5, 7, 8] -> "0-2, 5, 7-8". */
export function fmtIntList(list: readonly number[] | null | undefined): string {
  if (!list || list.length === 0) return '';
  const s = [...list].sort((a, b) => a - b);
  const out: string[] = [];
  let start = s[0];
  let prev = s[0];
  for (let i = 1; i <= s.length; i++) {
    const v = s[i];
    if (v === prev + 1) {
      prev = v;
      continue;
    }
    out.push(start === prev ? String(start) : `${start}-${prev}`);
    start = prev = v;
  }
  return out.join(', ');
}

/** Tags typed as "a b, c" -> ["a", "b", "c"] (unique, order kept). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const t of text.split(/[\s,]+/)) if (t) seen.add(t);
  return [...seen];
}

/** A vCPU as Xen prints it: d3v1. */
export function fmtVcpu(v: { dom: number; vcpu: number } | null | undefined): string {
  return v ? `d${v.dom}v${v.vcpu}` : '';
}

/** "d3v1" / "3.1" / "3:1" -> {dom: 3, vcpu: 1}; empty -> null; invalid -> undefined. */
export function parseVcpu(text: string): { dom: number; vcpu: number } | null | undefined {
  const t = text.trim();
  if (!t) return null;
  const m = /^(?:d(\d+)v(\d+)|(\d+)[.:](\d+))$/i.exec(t);
  if (!m) return undefined;
  return { dom: Number(m[1] ?? m[3]), vcpu: Number(m[2] ?? m[4]) };
}

/** 1 -> "1 domain", 32768 -> "32,768 domains": a count with its noun, pluralised. */
export function fmtCount(n: number | null | undefined, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
