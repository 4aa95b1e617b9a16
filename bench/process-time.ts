/**
 * Whole-process timings for the CLI benches: commands run interleaved (so load changes hit them
 * alike) several times, medians reported. Wall time is what a user waits for; CPU time (user +
 * sys of the child) is steadier on a loaded machine, so both are kept.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = resolve(ROOT, 'bin', 'xen-pi-lab.mjs');

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** One run of `cmd args` (stdout and stderr discarded); NaN if it failed. */
export function timeOnce(cmd: string, args: string[]): Timing {
  // GNU time reports the child's user + sys seconds (spawnSync gives no rusage).
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) return { wallMs: NaN, cpuMs: NaN };
  const [u, s] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wallMs, cpuMs: (u + s) * 1000 };
}

export const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs every command `rounds` times, interleaved; medians of wall and CPU time per command. */
export function timeInterleaved(
  cmds: Record<string, [string, string[]]>,
  rounds: number,
): Record<string, Timing> {
  const runs: Record<string, Timing[]> = {};
  for (const k of Object.keys(cmds)) runs[k] = [];
  for (let i = 0; i < rounds; i++)
    for (const [k, [cmd, args]] of Object.entries(cmds)) runs[k].push(timeOnce(cmd, args));
  const out: Record<string, Timing> = {};
  for (const [k, rs] of Object.entries(runs))
    out[k] = { wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)) };
  return out;
}

export const ms = (x: number): string => `${x.toFixed(0)} ms`;

/** A difference with its sign: `+12 ms`, `-3 ms`. */
export const delta = (x: number): string => `${x >= 0 ? '+' : ''}${ms(x)}`;
