/**
 * "Re-run and verify": recomputes a saved run from what the notebook recorded and reports whether
 * the result is identical, byte for byte.
 *
 * - a simulation: its stored params (seed included) through the engine, as a background job;
 * - a replay (params.replayOf): the parent trace's stored operations through `replayOps` with
 *   the stored policy;
 * - an imported trace: the import again if a recorded file path still holds the file with the
 *   recorded sha256; otherwise (imports record the file's name, size and sha256, not its path)
 *   its stored operations through `replayOps` under upstream, as the import computed them.
 *
 * The comparison covers the summary (canonical JSON, field by field), the timeline and every
 * stored series (names, dtypes, lengths, bytes; the first differing index of each). Nothing is
 * written: the stored result stays as it was whatever the outcome.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { VerifyReport } from '../../shared/notebook';
import { SimParamsSchema, PolicyConfigSchema } from '../../shared/params';
import { dtypeOf, type AnyTypedArray, type RunResult, type SeriesSet } from '../../shared/results';
import { ENGINE_VERSION } from '../engine';
import { OP_SERIES_NAMES, opsFromSeries, opsToSeries, type OpColumns } from '../trace/op-columns';
import type { JobRunner, JobSpec } from '../jobs/runner';
import type { Store } from '../store/store';
import { fittedPlan } from './verify-fitted';

/** At most this many differences are listed (the first ones found). */
export const MAX_DIFFERENCES = 40;

/** JSON value with object keys sorted, so key order never makes a difference. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? 'absent' : s.length > 80 ? s.slice(0, 77) + '...' : s;
};

/** Field-by-field differences of two JSON values (after a JSON round trip), as `path: a -> b`. */
export function jsonDifferences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_DIFFERENCES) return;
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    for (const k of [...new Set([...ka, ...kb])].sort()) {
      jsonDifferences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`,
        out,
      );
    }
    return;
  }
  if (JSON.stringify(canonical(a)) !== JSON.stringify(canonical(b)))
    out.push(`${path}: stored ${show(a)}, recomputed ${show(b)}`);
}

function bytesOf(a: AnyTypedArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Differences of two series sets: missing names, dtypes, lengths, first differing element. */
export function seriesDifferences(stored: SeriesSet, fresh: SeriesSet, out: string[]): number {
  const names = [...new Set([...Object.keys(stored), ...Object.keys(fresh)])].sort();
  let compared = 0;
  for (const name of names) {
    if (out.length >= MAX_DIFFERENCES) break;
    const a = stored[name];
    const b = fresh[name];
    if (!a) {
      out.push(`series ${name}: not stored, present in the recomputed run`);
      continue;
    }
    if (!b) {
      out.push(`series ${name}: stored, absent from the recomputed run`);
      continue;
    }
    compared++;
    if (dtypeOf(a) !== dtypeOf(b)) {
      out.push(`series ${name}: dtype stored ${dtypeOf(a)}, recomputed ${dtypeOf(b)}`);
      continue;
    }
    if (bytesOf(a).equals(bytesOf(b))) continue;
    if (a.length !== b.length) {
      out.push(`series ${name}: length stored ${a.length}, recomputed ${b.length}`);
      continue;
    }
    let i = 0;
    // Byte-wise differing but element-wise equal only for NaN payloads / -0; report the index.
    while (i < a.length && Object.is(a[i], b[i])) i++;
    if (i === a.length) i = 0;
    let count = 0;
    for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) count++;
    out.push(
      `series ${name}: ${count} of ${a.length} values differ, first at index ${i} ` +
        `(stored ${a[i]}, recomputed ${b[i]})`,
    );
  }
  return compared;
}

/** Compares a stored run with a recomputed one. */
export function compareRuns(
  stored: RunResult,
  fresh: RunResult,
): { differences: string[]; seriesCompared: number } {
  const differences: string[] = [];
  const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  jsonDifferences(roundTrip(stored.summary), roundTrip(fresh.summary), 'summary', differences);
  jsonDifferences(roundTrip(stored.timeline), roundTrip(fresh.timeline), 'timeline', differences);
  const seriesCompared = seriesDifferences(stored.series, fresh.series, differences);
  return { differences, seriesCompared };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface Plan {
  method: string;
  spec?: JobSpec<unknown>;
  /** Makes a comparable RunResult (series incl. extra series) from the task's output. */
  toRun?: (out: unknown) => RunResult;
  unverifiable?: string;
  notes: string[];
}

function record(params: unknown): Record<string, unknown> {
  return params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
}

async function plan(store: Store, id: number): Promise<Plan> {
  const e = store.getExperiment(id);
  const p = record(e.params);
  const notes: string[] = [];
  if (e.kind === 'simulation' && 'traceWorkload' in p) return fittedPlan(e, p);
  if (e.kind === 'simulation') {
    const parsed = SimParamsSchema.safeParse(e.params);
    if (!parsed.success)
      return {
        method: 'simulation',
        notes,
        unverifiable: `the stored parameters are not valid simulation parameters: ${parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      };
    const params = parsed.data;
    if (e.seed !== null && e.seed !== params.seed)
      notes.push(`seed: experiment records ${e.seed}, its parameters say ${params.seed}`);
    return {
      method: 'simulation',
      notes,
      spec: {
        kind: 'verify',
        title: `verify #${id} ${e.title}`,
        task: 'simulate',
        input: { params },
      },
      toRun: (out) => out as RunResult,
    };
  }
  if (typeof p.replayOf === 'number') {
    const policy = PolicyConfigSchema.safeParse(p.policy);
    if (!policy.success)
      return { method: `replay of #${p.replayOf}`, notes, unverifiable: 'invalid stored policy' };
    const ops = opsFromSeries(store.loadSeries(p.replayOf, [...OP_SERIES_NAMES]));
    if (!ops)
      return {
        method: `replay of #${p.replayOf}`,
        notes,
        unverifiable: `trace experiment ${p.replayOf} (the replay's source) or its operations are gone`,
      };
    return {
      method: `replay of #${p.replayOf}`,
      notes,
      spec: {
        kind: 'verify',
        title: `verify #${id} ${e.title}`,
        task: 'replay',
        input: { ops, policy: policy.data },
      },
      toRun: (out) => out as RunResult,
    };
  }
  // An imported trace. With its file still at a recorded path, unchanged: decode it again.
  // Otherwise (imports record name, size and sha256, not where the file was): replay the stored
  // operations under upstream, as the import itself did, which re-checks the occupancy computed
  // from them (not the decoding).
  const file = record(p.file);
  const path = typeof file.path === 'string' ? file.path : null;
  const sha = typeof file.sha256 === 'string' ? file.sha256 : null;
  const title = `verify #${id} ${e.title}`;
  if (path && existsSync(path) && (!sha || (await sha256File(path)) === sha)) {
    return {
      method: `import of ${path}`,
      notes,
      spec: {
        kind: 'verify',
        title,
        task: 'import-trace',
        input: {
          path,
          cpuHz: typeof p.cpuHz === 'number' ? p.cpuHz : null,
          piDomains: Array.isArray(p.piDomains) ? p.piDomains : null,
        },
      },
      toRun: (out) => {
        const imp = out as { result: RunResult; ops: OpColumns };
        return { ...imp.result, series: { ...imp.result.series, ...opsToSeries(imp.ops) } };
      },
    };
  }
  const ops = opsFromSeries(store.loadSeries(id, [...OP_SERIES_NAMES]));
  if (!ops)
    return {
      method: 'import',
      notes,
      unverifiable: 'the trace file is not available and no reconstructed operations are stored',
    };
  const upstream = PolicyConfigSchema.parse({ policy: 'upstream' });
  return {
    method: `replay of the stored operations under upstream (the import's own computation; the file${
      file.name ? ` ${String(file.name)}` : ''
    } itself is not re-decoded)`,
    notes,
    spec: {
      kind: 'verify',
      title,
      task: 'replay',
      input: { ops, policy: upstream },
    },
    // The stored ops are the input here, not an output: compare the rest.
    toRun: (out) => {
      const r = out as RunResult;
      return { ...r, series: { ...r.series, ...opsToSeries(ops) } };
    },
  };
}

/**
 * Recomputes experiment `id` in a background job (kind 'verify', cancellable like any job) and
 * compares. `onJob` receives the job id as soon as it is queued.
 */
export async function verifyExperiment(
  store: Store,
  jobs: JobRunner,
  id: number,
  onJob?: (jobId: string) => void,
): Promise<VerifyReport> {
  const e = store.getExperiment(id);
  const base = {
    experimentId: id,
    jobId: null as string | null,
    engineVersion: ENGINE_VERSION,
    storedEngineVersion: e.engineVersion,
    seriesCompared: 0,
  };
  if (!e.hasResult)
    return {
      ...base,
      outcome: 'unverifiable',
      identical: false,
      method: e.kind,
      differences: ['the experiment has no result yet'],
    };
  const p = await plan(store, id);
  if (p.unverifiable || !p.spec || !p.toRun)
    return {
      ...base,
      outcome: 'unverifiable',
      identical: false,
      method: p.method,
      differences: [p.unverifiable ?? 'nothing to recompute'],
    };
  let fresh: RunResult | null = null;
  const toRun = p.toRun;
  const started = jobs.start<unknown>({
    ...p.spec,
    save: (out) => {
      fresh = toRun(out);
      return null;
    },
  });
  onJob?.(started.jobId);
  const info = await started.finished;
  base.jobId = started.jobId;
  if (info.state !== 'done' || !fresh)
    return {
      ...base,
      outcome: info.state === 'cancelled' ? 'cancelled' : 'failed',
      identical: false,
      method: p.method,
      differences: [info.state === 'cancelled' ? 'cancelled' : (info.error ?? 'failed')],
    };
  const stored = store.loadRun(id);
  const { differences, seriesCompared } = compareRuns(stored, fresh);
  const identical = differences.length === 0;
  if (!identical && e.engineVersion && e.engineVersion !== ENGINE_VERSION)
    differences.unshift(
      `the stored result was computed by engine ${e.engineVersion}, this is ${ENGINE_VERSION}`,
    );
  return {
    ...base,
    seriesCompared,
    outcome: identical ? 'identical' : 'different',
    identical,
    method: p.method,
    differences: identical ? [] : [...differences, ...p.notes],
  };
}
