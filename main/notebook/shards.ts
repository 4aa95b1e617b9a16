/**
 * Sharded sweeps: one grid split over N independent processes (Slurm array tasks, GNU parallel
 * jobs, machines), each writing its own notebook, merged afterwards by `notebook import`.
 *
 * Two things make that work without any coordination between the processes:
 *
 * - **The sweep's identity** (`sweepKey`): sha256 of the canonical JSON (object keys sorted) of
 *   the parsed base parameters and the grid as given. Every shard of the same sweep computes the
 *   same key on every machine; import merges groups with equal keys into one.
 * - **A fixed assignment of points to shards**: point i of the grid's cartesian product (0-based,
 *   the last axis varying fastest, as `cartesian()` expands it; taken on the full product before
 *   anything else looks at the points) belongs to shard `(i mod N) + 1`. Round-robin keeps the
 *   shards' sizes within one point of each other and mixes slow and fast corners of the grid.
 *
 * Inside a group, a point is identified by its grid coordinates (`pointKey`), so a point
 * imported twice is kept once.
 */
import { createHash } from 'node:crypto';
import type { GridAxis, GridValue } from '../../shared/notebook';
import type { SimParams } from '../../shared/params';
import type { TraceSimParams } from '../../shared/fitted-workload';
import { cartesian, GridError } from './grid';

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Most shards a sweep may be split into (a sweep has at most 1000 points anyway). */
export const MAX_SHARDS = 1000;

/** Parses `I/N` (1 <= I <= N). */
export function parseShard(arg: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(arg);
  if (!m) throw new GridError(`--shard ${arg}: expected I/N, e.g. 2/3`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new GridError(`--shard ${arg}: N must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count)
    throw new GridError(`--shard ${arg}: I must be between 1 and N (${count})`);
  return { index, count };
}

export function shardLabel(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}

/** The shard (1-based) that point `i` (0-based, cartesian order) of the grid belongs to. */
export function shardOfPoint(i: number, count: number): number {
  return (i % count) + 1;
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/**
 * The identity of a simulation sweep: sha256 (hex) of its parsed base and its grid. A fitted
 * workload's base holds the fit itself, so two sweeps of different dumps never share a key.
 */
export function sweepKey(base: SimParams | TraceSimParams, grid: GridAxis[]): string {
  return createHash('sha256')
    .update(canonicalJson({ sweep: 1, kind: 'simulation', base, grid }))
    .digest('hex');
}

/** A point's identity inside its sweep: its grid coordinates, canonically. */
export function pointKey(values: Record<string, GridValue>): string {
  return canonicalJson(values);
}

export interface PlannedPoint {
  /** 0-based position in the cartesian product. */
  index: number;
  shard: number;
  values: Record<string, GridValue>;
}

export interface SweepPlan {
  sweepKey: string;
  /** Points in the whole grid. */
  points: number;
  shards: number;
  /** The shard asked for with --shard, else null (every point listed). */
  shard: number | null;
  plan: PlannedPoint[];
}

/**
 * The points of a grid with their shards (`count` shards), only shard `only` when given.
 * Validation of the points is the caller's (expandSimGrid): this is the bookkeeping.
 */
export function planPoints(grid: GridAxis[], count: number, only?: number): PlannedPoint[] {
  return cartesian(grid)
    .map((values, index) => ({ index, shard: shardOfPoint(index, count), values }))
    .filter((p) => only === undefined || p.shard === only);
}
