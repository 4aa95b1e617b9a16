/**
 * Sweep grids as data (after W&B sweep configs): axes of dotted parameter paths with their
 * values, expanded into the cartesian product, each point validated through the same zod schema
 * a single run goes through, so a sweep never saves a run `sim.start` would have refused.
 */
import { z } from 'zod';
import {
  PolicyConfigSchema,
  SimParamsSchema,
  type PolicyConfig,
  type SimParams,
} from '../../shared/params';
import { parseGridValues, type GridAxis, type GridValue } from '../../shared/notebook';
import { TraceSimParamsSchema, type TraceSimParams } from '../../shared/fitted-workload';

export class GridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** Most points one sweep may have (a 5 x 5 x 5 x 4 grid is 500). */
export const MAX_SWEEP_POINTS = 1000;

const PATH_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

export interface GridPoint<P> {
  /** path -> value, in axis order. */
  values: Record<string, GridValue>;
  params: P;
}

/** Number of points of a grid (1 for no axes). */
export function gridSize(grid: GridAxis[]): number {
  return grid.reduce((n, a) => n * a.values.length, 1);
}

/** Cartesian product of the axes' values, the last axis varying fastest. */
export function cartesian(grid: GridAxis[]): Record<string, GridValue>[] {
  let out: Record<string, GridValue>[] = [{}];
  for (const axis of grid) {
    const next: Record<string, GridValue>[] = [];
    for (const partial of out)
      for (const v of axis.values) next.push({ ...partial, [axis.path]: v });
    out = next;
  }
  return out;
}

/** Reads a dotted path of a JSON value (undefined when absent). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Returns a deep copy of `obj` with the dotted path set (intermediate objects created). */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split('.');
  let cur = copy;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
  return copy as T;
}

function checkAxes(grid: GridAxis[], allowed: (path: string) => string | null): void {
  if (grid.length === 0) throw new GridError('a sweep needs at least one grid axis');
  const seen = new Set<string>();
  for (const axis of grid) {
    if (!PATH_RE.test(axis.path))
      throw new GridError(`grid path ${JSON.stringify(axis.path)} is not a dotted parameter path`);
    if (seen.has(axis.path)) throw new GridError(`grid path ${axis.path} appears twice`);
    seen.add(axis.path);
    const why = allowed(axis.path);
    if (why) throw new GridError(why);
    if (axis.values.length === 0) throw new GridError(`grid axis ${axis.path} has no values`);
    const keys = new Set(axis.values.map((v) => JSON.stringify(v)));
    if (keys.size !== axis.values.length)
      throw new GridError(`grid axis ${axis.path} repeats a value`);
  }
  const n = gridSize(grid);
  if (n > MAX_SWEEP_POINTS)
    throw new GridError(`the grid has ${n} points; a sweep may have at most ${MAX_SWEEP_POINTS}`);
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
}

/** Each point: the base with the axes' values set at their paths, parsed by `schema`. */
function expandOver<P>(base: unknown, grid: GridAxis[], schema: z.ZodType<P>): GridPoint<P>[] {
  return cartesian(grid).map((values) => {
    let input: unknown = base;
    for (const [path, v] of Object.entries(values)) input = setPath(input, path, v);
    const parsed = schema.safeParse(input);
    if (!parsed.success)
      throw new GridError(
        `grid point ${JSON.stringify(values)} is invalid: ${issues(parsed.error)}`,
      );
    return { values, params: parsed.data };
  });
}

/**
 * Expands a grid over a base simulation: every point is the base with the axes' values set at
 * their paths, then parsed by SimParamsSchema (defaults applied, unknown paths refused).
 */
export function expandSimGrid(base: unknown, grid: GridAxis[]): GridPoint<SimParams>[] {
  checkAxes(grid, (p) => (p === 'preset' ? 'the preset name is not a sweep parameter' : null));
  return expandOver(base, grid, SimParamsSchema);
}

/**
 * Expands a grid over a workload fitted from a dump (`TraceSimParams`, docs/engine.md): the
 * policy, seed, costs and the scaling (`traceWorkload.domains`, `.pcpus`, `.placement`,
 * `.sampling`, `.durationNs`) vary; the fit itself is the base's and does not.
 */
export function expandFittedGrid(base: unknown, grid: GridAxis[]): GridPoint<TraceSimParams>[] {
  checkAxes(grid, (p) =>
    p === 'traceWorkload.fit' || p.startsWith('traceWorkload.fit.')
      ? "the fitted workload is the sweep's base, not a sweep parameter"
      : p === 'workload' || p.startsWith('workload.')
        ? `a workload fitted from a dump has no ${p}: vary traceWorkload.domains, traceWorkload.pcpus, traceWorkload.placement, traceWorkload.sampling or traceWorkload.durationNs`
        : null,
  );
  return expandOver(base, grid, TraceSimParamsSchema);
}

/**
 * Expands a grid over replays of a trace: only `policy.*` paths mean something for a replay
 * (the operations are the trace's), each point's policy parsed by PolicyConfigSchema.
 */
export function expandReplayGrid(
  basePolicy: unknown,
  grid: GridAxis[],
): GridPoint<{ policy: PolicyConfig }>[] {
  checkAxes(grid, (p) =>
    p.startsWith('policy.')
      ? null
      : `a trace replay sweep varies the policy only (policy.K, policy.policy, ...), not ${p}`,
  );
  return cartesian(grid).map((values) => {
    let input: unknown = { policy: basePolicy ?? { policy: 'series' } };
    for (const [path, v] of Object.entries(values)) input = setPath(input, path, v);
    const parsed = PolicyConfigSchema.safeParse((input as { policy: unknown }).policy);
    if (!parsed.success)
      throw new GridError(
        `grid point ${JSON.stringify(values)} is invalid: ${issues(parsed.error)}`,
      );
    return { values, params: { policy: parsed.data } };
  });
}

/**
 * Parses the CLI's `--grid path=v1,v2,...`: numbers become numbers, `true`/`false`/`null` their
 * JSON values, anything else a string (policy names).
 */
export function parseGridArg(arg: string): GridAxis {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new GridError(`--grid ${arg}: expected PATH=V1,V2,...`);
  const path = arg.slice(0, eq).trim();
  const values = parseGridValues(arg.slice(eq + 1));
  if (values.length === 0) throw new GridError(`--grid ${arg}: no values`);
  return { path, values };
}

/** A short label of a point for titles: `K=64 · series · seed=2` (without `omit` paths). */
export function pointLabel(
  values: Record<string, GridValue>,
  omit: readonly string[] = [],
): string {
  return Object.entries(values)
    .filter(([path]) => !omit.includes(path))
    .map(([path, v]) => {
      const key = path.split('.').pop()!;
      return key === 'policy' ? String(v) : `${key}=${String(v)}`;
    })
    .join(' · ');
}
